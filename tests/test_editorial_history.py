"""Full history in the admin: reasons, differences, revert, deleted records; no lost updates."""

import pytest
from django.urls import reverse

from register.models import Tool

from .admin_forms import form_data
from .factories import DeploymentFactory, ForceFactory, ToolFactory

pytestmark = pytest.mark.django_db


def edit(client, tool, **changes):
    url = reverse("admin:register_tool_change", args=[tool.pk])
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_an_admin_edit_needs_a_reason_and_history_keeps_who_when_what_and_why(staff_client):
    tool = ToolFactory(name="Hotspot Map", sourced=True)
    response = edit(staff_client, tool, name="Hotspot Mapper", change_reason="")
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert Tool.objects.get(pk=tool.pk).name == "Hotspot Map"

    response = edit(staff_client, tool, name="Hotspot Mapper", change_reason="Name as in FOI answer 2128/22")
    assert response.status_code == 302
    latest = Tool.objects.get(pk=tool.pk).history.latest()
    assert latest.history_change_reason == "Name as in FOI answer 2128/22"
    assert latest.history_user.username == "editor"

    page = staff_client.get(reverse("admin:register_tool_history", args=[tool.pk])).content.decode()
    assert "Name as in FOI answer 2128/22" in page
    assert "Hotspot Map" in page and "Hotspot Mapper" in page  # from → to
    assert "&rarr;" in page


def test_an_earlier_version_is_restored_from_the_history(staff_client):
    tool = ToolFactory(name="First Name", sourced=True)
    edit(staff_client, tool, name="Second Name", change_reason="Renamed")
    first = tool.history.earliest()
    url = reverse("admin:register_tool_simple_history", args=[tool.pk, first.history_id])
    data = form_data(staff_client.get(url))
    assert data["name"] == "First Name"
    data["change_reason"] = "Reverted: the rename was wrong"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.name == "First Name"
    assert tool.history.latest().history_change_reason == "Reverted: the rename was wrong"


def test_a_deleted_record_is_listed_and_restored_with_what_was_deleted_with_it(staff_client):
    from register.models import Assessment, Evidence

    from .factories import AssessmentFactory, EvidenceFactory

    deployment = DeploymentFactory(purpose="Predicts hotspots.")
    assessment = AssessmentFactory(deployment=deployment)
    evidence = EvidenceFactory(deployment=None, assessment=assessment, quote="A DPIA was completed.")
    force, pk = deployment.force, deployment.pk
    staff_client.post(reverse("admin:register_deployment_delete", args=[pk]), {"post": "yes"})
    assert not deployment.__class__.objects.filter(pk=pk).exists()

    page = staff_client.get(reverse("admin-deleted-records"))
    assert page.status_code == 200
    entry = next(e for e in page.context["records"] if e.historical.id == pk)
    response = staff_client.post(reverse("admin-deleted-records"), {"restore": entry.key})
    assert response.status_code == 302
    restored = deployment.__class__.objects.get(pk=pk)
    assert (restored.force, restored.purpose) == (force, "Predicts hotspots.")
    assert restored.history.latest().history_change_reason == "Restored after deletion"
    assert Assessment.objects.get(pk=assessment.pk).deployment_id == pk
    assert Evidence.objects.get(pk=evidence.pk).quote == "A DPIA was completed."
    assert all(e.historical.id != pk for e in staff_client.get(reverse("admin-deleted-records")).context["records"])


def test_restoring_a_record_whose_force_is_gone_says_so(staff_client):
    force = ForceFactory()
    deployment = DeploymentFactory(force=force)
    pk = deployment.pk
    deployment.delete()
    force.delete()
    page = staff_client.get(reverse("admin-deleted-records"))
    entry = next(e for e in page.context["records"] if e.model.__name__ == "Deployment" and e.historical.id == pk)
    response = staff_client.post(reverse("admin-deleted-records"), {"restore": entry.key}, follow=True)
    assert "restore that first" in response.content.decode()
    assert not deployment.__class__.objects.filter(pk=pk).exists()


def test_a_stale_form_without_its_opening_values_is_refused_with_what_changed(staff_client, client, django_user_model):
    tool = ToolFactory(name="Risk Model", description="Scores people.", sourced=True)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    # Two editors open the same record.
    first = form_data(staff_client.get(url))
    other = django_user_model.objects.create_superuser("second", "second@example.org", "a-long-test-password")
    client.force_login(other)
    # A form posted without the values it was opened with cannot be merged (tests/test_edit_merge.py).
    second = {key: value for key, value in form_data(client.get(url)).items() if not key.startswith("initial-")}

    first.update(description="Scores people for risk of offending.", change_reason="Fuller description")
    assert staff_client.post(url, first).status_code == 302

    second.update(name="Risk Model v2", change_reason="Renamed")
    response = client.post(url, second)
    assert response.status_code == 200  # refused, form shown again
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "Scores people for risk of offending." in page  # what changed meanwhile
    assert "Fuller description" in page
    tool.refresh_from_db()
    assert (tool.name, tool.description) == ("Risk Model", "Scores people for risk of offending.")


def test_a_conflict_message_shows_where_a_long_text_changed():
    from core.edit_conflicts import differing_parts

    old = "A risk model that scores people. " * 5
    new = old + "(checked)"
    shown_old, shown_new = differing_parts(old, new)
    assert shown_old.startswith("…") and shown_old.endswith("people. ")
    assert shown_new.endswith("(checked)") and shown_new.startswith("…")
    assert len(shown_new) < 110
    assert differing_parts("", "x") == ("(empty)", "x")
    assert differing_parts("short", "shorter") == ("short", "shorter")


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:register_tool_change",  # declared fieldsets
        "admin:register_force_change",  # no fields declared
        "admin:register_assessment_change",
        "admin:register_evidence_change",  # declared fields
        "admin:foi_requests_foirequest_change",
    ],
)
def test_every_change_form_shows_the_reason_field_once(staff_client, url_name):
    from .factories import AssessmentFactory, EvidenceFactory, FoiRequestFactory

    factories = {
        "tool": ToolFactory,
        "force": ForceFactory,
        "assessment": AssessmentFactory,
        "evidence": EvidenceFactory,
        "foirequest": FoiRequestFactory,
    }
    record = factories[url_name.split("_")[-2]]()
    page = staff_client.get(reverse(url_name, args=[record.pk])).content.decode()
    assert page.count('name="change_reason"') == 1
    assert page.count('name="version"') == 1
    assert "Reason for this change" in page
