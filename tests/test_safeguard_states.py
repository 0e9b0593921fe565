"""The state of each safeguard on a deployment, as the forces gave it: conducted,
withheld, not conducted, answered "not applicable", asked but not answered, never
asked. The same state in SQL (filters, facet counts, the API's rows, the CSV) and in
Python (`safeguard_state`), on the pages with its word and a key.

The hand-made set: one force, Testshire, asked in a published request about the DPIAs
of its individual risk tools, and six of its tools, one in each state; a seventh
force asked the same in a request still in draft."""

import csv
import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.facets import facet_counts
from register.filters import DeploymentFilter
from register.models import (
    SAFEGUARD_KINDS,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    SafeguardState,
    ToolCategory,
    read_safeguard_states,
    safeguard_state,
    safeguard_state_counts,
    safeguard_state_name,
)

from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    EvidenceFactory,
    FoiRequestFactory,
    ForceFactory,
    ToolFactory,
    researcher_client,
)
from .test_query_budgets import BUDGETS

pytestmark = pytest.mark.django_db

DPIA = AssessmentKind.DPIA
ANSWER = (
    "1. A data protection impact assessment of the Custody Risk Score was completed in November 2021. "
    "A review in 2019 recorded that none had been carried out.\n2. Other tools: see our disclosure log."
)


def ask(foi_request, *, categories, safeguards, number="1", outcome=QuestionOutcome.DISCLOSED) -> Question:
    """A question of `foi_request` about these kinds of tool and of safeguard."""
    question = Question.objects.create(
        source=foi_request.source,
        number=number,
        text="Has your force carried out a data protection impact assessment of each tool?",
        outcome=outcome,
    )
    for category in categories:
        QuestionCategory.objects.create(question=question, category=category)
    for kind in safeguards:
        QuestionSafeguard.objects.create(question=question, kind=kind)
    return question


def dpia(deployment, result, conducted=None, is_published=True):
    return AssessmentFactory(
        deployment=deployment, kind=DPIA, result=result, conducted=conducted, is_published=is_published
    )


@dataclass
class HandMade:
    force: object
    by_state: dict  # the DPIA state each deployment must be in -> the deployment
    drafted: object  # at a force asked only in a draft request: never asked
    other_force: object


@pytest.fixture
def hand_made(db) -> HandMade:
    force = ForceFactory(slug="testshire", name="Testshire Police")
    request = FoiRequestFactory(force=force, reference="TS/0001/24", response_text=ANSWER)
    ask(request, categories=[ToolCategory.INDIVIDUAL_RISK], safeguards=[DPIA, AssessmentKind.EQUALITY])

    def risk_tool(name):
        return DeploymentFactory(force=force, tool=ToolFactory(name=name, category=ToolCategory.INDIVIDUAL_RISK))

    conducted = risk_tool("Custody Risk Score")
    older = dpia(conducted, AssessmentResult.NOT_CONDUCTED, conducted="2019")  # an older answer...
    newer = dpia(conducted, AssessmentResult.CONDUCTED, conducted="2021-11")  # ...the strongest counts
    for assessment, quote in ((older, "A review in 2019"), (newer, "was completed in November 2021")):
        EvidenceFactory(foi_request=request, deployment=None, assessment=assessment, field="conducted", quote=quote)
    withheld = risk_tool("Harm Index")
    dpia(withheld, AssessmentResult.NOT_APPLICABLE)
    dpia(withheld, AssessmentResult.WITHHELD)
    not_conducted = risk_tool("Repeat Victim Flag")
    dpia(not_conducted, AssessmentResult.NOT_CONDUCTED)
    dpia(not_conducted, AssessmentResult.CONDUCTED, conducted="2022", is_published=False)  # a draft: not counted
    not_applicable = risk_tool("Youth Diversion Screen")
    dpia(not_applicable, AssessmentResult.NOT_APPLICABLE)
    not_answered = risk_tool("Missing Person Triage")
    dpia(not_answered, AssessmentResult.UNKNOWN)  # "not disclosed" settles nothing
    # The question covered DPIAs, but of individual risk tools, not of mapping ones.
    never_asked = DeploymentFactory(force=force, tool=ToolFactory(name="Burglary Map", category=ToolCategory.MAPPING))

    other_force = ForceFactory(slug="otherton", name="Otherton Police")
    draft_request = FoiRequestFactory(force=other_force, reference="OT/0002/24", is_published=False)
    ask(draft_request, categories=[ToolCategory.INDIVIDUAL_RISK], safeguards=[DPIA])
    drafted = DeploymentFactory(force=other_force, tool=ToolFactory(name="Otherton Risk Model"))
    return HandMade(
        force=force,
        by_state={
            SafeguardState.CONDUCTED: conducted,
            SafeguardState.WITHHELD: withheld,
            SafeguardState.NOT_CONDUCTED: not_conducted,
            SafeguardState.NOT_APPLICABLE: not_applicable,
            SafeguardState.NOT_ANSWERED: not_answered,
            SafeguardState.NEVER_ASKED: never_asked,
        },
        drafted=drafted,
        other_force=other_force,
    )


