"""Facet counts for a FilterSet: beside each option of each filter, how many
rows that option would give with the other active filters applied.

Works on any FilterSet, so a filter added later (a new choice, a yes/no
filter) gets its counts without changes here:

- a multiple-choice filter (a vocabulary, or records by slug) is counted with
  one grouped query over the rows the other filters select;
- a yes/no filter is counted with one query per answer, through the filter
  itself, so a filter with its own method (has a DPIA, overdue) counts exactly
  as it filters.
- a multiple-choice filter on a value computed in SQL gives that value to the rows
  it counts with its `facet_rows(rows)`, or counts them itself with its
  `facet_counts(rows)` (a deployment's state for each safeguard: all kinds in one pass).

The number of queries depends on the filters, never on the number of rows.
"""

from dataclasses import dataclass, field

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.db.models.constants import LOOKUP_SEP
from django.http import QueryDict

from .search import publication_rule, relation_field

# Parameters that change how rows are shown, not which rows.
NOT_FILTERS = ("page", "ordering", "format")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    multiple: bool = True
    # Options with rows left out of `options` (see `most_options`).
    more: int = 0

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


def valid_data(filterset: django_filters.FilterSet) -> QueryDict:
    """The filterset's query without the parameters that failed validation
    (shown to the user as errors), without paging and ordering, and without
    parameters that are no filter (a link's tracking tags), which would only
    multiply the cached counts."""
    data = QueryDict(mutable=True)
    raw = filterset.data if filterset.data is not None else {}
    for key in raw:
        if key in filterset.filters:
            data.setlist(key, raw.getlist(key) if hasattr(raw, "getlist") else _as_list(raw[key]))
    for name in (*filterset.form.errors, *NOT_FILTERS):
        data.pop(name, None)
    return data


def _as_list(value) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def filter_errors(filterset: django_filters.FilterSet) -> list[str]:
    """Readable messages, one per filter value that could not be understood."""
    messages = []
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        for error in errors:
            messages.append(f"{label}: {error}")
    return messages


def is_facet(filter_) -> bool:
    return isinstance(filter_, django_filters.MultipleChoiceFilter | django_filters.BooleanFilter) and not isinstance(
        filter_, django_filters.OrderingFilter
    )


def _rows_without(filterset: django_filters.FilterSet, data: QueryDict, name: str):
    """The rows the other filters select. Most facets have no value chosen: their rows
    are the list's own, already filtered, and no FilterSet is built again for them."""
    if name not in data:
        return filterset.qs
    others = data.copy()
    others.pop(name, None)
    return type(filterset)(others, queryset=filterset.queryset, request=filterset.request).qs


def _crosses_to_many(model, path: str) -> bool:
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _counts_from_related(model, rows, path: str) -> dict[str, int] | None:
    """Rows per value of `path` where it starts with a to-many relation to records with no
    publication rule of their own (the kinds of tool a request asked about, the exemptions it
    cites): counted from the related table alone, by the rows' ids, where a join from the rows'
    table would read each of its long rows. None for a path of another shape."""
    name, _, rest = path.partition(LOOKUP_SEP)
    field = relation_field(model, name)
    if field is None or not (field.one_to_many or field.many_to_many) or (field.many_to_many and field.auto_created):
        return None
    if publication_rule(model, path):
        return None
    ids = rows.order_by().values("pk")
    if field.many_to_many:  # declared on the rows' model: count its links
        related = field.remote_field.through._default_manager
        owner, value = field.m2m_field_name(), field.m2m_reverse_field_name()
        value = f"{value}{LOOKUP_SEP}{rest}" if rest else value
    else:  # the records pointing to the rows
        related = field.related_model._default_manager
        owner, value = field.field.name, rest or "pk"
    grouped = (
        related.filter(**{f"{owner}__in": ids})
        .order_by()
        .values_list(value)
        .annotate(total=Count(owner, distinct=True))
    )
    return {str(value): total for value, total in grouped if value is not None}


