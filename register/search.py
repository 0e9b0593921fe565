"""Full-text search over register records, one backend per database.

On PostgreSQL: full-text search (English stemming, `websearch` syntax, ranked
by SearchRank) or trigram word similarity on the record's name, so that a
misspelt "Qlikveiw" still finds QlikView. On SQLite (the quick start) every
word of the query must appear, case-insensitively, in one of the fields.

The backend is chosen by `connection.vendor`, here and only here. Each
FilterSet's `search` filter and the /search/ page go through `search()`.
"""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Trigram word similarity above which a name counts as a near miss: 0.5 lets
# two swapped letters through ("Qlikveiw" → QlikView, 0.56) but not a
# different name that shares an ending ("Gwent" → Kent, 0.33).
TRIGRAM_THRESHOLD = 0.5
SEARCH_CONFIG = "english"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def query_words(query: str) -> list[str]:
    """The words of a query as a person typed them, without websearch operators."""
    return [word for word in re.findall(r"[\w'\u2019./-]+", query) if word.lower() not in {"or", "and"}]


def search(queryset: QuerySet, query: str, fields: tuple[str, ...], name_fields: tuple[str, ...] = ()) -> QuerySet:
    """Records of `queryset` matching `query` in any of `fields`, best first on PostgreSQL.

    `name_fields` (default: the first field) are also matched by trigram
    similarity on PostgreSQL: short names people misspell, never long texts.
    """
    query = query.strip()
    if not query:
        return queryset
    name_fields = name_fields or fields[:1]
    if uses_postgres():
        return _postgres_search(queryset, query, fields, name_fields)
    return _plain_search(queryset, query, fields)


def _plain_search(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    for word in query_words(query) or [query]:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def _postgres_search(queryset: QuerySet, query: str, fields: tuple[str, ...], name_fields: tuple[str, ...]) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity

    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    similarities = [TrigramWordSimilarity(query, field) for field in name_fields]
    similarity = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    queryset = queryset.annotate(
        search_document=vector,
        search_rank=SearchRank(vector, search_query),
        search_similarity=similarity,
    ).filter(Q(search_document=search_query) | Q(search_similarity__gt=TRIGRAM_THRESHOLD))
    # Best first; an explicit ?ordering= applied afterwards replaces this.
    return queryset.order_by("-search_rank", "-search_similarity", "pk")


def highlight(text: str, query: str) -> SafeString:
    """`text`, HTML-escaped, with each word of `query` wrapped in <mark>."""
    text = str(text or "")
    words = sorted({word for word in query_words(query) if len(word) > 1}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece was escaped above


def excerpt(text: str, query: str, width: int = 240) -> str:
    """A passage of about `width` characters around the first word of `query`
    found in `text` (the start when none is), with ellipses where it was cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= width:
        return text
    positions = [m.start() for word in query_words(query) if (m := re.search(re.escape(word), text, re.IGNORECASE))]
    centre = min(positions) if positions else 0
    start = max(0, min(centre - width // 3, len(text) - width))
    end = start + width
    # Cut at word boundaries so no word is split.
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("… " if start > 0 else "") + text[start:end] + (" …" if end < len(text) else "")
