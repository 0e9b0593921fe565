"""No lost updates: one notion of a record's version, checked on every save.

A record's version is its `updated_at` (auto_now) in microseconds since 1970, as
text; every save moves it on. The admin keeps it in a hidden form field, the API
inside its ETag. In the transaction that saves, `check_version` locks the row
and raises EditConflict if the record moved on, with `edits_since`: who changed
what meanwhile, from the django-simple-history records.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.utils.timezone import localtime

from .parsers import whole_number

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class FieldChange:
    name: str  # the field's name, as the API names it
    label: str  # its verbose name, as the admin labels it
    old: str  # the values, shortened to where they differ
    new: str


@dataclass(frozen=True)
class ConcurrentEdit:
    """One save made by someone else since the version the editor started from."""

    when: datetime
    who: str  # username, "" if unknown
    reason: str
    changes: tuple[FieldChange, ...]


class EditConflict(Exception):
    """The record changed since the version the client started from."""

    def __init__(self, model: type[models.Model], edits: list[ConcurrentEdit]):
        self.model = model
        self.edits = edits
        super().__init__(self.message)

    @property
    def message(self) -> str:
        name = self.model._meta.verbose_name
        if not self.edits:
            return f"This {name} was changed by someone else after you opened it. Reload it and make your change again."
        parts = []
        for edit in self.edits:
            fields = "; ".join(f"{c.label}: “{c.old}” → “{c.new}”" for c in edit.changes) or "no field values"
            reason = f" (reason: {edit.reason})" if edit.reason else ""
            who = edit.who or "someone"
            parts.append(f"{who} at {localtime(edit.when):%Y-%m-%d %H:%M:%S} changed {fields}{reason}")
        return (
            f"This {name} was changed by someone else after you opened it, so your save was refused to keep "
            f"their change: {' | '.join(parts)}. Reload it to see the current version and make your change again."
        )


def version_of(instance: models.Model) -> str:
    """The record's version: its `updated_at` in microseconds since 1970, as text ("" if unsaved)."""
    return _version(getattr(instance, "updated_at", None))


def stored_version(model: type[models.Model], pk: Any, *, lock: bool = False) -> str:
    """The record's version as stored. With `lock` (inside a transaction), the row
    stays locked until the transaction ends, so no other save can slip in."""
    # No ordering: the model's default one may join other tables, whose rows would be locked too.
    queryset = model._default_manager.filter(pk=pk).order_by()
    if lock:
        queryset = queryset.select_for_update()
    return _version(queryset.values_list("updated_at", flat=True).first())


def check_version(model: type[models.Model], pk: Any, version: str) -> None:
    """Lock the record's row, then raise EditConflict unless it is still at `version`.

    Call inside the transaction that saves. An empty version is a conflict: the
    client did not say which version it edited.
    """
    current = stored_version(model, pk, lock=True)
    if current and current != version:
        raise EditConflict(model, edits_since(model, pk, version))


def edits_since(model: type[models.Model], pk: Any, version: str) -> list[ConcurrentEdit]:
    """The saves made after `version`, oldest first: who, when, why and what changed."""
    since = _moment(version)
    if since is None:
        return []
    history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    records = list(history.order_by("history_date", "history_id"))
    # What the editor saw is the last historical record at or before that version.
    base = max((i for i, r in enumerate(records) if r.updated_at and r.updated_at <= since), default=0)
    edits = []
    for previous, record in itertools.pairwise(records[base:]):
        delta = record.diff_against(previous, foreign_keys_are_objs=False)
        changes = tuple(
            FieldChange(
                change.field,
                str(model._meta.get_field(change.field).verbose_name),
                *differing_parts(change.old, change.new),
            )
            for change in delta.changes
        )
        edits.append(
            ConcurrentEdit(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "",
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return edits


def _version(updated_at: datetime | None) -> str:
    return str((updated_at - EPOCH) // MICROSECOND) if updated_at else ""


def _moment(version: str) -> datetime | None:
    """The moment a version (ASCII digits: see `_version`) names, or None."""
    microseconds = whole_number(version)
    if microseconds is None:
        return None
    try:
        return EPOCH + microseconds * MICROSECOND
    except OverflowError:
        return None


SHOWN = 80  # characters of each value a message shows
CONTEXT = 20  # characters kept before the first difference


def differing_parts(old: Any, new: Any) -> tuple[str, str]:
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
