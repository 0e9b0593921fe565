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
        _add_value(data, form.add_prefix(name), form[name].value())
        if form.fields[name].show_hidden_initial:  # the values the form was opened with, as a browser sends them
            key = form.add_initial_prefix(name)
            if form.is_bound and key in form.data:  # a form shown again carries them on
                value = form.fields[name].hidden_widget().value_from_datadict(form.data, form.files, key)
                data[key] = value if isinstance(value, list) else str(value)
            else:
                _add_value(data, key, form[name].value())


def _add_value(data: dict, key: str, value) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[key] = "on"
        return
    if isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
        return
    data[key] = str(value)
