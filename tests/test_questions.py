"""The questions of an FOI request, each with its outcome, exemptions and what it asks
about: recorded in the admin, served by the API, filtered, shown on the request's page,
made by the importer and the synthetic data generator."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foi_requests import synthetic
from foi_requests.extraction import read_document
from foi_requests.importer import extract_document, save_drafts
from foi_requests.models import FoiOutcome, FoiRequest
from foi_requests.outcomes import request_outcome
from register.models import Question, QuestionCategory, QuestionOutcome, QuestionSafeguard

from .admin_forms import form_data
from .factories import ExemptionFactory, FoiRequestFactory, ForceFactory

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"

pytestmark = pytest.mark.django_db

REQUEST = """1. Does the force use software to map hotspots of crime?
2. Does the force score individuals for their risk of offending?"""

ANSWER = """1. Yes: the force maps burglary hotspots with a mapping system bought in 2017.
2. The force neither confirms nor denies whether it holds this information, under section 31(3)."""


@pytest.fixture
def exemptions():
    return {
        "prejudice": ExemptionFactory(act="FOIA", section="31(1)(a)", name="Law enforcement: prevention of crime"),
        "ncnd": ExemptionFactory(act="FOIA", section="31(3)", name="Law enforcement: duty to confirm or deny"),
        "personal": ExemptionFactory(act="FOIA", section="40(2)", name="Personal information"),
    }


def ask(foi_request, number, outcome, *, categories=(), safeguards=(), exemptions=(), text="", answer=""):
    """A recorded question of `foi_request`, as the admin or the seed loader leaves it."""
    question = Question.objects.create(
        source=foi_request.source, number=number, outcome=outcome, text=text, answer=answer
    )
    QuestionCategory.objects.bulk_create(QuestionCategory(question=question, category=c) for c in categories)
    QuestionSafeguard.objects.bulk_create(QuestionSafeguard(question=question, kind=k) for k in safeguards)
    for exemption in exemptions:
        exemption.questions.add(question)
    return question


# The admin ------------------------------------------------------------------------------------


def test_an_editor_records_two_questions_and_the_request_outcome_follows(staff_client, exemptions):
    foi_request = FoiRequestFactory(
        request_text=REQUEST, response_text=ANSWER, outcome=FoiOutcome.SUCCESSFUL, reference="FOI/777/24"
    )
    url = reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk])
    page = staff_client.get(url)
    html = page.content.decode()
    # Labels, never codes.
    assert "Neither confirmed nor denied" in html
    assert "Individual risk assessment or profiling" in html
    assert "Data Protection Impact Assessment" in html
    data = form_data(page)
    data.update(
        {
            "change_reason": "Questions from the answer",
            "questions-TOTAL_FORMS": "2",
            "questions-0-number": "1",
            "questions-0-text": "Does the force use software to map hotspots of crime?",
            "questions-0-answer": "Yes: the force maps burglary hotspots with a mapping system bought in 2017.",
            "questions-0-outcome": "disclosed",
            "questions-0-categories": ["mapping"],
            "questions-0-safeguards": ["dpia"],
            "questions-1-number": "2",
            "questions-1-text": "Does the force score individuals for their risk of offending?",
            "questions-1-answer": "The force neither confirms nor denies whether it holds this information.",
            "questions-1-outcome": "neither_confirm_nor_deny",
            "questions-1-categories": ["individual_risk"],
            "questions-1-safeguards": ["dpia", "bias_testing"],
            "questions-1-exemptions": [str(exemptions["ncnd"].pk)],
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    foi_request.refresh_from_db()
    assert foi_request.outcome == FoiOutcome.PARTIALLY_SUCCESSFUL
    assert [e.citation for e in foi_request.exemptions.all()] == ["FOIA s31(3)"]
    assert sorted(foi_request.categories_asked.values_list("category", flat=True)) == ["individual_risk", "mapping"]
    first, second = foi_request.source.questions.order_by("number")
    assert (first.outcome, first.category_values, first.safeguard_values) == ("disclosed", ["mapping"], ["dpia"])
    assert sorted(second.safeguard_values) == ["bias_testing", "dpia"]
    assert [e.citation for e in second.exemptions.all()] == ["FOIA s31(3)"]
    assert second.history.first().history_change_reason == "Questions from the answer"

    # Now the outcome and exemptions are the questions': shown, not edited, on the request.
    page = staff_client.get(url)
    assert "outcome" not in page.context["adminform"].form.fields
    assert "exemptions" not in page.context["adminform"].form.fields
    assert "are those of the questions below" in page.content.decode()
    assert "categories_asked-TOTAL_FORMS" not in page.content.decode()

    # The refused question is answered on review: the request becomes "information provided".
    data = form_data(page)
    data.update(
        {
            "change_reason": "Answered on internal review",
            "questions-1-outcome": "disclosed",
            "questions-1-exemptions": [],
        }
    )
    assert staff_client.post(url, data).status_code == 302
    foi_request.refresh_from_db()
    assert foi_request.outcome == FoiOutcome.SUCCESSFUL
    assert not foi_request.exemptions.exists()


def test_the_change_page_reads_its_questions_in_a_fixed_number_of_queries(staff_client, exemptions):
    foi_request = FoiRequestFactory()
    url = reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    ask(foi_request, "1", "exempt", categories=["mapping"], safeguards=["dpia"], exemptions=[exemptions["ncnd"]])
    with_one = queries()
    for number in range(2, 12):
        ask(foi_request, str(number), "exempt", categories=["mapping"], exemptions=[exemptions["prejudice"]])
    assert queries() == with_one


def test_a_question_number_is_given_once_per_request(staff_client):
    foi_request = FoiRequestFactory()
    url = reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "change_reason": "Questions",
            "questions-TOTAL_FORMS": "2",
            "questions-0-number": "1",
            "questions-0-outcome": "disclosed",
            "questions-1-number": "1",
            "questions-1-outcome": "not_held",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    [questions] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Question]
    assert "Please correct the duplicate data for number" in str(questions.non_form_errors())
    assert not Question.objects.filter(source=foi_request.source).exists()


def test_questions_can_be_recorded_with_a_new_request(staff_client, exemptions):
    data = {
        "force": FoiRequestFactory().force.pk,
        "reference": "FOI/2026/1",
        "title": "Risk scoring",
        "outcome": "awaiting_response",
        "request_text": REQUEST,
        "response_text": "",
        "categories_asked-TOTAL_FORMS": "0",
        "categories_asked-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-number": "2",
        "questions-0-text": "Does the force score individuals for their risk of offending?",
        "questions-0-outcome": "not_answered",
        "questions-0-categories": ["individual_risk"],
    }
    response = staff_client.post(reverse("admin:foi_requests_foirequest_add"), data)
    assert response.status_code == 302, response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    created = FoiRequest.objects.get(reference="FOI/2026/1")
    assert created.outcome == FoiOutcome.AWAITING_RESPONSE  # nothing answered yet
    assert created.source.questions.get().category_values == ["individual_risk"]
    assert list(created.categories_asked.values_list("category", flat=True)) == ["individual_risk"]
    # No question answered yet: the outcome stays the editor's (withdrawn, say); the exemptions are the questions'.
    fields = staff_client.get(reverse("admin:foi_requests_foirequest_change", args=[created.pk])).context["adminform"]
    assert "outcome" in fields.form.fields and "exemptions" not in fields.form.fields


# The API ----------------------------------------------------------------------------------------


def test_the_api_gives_each_question_with_its_outcome_and_exemptions(client, exemptions):
    foi_request = FoiRequestFactory(
        request_text="Dear Chief Constable,\n" + REQUEST + "\nYours faithfully,\nJane Example",
        response_text=ANSWER,
        requester_name="Jane Example",
    )
    ask(foi_request, "1", "disclosed", categories=["mapping"], safeguards=["dpia"], text="Do you map hotspots?")
    ask(
        foi_request,
        "2",
        "neither_confirm_nor_deny",
        categories=["individual_risk"],
        exemptions=[exemptions["ncnd"], exemptions["prejudice"]],
        text="Jane Example asks: do you score people for risk?",
        answer="We neither confirm nor deny it, Jane Example.",
    )
    data = client.get(f"/api/foi-requests/{foi_request.slug}/").json()
    assert data["questions"] == [
        {
            "number": "1",
            "text": "Do you map hotspots?",
            "answer": "",
            "outcome": "disclosed",
            "categories": ["mapping"],
            "safeguards": ["dpia"],
            "exemptions": [],
        },
        {
            "number": "2",
            "text": "[requester] asks: do you score people for risk?",
            "answer": "We neither confirm nor deny it, [requester].",
            "outcome": "neither_confirm_nor_deny",
            "categories": ["individual_risk"],
            "safeguards": [],
            "exemptions": ["FOIA-31(1)(a)", "FOIA-31(3)"],
        },
    ]
    # Every field the resource had is still there.
    assert {"outcome", "exemptions", "categories_asked", "request_text", "response_text"} <= set(data)
    response = client.get(f"/api/foi-requests/?format=csv&force={foi_request.force.slug}")
    csv = b"".join(response.streaming_content).decode()
    assert "1: disclosed; 2: neither_confirm_nor_deny" in csv


@pytest.mark.parametrize("requests", [2, 12])
def test_the_api_list_reads_the_questions_in_a_fixed_number_of_queries(
    client, exemptions, django_assert_num_queries, requests
):
    for _ in range(requests):
        foi_request = FoiRequestFactory()
        for number in ("1", "2", "3"):
            ask(
                foi_request,
                number,
                "exempt",
                categories=["mapping"],
                safeguards=["dpia"],
                exemptions=[exemptions["prejudice"]],
            )
    # Count, page, then the questions with their kinds of tool, safeguards and exemptions
    # beside the request's own exemptions and categories.
    with django_assert_num_queries(8):
        response = client.get("/api/foi-requests/")
    assert len(response.json()["results"]) == requests
    assert all(len(row["questions"]) == 3 for row in response.json()["results"])


# Filters ----------------------------------------------------------------------------------------


def slugs(client, query: str) -> set[str]:
    response = client.get(f"/api/foi-requests/?{query}")
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def test_a_section_filters_every_subsection_and_a_subsection_only_itself(client, exemptions):
    prejudice = FoiRequestFactory(outcome=FoiOutcome.REFUSED)
    ask(prejudice, "1", "exempt", exemptions=[exemptions["prejudice"]])
    prejudice.apply_questions()
    ncnd = FoiRequestFactory(outcome=FoiOutcome.NEITHER_CONFIRM_NOR_DENY)
    ask(ncnd, "1", "neither_confirm_nor_deny", exemptions=[exemptions["ncnd"]])
    ncnd.apply_questions()
    personal = FoiRequestFactory(outcome=FoiOutcome.REFUSED)
    personal.exemptions.add(exemptions["personal"])  # recorded for the request only, no questions
    FoiRequestFactory()

    assert slugs(client, "exemption=FOIA-31") == {prejudice.slug, ncnd.slug}
    assert slugs(client, "exemption=FOIA-31(1)(a)") == {prejudice.slug}
    assert slugs(client, "exemption=FOIA-31(3)") == {ncnd.slug}
    assert slugs(client, "exemption=FOIA-31(1)") == {prejudice.slug}  # 31(1) with its paragraphs
    assert slugs(client, "exemption=FOIA-40") == {personal.slug}
    assert slugs(client, "exemption=FOIA-31(3)&exemption=FOIA-40(2)") == {ncnd.slug, personal.slug}
    assert slugs(client, f"exemption={exemptions['ncnd'].pk}") == {ncnd.slug}
    for unknown in ("FOIA-3", "FOIA-31(2)", "FOISA-31", "FOIA-31("):
        response = client.get(f"/api/foi-requests/?exemption={unknown}")
        assert response.status_code == 400
        assert list(response.json()) == ["exemption"]


def test_a_question_cited_exemption_finds_its_request(client, exemptions):
    # Before `apply_questions` has summed them up (a draft import), a question's exemption counts too.
    foi_request = FoiRequestFactory(outcome=FoiOutcome.PARTIALLY_SUCCESSFUL)
    ask(foi_request, "2", "neither_confirm_nor_deny", exemptions=[exemptions["ncnd"]])
    assert not foi_request.exemptions.exists()
    assert slugs(client, "exemption=FOIA-31") == {foi_request.slug}


def test_the_question_outcome_filter_finds_a_refusal_among_answered_questions(client, exemptions):
    mixed = FoiRequestFactory()
    ask(mixed, "1", "disclosed", categories=["mapping"])
    ask(mixed, "2", "neither_confirm_nor_deny", categories=["individual_risk"], exemptions=[exemptions["ncnd"]])
    mixed.apply_questions()
    answered = FoiRequestFactory()
    ask(answered, "1", "disclosed")
    ask(answered, "2", "disclosed")  # counted once
    answered.apply_questions()
    FoiRequestFactory(outcome=FoiOutcome.NEITHER_CONFIRM_NOR_DENY)  # no questions recorded
    draft = FoiRequestFactory(is_published=False)
    ask(draft, "1", "neither_confirm_nor_deny")

    assert slugs(client, "question_outcome=neither_confirm_nor_deny") == {mixed.slug}
    assert slugs(client, "question_outcome=disclosed") == {mixed.slug, answered.slug}
    assert slugs(client, "question_outcome=not_held&question_outcome=neither_confirm_nor_deny") == {mixed.slug}
    assert client.get("/api/foi-requests/?question_outcome=refused").status_code == 400

    page = client.get("/foi-requests/")
    [facet] = [facet for facet in page.context["facets"] if facet.name == "question_outcome"]
    counts = {option.value: option.count for option in facet.options}
    assert counts == {
        "disclosed": 2,
        "partly_disclosed": 0,
        "not_held": 0,
        "neither_confirm_nor_deny": 1,
        "exempt": 0,
        "not_answered": 0,
    }
    assert "Neither confirmed nor denied" in page.content.decode()


def test_the_schema_documents_the_new_filters(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/foi-requests/"]["get"]["parameters"]}
    assert "FOIA-31(3)" in parameters["exemption"]["description"]
    assert "neither_confirm_nor_deny" in str(parameters["question_outcome"])


# The request's page ----------------------------------------------------------------------------


def test_the_request_page_shows_each_question_with_its_outcome_exemptions_and_kinds_of_tool(
    client, exemptions, django_assert_num_queries
):
    foi_request = FoiRequestFactory(request_text=REQUEST, response_text=ANSWER, requester_name="Jane Example")
    ask(
        foi_request,
        "1",
        "disclosed",
        categories=["mapping"],
        safeguards=["dpia"],
        text="Does the force use software to map hotspots of crime?",
        answer="Yes: the force maps burglary hotspots.",
    )
    ask(
        foi_request,
        "2",
        "neither_confirm_nor_deny",
        categories=["individual_risk"],
        exemptions=[exemptions["ncnd"]],
        text="Jane Example asks whether the force scores individuals for their risk of offending.",
    )
    foi_request.apply_questions()
    with django_assert_num_queries(8):
        page = client.get(foi_request.get_absolute_url())
    html = page.content.decode()
    questions = html[html.index('id="questions"') : html.index("<h2>The request</h2>")]
    assert "Question 1" in questions and "Question 2" in questions
    assert "Yes: the force maps burglary hotspots." in questions
    assert "Neither confirmed nor denied" in questions
    assert "FOIA s31(3) (Law enforcement: duty to confirm or deny)" in questions
    assert "Crime or hotspot mapping" in questions and "Individual risk assessment or profiling" in questions
    assert "Data Protection Impact Assessment" in questions
    assert "Jane Example" not in html
    assert "[requester] asks whether" in questions

    # With more questions, no more queries.
    for number in range(3, 13):
        ask(foi_request, str(number), "exempt", categories=["dashboard"], exemptions=[exemptions["prejudice"]])
    with django_assert_num_queries(8):
        assert "Question 12" in client.get(foi_request.get_absolute_url()).content.decode()


def test_a_request_without_recorded_questions_says_so(client):
    foi_request = FoiRequestFactory()
    html = client.get(foi_request.get_absolute_url()).content.decode()
    assert "are not recorded one by one" in html


# The importer -----------------------------------------------------------------------------------

IMPORTED_LETTER = """Freedom of Information Request Reference No: FOI/2026/0042

