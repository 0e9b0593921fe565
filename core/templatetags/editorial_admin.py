"""The admin's submit row for editorial records, with the reason for the change beside the buttons."""

from django import template
from django.contrib.admin.templatetags.admin_modify import submit_row

register = template.Library()


@register.inclusion_tag("admin/editorial/submit_line.html", takes_context=True)
def editorial_submit_row(context):
    """Django's submit row (the same buttons, for the same rights), from our template."""
    return submit_row(context)


@register.inclusion_tag("admin/editorial/edit_conflicts.html", takes_context=True)
def edit_conflicts(context):
    """The fields both editors changed, in the record's form and in its inlines' rows."""
    forms = [context["adminform"].form] if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        forms.extend(inline.formset.forms)
    conflicted = [form for form in forms if getattr(form, "edit_conflicts", None)]
    return {"conflicted_forms": conflicted, "has_edit_conflicts": bool(conflicted)}
