"""Facts from passages: a passage of an FOI answer made into a register fact in one form.

The researcher selects (or pastes) a passage of the answer, says what it is about (a
tool, existing or new; the tool's deployment at the request's force; optionally a
safeguard of that deployment) and which fact it supports, with its value. `record_fact`
then checks the passage against the answer (`core.quotes.locate_quote`, the one quote
rule), creates or updates the records as drafts and quotes the passage for the fact,
all or nothing, each change kept in the history with the reason given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from core.partial_dates import PartialDateField, parse_written_date
from core.publishing import can_edit
from core.quotes import locate_quote
from register.models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    Evidence,
    Question,
    Tool,
)

from .models import FoiRequest

# The records a passage can make a fact of, by the name the form gives them.
FACT_RECORDS: dict[str, type[models.Model]] = {"tool": Tool, "deployment": Deployment, "assessment": Assessment}

# Dates as an answer writes them, searched for inside a passage; each one found is read by
# `parse_written_date`, which keeps its precision and refuses what it cannot read for certain.
_MONTH = r"[A-Za-z]{3,9}\.?"
_DATE_IN_TEXT = [
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b"),  # 1 October 2019
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),  # October 1, 2019
    re.compile(r"\b\d{1,2}([/.-])\d{1,2}\1\d{4}\b"),  # 01/10/2019, day first
    re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b"),  # 2019-10-01, 2021-11
    re.compile(rf"\b{_MONTH},?\s+\d{{4}}\b"),  # March 2020, Nov 2021
    re.compile(r"(?<![\d/.-])\d{1,2}/\d{4}\b"),  # 10/2019
    re.compile(r"(?<![\d/.,-])\b(?:19|20)\d{2}\b(?![/.-]\d)"),  # 2008
]


def dates_in_passage(text: str) -> list[str]:
    """The dates a passage gives, as it writes them, in order ("since March 2020" -> ["March 2020"]).

    Only what `parse_written_date` reads: "since 2020" gives "2020", never a word taken
    for a month; where one date holds another ("1 March 2020"), the longer is kept."""
    found: list[tuple[int, int, str]] = []
    for pattern in _DATE_IN_TEXT:
        for match in pattern.finditer(text or ""):
            written = " ".join(match.group().split())
            try:
                parse_written_date(written)
            except ValueError:
                continue
            found.append((match.start(), match.end(), written))
    kept: list[tuple[int, int, str]] = []
    for start, end, written in sorted(found, key=lambda date: (date[0], date[0] - date[1])):
        if not any(start < kept_end and kept_start < end for kept_start, kept_end, _ in kept):
            kept.append((start, end, written))
    return [written for _, _, written in kept]


def question_holding(passage: str, questions: list[Question]) -> str:
    """The number of the one question whose answer holds the passage ("" if none or several)."""
    holding = [question.number for question in questions if locate_quote(passage, question.answer)]
    return holding[0] if len(holding) == 1 else ""


def is_date_fact(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), PartialDateField)


def fact_value(model: type[models.Model], name: str, written: str) -> object:
    """The value of a fact as the researcher wrote it: a date read with its precision, a
    choice by its label or its value, a text as it is. ValueError says why it cannot be."""
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        raise ValueError(
            f"“{model.FACTS[name]}” is chosen on the {model._meta.verbose_name}'s own page: leave the value empty here."
        )
    if isinstance(model_field, PartialDateField):
        return parse_written_date(written)
    if model_field.choices:
        for value, label in model_field.choices:
            if written.strip().lower() in (str(value).lower(), str(label).lower()):
                return value
        labels = ", ".join(f"“{label}”" for _, label in model_field.choices)
        raise ValueError(f"“{written}” is not one of {labels}.")
    return written.strip()


@dataclass
class RecordedFact:
    """What one passage made: the records created and changed, and the evidence."""

    created: list[models.Model] = field(default_factory=list)
    changed: list[models.Model] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


def may(user, action: str, model: type[models.Model]) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}")


def unique_tool_slug(name: str) -> str:
    base = slugify(name)[:90] or "tool"
    slug, n = base, 2
    while Tool.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def record_fact(
    *,
    foi_request: FoiRequest,
    passage: str,
    question_number: str,
    record: str,
    fact: str,
    value: str,
    tool: Tool | None,
    new_tool_name: str = "",
    new_tool_category: str = "",
    safeguard_kind: str = "",
    safeguard_result: str = AssessmentResult.CONDUCTED,
    new_safeguard: bool = False,
    confirm_dates: bool = False,
    user,
    reason: str,
) -> RecordedFact:
    """Quote `passage` of the request's answer for the fact `fact` ("" the record itself) of
    `record` ("tool", "deployment" or "assessment"), setting its value, in one transaction.

    The tool is `tool`, or a new draft named `new_tool_name`; the deployment is the tool's at
    the request's force, a new draft if there is none; the assessment, the deployment's of
    `safeguard_kind`, a new draft if there is none or `new_safeguard`. A record made here is
    quoted as a whole too, so that it can be published once checked. Nothing is published.
    Raises ValidationError by the form's field names; then nothing is saved."""
    source = foi_request.source
    model = FACT_RECORDS[record]
    if fact and fact not in model.FACTS:
        raise ValidationError({"fact": f"A {model._meta.verbose_name} has no fact “{fact}”."})
    if locate_quote(passage, source.text) is None:
        raise ValidationError(
            {
                "passage": f"“{passage[:80]}” does not appear in {source.label}: copy it word for word from the "
                "answer (line breaks, spaces, quote marks and dashes may differ; join passages with “…”)."
            }
        )
    if fact and is_date_fact(model, fact) and not value.strip():
        dates = dates_in_passage(passage)
        if len(dates) > 1:
            raise ValidationError({"value": f"The passage gives several dates ({', '.join(dates)}): write the one."})
        value = dates[0] if dates else ""
    made = RecordedFact()
    with transaction.atomic():
        tool = _the_tool(tool, new_tool_name, new_tool_category, made, user)
        deployment = assessment = None
        if record != "tool":
            deployment = _the_deployment(foi_request, tool, made, user)
        if record == "assessment":
            assessment = _the_assessment(deployment, safeguard_kind, safeguard_result, new_safeguard, made, user)
        target = {"tool": tool, "deployment": deployment, "assessment": assessment}[record]
        if fact and value.strip():
            _set_fact(target, fact, value, made, user)
        # Saved in order, each after the record it belongs to (linked again once that one has its id),
        # and only if made or changed here.
        for each, belongs_to in ((tool, None), (deployment, "tool"), (assessment, "deployment")):
            if each is None or (each not in made.created and each not in made.changed):
                continue
            if belongs_to:
                setattr(each, belongs_to, getattr(each, belongs_to))
            each.confirm_dates = confirm_dates
            _full_clean(each, fact if each is target else None)
            each._change_reason, each._history_user = reason, user
            each.save()
        # Made here: quoted as a whole, so that each can be published once checked.
        quoted = [(each, "") for each in made.created if each is not target]
        # A new safeguard's result ("Result of a new safeguard") is read from this passage too:
        # unquoted, it would be a fact with no source, and the safeguard could never be published.
        if assessment in made.created and fact != "result" and assessment.result != AssessmentResult.UNKNOWN:
            quoted.append((assessment, "result"))
        for each, supported in [*quoted, (target, fact)]:
            name = next(name for name, kind in FACT_RECORDS.items() if isinstance(each, kind))
            evidence = Evidence(
                source=source, question_number=question_number, quote=passage, field=supported, **{name: each}
            )
            _full_clean(evidence, None)
            evidence._change_reason, evidence._history_user = reason, user
            evidence.save()
            made.evidence.append(evidence)
    return made


