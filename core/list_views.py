"""The faceted list page every app's lists share."""

import django_filters
from django.views.generic import ListView

from .caching import cached
from .facets import NOT_FILTERS, facet_counts, filter_errors, valid_data
from .filters import WrittenDateFilter


class FacetedListView(ListView):
    """A list page driven by the resource's FilterSet (the one its API uses):
    facets with counts, search, sorting and paging, all in the query string.

    A value the FilterSet cannot understand is reported on the page and left
    out; the other filters still apply.
    """

    filterset_class = None
    paginate_by = 50
    # The API resource serving the same rows as CSV and JSON: /api/<resource>/.
    api_resource = ""
    # The data files offered beside the page, served at <page>/<name>.<format> by the
    # app's `core.downloads.DataFileView`: (name, format, link text).
    data_files = (
        ("data", "csv", "CSV"),
        ("data", "jsonl", "JSON Lines"),
        ("evidence", "csv", "Evidence (CSV)"),
    )
    # Filters shown as facets; None: every facetable filter of the FilterSet.
    facet_names: list[str] | None = None
    # Other filters offered as inputs (years, dates), beside `search`.
    input_names: list[str] = []
    noun_plural = "records"
    noun_singular = "record"

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET.copy(), queryset=self.get_base_queryset(), request=self.request
        )
        self.filterset.is_valid()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        data = valid_data(filterset)
        facets = cached(
            "facets",
            (type(filterset).__name__, self.facet_names, sorted(data.lists())),
            lambda: facet_counts(filterset, self.facet_names),
        )
        context.update(
            filterset=filterset,
            facets=facets,
            filter_errors=filter_errors(filterset),
            search_field=filterset.form["search"] if "search" in filterset.form.fields else None,
            input_fields=[self.input_field(name) for name in self.input_names],
            ordering_choices=self.ordering_choices(),
            sorting=self.sort_links(),
            current_ordering=self.request.GET.get("ordering", ""),
            active_filters=self.active_filters(data, facets),
            is_filtered=bool(data),
            download_links=self.download_links(),
            total=context["paginator"].count if context.get("paginator") else len(context["object_list"]),
            noun_plural=self.noun_plural,
            noun_singular=self.noun_singular,
        )
        return context

    def input_field(self, name: str) -> dict:
        """A year or date filter as a labelled input with the right keyboard on phones."""
        bound = self.filterset.form[name]
        filter_ = self.filterset.filters[name]
        is_date = isinstance(filter_, django_filters.DateFilter)
        return {
            "name": name,
            "id": f"filter-{name}",
            "label": bound.label,
            "value": self.request.GET.get(name, ""),
            "type": "date" if is_date else "text",
            # A written date ("March 2020") needs letters: the numeric keyboard only for numbers.
            "inputmode": "numeric" if isinstance(filter_, django_filters.NumberFilter) else "",
            "hint": "For example 2020, March 2020 or 1/10/2019" if isinstance(filter_, WrittenDateFilter) else "",
            "errors": bound.errors,
        }

    def ordering_choices(self) -> list[tuple[str, str]]:
        ordering = self.filterset.filters.get("ordering")
        return [(str(value), str(label)) for value, label in ordering.field.choices if value] if ordering else []

    def sort_links(self) -> dict[str, dict]:
        """For each sortable column: the address sorting by it (reversing the
        current order when it is already sorted by it) and its aria-sort state."""
        ordering = self.filterset.filters.get("ordering")
        if ordering is None:
            return {}
        current = self.request.GET.get("ordering", "")
        links = {}
        for param in ordering.param_map:
            query = self.request.GET.copy()
            query.pop("page", None)
            query["ordering"] = f"-{param}" if current == param else param
            state = "ascending" if current == param else "descending" if current == f"-{param}" else ""
            links[param] = {"url": f"?{query.urlencode()}", "state": state}
        return links

    def active_filters(self, data, facets) -> list[dict]:
        """Each active filter in words, with the address of the page without it."""
        labels = {facet.name: facet for facet in facets}
        active = []
        for name in data:
            if name in NOT_FILTERS or name not in self.filterset.form.fields:
                continue
            for value in data.getlist(name):
                without = data.copy()
                without.setlist(name, [v for v in data.getlist(name) if v != value])
                facet = labels.get(name)
                option = next((o for o in facet.options if o.value == value), None) if facet else None
                active.append(
                    {
                        "label": str(self.filterset.form.fields[name].label or name),
                        "value": option.label if option else value,
                        "url": "?" + without.urlencode() if without else "?",
                    }
                )
        return active

    def download_links(self) -> list[dict]:
        """Data files of exactly the rows these filters select (every page, streamed:
        `core.downloads`), beside the page's address. A filter value the page could not
        use is left out, as on the page."""
        query = valid_data(self.filterset)
        query.pop("page", None)
        ordering = self.request.GET.get("ordering")
        if ordering and "ordering" not in self.filterset.form.errors:
            query["ordering"] = ordering
        suffix = f"?{query.urlencode()}" if query else ""
        return [
            {"format": f"{name}.{fmt}", "label": label, "url": f"{self.request.path}{name}.{fmt}{suffix}"}
            for name, fmt, label in self.data_files
        ]
