"""The admin's submit row for editorial records, with the reason for the change beside the buttons."""

from django import template
from django.contrib.admin.templatetags.admin_modify import submit_row

register = template.Library()


@register.inclusion_tag("admin/editorial/submit_line.html", takes_context=True)
def editorial_submit_row(context):
    """Django's submit row (the same buttons, for the same rights), from our template."""
    return submit_row(context)
