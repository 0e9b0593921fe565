"""Full-text search over register records, on each database's own engine.

On SQLite: FTS5. Each searchable table has an FTS5 table, `<table>_fts`,
holding its own fields and the fields of the records its publication already
requires (a deployment's tool and force: a deployment is public only with
both), so that "Gwent hotspot" finds Gwent's hotspot deployments through one
index. The FTS table keeps its own copy of the text: such a row holds words of
three tables, which no single table could serve as external content, and a
contentless one can only forget a row given the very words it indexed, which
a related record deleted or renamed first no longer gives (the index is then
corrupt: "database disk image is malformed"). Triggers
created by `full_text_migration` keep it in step with every insert, update,
deletion and renaming of a related record. Results are ranked by bm25.

On PostgreSQL: each searchable table carries its own fields' text search
document as a stored generated column, `search_document`, with a GIN index
(added by `search_document_migration`, PostgreSQL only, so the models do not
declare it). A record's document for a query is its own joined with those of
the records its `fields` reach (a deployment's tool and force). Joining
documents for every row would read every row; the indexes first find the rows
whose own document matches and the rows pointing to a record with a word of
the query. Ranked by SearchRank.

On both, a field reaching a record the row's publication does not require (a
tool's supplier, which may still be a draft) is matched word by word through
that record's own index, and only when the public may see it.

Typo tolerance, one rule on both databases (`allowed_edits`, `edit_distance`):
a word of the query absent from the vocabulary is replaced by the vocabulary's
words within one edit of it, two for words of eight letters or more (an edit:
inserting, deleting or substituting a letter, or swapping two adjacent ones),
kept only when they find a record the search may show (so a correction never
names a draft's word). The vocabulary is the table `search_word`, the words of
every searchable field, added by triggers on each write (`full_text_migration`)
and never removed: a word gone from the records finds nothing, and is dropped
by that check.

The backend is chosen by `connection.vendor`, here and only here. Each
FilterSet's `search` filter and the /search/ page go through `search()`.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, migrations
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
DOCUMENT_COLUMN = "search_document"
# The longest query searched for, in characters: each word is a condition (on
# SQLite a nested one, "Expression tree is too large" past some hundreds; on
# PostgreSQL a text search term), so a query is bounded like any other input.
# Each FilterSet's `search` refuses a longer one (400); the /search/ page cuts
# its query at this length (`sitewide.forms.SearchForm.max_length`).
SEARCH_MAX_LENGTH = 200
# The vocabulary, one row per word (lower case, without accents on SQLite).
WORD_TABLE = "search_word"
# A word nearly every record holds ("information") must not cost a rank for
# every record: the newest RANKED_CANDIDATES matches are ranked by bm25 and
# come first, the others follow newest first.
RANKED_CANDIDATES = 500
# At most this many corrections replace one misspelt word (the nearest first).
MOST_CORRECTIONS = 5
# SQLite's FTS5 tokenizer: letters and digits, case and accents folded.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


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


# Typo tolerance: the rule, the same on both databases.


def allowed_edits(word: str) -> int:
    """How many edits a misspelt `word` may be from a word of the vocabulary:
    two for words of eight letters or more, one for words of four to seven,
    none for shorter words or words with a digit ("2019" is no typo of "2018";
    a three-letter word is one edit from too many others). Words with a digit
    are not in the vocabulary either: never a correction."""
    if len(word) < 4 or any(character.isdigit() for character in word):
        return 0
    return 2 if len(word) >= 8 else 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """The optimal string alignment distance between `a` and `b` (Damerau:
    insertions, deletions, substitutions and transpositions of adjacent letters,
    no substring edited twice), or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def nearest_words(word: str, vocabulary) -> list[str]:
    """The words of `vocabulary` within `allowed_edits(word)` of `word`, nearest
    first (then alphabetically), at most MOST_CORRECTIONS."""
    limit = allowed_edits(word)
    if not limit:
        return []
    letters = set(word)
    found = []
    for candidate in vocabulary:
        # An edit changes at most two of the letters used: a cheap test first.
        if candidate == word or len(letters ^ set(candidate)) > 2 * limit:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            found.append((distance, candidate))
    return [candidate for _, candidate in sorted(found)[:MOST_CORRECTIONS]]


