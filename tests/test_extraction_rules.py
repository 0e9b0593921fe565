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


def outcome(text: str) -> str | None:
    (extraction,) = extract(text, ALIASES)
    return extraction.outcome


def test_a_response_in_prose_is_no_answer_of_the_last_numbered_question():
    text = (
        "Your request:\n1. Do you use a triage tool?\n2. How many cases did it score?\n\n"
        "Our response:\nEssex Police uses a triage tool. The number scored is not recorded.\n"
    )
    assert questions(text) == [
        ("1", "Do you use a triage tool?", None, None),
        ("2", "How many cases did it score?", None, None),
    ]


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("Essex Police paid £12,000 for the licences in 2023.", "successful"),
        ("Essex Police does not use a product of that name.", "successful"),
        ("Thank you for your request.\n\nEssex Police uses the tool in two districts.", "successful"),
        ("Please find attached our response.\n\nThe figures presented are our best estimate.", None),
        ("No information is held.", "not_held"),
    ],
)
def test_a_response_section_in_prose_gives_the_outcome_it_states_or_information(response, expected):
    assert outcome(f"Request:\nDo you use a risk tool, and what did it cost?\n\nResponse:\n{response}") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We can confirm that the information is held and is provided below.",
        "Essex Police can confirm that a mapping tool is used.",
        "A copy of the procurement policy is attached.",
    ],
)
def test_a_letter_saying_it_gives_the_information_is_successful(sentence):
    text = f"Dear Requester\n\nYou asked whether Essex Police uses a mapping tool.\n\n{sentence}\n\nYours sincerely"
    assert outcome(text) == "successful"


def test_a_refusal_notice_for_part_of_the_request_is_a_partial_answer():
    text = "Some of what you asked for is held. A refusal notice is served for part of your request: see below."
    assert outcome(text) == "partially_successful"


def test_the_cost_limit_refuses_the_request_and_leaves_its_questions_unanswered():
    text = (
        "1. List every analytic model you run.\n2. Give the cost of each.\n\n"
        "Locating this information would exceed the appropriate limit set under section 12(1)."
    )
    (extraction,) = extract(text, ALIASES)
    assert (extraction.outcome, extraction.exemptions) == ("refused", ["12(1)"])
    assert [(q.answer, q.outcome) for q in extraction.questions] == [(None, None), (None, None)]


def test_an_ncnd_under_one_of_several_answered_questions_is_that_questions_only():
    text = (
        "1. Do you use number plate analytics?\nYes, since 2019.\n\n"
        "2. Which units use it?\nThe roads policing unit.\n\n"
        "3. Is it used in covert work?\nThe force refuses to confirm or deny whether it holds this information.\n\n"
        "Should you require any further assistance please write to us."
    )
    (extraction,) = extract(text, ALIASES)
    assert [(q.number, q.answer, q.outcome) for q in extraction.questions] == [
        ("1", "Yes, since 2019.", "successful"),
        ("2", "The roads policing unit.", "successful"),
        ("3", "The force refuses to confirm or deny whether it holds this information.", "neither_confirm_nor_deny"),
    ]
    assert extraction.outcome == "partially_successful"


def test_the_duty_to_confirm_or_deny_is_boilerplate_not_an_ncnd():
    text = "Section 1 gives you the right to have us confirm or deny whether information is held.\n\nResponse\nYes."
    assert outcome(text) == "successful"


def test_a_subsection_given_again_after_a_citation_is_its_own_exemption():
    (extraction,) = extract(
        "The report is exempt under section 31(1)(a) and (b), and section 40(2) and (3) of the Data Protection "
        "Act 2018 applies.",
        ALIASES,
    )
    assert extraction.exemptions == ["31(1)(a)", "31(1)(b)"]


def test_answers_not_held_and_refused_in_turn_are_a_partial_answer_and_all_not_held_is_not_held():
    mixed = (
        "1. Its cost?\nThe force does not record its cost.\n\n2. Its supplier?\nThe supplier is withheld under s43(2)."
    )
    none = "1. Its cost?\nNo information is held.\n\n2. Its supplier?\nNo information is held."
    assert [q[3] for q in questions(mixed)] == ["not_held", "refused"]
    assert (outcome(mixed), outcome(none)) == ("partially_successful", "not_held")


def test_the_forces_summing_up_that_nothing_requested_is_held_is_the_outcome():
    text = (
        "Your question: Do you use the tool called Beacon?\nOur answer: We do not use Beacon.\n\n"
        "Your question: Do you use any similar tool?\nOur answer: No information is held.\n\n"
        "Essex Police can confirm that the information you requested is not held."
    )
    assert outcome(text) == "not_held"
    assert outcome(text.replace("the information you requested", "some of the information")) == ("partially_successful")


def test_an_answer_giving_information_while_citing_an_exemption_is_a_partial_answer():
    assert questions(
        "1. Who uses the tool?\nOfficers in three teams; their names are personal data (section 40(2))."
    ) == [
        (
            "1",
            "Who uses the tool?",
            "Officers in three teams; their names are personal data (section 40(2)).",
            "partially_successful",
        ),
    ]


# Rules from the unseen corpus (tests/importer_corpus_unseen/): how forces close a letter, write
# dates and labels, and lay out their answers.


def test_an_answer_stops_where_the_letters_standard_closing_text_starts():
    text = (
        "1) Do you use a patrol planning map?\n\nYes, for every ward.\n\n"
        "2) Where was it used for covert work?\n\nWe neither confirm nor deny that this is held.\n\n"
        "3) Is there an impact assessment?\n\nYes, written in 2021.\n\n"
        "Section 1 of the Freedom of Information Act 2000 places two duties on public authorities: to confirm "
        "or deny whether information is held, and to disclose it.\n\n"
        "This should not be taken as an indication that the information you requested is or is not held."
    )
    assert questions(text)[2] == ("3", "Is there an impact assessment?", "Yes, written in 2021.", "successful")


def test_closing_text_starting_mid_paragraph_ends_the_answer():
    text = (
        "Question\nDo you keep the reads?\n\nAnswer\nFor a year.\n\n"
        "We publish every response. If you are unhappy with it, you may ask for an internal review."
    )
    assert questions(text) == [("1", "Do you keep the reads?", "For a year.", "successful")]


@pytest.mark.parametrize(
    ("line", "field", "date"),
    [
        ("Response sent: 28/05/2024", "date_responded", datetime.date(2024, 5, 28)),
        ("Response - Tuesday 6th August 2024", "date_responded", datetime.date(2024, 8, 6)),
        ("Received: the 5th of March 2024", "date_received", datetime.date(2024, 3, 5)),
        ("Received - Monday 15th July 2024", "date_received", datetime.date(2024, 7, 15)),
    ],
)
def test_dates_after_a_dash_with_a_weekday_or_written_out(line, field, date):
    (extraction,) = extract(f"Essex Police\n{line}\n\n1. Do you use it?\nYes.", ALIASES)
    assert getattr(extraction, field) == date


def test_a_reference_after_a_dash():
    (extraction,) = extract("Our Reference - AB 1234/24\n\nNo information is held.", ALIASES)
    assert extraction.references == ["AB 1234/24"]


def test_question_and_response_pairs_after_dashes():
    text = (
        "Question 1 - Do you score repeat victims?\nResponse - Yes, since 2020.\n\n"
        "Question 2 - How old must the data be?\nResponse - 1 - 5 years.\n"
    )
    assert questions(text) == [
        ("1", "Do you score repeat victims?", "Yes, since 2020.", "successful"),
        ("2", "How old must the data be?", "1 - 5 years.", "successful"),
    ]


def test_numbered_request_headings_each_followed_by_an_answer_heading():
    text = (
        "Request and Answer:\n\nRequest 1\nDo you forecast demand?\nAnswer\nYes, weekly.\n\n"
        "Request 2\nWho sees it?\nAnswer\nThe control room.\n\nDate of response: 1 July 2024"
    )
    assert questions(text) == [
        ("1", "Do you forecast demand?", "Yes, weekly.", "successful"),
        ("2", "Who sees it?", "The control room.", "successful"),
    ]


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("Essex Police is pleased to provide the information below in full.", "successful"),
        ("Essex Police can confirm it holds this, and it is provided in full below.", "successful"),
        ("Essex Police is not able to provide the information.", None),
    ],
)
def test_a_stated_full_disclosure_is_information_given(sentence, outcome):
    (extraction,) = extract(f"Reference: AB 12/24\n\n{sentence}", ALIASES)
    assert extraction.outcome == outcome
