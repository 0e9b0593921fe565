"""Who may publish: the one rule every surface that writes records asks.

Researchers create and edit drafts; editors (holders of the model's
`publish_<model>` permission) also publish and unpublish. A researcher may not
edit a published record either: a change to what the public sees is an
editor's decision. And no record is published while it would show a fact that
no quote supports (`check_sources`).
"""

from collections.abc import Iterable

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

RESEARCHERS = "Researchers"
EDITORS = "Editors"


def publish_permission(model: type[models.Model]) -> str:
    """The permission name, e.g. "register.publish_tool"."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename('publish', opts)}"


def can_publish(user, model: type[models.Model]) -> bool:
    return bool(user and user.is_active and user.has_perm(publish_permission(model)))


def can_edit(user, instance: models.Model | None) -> bool:
    """Whether `user`, who may change the model, may change this record: any
    draft, and a published record only with the right to publish."""
    if instance is None or not getattr(instance, "is_published", False):
        return True
    return can_publish(user, type(instance))


def stored_publication_state(instance: models.Model) -> bool:
    """Whether the record is published in the database (False for a new one)."""
    if instance.pk is None:
        return False
    state = type(instance)._default_manager.filter(pk=instance.pk).values_list("is_published", flat=True).first()
    return bool(state)


def check_publication_change(user, instance: models.Model) -> None:
    """Refuse (PermissionDenied) a save that would publish, unpublish or alter
    a published record without the right to publish. Call before saving."""
    if can_publish(user, type(instance)):
        return
    was_published = stored_publication_state(instance)
    if instance.is_published != was_published:
        verb = "publish" if instance.is_published else "unpublish"
        raise PermissionDenied(f"Only an editor may {verb} a {instance._meta.verbose_name}.")
    if was_published:
        raise PermissionDenied(f"Only an editor may change a published {instance._meta.verbose_name}.")


def unsourced_message(facts: list[str]) -> str:
    return f"Not published: these facts have no source: {', '.join(facts)}. Add a quote for each or clear the value."


def check_sources(instance: models.Model, evidence_fields: Iterable[str] | None = None) -> None:
    """Refuse (ValidationError on `is_published`) a record that is, or is being, published
    while it would show the public a fact no quote supports. The record says which of its
    facts lack a source (its `unsourced_facts()`, e.g. `register.sourcing`); `evidence_fields`:
    the fact each of its quotes supports, as they will be saved (None: as stored). Every
    writer asks: the admin's form, inlines and actions, the API, the bulk import."""
    if not getattr(instance, "is_published", False) or not hasattr(instance, "unsourced_facts"):
        return
    if facts := instance.unsourced_facts(evidence_fields):
        raise ValidationError({"is_published": unsourced_message(facts)}, code="unsourced")


def with_needs(records: Iterable[models.Model]) -> list[models.Model]:
    """`records` and the unpublished records they need (each record's `unpublished_needs()`,
    e.g. `register.publishing_needs`), once each, each after those it needs: the order to publish them in."""
    ordered: dict[tuple[str, object], models.Model] = {}
    for record in records:
        needs = record.unpublished_needs() if hasattr(record, "unpublished_needs") else []
        for each in [*needs, record]:
            ordered.setdefault((each._meta.label, each.pk), each)
    return list(ordered.values())


class PublicationRefused(Exception):
    """Why records published together were not: one reason per record refused, naming it."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def publication_refusal(user, record: models.Model) -> str:
    """Why `user` may not publish `record` now, as a normal publish would refuse it ("" if they may):
    the right to publish its kind, its own checks (`full_clean`) and its facts' sources (`check_sources`)."""
    if not can_publish(user, type(record)):
        return f"Only an editor may publish a {record._meta.verbose_name}."
    record.is_published = True
    try:
        record.full_clean()
        check_sources(record)
    except ValidationError as refused:
        return " ".join(refused.messages)
    return ""


def publish_together(user, records: list[models.Model], reason: str) -> list[models.Model]:
    """Publish `records` (in their order: those others need first) in one transaction, each saved
    on its own so that its history keeps `user` and `reason`; the ones published by another's
    save meanwhile (an FOI answer's source by its request) are left as they are. If any one is
    refused (`publication_refusal`), none is published: PublicationRefused says which and why."""
    with transaction.atomic():
        reasons = []
        for record in records:
            if refusal := publication_refusal(user, record):
                reasons.append(f"{record._meta.verbose_name.capitalize()} “{record}”: {refusal}")
        if reasons:
            raise PublicationRefused(reasons)
        published = []
        for record in records:
            if stored_publication_state(record):
                continue
            record._change_reason = reason
            record._history_user = user
            record.save()
            published.append(record)
    return published
