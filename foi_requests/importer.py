"""Turning an extraction into a draft FOI request for a researcher to check.

Used by `manage.py import_foi_response` and by the admin's upload form. Nothing
created here is published: a researcher checks the draft and publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from register.models import Force, Question, QuestionOutcome

from .extraction import (
    Extraction,
    ExtractionError,
    extract,
    find_exemptions,
    force_aliases,
    plain,
)
from .extraction import Question as ExtractedQuestion
from .models import Exemption, FoiOutcome, FoiRequest
from .outcomes import GIVEN, request_outcome

CREATED, DUPLICATE = "created", "duplicate"


@dataclass
class ImportResult:
    status: str  # CREATED or DUPLICATE
    foi_request: FoiRequest | None
    extraction: Extraction
    reason: str = ""
    unknown_exemptions: list[str] = field(default_factory=list)
    # What the researcher checking the draft must settle (its questions' outcomes, say).
    notes: list[str] = field(default_factory=list)


def all_force_aliases() -> dict[str, str]:
    return force_aliases(Force.objects.values_list("slug", "name"))


def extract_document(text: str, aliases: dict[str, str] | None = None) -> list[Extraction]:
    return extract(text, all_force_aliases() if aliases is None else aliases)


def find_duplicate(extraction: Extraction, force: Force) -> FoiRequest | None:
    """The request already recorded for the same answer: same text, or same authority and reference."""
    same_text = FoiRequest.objects.filter(imported_text_sha256=extraction.fingerprint).first()
    if same_text:
        return same_text
    if extraction.references:
        return FoiRequest.objects.filter(force=force, reference__in=extraction.references).first()
    return None


def resolve_force(extraction: Extraction, force: Force | None) -> Force:
    if force is not None:
        return force
    if extraction.authority:
        found = Force.objects.filter(slug=extraction.authority).first()
        if found:
            return found
    raise ExtractionError("the document does not say which force answered: give the force (--force SLUG)")


def known_exemption(citation: str, act: str) -> Exemption | None:
    """The register's exemption for a citation: the exact section, else its number, else its first subsection."""
    base = re.match(r"\d+", citation)[0]
    return (
        Exemption.objects.filter(act=act, section=citation).first()
        or Exemption.objects.filter(act=act, section=base).first()
        or Exemption.objects.filter(act=act, section__startswith=f"{base}(").order_by("section").first()
    )


def link_exemptions(foi_request: FoiRequest, citations: list[str], act: str) -> list[str]:
    """Links the cited exemptions the register knows; returns the others."""
    unknown = []
    for citation in citations:
        if exemption := known_exemption(citation, act):
            foi_request.exemptions.add(exemption)
        else:
            unknown.append(citation)
    return unknown


# The extraction's outcome of one answer (`extraction.find_question_outcome`, in the request
# outcomes' words) as a question's outcome. No answer: not answered.
QUESTION_OUTCOMES = {
    "successful": QuestionOutcome.DISCLOSED,
    "partially_successful": QuestionOutcome.PARTLY_DISCLOSED,
    "not_held": QuestionOutcome.NOT_HELD,
    "neither_confirm_nor_deny": QuestionOutcome.NEITHER_CONFIRM_NOR_DENY,
    "refused": QuestionOutcome.EXEMPT,
}
# What a whole answer states for every question it did not answer one by one.
WHOLE_REQUEST_QUESTION_OUTCOMES = {
    outcome: QUESTION_OUTCOMES[outcome] for outcome in ("not_held", "neither_confirm_nor_deny", "refused")
}


def answer_outcome(question: ExtractedQuestion) -> str:
    """A question's outcome: the one the extraction read in its answer, as the register records it."""
    return QUESTION_OUTCOMES.get(question.outcome or "", QuestionOutcome.NOT_ANSWERED)


def parts_outcome(outcomes: list[str]) -> str:
    """A question answered through its parts (1 through 1a, 1b...): theirs where all agree,
    partly disclosed where some information was given, else not answered (for the researcher)."""
    if len(set(outcomes)) == 1:
        return outcomes[0]
    if set(outcomes) & GIVEN:
        return QuestionOutcome.PARTLY_DISCLOSED
    return QuestionOutcome.NOT_ANSWERED


def unique_numbers(numbers: list[str]) -> list[str]:
    """The questions' numbers, unique in the request: where the numbering starts again (a
    list of kinds of tool, then questions asked of each), the later part's say so: "1 (part 2)"."""
    seen: set[str] = set()
    part = 1
    unique = []
    for number in numbers:
        if number in seen:
            part, seen = part + 1, set()
        seen.add(number)
        unique.append(number if part == 1 else f"{number} (part {part})"[:20])
    return unique


@dataclass
class DraftQuestion:
    number: str
    text: str
    answer: str
    outcome: str
    citations: list[str]


