"""Template helpers for showing facts with their evidence."""

from django import template

register = template.Library()


@register.filter
def evidence_for(record, field_name: str = ""):
    """The record's prefetched evidence supporting one field ("" = the record itself)."""
    return [evidence for evidence in record.evidence.all() if evidence.field == field_name]


@register.filter
def partial_date(value) -> str:
    """A partial date as precise as its source gave it; "" when unknown."""
    return value.label if value else ""
