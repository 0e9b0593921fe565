"""The public change log: what changed in the published register, and when.

Built from django-simple-history's records. Only versions that were themselves
published, of records that are published now, are listed: a draft's edits,
an unpublished record and a deleted one never appear. FOI requesters' names and
emails are not in the history at all (excluded from FoiRequest's history), and
the editors' reasons stay in the admin: free text may name a person.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from foi_requests.models import FoiRequest
from register.models import Assessment, Deployment, Force, Supplier, Tool

# Each publishable model, with what its public label and link need loaded.
PUBLIC_MODELS: dict[type[models.Model], tuple[str, ...]] = {
    Force: (),
    Supplier: (),
    Tool: (),
    Deployment: ("force", "tool"),
    Assessment: ("deployment__force", "deployment__tool"),
    FoiRequest: ("force",),
}
# Bookkeeping fields that are not news to a reader.
HIDDEN_FIELDS = {"updated_at", "created_at", "is_published"}
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class PublicChange:
    key: str  # unique and stable, e.g. "tool-123" (history id): the feed entry's id
    when: datetime
    kind: str  # "Published" or "Updated"
    record_type: str
    record: models.Model
    fields: tuple[str, ...]  # verbose names of the fields that changed

    @property
    def url(self) -> str:
        if isinstance(self.record, Assessment):
            return self.record.deployment.get_absolute_url()
        get_url = getattr(self.record, "get_absolute_url", None)
        return get_url() if get_url else ""

    @property
    def title(self) -> str:
        return f"{self.kind}: {self.record_type} {self.record}"


def public_changes(limit: int = DEFAULT_LIMIT) -> list[PublicChange]:
    """The `limit` latest public changes across the register, newest first."""
    changes: list[PublicChange] = []
    for model, related in PUBLIC_MODELS.items():
        changes.extend(_changes_for(model, related, limit))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def _changes_for(model: type[models.Model], related: tuple[str, ...], limit: int) -> list[PublicChange]:
    pk_name = model._meta.pk.attname
    latest = list(
        model.history.filter(is_published=True, **{f"{pk_name}__in": model.objects.published().values("pk")})
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")[:limit]
    )
    if not latest:
        return []
    ids = {getattr(record, pk_name) for record in latest}
    live_records = model.objects.filter(pk__in=ids)
    if related:
        live_records = live_records.select_related(*related)
    live = {obj.pk: obj for obj in live_records}
    # Each listed version's predecessor, to tell "published" from "updated" and what changed.
    earlier: dict = {}
    for record in (
        model.history.filter(**{f"{pk_name}__in": ids}, history_date__lte=max(r.history_date for r in latest))
        .order_by(pk_name, "history_date", "history_id")
        .iterator()
    ):
        earlier.setdefault(getattr(record, pk_name), []).append(record)
    previous_of = {}
    for records in earlier.values():
        for before, after in itertools.pairwise(records):
            previous_of[after.history_id] = before
    record_type = str(model._meta.verbose_name)
    result = []
    for record in latest:
        previous = previous_of.get(record.history_id)
        if previous is None or not previous.is_published:
            kind, fields = "Published", ()
        else:
            # Many-to-many links kept with the versions (a request's exemptions) cost a query each: left out.
            m2m_names = [field.name for field in record._history_m2m_fields]
            delta = record.diff_against(previous, excluded_fields=m2m_names, foreign_keys_are_objs=False)
            fields = tuple(
                str(model._meta.get_field(change.field).verbose_name)
                for change in delta.changes
                if change.field not in HIDDEN_FIELDS
            )
            if not fields:
                continue  # a save that changed nothing the public sees
            kind = "Updated"
        result.append(
            PublicChange(
                key=f"{model._meta.model_name}-{record.history_id}",
                when=record.history_date,
                kind=kind,
                record_type=record_type,
                record=live[getattr(record, pk_name)],
                fields=fields,
            )
        )
    return result
