"""No lost updates: one notion of a record's version, checked on every save.

A record's version is its `updated_at` (auto_now) in microseconds since 1970, as
text; every save moves it on. The admin keeps it in a hidden form field, the API
inside its ETag. In the transaction that saves, `check_version` locks the row
and raises EditConflict if the record moved on, with `edits_since`: who changed
what meanwhile, from the django-simple-history records.

The API refuses such a save (412). The admin merges instead, field by field
(`merge_fields`): what only the other editor changed is kept, what only this
editor changed is saved, and only a field both changed differently is a conflict.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.models import InlineForeignKeyField
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


@dataclass(frozen=True)
class FieldConflict:
    """A field both editors changed, to different values: shown side by side."""

    name: str
    label: str
    theirs: str  # the value saved meanwhile, as a reader knows it
    yours: str  # the value typed, kept in the field
    who: str  # who saved theirs, "" if unknown
    when: datetime | None


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


def merge_fields(
    initial: Mapping[str, Any], stored: Mapping[str, Any], posted: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of one record's field values: those the form was opened with,
    those stored now and those posted. Returns the values to save and the names of
    the fields both editors changed to different values (the posted value is kept
    for them, for the editor to confirm). A field whose opening value is unknown
    keeps the posted value."""
    merged, conflicts = {}, []
    for name, mine in posted.items():
        if name not in initial or name not in stored:
            merged[name] = mine
            continue
        base, theirs = initial[name], stored[name]
        if mine == base:
            merged[name] = theirs  # only the other editor changed it (or no one did)
        else:
            merged[name] = mine
            if theirs not in (base, mine):
                conflicts.append(name)
    return merged, conflicts


def last_change(model: type[models.Model], pk: Any, attname: str | None):
    """The historical record of the save that gave the field (its attname, None for
    any field) its stored value: who and when. None without history."""
    history = model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    records = list(history.order_by("-history_date", "-history_id")[:50])
    for newer, older in itertools.pairwise(records):
        if attname is None or getattr(newer, attname, None) != getattr(older, attname, None):
            return newer
    return records[-1] if records else None


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


# In the admin: each change form (the record's, and each row of its inlines) carries the
# values it was opened with (Django's `show_hidden_initial`), so a save can merge.

TAKE_THEIRS = "take_theirs"  # the form field listing the conflicting fields whose other value the editor takes
NOT_MERGED = ("change_reason", "version", TAKE_THEIRS)


def carry_opening_values(form) -> None:
    """Makes a change form carry the values it shows, for `merge_form` to know what
    the editor started from. Not for an unsaved record, nor for files."""
    if form.instance.pk is None:
        return
    form.fields[TAKE_THEIRS] = forms.MultipleChoiceField(
        required=False, choices=[(name, name) for name in form.fields], widget=forms.MultipleHiddenInput
    )
    # Not the row's key, its link to the record, its deletion box, nor files.
    skipped = {*NOT_MERGED, form.instance._meta.pk.name, "DELETE", "ORDER"}
    for name, field in form.fields.items():
        if name not in skipped and not isinstance(field, forms.FileField | InlineForeignKeyField):
            field.show_hidden_initial = True


