"""A record's history as the admin shows it: its own versions and those of its parts
(a deployment's assessments and evidence, a tool's deployments...), interleaved by time,
each with who, when, why and what changed, field by field.

Read from django-simple-history's tables, one query per kind of record (and one per
many-to-many field kept with the versions), however long the history. Imports no
model: the parts are named by their relations, e.g. "assessments" or "source__questions".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from simple_history.models import to_historic

from .edit_conflicts import FieldChange, differing_parts
from .partial_dates import PartialDate


@dataclass(frozen=True)
class HistoryEntry:
    """One version of the record or of one of its parts."""

    version: Any  # a django-simple-history record: its date, user, reason and type
    record: str  # what the version is of, named as it was then
    part: str  # the kind of part, e.g. "Assessment"; "" for the record itself
    url: str  # the version's page in the admin ("" when it has none)
    changes: tuple[FieldChange, ...]  # from the version before (none for a creation)


def record_history(record: models.Model, parts: Iterable[str] = ()) -> list[HistoryEntry]:
    """The versions of `record` and of its `parts`, newest first. A part is a reverse
    relation of the record ("assessments") or of a record it points to ("source__questions");
    its versions are those it had while it belonged to this record, deleted parts included."""
    model = type(record)
    entries = versions_entries(model, model.history.filter(**{model._meta.pk.attname: record.pk}), part="")
    for path in parts:
        part_model, link, holder_pk = resolve_part(record, path)
        if holder_pk is None:
            continue
        pk_name = part_model._meta.pk.attname
        ever_linked = part_model.history.filter(**{link: holder_pk}).values(pk_name)
        # All their versions, to measure each change from the one before, even from another record.
        versions = part_model.history.filter(**{f"{pk_name}__in": ever_linked})
        entries += versions_entries(
            part_model,
            versions,
            part=capfirst(part_model._meta.verbose_name),
            shown=lambda version, link=link, holder_pk=holder_pk: getattr(version, link) == holder_pk,
        )
    entries.sort(key=lambda entry: (entry.version.history_date, entry.version.history_id), reverse=True)
    return entries


def resolve_part(record: models.Model, path: str) -> tuple[type[models.Model], str, Any]:
    """For "assessments": (Assessment, "deployment_id", the record's pk); for "source__questions":
    (Question, "source_id", the record's source_id)."""
    *via, name = path.split("__")
    holder_model, holder_pk = type(record), record.pk
    for step in via:  # foreign keys of the record
        field = holder_model._meta.get_field(step)
        holder_model, holder_pk = field.related_model, getattr(record, field.attname)
    relation = holder_model._meta.get_field(name)  # the reverse of the part's foreign key
    return relation.related_model, relation.field.attname, holder_pk


def versions_entries(model: type[models.Model], versions, *, part: str, shown=None) -> list[HistoryEntry]:
    """Entries for `versions` (of records of `model`), each with its changes from the one before."""
    history_model = versions.model
    versions = list(
        versions.select_related("history_user", *label_paths(history_model)).order_by(
            model._meta.pk.attname, "history_date", "history_id"
        )
    )
    links = linked_records(history_model, versions)
    entries = []
    pk_name = model._meta.pk.attname
    for _, of_record in itertools.groupby(versions, key=lambda version: getattr(version, pk_name)):
        previous = None
        for version in of_record:
            if shown is None or shown(version):
                changes = changes_between(model, previous, version, links) if previous is not None else ()
                entries.append(
                    HistoryEntry(version, str(as_it_was(version)), part, version_url(model, version), changes)
                )
            previous = version
    return entries


def label_paths(history_model) -> list[str]:
    """The records a version's name and its changed links need, two links deep
    (an assessment is named after its deployment's tool and force): joined, not queried one by one."""
    paths = []
    for field in history_model.tracked_fields:
        if isinstance(field, models.ForeignKey):
            paths.append(field.name)
            paths += [
                f"{field.name}__{further.name}"
                for further in field.related_model._meta.concrete_fields
                if isinstance(further, models.ForeignKey)
            ]
    return paths


def as_it_was(version) -> models.Model:
    """The record as the version holds it, with the related records the query joined."""
    record = version.history_object
    for field in version.tracked_fields:
        if isinstance(field, models.ForeignKey) and field.is_cached(version):
            field.set_cached_value(record, field.get_cached_value(version))
    return record


def version_url(model: type[models.Model], version) -> str:
    opts = model._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            args=[getattr(version, opts.pk.attname), version.history_id],
        )
    except NoReverseMatch:  # a kind of record without its own admin page (questions)
        return ""


def linked_records(history_model, versions: list) -> dict[tuple[str, int], list[str]]:
    """For the many-to-many fields kept with the versions: (field, history id) to the names
    of the records linked then, read with one query per field."""
    links: dict[tuple[str, int], list[str]] = {}
    ids = [version.history_id for version in versions]
    for field in history_model._history_m2m_fields:
        link_model = getattr(history_model, field.name).model
        target = field.m2m_reverse_field_name()
        for row in link_model.objects.filter(history_id__in=ids).select_related(target):
            links.setdefault((field.name, row.history_id), []).append(str(getattr(row, target)))
    return links


def changes_between(model: type[models.Model], old, new, links: dict) -> tuple[FieldChange, ...]:
    """What changed from version `old` to `new`, field by field, labelled as the forms label them."""
    m2m_names = [field.name for field in new._history_m2m_fields]
    delta = new.diff_against(old, excluded_fields=m2m_names, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        before, after = differing_parts(shown_value(field, change.old), shown_value(field, change.new))
        changes.append(FieldChange(change.field, capfirst(field.verbose_name), before, after))
    for name in m2m_names:
        before = sorted(links.get((name, old.history_id), []))
        after = sorted(links.get((name, new.history_id), []))
        if before != after:
            label = capfirst(model._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, label, "; ".join(before) or "(none)", "; ".join(after) or "(none)"))
    return tuple(changes)


def shown_value(field: models.Field, value: Any) -> str:
    """A value as a reader knows it: a choice's label, a partial date in words."""
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, PartialDate):
        return value.label
    return str(value)


