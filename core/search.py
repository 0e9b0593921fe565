"""Full-text search over register records, one backend per database.

On PostgreSQL: full-text search (English stemming, `websearch` syntax, ranked
by SearchRank) or trigram word similarity on the record's name, so that a
misspelt "Qlikveiw" still finds QlikView. On SQLite (the quick start) every
word of the query must appear, case-insensitively, in one of the fields, and
none of the words marked with a minus ("-gwent").

On PostgreSQL each searchable table carries its own fields' text search
document as a stored generated column, `search_document`, with a GIN index
(added by `search_document_migration`, PostgreSQL only, so the models do not
declare it). A record's document for a query is its own joined with those of
the records its `fields` reach (a deployment's tool and force), so that
"Gwent hotspot" finds Gwent's hotspot deployments. Joining documents for
every row would read every row; the indexes first find the rows whose own
document matches and the rows pointing to a record with a word of the query.

The backend is chosen by `connection.vendor`, here and only here. Each
FilterSet's `search` filter and the /search/ page go through `search()`.
"""

import re

from django.db import connection, migrations
from django.db.models import BooleanField, Expression, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Trigram word similarity above which a name counts as a near miss: 0.5 lets
# two swapped letters through ("Qlikveiw" → QlikView, 0.56) but not a
# different name that shares an ending ("Gwent" → Kent, 0.33). The trigram
# index answers `%>` at the session's threshold, set by `set_trigram_threshold`.
TRIGRAM_THRESHOLD = 0.5
SEARCH_CONFIG = "english"
DOCUMENT_COLUMN = "search_document"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def query_words(query: str) -> list[str]:
    """The words of a query as a person typed them, without websearch operators."""
    return [word for word in re.findall(r"[\w'\u2019./-]+", query) if word.lower() not in {"or", "and"}]


def search(
    queryset: QuerySet, query: str, fields: tuple[str, ...], name_fields: tuple[str, ...] | None = None
) -> QuerySet:
    """Records of `queryset` matching `query` in any of `fields`, best first on PostgreSQL.

    `fields` are the record's own fields and those of records it points to
    (`tool__name`). `name_fields` (default: the first field) are also matched
    by trigram similarity on PostgreSQL: short names people misspell, never
    titles or texts.
    """
    query = query.strip()
    if not query:
        return queryset
    name_fields = fields[:1] if name_fields is None else name_fields
    if uses_postgres():
        return _postgres_search(queryset, query, fields, name_fields)
    return _plain_search(queryset, query, fields)


def _plain_search(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    for word in query_words(query) or [query]:
        # "-gwent" leaves out what names Gwent, as websearch syntax does on PostgreSQL.
        negated = word.startswith("-") and len(word) > 1
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word[1:] if negated else word})
        queryset = queryset.exclude(condition) if negated else queryset.filter(condition)
    return queryset


class Document(Expression):
    """The stored `search_document` of the query's own table (PostgreSQL)."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(compiler.query.base_table)}.{DOCUMENT_COLUMN}", []


class InArray(Func):
    """`column = ANY(ARRAY(subquery))`: unlike `IN (subquery)`, an index
    condition PostgreSQL can combine with others under OR."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY ("
    output_field = BooleanField()


def _postgres_search(queryset: QuerySet, query: str, fields: tuple[str, ...], name_fields: tuple[str, ...]) -> QuerySet:
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity

    model = queryset.model
    relations = sorted({field.split("__")[0] for field in fields if "__" in field})
    related_models = {relation: model._meta.get_field(relation).related_model for relation in relations}

    def related_rows(relation: str) -> QuerySet:
        return related_models[relation].objects.order_by().alias(document=Document())

    def related_ids(relation: str, condition: Q) -> InArray:
        return InArray(F(f"{relation}_id"), ArraySubquery(related_rows(relation).filter(condition).values("pk")))

    def related_document(relation: str) -> Coalesce:
        document = related_models[relation].objects.order_by().filter(pk=OuterRef(f"{relation}_id"))
        return Coalesce(Subquery(document.values(document=Document())), Value("", output_field=SearchVectorField()))

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    document = Func(
        Document(),
        *map(related_document, relations),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=SearchVectorField(),
    )
    # A record matches on its own document (the GIN index answers that), or
    # on its document joined with those of its relations; the latter can only
    # happen through a relation with some word of the query, which the
    # relations' indexes find, unless a word is negated ("-gwent").
    words = query_words(query)
    negated = any(word.startswith("-") for word in words)
    matches = Q(own_document=search_query)
    if relations and (negated or not words):
        matches = Q(search_document=search_query)
    elif relations:
        any_word = SearchQuery(words[0], search_type="plain", config=SEARCH_CONFIG)
        for word in words[1:]:
            any_word |= SearchQuery(word, search_type="plain", config=SEARCH_CONFIG)
        through_relations = Q()
        for relation in relations:
            through_relations |= related_ids(relation, Q(document=any_word))
        matches |= through_relations & Q(search_document=search_query)

    # Near misses on names, unless the query excludes words: then it is precise.
    for field in () if negated else name_fields:
        relation, _, name = field.rpartition("__")
        similar = Q(**{f"{name}__trigram_word_similar": query})
        matches |= related_ids(relation, similar) if relation else similar
    queryset = queryset.alias(own_document=Document(), search_document=document).filter(matches)
    queryset = queryset.annotate(search_rank=SearchRank(F("search_document"), search_query))
    if not name_fields:
        return queryset.order_by("-search_rank", "pk")
    similarities = [TrigramWordSimilarity(query, field) for field in name_fields]
    similarity = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    queryset = queryset.annotate(search_similarity=similarity)
    # Best first; an explicit ?ordering= applied afterwards replaces this.
    return queryset.order_by("-search_rank", "-search_similarity", "pk")


def set_trigram_threshold(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection: the similarity at which the trigram
    index counts a name as a near miss (connection_created receiver)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.word_similarity_threshold = %s", [TRIGRAM_THRESHOLD])


def search_document_migration(table: str, fields: tuple[str, ...], trigram_on: str = "") -> migrations.RunPython:
    """A migration operation giving `table` its stored `search_document` over
    `fields`, with a GIN index, and a trigram index on the name `trigram_on`;
    on PostgreSQL only (SQLite searches the fields themselves)."""
    text = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
    forward = [
        f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text})) STORED",
        f"CREATE INDEX {table}_{DOCUMENT_COLUMN} ON {table} USING gin ({DOCUMENT_COLUMN})",
    ]
    backward = [f"ALTER TABLE {table} DROP COLUMN {DOCUMENT_COLUMN}"]
    if trigram_on:
        forward.append(f"CREATE INDEX {table}_{trigram_on}_trigram ON {table} USING gin ({trigram_on} gin_trgm_ops)")
        backward.append(f"DROP INDEX {table}_{trigram_on}_trigram")

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward), elidable=False)


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
