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


# How a request whose questions are not recorded reads as one question (the whole request),
# as migration 0014 turned each request into one: the transparency matrix and the FOI
# statistics count such requests by these.
WHOLE_REQUEST_OUTCOMES = {
    FoiOutcome.SUCCESSFUL: QuestionOutcome.DISCLOSED,
    FoiOutcome.PARTIALLY_SUCCESSFUL: QuestionOutcome.PARTLY_DISCLOSED,
    FoiOutcome.REFUSED: QuestionOutcome.EXEMPT,
    FoiOutcome.NOT_HELD: QuestionOutcome.NOT_HELD,
    FoiOutcome.NEITHER_CONFIRM_NOR_DENY: QuestionOutcome.NEITHER_CONFIRM_NOR_DENY,
}


def whole_request_outcome(outcome: str) -> str:
    """The outcome of a request without recorded questions, read as the outcome of one question
    (awaiting a response, withdrawn or under review: not answered)."""
    return WHOLE_REQUEST_OUTCOMES.get(outcome, QuestionOutcome.NOT_ANSWERED)


def request_outcomes_read_as(question_outcomes: Iterable[str]) -> list[str]:
    """The request outcomes that `whole_request_outcome` reads as one of `question_outcomes`."""
    wanted = set(question_outcomes)
    return [outcome for outcome in FoiOutcome.values if whole_request_outcome(outcome) in wanted]
