"""A large, clearly synthetic register for measuring performance.

At scale N it holds the 48 real forces and N × (200 tools, 2,000 deployments,
4,000 assessments, 10,000 FOI requests, 20,000 evidence links), with the skew
real data has: a few tools used by many forces and most by one; a few forces
receiving many requests. Every synthetic name starts with "Synthetic" and every
slug and reference with "syn", and the generator refuses to write into a
database holding real facts, so synthetic data never mixes with the register.

Speed (scale 100 is about 15 million rows): rows are written as tuples, not model
instances (`Rows`), by COPY on PostgreSQL from a thread of their own (`Writer`), the
tables' plain indexes and foreign keys set aside and made again at the end, all in
one transaction. What save() would keep in step (an answer's source, deadlines,
quote places) is computed by the same functions save() and clean() use.
"""

import datetime
import functools
import itertools
import queue
import random
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.caching import bump_data_version
from core.quotes import locate_quote
from register.models import (
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    FoiAct,
    Force,
    Origin,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    Source,
    SourceKind,
    Supplier,
    Technique,
    Tool,
    ToolCategory,
)

from .deadlines import due_date, working_days_between
from .models import CategoryAsked, Exemption, FoiOutcome, FoiRequest
from .outcomes import request_outcome

PREFIX = "syn"
BATCH = 5_000
SENTENCE_END = re.compile(r"(?<=\.)\s+")

PER_SCALE = {"tools": 200, "deployments": 2_000, "assessments": 4_000, "foi_requests": 10_000, "evidence": 20_000}

# The register's own terms, used in names and titles.
WORDS = [
    "predictive",
    "mapping",
    "risk",
    "score",
    "knife",
    "crime",
    "violence",
    "offender",
    "harm",
    "dashboard",
    "intelligence",
    "tasking",
    "patrol",
    "hotspot",
    "gang",
    "matrix",
    "custody",
    "vulnerability",
    "safeguarding",
    "exploitation",
    "burglary",
    "retail",
    "facial",
    "recognition",
    "fingerprint",
    "number",
    "plate",
    "network",
    "analysis",
    "solvability",
    "demand",
    "forecast",
]

# Words any FOI letter uses, most frequent first.
COMMON_WORDS = [
    "information",
    "request",
    "police",
    "force",
    "please",
    "provide",
    "data",
    "held",
    "system",
    "used",
    "whether",
    "any",
    "number",
    "officers",
    "years",
    "details",
    "records",
    "policy",
    "copy",
    "including",
    "software",
    "process",
    "decision",
    "assessment",
    "documents",
    "contract",
    "supplier",
    "cost",
    "training",
    "review",
    "staff",
    "public",
    "department",
    "freedom",
    "act",
    "section",
    "exemption",
    "response",
    "question",
    "use",
    "time",
    "period",
    "date",
    "current",
    "previous",
    "confirm",
    "regarding",
]