def fold(token: str) -> str:
    """A token as the indexes hold it: lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def tokens(word: str) -> list[str]:
    """The tokens of a word as the indexes cut them: runs of letters and digits."""
    return [fold(token) for token in re.findall(r"[^\W_]+", word)]


def _known_words(candidates: set[str]) -> set[str]:
    placeholders = ", ".join(["%s"] * len(candidates))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORD_TABLE} WHERE word IN ({placeholders})", sorted(candidates))
        return {row[0] for row in cursor.fetchall()}


def _words_of_length(shortest: int, longest: int) -> list[str]:
    """The vocabulary's words of these lengths, without digits (never a correction)."""
    no_digit = "word !~ '[0-9]'" if uses_postgres() else "word NOT GLOB '*[0-9]*'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {WORD_TABLE} WHERE length(word) BETWEEN %s AND %s AND {no_digit}", [shortest, longest]
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class Term:
    """A word of the query: its alternatives (each a phrase of tokens), any of
    which a record must hold, or none of them when the word is negated."""

    alternatives: tuple[str, ...]
    negated: bool = False


def parse(query: str) -> list[Term]:
    """The query's words as terms, each a phrase of its tokens ("855A/22": "855a 22")."""
    terms = []
    for word in query_words(query):
        negated = word.startswith("-") and len(word) > 1
        phrase = " ".join(tokens(word[1:] if negated else word))
        if phrase:
            terms.append(Term((phrase,), negated))
    return terms


def corrected(terms: list[Term], finds) -> tuple[list[Term], dict[str, list[str]]]:
    """The terms with each token absent from the vocabulary replaced by its
    nearest words that `finds(word)` (a record the search may show holds it),
    and the corrections made: {typed token: [words searched instead]}."""
    correctable = {token for term in terms for token in term.alternatives[0].split() if allowed_edits(token)}
    if not correctable:
        return terms, {}
    misspelt = correctable - _known_words(correctable)
    corrections = {}
    for token in sorted(misspelt):
        limit = allowed_edits(token)
        vocabulary = _words_of_length(len(token) - limit, len(token) + limit)
        words = [word for word in nearest_words(token, vocabulary) if finds(word)]
        if words:
            corrections[token] = words
    if not corrections:
        return terms, {}
    result = []
    for term in terms:
        parts = term.alternatives[0].split()
        if not any(part in corrections for part in parts):
            result.append(term)
            continue
        # A phrase with a corrected token becomes one term per token.
        for part in parts:
            result.append(Term(tuple(corrections.get(part, [part])), term.negated))
    return result, corrections


def search(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    """Records of `queryset` matching `query` in any of `fields`, best first (see `corrected_search`)."""
    return corrected_search(queryset, query, fields)[0]


def corrected_search(queryset: QuerySet, query: str, fields: tuple[str, ...]) -> tuple[QuerySet, dict[str, list[str]]]:
    """Records of `queryset` matching every word of `query` (none of the words
    marked with a minus, "-gwent") in any of `fields`, best first, and the
    corrections of misspelt words searched instead ({typed: [words]}).

    `fields` are the record's own fields and those of records it points to
    (`tool__name`). An explicit ordering applied afterwards replaces the rank.
    """
    # Cut, should a caller not have checked the length (the FilterSets refuse longer).
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return queryset, {}
    terms = parse(query)
    if not terms:
        return queryset.none(), {}  # no letter or digit: nothing to find ("!!!")
    run = _postgres_search if uses_postgres() else _sqlite_search

    def finds(word: str) -> bool:
        return run(queryset, [Term((word,))], fields, query="").exists()

    terms, corrections = corrected(terms, finds)
    return run(queryset, terms, fields, query="" if corrections else query), corrections


# SQLite: FTS5.


def fts_table(model) -> str:
    return f"{model._meta.db_table}_fts"


def _indexed_with_row(model, field: str) -> bool:
    """Whether `field` ("tool__name") is a column of the row's own FTS table:
    its own field, or one of a record its publication requires."""
    relation, _, _ = field.rpartition(LOOKUP_SEP)
    return not relation or f"{relation}{LOOKUP_SEP}" in _published_paths(model)


def fts_expression(columns: list[str], term: Term) -> str:
    """An FTS5 query: any of the term's phrases in any of `columns`."""
    phrases = " OR ".join(f'"{phrase}"' for phrase in term.alternatives)
    return f"{{{' '.join(columns)}}} : ({phrases})"


def _fts_rows(table: str, expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])


