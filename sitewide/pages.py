"""What the register's words mean, for the method page: each state of its vocabularies
with a sentence saying what it tells a reader. The states and their labels are read from
the choice lists themselves, so a state added to the code without a meaning here fails
its test instead of going unexplained."""

from django.db import models
from django.db.models import TextChoices

from foi_requests.transparency import Disclosure
from register.models import DeploymentStatus, QuestionOutcome, SafeguardState

DEPLOYMENT_STATUS_MEANINGS = {
    DeploymentStatus.IN_USE: "The force says it uses the tool now, or did at the date of its answer.",
    DeploymentStatus.PILOT: "The force is trying the tool out on a limited scale before deciding whether to adopt it.",
    DeploymentStatus.IN_DEVELOPMENT: "The force, or a supplier for it, is building the tool; it is not yet used.",
    DeploymentStatus.PLANNED: "The force intends to use the tool but has not started building or trying it.",
    DeploymentStatus.DISCONTINUED: "The force used the tool and has stopped; the end date is given where known.",
    DeploymentStatus.DENIED: "The force says it does not use, or never used, the tool.",
    DeploymentStatus.UNKNOWN: "The tool is on record at the force, but its status was not disclosed.",
}

SAFEGUARD_STATE_MEANINGS = {
    SafeguardState.CONDUCTED: "The force says the assessment was carried out, with its date where it gave one.",
    SafeguardState.WITHHELD: "The force was asked and refused to say, citing an exemption.",
    SafeguardState.NOT_CONDUCTED: "The force says no such assessment was carried out.",
    SafeguardState.NOT_APPLICABLE: "The force answered that the assessment does not apply to this tool.",
    SafeguardState.NOT_ANSWERED: "A request asked about it and the answer said nothing about it.",
    SafeguardState.NEVER_ASKED: "No request on record has asked about it. This is not a “no”: nobody knows yet.",
}

QUESTION_OUTCOME_MEANINGS = {
    QuestionOutcome.DISCLOSED: "The force gave the information the question asked for.",
    QuestionOutcome.PARTLY_DISCLOSED: "The force gave some of the information and withheld or did not hold the rest.",
    QuestionOutcome.NOT_HELD: "The force says it holds no recorded information that answers the question.",
    QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: (
        "The force would not say whether it holds the information at all (an exclusion of the duty to confirm "
        "or deny, such as FOIA s31(3))."
    ),
    QuestionOutcome.EXEMPT: "The force confirmed it holds the information but withheld it under an exemption.",
    QuestionOutcome.NOT_ANSWERED: "The reply did not address the question.",
}

DISCLOSURE_MEANINGS = {
    Disclosure.USES: (
        "The register has a published deployment of a tool of this kind at the force (in use, piloted, planned "
        "or in the past) that the force does not deny."
    ),
    Disclosure.DENIES: "The force's only deployments of this kind are recorded as denied or not used.",
    Disclosure.REFUSED: "A request asked about such tools; the force neither confirmed nor denied, or withheld it.",
    Disclosure.NOT_HELD: "A request asked and the force said it holds no information about such tools.",
    Disclosure.ASKED: "A request asked and the answer disclosed no tool of this kind.",
    Disclosure.NEVER_ASKED: "No request on record asked this force about this kind of tool.",
}


def glossary(choices: type[TextChoices], meanings: dict[models.Choices, str]) -> list[tuple[str, str]]:
    """(label, meaning) for each state of a choice list, in its order; ValueError when a
    state has no meaning or a meaning no state."""
    missing = [value for value in choices.values if value not in meanings]
    extra = [value for value in meanings if value not in choices.values]
    if missing or extra:
        raise ValueError(f"{choices.__name__}: no meaning for {missing}, meanings of unknown states {extra}")
    return [(str(label), meanings[value]) for value, label in choices.choices]


def method_glossaries() -> list[dict]:
    """The method page's vocabularies, each with an id to link to."""
    return [
        {
            "id": "deployment-status",
            "title": "Status of a deployment",
            "intro": "Where a force stands with a tool, as at the date of the source that says so.",
            "states": glossary(DeploymentStatus, DEPLOYMENT_STATUS_MEANINGS),
        },
        {
            "id": "safeguard-states",
            "title": "State of a safeguard",
            "intro": "For each kind of safeguard on a deployment (a DPIA, an equality impact assessment, ...). "
            "These are different findings and are never merged into “no”.",
            "states": glossary(SafeguardState, SAFEGUARD_STATE_MEANINGS),
        },
        {
            "id": "question-outcomes",
            "title": "Outcome of a question of an FOI request",
            "intro": "Forces often answer one question and refuse the next, so each question has its own outcome.",
            "states": glossary(QuestionOutcome, QUESTION_OUTCOME_MEANINGS),
        },
        {
            "id": "transparency-states",
            "title": "What is known about a force and a kind of tool",
            "intro": "The cells of the transparency page, strongest first.",
            "states": glossary(Disclosure, DISCLOSURE_MEANINGS),
        },
    ]
