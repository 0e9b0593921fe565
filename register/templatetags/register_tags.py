"""Template helpers for showing facts with their evidence."""

from django import template

from core import search

register = template.Library()


@register.filter
def evidence_for(record, field_name: str = ""):
    """The record's prefetched evidence supporting one field ("" = the record itself)."""
    return [evidence for evidence in record.evidence.all() if evidence.field == field_name]


@register.filter
def partial_date(value) -> str:
    """A partial date as precise as its source gave it; "" when unknown."""
    return value.label if value else ""


@register.filter
def highlight(text, query: str = ""):
    """The text, escaped, with the words of the query marked."""
    return search.highlight(text, query)


@register.filter
def excerpt(text, query: str = ""):
    """A passage of a long text around the first word of the query."""
    return search.excerpt(text, query)


@register.filter
def fact_label(record, field_name: str) -> str:
    """One fact of a record as its page labels it: the labels the admin offers when a quote is linked."""
    return type(record).FACTS[field_name]
