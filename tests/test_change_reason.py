"""The reason for a change sits beside the save buttons with a sensible suggestion, and
actions on several records (publish, unpublish, delete) ask for one and keep it in history."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from core.admin_mixins import CHANGE_REASON_MAX_LENGTH, recorded_from
from core.publishing import EDITORS
from register.models import Tool

from .admin_forms import form_data
from .factories import EvidenceFactory, FoiRequestFactory, ForceFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def reason_input(response):
    """The reason field of the page, checked to sit in the bottom submit row, before the Save button."""
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find("input", attrs={"name": "change_reason"})
    row = field.find_parent("div", class_="submit-row")
    assert row is not None, "the reason is not in the submit row"
    assert row.find_parent("form") is not None
    assert row.find("input", attrs={"name": "_save"}) is not None
    assert field.find_parent("fieldset") is None
    assert row.find("label", attrs={"for": field["id"]}).get_text() == "Reason for this change"
    return field


def test_the_reason_sits_beside_the_save_buttons_and_is_required_for_a_change(editor_client):
    force = ForceFactory()
    url = reverse("admin:register_force_change", args=[force.pk])
    response = editor_client.get(url)
    assert response.content.decode().count('name="change_reason"') == 1
    field = reason_input(response)
    assert field.get("value", "") == ""  # nothing to suggest: the editor says why
    assert field.has_attr("required")

    data = form_data(response)
    data.update(name="Renamed Constabulary", change_reason="")
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "This field is required." in str(
        BeautifulSoup(refused.content, "html.parser").find("div", class_="change-reason")
    )
    force.refresh_from_db()
    assert force.name != "Renamed Constabulary"


def test_an_foi_request_suggests_its_reference(editor_client):
    foi_request = FoiRequestFactory(reference="855A/22")
    response = editor_client.get(reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk]))
    assert reason_input(response)["value"] == "Recorded from FOI 855A/22"


def test_a_record_with_quotes_suggests_their_sources_and_the_suggestion_is_kept(editor_client):
    tool = ToolFactory(is_published=False)
    EvidenceFactory(tool=tool, deployment=None, field="", foi_request=FoiRequestFactory(reference="2128/22"))
    url = reverse("admin:register_tool_change", args=[tool.pk])
    response = editor_client.get(url)
    assert reason_input(response)["value"] == "Recorded from FOI 2128/22"

    editor_client.post(url, form_data(response))  # saved as offered
    assert tool.history.latest().history_change_reason == "Recorded from FOI 2128/22"


def test_a_new_record_suggests_created(editor_client):
    response = editor_client.get(reverse("admin:register_tool_add"))
    assert reason_input(response)["value"] == "Created"


def test_a_revert_asks_for_its_reason(editor_client):
    tool = ToolFactory()
    version = tool.history.latest()
    response = editor_client.get(reverse("admin:register_tool_simple_history", args=[tool.pk, version.history_id]))
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find("input", attrs={"name": "change_reason"})
    assert field.find_parent("div", class_="submit-row") is not None
    assert page.find("input", attrs={"name": "version"}) is not None


def test_a_bulk_publish_asks_for_a_reason_and_keeps_it_in_each_records_history(editor_client):
    drafts = [ToolFactory(is_published=False, sourced=True) for _ in range(2)]
    url = reverse("admin:register_tool_changelist")
    chosen = {"action": "publish_selected", "_selected_action": [draft.pk for draft in drafts]}

    asked = editor_client.post(url, chosen)
    assert asked.status_code == 200
    page = BeautifulSoup(asked.content, "html.parser")
    field = page.find("input", attrs={"name": "change_reason"})
    assert field["value"] == "Published"
    assert page.find("label", attrs={"for": field["id"]}).get_text() == "Reason for this change"
    assert not Tool.objects.filter(is_published=True).exists()  # nothing done yet

    without_reason = editor_client.post(url, {**chosen, "confirm": "yes", "change_reason": ""})
    assert "This field is required." in without_reason.content.decode()
    assert not Tool.objects.filter(is_published=True).exists()

    editor_client.post(url, {**chosen, "confirm": "yes", "change_reason": "Checked against FOI 2128/22"})
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.is_published
        assert draft.history.latest().history_change_reason == "Checked against FOI 2128/22"


def test_a_bulk_delete_asks_for_a_reason_and_keeps_it_in_the_history(editor_client):
    force = ForceFactory(is_published=False)
    url = reverse("admin:register_force_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [force.pk]}
    asked = editor_client.post(url, chosen)
    assert asked.status_code == 200
    assert 'name="change_reason"' in asked.content.decode()

    without_reason = editor_client.post(url, {**chosen, "post": "yes", "change_reason": ""})
    assert "This field is required." in without_reason.content.decode()
    assert type(force).objects.filter(pk=force.pk).exists()

    editor_client.post(url, {**chosen, "post": "yes", "change_reason": "Entered twice"})
    assert not type(force).objects.filter(pk=force.pk).exists()
    deleted = force.history.latest()
    assert (deleted.history_type, deleted.history_change_reason) == ("-", "Entered twice")


def test_recorded_from_names_as_many_sources_as_the_history_holds():
    assert recorded_from(["FOI 855A/22"]) == "Recorded from FOI 855A/22"
    assert recorded_from(["FOI 1/22", "FOI 2/22"]) == "Recorded from FOI 1/22, FOI 2/22"
    many = recorded_from([f"FOI DPO/FOI/{n:06d}/22" for n in range(10)])
    assert len(many) <= CHANGE_REASON_MAX_LENGTH
    assert many.endswith(" more")
    assert recorded_from([]) == ""