def _the_tool(tool: Tool | None, name: str, category: str, made: RecordedFact, user) -> Tool:
    if tool is not None:
        return tool
    if not name.strip() or not category:
        raise ValidationError({"tool": "Choose a tool, or give a new tool's name and category."})
    if existing := Tool.objects.filter(name__iexact=name.strip()).first():
        raise ValidationError({"new_tool_name": f"A tool named “{existing.name}” is on record: choose it above."})
    if not may(user, "add", Tool):
        raise ValidationError({"new_tool_name": "You may not add tools: choose one on record."})
    tool = Tool(name=name.strip(), slug=unique_tool_slug(name), category=category, is_published=False)
    made.created.append(tool)
    return tool


def _the_deployment(foi_request: FoiRequest, tool: Tool, made: RecordedFact, user) -> Deployment:
    if tool.pk is not None and (found := Deployment.objects.filter(force=foi_request.force, tool=tool).first()):
        return found
    if not may(user, "add", Deployment):
        raise ValidationError({NON_FIELD_ERRORS: f"You may not add deployments: {tool} at {foi_request.force} is new."})
    deployment = Deployment(force=foi_request.force, tool=tool, is_published=False)
    made.created.append(deployment)
    return deployment


def _the_assessment(deployment: Deployment, kind: str, result: str, new: bool, made: RecordedFact, user) -> Assessment:
    if kind not in AssessmentKind.values:
        raise ValidationError({"safeguard_kind": "Choose the kind of safeguard the passage is about."})
    if deployment.pk is not None and not new:
        existing = list(deployment.assessments.filter(kind=kind))
        if len(existing) == 1:
            return existing[0]
        if len(existing) > 1:
            raise ValidationError(
                {
                    "safeguard_kind": f"{deployment} has {len(existing)} of these: quote the passage on the right "
                    "one's page, or tick “a new one”."
                }
            )
    if not may(user, "add", Assessment):
        raise ValidationError({"safeguard_kind": "You may not add assessments."})
    assessment = Assessment(deployment=deployment, kind=kind, result=result, is_published=False)
    made.created.append(assessment)
    return assessment


def _set_fact(record: models.Model, fact: str, written: str, made: RecordedFact, user) -> None:
    model = type(record)
    try:
        value = fact_value(model, fact, written)
    except ValueError as error:
        raise ValidationError({"value": str(error)}) from None
    if getattr(record, fact) == value or record in made.created:
        setattr(record, fact, value)
        return
    if not may(user, "change", model) or not can_edit(user, record):
        raise ValidationError(
            {"value": f"You may not change {model._meta.verbose_name} “{record}”: leave the value empty to quote it."}
        )
    setattr(record, fact, value)
    made.changed.append(record)


def _full_clean(record: models.Model, fact: str | None) -> None:
    """The record's own checks, their errors put on the form's fields (the fact's on its value)."""
    # Fields set here, not by the form, are checked for what the form's fields cannot say.
    exclude = ["slug"] if isinstance(record, Tool) else []
    try:
        record.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as error:
        named = f"{record._meta.verbose_name.capitalize()} “{record}”"
        errors: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            if fact and name == fact:
                errors.setdefault("value", []).extend(messages)
            elif isinstance(record, Evidence) and name == "quote":
                errors.setdefault("passage", []).extend(messages)
            else:
                errors.setdefault(NON_FIELD_ERRORS, []).extend(f"{named}: {message}" for message in messages)
        raise ValidationError(errors) from None


def date_hint(passage: str) -> list[tuple[str, str]]:
    """The dates a passage gives with their precision, for the form's help: [("March 2020", "month")]."""
    return [(written, parse_written_date(written).precision.label.lower()) for written in dates_in_passage(passage)]
