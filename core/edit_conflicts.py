"""No lost updates: optimistic concurrency on `updated_at`.

Every register record and FOI request has `updated_at` (auto_now), which every
save moves on. A form (or an API client, as an ETag) keeps the value it was
shown as the record's *version*; a save with an older version is refused and
told what changed meanwhile, from the django-simple-history records.

    token = version_token(record)                 # hidden field / ETag
    changes = check_version(type(record), record.pk, token)  # raises EditConflict
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.timezone import localtime


@dataclass(frozen=True)
class FieldChange:
    field: str  # the verbose name, as the admin labels it; values shortened to where they differ
    old: str
    new: str


@dataclass(frozen=True)
class ConcurrentEdit:
    """One save made by someone else since the version the editor started from."""

    when: datetime
    who: str
    reason: str
    changes: tuple[FieldChange, ...]


class EditConflict(Exception):
    """The record changed since the version the client started from."""

    def __init__(self, model: type[models.Model], current_version: str, edits: list[ConcurrentEdit]):
        self.model = model
        self.current_version = current_version
        self.edits = edits
        super().__init__(self.message)

    @property
    def message(self) -> str:
        name = self.model._meta.verbose_name
        if not self.edits:
            return f"This {name} was changed by someone else after you opened it. Reload it and make your change again."
        parts = []
        for edit in self.edits:
            fields = "; ".join(f"{c.field}: “{c.old}” → “{c.new}”" for c in edit.changes) or "no field values"
            reason = f" (reason: {edit.reason})" if edit.reason else ""
            parts.append(f"{edit.who} at {localtime(edit.when):%Y-%m-%d %H:%M:%S} changed {fields}{reason}")
        return (
            f"This {name} was changed by someone else after you opened it, so your save was refused to keep "
            f"their change: {' | '.join(parts)}. Reload it to see the current version and make your change again."
        )


def version_token(instance: models.Model) -> str:
    """The record's version as text: its `updated_at` to the microsecond ("" if unsaved)."""
    value = getattr(instance, "updated_at", None)
    return value.isoformat() if value else ""


def etag_for(instance: models.Model) -> str:
    """A strong HTTP ETag for the record's version, e.g. for an API's If-Match."""
    return f'"{version_token(instance)}"'


def token_from_etag(etag: str) -> str:
    """The version inside an If-Match / ETag value (quotes and W/ removed)."""
    etag = etag.strip()
    if etag.startswith("W/"):
        etag = etag[2:]
    return etag.strip('"')


def current_version(model: type[models.Model], pk, *, lock: bool = True) -> str:
    """The stored version, locking the row (inside a transaction) so that no
    other save can slip in between this check and the caller's save."""
    queryset = model._default_manager.filter(pk=pk)
    if lock:
        queryset = queryset.select_for_update()
    value = queryset.values_list("updated_at", flat=True).first()
    return value.isoformat() if value else ""


def _parse(token: str) -> datetime | None:
    try:
        return datetime.fromisoformat(token)
    except (TypeError, ValueError):
        return None


def edits_since(model: type[models.Model], pk, token: str) -> list[ConcurrentEdit]:
    """The saves made after version `token`, oldest first, with their field differences."""
    history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    since = _parse(token)
    if since is None:
        return []
    records = list(history.order_by("history_date", "history_id"))
    if since:
        # The version the editor saw is the last historical record with that updated_at.
        base_index = max((i for i, r in enumerate(records) if r.updated_at == since), default=None)
        if base_index is not None:
            records = records[base_index:]
        else:
            records = [r for r in records if r.updated_at and r.updated_at > since]
    edits = []
    for previous, record in itertools.pairwise(records):
        delta = record.diff_against(previous, foreign_keys_are_objs=False)
        changes = tuple(
            FieldChange(str(model._meta.get_field(change.field).verbose_name), *differing_parts(change.old, change.new))
            for change in delta.changes
            if change.field != "updated_at"
        )
        edits.append(
            ConcurrentEdit(
                when=record.history_date,
                who=str(record.history_user or "someone"),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return edits


SHOWN = 80  # characters of each value a message shows
CONTEXT = 20  # characters kept before the first difference


def differing_parts(old, new) -> tuple[str, str]:
    """Short renderings of two values that show where they differ: long texts
    are cut to the changed stretch, with "…" where text was left out."""
    old_text = "" if old is None else str(old)
    new_text = "" if new is None else str(new)
    if not old_text or not new_text:
        return old_text or "(empty)", new_text or "(empty)"
    prefix = 0
    while prefix < min(len(old_text), len(new_text)) and old_text[prefix] == new_text[prefix]:
        prefix += 1
    start = max(prefix - CONTEXT, 0)
    return _clip(old_text, start), _clip(new_text, start)


def _clip(text: str, start: int) -> str:
    clipped = text[start : start + SHOWN]
    return ("…" if start else "") + clipped + ("…" if start + SHOWN < len(text) else "")


def check_version(model: type[models.Model], pk, token: str) -> None:
    """Raise EditConflict unless the stored record is still at version `token`.

    Call inside the transaction that then saves (admin forms and API views
    are). An empty token is a conflict too: the client did not say which
    version it edited.
    """
    current = current_version(model, pk)
    if not current or current == token:
        return
    raise EditConflict(model, current, edits_since(model, pk, token))
