"""The register's facts: forces, suppliers, tools, deployments and assessments.

Every record is a draft until an editor publishes it; `published()` on each
QuerySet is the one place that decides what the public may see. The evidence
behind each fact lives in `foi_requests` (which depends on this app, never the
other way round) and is reached through the `evidence` reverse relations.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.partial_dates import PartialDateField


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

    class Meta:
        abstract = True


class Force(RegisterRecord):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="The force's identifier in its URL.")
    nation = models.CharField(max_length=20, choices=Nation.choices)
    kind = models.CharField(max_length=20, choices=ForceKind.choices, default=ForceKind.TERRITORIAL)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_force", "Can publish and unpublish forces")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:force-detail", args=[self.slug])

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

    class Meta:
        permissions = [("publish_supplier", "Can publish and unpublish suppliers")]
        ordering = ["name"]

    def __str__(self):
        return self.name


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

    class Meta:
        permissions = [("publish_tool", "Can publish and unpublish tools")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:tool-detail", args=[self.slug])


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
        help_text="As precise as the source: 2008, 2021-11 or 2019-11-27. Empty when not disclosed.",
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

    # What the force says about its use of the tool (ATRS): one list for the
    # seed loader, the bulk import and the API.
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

    class Meta:
        permissions = [("publish_deployment", "Can publish and unpublish deployments")]
        ordering = ["force__name", "tool__name"]
        indexes = [
            # Filtered lists and facet counts read this index alone (PostgreSQL), never the
            # table with its long texts: every facet is a count over these columns and the tools'.
            models.Index(
                fields=["status", "tool", "force"], include=["id", "is_published", "started"], name="deployment_facets"
            ),
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

    def clean(self):
        if self.started and self.ended and self.ended.latest < self.started.earliest:
            raise ValidationError({"ended": "The end cannot be before the start."})


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
    summary = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_assessment", "Can publish and unpublish assessments")]
        ordering = ["deployment", "kind", "conducted"]
        indexes = [
            # The "has a DPIA / equality assessment / bias testing" filters and facets.
            models.Index(fields=["deployment", "kind", "result"], name="assessment_by_kind_result"),
            # The same, read from the index alone for a whole list (PostgreSQL): the deployments with one.
            models.Index(
                fields=["kind", "result", "deployment"], include=["is_published"], name="assessment_conducted"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.deployment}"
