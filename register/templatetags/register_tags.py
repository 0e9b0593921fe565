"""Template helpers for showing facts with their evidence."""

from django import template

from core import search
from register.sourcing import has_value, shows_value

register = template.Library()


def published_evidence(record) -> list:
    """The record's published evidence: as the page's view prefetched it (pages prefetch
    only published evidence, with its source), else read (one query)."""
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    if "evidence" in prefetched:
        return list(prefetched["evidence"])
    return list(record.evidence.published().select_related("source"))


@register.filter
def evidence_for(record, field_name: str = ""):
    """The record's published evidence supporting one field ("" = the record itself)."""
    return [evidence for evidence in published_evidence(record) if evidence.field == field_name]


@register.filter
def has_published_source(record, field_name: str) -> bool:
    """Whether the page may show this fact's value: published evidence supports it
    (a tool's category: any published quote of the tool). Else it reads "Not disclosed"."""
    return shows_value(record, field_name, (evidence.field for evidence in published_evidence(record)))


@register.filter
def public_value(record, field_name: str) -> str:
    """A fact as a page shows it: its value in words where published evidence supports
    it, else "" (the page says "Not disclosed")."""
    if not has_value(record, field_name) or not has_published_source(record, field_name):
        return ""
    value = getattr(record, field_name)
    if record._meta.get_field(field_name).choices:
        return getattr(record, f"get_{field_name}_display")()
    return getattr(value, "label", value)  # a partial date as precise as its source


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