# The DPIA states of the hand-made set: one deployment in each, two never asked.
DPIA_COUNTS = {state.value: 1 for state in SafeguardState} | {SafeguardState.NEVER_ASKED.value: 2}


def dpia_states_in_sql() -> dict[int, str]:
    rows = Deployment.objects.published().with_safeguard_states()
    return {deployment.pk: deployment.dpia_state for deployment in rows}


# The rule.


@pytest.mark.parametrize(
    ("results", "asked", "state"),
    [
        (["not_conducted", "conducted"], False, SafeguardState.CONDUCTED),
        (["not_applicable", "withheld", "not_conducted"], True, SafeguardState.WITHHELD),
        (["not_applicable", "not_conducted"], False, SafeguardState.NOT_CONDUCTED),
        (["unknown", "not_applicable"], True, SafeguardState.NOT_APPLICABLE),
        (["unknown"], True, SafeguardState.NOT_ANSWERED),
        ([], True, SafeguardState.NOT_ANSWERED),
        (["unknown"], False, SafeguardState.NEVER_ASKED),
        ([], False, SafeguardState.NEVER_ASKED),
    ],
)
def test_the_strongest_result_recorded_else_whether_it_was_asked(results, asked, state):
    assert safeguard_state(results, asked) == state


def test_each_deployment_is_in_its_state(hand_made):
    states = dpia_states_in_sql()
    for state, deployment in hand_made.by_state.items():
        assert states[deployment.pk] == state, deployment.tool.name
    assert states[hand_made.drafted.pk] == SafeguardState.NEVER_ASKED


def test_the_sql_agrees_with_the_python_rule_for_every_kind(hand_made):
    """Without the annotation, `safeguard_states()` asks the database and applies
    `safeguard_state()`: the two give the same state for each kind, on each deployment."""
    annotated = {d.pk: d for d in Deployment.objects.published().with_safeguard_states()}
    for deployment in Deployment.objects.published():
        in_python = {s.kind: s.state for s in deployment.safeguard_states()}
        in_sql = {s.kind: s.state for s in annotated[deployment.pk].safeguard_states()}
        assert in_python == in_sql, deployment.tool.name
    # The request asked about equality assessments too; nobody asked about the other four.
    risk = {s.kind: s.state for s in hand_made.by_state[SafeguardState.CONDUCTED].safeguard_states()}
    assert risk[AssessmentKind.EQUALITY] == SafeguardState.NOT_ANSWERED
    assert {risk[kind] for kind in SAFEGUARD_KINDS if kind not in (DPIA, AssessmentKind.EQUALITY)} == {
        SafeguardState.NEVER_ASKED
    }


def test_a_page_of_rows_reads_the_states_the_sql_gives(hand_made):
    """A list's page reads its rows' states from their assessments and one query of what was
    asked (`read_safeguard_states`): the same as the SQL's, for every kind, and no query per row."""
    annotated = {d.pk: d for d in Deployment.objects.all().with_safeguard_states()}
    page = list(Deployment.objects.all().select_related("tool").prefetch_related("assessments"))
    with CaptureQueriesContext(connection) as captured:
        read_safeguard_states(page)
        states = {d.pk: {s.kind: s.state for s in d.safeguard_states()} for d in page}
    assert len(captured) == 1
    for deployment in page:
        in_sql = {kind: getattr(annotated[deployment.pk], safeguard_state_name(kind)) for kind in SAFEGUARD_KINDS}
        assert states[deployment.pk] == in_sql, deployment.tool.name


