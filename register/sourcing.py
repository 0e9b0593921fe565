"""No fact without a source: which of a record's facts would show a value the
public cannot check against a quote.

Each fact a record's page shows (its model's `FACTS`, labelled as the page labels
them) needs a quote supporting that fact (`Evidence.field`), unless its value is
empty or unknown: the page then says "Not disclosed", which needs no source.
Some facts are carried by any quote about the record rather than one of their
own:

- a record's name, and the records it links (a deployment's force and tool, an
  assessment's kind): a quote about the record names them;
- a tool's category: the register's own classification of what the quotes
  describe, so it needs at least one quote of the tool.

A supplier's website is the register's link to find the supplier, not a claim
any source makes (like a force's website): it needs no quote and no page shows
it as a fact.

Publishing is refused while `unsourced_facts()` is not empty (`core.publishing`),
and so is deleting or moving the only quote of a published record's fact
(`facts_left_unsourced()`); pages show a value only where published evidence
supports it (`shows_value()`).
"""

from collections.abc import Iterable

from django.db import models

from .models import (
    Assessment,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    Origin,
    Supplier,
    Technique,
    Tool,
)

# The values a page shows as "Not disclosed".
NOT_DISCLOSED = frozenset({"", Technique.UNKNOWN, Origin.UNKNOWN, DeploymentStatus.UNKNOWN, AssessmentResult.UNKNOWN})

# The facts any quote about the record carries, in the order a message lists them.
CARRIED_BY_ANY_QUOTE: dict[type[models.Model], tuple[str, ...]] = {
    Tool: ("name", "category"),
    Supplier: ("name",),
    Deployment: ("force", "tool"),
    Assessment: ("kind",),
}

# Facts that are the register's own links rather than claims of a source.
THE_REGISTERS_OWN: dict[type[models.Model], tuple[str, ...]] = {Supplier: ("website",)}


def has_value(record: models.Model, name: str) -> bool:
    """Whether the page shows a value for this fact, rather than "Not disclosed"."""
    field = record._meta.get_field(name)
    if field.is_relation:
        return getattr(record, field.attname) is not None
    value = getattr(record, name)
    if value is None:
        return False
    return not (isinstance(value, str) and value.strip() in NOT_DISCLOSED)


def fact_label(model: type[models.Model], name: str) -> str:
    """A fact as the record's page labels it: "Technique"; a link not in `FACTS`: "Force"."""
    facts = getattr(model, "FACTS", {})
    return facts.get(name) or str(model._meta.get_field(name).verbose_name).capitalize()


def facts_needing_a_source(model: type[models.Model]) -> list[str]:
    """Every fact of a record of this kind that shows a value only with a quote."""
    own = THE_REGISTERS_OWN.get(model, ())
    carried = CARRIED_BY_ANY_QUOTE.get(model, ())
    return [*carried, *(name for name in getattr(model, "FACTS", {}) if name not in own and name not in carried)]


def shows_value(record: models.Model, name: str, evidence_fields: Iterable[str]) -> bool:
    """Whether a quote among `evidence_fields` (the `field` of each piece of evidence
    about the record; "" the record itself) supports this fact."""
    fields = set(evidence_fields)
    if name in CARRIED_BY_ANY_QUOTE.get(type(record), ()):
        return bool(fields)
    return name in fields or name in THE_REGISTERS_OWN.get(type(record), ())


def unsourced_fields(record: models.Model, evidence_fields: Iterable[str] | None = None) -> list[str]:
    """The names of the record's facts that show a value but no quote supports.

    `evidence_fields`: the `field` of each piece of evidence about the record, as it
    will be saved (an admin form's inline); None reads all of the record's evidence,
    whatever its source's state (a draft source's quote still counts: the pages show
    "Not disclosed" until it is published)."""
    model = type(record)
    if model not in CARRIED_BY_ANY_QUOTE:
        return []
    if evidence_fields is None:
        evidence_fields = record.evidence.values_list("field", flat=True) if record.pk is not None else []
    fields = set(evidence_fields)
    return [
        name
        for name in facts_needing_a_source(model)
        if has_value(record, name) and not shows_value(record, name, fields)
    ]


def unsourced_facts(record: models.Model, evidence_fields: Iterable[str] | None = None) -> list[str]:
    """The labels, as the record's page shows them, of its facts that show a value but
    have no evidence supporting them (see `unsourced_fields`)."""
    return [fact_label(type(record), name) for name in unsourced_fields(record, evidence_fields)]


def facts_left_unsourced(saved: Iterable[Evidence] = (), deleted: Iterable[Evidence] = ()) -> list[str]:
    """Why saving these quotes as they now stand (another fact, another record) and deleting
    those, together, is refused: one reason for each published record they were about that
    would be left showing a fact no quote supports. The editor adds another quote first,
    or unpublishes the record."""
    saved, deleted = list(saved), list(deleted)
    changed = [evidence.pk for evidence in (*saved, *deleted) if evidence.pk is not None]
    records = {}
    for stored in Evidence.objects.filter(pk__in=changed).select_related(*Evidence.TARGETS):
        if (record := stored.target) is not None and record.is_published:
            records[type(record), record.pk] = record
    reasons = []
    for (model, pk), record in records.items():
        target = next(name for name in Evidence.TARGETS if Evidence._meta.get_field(name).related_model is model)
        fields = [
            *record.evidence.exclude(pk__in=changed).values_list("field", flat=True),
            *(evidence.field for evidence in saved if getattr(evidence, f"{target}_id") == pk),
        ]
        if facts := unsourced_facts(record, fields):
            reasons.append(
                f"The only source of {', '.join(facts)} on {record}, which is published, would go: "
                "add another quote for it first, or unpublish the record."
            )
    return reasons