def _sqlite_search(queryset: QuerySet, terms: list[Term], fields: tuple[str, ...], query: str = "") -> QuerySet:
    model = queryset.model
    own = [field for field in fields if _indexed_with_row(model, field)]
    through: dict[str, list[str]] = {}
    for field in fields:
        if field not in own:
            relation, _, name = field.rpartition(LOOKUP_SEP)
            through.setdefault(relation, []).append(name)
    table = fts_table(model)
    positive = [term for term in terms if not term.negated]
    negated = [term for term in terms if term.negated]
    if not through:
        # One FTS query for the whole search.
        matching = " AND ".join(f"({fts_expression(own, term)})" for term in positive)
        excluded = " OR ".join(f"({fts_expression(own, term)})" for term in negated)
        if matching and excluded:
            queryset = queryset.filter(pk__in=_fts_rows(table, f"({matching}) NOT ({excluded})"))
        elif matching:
            queryset = queryset.filter(pk__in=_fts_rows(table, matching))
        elif excluded:
            queryset = queryset.exclude(pk__in=_fts_rows(table, excluded))
    else:
        # A word may be in the row's own index or in a related record's, if the public may see it.
        for term in terms:
            condition = Q(pk__in=_fts_rows(table, fts_expression(own, term))) if own else Q(pk__in=[])
            for relation, names in through.items():
                related = relation_field(model, relation).related_model
                in_related = Q(**{f"{relation}__in": _fts_rows(fts_table(related), fts_expression(names, term))})
                condition |= in_related & publication_rule(model, f"{relation}{LOOKUP_SEP}{names[0]}")
            queryset = queryset.exclude(condition) if term.negated else queryset.filter(condition)
    if not (own and positive):
        return queryset.order_by("pk")
    # bm25 (lower is better) of the newest RANKED_CANDIDATES matches of the row's own index.
    ranked = " AND ".join(f"({fts_expression(own, term)})" for term in positive)
    rank = RawSQL(
        f"SELECT -candidate.score FROM (SELECT rowid AS id, bm25({table}) AS score FROM {table} "
        f"WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT {RANKED_CANDIDATES}) AS candidate "
        f'WHERE candidate.id = "{model._meta.db_table}"."{model._meta.pk.column}"',
        [ranked],
        output_field=FloatField(),
    )
    queryset = queryset.annotate(search_rank=Coalesce(rank, Value(0.0)))
    return queryset.order_by("-search_rank", "-pk")


# PostgreSQL: text search documents.


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


