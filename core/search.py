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

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, migrations
from django.db.models import BooleanField, Expression, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.constants import LOOKUP_SEP
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
# The longest query searched for, in characters: each word is a condition (on
# SQLite a nested one, "Expression tree is too large" past some hundreds; on
# PostgreSQL a text search term), so a query is bounded like any other input.
# Each FilterSet's `search` refuses a longer one (400); the /search/ page cuts
# its query at this length (`sitewide.forms.SearchForm.max_length`).
SEARCH_MAX_LENGTH = 200


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


# The publication rule along relations. A row is matched, filtered or counted
# through the records it reaches (a deployment through its tool and force, a
# tool through its deployments and their forces, its supplier), and those may be
# drafts: search, the FilterSets' filters (`core.filters.through_published`) and
# the facet counts follow them only through what the public may see, by these.
# Each model states its own rule (`published()`, `published_condition(prefix)`).


def public_rows(model) -> QuerySet:
    """The rows of `model` the public may see: its `published()`, or every row of
    a model without a publication rule (a vocabulary: exemptions, categories asked)."""
    manager = model._default_manager
    return manager.published() if hasattr(manager, "published") else manager.all()


def relation_field(model, name: str):
    """The field `name` of `model` when it is a relation (to one or to many), else None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.is_relation else None


def _published_paths(model) -> tuple[str, ...]:
    """The records (as path prefixes, "" the row itself) that must be published
    for a row of `model` to be: what its `published()` checks."""
    return getattr(model._default_manager.get_queryset(), "published_paths", ())


def publication_rule(model, path: str) -> Q:
    """The publication rule of every record `path` ("deployments__force__slug")
    reaches from a row of `model`, as a condition on that row: each one's
    `published_condition(prefix)`. Given in the same `filter()` as a lookup on the
    path, it holds for the same related rows, to many as to one.

    The row's own rule is its queryset's (`published()` for the public), and so
    are the records that rule already requires (`published_paths`: a deployment's
    force and tool): only the others are added here."""
    covered = set(_published_paths(model))
    condition = Q()
    prefix = ""
    for name in path.split(LOOKUP_SEP):
        field = relation_field(model, name)
        if field is None:
            break
        model, prefix = field.related_model, f"{prefix}{name}{LOOKUP_SEP}"
        if prefix in covered:
            continue
        covered.update(f"{prefix}{own}" for own in _published_paths(model))
        manager = model._default_manager
        if hasattr(manager, "published_condition"):
            condition &= manager.published_condition(prefix)
        elif hasattr(manager, "published"):
            condition &= Q(**{f"{prefix}pk__in": manager.published().values("pk")})
    return condition


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
    # Cut, should a caller not have checked the length (the FilterSets refuse longer).
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return queryset
    name_fields = fields[:1] if name_fields is None else name_fields
    if uses_postgres():
        return _postgres_search(queryset, query, fields, name_fields)
    return _plain_search(queryset, query, fields)


def _plain_search(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    # A word names a row through a record it reaches only when the public may see that record.
    rules = {field: publication_rule(queryset.model, field) for field in fields}
    for word in query_words(query) or [query]:
        # "-gwent" leaves out what names Gwent, as websearch syntax does on PostgreSQL.
        negated = word.startswith("-") and len(word) > 1
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word[1:] if negated else word}) & rules[field]
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

    # Only records the public may see lend a row their words (a published tool's draft supplier does not).
    def related_rows(relation: str) -> QuerySet:
        return public_rows(related_models[relation]).order_by().alias(document=Document())

    def related_ids(relation: str, condition: Q) -> InArray:
        return InArray(F(f"{relation}_id"), ArraySubquery(related_rows(relation).filter(condition).values("pk")))

    def related_document(relation: str) -> Coalesce:
        document = public_rows(related_models[relation]).order_by().filter(pk=OuterRef(f"{relation}_id"))
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
