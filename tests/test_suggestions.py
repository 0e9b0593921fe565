"""The kinds of tool and of safeguard suggested from a question's words, and the review's question edits."""

import pytest

from foi_requests.admin_import import QuestionEdit, ReviewedQuestion, apply_edits, repeated_numbers, split_numbers
from foi_requests.suggestions import suggested_safeguard_kinds, suggested_tool_kinds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Does the force use hotspot mapping or crime maps?", ["mapping"]),
        ("Do you give offenders a risk score?", ["individual_risk"]),
        ("Do you use live facial recognition?", ["biometrics"]),
        ("Which dashboards (Power BI) do analysts use?", ["dashboard"]),
        ("Do you keep a gangs matrix or other watch list?", ["people_list"]),
        ("How many officers are employed?", []),
        ("Do you use a bitmap of mapless areas?", []),  # words, not parts of words
    ],
)
def test_kinds_of_tool_are_suggested_from_the_words(question, kinds):
    assert suggested_tool_kinds(question) == kinds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Was a DPIA completed?", ["dpia"]),
        ("Has a data protection impact assessment been done?", ["dpia"]),
        ("Was an equality impact assessment done?", ["equality"]),
        ("Has the model been tested for bias?", ["bias_testing"]),
        ("Was an impact assessment or an ethics review carried out?", ["dpia", "ethics_review"]),
        ("Who supplies it?", []),
    ],
)
def test_kinds_of_safeguard_are_suggested_from_the_words(question, kinds):
    assert suggested_safeguard_kinds(question) == kinds


def test_split_numbers_never_repeat_one():
    assert split_numbers("3", set()) == ("3a", "3b")
    assert split_numbers("3a", {"3b"}) == ("3a", "3c")
    assert split_numbers("3", {"3a"}) == ("3", "3b")


def test_edits_delete_merge_then_split():
    one = ReviewedQuestion("1", "Do you map crime? Since when?", answer="Yes.", outcome="disclosed")
    two = ReviewedQuestion("2", "Who supplies it?", answer="Acme.", outcome="disclosed", categories=["mapping"])
    three = ReviewedQuestion("3", "A duplicate line.")
    questions = apply_edits(
        [
            QuestionEdit(one, split_at="Since when"),
            QuestionEdit(three, delete=True),
            QuestionEdit(two, merge_above=True),
        ]
    )
    assert [(q.number, q.text) for q in questions] == [
        ("1a", "Do you map crime?"),
        ("1b", "Since when?\nWho supplies it?"),
    ]
    assert questions[0].answer == "Yes.\nAcme."
    assert questions[0].categories == ["mapping"]
    assert questions[1].outcome == "not_answered"
    assert repeated_numbers([one, one, two]) == ["1"]
