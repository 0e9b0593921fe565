"""Publish with what it needs: a draft record and the unpublished records it needs (its parents, the
sources its quotes cite), listed by name, published together with one reason, or none of them."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.publishing import EDITORS, RESEARCHERS
from register.models import Source, SourceKind, Technique
from register.publishing_needs import unpublished_needs

from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    FoiRequestFactory,
    ForceFactory,
    ToolFactory,
    UserFactory,
    cite_every_fact,
)

pytestmark = pytest.mark.django_db

REASON = "DPIA recorded from FOI/DRAFT/1"


def member(group_name: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor():
    return member(EDITORS, "editor")


@pytest.fixture
def drafts():
    """A draft DPIA on a draft deployment of a draft tool at a draft force, each fact quoted from a draft answer."""
    force = ForceFactory(is_published=False, name="Draftshire Police")
    foi_request = FoiRequestFactory(force=force, is_published=False, reference="FOI/DRAFT/1")
    tool = ToolFactory(is_published=False, name="Draft Risk Model")
    deployment = DeploymentFactory(force=force, tool=tool, is_published=False)
    assessment = AssessmentFactory(deployment=deployment, is_published=False)
    for record in (tool, deployment, assessment):
        cite_every_fact(record, foi_request)
    return SimpleNamespace(
        force=force, foi_request=foi_request, tool=tool, deployment=deployment, assessment=assessment
    )


def all_records(drafts):
    return [drafts.force, drafts.tool, drafts.deployment, drafts.foi_request, drafts.assessment]


def refreshed(records):
    for record in records:
        record.refresh_from_db()
    return records


def publish_page(record) -> str:
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_publish_with_needs", args=[record.pk])


# The rule


def test_a_draft_assessment_needs_its_parents_and_the_answer_they_quote_each_after_what_it_needs(drafts):
    # The force before the request answered by it, the request before the tool quoting it, and so on.
    assert unpublished_needs(drafts.assessment) == [drafts.force, drafts.foi_request, drafts.tool, drafts.deployment]


def test_published_records_are_not_needed(drafts):
    for record in (drafts.force, drafts.tool):
        record.is_published = True
        record.save()
    assert unpublished_needs(drafts.assessment) == [drafts.foi_request, drafts.deployment]


def test_an_answers_source_needs_its_force_and_its_request(drafts):
    assert unpublished_needs(drafts.foi_request.source) == [drafts.force, drafts.foi_request]
    assert unpublished_needs(drafts.foi_request) == [drafts.force]


def test_a_published_document_needs_nothing_and_a_draft_one_is_needed():
    document = Source.objects.create(kind=SourceKind.DOCUMENT, title="Force policy", url="https://example.org/policy")
    tool = ToolFactory(is_published=False)
    cite_every_fact(tool)  # from a published FOI answer
    assert unpublished_needs(document) == []
    assert unpublished_needs(tool) == []
    tool.evidence.update(source=document)
    assert unpublished_needs(tool) == [document]


# The change page


def test_the_change_page_of_a_draft_offers_the_button_to_editors_only(client, editor, drafts):
    url = reverse("admin:register_assessment_change", args=[drafts.assessment.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "Publish with what it needs" in page and publish_page(drafts.assessment) in page
    client.force_login(member(RESEARCHERS, "researcher"))
    assert "Publish with what it needs" not in client.get(url).content.decode()
    assert client.get(publish_page(drafts.assessment)).status_code == 403


@pytest.mark.parametrize("kind", ["tool", "deployment", "foi_request", "source"])
def test_every_kind_of_draft_offers_the_button_and_a_published_record_does_not(client, editor, drafts, kind):
    record = drafts.foi_request.source if kind == "source" else getattr(drafts, kind)
    change_page = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    client.force_login(editor)
    assert publish_page(record) in client.get(change_page).content.decode()
    assert client.get(publish_page(record)).status_code == 200
    published = ForceFactory(slug="published-force")
    page = client.get(reverse("admin:register_force_change", args=[published.pk])).content.decode()
    assert "Publish with what it needs" not in page


def test_the_confirmation_page_lists_by_name_every_record_needed(client, editor, drafts, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(20):  # the record, its parents, its sources and their requests: not per quote
        response = client.get(publish_page(drafts.assessment))
    assert response.status_code == 200
    assert response.context["needs"] == [
        "Force: Draftshire Police",
        "FOI request: FOI/DRAFT/1: Predictive policing (Draftshire Police)",
        "Tool: Draft Risk Model",
        "Deployment: Draft Risk Model at Draftshire Police",
    ]
    page = response.content.decode()
    for name in ("Draftshire Police", "Draft Risk Model", "FOI/DRAFT/1", "Reason for this change"):
        assert name in page
    assert not any(record.is_published for record in refreshed(all_records(drafts)))  # a page, not a change


def test_confirming_publishes_all_five_with_the_reason_in_each_history(client, editor, drafts):
    client.force_login(editor)
    url = publish_page(drafts.assessment)
    listed = client.get(url).context["listed"]
    response = client.post(url, {"confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:register_assessment_change", args=[drafts.assessment.pk])
    for record in refreshed(all_records(drafts)):
        assert record.is_published, record
        latest = record.history.latest()
        assert (latest.history_change_reason, latest.history_user) == (REASON, editor)
    assert drafts.foi_request.source.is_published
    assert client.get(drafts.deployment.get_absolute_url()).status_code == 200


def test_without_the_right_to_publish_one_kind_nothing_is_published(client, drafts):
    user = UserFactory(username="half-editor", is_staff=True)
    user.groups.add(Group.objects.get(name=RESEARCHERS))
    for codename in ("publish_assessment", "publish_deployment", "publish_tool", "publish_foirequest"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    url = publish_page(drafts.assessment)
    listed = client.get(url).context["listed"]
    response = client.post(url, {"confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was published." in page
    assert "Force “Draftshire Police”: Only an editor may publish a force." in page
    assert not any(record.is_published for record in refreshed(all_records(drafts)))


def test_an_unsourced_fact_publishes_nothing_and_says_which_record(client, editor, drafts):
    drafts.tool.technique = Technique.MACHINE_LEARNING  # no quote says so
    drafts.tool.save()
    client.force_login(editor)
    url = publish_page(drafts.assessment)
    listed = client.get(url).context["listed"]
    response = client.post(url, {"confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 200
    assert response.context["refusals"] == [
        "Tool “Draft Risk Model”: Not published: these facts have no source: Technique. "
        "Add a quote for each or clear the value."
    ]
    assert not any(record.is_published for record in refreshed(all_records(drafts)))


def test_a_reason_is_required(client, editor, drafts):
    client.force_login(editor)
    url = publish_page(drafts.assessment)
    listed = client.get(url).context["listed"]
    response = client.post(url, {"confirm": "yes", "listed": listed, "change_reason": ""})
    assert response.status_code == 200
    assert response.context["change_reason_form"].errors["change_reason"]
    assert not any(record.is_published for record in refreshed(all_records(drafts)))


def test_a_need_added_after_the_page_was_shown_is_not_published_unseen(client, editor, drafts):
    client.force_login(editor)
    url = publish_page(drafts.deployment)
    listed = client.get(url).context["listed"]
    drafts.tool.evidence.update(source=FoiRequestFactory(is_published=False, reference="FOI/LATE/2").source)
    response = client.post(url, {"confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 200
    assert any(need.startswith("FOI request: FOI/LATE/2") for need in response.context["needs"])
    assert "has changed since the page was shown" in response.content.decode()
    assert not refreshed([drafts.deployment])[0].is_published


def test_an_answers_source_is_published_through_its_request(client, editor, drafts):
    source = drafts.foi_request.source
    client.force_login(editor)
    url = publish_page(source)
    response = client.get(url)
    assert response.context["needs"] == [
        "Force: Draftshire Police",
        "FOI request: FOI/DRAFT/1: Predictive policing (Draftshire Police)",
    ]
    client.post(url, {"confirm": "yes", "listed": response.context["listed"], "change_reason": REASON})
    drafts.foi_request.refresh_from_db()
    source.refresh_from_db()
    assert drafts.foi_request.is_published and source.is_published
    assert drafts.foi_request.history.latest().history_change_reason == REASON


# The list action


def test_the_list_action_publishes_the_selected_records_and_what_they_need(client, editor, drafts):
    client.force_login(editor)
    url = reverse("admin:register_assessment_changelist")
    chosen = {"action": "publish_selected_with_needs", "_selected_action": [drafts.assessment.pk]}
    response = client.post(url, chosen)
    assert response.status_code == 200
    assert len(response.context["needs"]) == 4
    listed = response.context["listed"]
    response = client.post(url, {**chosen, "confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 302
    for record in refreshed(all_records(drafts)):
        assert record.is_published and record.history.latest().history_change_reason == REASON


def test_the_list_action_refuses_all_when_one_is_refused(client, editor, drafts):
    drafts.deployment.cost = "£1m"  # no quote says so
    drafts.deployment.save()
    client.force_login(editor)
    url = reverse("admin:register_assessment_changelist")
    chosen = {"action": "publish_selected_with_needs", "_selected_action": [drafts.assessment.pk]}
    listed = client.post(url, chosen).context["listed"]
    response = client.post(url, {**chosen, "confirm": "yes", "listed": listed, "change_reason": REASON})
    assert response.status_code == 200
    assert "Deployment “Draft Risk Model at Draftshire Police”: Not published" in response.content.decode()
    assert not any(record.is_published for record in refreshed(all_records(drafts)))
