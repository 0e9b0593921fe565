"""One FilterSet per resource, shared by the HTML list pages and the API.

A value that cannot be understood (an unknown slug, a category that does not
exist, a year of "abc") makes the FilterSet invalid: the API answers 400 and a
page shows the message, rather than silently ignoring the filter.
"""

import django_filters
from django.db.models import Exists, OuterRef

from core.filters import (
    AnyOfFilter,
    FilterSet,
    StableOrderingFilter,
    StrictBooleanFilter,
    modified_after_filter,
    search_filter,
    slug_choices,
)

from .models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Force,
    ForceKind,
    Nation,
    Origin,
    Supplier,
    Technique,
    Tool,
    ToolCategory,
)


def has_assessment_filter(kind: AssessmentKind, label: str):
    """Deployments with (true) or without (false) a conducted assessment of one kind."""

    def filter_has(queryset, name, value):
        # The deployment is one the reader may see: of the assessment, its own flag is left to check.
        conducted = Exists(
            Assessment.objects.published_under_published().filter(
                deployment=OuterRef("pk"), kind=kind, result=AssessmentResult.CONDUCTED
            )
        )
        return queryset.filter(conducted if value else ~conducted)

    return StrictBooleanFilter(method=filter_has, label=label)


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
    # Partial dates are stored as ISO text ("2021-11"), so a year range is a text range.
    started_from = django_filters.NumberFilter(
        field_name="started",
        method="filter_started_from",
        label="Started in or after (year)",
        min_value=1900,
        max_value=2100,
    )
    started_to = django_filters.NumberFilter(
        field_name="started",
        method="filter_started_to",
        label="Started in or before (year)",
        min_value=1900,
        max_value=2100,
    )
    has_dpia = has_assessment_filter(AssessmentKind.DPIA, "Has a DPIA")
    has_equality_assessment = has_assessment_filter(AssessmentKind.EQUALITY, "Has an equality assessment")
    has_bias_testing = has_assessment_filter(AssessmentKind.BIAS_TESTING, "Has bias testing")
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
            "modified_after",
        ]

    def filter_started_from(self, queryset, name, value):
        return queryset.filter(started__gte=f"{int(value):04d}")

    def filter_started_to(self, queryset, name, value):
        return queryset.filter(started__lt=f"{int(value) + 1:04d}")


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
