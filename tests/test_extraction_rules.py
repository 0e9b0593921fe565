"""The importer's reading rules, each on a short text we write (foi_requests/extraction.py)."""

import datetime

import pytest

from foi_requests.extraction import extract, find_questions, parse_date

ALIASES = {"essex police": "essex", "sussex police": "sussex"}


def questions(text: str) -> list[tuple[str, str, str | None, str | None]]:
    (extraction,) = extract(text, ALIASES)
    return [(q.number, q.question, q.answer, q.outcome) for q in extraction.questions]


@pytest.mark.parametrize(
    ("written", "date"),
    [("10/01/23", datetime.date(2023, 1, 10)), ("04.08.2023", datetime.date(2023, 8, 4))],
)
def test_short_years_and_dotted_dates_are_read(written, date):
    assert parse_date(written) == date


def test_a_date_ending_a_sentence_is_still_a_date():
    (extraction,) = extract("Your request received on 12/02/2024.\n1. Do you use it?\nYes.", ALIASES)
    assert extraction.date_received == datetime.date(2024, 2, 12)


def test_reference_with_an_office_prefix_and_spaces():
    (extraction,) = extract("FOI Request Ref: FOI 3345 23\n\nNo information held.", ALIASES)
    assert extraction.references == ["FOI 3345 23"]


def test_whatdotheyknow_response_heading_gives_the_date_responded():
    (extraction,) = extract("Response by Essex Police to A Person on 3 March 2023.\n\nNo information held.", ALIASES)
    assert extraction.date_responded == datetime.date(2023, 3, 3)


def test_answers_restating_the_questions_are_paired_not_taken_for_questions():
    text = (
        "REQUEST\n1. Do you use it?\n2. Who made it?\n\nRESPONSE\n1. Do you use it?\nYes.\n2. Who made it?\nAcme Ltd."
    )
    assert questions(text) == [
        ("1", "Do you use it?", "Yes.", "successful"),
        ("2", "Who made it?", "Acme Ltd.", "successful"),
    ]


def test_answers_numbered_again_after_a_refusal_notice_are_answers():
    text = (
        "1. Do you triage crimes by algorithm?\n2. Please share its evaluation.\n\n"
        "This letter serves as a refusal notice for part of your request.\n\n"
        "1. Yes.\n2. The evaluation is withheld under section 31(1)(a).\n"
    )
    assert questions(text) == [
        ("1", "Do you triage crimes by algorithm?", "Yes.", "successful"),
        ("2", "Please share its evaluation.", "The evaluation is withheld under section 31(1)(a).", "refused"),
    ]


def test_two_numbered_lists_in_a_request_refused_whole_give_no_answers():
    text = (
        "Examples:\n1. Dashboards\n2. Risk tools\n\nPlease tell me:\n1. Their names\n2. Their costs\n3. Their users\n\n"
        "This letter serves as a refusal notice under section 12(1)."
    )
    (extraction,) = extract(text, ALIASES)
    assert all(q.answer is None and q.outcome is None for q in extraction.questions)
    assert extraction.outcome == "refused"


def test_question_and_answer_headings_in_turn():
    text = "Sussex Police\n\nQuestion\nDo you use it?\n\nAnswer\nNo.\n\nQuestion\nSince when?\n\nAnswer\nNot held."
    assert questions(text) == [
        ("1", "Do you use it?", "No.", "successful"),
        ("2", "Since when?", "Not held.", "not_held"),
    ]


def test_q_and_a_labels_are_read_but_lettered_items_are_not_answers():
    assert questions("Q1. Do you use it?\nA1. Yes.\nQ2. Who made it?\nA2. We neither confirm nor deny.") == [
        ("1", "Do you use it?", "Yes.", "successful"),
        ("2", "Who made it?", "We neither confirm nor deny.", "neither_confirm_nor_deny"),
    ]
    found = find_questions("4. How does it work?\na. Its purpose.\nb. Its documents.", with_answers=False)
    assert [q.number for q in found] == ["4", "4a", "4b"]


def test_a_table_of_questions_and_answers():
    assert questions("| 1 | Do you use it? | Yes |\n| 2 | Its cost? | No information is held |") == [
        ("1", "Do you use it?", "Yes", "successful"),
        ("2", "Its cost?", "No information is held", "not_held"),
    ]


def test_the_requests_own_closing_words_are_no_answer():
    text = "1. Do you use it?\n2. Its cost?\nPlease reply by email.\n\nResponse\n\nPlease find attached our response."
    assert questions(text) == [("1", "Do you use it?", None, None), ("2", "Its cost?", None, None)]


def test_partially_held_and_awaiting_response_outcomes():
    (partly,) = extract("Essex Police can confirm that the information is partially held.", ALIASES)
    (waiting,) = extract("Essex Police has not yet responded to this request.", ALIASES)
    assert (partly.outcome, waiting.outcome) == ("partially_successful", "awaiting_response")
