"""Template helpers for showing facts with their evidence."""

from django import template

from core import search
from register import at_a_glance
from register.at_a_glance import published_evidence
from register.models import SAFEGUARD_HEADINGS, SAFEGUARD_KINDS, SafeguardState, foi_citation
from register.sourcing import has_value, shows_value

register = template.Library()


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


@register.filter
def safeguard_cells(deployment) -> list[at_a_glance.SafeguardCell]:
    """A deployment's safeguards as the cells of a table, one per kind (`register.at_a_glance`)."""
    return at_a_glance.safeguard_cells(deployment.safeguard_states())


@register.filter
def status_quote(deployment):
    """The published quote the deployment's status rests on, from its latest dated source (or None)."""
    return at_a_glance.status_quote(published_evidence(deployment))


@register.simple_tag
def safeguard_headings() -> list[tuple[str, str, str]]:
    """Each kind of safeguard with a state, as a column: (kind, short heading, full name)."""
    return [(kind.value, SAFEGUARD_HEADINGS[kind], kind.label) for kind in SAFEGUARD_KINDS]


@register.simple_tag
def safeguard_states() -> list[SafeguardState]:
    """Every state of a safeguard, in order, for the key."""
    return list(SafeguardState)


@register.filter
def citation(reference: str) -> str:
    """An FOI request cited by its reference, without doubling "FOI" (`foi_citation`)."""
    return foi_citation(reference) if reference else ""