def test_the_counts_of_every_kind_from_one_pass_are_the_sqls(hand_made):
    """`safeguard_state_counts` counts each kind's states over any rows as the SQL states group them."""
    published = Deployment.objects.published()
    for rows in (published, published.filter(tool__category=ToolCategory.INDIVIDUAL_RISK), published.none()):
        counts = safeguard_state_counts(rows)
        for kind in SAFEGUARD_KINDS:
            name = safeguard_state_name(kind)
            in_sql = dict.fromkeys(SafeguardState.values, 0)
            for state in rows.with_safeguard_states().values_list(name, flat=True):
                in_sql[state] += 1
            assert counts[kind] == in_sql, kind
    assert safeguard_state_counts(published)[DPIA] == DPIA_COUNTS


def test_a_question_about_another_kind_of_tool_leaves_it_never_asked(hand_made):
    never_asked = hand_made.by_state[SafeguardState.NEVER_ASKED]
    assert never_asked.tool.category == ToolCategory.MAPPING
    assert dpia_states_in_sql()[never_asked.pk] == SafeguardState.NEVER_ASKED
    # A question about mapping tools that asks nothing about DPIAs changes nothing either.
    ask(
        FoiRequestFactory(force=hand_made.force), categories=[ToolCategory.MAPPING], safeguards=[AssessmentKind.PRIVACY]
    )
    assert dpia_states_in_sql()[never_asked.pk] == SafeguardState.NEVER_ASKED
    # Asked about both, it is asked.
    ask(FoiRequestFactory(force=hand_made.force), categories=[ToolCategory.MAPPING], safeguards=[DPIA])
    assert dpia_states_in_sql()[never_asked.pk] == SafeguardState.NOT_ANSWERED


def test_a_draft_request_does_not_make_it_asked(hand_made):
    assert dpia_states_in_sql()[hand_made.drafted.pk] == SafeguardState.NEVER_ASKED
    assert Deployment.objects.get(pk=hand_made.drafted.pk).safeguard_state_of(DPIA) == SafeguardState.NEVER_ASKED
    request = hand_made.drafted.force.sources.get().foi_request
    request.is_published = True
    request.save()
    assert dpia_states_in_sql()[hand_made.drafted.pk] == SafeguardState.NOT_ANSWERED


def test_a_question_to_another_force_does_not_make_it_asked(hand_made):
    elsewhere = DeploymentFactory(tool=ToolFactory(category=ToolCategory.INDIVIDUAL_RISK))
    assert dpia_states_in_sql()[elsewhere.pk] == SafeguardState.NEVER_ASKED


# Filters and facet counts, in the API and on the list page.


@pytest.mark.parametrize("state", [state.value for state in SafeguardState])
def test_the_api_filters_by_state(hand_made, state):
    response = APIClient().get(f"/api/deployments/?dpia_state={state}")
    assert response.status_code == 200
    assert response.json()["count"] == DPIA_COUNTS[state]
    assert {row["dpia_state"] for row in response.json()["results"]} == {state}


def test_a_state_filter_takes_several_states_and_refuses_an_unknown_one(hand_made):
    api = APIClient()
    assert api.get("/api/deployments/?dpia_state=withheld&dpia_state=not_conducted").json()["count"] == 2
    assert api.get("/api/deployments/?dpia_state=never_asked&category=mapping").json()["count"] == 1
    assert api.get("/api/deployments/?equality_state=not_answered").json()["count"] == 5
    refused = api.get("/api/deployments/?dpia_state=no")
    assert refused.status_code == 400 and "dpia_state" in refused.json()


def test_has_dpia_means_conducted_or_recorded_as_not_conducted(hand_made):
    """Not "everything else": withheld, N/A, not answered and never asked are neither yes nor no."""
    api = APIClient()
    yes = api.get("/api/deployments/?has_dpia=true").json()
    no = api.get("/api/deployments/?has_dpia=false").json()
    assert [row["id"] for row in yes["results"]] == [hand_made.by_state[SafeguardState.CONDUCTED].pk]
    assert [row["id"] for row in no["results"]] == [hand_made.by_state[SafeguardState.NOT_CONDUCTED].pk]
    assert api.get("/api/deployments/?has_bias_testing=false").json()["count"] == 0


