"""FilterSet building blocks shared by every app's FilterSets: strict yes/no
filters, any-of choices, records chosen by slug, search, incremental sync and a
stable sort. Each app's FilterSets (one per resource) drive both its HTML list
and its API endpoint."""

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Exists, Model, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.http import QueryDict
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .partial_dates import (
    ACCEPTED_FORMS,
    PartialDate,
    PartialDateFormField,
    may_be_on_or_after,
    may_be_on_or_before,
)
from .search import SEARCH_MAX_LENGTH, corrected_search, public_rows, publication_rule, relation_field


def without_empty_values(data):
    """The query without its empty values: `?force=` (what an empty form field
    sends) means no filter, and `?force=&force=essex` means essex."""
    if data is None:
        return None
    if not hasattr(data, "getlist"):
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, list | tuple):
                value = [item for item in value if item != ""]
            if value not in ("", []):
                cleaned[key] = value
        return cleaned
    cleaned = QueryDict(mutable=True)
    for key in data:
        values = [value for value in data.getlist(key) if value != ""]
        if values:
            cleaned.setlist(key, values)
    cleaned._mutable = False
    return cleaned


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: an empty value means no filter, as in
    django-filter's own forms (where an empty text input or "any" choice sends
    `name=`), for every filter, including choices and records by slug. The API
    schema says so (`allowEmptyValue`, see `core.api.RegisterAutoSchema`)."""

    empty_means_no_filter = True

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(without_empty_values(data), *args, **kwargs)


class StrictNullBooleanSelect(forms.NullBooleanSelect):
    """Keeps a value it does not recognise (instead of reading it as "any"), so
    that the field can reject it."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        # "2" and "3" are Django's old spellings of yes and no: not here, where they would read as numbers.
        if raw in ("2", "3"):
            return raw
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


class SearchFilter(django_filters.CharFilter):
    """A `search` filter (see `search_filter`); after filtering, `corrections`
    holds the misspelt words it searched for instead ({typed: [words]})."""

    def __init__(self, *fields: str, never_match=None, **kwargs):
        self.search_fields = fields
        self.never_match = never_match
        self.corrections: dict[str, list[str]] = {}
        super().__init__(label="Search", max_length=SEARCH_MAX_LENGTH, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs, self.corrections = corrected_search(qs, value, self.search_fields)
        if self.never_match is not None:
            qs = qs.exclude(self.never_match(value.split()))
        return qs


def search_filter(*fields: str, never_match=None) -> SearchFilter:
    """A `search` filter: every word of the query in any of the fields, on each
    database's full-text engine, misspelt words corrected (see `core.search`).
    `never_match(words)` gives a condition on rows a search must not find.
    A query longer than `SEARCH_MAX_LENGTH` characters is refused (400)."""
    return SearchFilter(*fields, never_match=never_match)


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, in ASCII digits, of a moment that has a date
    in UTC, the time zone the database compares in: "9999-12-31T23:59:59-14:00"
    is a valid text whose moment falls after year 9999, which Python cannot
    represent (an OverflowError, not a ValidationError). Cleaned to UTC."""

    default_error_messages = {
        "out_of_range": "“%(value)s” is out of range: use a moment from 0001-01-01 to 9999-12-31 in UTC.",
    }

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range", params={"value": value}
            ) from None


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """Every date-time filter's class: a moment within Python's and the database's range."""

    field_class = BoundedIsoDateTimeField


def modified_after_filter():
    return BoundedIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label="Changed after (ISO 8601 date and time)",
        help_text="Only records changed after this moment, e.g. 2026-01-31T00:00:00Z: for incremental sync.",
    )


