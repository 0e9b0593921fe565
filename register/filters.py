"""One FilterSet per resource, shared by the HTML list pages and the API.

A value that cannot be understood (an unknown slug, a category that does not
exist, a year of "abc") makes the FilterSet invalid: the API answers 400 and a
page shows the message, rather than silently ignoring the filter.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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
from .search import search


class StrictNullBooleanSelect(forms.NullBooleanSelect):
    """Keeps a value it does not recognise (instead of reading it as "any"), so
    that the field can reject it."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if value is None and raw not in (None, "", "unknown") else value


class StrictNullBooleanField(forms.NullBooleanField):
    widget = StrictNullBooleanSelect

    def to_python(self, value):
        if isinstance(value, str) and value not in ("True", "true", "1", "False", "false", "0"):
            raise forms.ValidationError("“%(value)s” is not true or false.", code="invalid", params={"value": value})
        return super().to_python(value)

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """true or false; any other value is an error rather than "no filter"."""

    field_class = StrictNullBooleanField


def search_filter(*fields: str, name_fields: tuple[str, ...] | None = None, never_match=None):
    """A `search` filter: full-text and near-miss search on PostgreSQL, every
    word of the query in any of the fields elsewhere (see `register.search`).
    `name_fields` (default: the first field) are also matched when misspelt.
    `never_match(words)` gives a condition on rows a search must not find."""

    def filter_search(queryset, name, value):
        queryset = search(queryset, value, fields, name_fields)
        if never_match is not None:
            queryset = queryset.exclude(never_match(value.split()))
        return queryset

    return django_filters.CharFilter(method=filter_search, label="Search")


def modified_after_filter():
    return django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label="Changed after (ISO 8601 date and time)",
        help_text="Only records changed after this moment, e.g. 2026-01-31T00:00:00Z: for incremental sync.",
    )


class AnyOfFilter(django_filters.MultipleChoiceFilter):
    """Rows whose field has any of the chosen values. Without DISTINCT unless
    asked (`distinct=True` for a to-many field): a field of the row, or of a
    record it points to, never repeats a row, and DISTINCT sorts whole rows."""

    def __init__(self, *args, distinct: bool = False, **kwargs):
        super().__init__(*args, distinct=distinct, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Records chosen by slug (documented in the API schema as strings)."""


def slug_choices(model, field_name: str, label: str):
    """Choose records by slug, several at once: ?force=gwent&force=essex."""
    return SlugMultipleChoiceFilter(
        # django-filter filters on `field_name=<the chosen record's slug>`, so the path must end in the slug.
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=model.objects.published(),
        label=label,
        # A record it points to, one per row: no DISTINCT needed.
        distinct=False,
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


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by the chosen columns, then by id: rows that tie (two deployments
    started the same year) keep one order, so pages neither repeat nor skip a row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class ForceFilter(django_filters.FilterSet):
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


class SupplierFilter(django_filters.FilterSet):
    search = search_filter("name", "description")
    in_house = StrictBooleanFilter(
        field_name="force", lookup_expr="isnull", exclude=True, label="A team inside a force"
    )
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(label="Sort by", fields=(("name", "name"), ("updated_at", "updated")))

    class Meta:
        model = Supplier
        fields = ["search", "in_house", "modified_after"]


class ToolFilter(django_filters.FilterSet):
    search = search_filter("name", "description", "supplier__name")
    category = AnyOfFilter(choices=ToolCategory.choices, label="Category")
    technique = AnyOfFilter(choices=Technique.choices, label="Technique")
    origin = AnyOfFilter(choices=Origin.choices, label="Built in house or bought")
    supplier = slug_choices(Supplier, "supplier", "Supplier")
    force = SlugMultipleChoiceFilter(
        field_name="deployments__force__slug",
        to_field_name="slug",
        queryset=Force.objects.published(),
        label="Used by force",
        distinct=True,
    )
    modified_after = modified_after_filter()
    ordering = StableOrderingFilter(
        label="Sort by", fields=(("name", "name"), ("category", "category"), ("updated_at", "updated"))
    )

    class Meta:
        model = Tool
        fields = ["search", "category", "technique", "origin", "supplier", "force", "modified_after"]


class DeploymentFilter(django_filters.FilterSet):
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


class AssessmentFilter(django_filters.FilterSet):
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