Testshire Constabulary has received your request for information.

RESPONSE

1. Does the force use software to map hotspots of crime?
Yes. The force maps burglary hotspots with a mapping system.

2. Does the force score individuals for their risk of offending?
The force neither confirms nor denies whether it holds this information. Section 31(3) applies.

3. Has the force tested its tools for bias?
No information held.

Yours sincerely,
Disclosure Team
"""


def import_letter(force, text=IMPORTED_LETTER):
    [result] = save_drafts(extract_document(text), "letter.txt", force)
    return result


def test_the_importer_records_each_question_with_what_its_answer_states(db):
    force = ForceFactory(slug="testshire", name="Testshire Constabulary")
    ncnd = ExemptionFactory(act="FOIA", section="31(3)", name="Law enforcement: duty to confirm or deny")
    result = import_letter(force)
    draft = result.foi_request
    questions = list(draft.source.questions.order_by("number"))
    assert [(q.number, q.outcome) for q in questions] == [
        ("1", "disclosed"),
        ("2", "neither_confirm_nor_deny"),
        ("3", "not_held"),
    ]
    assert questions[0].text == "Does the force use software to map hotspots of crime?"
    assert questions[0].answer == "Yes. The force maps burglary hotspots with a mapping system."
    assert list(questions[1].exemptions.all()) == [ncnd]
    # The kinds of tool and safeguard asked about are the researcher's to record: not guessed.
    assert not any(q.category_values or q.safeguard_values for q in questions)
    # The request follows from its questions: information given for one, refused and not held for others.
    assert draft.outcome == FoiOutcome.PARTIALLY_SUCCESSFUL
    assert [e.citation for e in draft.exemptions.all()] == ["FOIA s31(3)"]
    assert result.notes == []
    assert not draft.is_published


def test_imported_questions_without_answers_leave_the_outcome_to_the_researcher(db):
    force = ForceFactory(slug="testshire", name="Testshire Constabulary")
    text = """Freedom of Information Request Reference No: FOI/2026/0043