def draft_questions(extraction: Extraction) -> list[DraftQuestion]:
    """The extraction's questions with what the answer states of each: their outcome
    (the extraction's, or the whole answer's where it answered none of them one by one)
    and the exemptions their answer cites. What it does not say stays "not answered"."""
    drafts = [
        DraftQuestion(
            number=number,
            text=question.question,
            answer=question.answer or "",
            outcome=answer_outcome(question),
            citations=find_exemptions(plain(question.answer), extraction.act) if question.answer else [],
        )
        for number, question in zip(
            unique_numbers([q.number for q in extraction.questions]), extraction.questions, strict=True
        )
    ]
    whole = WHOLE_REQUEST_QUESTION_OUTCOMES.get(extraction.outcome or "")
    if whole and all(draft.outcome == QuestionOutcome.NOT_ANSWERED for draft in drafts):
        # "No information held" or a refusal of the whole request under s12(1): each question's.
        for draft in drafts:
            draft.outcome = whole
            draft.citations = list(extraction.exemptions) if whole != QuestionOutcome.NOT_HELD else []
    for draft in drafts:
        parts = [other.outcome for other in drafts if re.fullmatch(rf"{re.escape(draft.number)}[a-z]", other.number)]
        if draft.outcome == QuestionOutcome.NOT_ANSWERED and parts:
            draft.outcome = parts_outcome(parts)
    return drafts


def save_questions(foi_request: FoiRequest, extraction: Extraction) -> list[str]:
    """Records the extraction's questions on the draft's answer; brings the request in step
    with them (`apply_questions`) only where that loses nothing the answer states: some
    question has an outcome, each exemption the answer cites is cited by a question, and
    the outcome they give is the one the answer states. Returns what is left to check."""
    drafts = draft_questions(extraction)
    if not drafts:
        return []
    questions = Question.objects.bulk_create(
        Question(source=foi_request.source, number=d.number, text=d.text, answer=d.answer, outcome=d.outcome)
        for d in drafts
    )
    cited = set()
    for question, draft in zip(questions, drafts, strict=True):
        exemptions = {e for citation in draft.citations if (e := known_exemption(citation, foi_request.foi_act))}
        for exemption in exemptions:
            exemption.questions.add(question)
        cited |= {exemption.pk for exemption in exemptions}
    outcomes = [draft.outcome for draft in drafts]
    if all(outcome == QuestionOutcome.NOT_ANSWERED for outcome in outcomes):
        return []
    by_questions = request_outcome(outcomes, foi_request.outcome)
    uncited = foi_request.exemptions.exclude(pk__in=cited)
    if uncited.exists():
        citations = ", ".join(exemption.citation for exemption in uncited)
        return [f"cites {citations} for no question in particular: give each to the questions it refused"]
    if extraction.outcome and by_questions != extraction.outcome:
        return [
            f"its questions' outcomes give “{FoiOutcome(by_questions).label}” where the answer states "
            f"“{FoiOutcome(extraction.outcome).label}”: check each question's outcome"
        ]
    foi_request.apply_questions()
    return []


def draft_from(extraction: Extraction, force: Force, source_name: str) -> FoiRequest:
    references = extraction.references
    reference = references[0] if references else ""
    title = extraction.title or (
        f"FOI answer {reference} from {force.name}" if reference else f"FOI answer imported from {source_name}"
    )
    return FoiRequest(
        force=force,
        reference=reference,
        other_references=", ".join(references[1:])[:300],
        title=title[:300],
        request_text=extraction.request_text,
        response_text=extraction.response_text,
        date_received=extraction.date_received,
        date_responded=extraction.date_responded,
        # The model has no "unknown" outcome: a draft whose answer states none
        # stays "awaiting response" until the researcher decides.
        outcome=extraction.outcome or FoiOutcome.AWAITING_RESPONSE,
        source_document=source_name[:200],
        imported_text=extraction.text,
        imported_text_sha256=extraction.fingerprint,
        is_published=False,
    )


def save_drafts(extractions: list[Extraction], source_name: str, force: Force | None = None) -> list[ImportResult]:
    """Creates a draft for each extraction not already recorded, all or none (one transaction)."""
    results = []
    with transaction.atomic():
        for extraction in extractions:
            authority = resolve_force(extraction, force)
            duplicate = find_duplicate(extraction, authority)
            if duplicate:
                reason = f"already recorded as {duplicate}"
                results.append(ImportResult(DUPLICATE, duplicate, extraction, reason=reason))
                continue
            foi_request = draft_from(extraction, authority, source_name)
            try:
                foi_request.full_clean(exclude=["slug"])
            except ValidationError as error:
                messages = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in error.message_dict.items())
                raise ExtractionError(f"the extracted record is not valid ({messages})") from error
            foi_request.save()
            unknown = link_exemptions(foi_request, extraction.exemptions, authority.foi_act)
            notes = save_questions(foi_request, extraction)
            results.append(ImportResult(CREATED, foi_request, extraction, unknown_exemptions=unknown, notes=notes))
    return results
