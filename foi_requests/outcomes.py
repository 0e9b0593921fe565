"""A request's overall outcome, from how each of its questions was answered.

Where a request's questions are recorded, what the request as a whole achieved
follows from them, by the categories WhatDoTheyKnow uses: all disclosed is
"information provided"; some information beside a refusal, a "not held" or an
unanswered question is "partially provided"; nothing disclosed is "not held"
when nothing was held, "neither confirmed nor denied" when every answer was
that, and "refused" otherwise. Questions not answered yet leave the recorded
outcome (awaiting a response, withdrawn, under review) as it is.
"""

from collections.abc import Iterable

from register.models import QuestionOutcome

from .models import FoiOutcome

GIVEN = frozenset({QuestionOutcome.DISCLOSED, QuestionOutcome.PARTLY_DISCLOSED})


def request_outcome(question_outcomes: Iterable[str], recorded: str) -> str:
    """The request's outcome from its questions' outcomes; `recorded` when none was answered."""
    outcomes = list(question_outcomes)
    answered = {outcome for outcome in outcomes if outcome != QuestionOutcome.NOT_ANSWERED}
    if not answered:
        return recorded
    if answered & GIVEN:
        if set(outcomes) == {QuestionOutcome.DISCLOSED}:
            return FoiOutcome.SUCCESSFUL
        return FoiOutcome.PARTIALLY_SUCCESSFUL
    if answered == {QuestionOutcome.NOT_HELD}:
        return FoiOutcome.NOT_HELD
    if answered == {QuestionOutcome.NEITHER_CONFIRM_NOR_DENY}:
        return FoiOutcome.NEITHER_CONFIRM_NOR_DENY
    return FoiOutcome.REFUSED
