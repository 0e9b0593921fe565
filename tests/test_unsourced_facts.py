"""No fact without a source in public: a record that would show a value no quote
supports is not published (admin form, inlines and actions, API, bulk import), and a
page shows a value only where published evidence supports it."""

import pytest
import tablib
from django.contrib.auth.models import Group
from django.urls import reverse

from core.publishing import EDITORS
from register.models import Assessment, Deployment, Evidence, Supplier, Tool
from register.resources import EvidenceResource, ToolResource
from register.sourcing import unsourced_facts

from .admin_forms import form_data
from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    EvidenceFactory,
    FoiRequestFactory,
    SupplierFactory,
    ToolFactory,
    UserFactory,
    cite_every_fact,
    researcher_client,
)
from .test_api import group_client

pytestmark = pytest.mark.django_db

UNSOURCED_TECHNIQUE = "Not published: these facts have no source: Technique. Add a quote for each or clear the value."


def quote(record, field: str = "", foi_request=None):
    """One quote of a published FOI answer about `record`, supporting `field`."""
    target = {"deployment": None, type(record)._meta.model_name: record}
    extra = {"foi_request": foi_request} if foi_request is not None else {}
    return EvidenceFactory(field=field, **target, **extra)


def a_draft_tool_quoted_for_its_description(**values):
    tool = ToolFactory(is_published=False, technique="machine_learning", **values)
    quote(tool, "description")
    return tool


# The rule -----------------------------------------------------------------------


def test_every_value_shown_needs_a_quote_of_its_own():
    supplier = SupplierFactory(is_published=False)
    tool = ToolFactory(
        is_published=False, technique="rules", origin="bought", supplier=supplier, inputs="Crime records."
    )
    assert unsourced_facts(tool) == [
        "Name",
        "Category",
        "What it does",
        "What it takes in",
        "Technique",
        "Built in house or bought",
        "Supplier",
    ]
    quote(tool, "description")
    quote(tool, "technique")
    # The name and the category are carried by any quote of the tool.
    assert unsourced_facts(tool) == ["What it takes in", "Built in house or bought", "Supplier"]


def test_unknown_and_empty_values_show_not_disclosed_and_need_nothing():
    tool = ToolFactory(is_published=False, technique="unknown", origin="unknown", description="  ", supplier=None)
    quote(tool)  # the record itself
    assert unsourced_facts(tool) == []
    deployment = DeploymentFactory(is_published=False, status="unknown", started=None, purpose="")
    quote(deployment)
    assert unsourced_facts(deployment) == []
    assessment = AssessmentFactory(is_published=False, result="unknown")
    quote(assessment)
    assert unsourced_facts(assessment) == []


def test_a_tools_category_is_carried_by_any_of_its_quotes():
    tool = ToolFactory(is_published=False, description="")
    assert unsourced_facts(tool) == ["Name", "Category"]
    quote(tool, "description")  # a quote of another fact classifies the tool too
    assert unsourced_facts(tool) == []


def test_a_deployment_and_an_assessment_are_carried_by_any_of_their_quotes():
    deployment = DeploymentFactory(is_published=False, status="pilot", started="2021-11")
    assert unsourced_facts(deployment) == ["Force", "Tool", "Status", "Since"]
    quote(deployment, "started")
    assert unsourced_facts(deployment) == ["Status"]
    assessment = AssessmentFactory(deployment=deployment, is_published=False, conducted="2019-11-27")
    assert unsourced_facts(assessment) == ["Kind", "Result", "Date"]
    quote(assessment, "result")
    assert unsourced_facts(assessment) == ["Date"]


def test_a_suppliers_website_is_the_registers_link_but_its_other_facts_need_quotes():
    supplier = SupplierFactory(is_published=False, website="https://supplier.example.org/", description="Makes maps.")
    quote(supplier)
    assert unsourced_facts(supplier) == ["Description"]


def test_the_quotes_about_to_be_saved_can_be_counted_instead_of_the_stored_ones():
    tool = ToolFactory(is_published=False, technique="rules")
    assert unsourced_facts(tool, ["description", "technique"]) == []
    assert unsourced_facts(tool, []) == ["Name", "Category", "What it does", "Technique"]


# Publishing in the admin ------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def publish_in_the_form(client, record, **changes):
    url = reverse(f"admin:register_{record._meta.model_name}_change", args=[record.pk])
    data = form_data(client.get(url))
    data.update(is_published="on", change_reason="Checked against the FOI answer", **changes)
    return client.post(url, data)


