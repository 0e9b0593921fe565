"""Bringing back deleted records from django-simple-history's tables.

A deletion leaves a "-" historical record holding the record's last values;
restoring saves those values again under the same id, so links to it work
again. Records it pointed to must exist (restore a deleted force before its
deployments); what the history does not keep (an FOI request's requester
details and exemptions) comes back empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from core.history import restore_links
from core.publishing import can_publish
from foi_requests.models import FoiRequest
from register.models import Assessment, Deployment, Evidence, Force, Source, Supplier, Tool

RESTORABLE_MODELS: tuple[type[models.Model], ...] = (
    Force,
    Supplier,
    Tool,
    Deployment,
    Assessment,
    FoiRequest,
    Source,
    Evidence,
)


@dataclass(frozen=True)
class DeletedRecord:
    model: type[models.Model]
    historical: models.Model  # the "-" historical record

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}:{self.historical.history_id}"

    @property
    def record_type(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label(self) -> str:
        try:
            return str(self.historical.instance)
        except ObjectDoesNotExist:  # its label names a record that is gone too
            return f"{self.record_type} #{getattr(self.historical, self.model._meta.pk.attname)}"

    @property
    def deleted_at(self) -> datetime:
        return self.historical.history_date

    @property
    def deleted_by(self) -> str:
        return str(self.historical.history_user or "")

    @property
    def add_permission(self) -> str:
        return f"{self.model._meta.app_label}.add_{self.model._meta.model_name}"


def deleted_records(models_: tuple[type[models.Model], ...] = RESTORABLE_MODELS) -> list[DeletedRecord]:
    """Every record deleted and not since restored (its latest deletion), newest first."""
    found = []
    for model in models_:
        pk_name = model._meta.pk.attname
        live = model._default_manager.values("pk")
        seen = set()
        for record in (
            model.history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": live})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        ):
            if getattr(record, pk_name) not in seen:
                seen.add(getattr(record, pk_name))
                found.append(DeletedRecord(model, record))
    found.sort(key=lambda entry: entry.deleted_at, reverse=True)
    return found


# Records a cascade deleted with their parent were deleted within this of it.
CASCADE_WINDOW = timedelta(seconds=5)


def restore_deleted(entry: DeletedRecord, user) -> list[models.Model]:
    """Save the deleted record's last values again, then the records deleted
    with it by cascade (a deployment's assessments and evidence). Returns the
    restored records, the one asked for first. ValueError if a record it points
    to is gone. A user without the right to publish restores drafts."""
    instance = entry.historical.instance
    for field in instance._meta.concrete_fields:
        if field.is_relation and getattr(instance, field.attname) is not None:
            target = field.related_model
            if not target._default_manager.filter(pk=getattr(instance, field.attname)).exists():
                raise ValueError(f"its {field.verbose_name} was deleted too: restore that first")
    if hasattr(instance, "is_published") and not can_publish(user, entry.model):
        instance.is_published = False
    instance._change_reason = "Restored after deletion"
    instance._history_user = user
    instance.save(force_insert=True)
    restore_links(instance, entry.historical)  # an FOI request's exemptions
    restored = [instance]
    for child in deleted_with(entry):
        if user.has_perm(child.add_permission):
            restored += restore_deleted(child, user)
    return restored


def deleted_with(entry: DeletedRecord) -> list[DeletedRecord]:
    """Records that pointed to `entry` with on_delete=CASCADE and were deleted with it."""
    pk = getattr(entry.historical, entry.model._meta.pk.attname)
    window = (entry.deleted_at - CASCADE_WINDOW, entry.deleted_at + CASCADE_WINDOW)
    children = []
    for model in RESTORABLE_MODELS:
        for field in model._meta.concrete_fields:
            if not (field.is_relation and field.related_model is entry.model):
                continue
            if field.remote_field.on_delete is not models.CASCADE:
                continue
            seen = set()
            for record in (
                model.history.filter(history_type="-", history_date__range=window, **{field.attname: pk})
                .exclude(**{f"{model._meta.pk.attname}__in": model._default_manager.values("pk")})
                .order_by("-history_date", "-history_id")
            ):
                key = getattr(record, model._meta.pk.attname)
                if key not in seen:
                    seen.add(key)
                    children.append(DeletedRecord(model, record))
    return children
