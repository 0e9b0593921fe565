"""Review before publication: groups, who may publish, drafts kept off public surfaces."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.publishing import EDITORS, RESEARCHERS, can_publish, check_publication_change
from foi_requests.models import FoiRequest
from register.models import Tool

from .admin_forms import form_data
from .factories import DeploymentFactory, EvidenceFactory, FoiRequestFactory, ForceFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(group_name: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def researcher():
    return member(RESEARCHERS, "researcher")


@pytest.fixture
def editor():
    return member(EDITORS, "editor")


def test_the_migration_creates_the_groups_with_publishing_only_for_editors():
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    researchers = set(Group.objects.get(name=RESEARCHERS).permissions.values_list("codename", flat=True))
    for model in ("force", "supplier", "tool", "deployment", "assessment", "foirequest"):
        assert f"publish_{model}" in editors
        assert f"publish_{model}" not in researchers
        assert {f"add_{model}", f"change_{model}"} <= researchers
    assert "delete_tool" not in researchers


def test_can_publish_follows_the_groups(researcher, editor):
    assert can_publish(editor, Tool) and can_publish(editor, FoiRequest)
    assert not can_publish(researcher, Tool)


def test_researcher_creates_a_draft_and_cannot_publish_it_by_a_forged_post(client, researcher):
    client.force_login(researcher)
    response = client.get(reverse("admin:register_tool_add"))
    assert response.status_code == 200
    assert "is_published" not in response.context["adminform"].form.fields  # shown read-only
    data = {
        "name": "Gang Matrix",
        "slug": "gang-matrix",
        "category": "people_list",
        "technique": "unknown",
        "origin": "unknown",
        "is_published": "on",  # forged: the form has no such field for a researcher
        "deployments-TOTAL_FORMS": "0",
        "deployments-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:register_tool_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tool = Tool.objects.get(slug="gang-matrix")
    assert tool.is_published is False
    assert tool.history.latest().history_user == researcher


def test_researcher_cannot_use_the_publish_action(client, researcher):
    draft = ToolFactory(is_published=False)
    client.force_login(researcher)
    response = client.get(reverse("admin:register_tool_changelist"))
    action_form = response.context["action_form"]
    assert action_form is None or "publish_selected" not in dict(action_form.fields["action"].choices)
    client.post(
        reverse("admin:register_tool_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk], "confirm": "yes", "change_reason": "Published"},
    )
    draft.refresh_from_db()
    assert draft.is_published is False


def test_researcher_may_not_edit_a_published_record(client, researcher):
    tool = ToolFactory(is_published=True)
    client.force_login(researcher)
    response = client.get(reverse("admin:register_tool_change", args=[tool.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False  # view only


def test_check_publication_change_refuses_a_researcher(researcher, editor):
    tool = ToolFactory(is_published=False)
    tool.is_published = True
    with pytest.raises(Exception, match="Only an editor may publish"):
        check_publication_change(researcher, tool)
    check_publication_change(editor, tool)  # allowed


def test_editor_publishes_and_unpublishes_with_the_actions_and_history_keeps_it(client, editor):
    draft = ToolFactory(is_published=False, sourced=True)
    client.force_login(editor)
    url = reverse("admin:register_tool_changelist")
    confirmed = {"confirm": "yes", "change_reason": "Published"}
    client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk], **confirmed})
    draft.refresh_from_db()
    assert draft.is_published is True
    latest = draft.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Published")
    client.post(url, {"action": "unpublish_selected", "_selected_action": [draft.pk], **confirmed})
    draft.refresh_from_db()
    assert draft.is_published is False


def test_editor_publishes_through_the_form(client, editor):
    draft = ToolFactory(is_published=False, sourced=True)
    client.force_login(editor)
    url = reverse("admin:register_tool_change", args=[draft.pk])
    data = form_data(client.get(url))
    data.update(is_published="on", change_reason="Checked against the FOI answer")
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published is True


@pytest.mark.parametrize("surface", ["tool page", "tool list", "changes", "feed"])
def test_a_draft_is_absent_from_public_surfaces_until_published(client, surface):
    tool = ToolFactory(is_published=False, name="Unreviewed Hotspot Tool")
    urls = {
        "tool page": tool.get_absolute_url(),
        "tool list": reverse("register:tool-list"),
        "changes": reverse("changes"),
        "feed": reverse("changes-feed"),
    }
    response = client.get(urls[surface])
    assert response.status_code in (200, 404)
    assert "Unreviewed Hotspot Tool" not in response.content.decode()

    tool.is_published = True
    tool.save()
    response = client.get(urls[surface])
    assert response.status_code == 200
    assert "Unreviewed Hotspot Tool" in response.content.decode()


def test_a_published_record_never_shows_evidence_from_an_unpublished_request(client):
    deployment = DeploymentFactory()
    EvidenceFactory(deployment=deployment, quote="Quoted from a published answer.")
    EvidenceFactory(
        deployment=deployment,
        quote="Quoted from an unreviewed answer.",
        foi_request=FoiRequestFactory(is_published=False),
    )
    page = client.get(deployment.get_absolute_url()).content.decode()
    assert "Quoted from a published answer." in page
    assert "Quoted from an unreviewed answer." not in page


def test_requester_personal_data_never_reaches_pages_or_the_feed(client):
    request = FoiRequestFactory(
        requester_name="Jane Requester",
        requester_email="jane.requester@example.com",
        request_text="Dear Sir, I am Jane Requester. Reply to jane.requester@example.com please.",
        response_text="Dear Jane Requester, thank you for your request.",
    )
    for url in (request.get_absolute_url(), reverse("foi_requests:list"), reverse("changes"), reverse("changes-feed")):
        page = client.get(url).content.decode()
        assert "Jane Requester" not in page, url
        assert "jane.requester@example.com" not in page, url
    assert "thank you for your request" in client.get(request.get_absolute_url()).content.decode()


def test_a_researcher_cannot_change_a_published_record_by_reverting_it(client, researcher):
    tool = ToolFactory(is_published=False, name="Draft Name", sourced=True)
    draft_version = tool.history.latest()
    tool.is_published = True
    tool.name = "Published Name"
    tool.save()
    client.force_login(researcher)
    url = reverse("admin:register_tool_simple_history", args=[tool.pk, draft_version.history_id])
    data = form_data(client.get(url))
    data["change_reason"] = "Trying to revert"
    response = client.post(url, data)
    assert response.status_code == 403
    tool.refresh_from_db()
    assert (tool.name, tool.is_published) == ("Published Name", True)


def test_an_editor_reverting_a_published_record_to_its_first_draft_version_keeps_it_published(client, editor):
    tool = ToolFactory(is_published=False, name="Draft Name", sourced=True)
    first = tool.history.earliest()
    tool.is_published = True
    tool.name = "Published Name"
    tool.save()
    client.force_login(editor)
    url = reverse("admin:register_tool_simple_history", args=[tool.pk, first.history_id])
    page = client.get(url)
    form = page.context["adminform"].form
    assert form["name"].value() == "Draft Name"  # the old version's values...
    assert form["is_published"].value() is True  # ...and the publication state as it is now
    data = form_data(page)
    data["change_reason"] = "Reverted: the rename was wrong"
    assert client.post(url, data).status_code == 302
    tool.refresh_from_db()
    assert (tool.name, tool.is_published) == ("Draft Name", True)

    # Unpublishing in a revert is the editor's deliberate choice: unticking the field.
    data = form_data(client.get(url))
    del data["is_published"]
    data["change_reason"] = "Reverted and withdrawn"
    assert client.post(url, data).status_code == 302
    tool.refresh_from_db()
    assert tool.is_published is False


def test_a_researcher_reverting_a_draft_to_a_once_published_version_keeps_it_a_draft(client, researcher):
    tool = ToolFactory(is_published=True, name="Published Name")
    published_version = tool.history.latest()
    tool.is_published = False
    tool.name = "Withdrawn Name"
    tool.save()
    client.force_login(researcher)
    url = reverse("admin:register_tool_simple_history", args=[tool.pk, published_version.history_id])
    page = client.get(url)
    assert page.context["adminform"].form.instance.is_published is False  # shown read-only, as it is now
    data = form_data(page)
    data["is_published"] = "on"  # forged: the field is read-only for a researcher
    data["change_reason"] = "Reverted the name"
    assert client.post(url, data).status_code == 302
    tool.refresh_from_db()
    assert (tool.name, tool.is_published) == ("Published Name", False)


def test_a_researcher_cannot_change_a_published_row_through_an_inline(client, researcher):
    force = ForceFactory(is_published=False)
    published = DeploymentFactory(force=force, status="in_use", is_published=True)
    client.force_login(researcher)
    url = reverse("admin:register_force_change", args=[force.pk])
    data = form_data(client.get(url))
    data["deployments-0-status"] = "discontinued"
    data["change_reason"] = "Editing the force"
    response = client.post(url, data, follow=True)
    assert "only an editor may change a published record" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "in_use"


@pytest.mark.parametrize("url_name", ["admin:foi_requests_foirequest_change", "admin:register_deployment_change"])
def test_editing_records_with_inlines_keeps_a_reason(staff_client, url_name):
    if "foirequest" in url_name:
        record = FoiRequestFactory(title="Old title")
        changes = {"title": "New title"}
    else:
        record = EvidenceFactory().deployment
        EvidenceFactory(deployment=record, field="purpose")  # the new value's source
        changes = {"purpose": "New purpose"}
    url = reverse(url_name, args=[record.pk])
    data = form_data(staff_client.get(url))
    data.update(changes, change_reason="Checked")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    field, value = next(iter(changes.items()))
    assert getattr(record, field) == value
    assert record.history.latest().history_change_reason == "Checked"


def test_evidence_edits_need_a_reason_too(staff_client):
    # Both quotes appear in the answer: the admin refuses a quote its source does not hold.
    evidence = EvidenceFactory(foi_request=FoiRequestFactory(response_text="Old quote. New quote."), quote="Old quote.")
    url = reverse("admin:register_evidence_change", args=[evidence.pk])
    data = form_data(staff_client.get(url))
    data.update(quote="New quote.", change_reason="")
    assert staff_client.post(url, data).status_code == 200
    data["change_reason"] = "Quote corrected"
    assert staff_client.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert evidence.history.latest().history_change_reason == "Quote corrected"


def test_home_page_counts_only_published_records(client):
    ToolFactory(is_published=True)
    draft = ToolFactory(is_published=False)
    assert client.get("/").context["counts"]["tools"] == 1
    draft.is_published = True
    draft.save()
    assert client.get("/").context["counts"]["tools"] == 2


def test_the_change_log_shows_what_changed_in_a_published_record_but_not_draft_edits(client):
    tool = ToolFactory(is_published=False, name="Draft Title")
    tool.description = "Edited while a draft."
    tool.save()
    tool.is_published = True
    tool.name = "Public Title"
    tool.save()
    tool.description = "Edited after publication."
    tool.save()
    changes = client.get(reverse("changes")).context["changes"]
    mine = [(c.kind, c.fields) for c in changes if c.record.pk == tool.pk]
    assert mine == [("Updated", ("description",)), ("Published", ())]
    feed = client.get(reverse("changes-feed")).content.decode()
    assert "Draft Title" not in feed and "Public Title" in feed


@pytest.mark.parametrize("kind", ["force", "deployment", "foi_request"])
def test_other_drafts_are_absent_from_their_pages_lists_and_feed_until_published(client, kind):
    if kind == "force":
        record = ForceFactory(is_published=False, name="Draftshire Constabulary")
        text, list_url = "Draftshire Constabulary", reverse("register:force-list")
    elif kind == "deployment":
        record = DeploymentFactory(is_published=False)
        # Its force and tool are public: what must not appear is the deployment's own link.
        text, list_url = record.get_absolute_url(), reverse("register:deployment-list")
    else:
        record = FoiRequestFactory(is_published=False, title="Draft request about facial recognition")
        text, list_url = "Draft request about facial recognition", reverse("foi_requests:list")
    urls = [list_url, reverse("changes"), reverse("changes-feed")]
    for url in urls:
        response = client.get(url)
        assert text not in response.content.decode(), url
    assert client.get(record.get_absolute_url()).status_code == 404

    record.is_published = True
    record.save()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert "Last updated" in page.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_the_change_log_takes_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    from .factories import AssessmentFactory, SupplierFactory

    for _ in range(size):
        assessment = AssessmentFactory()
        FoiRequestFactory(force=assessment.deployment.force)
        SupplierFactory()
        tool = assessment.deployment.tool
        tool.description = "Updated."
        tool.save()
    # 3 per record type (versions, their predecessors, the records) for 6 types.
    with django_assert_num_queries(18):
        response = client.get(reverse("changes"))
    assert len(response.context["changes"]) == 7 * size  # force, supplier, tool x2, deployment, assessment, request


def test_publishing_a_deployment_of_a_draft_tool_warns_that_it_stays_hidden(client, editor):
    deployment = DeploymentFactory(is_published=False, tool=ToolFactory(is_published=False), sourced=True)
    client.force_login(editor)
    response = client.post(
        reverse("admin:register_deployment_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [deployment.pk],
            "confirm": "yes",
            "change_reason": "Published",
        },
        follow=True,
    )
    assert "1 of them stay hidden from the public" in response.content.decode()
    assert "Draft: not public" in client.get(deployment.get_absolute_url()).content.decode()  # the editor's preview
    client.logout()
    assert client.get(deployment.get_absolute_url()).status_code == 404


def test_the_actions_confirmation_page_has_the_admins_frame(client, editor):
    draft = ToolFactory(is_published=False, sourced=True)
    client.force_login(editor)
    url = reverse("admin:register_tool_changelist")
    response = client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})
    html = response.content.decode()
    assert response.templates[0].name == "admin/editorial/confirm_action.html"
    assert "admin/editorial/confirm_base.html" in [template.name for template in response.templates]
    assert 'href="/static/css/editorial_admin.css"' in html and "editorial-confirm" in html
    assert f'<li><a href="{url}">Tools</a></li>' in html and '<li aria-current="page">' in html
    assert f"<li>{draft}</li>" in html
    draft.refresh_from_db()
    assert draft.is_published is False  # asked, not done
