"""A request's overall outcome follows from its questions' outcomes (foi_requests.outcomes)."""

import pytest

from foi_requests.models import FoiOutcome
from foi_requests.outcomes import request_outcome
from register.models import QuestionOutcome as Q


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([Q.DISCLOSED, Q.DISCLOSED], FoiOutcome.SUCCESSFUL),
        ([Q.DISCLOSED, Q.NEITHER_CONFIRM_NOR_DENY], FoiOutcome.PARTIALLY_SUCCESSFUL),
        ([Q.DISCLOSED, Q.NOT_HELD], FoiOutcome.PARTIALLY_SUCCESSFUL),
        ([Q.PARTLY_DISCLOSED], FoiOutcome.PARTIALLY_SUCCESSFUL),
        ([Q.DISCLOSED, Q.NOT_ANSWERED], FoiOutcome.PARTIALLY_SUCCESSFUL),
        ([Q.NOT_HELD, Q.NOT_HELD], FoiOutcome.NOT_HELD),
        ([Q.NEITHER_CONFIRM_NOR_DENY], FoiOutcome.NEITHER_CONFIRM_NOR_DENY),
        ([Q.EXEMPT, Q.NEITHER_CONFIRM_NOR_DENY], FoiOutcome.REFUSED),
        ([Q.NOT_HELD, Q.EXEMPT], FoiOutcome.REFUSED),
    ],
)
def test_a_requests_outcome_follows_from_its_questions(outcomes, expected):
    assert request_outcome(outcomes, FoiOutcome.AWAITING_RESPONSE) == expected


@pytest.mark.parametrize("recorded", [FoiOutcome.AWAITING_RESPONSE, FoiOutcome.WITHDRAWN])
def test_questions_not_answered_leave_the_recorded_outcome(recorded):
    assert request_outcome([Q.NOT_ANSWERED, Q.NOT_ANSWERED], recorded) == recorded
    assert request_outcome([], recorded) == recorded