def _grouped_counts(filterset, rows, path: str, computed=None) -> dict[str, int]:
    """Rows per value of `path`, counting each row once even across a to-many join,
    and only through records the public may see, as the filters follow `path`
    (`core.filters.through_published`): a tool counts under a force only through a
    published deployment. `computed(rows)` gives the rows a computed `path`."""
    model = filterset.queryset.model
    if computed is None and _crosses_to_many(model, path):
        counts = _counts_from_related(model, rows, path)
        if counts is not None:
            return counts
    repeats_rows = rows.query.distinct or _crosses_to_many(model, path)
    if repeats_rows or any(annotation.contains_aggregate for annotation in rows.query.annotations.values()):
        rows = model._default_manager.filter(pk__in=rows.order_by().values("pk"))
    if computed is not None:
        rows = computed(rows)
    # In one filter() the rule's joins are those the grouping below reuses: it holds for the values counted.
    rows = rows.filter(publication_rule(model, path))
    # Counting distinct ids only where a join can repeat a row: it costs a sort.
    grouped = rows.order_by().values_list(path).annotate(total=Count("pk", distinct=repeats_rows))
    return {str(value): total for value, total in grouped if value is not None}


def _choice_facet(filterset, data: QueryDict, name: str, filter_) -> Facet:
    form_field = filterset.form.fields[name]
    selected = set(data.getlist(name))
    rows = _rows_without(filterset, data, name)
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        key = filter_.extra.get("to_field_name") or "pk"
        path = filter_.field_name
        path = path if path.endswith(f"__{key}") or key == "pk" else f"{path}__{key}"
        counts = _grouped_counts(filterset, rows, path)
        choices = [(str(getattr(record, key)), str(record)) for record in form_field.queryset]
    else:
        if hasattr(filter_, "facet_counts"):
            counts = filter_.facet_counts(rows)
        else:
            counts = _grouped_counts(filterset, rows, filter_.field_name, getattr(filter_, "facet_rows", None))
        choices = [(str(value), str(label)) for value, label in form_field.choices]
    options = [FacetOption(value, label, counts.get(value, 0), value in selected) for value, label in choices]
    return Facet(name, str(form_field.label or name), options)


def _boolean_facet(filterset, data: QueryDict, name: str) -> Facet:
    form_field = filterset.form.fields[name]
    chosen = filterset.form.cleaned_data.get(name) if name not in filterset.form.errors else None
    rows = _rows_without(filterset, data, name)
    options = []
    for value, label, meaning in (("true", "Yes", True), ("false", "No", False)):
        count = filterset.filters[name].filter(rows, meaning).count()
        options.append(FacetOption(value, label, count, chosen is meaning))
    return Facet(name, str(form_field.label or name), options, multiple=False)


# A facet over a large vocabulary (2,000 tools) shows its chosen options and
# the most frequent ones; search finds the rest.
MOST_OPTIONS = 15


def most_options(facet: Facet, most: int = MOST_OPTIONS) -> Facet:
    """`facet` with its chosen options and the `most` that give the most rows, in their order."""
    if len(facet.options) <= most:
        return facet
    others = [option for option in facet.options if option.count and not option.selected]
    frequent = {id(option) for option in sorted(others, key=lambda option: -option.count)[:most]}
    facet.options = [option for option in facet.options if option.selected or id(option) in frequent]
    facet.more = max(0, len(others) - most)
    return facet


def facet_counts(filterset: django_filters.FilterSet, names: list[str] | None = None) -> list[Facet]:
    """The facets of a bound filterset, in its declared order (or `names`' order)."""
    filterset.is_valid()  # validate once so errors can be left out of every count
    data = valid_data(filterset)
    facets = []
    for name in names or list(filterset.filters):
        filter_ = filterset.filters[name]
        if not is_facet(filter_):
            continue
        if isinstance(filter_, django_filters.BooleanFilter):
            facets.append(_boolean_facet(filterset, data, name))
        else:
            facets.append(most_options(_choice_facet(filterset, data, name, filter_)))
    return facets
