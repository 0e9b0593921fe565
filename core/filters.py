"""FilterSet building blocks shared by every app's FilterSets: strict yes/no
filters, any-of choices, records chosen by slug, search, incremental sync and a
stable sort. Each app's FilterSets (one per resource) drive both its HTML list
and its API endpoint."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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
    word of the query in any of the fields elsewhere (see `core.search`).
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


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by the chosen columns, then by id: rows that tie (two deployments
    started the same year) keep one order, so pages neither repeat nor skip a row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs
