"""Backup and restore: the whole register, with its history, survives the round trip."""

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from foi_requests.models import FoiRequest
from register.models import Evidence, Tool
from sitewide.backup import register_models

from .factories import AssessmentFactory, CategoryAskedFactory, EvidenceFactory, ExemptionFactory, FoiRequestFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[dict]]:
    """Every row of every register table (records and history), in a comparable form."""
    return {
        model._meta.label: [
            {key: str(value) for key, value in row.items()}
            for row in model._default_manager.order_by("pk").values(*[f.attname for f in model._meta.concrete_fields])
        ]
        for model in register_models()
    } | {
        "exemptions": sorted(FoiRequest.exemptions.through.objects.values_list("foirequest_id", "exemption_id")),
    }


def empty_the_register() -> None:
    # Children before parents: PROTECT relations refuse the other order (evidence protects the FOI answers it quotes).
    models_in_order = [Evidence, *(model for model in reversed(register_models()) if model is not Evidence)]
    for model in models_in_order:
        model._default_manager.all().delete()
    FoiRequest.exemptions.through.objects.all().delete()


def test_backup_then_restore_into_an_empty_database_loses_nothing(seed_data, tmp_path, staff_client):
    # Add records of every kind, drafts, history with users and reasons, and a deleted record.
    request = FoiRequestFactory(requester_name="Jane Requester", is_published=False)
    request.exemptions.add(ExemptionFactory())
    CategoryAskedFactory(foi_request=request)
    EvidenceFactory(foi_request=request, deployment=AssessmentFactory().deployment)
    tool = Tool.objects.first()
    tool.description = "Edited before the backup."
    tool._change_reason = "Test edit"
    tool.save()
    Tool.objects.create(name="Deleted Tool", slug="deleted-tool", category="other").delete()

    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 300
    path = tmp_path / "register.xml.gz"
    call_command("backup_register", str(path))

    empty_the_register()
    assert all(not rows for rows in snapshot().values())
    call_command("restore_register", str(path))

    after = snapshot()
    for label in before:
        assert after[label] == before[label], label
    assert FoiRequest.objects.get(pk=request.pk).requester_name == "Jane Requester"  # kept privately


def test_restore_refuses_a_database_that_is_not_empty(seed_data, tmp_path):
    path = tmp_path / "register.xml"
    call_command("backup_register", str(path))
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore_register", str(path))


def test_restore_of_a_broken_file_writes_nothing(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "register.force", "pk": 1, "fields": {"name": "Half')
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore_register", str(path))
    assert not any(model._default_manager.exists() for model in register_models() if issubclass(model, models.Model))


def test_backup_to_a_missing_folder_is_one_readable_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup_register", str(tmp_path / "nowhere" / "b.xml"))


def test_backup_names_its_format(tmp_path):
    with pytest.raises(CommandError, match=r"\.xml"):
        call_command("backup_register", str(tmp_path / "register.json"))