def history_parts_names(model: type[models.Model], parts: Iterable[str]) -> str:
    """The parts as a page names them: "assessments and evidence"."""
    names = [str(resolve_part_model(model, path)._meta.verbose_name_plural) for path in parts]
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def resolve_part_model(model: type[models.Model], path: str) -> type[models.Model]:
    *via, name = path.split("__")
    for step in via:
        model = model._meta.get_field(step).related_model
    return model._meta.get_field(name).related_model


# Many-to-many links kept with the versions (django-simple-history's `m2m_fields`).


def linked_ids_of_version(record: models.Model) -> dict[str, list]:
    """For a record built from one of its versions (a revert form's): each many-to-many field
    kept with the versions, and the ids it linked to then. Empty for any other record."""
    version = to_historic(record)
    return {} if version is None else linked_ids(version)


def linked_ids(version) -> dict[str, list]:
    """Each many-to-many field kept with the version, and the ids it linked to then."""
    return {
        field.name: list(getattr(version, field.name).values_list(field.m2m_reverse_field_name() + "_id", flat=True))
        for field in version._history_m2m_fields
    }


def restore_links(record: models.Model, deletion) -> None:
    """Once a deleted record is saved again: its many-to-many links as they were when it was
    deleted (its deletion's version keeps none: Django unlinks a record before deleting it),
    to the records still there. Its restored version keeps them."""
    history_model = type(deletion)
    if not history_model._history_m2m_fields:
        return
    pk_name = type(record)._meta.pk.attname
    last = (
        type(record)
        .history.filter(**{pk_name: record.pk}, history_date__lte=deletion.history_date)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is None:
        return
    record.skip_history_when_saving = True  # one version for the restore, not one per link
    try:
        for name, ids in linked_ids(last).items():
            field = type(record)._meta.get_field(name)
            getattr(record, name).set(field.related_model._default_manager.filter(pk__in=ids))
    finally:
        del record.skip_history_when_saving
    keep_links_in_latest_version(record)


def keep_links_in_latest_version(record: models.Model) -> None:
    """Once a form has set the record's many-to-many links, its latest version (made when the
    form saved it, before the links were set) keeps them as they now are."""
    history_model = type(record).history.model
    if not history_model._history_m2m_fields:
        return
    latest = record.history.order_by("-history_date", "-history_id").first()
    if latest is None:
        return
    for field in history_model._history_m2m_fields:
        link_model = getattr(history_model, field.name).model
        through = field.remote_field.through
        rows = through.objects.filter(**{field.m2m_field_name(): record.pk})
        link_model.objects.filter(history=latest).delete()
        link_model.objects.bulk_create(
            link_model(
                history=latest, **{column.attname: getattr(row, column.attname) for column in through._meta.fields}
            )
            for row in rows
        )