def merge_form(form) -> None:
    """Merges a validated change form's values with the record as stored now (its row
    locked until the save's transaction ends): fields only someone else changed take
    their value; a field both changed differently is an error on it, showing theirs,
    keeping the value typed, and the form then carries the stored values so that the
    next submit (keeping the typed value, or taking theirs) is saved."""
    instance = form.instance
    model = type(instance)
    names = [
        name
        for name, field in form.fields.items()
        if field.show_hidden_initial and name in form.cleaned_data and form.add_initial_prefix(name) in form.data
    ]
    if instance.pk is None or not names:
        return
    stored_record = model._default_manager.filter(pk=instance.pk).order_by().select_for_update().first()
    if stored_record is None:
        form.add_error(None, f"Someone else deleted this {model._meta.verbose_name} after you opened the page.")
        return
    stored = {name: stored_value(form, stored_record, name) for name in names}
    for name in form.cleaned_data.get(TAKE_THEIRS) or []:
        if name in stored:
            set_value(form, name, stored[name])
    if form.data.get(form.add_prefix("version")) == version_of(stored_record) != "":
        return  # no save since the form was opened
    opened = {name: opening_value(form, name) for name in names}
    merged, conflicts = merge_fields(
        {name: comparable(form.fields[name], opened[name]) for name in names},
        {name: comparable(form.fields[name], stored[name]) for name in names},
        {name: comparable(form.fields[name], form.cleaned_data[name]) for name in names},
    )
    theirs_taken = [name for name in names if merged[name] != comparable(form.fields[name], form.cleaned_data[name])]
    for name in theirs_taken:
        set_value(form, name, stored[name])
    if not conflicts:
        return
    form.edit_conflicts = []
    for name in conflicts:
        field = form.fields[name]
        model_field = model_field_named(model, name)
        saved = last_change(model, instance.pk, model_field.attname if model_field else None)
        conflict = FieldConflict(
            name=name,
            label=str(field.label or name),
            theirs=shown(field, stored[name]),
            yours=shown(field, form.cleaned_data[name]),
            who=saved.history_user.get_username() if saved and saved.history_user else "",
            when=saved.history_date if saved else None,
        )
        form.edit_conflicts.append((conflict, form.add_prefix(TAKE_THEIRS)))
        who = conflict.who or "someone else"
        when = f" at {localtime(conflict.when):%Y-%m-%d %H:%M}" if conflict.when else ""
        form.add_error(
            name,
            ValidationError(
                f"{who}{when} changed this to “{conflict.theirs}” while you edited it. Your value is kept "
                "here: save again to keep yours, or tick “take theirs” in the list of changes above.",
                code="edit_conflict",
            ),
        )
    # The form now starts from the stored version: the other editor's values, and the typed ones.
    data = form.data.copy()
    for name in names:
        put_data(data, form.add_initial_prefix(name), form.fields[name], stored[name])
    for name in theirs_taken:
        put_data(data, form.add_prefix(name), form.fields[name], stored[name])
    data.setlist(form.add_prefix(TAKE_THEIRS), [])
    data[form.add_prefix("version")] = version_of(stored_record)
    form.data = data


def model_field_named(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def stored_value(form, record: models.Model, name: str) -> Any:
    """The field's value as stored, as the form would clean it."""
    model_field = model_field_named(type(record), name)
    if model_field is None or not model_field.concrete:
        return form.get_initial_for_field(form.fields[name], name)  # a form field of its own, read on opening
    if model_field.many_to_many:
        return list(getattr(record, name).all())
    return getattr(record, name)


def opening_value(form, name: str) -> Any:
    field = form.fields[name]
    return field.hidden_widget().value_from_datadict(form.data, form.files, form.add_initial_prefix(name))


def set_value(form, name: str, value: Any) -> None:
    """The form saves `value` for the field (in place of what was posted)."""
    form.cleaned_data[name] = value
    model_field = model_field_named(type(form.instance), name)
    if model_field is not None and model_field.concrete and not model_field.many_to_many:
        setattr(form.instance, name, value)


def comparable(field: forms.Field, value: Any) -> Any:
    """A field's value, posted as text or cleaned, in one shape to compare: records by
    their key, lists as sorted tuples, text with the line ends a browser sends."""
    if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
        value = field.prepare_value(value)
    elif isinstance(value, str | list):
        with contextlib.suppress(ValidationError):
            value = field.to_python(value)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return tuple(sorted(str(comparable(forms.Field(), item)) for item in value))
    return str(value).replace("\r\n", "\n").strip()


def shown(field: forms.Field, value: Any) -> str:
    """A value as the editor reads it: a choice's label, a record's name."""
    if value in (None, "") or (isinstance(value, list | tuple | models.QuerySet) and not list(value)):
        return "(empty)"
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(shown(field, item) for item in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(flatten_choices(field.choices)).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def flatten_choices(choices) -> list:
    flat = []
    for key, label in choices:
        flat.extend(label if isinstance(label, list | tuple) else [(key, label)])
    return flat


def put_data(data, key: str, field: forms.Field, value: Any) -> None:
    """Writes a value into posted data, as the field's widget reads it back."""
    value = field.prepare_value(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        data.setlist(key, [str(item) for item in value])
    else:
        data[key] = "" if value is None else str(value)


def carries_opening_values(form) -> bool:
    """Whether the posted form carries the values it was opened with (see `carry_opening_values`)."""
    return any(form.add_initial_prefix(name) in form.data for name in form.fields)