def vocabulary(size: int = 1_500) -> list[str]:
    """Words ranked by frequency, as texts use them: the common words, then
    the register's terms spread through a long tail of made-up words (real
    texts have thousands of words, so any one term is in few of them)."""
    syllables = ["ba", "ker", "lo", "min", "dra", "vel", "to", "sen", "qua", "rix", "po", "lan", "tur", "mé", "gor"]
    rng = random.Random(0)
    made_up = iter(
        dict.fromkeys("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size * 2))
    )
    tail = [next(made_up) for _ in range(size - len(COMMON_WORDS) - len(WORDS))]
    step = len(tail) // len(WORDS)
    for position, word in enumerate(WORDS):
        tail.insert(position * (step + 1), word)
    return COMMON_WORDS + tail


VOCABULARY = vocabulary()
# Zipf's law: the word of rank r is used in proportion to 1 / r.
VOCABULARY_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


# The exemptions forces cite most, with their subsections: the refusals to confirm or deny
# apart from the refusals to disclose. A vocabulary of the law, not facts: made where missing.
EXEMPTIONS = {
    FoiAct.FOIA: {
        QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: [
            ("31(3)", "Law enforcement: duty to confirm or deny"),
            ("24(2)", "National security: duty to confirm or deny"),
            ("30(3)", "Investigations: duty to confirm or deny"),
        ],
        QuestionOutcome.EXEMPT: [
            ("12(1)", "Cost of compliance exceeds the appropriate limit"),
            ("31(1)(a)", "Law enforcement: prevention or detection of crime"),
            ("40(2)", "Personal information"),
            ("43(2)", "Commercial interests"),
        ],
    },
    FoiAct.FOISA: {
        QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: [("18(1)", "Neither confirm nor deny")],
        QuestionOutcome.EXEMPT: [
            ("12(1)", "Excessive cost of compliance"),
            ("35(1)(a)", "Law enforcement: prevention or detection of crime"),
            ("38(1)(b)", "Personal information"),
        ],
    },
}
ANSWERS = {
    QuestionOutcome.NOT_HELD: "The information is not held.",
    QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: "The force neither confirms nor denies that it holds the information.",
    QuestionOutcome.EXEMPT: "The information is exempt from disclosure and withheld.",
    QuestionOutcome.NOT_ANSWERED: "",
}
QUESTIONS_PER_REQUEST = ([1, 2, 3, 4, 5], [25, 30, 25, 12, 8])


class SyntheticDataError(Exception):
    """The database is not fit for synthetic data; nothing has been written."""


@dataclass(frozen=True)
class Plan:
    scale: int

    def count(self, kind: str) -> int:
        return PER_SCALE[kind] * self.scale


def skewed_counts(items: int, total: int, cap: int) -> list[int]:
    """How many times each of `items` ranked items is used, summing to `total`,
    each between 1 and `cap`, falling off like a power law with rank."""
    if not items <= total <= items * cap:
        raise SyntheticDataError(f"cannot spread {total} uses over {items} items with at most {cap} each")

    def counts(exponent: float) -> list[int]:
        return [max(1, min(cap, round(cap / (rank**exponent)))) for rank in range(1, items + 1)]

    low, high = 0.0, 10.0  # a larger exponent gives a steeper fall and a smaller sum
    for _ in range(60):
        middle = (low + high) / 2
        if sum(counts(middle)) > total:
            low = middle
        else:
            high = middle
    result = counts(high)
    # Rounding leaves the sum a little off: adjust the most used items first,
    # keeping each between 1 and the cap.
    step = 1 if sum(result) < total else -1
    rank = 0
    while sum(result) != total:
        if 1 <= result[rank] + step <= cap:
            result[rank] += step
        rank = (rank + 1) % items
    return result


def sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=VOCABULARY_WEIGHTS, k=words)).capitalize() + "."


def partial_date(rng: random.Random) -> str | None:
    year = rng.randint(2008, 2025)
    precision = rng.random()
    if precision < 0.2:
        return None
    if precision < 0.45:
        return f"{year}"
    if precision < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def question_outcomes(rng: random.Random, outcome: str, count: int) -> list[str]:
    """How each of a request's `count` questions was answered, so that the request's outcome
    follows from them (`request_outcome`): all disclosed for "information provided", some
    information beside a refusal or a "not held" for "partially provided", and so on; none
    answered while a response is awaited, or the request was withdrawn or is under review."""
    q = QuestionOutcome
    if outcome == FoiOutcome.SUCCESSFUL:
        outcomes = [q.DISCLOSED] * count
    elif outcome == FoiOutcome.PARTIALLY_SUCCESSFUL:
        outcomes = [rng.choice([q.DISCLOSED, q.PARTLY_DISCLOSED])]
        others = [q.DISCLOSED, q.PARTLY_DISCLOSED, q.NOT_HELD, q.NEITHER_CONFIRM_NOR_DENY, q.EXEMPT, q.NOT_ANSWERED]
        outcomes += rng.choices(others, weights=[30, 10, 20, 15, 20, 5], k=count - 1)
        if set(outcomes) == {q.DISCLOSED}:
            outcomes[-1] = q.PARTLY_DISCLOSED if count == 1 else rng.choice(others[2:5])
    elif outcome == FoiOutcome.REFUSED:
        outcomes = [q.EXEMPT, *rng.choices([q.EXEMPT, q.NEITHER_CONFIRM_NOR_DENY, q.NOT_HELD], k=count - 1)]
    elif outcome == FoiOutcome.NOT_HELD:
        outcomes = [q.NOT_HELD] * count
    elif outcome == FoiOutcome.NEITHER_CONFIRM_NOR_DENY:
        outcomes = [q.NEITHER_CONFIRM_NOR_DENY] * count
    else:
        outcomes = [q.NOT_ANSWERED] * count
    rng.shuffle(outcomes)
    if request_outcome(outcomes, outcome) != outcome:
        raise SyntheticDataError(f"questions answered {outcomes} do not give the outcome {outcome}")
    return outcomes