class WrittenDateField(PartialDateFormField):
    """A year, month or day as people write it (`parse_written_date`), within the years
    the register can hold: no police force ran an algorithmic tool before 1900."""

    def __init__(self, *args, min_year: int = 1900, max_year: int = 2100, max_length: int | None = None, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        # Checked on the text before it is read: CharField's own check would measure the date read.
        self.max_text_length = max_length
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> PartialDate | None:
        if self.max_text_length is not None and isinstance(value, str) and len(value) > self.max_text_length:
            raise forms.ValidationError(
                "Ensure this value has at most %(limit)s characters (it has %(length)s).",
                code="max_length",
                params={"limit": self.max_text_length, "length": len(value)},
            )
        date = super().to_python(value)
        if date is not None and not self.min_year <= date.year <= self.max_year:
            raise forms.ValidationError(
                "“%(value)s” is out of range: write a date from %(min)s to %(max)s.",
                code="out_of_range",
                params={"value": value, "min": self.min_year, "max": self.max_year},
            )
        return date


class WrittenDateFilter(django_filters.Filter):
    """Rows whose partial date (`core.partial_dates`) may fall on or after (`bound="from"`)
    or on or before (`bound="to"`) a date written as people write it: a date known only to
    the year or the month matches when it may fall in the range."""

    field_class = WrittenDateField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs.setdefault("max_length", 40)  # the longest written date is about 30 characters
        kwargs.setdefault(
            "help_text",
            f"A year, month or day, as written: {ACCEPTED_FORMS}. A date known only to the year or the month "
            "matches when it may fall in the range.",
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        rule = may_be_on_or_after if self.bound == "from" else may_be_on_or_before
        return self.get_method(qs)(rule(self.field_name, value))


def through_published(model, path: str, values) -> Q:
    """A condition on rows of `model`: `path` ("deployments__force__slug") has one
    of `values`, reached only through records the public may see. The records it
    points to must be published (`publication_rule`: those the row's own rule does
    not already require); a to-many relation is
    followed by an EXISTS on the related model's public rows (`published()`), the
    rest of the path inside it the same way, so that no row repeats and no
    DISTINCT is needed. The row's own publication is its queryset's."""
    names = path.split(LOOKUP_SEP)
    reached = model
    for index, name in enumerate(names):
        field = relation_field(reached, name)
        if field is None:
            break
        if field.one_to_many or field.many_to_many:
            head, rest = LOOKUP_SEP.join(names[:index]), LOOKUP_SEP.join(names[index + 1 :]) or "pk"
            related = field.related_model
            rows = public_rows(related).filter(**{field.remote_field.name: OuterRef(head or "pk")})
            return publication_rule(model, head) & Q(Exists(rows.filter(through_published(related, rest, values))))
        reached = field.related_model
    return publication_rule(model, path) & Q(**{f"{path}__in": values})


class FollowsPublished:
    """For a filter on a field of the row or of records it reaches, chosen from a
    list: rows with any of the chosen values, through records the public may see
    only (`through_published`), whatever the path, so that a draft (a deployment,
    the force it names) never changes which rows a filter gives. Without DISTINCT:
    a to-many relation is an EXISTS. Facet counts follow the same rule
    (`core.facets`)."""

    def filter(self, qs, value):
        if not value:
            return qs
        chosen = {self.chosen_value(item) for item in value}
        return self.get_method(qs)(through_published(qs.model, self.field_name, chosen))

    def chosen_value(self, item):
        if isinstance(item, Model):
            key = self.extra.get("to_field_name")
            return getattr(item, key) if key else item.pk
        return item


class AnyOfFilter(FollowsPublished, django_filters.MultipleChoiceFilter):
    """Rows whose field (of the row, or of a record it reaches) has any of the chosen values."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)  # never needed: see FollowsPublished
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class RecordsFilter(FollowsPublished, django_filters.ModelMultipleChoiceFilter):
    """Rows related to any of the chosen records (published ones: the filter's
    `queryset`), through records the public may see (see `FollowsPublished`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)  # never needed: see FollowsPublished
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(RecordsFilter):
    """Records chosen by slug (documented in the API schema as strings)."""


def slug_choices(model, field_name: str, label: str):
    """Choose published records by slug, several at once: ?force=gwent&force=essex.
    `field_name` is the path from the row to the record, to one ("force") or to
    many ("deployments__force": the tools a force uses, through its published
    deployments)."""
    return SlugMultipleChoiceFilter(
        # The path ends in the slug: facets count by it.
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=model.objects.published(),
        label=label,
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by the chosen columns, then by id: rows that tie (two deployments
    started the same year) keep one order, so pages neither repeat nor skip a row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs
