"""One FilterSet per resource, shared by the HTML list pages and the API.

A value that cannot be understood (an unknown slug, a category that does not
exist, a year of "abc") makes the FilterSet invalid: the API answers 400 and a
page shows the message, rather than silently ignoring the filter.
"""

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelMultipleChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import (
    AnyOfFilter,
    FilterSet,
    RecordsFilter,
    SlugMultipleChoiceFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
    WrittenDateFilter,
    modified_after_filter,
    search_filter,
    slug_choices,
)
from core.parsers import whole_number

from .models import (
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    Force,
    ForceKind,
    Nation,
    Origin,
    SafeguardState,
    Source,
    SourceKind,
    Supplier,
    Technique,
    Tool,
    ToolCategory,
    safeguard_state_counts,
    safeguard_state_name,
    safeguards_asked,
)


def has_assessment_filter(kind: AssessmentKind, label: str):
    """Deployments whose safeguard of one kind is recorded as conducted (true) or as not
    conducted (false): what a force withheld, answered "not applicable", left unanswered
    or was never asked matches neither, as it is neither a yes nor a no."""

    def filter_has(queryset, name, value):
        state = SafeguardState.CONDUCTED if value else SafeguardState.NOT_CONDUCTED
        return queryset.with_safeguard_state(kind).filter(**{safeguard_state_name(kind): state})

    return StrictBooleanFilter(
        method=filter_has,
        label=label,
        help_text=f"true: recorded as conducted; false: recorded as not conducted. Withheld, answered "
        f"“not applicable”, asked but not answered and never asked match neither: filter by "
        f"`{safeguard_state_name(kind)}` for those.",
    )


class SafeguardStateFilter(django_filters.MultipleChoiceFilter):
    """Deployments whose state for one kind of safeguard (`Deployment.safeguard_states()`)
    is any of the chosen. The state is computed in SQL; its facet counts by the same rule
    (`facet_counts`, read by `core.facets`)."""

    def __init__(self, kind: AssessmentKind, **kwargs):
        self.kind = kind
        kwargs.setdefault("label", kind.label)
        kwargs.setdefault(
            "help_text",
            f"Its state for this safeguard ({kind.label}), one or several of: "
            + "; ".join(f"`{state.value}` ({state.label.lower()})" for state in SafeguardState)
            + ". “Asked” means a question to the force covered both this safeguard and the tool's kind.",
        )
        super().__init__(
            field_name=safeguard_state_name(kind), choices=SafeguardState.choices, distinct=False, **kwargs
        )

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.with_safeguard_state(self.kind).filter(**{f"{self.field_name}__in": value})

    def facet_counts(self, rows) -> dict[str, int]:
        """How many of `rows` are in each state (read by `core.facets`). Every kind's counts come
        from one pass (`safeguard_state_counts`), kept for the other kinds' facets over the same rows."""
        counted = self.parent.__dict__.setdefault("_safeguard_state_counts", {})
        if "asked" not in counted:
            counted["asked"] = safeguards_asked()  # the same whatever the rows
        if id(rows) not in counted:
            # The rows kept with their counts: their id stays theirs.
            counted[id(rows)] = (rows, safeguard_state_counts(rows, counted["asked"]))
        return counted[id(rows)][1][self.kind]


class ForceFilter(FilterSet):
    search = search_filter("name", "slug")
    nation = AnyOfFilter(choices=Nation.choices, label="Nation")
    kind = AnyOfFilter(choices=ForceKind.choices, label="Kind of force")
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by", fields=(("name", "name"), ("nation", "nation"), ("updated_at", "updated"))
    )

    class Meta:
        model = Force
        fields = ["search", "nation", "kind", "modified_after"]


class SupplierFilter(FilterSet):
    search = search_filter("name", "description")
    in_house = StrictBooleanFilter(
        field_name="force", lookup_expr="isnull", exclude=True, label="A team inside a force"
    )
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(label="Sort by", fields=(("name", "name"), ("updated_at", "updated")))

    class Meta:
        model = Supplier
        fields = ["search", "in_house", "modified_after"]


class ToolFilter(FilterSet):
    search = search_filter("name", "description", "supplier__name")
    category = AnyOfFilter(choices=ToolCategory.choices, label="Category")
    technique = AnyOfFilter(choices=Technique.choices, label="Technique")
    origin = AnyOfFilter(choices=Origin.choices, label="Built in house or bought")
    supplier = slug_choices(Supplier, "supplier", "Supplier")
    # Through the tool's published deployments only: a draft deployment changes nothing.
    force = slug_choices(Force, "deployments__force", "Used by force")
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by", fields=(("name", "name"), ("category", "category"), ("updated_at", "updated"))
    )

    class Meta:
        model = Tool
        fields = ["search", "category", "technique", "origin", "supplier", "force", "modified_after"]


SAFEGUARD_STATE_FILTERS = [safeguard_state_name(kind) for kind in SAFEGUARD_KINDS]


class DeploymentFilter(FilterSet):
    search = search_filter("tool__name", "tool__description", "force__name", "purpose")
    force = slug_choices(Force, "force", "Force")
    nation = AnyOfFilter(field_name="force__nation", choices=Nation.choices, label="Nation")
    tool = slug_choices(Tool, "tool", "Tool")
    category = AnyOfFilter(field_name="tool__category", choices=ToolCategory.choices, label="Category")
    status = AnyOfFilter(choices=DeploymentStatus.choices, label="Status")
    supplier = slug_choices(Supplier, "tool__supplier", "Supplier")
    technique = AnyOfFilter(field_name="tool__technique", choices=Technique.choices, label="Technique")
    origin = AnyOfFilter(field_name="tool__origin", choices=Origin.choices, label="Built in house or bought")
    started_from = WrittenDateFilter(field_name="started", bound="from", label="Started in or after")
    started_to = WrittenDateFilter(field_name="started", bound="to", label="Started in or before")
    has_dpia = has_assessment_filter(AssessmentKind.DPIA, "Has a DPIA")
    has_equality_assessment = has_assessment_filter(AssessmentKind.EQUALITY, "Has an equality assessment")
    has_bias_testing = has_assessment_filter(AssessmentKind.BIAS_TESTING, "Has bias testing")
    # One per kind of safeguard: `dpia_state`, `equality_state`... (`safeguard_state_name`).
    dpia_state = SafeguardStateFilter(AssessmentKind.DPIA)
    equality_state = SafeguardStateFilter(AssessmentKind.EQUALITY)
    privacy_state = SafeguardStateFilter(AssessmentKind.PRIVACY)
    legal_opinion_state = SafeguardStateFilter(AssessmentKind.LEGAL_OPINION)
    ethics_review_state = SafeguardStateFilter(AssessmentKind.ETHICS_REVIEW)
    bias_testing_state = SafeguardStateFilter(AssessmentKind.BIAS_TESTING)
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by",
        fields=(
            ("force__name", "force"),
            ("tool__name", "tool"),
            ("tool__category", "category"),
            ("status", "status"),
            ("started", "started"),
            ("updated_at", "updated"),
        ),
    )

    class Meta:
        model = Deployment
        fields = [
            "search",
            "force",
            "nation",
            "tool",
            "category",
            "status",
            "supplier",
            "technique",
            "origin",
            "started_from",
            "started_to",
            "has_dpia",
            "has_equality_assessment",
            "has_bias_testing",
            *SAFEGUARD_STATE_FILTERS,
            "modified_after",
        ]


class AssessmentFilter(FilterSet):
    kind = AnyOfFilter(choices=AssessmentKind.choices, label="Kind of assessment")
    result = AnyOfFilter(choices=AssessmentResult.choices, label="Result")
    force = slug_choices(Force, "deployment__force", "Force")
    tool = slug_choices(Tool, "deployment__tool", "Tool")
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by", fields=(("conducted", "conducted"), ("kind", "kind"), ("updated_at", "updated"))
    )

    class Meta:
        model = Assessment
        fields = ["kind", "result", "force", "tool", "modified_after"]


class IdChoiceField(ModelMultipleChoiceField):
    """Records chosen by id: ASCII digits within a row id's range (a larger number would
    overflow the database's integer), else "no such record", before any query."""

    def _check_values(self, value):
        ids = []
        for item in value:
            number = whole_number(str(item).strip())
            if number is None:
                raise ValidationError("No record has the id “%(id)s”.", code="invalid_choice", params={"id": item})
            ids.append(str(number))
        return super()._check_values(ids)


@extend_schema_field(OpenApiTypes.INT)
class IdsFilter(RecordsFilter):
    """Rows related to any of the chosen records, by id (published ones, see `RecordsFilter`)."""

    field_class = IdChoiceField


RECORD_KINDS = [("tool", "Tool"), ("deployment", "Deployment"), ("assessment", "Assessment"), ("supplier", "Supplier")]
# Every fact a quote can support, by the name the API gives it (the labels differ by kind of record).
FACT_NAMES = sorted({name for model in (Tool, Deployment, Assessment, Supplier) for name in model.FACTS})


class EvidenceFilter(FilterSet):
    source = IdsFilter(field_name="source", queryset=Source.objects.published(), label="Source (its id)")
    foi_request = SlugMultipleChoiceFilter(
        field_name="source__slug",
        to_field_name="slug",
        queryset=Source.objects.published().filter(kind=SourceKind.FOI_ANSWER),
        label="FOI request whose answer is quoted (its slug)",
    )
    force = slug_choices(Force, "source__force", "Force that answered")
    record_kind = django_filters.ChoiceFilter(
        choices=RECORD_KINDS, method="filter_record_kind", label="Kind of record supported"
    )
    field = AnyOfFilter(choices=[(name, name) for name in FACT_NAMES], label="Fact supported")
    tool = slug_choices(Tool, "tool", "Tool")
    deployment = IdsFilter(field_name="deployment", queryset=Deployment.objects.published(), label="Deployment (id)")
    assessment = IdsFilter(field_name="assessment", queryset=Assessment.objects.published(), label="Assessment (id)")
    supplier = slug_choices(Supplier, "supplier", "Supplier")
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(label="Sort by", fields=(("source", "source"), ("updated_at", "updated")))

    class Meta:
        model = Evidence
        fields = [
            "source",
            "foi_request",
            "force",
            "record_kind",
            "field",
            "tool",
            "deployment",
            "assessment",
            "supplier",
            "modified_after",
        ]

    def filter_record_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})