def common_exemptions() -> dict[tuple[str, str], list[int]]:
    """The ids of the common exemptions, by act and kind of refusal; made where missing."""
    ids = {}
    for act, by_outcome in EXEMPTIONS.items():
        for outcome, sections in by_outcome.items():
            ids[act, outcome] = [
                Exemption.objects.get_or_create(act=act, section=section, defaults={"name": name})[0].pk
                for section, name in sections
            ]
    return ids


def write_questions(
    rng: random.Random,
    rows: "dict[str, Rows]",
    request_id: int,
    source_id: int,
    outcome: str,
    exemption_ids: dict[str, list[int]],
    pools: tuple[list[str], list[str]],
) -> None:
    """One synthetic request's questions: their outcomes agreeing with the request's, the kinds of
    tool and safeguard they ask about, the exemptions their answers cite (`exemption_ids`: those of
    the request's act, by kind of refusal); the request's categories asked and exemptions are theirs."""
    texts, answers = pools
    count = rng.choices(*QUESTIONS_PER_REQUEST)[0]
    covered = rng.sample(ToolCategory.values, rng.randint(1, 3))
    cited_by_request = set()
    for number, answered in enumerate(question_outcomes(rng, outcome, count), start=1):
        # Each kind of tool the request covered is asked about by some question.
        kinds = {covered[(number - 1) % len(covered)], *(covered[count:] if number == count else ())}
        safeguards = rng.sample(SAFEGUARD_KINDS, rng.choices([0, 1, 2], weights=[50, 35, 15])[0])
        if answered in (QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, QuestionOutcome.EXEMPT):
            cited = [rng.choice(exemption_ids[answered])]
        elif answered == QuestionOutcome.PARTLY_DISCLOSED and rng.random() < 0.5:
            cited = [rng.choice(exemption_ids[QuestionOutcome.EXEMPT])]
        else:
            cited = []
        answer = rng.choice(answers) if answered in RESULT_GIVEN else ANSWERS[answered]
        question_id = rows["questions"].add(source_id, str(number), rng.choice(texts), answer, answered)
        for kind in sorted(kinds):
            rows["question_categories"].add(question_id, kind)
        for kind in safeguards:
            rows["question_safeguards"].add(question_id, kind)
        for exemption_id in cited:
            rows["question_exemptions"].add(question_id, exemption_id)
        cited_by_request.update(cited)
    # The request's own summary, as `FoiRequest.apply_questions` keeps it.
    for category in covered:
        rows["categories_asked"].add(request_id, category)
    for exemption_id in sorted(cited_by_request):
        rows["request_exemptions"].add(request_id, exemption_id)


RESULT_GIVEN = frozenset({QuestionOutcome.DISCLOSED, QuestionOutcome.PARTLY_DISCLOSED})


def check_database_is_synthetic() -> None:
    real_tools = Tool.objects.exclude(slug__startswith=f"{PREFIX}-").exists()
    real_requests = FoiRequest.objects.exclude(slug__startswith=f"{PREFIX}-").exists()
    if real_tools or real_requests:
        raise SyntheticDataError(
            "this database holds real register facts; generate synthetic data into a separate database "
            "(set DATABASE_URL to an empty one)"
        )


