"""The register's facts: forces, suppliers, tools, deployments and assessments.

Every record is a draft until an editor publishes it; `published()` on each
QuerySet is the one place that decides what the public may see. Each fact rests
on evidence: a passage quoted from a source, which is either a force's answer to
an FOI request (kept in step by its request in `foi_requests`, which depends on
this app, never the other way round) or a published document.
"""

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, Min, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat, Length, Substr
from django.db.models.lookups import In
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.partial_dates import PartialDate, PartialDateField
from core.quotes import Passage, QuoteAnchor, locate_quote

from .citations import normalise_citation
from .date_rules import assessment_errors, assessment_warnings, dates_changed, deployment_errors, deployment_warnings


class Nation(models.TextChoices):
    """Where a force polices. FOI law and bank holidays follow the nation."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    GREAT_BRITAIN = "great_britain", "Great Britain"
    UNITED_KINGDOM = "united_kingdom", "United Kingdom"


class ForceKind(models.TextChoices):
    TERRITORIAL = "territorial", "Territorial force"
    SPECIAL = "special", "Special force"


class FoiAct(models.TextChoices):
    """The access-to-information law a force answers under.

    Police Scotland answers under the Freedom of Information (Scotland) Act 2002;
    every other UK force, including the UK-wide special forces, under the
    Freedom of Information Act 2000.
    """

    FOIA = "FOIA", "Freedom of Information Act 2000"
    FOISA = "FOISA", "Freedom of Information (Scotland) Act 2002"


class ToolCategory(models.TextChoices):
    """What kind of algorithmic tool it is, in the words FOI requests use."""

    MAPPING = "mapping", "Crime or hotspot mapping"
    INDIVIDUAL_RISK = "individual_risk", "Individual risk assessment or profiling"
    DASHBOARD = "dashboard", "Dashboards and business intelligence"
    PEOPLE_LIST = "people_list", "Lists and databases of people"
    BIOMETRICS = "biometrics", "Biometrics"
    OTHER = "other", "Other"


class Technique(models.TextChoices):
    MANUAL = "manual", "Manual analysis"
    RULES = "rules", "Rules"
    STATISTICAL_MODEL = "statistical_model", "Statistical model"
    MACHINE_LEARNING = "machine_learning", "Machine learning"
    UNKNOWN = "unknown", "Not disclosed"


class Origin(models.TextChoices):
    """Whether a tool was built by the force itself or bought."""

    IN_HOUSE = "in_house", "Built in house"
    BOUGHT = "bought", "Bought from a supplier"
    UNKNOWN = "unknown", "Not disclosed"


class DeploymentStatus(models.TextChoices):
    """The phase of one force's use of a tool (ATRS "phase")."""

    IN_USE = "in_use", "In use"
    PILOT = "pilot", "Pilot or beta"
    IN_DEVELOPMENT = "in_development", "In development"
    PLANNED = "planned", "Planned"
    DISCONTINUED = "discontinued", "Discontinued"
    DENIED = "denied", "Denied or not used"
    UNKNOWN = "unknown", "Not disclosed"


class AssessmentKind(models.TextChoices):
    DPIA = "dpia", "Data Protection Impact Assessment"
    EQUALITY = "equality", "Equality Impact Assessment"
    PRIVACY = "privacy", "Privacy impact assessment"
    LEGAL_OPINION = "legal_opinion", "Legal opinion"
    ETHICS_REVIEW = "ethics_review", "Ethics committee review"
    BIAS_TESTING = "bias_testing", "Bias testing"
    OTHER = "other", "Other assessment"


class AssessmentResult(models.TextChoices):
    """What the force said about an assessment, before any judgement of ours."""

    CONDUCTED = "conducted", "Conducted"
    NOT_CONDUCTED = "not_conducted", "Not conducted"
    NOT_APPLICABLE = "not_applicable", "Answered not applicable"
    WITHHELD = "withheld", "Withheld"
    UNKNOWN = "unknown", "Not disclosed"


class SafeguardState(models.TextChoices):
    """Where a deployment stands on one kind of safeguard, strongest first.

    The first four are what a force answered (its assessments' results); the last
    two tell a question that went unanswered from one nobody asked, so that "no
    DPIA on record" is never read as "no DPIA conducted"."""

    CONDUCTED = "conducted", "Conducted"
    WITHHELD = "withheld", "Withheld"
    NOT_CONDUCTED = "not_conducted", "Not conducted"
    NOT_APPLICABLE = "not_applicable", "Answered not applicable"
    NOT_ANSWERED = "not_answered", "Asked, not answered"
    NEVER_ASKED = "never_asked", "Never asked"

    @property
    def symbol(self) -> str:
        """Its symbol on every page, always beside its word (never a symbol or a colour alone)."""
        return SAFEGUARD_SYMBOLS[self]

    @property
    def meaning(self) -> str:
        """What it means, for the key beside a table of states."""
        return SAFEGUARD_MEANINGS[self]


SAFEGUARD_SYMBOLS = {
    SafeguardState.CONDUCTED: "✓",
    SafeguardState.WITHHELD: "■",
    SafeguardState.NOT_CONDUCTED: "✗",
    SafeguardState.NOT_APPLICABLE: "⊘",
    SafeguardState.NOT_ANSWERED: "?",
    SafeguardState.NEVER_ASKED: "–",
}
SAFEGUARD_MEANINGS = {
    SafeguardState.CONDUCTED: "The force said it was carried out (with its date, as precise as the force gave it).",
    SafeguardState.WITHHELD: "The force refused to say, under an exemption.",
    SafeguardState.NOT_CONDUCTED: "The force said it was not carried out.",
    SafeguardState.NOT_APPLICABLE: "The force answered “N/A” or “not applicable”, in its own words.",
    SafeguardState.NOT_ANSWERED: "An FOI request asked this force about this safeguard for this kind of tool, "
    "and no answer about it is recorded.",
    SafeguardState.NEVER_ASKED: "No FOI request in the register asked this force about this safeguard for this "
    "kind of tool: nothing is known either way. It is not a “no”.",
}

