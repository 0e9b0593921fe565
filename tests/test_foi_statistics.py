"""Each force's FOI record, on a small hand-made set whose figures were worked out by hand.
Refusals, "not held" and disclosures are counted per question; a request whose questions
are not recorded counts as one question, the whole request."""

import datetime

import pytest

from foi_requests.models import FoiOutcome, FoiRequest
from foi_requests.statistics import chart_rows, foi_records, totals
from register.models import Nation, Question, QuestionCategory, QuestionOutcome
from tests.factories import ExemptionFactory, FoiRequestFactory, ForceFactory


def ask(foi_request, number: str, outcome: str, *categories: str, exemptions=()) -> Question:
    """A question of `foi_request`'s answer, answered with `outcome`."""
    question = Question.objects.create(source=foi_request.source, number=number, outcome=outcome)
    for category in categories:
        QuestionCategory.objects.create(question=question, category=category)
    for exemption in exemptions:
        exemption.questions.add(question)
    return question


D = datetime.date
TODAY = D(2022, 12, 1)


@pytest.fixture
def hand_made(db):
    alpha = ForceFactory(slug="alpha", name="Alpha Constabulary", nation=Nation.ENGLAND)
    scotland = ForceFactory(slug="police-scotland", name="Police Scotland", nation=Nation.SCOTLAND)
    cost = ExemptionFactory(act="FOIA", section="12(1)")
    personal = ExemptionFactory(act="FOIA", section="40", name="Personal information")
    # Due 28 Jul, answered that day: on time, 20 working days.
    FoiRequestFactory(force=alpha, date_received=D(2022, 6, 29), date_responded=D(2022, 7, 28))
    # Due 28 Jul, answered 6 Oct: late, 67 working days; refused under s12(1).
    FoiRequestFactory(
        force=alpha, date_received=D(2022, 6, 29), date_responded=D(2022, 10, 6), outcome=FoiOutcome.REFUSED
    ).exemptions.set([cost])
    # Due 3 Oct (state funeral), answered 4 Oct: late, 21 working days; refused under s12(1) and s40.
    FoiRequestFactory(
        force=alpha, date_received=D(2022, 9, 2), date_responded=D(2022, 10, 4), outcome=FoiOutcome.REFUSED
    ).exemptions.set([cost, personal])
    # Due 13 Dec: awaiting, not yet overdue on 1 Dec.
    FoiRequestFactory(force=alpha, date_received=D(2022, 11, 14), outcome=FoiOutcome.AWAITING_RESPONSE)
    # Due 25 Jul: awaiting and overdue.
    FoiRequestFactory(force=alpha, date_received=D(2022, 6, 24), outcome=FoiOutcome.AWAITING_RESPONSE)
    # No dates: neither on time nor late.
    FoiRequestFactory(force=alpha, outcome=FoiOutcome.NOT_HELD)
    # A draft never counts.
    FoiRequestFactory(force=alpha, date_received=D(2022, 6, 29), date_responded=D(2022, 12, 1), is_published=False)
    # FOISA: due 27 Jul (12 July is no Scottish holiday), answered 28 Jul: late, 21 working days.
    FoiRequestFactory(
        force=scotland,
        date_received=D(2022, 6, 29),
        date_responded=D(2022, 7, 28),
        outcome=FoiOutcome.NEITHER_CONFIRM_NOR_DENY,
    )


NO_QUESTIONS = {
    "questions_disclosed": 0,
    "questions_refused": 0,
    "questions_exempt": 0,
    "questions_neither_confirm_nor_deny": 0,
    "questions_not_held": 0,
    "questions_not_answered": 0,
}


def test_foi_records_per_force(hand_made, django_assert_num_queries):
    with django_assert_num_queries(3):
        records = foi_records(FoiRequest.objects.published(), today=TODAY)
    assert records == [
        {
            "force": "alpha",
            "force_name": "Alpha Constabulary",
            "logged": 6,
            "answered_on_time": 1,
            "answered_late": 2,
            "median_working_days_late": 44,  # (67 + 21) / 2
            "median_working_days_taken": 21,  # of 20, 21, 67
            "refused": 2,
            "exemptions": {"FOIA s12(1)": 2, "FOIA s40": 1},
            "not_held": 1,
            "neither_confirm_nor_deny": 0,
            "awaiting": 2,
            "overdue": 1,
            # No question is recorded: each request counts as one, the whole request.
            **NO_QUESTIONS,
            "questions": 6,
            "questions_disclosed": 1,
            "questions_refused": 2,
            "questions_exempt": 2,
            "questions_not_held": 1,
            "questions_not_answered": 2,
        },
        {
            "force": "police-scotland",
            "force_name": "Police Scotland",
            "logged": 1,
            "answered_on_time": 0,
            "answered_late": 1,
            "median_working_days_late": 21,
            "median_working_days_taken": 21,
            "refused": 0,
            "exemptions": {},
            "not_held": 0,
            "neither_confirm_nor_deny": 1,
            "awaiting": 0,
            "overdue": 0,
            **NO_QUESTIONS,
            "questions": 1,
            "questions_refused": 1,
            "questions_neither_confirm_nor_deny": 1,
        },
    ]
    total = totals(records)
    assert total["logged"] == 7
    assert total["answered_late"] == 3
    assert total["exemptions"] == {"FOIA s12(1)": 2, "FOIA s40": 1}
    assert total["questions_refused"] == 3


