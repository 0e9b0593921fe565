"""Turning an extraction into a draft FOI request for a researcher to check.

Used by `manage.py import_foi_response` and by the admin's upload form. Nothing
created here is published: a researcher checks the draft and publishes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from register.models import Force

from .extraction import Extraction, ExtractionError, extract, force_aliases
from .models import Exemption, FoiOutcome, FoiRequest

CREATED, DUPLICATE = "created", "duplicate"


@dataclass
class ImportResult:
    status: str  # CREATED or DUPLICATE
    foi_request: FoiRequest | None
    extraction: Extraction
    reason: str = ""
    unknown_exemptions: list[str] = field(default_factory=list)


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


def link_exemptions(foi_request: FoiRequest, citations: list[str], act: str) -> list[str]:
    """Links the cited exemptions the register knows (exact section, else its number); returns the others."""
    unknown = []
    for citation in citations:
        base = re.match(r"\d+", citation)[0]
        exemption = (
            Exemption.objects.filter(act=act, section=citation).first()
            or Exemption.objects.filter(act=act, section=base).first()
            or Exemption.objects.filter(act=act, section__startswith=f"{base}(").order_by("section").first()
        )
        if exemption:
            foi_request.exemptions.add(exemption)
        else:
            unknown.append(citation)
    return unknown


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
            results.append(ImportResult(CREATED, foi_request, extraction, unknown_exemptions=unknown))
    return results
