"""Build the POST an editor's browser would send from an admin change form."""


def form_data(response) -> dict:
    """The change form's current values, with its inline formsets, as POST data."""
    data = {}
    adminform = response.context["adminform"]
    _add_form(data, adminform.form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def _add_form(data: dict, form) -> None:
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
            continue
        data[key] = str(value)