def test_the_list_page_counts_each_state(hand_made, client):
    response = client.get("/deployments/")
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {option.value: option.count for option in facets["dpia_state"].options} == DPIA_COUNTS
    assert facets["dpia_state"].label == "Data Protection Impact Assessment"
    assert [option.label for option in facets["dpia_state"].options] == [state.label for state in SafeguardState]
    equality = {option.value: option.count for option in facets["equality_state"].options}
    assert equality == {**dict.fromkeys(equality, 0), "not_answered": 5, "never_asked": 2}
    filtered = client.get("/deployments/?dpia_state=never_asked")
    assert filtered.context["total"] == 2
    assert {d.tool.name for d in filtered.context["deployments"]} == {"Burglary Map", "Otherton Risk Model"}


def test_every_state_facet_count_is_the_number_of_rows_its_option_gives(hand_made):
    """With another filter active, each option's count is what choosing it gives."""
    query = "category=individual_risk&equality_state=not_answered"
    filterset = DeploymentFilter(QueryDict(query), queryset=Deployment.objects.published())
    for facet in facet_counts(filterset):
        for option in facet.options:
            data = QueryDict(query, mutable=True)
            data.setlist(facet.name, [option.value])
            rows = DeploymentFilter(data, queryset=Deployment.objects.published()).qs
            assert option.count == rows.count(), (facet.name, option.value)


# What readers see.


