"""A list filter over many values (48 forces, 36 exemptions, every supplier) shown as one
list to choose from, instead of a sidebar of links as long as the page.

A plain form (GET) with a `<select>`: it works without JavaScript, a researcher types the
first letters of a force to reach it, and its hidden fields keep the list's other filters,
search and ordering. Django's own facet counts show beside each value when turned on.
"""

from django.contrib import admin


class SelectListFilter(admin.RelatedFieldListFilter):
    """Use in `list_filter` as `("force", SelectListFilter)`."""

    template = "admin/select_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        # "All" submits an empty value: it means no filter, not a lookup of "".
        lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        if params.get(lookup_kwarg) in ([""], ""):
            del params[lookup_kwarg]
        super().__init__(field, request, params, model, model_admin, field_path)

    @property
    def include_empty_choice(self) -> bool:
        # One value per select: "has none" stays with the other filters (e.g. `EmptyFieldListFilter`).
        return False

    def choices(self, changelist):
        # The list's other parameters, for the form's hidden fields (this filter's own are the select).
        own = set(self.expected_parameters())
        self.other_parameters = [
            (name, value) for name, values in changelist.filter_params.items() if name not in own for value in values
        ]
        choices = list(super().choices(changelist))
        # Django's choices: "All", then one per value in `lookup_choices`' order (with its facet count).
        selected = {str(value) for value in self.lookup_val or []}
        self.options = [{"value": "", "label": choices[0]["display"], "selected": not selected}] + [
            {"value": str(pk), "label": choice["display"], "selected": str(pk) in selected}
            for (pk, _), choice in zip(self.lookup_choices, choices[1:], strict=False)
        ]
        return choices