class Rows:
    """New rows of one table, written in batches by the fastest path the database has: COPY on
    PostgreSQL, executemany elsewhere. Each row gives the `columns` after its id, which is given
    here so that rows can name each other before they are written; the other columns take their
    field's default, as bulk_create would give them. Rows written this way fire the database's
    triggers and fill its generated columns like any insert, but send no Django signals."""

    def __init__(self, writer: "Writer", model, columns: list[str], progress: Callable[[int], None] | None = None):
        meta = model._meta
        self.model = model
        given = [meta.get_field(name) for name in ["id", *columns]]
        now = timezone.now()
        defaults = [
            field for field in meta.concrete_fields if field not in given and not getattr(field, "generated", False)
        ]
        self.table = connection.ops.quote_name(meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(field.column) for field in given + defaults)
        self.defaults = tuple(
            field.get_db_prep_save(
                now
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                else field.get_default(),
                connection,
            )
            for field in defaults
        )
        # Values a driver would not take as they are: dates on SQLite, the enum members of choices.
        self.adapters = [
            (index, adapter) for index, field in enumerate(given) if (adapter := self.adapter(field)) is not None
        ]
        self.next_id = (model._base_manager.aggregate(last=Max("pk"))["last"] or 0) + 1
        self.first_id = self.next_id
        self.writer = writer
        self.progress = progress
        self.batch: list[tuple] = []

    @staticmethod
    def adapter(field) -> Callable | None:
        if field.get_internal_type() == "DateField":
            return connection.ops.adapt_datefield_value
        if field.choices:
            return lambda value: value if value is None else str(value)
        return None

    @property
    def count(self) -> int:
        return self.next_id - self.first_id

    def add(self, *values) -> int:
        """Add a row (its columns after the id); return its id."""
        row_id = self.next_id
        self.next_id += 1
        row = [row_id, *values]
        for index, adapt in self.adapters:
            row[index] = adapt(row[index])
        self.batch.append((*row, *self.defaults))
        if len(self.batch) >= BATCH:
            self.flush()
        return row_id

    def flush(self) -> None:
        if not self.batch:
            return
        self.writer.write(self.table, self.columns, self.batch)
        if self.progress:
            self.progress(len(self.batch))
        self.batch = []


class Writer:
    """Writes the batches of every table in turn: on PostgreSQL by COPY, from a thread of its own on
    the same connection (so in the same transaction), so that Python builds the next batch while the
    database stores the last; elsewhere by executemany, as they come."""

    def __init__(self):
        self.copying = connection.vendor == "postgresql"
        self.error: Exception | None = None
        if self.copying:
            connection.ensure_connection()
            self.queue: queue.Queue = queue.Queue(maxsize=8)
            self.thread = threading.Thread(target=self.copy_batches, args=(connection.connection,), daemon=True)
            self.thread.start()

    def write(self, table: str, columns: str, batch: list[tuple]) -> None:
        if not self.copying:
            placeholders = ", ".join(["%s"] * len(batch[0]))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)
            return
        self.raise_error()
        self.queue.put((f"COPY {table} ({columns}) FROM STDIN", batch))

    def copy_batches(self, database) -> None:
        while (item := self.queue.get()) is not None:
            statement, batch = item
            if self.error is None:  # after an error the transaction is lost: the rest is dropped
                try:
                    with database.cursor() as cursor, cursor.copy(statement) as copy:
                        for row in batch:
                            copy.write_row(row)
                except Exception as error:  # raised in the main thread, by the next write or wait()
                    self.error = error
            self.queue.task_done()

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def wait(self) -> None:
        """Wait until every batch given is written."""
        if self.copying:
            self.queue.join()
        self.raise_error()

    def close(self) -> None:
        if self.copying:
            self.queue.put(None)
            self.thread.join()


# The tables written, in the order their rows are made.
WRITTEN_MODELS = [
    Supplier,
    Tool,
    Deployment,
    Assessment,
    Source,
    FoiRequest,
    Question,
    QuestionCategory,
    QuestionSafeguard,
    Exemption.questions.through,
    CategoryAsked,
    FoiRequest.exemptions.through,
    Evidence,
]


def set_aside_indexes_and_foreign_keys(models: list) -> list[str]:
    """On PostgreSQL, drop the tables' foreign keys and the indexes that enforce nothing (all but the
    primary keys and unique ones), and return the statements that make them again, the same: an
    index built once over all the rows, or a key checked by one join, costs far less than keeping
    them row by row (above all the text search (GIN) indexes and the deferred key checks)."""
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks pending after deleting, done now
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        keys = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return [definition for _, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition in keys
    ]


