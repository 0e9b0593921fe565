"""History that tells the whole story: a record's history page shows its parts' changes too;
restoring an FOI request brings back its exemptions; saving a record leaves the history of
its unchanged inline rows alone."""

import pytest
from django.urls import reverse

from foi_requests.models import FoiRequest
from register.models import Assessment, AssessmentResult, Deployment, Evidence, Question, QuestionOutcome, Source

from .admin_forms import form_data
from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    EvidenceFactory,
    ExemptionFactory,
    FoiRequestFactory,
    ToolFactory,
)

pytestmark = pytest.mark.django_db


def edit(client, url_name, record, **changes):
    """Open the record's admin page, change what an editor would, and save."""
    url = reverse(url_name, args=[record.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history_page(client, url_name, record):
    response = client.get(reverse(url_name, args=[record.pk]))
    assert response.status_code == 200
    return response


def reasons(response) -> list[str]:
    return [entry.version.history_change_reason for entry in response.context["history_page"].object_list]


# (a) A record's history shows its parts' changes, interleaved by time.


def test_a_deployments_history_shows_its_assessments_and_evidence_changes_in_order(staff_client):
    deployment = DeploymentFactory(is_published=False)
    assessment = AssessmentFactory(deployment=deployment, is_published=False, result=AssessmentResult.UNKNOWN)
    evidence = EvidenceFactory(deployment=deployment, question_number="1")

    edit(
        staff_client,
        "admin:register_deployment_change",
        deployment,
        purpose="Predicts hotspots.",
        change_reason="Purpose from FOI 1",
    )
    edit(
        staff_client,
        "admin:register_assessment_change",
        assessment,
        result=AssessmentResult.CONDUCTED,
        change_reason="DPIA done, FOI 2",
    )
    edit(
        staff_client,
        "admin:register_evidence_change",
        evidence,
        question_number="3",
        change_reason="Right question, FOI 3",
    )
    edit(
        staff_client,
        "admin:register_deployment_change",
        deployment,
        scale="About 300 people",
        change_reason="Scale from FOI 4",
    )

    response = history_page(staff_client, "admin:register_deployment_history", deployment)
    assert reasons(response)[:4] == [
        "Scale from FOI 4",
        "Right question, FOI 3",
        "DPIA done, FOI 2",
        "Purpose from FOI 1",
    ]
    page = response.content.decode()
    # Who, what it is, and what changed, field by field with the forms' labels and the choices' names.
    assert "Assessment: Data Protection Impact Assessment for" in page
    assert "<strong>Result:</strong> Not disclosed&nbsp;&rarr;&nbsp;Conducted" in page
    assert "<strong>Question number:</strong> 1&nbsp;&rarr;&nbsp;3" in page
    assert "<strong>Purpose:</strong> (empty)&nbsp;&rarr;&nbsp;Predicts hotspots." in page
    assert page.count(">editor<") >= 4
    assert "With the changes to its assessments and evidence." in page


def test_a_tools_history_shows_its_deployments_and_evidence_changes(staff_client):
    tool = ToolFactory(is_published=False)
    deployment = DeploymentFactory(tool=tool, is_published=False)
    evidence = EvidenceFactory(deployment=None, tool=tool, field="name")
    other = DeploymentFactory(is_published=False)  # another tool's: not in this story

    edit(
        staff_client,
        "admin:register_deployment_change",
        deployment,
        started="2021-11",
        change_reason="Start from FOI 1",
    )
    edit(staff_client, "admin:register_evidence_change", evidence, question_number="2", change_reason="Quote moved")
    edit(staff_client, "admin:register_deployment_change", other, purpose="Other", change_reason="Not this tool's")

    response = history_page(staff_client, "admin:register_tool_history", tool)
    assert reasons(response)[:2] == ["Quote moved", "Start from FOI 1"]
    assert "Not this tool's" not in reasons(response)
    page = response.content.decode()
    assert f"Deployment: {tool.name} at {deployment.force.name}" in page
    assert "<strong>Started:</strong> (empty)&nbsp;&rarr;&nbsp;November 2021" in page
    assert "Evidence: FOI" in page


def test_a_deleted_part_stays_in_the_story(staff_client):
    deployment = DeploymentFactory(is_published=False)
    assessment = AssessmentFactory(deployment=deployment, is_published=False)
    staff_client.post(reverse("admin:register_assessment_delete", args=[assessment.pk]), {"post": "yes"})
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    response = history_page(staff_client, "admin:register_deployment_history", deployment)
    latest = response.context["history_page"].object_list[0]
    assert (latest.part, latest.version.history_type) == ("Assessment", "-")


def test_an_foi_requests_history_shows_its_questions_and_evidence_changes(staff_client):
    foi_request = FoiRequestFactory(is_published=False)
    Question.objects.create(source=foi_request.source, number="1", text="Do you use it?", answer="No information held.")
    EvidenceFactory(foi_request=foi_request, deployment=DeploymentFactory(is_published=False))

    edit(
        staff_client,
        "admin:foi_requests_foirequest_change",
        foi_request,
        **{"questions-0-outcome": QuestionOutcome.NOT_HELD, "change_reason": "Outcome of question 1"},
    )
    response = history_page(staff_client, "admin:foi_requests_foirequest_history", foi_request)
    page = response.content.decode()
    assert "Question: Question 1" in page
    assert "<strong>Outcome:</strong> Not answered&nbsp;&rarr;&nbsp;Information not held" in page
    assert "Evidence: FOI" in page
    assert reasons(response)[0] == "Outcome of question 1"


def test_the_history_page_reads_the_same_number_of_queries_however_long_the_story(
    staff_client, django_assert_num_queries
):
    short = DeploymentFactory(is_published=False)
    AssessmentFactory(deployment=short, is_published=False)
    EvidenceFactory(deployment=short)

    long = DeploymentFactory(is_published=False)
    for kind in ("dpia", "equality", "bias_testing"):
        assessment = AssessmentFactory(deployment=long, kind=kind, is_published=False)
        edit(staff_client, "admin:register_assessment_change", assessment, summary="Seen.", change_reason="Summary")
    for number in ("1", "2", "3"):
        evidence = EvidenceFactory(deployment=long, question_number=number)
        edit(
            staff_client, "admin:register_evidence_change", evidence, question_number=f"{number}a", change_reason="No."
        )
    edit(staff_client, "admin:register_deployment_change", long, purpose="Predicts.", change_reason="Purpose")

    history_page(staff_client, "admin:register_deployment_history", short)  # the user's content type, cached
    # The session, the user, the deployment with its tool and force (its name), simple_history's
    # count of its versions; then the versions of the deployment, of its assessments, of its evidence.
    for deployment in (short, long):
        with django_assert_num_queries(9):
            history_page(staff_client, "admin:register_deployment_history", deployment)


# (b) Restoring an FOI request brings back its exemptions as they were.


def test_restoring_an_foi_request_brings_back_its_exemptions(staff_client):
    cost = ExemptionFactory(section="12(1)", name="Cost")
    security = ExemptionFactory(section="24(1)", name="National security")
    foi_request = FoiRequestFactory(is_published=False)
    url_name = "admin:foi_requests_foirequest_change"

    edit(staff_client, url_name, foi_request, exemptions=[str(cost.pk)], change_reason="Cites s12(1)")
    edit(staff_client, url_name, foi_request, exemptions=[str(security.pk)], change_reason="Cites s24(1) instead")
    assert set(foi_request.exemptions.all()) == {security}
    # One version per save, holding the exemptions as saved.
    citing_cost = foi_request.history.get(history_change_reason="Cites s12(1)")
    assert [row.exemption for row in citing_cost.exemptions.all()] == [cost]

    url = reverse("admin:foi_requests_foirequest_simple_history", args=[foi_request.pk, citing_cost.history_id])
    data = form_data(staff_client.get(url))
    assert data["exemptions"] == [str(cost.pk)]  # the form shows that version's exemptions
    data["change_reason"] = "Restored: s24(1) was a misreading"
    assert staff_client.post(url, data).status_code == 302

    assert set(FoiRequest.objects.get(pk=foi_request.pk).exemptions.all()) == {cost}
    restored = foi_request.history.latest()
    assert restored.history_change_reason == "Restored: s24(1) was a misreading"
    assert [row.exemption for row in restored.exemptions.all()] == [cost]
    assert foi_request.history.count() == 4  # created, two edits, the restore: no version per link

    page = history_page(staff_client, "admin:foi_requests_foirequest_history", foi_request).content.decode()
    assert "<strong>Exemptions:</strong> FOIA s24(1) (National security)&nbsp;&rarr;&nbsp;FOIA s12(1) (Cost)" in page


# (c) Saving a record leaves its unchanged inline rows' history and modification time alone.


def untouched(*records) -> list:
    return [
        (record.history.count(), getattr(type(record).objects.get(pk=record.pk), "updated_at", None))
        for record in records
    ]


def test_saving_a_tool_leaves_its_unchanged_deployments_and_evidence_alone(staff_client):
    tool = ToolFactory(is_published=False, sourced=True)
    deployment = DeploymentFactory(tool=tool, sourced=True, started="2021-11", ended="2023")
    parts = [deployment, *Evidence.objects.filter(tool=tool)]
    before = untouched(*parts)
    edit(staff_client, "admin:register_tool_change", tool, outputs="Scores.", change_reason="Outputs")
    assert untouched(*parts) == before
    assert tool.history.latest().history_change_reason == "Outputs"


def test_saving_a_deployment_leaves_its_unchanged_assessments_and_evidence_alone(staff_client):
    deployment = DeploymentFactory(is_published=False, started="2019-03-01")
    assessment = AssessmentFactory(deployment=deployment, sourced=True, conducted="2022-03", withheld_under="")
    parts = [
        assessment,
        *Evidence.objects.filter(deployment=deployment),
        *Evidence.objects.filter(assessment=assessment),
    ]
    EvidenceFactory(deployment=deployment, field="status")
    parts += list(Evidence.objects.filter(deployment=deployment))
    before = untouched(*parts)
    edit(staff_client, "admin:register_deployment_change", deployment, purpose="Predicts.", change_reason="Purpose")
    assert untouched(*parts) == before
    assert Deployment.objects.get(pk=deployment.pk).purpose == "Predicts."


def test_saving_an_foi_request_leaves_its_unchanged_questions_and_evidence_alone(staff_client):
    cost = ExemptionFactory()
    foi_request = FoiRequestFactory(is_published=False)
    question = Question.objects.create(
        source=foi_request.source, number="1", text="Do you use it?", answer="Refused.", outcome=QuestionOutcome.EXEMPT
    )
    cost.questions.add(question)
    question.categories.create(category="individual_risk")
    foi_request.apply_questions()
    evidence = EvidenceFactory(foi_request=foi_request)
    versions = foi_request.history.count()
    before = untouched(question, evidence)

    edit(staff_client, "admin:foi_requests_foirequest_change", foi_request, title="Risk tools", change_reason="Title")
    assert untouched(question, evidence) == before
    assert foi_request.history.count() == versions + 1
    assert set(foi_request.exemptions.all()) == {cost}


def test_restoring_a_deleted_foi_request_brings_back_its_exemptions(staff_client):
    cost = ExemptionFactory(section="12(1)", name="Cost")
    foi_request = FoiRequestFactory(is_published=False)
    edit(
        staff_client,
        "admin:foi_requests_foirequest_change",
        foi_request,
        exemptions=[str(cost.pk)],
        change_reason="s12",
    )
    pk = foi_request.pk
    staff_client.post(reverse("admin:foi_requests_foirequest_delete", args=[pk]), {"post": "yes"})
    assert not FoiRequest.objects.filter(pk=pk).exists()

    # Its answer's source went with it: restored first, then the request.
    for model, key in ((Source, foi_request.source_id), (FoiRequest, pk)):
        deleted = staff_client.get(reverse("admin-deleted-records")).context["records"]
        entry = next(entry for entry in deleted if entry.model is model and entry.historical.id == key)
        assert staff_client.post(reverse("admin-deleted-records"), {"restore": entry.key}).status_code == 302

    restored = FoiRequest.objects.get(pk=pk)
    assert set(restored.exemptions.all()) == {cost}
    assert [row.exemption for row in restored.history.latest().exemptions.all()] == [cost]