def _postgres_search(queryset: QuerySet, terms: list[Term], fields: tuple[str, ...], query: str = "") -> QuerySet:
    """`query` is the query as typed (websearch syntax: quoted phrases), or "" to search `terms` only."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

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

    def plain(phrase: str) -> SearchQuery:
        return SearchQuery(phrase, search_type="plain", config=SEARCH_CONFIG)

    def any_of(phrases) -> SearchQuery:
        phrases = list(phrases)
        combined = plain(phrases[0])
        for phrase in phrases[1:]:
            combined |= plain(phrase)
        return combined

    if query:
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    else:
        search_query = None
        for term in terms:
            part = ~any_of(term.alternatives) if term.negated else any_of(term.alternatives)
            search_query = part if search_query is None else search_query & part
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
    positive = [phrase for term in terms if not term.negated for phrase in term.alternatives]
    matches = Q(own_document=search_query)
    if relations and (len(positive) < len(terms) or not positive):
        matches = Q(search_document=search_query)
    elif relations:
        through_relations = Q()
        for relation in relations:
            through_relations |= related_ids(relation, Q(document=any_of(positive)))
        matches |= through_relations & Q(search_document=search_query)
    queryset = queryset.alias(own_document=Document(), search_document=document).filter(matches)
    # Ranked: the newest RANKED_CANDIDATES matches (a rank reads a whole document).
    candidates = ArraySubquery(queryset.order_by("-pk").values("pk")[:RANKED_CANDIDATES])
    rank = SearchRank(F("search_document"), search_query)
    queryset = queryset.annotate(
        search_rank=Case(When(InArray(F("pk"), candidates), then=rank), default=Value(0.0), output_field=FloatField())
    )
    # Best first; an explicit ?ordering= applied afterwards replaces this.
    return queryset.order_by("-search_rank", "-pk")


# Migrations: the indexes and the triggers keeping them in step.


def _on(vendor: str, forward: list[str], backward: list[str]) -> migrations.RunPython:
    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == vendor:
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward), elidable=False)


def search_document_migration(table: str, fields: tuple[str, ...], trigram_on: str = "") -> migrations.RunPython:
    """A migration operation giving `table` its stored `search_document` over
    `fields`, with a GIN index, and a trigram index on the name `trigram_on`;
    on PostgreSQL only."""
    text = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
    forward = [
        f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text})) STORED",
        f"CREATE INDEX {table}_{DOCUMENT_COLUMN} ON {table} USING gin ({DOCUMENT_COLUMN})",
    ]
    backward = [f"ALTER TABLE {table} DROP COLUMN {DOCUMENT_COLUMN}"]
    if trigram_on:
        forward.append(f"CREATE INDEX {table}_{trigram_on}_trigram ON {table} USING gin ({trigram_on} gin_trgm_ops)")
        backward.append(f"DROP INDEX IF EXISTS {table}_{trigram_on}_trigram")
    return _on("postgresql", forward, backward)


def word_table_migration() -> list[migrations.RunPython]:
    """Operations creating the vocabulary `search_word` on both databases, and on
    SQLite the one-row FTS5 table whose fts5vocab cuts a record's text into words
    exactly as the indexes do (`full_text_migration` fills it)."""
    table = f"CREATE TABLE {WORD_TABLE} (word TEXT PRIMARY KEY)"
    by_length = f"CREATE INDEX {WORD_TABLE}_by_length ON {WORD_TABLE} (length(word))"
    sqlite = [
        f"{table} WITHOUT ROWID",
        by_length,
        f"CREATE VIRTUAL TABLE {WORD_TABLE}_stage USING fts5(text, content='', tokenize='{FTS_TOKENIZER}')",
        f"CREATE VIRTUAL TABLE {WORD_TABLE}_stage_vocab USING fts5vocab({WORD_TABLE}_stage, 'row')",
    ]
    sqlite_back = [
        f"DROP TABLE {WORD_TABLE}_stage_vocab",
        f"DROP TABLE {WORD_TABLE}_stage",
        f"DROP TABLE {WORD_TABLE}",
    ]
    return [
        _on("sqlite", sqlite, sqlite_back),
        _on("postgresql", [table, by_length], [f"DROP TABLE {WORD_TABLE}"]),
    ]


@dataclass(frozen=True)
class FullTextIndex:
    """SQLite: the FTS5 table `<table>_fts` over the fields `own` and, for each
    relation of `related` ({"tool": ("register_tool", ("name",))}), that record's
    fields as columns "tool__name"; the triggers keeping it and the vocabulary in step."""

    table: str
    own: tuple[str, ...]
    related: tuple[tuple[str, str, tuple[str, ...]], ...]  # (relation, its table, its fields)

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def names(self) -> str:
        return ", ".join([*self.own, *(f"{relation}__{name}" for relation, _, names in self.related for name in names)])

    def values(self, row: str, renamed: str = "", renamed_row: str = "") -> str:
        """The FTS columns of `row` (new, r); the relation `renamed` from `renamed_row`."""
        parts = [f"{row}.{field}" for field in self.own]
        for relation, related_table, names in self.related:
            for name in names:
                if relation == renamed:
                    parts.append(f"{renamed_row}.{name}")
                else:
                    parts.append(f"(SELECT {name} FROM {related_table} WHERE id = {row}.{relation}_id)")
        return ", ".join(parts)

    def create(self) -> list[str]:
        return [f"CREATE VIRTUAL TABLE {self.fts} USING fts5({self.names}, tokenize='{FTS_TOKENIZER}')"]

    def fill(self) -> list[str]:
        """Index every row again, and add the words to the vocabulary."""
        fts = self.fts
        return [
            f"DELETE FROM {fts}",
            f"INSERT INTO {fts}(rowid, {self.names}) SELECT r.id, {self.values('r')} FROM {self.table} AS r",
            f"CREATE VIRTUAL TABLE temp.{fts}_vocab USING fts5vocab(main, {fts}, 'row')",
            f"INSERT OR IGNORE INTO {WORD_TABLE}(word) SELECT term FROM temp.{fts}_vocab WHERE term NOT GLOB '*[0-9]*'",
            f"DROP TABLE temp.{fts}_vocab",
        ]

    def triggers(self) -> list[str]:
        fts, names = self.fts, self.names
        own_text = " || ' ' || ".join(f"coalesce(new.{field}, '')" for field in self.own)
        words = (
            f"INSERT INTO {WORD_TABLE}_stage(text) VALUES ({own_text}); "
            f"INSERT OR IGNORE INTO {WORD_TABLE}(word) SELECT term FROM {WORD_TABLE}_stage_vocab "
            "WHERE term NOT GLOB '*[0-9]*'; "
            f"INSERT INTO {WORD_TABLE}_stage({WORD_TABLE}_stage) VALUES ('delete-all');"
        )
        insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {self.values('new')});"
        delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
        watched = ["id", *self.own, *(f"{relation}_id" for relation, _, _ in self.related)]
        changed = " OR ".join(f"old.{field} IS NOT new.{field}" for field in watched)
        statements = [
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {self.table} BEGIN {insert} {words} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {self.table} BEGIN {delete} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {self.table} WHEN {changed} "
            f"BEGIN {delete} {insert} {words} END",
        ]
        for relation, related_table, related_names in self.related:
            renamed = " OR ".join(f"old.{name} IS NOT new.{name}" for name in related_names)
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_{relation}_renamed AFTER UPDATE ON {related_table} "
                f"WHEN {renamed} BEGIN "
                f"DELETE FROM {fts} WHERE rowid IN (SELECT id FROM {self.table} WHERE {relation}_id = old.id); "
                f"INSERT INTO {fts}(rowid, {names}) SELECT r.id, {self.values('r', relation, 'new')} "
                f"FROM {self.table} AS r WHERE r.{relation}_id = new.id; END"
            )
        return statements


# The SQLite indexes the migrations declared (filled as the migration loader reads them).
FULL_TEXT_INDEXES: dict[str, FullTextIndex] = {}


def full_text_migration(
    table: str, own: tuple[str, ...], related: dict[str, tuple[str, tuple[str, ...]]] | None = None
) -> list[migrations.RunPython]:
    """Operations indexing `table` for search: on SQLite its FTS5 table (see
    `FullTextIndex`); on PostgreSQL, triggers adding the
    words of `own` to the vocabulary. On SQLite the triggers are installed after
    every `migrate` (`install_full_text_triggers`), never during one: Django
    rebuilds a table to alter it there, which drops the triggers on it and fails
    on a trigger elsewhere that names it."""
    index = FullTextIndex(table, own, tuple((relation, *spec) for relation, spec in (related or {}).items()))
    FULL_TEXT_INDEXES[table] = index
    sqlite = index.create()  # filled after the migrations, with its triggers
    sqlite_back = [f"DROP TRIGGER IF EXISTS {trigger}" for trigger in _trigger_names(index)]
    sqlite_back.append(f"DROP TABLE {index.fts}")

    # PostgreSQL: the words of each statement's new rows, in one pass (bulk inserts stay fast).
    function = f"{table}_search_words"
    text = ", ".join(f"new_rows.{field}" for field in own)
    postgres = [
        f"INSERT INTO {WORD_TABLE}(word) SELECT DISTINCT word FROM {table} AS new_rows, "
        f"unnest(tsvector_to_array(to_tsvector('simple', concat_ws(' ', {text})))) AS word "
        "WHERE word !~ '[0-9]' ON CONFLICT DO NOTHING",
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {WORD_TABLE}(word) SELECT DISTINCT word FROM new_rows, "
        f"unnest(tsvector_to_array(to_tsvector('simple', concat_ws(' ', {text})))) AS word "
        "WHERE word !~ '[0-9]' ON CONFLICT DO NOTHING; "
        f"RETURN NULL; END $$",
        f"CREATE TRIGGER {function}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]
    postgres_back = [
        f"DROP TRIGGER {function}_insert ON {table}",
        f"DROP TRIGGER {function}_update ON {table}",
        f"DROP FUNCTION {function}()",
    ]
    return [_on("sqlite", sqlite, sqlite_back), _on("postgresql", postgres, postgres_back)]


def _trigger_names(index: FullTextIndex) -> list[str]:
    events = ["insert", "delete", "update", *(f"{relation}_renamed" for relation, _, _ in index.related)]
    return [f"{index.fts}_{event}" for event in events]


def _once_per_migrate(sender) -> bool:
    """Migrate signals come once per app: act on the last app's only."""
    from django.apps import apps

    return sender is [config for config in apps.get_app_configs() if config.models_module][-1]


def drop_full_text_triggers(sender, using="default", **kwargs) -> None:
    """Before `migrate` on SQLite (pre_migrate receiver): no trigger of an FTS
    table may stand in the way of Django rebuilding a table."""
    from django.db import connections

    if connections[using].vendor != "sqlite" or not _once_per_migrate(sender):
        return
    with connections[using].cursor() as cursor:
        for index in FULL_TEXT_INDEXES.values():
            for trigger in _trigger_names(index):
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def install_full_text_triggers(sender, using="default", plan=None, **kwargs) -> None:
    """After `migrate` on SQLite (post_migrate receiver): the FTS tables filled
    again when migrations ran (their rows may have changed meanwhile), and their
    triggers installed."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or not _once_per_migrate(sender):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
        for index in FULL_TEXT_INDEXES.values():
            if index.fts not in tables:
                continue
            for statement in [*(index.fill() if plan else []), *index.triggers()]:
                cursor.execute(statement)


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