Testshire Constabulary has received your request:

1. Does the force use software to map hotspots of crime?
2. Does the force score individuals for their risk of offending?
"""
    draft = import_letter(force, text).foi_request
    assert [q.outcome for q in draft.source.questions.all()] == ["not_answered"] * 2
    assert draft.outcome == FoiOutcome.AWAITING_RESPONSE


def test_an_exemption_the_answer_cites_for_no_question_is_kept_and_reported(db):
    force = ForceFactory(slug="testshire", name="Testshire Constabulary")
    ExemptionFactory(act="FOIA", section="31(3)", name="Law enforcement: duty to confirm or deny")
    ExemptionFactory(act="FOIA", section="40(2)", name="Personal information")
    text = IMPORTED_LETTER.replace(
        "RESPONSE\n", "RESPONSE\n\nThe names of staff are withheld under section 40(2) throughout.\n"
    )
    result = import_letter(force, text)
    draft = result.foi_request
    # Not dropped from the request for want of a question citing it: the researcher attributes it.
    assert sorted(e.citation for e in draft.exemptions.all()) == ["FOIA s31(3)", "FOIA s40(2)"]
    assert result.notes == ["cites FOIA s40(2) for no question in particular: give each to the questions it refused"]
    assert draft.source.questions.count() == 3


def test_the_import_command_reports_what_is_left_to_check(db, tmp_path):
    ForceFactory(slug="testshire", name="Testshire Constabulary")
    ExemptionFactory(act="FOIA", section="40(2)", name="Personal information")
    letter = tmp_path / "letter.txt"
    letter.write_text(IMPORTED_LETTER.replace("RESPONSE\n", "RESPONSE\n\nNames are withheld under section 40(2).\n"))
    out = io.StringIO()
    call_command("import_foi_response", str(letter), stdout=out, stderr=io.StringIO())
    assert "check the draft FOI/2026/0042" in out.getvalue()
    assert "cites FOIA s40(2) for no question in particular" in out.getvalue()


# Synthetic data ---------------------------------------------------------------------------------


def test_synthetic_requests_have_questions_that_give_their_outcome(monkeypatch):
    monkeypatch.setattr(
        synthetic,
        "PER_SCALE",
        {"tools": 20, "deployments": 100, "assessments": 150, "foi_requests": 300, "evidence": 300},
    )
    ForceFactory.create_batch(9)
    ForceFactory(slug="police-scotland", name="Police Scotland", nation="scotland")
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)

    requests = FoiRequest.objects.prefetch_related(
        "exemptions", "categories_asked", "source__questions__exemptions", "source__questions__categories"
    ).select_related("source", "force")
    assert Question.objects.count() >= 300
    outcomes = set()
    for foi_request in requests:
        questions = list(foi_request.source.questions.all())
        assert questions
        assert request_outcome([q.outcome for q in questions], foi_request.outcome) == foi_request.outcome
        cited = {e for q in questions for e in q.exemptions.all()}
        assert set(foi_request.exemptions.all()) == cited
        assert all(e.act == foi_request.force.foi_act for e in cited)
        asked = {c for q in questions for c in q.category_values}
        assert {row.category for row in foi_request.categories_asked.all()} == asked
        outcomes |= {q.outcome for q in questions}
    assert outcomes == set(QuestionOutcome.values)
    sections = set(Question.objects.values_list("exemptions__section", flat=True))
    assert {"31(1)(a)", "31(3)"} <= sections
    assert QuestionSafeguard.objects.exists()


def test_a_request_refused_whole_gives_each_question_the_refusal(db):
    """Lancashire refused the whole request under s12(1), its questions numbered twice over."""
    force = ForceFactory(slug="lancashire", name="Lancashire Constabulary")
    ExemptionFactory(act="FOIA", section="12(1)")
    path = SOURCES / "lancashire-dpo-foi-002128-22.txt"
    draft = import_letter(force, read_document(path.name, path.read_bytes())).foi_request
    questions = list(draft.source.questions.all())
    assert [q.number for q in questions][:7] == ["1", "2", "3", "4", "5", "1 (part 2)", "2 (part 2)"]
    assert {q.outcome for q in questions} == {"exempt"}
    assert all([e.citation for e in q.exemptions.all()] == ["FOIA s12(1)"] for q in questions)
    assert draft.outcome == FoiOutcome.REFUSED