def test_the_api_and_csv_give_each_state(hand_made):
    api = APIClient()
    conducted = hand_made.by_state[SafeguardState.CONDUCTED]
    row = api.get(f"/api/deployments/{conducted.pk}/").json()
    assert row["dpia_state"] == "conducted" and row["equality_state"] == "not_answered"
    assert row["bias_testing_state"] == "never_asked"
    assert len([a for a in row["assessments"] if a["kind"] == "dpia"]) == 2  # each one is shown
    response = api.get("/api/deployments/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_id = {int(row["id"]): row for row in rows}
    for state, deployment in hand_made.by_state.items():
        assert by_id[deployment.pk]["dpia_state"] == state
    assert {name for name in rows[0] if name.endswith("_state")} == {f"{kind}_state" for kind in SAFEGUARD_KINDS}


def test_a_write_through_the_api_answers_with_the_new_states(hand_made):
    """Moved to a mapping tool, a draft deployment is no longer one Testshire was asked about."""
    draft = DeploymentFactory(force=hand_made.force, tool=ToolFactory(category=ToolCategory.INDIVIDUAL_RISK))
    draft.is_published = False
    draft.save()
    client = researcher_client("change_deployment", "view_deployment")
    path = f"/api/deployments/{draft.pk}/"
    before = client.get(path)
    assert before.json()["dpia_state"] == "not_answered"
    mapping = ToolFactory(category=ToolCategory.MAPPING)
    response = client.patch(path, {"tool": mapping.slug}, format="json", HTTP_IF_MATCH=before["ETag"])
    assert response.status_code == 200, response.json()
    assert response.json()["dpia_state"] == "never_asked"
    assert response["ETag"] == client.get(path)["ETag"]


def test_the_deployment_page_shows_each_state_with_its_word_and_the_key(hand_made, client):
    for state, deployment in hand_made.by_state.items():
        page = client.get(deployment.get_absolute_url()).content.decode()
        row = page.split('id="safeguard-dpia"')[1].split("</tr>")[0]
        assert state.label in row, deployment.tool.name
        assert "Key to the safeguards" in page
    page = client.get(hand_made.by_state[SafeguardState.CONDUCTED].get_absolute_url()).content.decode()
    dpia_row = page.split('id="safeguard-dpia"')[1].split("</tr>")[0]
    assert "November 2021" in dpia_row and "2019" in dpia_row  # both assessments, each with its date
    never = page.split('id="safeguard-legal_opinion"')[1].split("</tr>")[0]
    assert "Never asked" in never and "No FOI request in the register asked Testshire Police" in never


def test_the_list_page_shows_the_states_and_their_key(hand_made, client):
    page = client.get("/deployments/").content.decode()
    for state in SafeguardState:
        assert state.label in page
    key = page.split('id="safeguard-key-heading"')[1].split("</dl>")[0]
    assert all(state.label in key for state in SafeguardState)


def test_the_tool_page_shows_the_states(hand_made, client):
    deployment = hand_made.by_state[SafeguardState.WITHHELD]
    page = client.get(deployment.tool.get_absolute_url()).content.decode()
    # One column per kind of safeguard: the DPIA's cell holds its state's symbol and word.
    assert '<span class="visually-hidden">Data Protection Impact Assessment</span></th>' in page
    dpia_cell = page.split('data-label="DPIA"')[1].split("</td>")[0]
    assert "■" in dpia_cell and "Withheld" in dpia_cell


# Queries: a fixed number, whatever the rows.


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_page_keep_their_query_budgets(hand_made, client):
    """The page's states come from its rows' assessments and what was asked (one query); their
    facets replace the yes/no ones, all from one pass, and a chosen state's from its own (2 more)."""
    deployment = hand_made.by_state[SafeguardState.CONDUCTED]
    list_url = "/deployments/?dpia_state=conducted&dpia_state=never_asked&has_dpia=true"
    few = (queries_for(client, "/deployments/"), queries_for(client, list_url))
    detail = queries_for(client, deployment.get_absolute_url())
    for n in range(30):
        added = DeploymentFactory(force=hand_made.force, tool=ToolFactory(category=ToolCategory.INDIVIDUAL_RISK))
        dpia(added, AssessmentResult.CONDUCTED if n % 2 else AssessmentResult.WITHHELD)
    assert (queries_for(client, "/deployments/"), queries_for(client, list_url)) == few
    assert few == (BUDGETS["/deployments/"], BUDGETS["/deployments/"] + 2)
    assert detail == BUDGETS["/deployments/west-midlands/west-midlands-iom-model/"]
    assert queries_for(client, "/api/deployments/?dpia_state=conducted") == BUDGETS["/api/deployments/"]


# A withheld safeguard with the exemption the force cited.


def test_a_withheld_assessment_keeps_the_exemption_cited_written_one_way(hand_made, client):
    client_api = researcher_client("add_assessment", "view_assessment")
    deployment = hand_made.by_state[SafeguardState.WITHHELD]
    response = client_api.post(
        "/api/assessments/",
        {"deployment": deployment.pk, "kind": "equality", "result": "withheld", "withheld_under": "section 31 (1)(a)"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["withheld_under"] == "FOIA s31(1)(a)"
    assessment = deployment.assessments.get(kind="equality")
    assert assessment.withheld_under == "FOIA s31(1)(a)"

    # Published with its quote, it is shown beside the state.
    request = FoiRequestFactory(force=hand_made.force, response_text="Question 3 is exempt under s31(1)(a) FOIA.")
    EvidenceFactory(
        foi_request=request, deployment=None, assessment=assessment, field="withheld_under", quote="s31(1)(a)"
    )
    assessment.is_published = True
    assessment.save()
    page = client.get(deployment.get_absolute_url()).content.decode()
    row = page.split('id="safeguard-equality"')[1].split("</tr>")[0]
    assert "Withheld" in row and "FOIA s31(1)(a)" in row


@pytest.mark.parametrize(
    ("result", "cited", "reason"),
    [
        ("conducted", "s31(1)(a)", "Only a withheld assessment cites an exemption"),
        ("withheld", "s31 and s40", "is not a section of an act"),
        ("withheld", "commercial interests", "is not a section of an act"),
    ],
)
def test_an_exemption_cited_that_cannot_be_is_a_400_on_its_field(hand_made, result, cited, reason):
    client_api = researcher_client("add_assessment", "view_assessment")
    deployment = hand_made.by_state[SafeguardState.NEVER_ASKED]
    response = client_api.post(
        "/api/assessments/",
        {"deployment": deployment.pk, "kind": "dpia", "result": result, "withheld_under": cited},
        format="json",
    )
    assert response.status_code == 400
    assert reason in response.json()["withheld_under"][0]
    assert not deployment.assessments.exists()