# Each kind's name as a column heading of a table of safeguards (its full name beside it for screen readers).
SAFEGUARD_HEADINGS = {
    AssessmentKind.DPIA: "DPIA",
    AssessmentKind.EQUALITY: "Equality",
    AssessmentKind.PRIVACY: "Privacy",
    AssessmentKind.LEGAL_OPINION: "Legal opinion",
    AssessmentKind.ETHICS_REVIEW: "Ethics review",
    AssessmentKind.BIAS_TESTING: "Bias testing",
}


# The kinds of safeguard a deployment has a state for ("other" assessments are listed, not rated).
SAFEGUARD_KINDS = tuple(kind for kind in AssessmentKind if kind != AssessmentKind.OTHER)

# The results that settle a safeguard's state, strongest first; a result of "not disclosed"
# settles nothing: the state is then "asked, not answered" or "never asked".
RESULT_STATES = {
    AssessmentResult.CONDUCTED: SafeguardState.CONDUCTED,
    AssessmentResult.WITHHELD: SafeguardState.WITHHELD,
    AssessmentResult.NOT_CONDUCTED: SafeguardState.NOT_CONDUCTED,
    AssessmentResult.NOT_APPLICABLE: SafeguardState.NOT_APPLICABLE,
}


def safeguard_state(results: "Iterable[str]", asked: bool) -> SafeguardState:
    """One deployment's state for one kind of safeguard: the strongest result recorded
    among its assessments of that kind, else whether a question covered it."""
    recorded = {RESULT_STATES[result] for result in results if result in RESULT_STATES}
    for state in RESULT_STATES.values():
        if state in recorded:
            return state
    return SafeguardState.NOT_ANSWERED if asked else SafeguardState.NEVER_ASKED


def safeguard_state_name(kind: str) -> str:
    """The name a deployment's state for one kind of safeguard goes by: its annotation
    (`DeploymentQuerySet.with_safeguard_states()`), its filter, its API and CSV column."""
    return f"{kind}_state"


def force_and_category(force: str, category: str) -> Concat:
    """A force and a kind of tool as one value ("12:mapping"), to look the pair up in a list."""
    return Concat(Cast(force, models.CharField()), Value(":"), category, output_field=models.CharField())


def safeguard_state_sql(kind: str) -> Case:
    """`safeguard_state()` in SQL, on deployments, for one kind of safeguard: the same
    results in the same order, then whether a published question to the deployment's force
    covered both its tool's kind and this safeguard. Only published assessments count, as
    on the pages (a researcher sees a draft deployment's state as it will be published)."""
    assessments = Assessment.objects.filter(deployment=OuterRef("pk"), kind=kind, is_published=True)
    # The forces and kinds of tool asked about this safeguard: one short list, read once per
    # query, where a look-up per row would read the force's every question.
    asked_pairs = (
        Question.objects.published()
        .filter(safeguards__kind=kind)
        .annotate(pair=force_and_category("source__force_id", "categories__category"))
        .order_by()
        .values("pair")
    )
    asked = In(force_and_category("force_id", "tool__category"), asked_pairs)
    return Case(
        *(
            When(Exists(assessments.filter(result=result)), then=Value(state.value))
            for result, state in RESULT_STATES.items()
        ),
        When(asked, then=Value(SafeguardState.NOT_ANSWERED.value)),
        default=Value(SafeguardState.NEVER_ASKED.value),
        output_field=models.CharField(max_length=20, choices=SafeguardState.choices),
    )


def safeguards_asked(**conditions) -> set[tuple[int, str, str]]:
    """The (force id, kind of tool, kind of safeguard) that published questions asked about,
    in one query: where many deployments' states are computed in Python (the CSV export)."""
    asked = QuestionSafeguard.objects.filter(Source.objects.published_condition("question__source__"), **conditions)
    triples = asked.values_list("question__source__force_id", "question__categories__category", "kind").distinct()
    return {(force, category, kind) for force, category, kind in triples if category is not None}


@dataclass
class Safeguard:
    """One kind of safeguard on one deployment, for its pages: its state and every
    published assessment of that kind (each with its date and its precision)."""

    kind: "AssessmentKind"
    state: SafeguardState
    assessments: list["Assessment"]


class QuestionOutcome(models.TextChoices):
    """How a force answered one question of an FOI request."""

    DISCLOSED = "disclosed", "Disclosed"
    PARTLY_DISCLOSED = "partly_disclosed", "Partly disclosed"
    NOT_HELD = "not_held", "Information not held"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny", "Neither confirmed nor denied"
    EXEMPT = "exempt", "Withheld under an exemption"
    NOT_ANSWERED = "not_answered", "Not answered"


# The outcomes by which a force refused to say (the transparency matrix's "refused to say").
REFUSAL_OUTCOMES = frozenset({QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, QuestionOutcome.EXEMPT})


class PublishedQuerySet(models.QuerySet):
    # The records that must all be published for one of these to be public:
    # itself ("") and those it belongs to.
    published_paths: tuple[str, ...] = ("",)

    def published(self):
        """What the public may see. Every public page, API read, export, count
        and feed starts here: a forgotten filter is how drafts leak."""
        return self.filter(self.published_condition())

    def published_under_published(self):
        """`published()` for rows reached from records known to be published (a prefetch
        onto published deployments): their flags are settled, only the row's own is left,
        which spares a join per parent."""
        return self.filter(is_published=True)

    def published_condition(self, prefix: str = "") -> Q:
        """`published()` as a condition on the relation `prefix` ("deployment__")
        of another model: a join the planner can use, where `__in=published()` is not."""
        return Q(**{f"{prefix}{path}is_published": True for path in self.published_paths})


class DeploymentQuerySet(PublishedQuerySet):
    """A deployment is public only with its force and its tool."""

    published_paths = ("", "force__", "tool__")

    def with_safeguard_states(self):
        """Each deployment's state for each kind of safeguard (`safeguard_state_sql`), as
        `dpia_state`, `equality_state`...: for filters, facet counts, pages and the API,
        in the same query as the rows."""
        return self.annotate(**{safeguard_state_name(kind): safeguard_state_sql(kind) for kind in SAFEGUARD_KINDS})

    def with_safeguard_state(self, kind: str):
        """The state of one kind, for filtering on it: kept as it is if the rows already carry
        it (a page showing it), else computed without being selected."""
        name = safeguard_state_name(kind)
        return self if name in self.query.annotations else self.alias(**{name: safeguard_state_sql(kind)})