@pytest.fixture
def per_question(db):
    """Northshire answered question 1 and neither confirmed nor denied question 2, under s31(3)."""
    force = ForceFactory(slug="northshire", name="Northshire Police")
    foi_request = FoiRequestFactory(
        force=force,
        reference="NP/0412/24",
        date_received=D(2024, 3, 4),
        date_responded=D(2024, 3, 28),
        outcome=FoiOutcome.PARTIALLY_SUCCESSFUL,
    )
    ask(foi_request, "1", QuestionOutcome.DISCLOSED, "mapping")
    ncnd = ExemptionFactory(act="FOIA", section="31(3)", name="Law enforcement: no duty to confirm or deny")
    ask(foi_request, "2", QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, "individual_risk", exemptions=[ncnd])
    foi_request.apply_questions()
    # Its draft request changes nothing.
    draft = FoiRequestFactory(force=force, outcome=FoiOutcome.REFUSED, is_published=False)
    ask(draft, "1", QuestionOutcome.EXEMPT, "biometrics", exemptions=[ExemptionFactory(act="FOIA", section="31(1)(a)")])
    return force


def test_an_ncnd_question_among_answered_ones_counts_as_a_refused_question(per_question):
    (record,) = foi_records(FoiRequest.objects.published())
    assert record["refused"] == 0  # the request as a whole: partially provided
    assert record["questions"] == 2
    assert record["questions_disclosed"] == 1
    assert record["questions_refused"] == record["questions_neither_confirm_nor_deny"] == 1
    assert record["exemptions"] == {"FOIA s31(3)": 1}


def test_force_page_counts_the_refused_question(client, per_question):
    page = client.get("/forces/northshire/").content.decode()
    record = page[page.index("FOI record of Northshire Police") :].split("</table>")[0]
    assert ">Questions refused<" in record
    assert "<td>1 (neither confirmed nor denied: 1)</td>" in record
    assert "FOIA s31(3): 1" in record
    assert ">Refused<" not in record  # no request-level "refused: 0" beside the refused question
    # And what it has disclosed, by kind of tool: refused to say about individual risk tools.
    disclosure = page[page.index("What it has disclosed, by kind of tool") :].split("</table>")[0]
    risk = disclosure[disclosure.index("Individual risk assessment or profiling") :].split("</tr>")[0]
    assert "Refused to say" in risk and 'href="/foi-requests/northshire-np041224/"' in risk


def test_statistics_and_api_count_the_refused_question(client, per_question):
    page = client.get("/foi-requests/statistics/").content.decode()
    row = page[page.index(">Northshire Police<") :].split("</tr>")[0]
    assert "FOIA s31(3): 1" in row
    (record,) = client.get("/api/foi-records/").json()
    assert (record["questions"], record["questions_refused"], record["refused"]) == (2, 1, 0)


def test_chart_bars_are_proportional_to_the_busiest_force(hand_made):
    chart = chart_rows(foi_records(FoiRequest.objects.published(), today=TODAY), width=600)
    alpha, scotland = chart["bars"]
    assert [(s["key"], s["count"], s["width"]) for s in alpha["segments"]] == [  # 600 / 6 per request
        ("answered_on_time", 1, 100.0),
        ("answered_late", 2, 200.0),
        ("awaiting", 2, 200.0),
        ("other", 1, 100.0),
    ]
    assert alpha["end_x"] == 600
    assert alpha["segments"][0]["text_x"] == 50.0
    assert [(s["key"], s["width"]) for s in scotland["segments"]] == [("answered_late", 100.0)]


def test_statistics_page_shows_chart_and_table(client, hand_made, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/foi-requests/statistics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<caption>FOI record of each force</caption>" in page
    assert "FOIA s12(1): 2; FOIA s40: 1" in page
    assert "Police Scotland" in page


def test_statistics_page_with_no_requests(client, db):
    response = client.get("/foi-requests/statistics/")
    assert response.status_code == 200
    assert "No FOI request is published yet." in response.content.decode()


def test_force_page_shows_its_foi_record(client, hand_made):
    page = client.get("/forces/alpha/").content.decode()
    assert "FOI record of Alpha Constabulary" in page
    assert "FOIA s12(1): 2; FOIA s40: 1" in page
    assert "(median 44 working days taken)" in page


def test_force_page_of_a_force_without_requests(client, db):
    ForceFactory(slug="beta", name="Beta Police")
    page = client.get("/forces/beta/").content.decode()
    assert "No FOI request to this force is recorded yet." in page