def evidence_errors(response) -> list[str]:
    """The errors above the record's evidence inline, which checks its sources with the quotes being saved."""
    return inline_formset(response, "evidence").non_form_errors()


def inline_formset(response, prefix: str):
    return next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)


def test_the_admin_form_refuses_to_publish_an_unsourced_value_and_lists_its_label(editor_client):
    tool = a_draft_tool_quoted_for_its_description()
    response = publish_in_the_form(editor_client, tool)
    assert response.status_code == 200
    assert evidence_errors(response) == [UNSOURCED_TECHNIQUE]
    assert UNSOURCED_TECHNIQUE in response.content.decode()
    tool.refresh_from_db()
    assert tool.is_published is False


def test_the_admin_form_publishes_once_the_quote_is_added_in_the_same_form(editor_client):
    tool = a_draft_tool_quoted_for_its_description()
    foi_request = FoiRequestFactory(response_text="1. The tool uses machine learning.")
    response = publish_in_the_form(
        editor_client,
        tool,
        **{
            "evidence-TOTAL_FORMS": "2",
            "evidence-1-source": str(foi_request.source.pk),
            "evidence-1-question_number": "1",
            "evidence-1-quote": "The tool uses machine learning.",
            "evidence-1-field": "technique",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    tool.refresh_from_db()
    assert tool.is_published is True
    assert tool.evidence.filter(field="technique").exists()


def test_the_admin_form_publishes_once_the_value_is_cleared(editor_client):
    tool = a_draft_tool_quoted_for_its_description()
    response = publish_in_the_form(editor_client, tool, technique="unknown")
    assert response.status_code == 302
    tool.refresh_from_db()
    assert (tool.is_published, tool.technique) == (True, "unknown")


def test_deleting_the_only_quote_of_a_published_value_in_the_admin_is_refused(editor_client):
    tool = ToolFactory(technique="rules", sourced=True)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    index = next(n for n in range(int(data["evidence-TOTAL_FORMS"])) if data[f"evidence-{n}-field"] == "technique")
    data.update({f"evidence-{index}-DELETE": "on", "change_reason": "Removing a quote"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert evidence_errors(response) == [UNSOURCED_TECHNIQUE]
    assert tool.evidence.filter(field="technique").exists()


def the_only_technique_quote():
    tool = ToolFactory(technique="rules", sourced=True)
    return tool, tool.evidence.get(field="technique")


def test_deleting_the_only_quote_of_a_published_value_from_the_evidence_admin_is_refused(editor_client):
    tool, evidence = the_only_technique_quote()
    url = reverse("admin:register_evidence_delete", args=[evidence.pk])
    refused = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "Not deleted. The only source of Technique on" in refused.content.decode()
    assert tool.evidence.filter(pk=evidence.pk).exists()

    second = quote(tool, "technique")
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert list(tool.evidence.filter(field="technique")) == [second]


def test_deleting_two_quotes_of_one_published_value_together_is_refused(editor_client):
    tool, evidence = the_only_technique_quote()
    second = quote(tool, "technique")
    data = {
        "action": "delete_evidence",
        "_selected_action": [evidence.pk, second.pk],
        "post": "yes",
        "change_reason": "Duplicate quote",
    }
    response = editor_client.post(reverse("admin:register_evidence_changelist"), data, follow=True)
    assert "Nothing deleted. The only source of Technique" in response.content.decode()
    assert tool.evidence.filter(field="technique").count() == 2

    data["_selected_action"] = [second.pk]
    editor_client.post(reverse("admin:register_evidence_changelist"), data)
    assert list(tool.evidence.filter(field="technique")) == [evidence]


def test_moving_the_only_quote_of_a_published_value_to_another_fact_is_refused(editor_client):
    _tool, evidence = the_only_technique_quote()
    url = reverse("admin:register_evidence_change", args=[evidence.pk])
    data = form_data(editor_client.get(url))
    data.update(field="description", change_reason="Wrong fact")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The only source of Technique on" in str(response.context["adminform"].form.non_field_errors())
    evidence.refresh_from_db()
    assert evidence.field == "technique"


def test_the_api_and_the_bulk_import_refuse_to_move_the_only_quote_of_a_published_value():
    _tool, evidence = the_only_technique_quote()
    client, path = researcher_client("change_evidence", "view_evidence"), f"/api/evidence/{evidence.pk}/"
    response = client.patch(path, {"field": "inputs"}, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])
    assert response.status_code == 400
    assert "The only source of Technique on" in response.json()["field"][0]

    [row] = EvidenceResource().export(Evidence.objects.filter(pk=evidence.pk)).dict
    dataset = tablib.Dataset()
    dataset.dict = [{**row, "field": "inputs"}]
    result = EvidenceResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "The only source of Technique" in str(result.invalid_rows[0].error_dict["field"])
    evidence.refresh_from_db()
    assert evidence.field == "technique"


def test_deleting_the_only_quote_of_a_published_value_on_its_foi_request_is_refused(editor_client):
    tool, evidence = the_only_technique_quote()
    url = reverse("admin:foi_requests_foirequest_change", args=[evidence.source.foi_request.pk])
    data = form_data(editor_client.get(url))
    index = next(n for n in range(int(data["evidence-TOTAL_FORMS"])) if data[f"evidence-{n}-id"] == str(evidence.pk))
    data.update({f"evidence-{index}-DELETE": "on", "change_reason": "Removing a quote"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The only source of Technique on" in response.content.decode()
    assert tool.evidence.filter(field="technique").exists()


def test_reverting_a_published_record_to_an_unsourced_value_is_refused(editor_client):
    tool = ToolFactory(is_published=False, technique="rules")
    old_version = tool.history.latest()
    tool.technique = "unknown"
    tool.is_published = True
    tool.save()
    cite_every_fact(tool)
    url = reverse("admin:register_tool_simple_history", args=[tool.pk, old_version.history_id])
    data = form_data(editor_client.get(url))
    data["change_reason"] = "Back to the first version"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_published"] == [UNSOURCED_TECHNIQUE]
    tool.refresh_from_db()
    assert tool.technique == "unknown"


def test_the_publish_action_refuses_an_unsourced_record_and_names_it(editor_client):
    unsourced = a_draft_tool_quoted_for_its_description(name="Crystal Ball")
    sourced = ToolFactory(is_published=False, technique="rules", sourced=True)
    response = editor_client.post(
        reverse("admin:register_tool_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [unsourced.pk, sourced.pk],
            "confirm": "yes",
            "change_reason": "Published",
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Crystal Ball: {UNSOURCED_TECHNIQUE}" in page
    assert "1 tools published." in page
    assert set(Tool.objects.filter(is_published=True).values_list("pk", flat=True)) >= {sourced.pk}
    unsourced.refresh_from_db()
    assert unsourced.is_published is False


def test_publishing_an_assessment_in_its_deployments_inline_needs_its_sources(editor_client):
    deployment = DeploymentFactory(sourced=True)
    assessment = AssessmentFactory(deployment=deployment, is_published=False, result="conducted")
    response = publish_in_the_form(editor_client, deployment, **{"assessments-0-is_published": "on"})
    assert response.status_code == 200
    formset = inline_formset(response, "assessments")
    assert "Not published: these facts have no source: Kind, Result." in formset.forms[0].errors["is_published"][0]
    assessment.refresh_from_db()
    assert assessment.is_published is False

    cite_every_fact(assessment)
    response = publish_in_the_form(editor_client, deployment, **{"assessments-0-is_published": "on"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_published is True


# Publishing through the API and the bulk import -------------------------------------------


def test_the_api_refuses_to_publish_an_unsourced_value_with_a_400_then_accepts_it_sourced():
    tool = a_draft_tool_quoted_for_its_description()
    editor, path = group_client("Editors"), f"/api/tools/{tool.slug}/"
    refused = editor.patch(path, {"is_published": True}, format="json", HTTP_IF_MATCH=editor.get(path)["ETag"])
    assert refused.status_code == 400
    assert refused.json()["is_published"] == [UNSOURCED_TECHNIQUE]
    tool.refresh_from_db()
    assert tool.is_published is False

    quote(tool, "technique")
    allowed = editor.patch(path, {"is_published": True}, format="json", HTTP_IF_MATCH=editor.get(path)["ETag"])
    assert allowed.status_code == 200, allowed.json()
    tool.refresh_from_db()
    assert tool.is_published is True


def test_the_api_refuses_a_new_unsourced_value_on_a_published_record():
    deployment = DeploymentFactory(status="unknown", sourced=True)
    editor, path = group_client("Editors"), f"/api/deployments/{deployment.pk}/"
    response = editor.patch(path, {"scale": "Every resident"}, format="json", HTTP_IF_MATCH=editor.get(path)["ETag"])
    assert response.status_code == 400
    assert "these facts have no source: Scale." in response.json()["is_published"][0]
    assert Deployment.objects.get(pk=deployment.pk).scale == ""


def test_the_api_describes_where_a_facts_evidence_is():
    schema = group_client("Editors").get("/api/schema/?format=json").json()
    evidence = schema["components"]["schemas"]["Tool"]["properties"]["evidence"]
    assert "Not disclosed" in evidence["description"]


def test_a_bulk_import_row_publishing_an_unsourced_value_is_a_bad_row():
    sourced = ToolFactory(is_published=False, technique="rules", sourced=True)
    rows = (
        "slug,name,category,technique,origin,supplier,description,inputs,outputs,is_published\n"
        f"{sourced.slug},{sourced.name},individual_risk,rules,unknown,,{sourced.description},,,1\n"
        "crystal-ball,Crystal Ball,individual_risk,machine_learning,unknown,,,,,1\n"
    )
    result = ToolResource().import_data(tablib.Dataset().load(rows, format="csv"), dry_run=False)
    assert result.has_validation_errors()
    [bad] = result.invalid_rows
    assert bad.number == 2
    assert "these facts have no source: Name, Category, Technique." in str(bad.error_dict["is_published"])
    assert not Tool.objects.filter(is_published=True).exists()  # all or nothing

    fixed = tablib.Dataset().load(rows.replace("machine_learning,unknown,,,,,1", "machine_learning,unknown,,,,,0"))
    result = ToolResource().import_data(fixed, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    assert Tool.objects.get(slug=sourced.slug).is_published is True


# Pages --------------------------------------------------------------------------------


def test_a_value_quoted_only_from_a_draft_answer_reads_not_disclosed_until_it_is_published(client):
    tool = ToolFactory(technique="machine_learning", description="Scores people for risk.")
    quote(tool, "description")
    draft_answer = FoiRequestFactory(is_published=False)
    quote(tool, "technique", foi_request=draft_answer)
    page = client.get(tool.get_absolute_url()).content.decode()
    assert "Scores people for risk." in page
    assert "Machine learning" not in page
    assert "<dt>Technique</dt>" in page and "Not disclosed" in page

    row = client.get(reverse("register:tool-list")).content.decode()
    assert '<td data-label="Technique">Not disclosed</td>' in row

    draft_answer.is_published = True
    draft_answer.save()
    assert "Machine learning" in client.get(tool.get_absolute_url()).content.decode()
    row = client.get(reverse("register:tool-list")).content.decode()
    assert '<td data-label="Technique">Machine learning</td>' in row


def test_a_tools_category_shows_only_with_a_published_quote_of_the_tool(client):
    tool = ToolFactory(category="biometrics", description="")
    quote(tool, foi_request=FoiRequestFactory(is_published=False))
    page = client.get(tool.get_absolute_url()).content.decode()
    assert "Biometrics" not in page
    quote(tool, "name")
    assert "Biometrics" in client.get(tool.get_absolute_url()).content.decode()


def test_a_deployments_status_in_a_tools_table_needs_its_published_quote(client):
    deployment = DeploymentFactory(status="discontinued", tool=ToolFactory(sourced=True))
    page = client.get(deployment.tool.get_absolute_url()).content.decode()
    assert "Discontinued" not in page
    quote(deployment, "status")
    assert "Discontinued" in client.get(deployment.tool.get_absolute_url()).content.decode()
    assert "Discontinued" in client.get(deployment.get_absolute_url()).content.decode()


def test_the_list_of_deployments_shows_a_status_and_a_start_only_with_their_published_quotes(client):
    deployment = DeploymentFactory(status="discontinued", started="2019-04", tool=ToolFactory(sourced=True))
    quote(deployment)  # the deployment itself, not its status or its start

    def row():
        page = client.get("/deployments/").content.decode()
        return page.split(f'href="{deployment.get_absolute_url()}"')[1].split("</tr>")[0]

    assert "Discontinued" not in row() and "April 2019" not in row() and row().count("Not disclosed") == 2
    quote(deployment, "status")
    quote(deployment, "started")
    assert "Discontinued" in row() and "April 2019" in row()


# The seed data ----------------------------------------------------------------------------


def test_every_published_record_of_the_seed_data_has_a_source_for_each_fact(seed_data):
    unsourced = {
        str(record): facts
        for model in (Supplier, Tool, Deployment, Assessment)
        for record in model.objects.published()
        if (facts := unsourced_facts(record))
    }
    assert unsourced == {}
    assert Tool.objects.published().count() == 8