class AssessmentQuerySet(PublishedQuerySet):
    published_paths = ("", "deployment__", "deployment__force__", "deployment__tool__")


class RegisterRecord(models.Model):
    """Fields every register record shares: publication and timestamps."""

    is_published = models.BooleanField(
        "published",
        default=False,
        db_index=True,
        help_text="Only an editor publishes. Drafts are never shown to the public.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PublishedQuerySet.as_manager()

    # A record's public shape is declared once, on its model, as `PUBLIC_FIELDS`: its
    # own fields in the order the API (JSON, CSV, dump), the bulk import/export and
    # the seed loader use, each format adding its derived columns beside them
    # (`force_name`, `started_precision`); then these, which every record ends with.
    PUBLICATION_FIELDS = ("is_published", "created_at", "updated_at")

    class Meta:
        abstract = True

    def unsourced_facts(self, evidence_fields: "Iterable[str] | None" = None) -> list[str]:
        """The facts this record would show the public without a source, labelled as its
        page shows them (`register.sourcing`): publishing refuses it (`core.publishing`)."""
        from .sourcing import unsourced_facts  # it reads these models

        return unsourced_facts(self, evidence_fields)

    def unpublished_needs(self) -> list["RegisterRecord"]:
        """The unpublished records this one needs to be public with its facts' sources, in the
        order to publish them (`register.publishing_needs`): "Publish with what it needs" in the admin."""
        from .publishing_needs import unpublished_needs  # it reads these models

        return unpublished_needs(self)


class Force(RegisterRecord):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="The force's identifier in its URL.")
    nation = models.CharField(max_length=20, choices=Nation.choices)
    kind = models.CharField(max_length=20, choices=ForceKind.choices, default=ForceKind.TERRITORIAL)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    PUBLIC_FIELDS = ("slug", "name", "nation", "kind", "website")

    class Meta:
        permissions = [("publish_force", "Can publish and unpublish forces")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("force-detail", args=[self.slug])

    @property
    def foi_act(self) -> FoiAct:
        return FoiAct.FOISA if self.nation == Nation.SCOTLAND else FoiAct.FOIA


class Supplier(RegisterRecord):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    website = models.URLField(blank=True)
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="in_house_suppliers",
        help_text="Set only when the supplier is a team inside a force (a tool built in house).",
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    PUBLIC_FIELDS = ("slug", "name", "website", "force", "description")
    # The facts a quote can support, labelled as its public page shows them ("" is the record itself).
    FACTS = {"name": "Name", "website": "Website", "force": "A team of", "description": "Description"}

    class Meta:
        permissions = [("publish_supplier", "Can publish and unpublish suppliers")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:supplier-detail", args=[self.slug])


class Tool(RegisterRecord):
    name = models.CharField(max_length=200, help_text="The name the force uses, e.g. “IOM Model”.")
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=ToolCategory.choices, db_index=True)
    technique = models.CharField(max_length=20, choices=Technique.choices, default=Technique.UNKNOWN, db_index=True)
    origin = models.CharField(
        "built in house or bought",
        max_length=20,
        choices=Origin.choices,
        default=Origin.UNKNOWN,
        db_index=True,
    )
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tools",
        help_text="Leave empty when no source names who made it.",
    )
    description = models.TextField(blank=True, help_text="What it does, in plain words, as the sources describe it.")
    inputs = models.TextField("what it takes in", blank=True, help_text="The data it uses.")
    outputs = models.TextField("what it gives out", blank=True, help_text="What it produces: scores, maps, lists.")

    history = HistoricalRecords()

    PUBLIC_FIELDS = ("slug", "name", "category", "technique", "origin", "supplier", "description", "inputs", "outputs")
    FACTS = {
        "name": "Name",
        "category": "Category",
        "description": "What it does",
        "inputs": "What it takes in",
        "outputs": "What it gives out",
        "technique": "Technique",
        "origin": "Built in house or bought",
        "supplier": "Supplier",
    }

    class Meta:
        permissions = [("publish_tool", "Can publish and unpublish tools")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:tool-detail", args=[self.slug])

    @property
    def published_supplier(self) -> "Supplier | None":
        """The supplier as the public may see it: none while the supplier is a draft."""
        return self.supplier if self.supplier_id and self.supplier.is_published else None


class Deployment(RegisterRecord):
    """One force's use of one tool, in the shape of the UK Algorithmic
    Transparency Recording Standard. Blank means "not disclosed": what a force
    has not said is itself a finding, so pages show it rather than hide it."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="deployments")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="deployments")
    status = models.CharField(
        max_length=20, choices=DeploymentStatus.choices, default=DeploymentStatus.UNKNOWN, db_index=True
    )
    started = PartialDateField(
        null=True,
        blank=True,
        db_index=True,
        help_text=(
            "As precise as the source, written as it gives it: 2008, Nov 2021, 27 November 2019, "
            "27/11/2019 (day first) or 2019-11-27. Empty when not disclosed."
        ),
    )
    ended = PartialDateField(null=True, blank=True, help_text="Same format as the start. Empty if still in use.")
    purpose = models.TextField(blank=True, help_text="What the force uses it for, and the benefit it expects.")
    data_used = models.TextField("data used", blank=True, help_text="The data sources this force feeds it.")
    decisions_supported = models.TextField(
        blank=True, help_text="Which decisions its outputs feed, and about whom or what."
    )
    users = models.TextField("who may use it", blank=True)
    training = models.TextField(blank=True, help_text="Training given to its users.")
    human_oversight = models.TextField(
        blank=True, help_text="Human review of its outputs; how a person can challenge them."
    )
    scale = models.CharField(max_length=300, blank=True, help_text="E.g. “more than 70,000 individuals”.")
    cost = models.CharField(max_length=300, blank=True, help_text="As the force stated it, e.g. “no costs incurred”.")

    objects = DeploymentQuerySet.as_manager()
    history = HistoricalRecords()

    # What the force says about its use of the tool (ATRS).
    DESCRIPTIVE_FIELDS = (
        "purpose",
        "data_used",
        "decisions_supported",
        "users",
        "training",
        "human_oversight",
        "scale",
        "cost",
    )
    PUBLIC_FIELDS = ("id", "force", "tool", "status", "started", "ended", *DESCRIPTIVE_FIELDS)
    FACTS = {
        "status": "Status",
        "started": "Since",
        "ended": "Until",
        "purpose": "What it is used for",
        "data_used": "Data used",
        "decisions_supported": "Decisions it supports",
        "users": "Who may use it",
        "training": "Training",
        "human_oversight": "Human oversight",
        "scale": "Scale",
        "cost": "Cost",
    }

    class Meta:
        permissions = [("publish_deployment", "Can publish and unpublish deployments")]
        ordering = ["force__name", "tool__name"]
        indexes = [
            # Filtered lists and facet counts read this index alone, never the table with its long
            # texts: every facet is a count over these columns and the tools'. Key columns, not
            # INCLUDE: SQLite builds an index on its key columns only (the id: PostgreSQL's counts).
            models.Index(fields=["status", "tool", "force", "is_published", "started", "id"], name="deployment_facets"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["force", "tool"], name="one_deployment_per_force_and_tool"),
            models.CheckConstraint(
                # Text comparison at the coarser precision of the two: an end in
                # "2021" may follow a start in "2021-11", an end in "2020-12" may not.
                condition=Q(ended__isnull=True)
                | Q(started__isnull=True)
                | Q(ended__gte=Substr("started", 1, Length("ended"))),
                name="deployment_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.tool} at {self.force}"

    def get_absolute_url(self):
        return reverse("register:deployment-detail", args=[self.force.slug, self.tool.slug])

    # Set (never stored) by the admin form or the API when the editor confirms
    # the warnings of `date_warnings()` against the source.
    confirm_dates = False

    def date_warnings(self) -> dict[str, str]:
        """Unusual dates to confirm (`register.date_rules`), asked only when they change."""
        if not dates_changed(self, "status", "ended"):
            return {}
        after_end = 0
        if self.pk is not None and isinstance(self.ended, PartialDate):
            conducted = self.assessments.exclude(conducted=None).values_list("conducted", flat=True)
            after_end = sum(1 for date in conducted if date.earliest > self.ended.latest)
        return deployment_warnings(self.status, self.ended, timezone.localdate(), after_end)

    def clean(self):
        errors = deployment_errors(self.started, self.ended, timezone.localdate())
        if not self.confirm_dates:
            errors = {**unconfirmed(self.date_warnings()), **errors}
        if errors:
            raise ValidationError(errors)

    def safeguard_states(self) -> list[Safeguard]:
        """Per kind of safeguard (`SAFEGUARD_KINDS`), its state and its published assessments
        of that kind. Reads the states of `with_safeguard_states()` and the prefetched
        assessments where the rows carry them (no query per row); else asks the database."""
        if not hasattr(self, "_safeguards"):
            names = {kind: safeguard_state_name(kind) for kind in SAFEGUARD_KINDS}
            annotated = all(hasattr(self, name) for name in names.values())
            asked = set() if annotated else self.safeguard_kinds_asked()
            self.set_safeguard_states(asked)
        return self._safeguards

    def set_safeguard_states(self, asked: set[str]) -> None:
        """Its safeguards from its prefetched assessments, given the kinds of safeguard asked
        of its force about its kind of tool (unused where the rows carry their states)."""
        assessments = [assessment for assessment in self.assessments.all() if assessment.is_published]
        self._safeguards = []
        for kind in SAFEGUARD_KINDS:
            name = safeguard_state_name(kind)
            of_kind = [assessment for assessment in assessments if assessment.kind == kind]
            if hasattr(self, name):
                state = SafeguardState(getattr(self, name))
            else:
                state = safeguard_state((assessment.result for assessment in of_kind), kind in asked)
            self._safeguards.append(Safeguard(AssessmentKind(kind), state, of_kind))

    def safeguard_state_of(self, kind: str) -> SafeguardState:
        return next(safeguard.state for safeguard in self.safeguard_states() if safeguard.kind == kind)

    def forget_safeguard_states(self) -> None:
        """After an edit (another tool, another force), the states are read again."""
        for name in ("_safeguards", *(safeguard_state_name(kind) for kind in SAFEGUARD_KINDS)):
            self.__dict__.pop(name, None)

    def safeguard_kinds_asked(self) -> set[str]:
        """The kinds of safeguard that a published question to its force asked about its kind of tool."""
        if self.force_id is None or self.tool_id is None:
            return set()
        asked = safeguards_asked(
            question__source__force=self.force_id, question__categories__category=self.tool.category
        )
        return {kind for _, _, kind in asked}


def read_safeguard_states(deployments: "Iterable[Deployment]") -> None:
    """Each deployment's safeguards (`Deployment.safeguard_states()`), for a page of a list
    whose assessments are prefetched, from those and one query of what was asked of their
    forces. In the rows' own query (`with_safeguard_states()`) the states would be computed
    for every row the filters select, before the page is cut from them."""
    deployments = list(deployments)
    forces = {deployment.force_id for deployment in deployments}
    categories = {deployment.tool.category for deployment in deployments}
    # Only the page's forces' answers are read (a page sorted by force names a few).
    asked = (
        safeguards_asked(question__source__force_id__in=forces, question__categories__category__in=categories)
        if deployments
        else set()
    )
    for deployment in deployments:
        pair = (deployment.force_id, deployment.tool.category)
        deployment.set_safeguard_states({kind for force, category, kind in asked if (force, category) == pair})


def safeguard_state_counts(
    deployments: "models.QuerySet[Deployment]", asked: set[tuple[int, str, str]] | None = None
) -> dict[str, dict[str, int]]:
    """For each kind of safeguard, how many of `deployments` are in each state (`safeguard_state`):
    all kinds at once, from the rows' forces and kinds of tool and their published assessments
    (two queries, each read from an index alone), and what was `asked` (`safeguards_asked()`, read
    if not given), where the states computed in SQL cost four look-ups per row and kind."""
    ids = deployments.order_by().values("pk")
    rows = ids.values_list("pk", "force_id", "tool__category")
    pair_of = {pk: (force, category) for pk, force, category in rows}
    strongest = Case(
        *(When(result=result, then=Value(rank)) for rank, result in enumerate(RESULT_STATES)),
        output_field=models.IntegerField(),
    )
    # Each row's strongest result of each kind.
    results = (
        Assessment.objects.filter(deployment__in=ids, is_published=True, result__in=list(RESULT_STATES))
        .order_by()
        .values_list("deployment_id", "kind")
        .annotate(strongest=Min(strongest))
    )
    states = list(RESULT_STATES.values())
    counts = {kind: dict.fromkeys(SafeguardState.values, 0) for kind in SAFEGUARD_KINDS}
    answered = defaultdict(int)  # (force, kind of tool, kind of safeguard): rows with a result
    for deployment_id, kind, rank in results:
        if kind in counts and deployment_id in pair_of:
            counts[kind][states[rank]] += 1
            answered[(*pair_of[deployment_id], kind)] += 1
    asked = safeguards_asked() if asked is None else asked
    for (force, category), total in Counter(pair_of.values()).items():
        for kind in SAFEGUARD_KINDS:
            unsettled = total - answered[force, category, kind]
            state = SafeguardState.NOT_ANSWERED if (force, category, kind) in asked else SafeguardState.NEVER_ASKED
            counts[kind][state] += unsettled
    return counts


def unconfirmed(warnings: dict[str, str]) -> dict[str, str]:
    """Warnings as the errors they are until the editor confirms the dates."""
    return {name: f"{message} If the source says so, confirm these dates." for name, message in warnings.items()}


class Assessment(RegisterRecord):
    """A safeguard on a deployment: a DPIA, an equality assessment, a legal
    opinion, an ethics review, bias testing. Its answer may be a date, "not
    conducted", "N/A" as the force wrote it, or withheld."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices, db_index=True)
    result = models.CharField(
        max_length=20, choices=AssessmentResult.choices, default=AssessmentResult.UNKNOWN, db_index=True
    )
    conducted = PartialDateField(
        "date conducted", null=True, blank=True, help_text="As precise as the source. Empty when not given."
    )
    answer_as_given = models.CharField(
        max_length=300, blank=True, help_text="The force's own words when they are short, e.g. “N/A”."
    )
    conducted_by = models.CharField(max_length=300, blank=True, help_text="E.g. “Force Data Protection Officer”.")
    withheld_under = models.CharField(
        "exemption cited",
        max_length=40,
        blank=True,
        help_text="Where it is withheld: the section the force cited, e.g. “s31(1)(a)” (written “FOIA s31(1)(a)”).",
    )
    summary = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    PUBLIC_FIELDS = (
        "id",
        "deployment",
        "kind",
        "result",
        "conducted",
        "answer_as_given",
        "conducted_by",
        "withheld_under",
        "summary",
    )
    FACTS = {
        "result": "Result",
        "answer_as_given": "The force's answer",
        "conducted": "Date",
        "conducted_by": "By",
        "withheld_under": "Exemption cited",
        "summary": "Details",
    }

    class Meta:
        permissions = [("publish_assessment", "Can publish and unpublish assessments")]
        ordering = ["deployment", "kind", "conducted"]
        indexes = [
            # The "has a DPIA / equality assessment / bias testing" filters and facets.
            # With its publication: a list's safeguard facets read this index alone.
            models.Index(fields=["deployment", "kind", "result", "is_published"], name="assessment_by_kind_result"),
            # The same, read from the index alone for a whole list (PostgreSQL): the deployments with one.
            models.Index(
                fields=["kind", "result", "deployment"], include=["is_published"], name="assessment_conducted"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.deployment}"

    confirm_dates = False  # as on Deployment

    def clean_withheld_under(self) -> str | None:
        """Writes the exemption cited one way ("FOIA s31(1)(a)"); the reason it cannot, if any."""
        if not self.withheld_under.strip():
            self.withheld_under = ""
            return None
        if self.result != AssessmentResult.WITHHELD:
            return "Only a withheld assessment cites an exemption: set its result to “Withheld”, or leave this empty."
        try:
            act = self.deployment.force.foi_act
        except (Deployment.DoesNotExist, Force.DoesNotExist):
            act = FoiAct.FOIA
        try:
            self.withheld_under = normalise_citation(self.withheld_under, FoiAct.values, act)
        except ValueError as error:
            return str(error)
        return None

    def date_warnings(self) -> dict[str, str]:
        """Unusual dates to confirm (`register.date_rules`), asked only when they change."""
        try:
            ended = self.deployment.ended  # the form's, in a deployment's inline: perhaps not yet saved
        except Deployment.DoesNotExist:
            return {}
        if not dates_changed(self, "conducted", "deployment_id"):
            return {}
        return assessment_warnings(self.conducted, ended)

    def clean(self):
        errors = assessment_errors(self.conducted, timezone.localdate())
        if not self.confirm_dates:
            errors = {**unconfirmed(self.date_warnings()), **errors}
        if error := self.clean_withheld_under():
            errors["withheld_under"] = error
        if errors:
            raise ValidationError(errors)


def originals_storage():
    """Where archived originals are kept: `STORAGES["originals"]` (a bucket in production)."""
    from django.core.files.storage import storages

    return storages["originals"]


class SourceKind(models.TextChoices):
    FOI_ANSWER = "foi_answer", "Answer to an FOI request"
    DOCUMENT = "document", "Published document"


# A reference that already says it is an FOI request: "FOI/2024/118", "FOI 3345 23", "FOI-0042".
FOI_PREFIX = re.compile(r"^FOI(?![A-Za-z])", re.IGNORECASE)


def foi_citation(reference: str) -> str:
    """An FOI request cited by its reference: "FOI 855A/22", but "FOI/2024/118" as it is,
    never "FOI FOI/2024/118"."""
    reference = reference.strip()
    return reference if FOI_PREFIX.match(reference) else f"FOI {reference}"


def citation_label(kind: str, title: str, url: str) -> str:
    """How a source is cited: an FOI answer by its request's reference (`foi_citation`),
    a document by its title, else its address."""
    if kind == SourceKind.FOI_ANSWER:
        return foi_citation(title)
    return title or url


class SourceQuerySet(PublishedQuerySet):
    def published_condition(self, prefix: str = "") -> Q:
        """A source of a force (its FOI answer) is public only with its force."""
        return Q(**{f"{prefix}is_published": True}) & (
            Q(**{f"{prefix}force__isnull": True}) | Q(**{f"{prefix}force__is_published": True})
        )


class Source(RegisterRecord):
    """A document that evidence quotes: a force's answer to an FOI request, or a
    published document (a report, a policy, a web page).

    An FOI answer's source belongs to its request (`FoiRequest.source`): the
    request sets its title, slug, page, force and publication whenever it is
    saved, in the same transaction, so that evidence can cite it without this
    app knowing FOI requests. A published document's source is edited here.
    """

    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.DOCUMENT)
    title = models.CharField(
        max_length=300, help_text="How it is cited: a document's title; an FOI answer's reference or subject."
    )
    slug = models.SlugField(
        max_length=150, blank=True, help_text="An FOI answer's identifier in the register: its request's slug."
    )
    url = models.CharField(
        "address",
        max_length=500,
        help_text="Where a reader finds it: a document's URL, or the FOI request's page in the register.",
    )
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The force that answered, for an FOI answer: it is public only with its force.",
    )
    text = models.TextField(
        blank=True,
        help_text="The text of the document, pasted or extracted: every quote citing it must appear in it, and "
        "keeps its place in it. While it is empty, quotes from the document cannot be checked and are accepted. "
        "An FOI answer's text is its answer, kept by its request.",
    )

    published_url = models.URLField(
        "address where it was published",
        max_length=500,
        blank=True,
        help_text="Where the force published it: a disclosure log page, a PDF, a request-tracking site. "
        "An FOI answer's is kept by its request; a document's is its address.",
    )
    dated = models.DateField(
        "date of the source",
        null=True,
        blank=True,
        help_text="The date on the document, if it has one: a fact it supports is shown “as at” this date. "
        "An FOI answer's is the date of the answer, kept by its request.",
    )
    # The archived original, kept through Django's storage API (`STORAGES["originals"]`).
    original = models.FileField(
        "archived original",
        upload_to="originals/%Y/",
        storage=originals_storage,
        blank=True,
        help_text="The file as published: PDF, DOCX, HTML or text.",
    )
    original_sha256 = models.CharField("SHA-256 of the original", max_length=64, blank=True, editable=False)
    original_size = models.PositiveBigIntegerField(
        "size of the original (bytes)", null=True, blank=True, editable=False
    )
    original_retrieved = models.DateField(
        "date the original was retrieved", null=True, blank=True, help_text="The day the file was downloaded."
    )
    original_checked = models.BooleanField(
        "original checked for personal data",
        default=False,
        help_text="Tick once you have read the original and found no personal data: only then is it offered "
        "to the public. Otherwise upload a redacted copy.",
    )
    redacted_original = models.FileField(
        "redacted copy of the original",
        upload_to="originals/redacted/%Y/",
        storage=originals_storage,
        blank=True,
        help_text="The original with personal data blacked out: offered to the public instead of the original.",
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_source", "Can publish and unpublish sources")]
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(url=""), name="source_has_an_address"),
            models.UniqueConstraint(fields=["slug"], condition=Q(kind="foi_answer"), name="one_source_per_foi_request"),
        ]
        indexes = [
            # The published sources by force, read from the index alone, never the table with its
            # texts: the safeguards asked of each force (`safeguards_asked`) start from here.
            models.Index(fields=["is_published", "force"], name="source_published_by_force"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # A changed text moves its quotes: each is found again, in the same transaction.
        update_fields = kwargs.get("update_fields")
        text_may_change = self.pk is not None and (update_fields is None or "text" in update_fields)
        with transaction.atomic():
            stored = self.stored_text() if text_may_change else None
            super().save(*args, **kwargs)
            if text_may_change and stored != self.text:
                self.reanchor_quotes()

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def label(self) -> str:
        """How the source is cited, e.g. "FOI DPO/FOI/002128/22"."""
        return citation_label(self.kind, self.title, self.url)

    @property
    def public_original(self):
        """The file the public may download: the redacted copy, else the original once checked; None."""
        if self.redacted_original:
            return self.redacted_original
        return self.original if self.original and self.original_checked else None

    @property
    def original_address(self) -> str:
        """Where the force published it (a document's own address)."""
        return self.published_url or (self.url if self.kind == SourceKind.DOCUMENT else "")

    def record_original_digest(self) -> None:
        """SHA-256 and size of the archived original, read through the storage."""
        if not self.original:
            self.original_sha256, self.original_size = "", None
            return
        digest = hashlib.sha256()
        self.original.open("rb")
        try:
            for chunk in self.original.chunks():
                digest.update(chunk)
        finally:
            self.original.close()
        self.original_sha256, self.original_size = digest.hexdigest(), self.original.size

    @property
    def page_url(self) -> str:
        """Its page in the register, where a reader reads its text with the passages quoted
        marked: an FOI answer's is its request's page."""
        if self.kind == SourceKind.FOI_ANSWER:
            return self.url
        return reverse("register:source-detail", args=[self.pk])

    @property
    def public_original_url(self) -> str:
        """The register's address of the copy of its original the public may download ("" if none)."""
        if not self.public_original:
            return ""
        try:
            return reverse("register:source-original", args=[self.pk])
        except NoReverseMatch:  # a version of the register that does not serve originals
            return ""

    def stored_text(self) -> str:
        return Source.objects.filter(pk=self.pk).values_list("text", flat=True).first() or ""

    def reanchor_quotes(self) -> None:
        """Find each quote of this source again in its text and keep its new place (one not
        found keeps none: `check_quotes` lists it)."""
        evidence = list(self.evidence.only("pk", "quote", *Evidence.ANCHOR_FIELDS))
        for item in evidence:
            item.set_anchor(locate_quote(item.quote, self.text))
        Evidence.objects.bulk_update(evidence, Evidence.ANCHOR_FIELDS, batch_size=500)

    def quotes_lost_by(self, new_text: str) -> list[str]:
        """The quotes of this source found in its stored text that `new_text` would lose.
        (A quote already not found is no change's doing: `check_quotes` lists it.)"""
        if self.pk is None:
            return []
        stored = self.stored_text()
        if stored == new_text:
            return []
        quotes = self.evidence.order_by("pk").values_list("quote", flat=True)
        return [quote for quote in quotes if locate_quote(quote, stored) and not locate_quote(quote, new_text)]

    def lost_quotes_message(self, quotes: list[str]) -> str:
        listed = "; ".join(f"“{quote[:80]}”" for quote in quotes)
        return (
            f"This change would leave {len(quotes)} quote{'s' if len(quotes) != 1 else ''} of {self.label} "
            f"no longer found in its text: {listed}. Keep those passages, or correct the quotes first."
        )

    def clean(self):
        errors = {}
        if self.kind == SourceKind.DOCUMENT and not self.url.startswith(("http://", "https://")):
            errors["url"] = "Give the document's full address, starting with https://."
        if lost := self.quotes_lost_by(self.text):
            errors["text"] = self.lost_quotes_message(lost)
        if errors:
            raise ValidationError(errors)


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """Questions of published FOI answers (an answer is public only with its request and force)."""
        return self.filter(self.published_condition())

    def published_condition(self, prefix: str = "") -> Q:
        """`published()` as a condition on the relation `prefix` of another model (a join,
        where `__in=published()` is a subquery the planner may try row by row)."""
        return Source.objects.published_condition(f"{prefix}source__")


class Question(models.Model):
    """One question of an FOI request and the force's answer to it, kept on the request's
    answer (its `Source`), with the outcome, the kinds of tool and of safeguard it asks
    about; the exemptions it was refused under are `Exemption.questions` (foi_requests).

    What a force did with each question is a finding of its own: an answer to question 1
    and a "neither confirm nor deny" to question 2 (individual risk) make that force
    "refused to say" about individual risk tools; and a safeguard is "asked" of a
    deployment only where a question to its force covered both its kind of tool and that
    safeguard."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="questions")
    number = models.CharField(
        max_length=20, blank=True, help_text="As numbered in the request, e.g. “1g”; empty for the whole request."
    )
    text = models.TextField("question", blank=True, help_text="The question as sent.")
    answer = models.TextField(blank=True, help_text="The force's answer to it, as received.")
    outcome = models.CharField(
        max_length=30, choices=QuestionOutcome.choices, default=QuestionOutcome.NOT_ANSWERED, db_index=True
    )

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="question_numbered_once_per_answer"),
        ]
        # The outcomes of a list's answers, counted from the index alone, never the texts.
        indexes = [models.Index(fields=["source", "outcome"], name="question_outcome_by_source")]

    def __str__(self):
        return f"Question {self.number}" if self.number else "The whole request"

    @property
    def category_values(self) -> list[str]:
        # Sorted: rows saved from a set come in no stable order, and the dump's digest must not change.
        return sorted(row.category for row in self.categories.all())

    @property
    def safeguard_values(self) -> list[str]:
        return sorted(row.kind for row in self.safeguards.all())

    def clean(self):
        if self.source_id and self.source.kind != SourceKind.FOI_ANSWER:
            raise ValidationError("Only an answer to an FOI request has questions.")


class QuestionCategory(models.Model):
    """A kind of tool a question asks about."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=20, choices=ToolCategory.choices)

    class Meta:
        verbose_name = "kind of tool asked about"
        verbose_name_plural = "kinds of tool asked about"
        constraints = [models.UniqueConstraint(fields=["question", "category"], name="question_category_once")]
        # The transparency matrix and the safeguard states look up by category.
        indexes = [models.Index(fields=["category", "question"], name="question_by_category")]

    def __str__(self):
        return self.get_category_display()


class QuestionSafeguard(models.Model):
    """A kind of safeguard a question asks about (a DPIA, bias testing...)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="safeguards")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)

    class Meta:
        verbose_name = "kind of safeguard asked about"
        verbose_name_plural = "kinds of safeguard asked about"
        constraints = [models.UniqueConstraint(fields=["question", "kind"], name="question_safeguard_once")]
        indexes = [models.Index(fields=["kind", "question"], name="question_by_safeguard")]

    def __str__(self):
        return self.get_kind_display()


class EvidenceQuerySet(models.QuerySet):
    def published(self):
        """Evidence the public may see: from a published source about a record the public may see."""
        public_record = (
            Tool.objects.published_condition("tool__")
            | Supplier.objects.published_condition("supplier__")
            | Deployment.objects.published_condition("deployment__")
            | Assessment.objects.published_condition("assessment__")
        )
        return self.published_under_published().filter(public_record)

    def published_under_published(self):
        """`published()` for the evidence of records known to be published (a prefetch
        onto published tools): only the source is left to check."""
        return self.filter(Source.objects.published_condition("source__"))


class Evidence(models.Model):
    """The passage of a source that supports one register fact.

    The source is an FOI answer (with the number of the question answered) or a
    published document. The fact is one record (a tool, a deployment, an
    assessment or a supplier) and, optionally, which of its fields the passage
    supports; empty means the record as a whole (that it exists).
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    question_number = models.CharField(
        max_length=20, blank=True, help_text="The question answered, as numbered in the request, e.g. “1g”."
    )
    quote = models.TextField(
        help_text="The passage, word for word, that supports the fact. It must appear in the source's text "
        "(line breaks, spaces, quote marks and dashes may differ; join passages with “…”); a published document "
        "whose text has not been recorded yet is not checked."
    )
    # Where the quote sits in its source's text (W3C Web Annotation: a TextPositionSelector and
    # a TextQuoteSelector's prefix and suffix), so that a reader can open the source at it.
    quote_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    quote_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    quote_prefix = models.CharField(max_length=64, blank=True, editable=False)
    quote_suffix = models.CharField(max_length=64, blank=True, editable=False)

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    field = models.CharField(
        "fact supported",
        max_length=50,
        blank=True,
        help_text="The field the passage supports, e.g. “started” or “status”. Empty: the record as a whole.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    TARGETS = ("tool", "deployment", "assessment", "supplier")
    ANCHOR_FIELDS = ("quote_start", "quote_end", "quote_prefix", "quote_suffix")

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["source_id", "question_number", "id"]
        indexes = [
            # A deployment's sources in their order, from the index alone (PostgreSQL), for the CSV export.
            models.Index(
                fields=["deployment", "source", "question_number", "id"],
                condition=Q(deployment__isnull=False),
                name="evidence_of_deployment",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(tool__isnull=False, deployment__isnull=True, assessment__isnull=True, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=False, assessment__isnull=True, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=True, assessment__isnull=False, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=True, assessment__isnull=True, supplier__isnull=False)
                ),
                name="evidence_supports_exactly_one_record",
            ),
        ]

    def __str__(self):
        return f"{self.source_label}: “{self.quote[:60]}”"

    def save(self, *args, **kwargs):
        # Every way of recording a quote keeps its place; one not found keeps none (`check_quotes` lists it).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"quote", "source", "source_id"} & set(update_fields):
            self.set_anchor(self.locate_quote())
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.ANCHOR_FIELDS}
        super().save(*args, **kwargs)

    @property
    def target(self):
        return next((getattr(self, name) for name in self.TARGETS if getattr(self, f"{name}_id")), None)

    @property
    def source_label(self) -> str:
        return self.label_source(self.source.kind, self.source.title, self.source.url, self.question_number)

    @staticmethod
    def label_source(kind: str, title: str, url: str, question_number: str) -> str:
        """How a source is cited, e.g. "FOI DPO/FOI/002128/22, question 1g"."""
        label = citation_label(kind, title, url)
        if kind == SourceKind.FOI_ANSWER and question_number:
            return f"{label}, question {question_number}"
        return label

    @property
    def is_from_foi_answer(self) -> bool:
        return self.source.kind == SourceKind.FOI_ANSWER

    @property
    def field_label(self) -> str:
        """The supported fact as its page labels it, e.g. "Since"; "" for the record itself."""
        if not self.field or self.target is None:
            return ""
        return type(self.target).FACTS.get(self.field, self.field)

    @property
    def target_url(self) -> str:
        """The public page showing the supported fact ("" when it has none)."""
        record = self.target
        if self.assessment_id:
            return record.deployment.get_absolute_url()
        return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""

    @property
    def source_url(self) -> str:
        return self.source.url

    @property
    def passage_key(self) -> str:
        """The id of its mark on its source's page: the page's address ends `#quote-<id>`."""
        return f"quote-{self.pk}"

    @property
    def passage_url(self) -> str:
        """Its source's page in the register, opened at the passage (marked there)."""
        return f"{self.source.page_url}#{self.passage_key}"

    def passage_in(self, text: str) -> Passage | None:
        """Where the quote sits in `text` (its source's text as a page shows it), to mark it:
        its kept place while the quote is still there, else found again; None if not found."""
        start, end = self.quote_start, self.quote_end
        kept = locate_quote(self.quote, text[start:end]) if start is not None and end is not None else None
        if kept is None or (kept.start, kept.end) != (0, end - start):
            anchor = locate_quote(self.quote, text)
            if anchor is None:
                return None
            start, end = anchor.start, anchor.end
        label = f"{self.target}: {self.field_label}" if self.field_label else str(self.target)
        return Passage(key=self.passage_key, start=start, end=end, href=self.target_url, label=label)

    def _linked(self, name: str) -> bool:
        # In an admin inline the parent may not be saved yet: it is set, without an id.
        field = self._meta.get_field(name)
        return getattr(self, field.attname) is not None or (field.is_cached(self) and getattr(self, name) is not None)

    def source_text(self) -> str:
        """The text the quote is checked against: its source's ("" when there is none yet)."""
        try:
            return self.source.text
        except Source.DoesNotExist:  # not chosen yet: other checks refuse it
            return ""

    def locate_quote(self) -> QuoteAnchor | None:
        return locate_quote(self.quote, self.source_text())

    def set_anchor(self, anchor: QuoteAnchor | None) -> None:
        """Keep the quote's place. Its context is kept without the white space at its ends, which
        a backup's XML does not keep (the offsets are exact; re-anchoring ignores white space)."""
        self.quote_start = anchor.start if anchor else None
        self.quote_end = anchor.end if anchor else None
        self.quote_prefix = anchor.prefix.strip() if anchor else ""
        self.quote_suffix = anchor.suffix.strip() if anchor else ""

    def quote_not_found_message(self) -> str:
        return (
            f"“{self.quote[:80]}” does not appear in {self.source.label}: copy it word for word from the source "
            "(line breaks, spaces, quote marks and dashes may differ; join passages with “…”)."
        )

    def clean(self):
        errors = {}
        if self.quote and self.source_text():
            anchor = self.locate_quote()
            if anchor is None:
                errors["quote"] = self.quote_not_found_message()
            self.set_anchor(anchor)
        chosen = [name for name in self.TARGETS if self._linked(name)]
        if len(chosen) != 1:
            errors[NON_FIELD_ERRORS] = (
                "Link the passage to exactly one record: a tool, a deployment, an assessment or a supplier."
            )
        if errors:
            raise ValidationError(errors)
        if self.field:
            target_model = self._meta.get_field(chosen[0]).related_model
            if self.field not in target_model.FACTS:
                facts = ", ".join(f"“{label}”" for label in target_model.FACTS.values())
                raise ValidationError(
                    {"field": f"A {target_model._meta.verbose_name} has no fact “{self.field}”: choose one of {facts}."}
                )


RECORD_ITSELF = "The record itself (that it exists)"


def fact_choices(model: type[models.Model]) -> list[tuple[str, str]]:
    """The facts a quote about a `model` record can support, labelled as its page shows them."""
    return [("", RECORD_ITSELF), *model.FACTS.items()]
