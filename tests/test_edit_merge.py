"""Two editors on the same record: changes to different fields are both kept; a field
both changed comes back side by side, keeping what the second typed, until they choose.
The same for the rows of an inline. The API stays strict (412)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from core.edit_conflicts import merge_fields
from register.models import Assessment, Question, QuestionOutcome, Tool

from .admin_forms import form_data
from .factories import AssessmentFactory, DeploymentFactory, FoiRequestFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_merge_fields_keeps_each_editors_own_changes_and_names_the_field_both_changed():
    initial = {"name": "A", "description": "old", "technique": "x", "notes": "n"}
    stored = {"name": "A", "description": "theirs", "technique": "x", "notes": "same"}
    posted = {"name": "B", "description": "mine", "technique": "x", "notes": "same"}
    merged, conflicts = merge_fields(initial, stored, posted)
    assert merged == {"name": "B", "description": "mine", "technique": "x", "notes": "same"}
    assert conflicts == ["description"]
    merged, conflicts = merge_fields(initial, stored, {**posted, "description": "old"})
    assert merged["description"] == "theirs" and conflicts == []
    # A field whose opening value is unknown keeps what was posted.
    assert merge_fields({}, stored, {"name": "B"}) == ({"name": "B"}, [])


@pytest.fixture
def two_editors(client, django_user_model):
    """Alice and Bob, each logged in their own browser."""
    from django.test import Client

    alice, bob = client, Client()
    alice.force_login(django_user_model.objects.create_superuser("alice", "a@example.org", "a-long-test-password"))
    bob.force_login(django_user_model.objects.create_superuser("bob", "b@example.org", "a-long-test-password"))
    return alice, bob


def opened(client, url) -> dict:
    return form_data(client.get(url))


def test_changes_to_different_fields_of_a_tool_are_both_kept(two_editors):
    alice, bob = two_editors
    tool = ToolFactory(description="Scores people.", technique="unknown", is_published=False)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    alice_form, bob_form = opened(alice, url), opened(bob, url)

    alice_form.update(description="Scores people for risk of offending.", change_reason="Fuller description")
    assert alice.post(url, alice_form).status_code == 302
    bob_form.update(technique="machine_learning", change_reason="Technique from FOI answer")
    assert bob.post(url, bob_form).status_code == 302

    tool.refresh_from_db()
    assert (tool.description, tool.technique) == ("Scores people for risk of offending.", "machine_learning")


def conflict_rows(response) -> list[list[str]]:
    table = BeautifulSoup(response.content, "html.parser").find("div", class_="edit-conflicts")
    rows = table.tbody.find_all("tr")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in rows]


def test_a_field_both_changed_is_shown_side_by_side_keeping_the_second_editors_text(two_editors):
    alice, bob = two_editors
    tool = ToolFactory(name="Risk Model", description="Scores people.", is_published=False)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    alice_form, bob_form = opened(alice, url), opened(bob, url)
    alice_form.update(description="Alice's description.", change_reason="Alice")
    assert alice.post(url, alice_form).status_code == 302

    bob_form.update(name="Risk Model v2", description="Bob's description.", change_reason="Bob")
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "alice" in form.errors["description"][0] and "Alice's description." in form.errors["description"][0]
    assert form["description"].value() == "Bob's description."  # typed, kept in the field
    [row] = conflict_rows(response)
    assert row[0] == "Description" and "Alice's description." in row[1] and "alice" in row[1]
    assert row[2] == "Bob's description." and "Take theirs" in row[3]
    tool.refresh_from_db()
    assert (tool.name, tool.description) == ("Risk Model", "Alice's description.")  # nothing half-written

    # Saving again keeps Bob's text (and his other change).
    assert bob.post(url, form_data(response)).status_code == 302
    tool.refresh_from_db()
    assert (tool.name, tool.description) == ("Risk Model v2", "Bob's description.")


def test_the_second_editor_may_take_the_other_value(two_editors):
    alice, bob = two_editors
    tool = ToolFactory(description="Scores people.", is_published=False)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    alice_form, bob_form = opened(alice, url), opened(bob, url)
    alice_form.update(description="Alice's description.", change_reason="Alice")
    alice.post(url, alice_form)
    bob_form.update(description="Bob's description.", change_reason="Bob")
    response = bob.post(url, bob_form)
    again = {**form_data(response), "take_theirs": ["description"]}
    assert bob.post(url, again).status_code == 302
    assert Tool.objects.get(pk=tool.pk).description == "Alice's description."


def test_an_assessment_row_in_a_deployments_inline_merges_too(two_editors):
    alice, bob = two_editors
    deployment = DeploymentFactory(is_published=False)
    assessment = AssessmentFactory(deployment=deployment, conducted_by="DPO", is_published=False)
    url = reverse("admin:register_deployment_change", args=[deployment.pk])
    alice_form, bob_form = opened(alice, url), opened(bob, url)
    alice_form.update({"assessments-0-conducted_by": "Data Protection Officer", "change_reason": "Alice"})
    assert alice.post(url, alice_form).status_code == 302

    bob_form.update({"assessments-0-conducted_by": "Force DPO", "change_reason": "Bob"})
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    [row] = conflict_rows(response)
    assert "Data Protection Officer" in row[1] and row[2] == "Force DPO"
    assert Assessment.objects.get(pk=assessment.pk).conducted_by == "Data Protection Officer"
    assert bob.post(url, form_data(response)).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).conducted_by == "Force DPO"


def test_a_row_deleted_by_the_other_editor_is_an_error_on_that_row(two_editors):
    _alice, bob = two_editors
    deployment = DeploymentFactory(is_published=False)
    assessment = AssessmentFactory(deployment=deployment, is_published=False)
    url = reverse("admin:register_deployment_change", args=[deployment.pk])
    bob_form = opened(bob, url)
    assessment.delete()
    bob_form.update({"assessments-0-conducted_by": "Force DPO", "change_reason": "Bob"})
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    assert "deleted" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_question_row_in_an_foi_requests_inline_merges_too(two_editors):
    alice, bob = two_editors
    foi_request = FoiRequestFactory(is_published=False)
    question = Question.objects.create(
        source=foi_request.source, number="1", text="Do you map hotspots?", outcome=QuestionOutcome.NOT_ANSWERED
    )
    url = reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk])
    alice_form, bob_form = opened(alice, url), opened(bob, url)
    alice_form.update({"questions-0-answer": "Yes.", "change_reason": "Alice"})
    assert alice.post(url, alice_form).status_code == 302
    bob_form.update({"questions-0-text": "Does the force map hotspots?", "change_reason": "Bob"})
    assert bob.post(url, bob_form).status_code == 302
    question.refresh_from_db()
    assert (question.text, question.answer) == ("Does the force map hotspots?", "Yes.")

    alice_form, bob_form = opened(alice, url), opened(bob, url)
    alice_form.update({"questions-0-answer": "Yes, since 2017.", "change_reason": "Alice"})
    alice.post(url, alice_form)
    bob_form.update({"questions-0-answer": "Yes, with a bought system.", "change_reason": "Bob"})
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    [row] = conflict_rows(response)
    assert "Yes, since 2017." in row[1] and row[2] == "Yes, with a bought system."
    assert bob.post(url, form_data(response)).status_code == 302
    question.refresh_from_db()
    assert question.answer == "Yes, with a bought system."


def test_the_api_still_refuses_a_stale_write_with_412():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    tool = ToolFactory(sourced=True)
    user = UserFactory(username="api", is_staff=True, is_superuser=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    path = f"/api/tools/{tool.slug}/"
    etag = api.get(path)["ETag"]
    assert api.patch(path, {"description": "First."}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(path, {"technique": "machine_learning"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
