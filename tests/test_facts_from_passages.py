"""Facts from passages: on an FOI request's answer, a passage becomes evidence for a new or
existing tool, deployment or safeguard in one form, checked against the answer, all or nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from core.partial_dates import PartialDate
from foi_requests.facts_from_passages import dates_in_passage
from register.models import Assessment, AssessmentKind, AssessmentResult, Deployment, Evidence, Question, Tool
from tests.factories import DeploymentFactory, FoiRequestFactory, ToolFactory, UserFactory

ANSWER = """1. Does the force use any algorithmic tools?
The force has used the Harm Assessment Risk Tool since March 2020 to support custody decisions.

2. Has a Data Protection Impact Assessment been completed?
A DPIA for the hotspot map was completed on 1 October 2019 and is reviewed yearly."""

STARTED = "The force has used the Harm Assessment Risk Tool since March 2020"
DPIA = "A DPIA for the hotspot map was completed on 1 October 2019"


@pytest.fixture
def foi_request(db):
    foi_request = FoiRequestFactory(reference="FOI/2020/77", response_text=ANSWER, is_published=False)
    for number, text, answer in (
        ("1", "Does the force use any algorithmic tools?", ANSWER.split("\n")[1]),
        ("2", "Has a DPIA been completed?", ANSWER.split("\n")[4]),
    ):
        Question.objects.create(source=foi_request.source, number=number, text=text, answer=answer)
    return foi_request


def fact_url(foi_request) -> str:
    return reverse("admin:foi_requests_foirequest_fact", args=[foi_request.pk])


def posted(**values) -> dict:
    return {
        "passage": "",
        "question_number": "",
        "tool": "",
        "new_tool_name": "",
        "new_tool_category": "",
        "safeguard_kind": "",
        "safeguard_result": AssessmentResult.CONDUCTED,
        "fact": "tool:",
        "value": "",
        "chosen_value": "",
        "change_reason": "Recorded from FOI/2020/77",
        **values,
    }


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("used since March 2020.", ["March 2020"]),
        ("since 2008", ["2008"]),
        ("completed on 1 October 2019, reviewed Nov 2021", ["1 October 2019", "Nov 2021"]),
        ("on 01/10/2019", ["01/10/2019"]),
        ("reference DPO/FOI/002128/22 covering 2,000 people", []),
        ("since the 32 March 2020", ["March 2020"]),
    ],
)
def test_dates_in_a_passage_are_read_as_written(text, dates):
    assert dates_in_passage(text) == dates


def test_the_change_page_links_to_the_fact_form(staff_client, foi_request):
    page = staff_client.get(reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk]))
    assert f'href="{fact_url(foi_request)}"' in page.content.decode()
    assert "Make a fact from this answer" in page.content.decode()


def test_the_form_is_prefilled_from_the_passage_in_the_address(staff_client, foi_request, django_assert_num_queries):
    with django_assert_num_queries(7):
        page = staff_client.get(fact_url(foi_request), {"passage": STARTED})
    form = page.context["form"]
    assert form["passage"].value() == STARTED
    assert form["question_number"].value() == "1"  # the question whose answer holds it
    assert form["change_reason"].value() == "Recorded from FOI/2020/77"
    html = page.content.decode()
    assert "The force has used the Harm Assessment Risk Tool since March 2020" in html  # the answer shown
    assert 'src="/static/js/fact_from_passage.js"' in html


def test_a_date_is_read_from_the_passage_with_its_precision(staff_client, foi_request):
    page = staff_client.get(fact_url(foi_request), {"passage": STARTED, "fact": "deployment:started"})
    assert page.context["form"]["value"].value() == "March 2020"
    assert "March 2020 (to the month)" in page.content.decode()
    page = staff_client.get(fact_url(foi_request), {"passage": DPIA, "fact": "assessment:conducted"})
    assert page.context["form"]["value"].value() == "1 October 2019"
    assert "1 October 2019 (to the day)" in page.content.decode()


def test_one_submission_makes_a_new_tool_its_deployment_and_its_start(staff_client, foi_request):
    response = staff_client.post(
        fact_url(foi_request),
        posted(
            passage=STARTED,
            new_tool_name="Harm Assessment Risk Tool",
            new_tool_category="individual_risk",
            fact="deployment:started",
        ),
    )
    assert response.status_code == 302 and response.url == fact_url(foi_request)

    tool = Tool.objects.get(name="Harm Assessment Risk Tool")
    deployment = Deployment.objects.get(tool=tool, force=foi_request.force)
    assert not tool.is_published and not deployment.is_published
    assert deployment.started == PartialDate(2020, 3)  # to the month, as the passage gives it
    started = Evidence.objects.get(deployment=deployment)
    assert (started.field, started.question_number, started.source) == ("started", "1", foi_request.source)
    assert foi_request.source.text[started.quote_start : started.quote_end] == STARTED
    assert Evidence.objects.get(tool=tool).field == ""  # the new tool is quoted as a whole
    for record in (tool, deployment, started):
        assert record.history.latest().history_change_reason == "Recorded from FOI/2020/77"

    page = staff_client.get(response.url)
    message = str(next(iter(page.context["messages"])))
    assert reverse("admin:register_tool_change", args=[tool.pk]) in message
    assert reverse("admin:register_deployment_change", args=[deployment.pk]) in message
    assert page.context["form"]["passage"].value() in ("", None)  # a new form for the next fact


def test_a_dpia_date_on_an_existing_deployment(staff_client, foi_request):
    deployment = DeploymentFactory(force=foi_request.force, tool=ToolFactory(name="Hotspot map"))
    response = staff_client.post(
        fact_url(foi_request),
        posted(
            passage=DPIA,
            question_number="2",
            tool=deployment.tool.pk,
            safeguard_kind=AssessmentKind.DPIA,
            fact="assessment:conducted",
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(deployment=deployment)
    assert (assessment.kind, assessment.result, assessment.conducted) == (
        AssessmentKind.DPIA,
        AssessmentResult.CONDUCTED,
        PartialDate(2019, 10, 1),
    )
    assert not assessment.is_published
    assert Deployment.objects.count() == 1
    # The passage supports its date, and the result the researcher read in it: it can be published.
    quoted = Evidence.objects.filter(assessment=assessment, question_number="2")
    assert sorted(quoted.values_list("field", flat=True)) == ["conducted", "result"]
    assert assessment.unsourced_facts() == []

    # A second passage about the same DPIA: the same assessment, its value chosen from a list.
    staff_client.post(
        fact_url(foi_request),
        posted(
            passage="A DPIA for the hotspot map was completed",
            tool=deployment.tool.pk,
            safeguard_kind=AssessmentKind.DPIA,
            fact="assessment:result",
            chosen_value="assessment:result=conducted",
        ),
    )
    assert Assessment.objects.count() == 1
    assert Evidence.objects.filter(assessment=assessment).count() == 3


@pytest.mark.parametrize(("fact", "page_of"), [("deployment:started", "deployment"), ("tool:description", "tool")])
def test_the_message_links_to_the_preview_of_the_page_the_fact_shows_on(staff_client, foi_request, fact, page_of):
    response = staff_client.post(
        fact_url(foi_request),
        posted(
            passage=STARTED, new_tool_name="Harm Assessment Risk Tool", new_tool_category="individual_risk", fact=fact
        ),
        follow=True,
    )
    tool = Tool.objects.get(name="Harm Assessment Risk Tool")
    record = Deployment.objects.get(tool=tool) if page_of == "deployment" else tool
    message = str(next(iter(response.context["messages"])))
    assert f'<a href="{record.get_absolute_url()}">Preview its public page</a>' in message
    preview = staff_client.get(record.get_absolute_url())
    assert preview.status_code == 200 and preview.context["draft_preview"] is not None  # a draft, shown to staff
    assert Client().get(record.get_absolute_url()).status_code == 404  # and to no one else


def test_a_safeguards_fact_links_to_its_deployments_page(staff_client, foi_request):
    deployment = DeploymentFactory(force=foi_request.force, tool=ToolFactory(name="Hotspot map"))
    response = staff_client.post(
        fact_url(foi_request),
        posted(passage=DPIA, tool=deployment.tool.pk, safeguard_kind=AssessmentKind.DPIA, fact="assessment:conducted"),
        follow=True,
    )
    message = str(next(iter(response.context["messages"])))
    assert f'<a href="{deployment.get_absolute_url()}">Preview its public page</a>' in message


def test_a_passage_with_one_word_changed_is_refused_with_nothing_saved(staff_client, foi_request):
    changed = STARTED.replace("used", "bought")
    page = staff_client.post(
        fact_url(foi_request),
        posted(
            passage=changed,
            new_tool_name="Harm Assessment Risk Tool",
            new_tool_category="individual_risk",
            fact="deployment:started",
        ),
    )
    assert page.status_code == 200
    assert page.context["form"].errors["passage"] == [
        f"“{changed}” does not appear in FOI/2020/77: copy it word for word from the answer (line breaks, "
        "spaces, quote marks and dashes may differ; join passages with “…”)."
    ]
    assert not Tool.objects.exists() and not Deployment.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"value": "32 March 2020"}, "value", "is not a date we can read"),
        ({"tool": "999999"}, "tool", "Select a valid choice"),
        ({"fact": "deployment:colour"}, "fact", "Select a valid choice"),
        ({"chosen_value": "deployment:status=in_use"}, "chosen_value", "another fact"),
    ],
)
def test_bad_input_is_a_form_error_with_nothing_saved(staff_client, foi_request, values, field, message):
    data = posted(passage=STARTED, new_tool_name="HART", new_tool_category="individual_risk", fact="deployment:started")
    page = staff_client.post(fact_url(foi_request), {**data, **values})
    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors[field])
    assert not Tool.objects.exists() and not Deployment.objects.exists() and not Evidence.objects.exists()


def test_a_fact_made_of_a_record_that_fails_its_checks_saves_nothing(staff_client, foi_request):
    # The tool is made before the deployment's date is refused (a start in the future): both go.
    page = staff_client.post(
        fact_url(foi_request),
        posted(
            passage=STARTED,
            new_tool_name="HART",
            new_tool_category="individual_risk",
            fact="deployment:started",
            value="2999",
        ),
    )
    assert page.status_code == 200 and page.context["form"].errors
    assert not Tool.objects.exists() and not Evidence.objects.exists()


def test_without_the_right_to_add_evidence_the_page_is_forbidden(client, foi_request):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_foirequest"))
    client.force_login(user)
    assert client.get(fact_url(foi_request)).status_code == 403
    assert client.post(fact_url(foi_request), posted(passage=STARTED)).status_code == 403
    assert not Evidence.objects.exists()


def test_a_researcher_without_the_right_to_add_tools_must_choose_one(client, foi_request):
    user = UserFactory(is_staff=True)
    for codename in ("view_foirequest", "add_evidence", "add_deployment"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    page = client.post(
        fact_url(foi_request),
        posted(passage=STARTED, new_tool_name="HART", new_tool_category="individual_risk", fact="deployment:started"),
    )
    assert "You may not add tools" in " ".join(page.context["form"].errors["new_tool_name"])
    assert not Tool.objects.exists()