def restore(statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # an index cannot be built while checks are pending
        # More memory than the default for sorting, for this transaction only.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def delete_rows(queryset) -> None:
    """Delete the rows without loading them: synthetic rows were written without signals or
    history and go the same way (the database's constraints still apply)."""
    meta = queryset.model._meta
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    selected, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({selected})", params)


def delete_synthetic() -> None:
    """Remove earlier synthetic data, what points at a record before the record."""
    synthetic = f"{PREFIX}-"
    delete_rows(Evidence.objects.filter(source__slug__startswith=synthetic))
    for model in (QuestionCategory, QuestionSafeguard, Exemption.questions.through):
        delete_rows(model.objects.filter(question__source__slug__startswith=synthetic))
    delete_rows(Question.objects.filter(source__slug__startswith=synthetic))
    delete_rows(CategoryAsked.objects.filter(foi_request__slug__startswith=synthetic))
    delete_rows(FoiRequest.exemptions.through.objects.filter(foirequest__slug__startswith=synthetic))
    delete_rows(FoiRequest.objects.filter(slug__startswith=synthetic))
    # The requests' answers, which their post_delete signal would have removed.
    delete_rows(Source.objects.filter(slug__startswith=synthetic, kind=SourceKind.FOI_ANSWER))
    delete_rows(Assessment.objects.filter(deployment__tool__slug__startswith=synthetic))
    delete_rows(Deployment.objects.filter(tool__slug__startswith=synthetic))
    delete_rows(Tool.objects.filter(slug__startswith=synthetic))
    delete_rows(Supplier.objects.filter(slug__startswith=synthetic))


def generate(scale: int, *, seed: int = 2026, progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Replace any synthetic data with a fresh set at `scale`, in one transaction."""
    if scale < 1:
        raise SyntheticDataError("the scale must be a whole number of at least 1")
    check_database_is_synthetic()
    forces = list(Force.objects.order_by("pk"))
    if len(forces) < 2:
        raise SyntheticDataError("load the forces first: python manage.py load_seed_data")
    plan = Plan(scale)
    rng = random.Random(seed)
    with transaction.atomic():
        delete_synthetic()
        set_aside = set_aside_indexes_and_foreign_keys(WRITTEN_MODELS)
        writer = Writer()
        try:
            counts = write_all(writer, rng, plan, forces, progress)
            writer.wait()
        finally:
            writer.close()
        restore(set_aside)
        # Ids were given here, not by the database: its sequences move past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN_MODELS):
                cursor.execute(sql)
        transaction.on_commit(bump_data_version)  # rows written directly send no signals
    return counts


def write_all(
    writer: Writer, rng: random.Random, plan: Plan, forces: list[Force], progress: Callable[[int], None]
) -> dict[str, int]:
    """Every synthetic record, in order of need: each row names only rows made before it."""
    rows = {
        "suppliers": Rows(writer, Supplier, ["name", "slug", "is_published"], progress),
        "tools": Rows(
            writer,
            Tool,
            [
                "name",
                "slug",
                "category",
                "technique",
                "origin",
                "supplier_id",
                "description",
                "inputs",
                "outputs",
                "is_published",
            ],
            progress,
        ),
        "deployments": Rows(
            writer,
            Deployment,
            ["force_id", "tool_id", "started", "status", "purpose", "data_used", "scale", "is_published"],
            progress,
        ),
        "assessments": Rows(
            writer, Assessment, ["deployment_id", "kind", "result", "conducted", "is_published"], progress
        ),
        "sources": Rows(writer, Source, list(FoiRequest(slug=PREFIX).source_values())),
        "foi_requests": Rows(
            writer,
            FoiRequest,
            [
                "force_id",
                "reference",
                "slug",
                "title",
                "request_text",
                "response_text",
                "date_received",
                "date_responded",
                "due_date",
                "working_days_taken",
                "outcome",
                "is_published",
                "source_id",
            ],
            progress,
        ),
        "questions": Rows(writer, Question, ["source_id", "number", "text", "answer", "outcome"], progress),
        "question_categories": Rows(writer, QuestionCategory, ["question_id", "category"]),
        "question_safeguards": Rows(writer, QuestionSafeguard, ["question_id", "kind"]),
        "question_exemptions": Rows(writer, Exemption.questions.through, ["question_id", "exemption_id"]),
        "categories_asked": Rows(writer, CategoryAsked, ["foi_request_id", "category"]),
        "request_exemptions": Rows(writer, FoiRequest.exemptions.through, ["foirequest_id", "exemption_id"]),
        "evidence": Rows(
            writer,
            Evidence,
            [
                "source_id",
                "question_number",
                "quote",
                "quote_start",
                "quote_end",
                "quote_prefix",
                "quote_suffix",
                "field",
                "deployment_id",
                "assessment_id",
                "tool_id",
            ],
            progress,
        ),
    }

    supplier_ids = [
        rows["suppliers"].add(f"Synthetic Supplier {n:04d} Ltd", f"{PREFIX}-supplier-{n:04d}", True)
        for n in range(1, 20 * plan.scale + 1)
    ]

    tool_ids = []
    for n in range(1, plan.count("tools") + 1):
        origin = rng.choice(Origin.values)
        tool_ids.append(
            rows["tools"].add(
                f"Synthetic {rng.choice(WORDS).title()} Tool {n:05d}",
                f"{PREFIX}-tool-{n:05d}",
                rng.choices(ToolCategory.values, weights=[30, 25, 20, 10, 8, 7])[0],
                rng.choice(Technique.values),
                origin,
                rng.choice(supplier_ids) if origin == Origin.BOUGHT else None,
                sentence(rng, 25),
                sentence(rng, 8),
                sentence(rng, 8),
                rng.random() < 0.97,
            )
        )

    # Most tools (55%) are used by one force; the rest share the other
    # deployments, falling off from a head used by every force.
    single_use = len(tool_ids) * 55 // 100
    uses = skewed_counts(len(tool_ids) - single_use, plan.count("deployments") - single_use, len(forces))
    uses += [1] * single_use
    deployment_ids = [
        rows["deployments"].add(
            force.pk,
            tool_id,
            partial_date(rng),
            rng.choices(DeploymentStatus.values, weights=[50, 15, 8, 5, 10, 4, 8])[0],
            sentence(rng, 20),
            sentence(rng, 10),
            f"About {rng.randint(10, 90_000):,} individuals" if rng.random() < 0.3 else "",
            rng.random() < 0.97,
        )
        for tool_id, count in zip(tool_ids, uses, strict=True)
        for force in rng.sample(forces, count)
    ]

    assessment_ids = []
    for _ in range(plan.count("assessments")):
        result = rng.choices(AssessmentResult.values, weights=[55, 15, 10, 10, 10])[0]
        deployment_id = rng.choice(deployment_ids)
        kind = rng.choices(AssessmentKind.values, weights=[40, 20, 8, 8, 8, 12, 4])[0]
        conducted = partial_date(rng) if result == AssessmentResult.CONDUCTED else None
        assessment_ids.append(rows["assessments"].add(deployment_id, kind, result, conducted, True))

    answered_source_ids = write_requests(rng, rows, plan, forces)
    quoted = answered_source_ids or range(rows["sources"].first_id, rows["sources"].next_id)
    write_evidence(rng, rows, plan, quoted, deployment_ids, assessment_ids, tool_ids)

    for table in rows.values():
        table.flush()

    return {
        "forces": len(forces),
        "tools": len(tool_ids),
        "deployments": len(deployment_ids),
        "assessments": len(assessment_ids),
        "foi_requests": rows["foi_requests"].count,
        "evidence": rows["evidence"].count,
    }


def write_requests(rng: random.Random, rows: "dict[str, Rows]", plan: Plan, forces: list[Force]) -> list[int]:
    """The FOI requests, each with its answer's source and its questions; the ids of the sources
    of the answered ones."""
    exemption_ids = common_exemptions()
    # Question texts drawn from a few hundred made once: a million requests' questions read alike anyway.
    pools = ([sentence(rng, 12)[:-1] + "?" for _ in range(300)], [sentence(rng, 14) for _ in range(300)])
    # The deadline rules walk the calendar day by day: the same dates come back often.
    due = functools.lru_cache(maxsize=None)(due_date)
    taken = functools.lru_cache(maxsize=100_000)(working_days_between)
    # The busiest force receives about a tenth of all requests.
    request_counts = skewed_counts(len(forces), plan.count("foi_requests"), plan.count("foi_requests") // 10)
    rng.shuffle(request_counts)
    answered_source_ids = []
    number = 0
    for force, count in zip(forces, request_counts, strict=True):
        for _ in range(count):
            number += 1
            received = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 11 * 365))
            # Most answers come within the 20 working days, a long tail much later.
            took = datetime.timedelta(days=int(rng.expovariate(1 / 25)))
            outcome = rng.choices(FoiOutcome.values, weights=[35, 15, 20, 15, 5, 5, 3, 2])[0]
            answered = outcome not in (FoiOutcome.AWAITING_RESPONSE, FoiOutcome.WITHDRAWN)
            request = FoiRequest(
                force_id=force.pk,
                reference=f"SYN/{number:06d}",
                slug=f"{PREFIX}-request-{number:06d}",
                title=f"Synthetic request about {rng.choice(WORDS)} {rng.choice(WORDS)}",
                request_text=" ".join(sentence(rng, 15) for _ in range(4)),
                response_text=" ".join(sentence(rng, 18) for _ in range(6)) if answered else "",
                date_received=received,
                date_responded=received + took if answered else None,
                outcome=outcome,
                is_published=rng.random() < 0.97,
            )
            # What save() keeps in step with the request: its deadline and its answer's source.
            source_id = rows["sources"].add(*request.source_values().values())
            request_id = rows["foi_requests"].add(
                request.force_id,
                request.reference,
                request.slug,
                request.title,
                request.request_text,
                request.response_text,
                request.date_received,
                request.date_responded,
                due(received, force.foi_act),
                taken(received, request.date_responded, force.foi_act) if answered else None,
                outcome,
                request.is_published,
                source_id,
            )
            if answered:
                answered_source_ids.append(source_id)
            act_exemptions = {kind: exemption_ids[force.foi_act, kind] for kind in EXEMPTIONS[force.foi_act]}
            write_questions(rng, rows, request_id, source_id, outcome, act_exemptions, pools)
    return answered_source_ids


def write_evidence(
    rng: random.Random,
    rows: "dict[str, Rows]",
    plan: Plan,
    source_ids: Sequence[int],
    deployment_ids: list[int],
    assessment_ids: list[int],
    tool_ids: list[int],
) -> None:
    """Evidence quoting a sentence of an answer, as real evidence does, so that `check_quotes`
    passes on synthetic data too, with its place in the answer (as `Evidence.clean()` sets it)."""
    rows["sources"].flush()  # the answers it quotes are read back in batches
    rows["sources"].writer.wait()
    total = plan.count("evidence")
    for done in range(0, total, BATCH):
        picks = [rng.choice(source_ids) for _ in range(min(BATCH, total - done))]
        texts = dict(Source.objects.filter(pk__in=set(picks)).values_list("pk", "text"))
        for source_id in picks:
            target = rng.random()
            link = (
                (rng.choice(deployment_ids), None, None)
                if target < 0.6
                else (None, rng.choice(assessment_ids), None)
                if target < 0.9
                else (None, None, rng.choice(tool_ids))
            )
            text = texts[source_id]
            quote = rng.choice(SENTENCE_END.split(text)) if text else sentence(rng, 14)
            place = SimpleNamespace()  # set_anchor's rule, without making an Evidence for each row
            Evidence.set_anchor(place, locate_quote(quote, text))
            rows["evidence"].add(
                source_id,
                str(rng.randint(1, 9)),
                quote,
                place.quote_start,
                place.quote_end,
                place.quote_prefix,
                place.quote_suffix,
                "",
                *link,
            )


def expected_rows(scale: int) -> int:
    """Rows the generator writes at a scale, for the progress bar's total."""
    plan = Plan(scale)
    counts, weights = QUESTIONS_PER_REQUEST
    # Each request's questions, besides the request itself.
    per_request = sum(c * w for c, w in zip(counts, weights, strict=True)) / sum(weights)
    return 20 * scale + sum(plan.count(kind) for kind in PER_SCALE) + round(plan.count("foi_requests") * per_request)
