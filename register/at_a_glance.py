"""A deployment at a glance, for the tables of who uses what, a tool's page and a force's
page: its status with the date of the source it rests on, and for each kind of safeguard
its state, the date of the assessment and the quote it rests on, one click away.

Everything is read from what the page prefetched (published evidence with its source,
published assessments with theirs): no query per row.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .models import (
    RESULT_STATES,
    SAFEGUARD_HEADINGS,
    Assessment,
    AssessmentKind,
    Evidence,
    Safeguard,
    SafeguardState,
)
from .sourcing import has_value, shows_value

# The facts of an assessment a quote about its state may support, the most telling first.
STATE_FACTS = ("result", "answer_as_given", "", "withheld_under", "conducted")


def published_evidence(record) -> list[Evidence]:
    """The record's published evidence: as the page's view prefetched it (pages prefetch
    only published evidence, with its source), else read (one query)."""
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    if "evidence" in prefetched:
        return list(prefetched["evidence"])
    return list(record.evidence.published().select_related("source"))


def status_quote(evidence: Iterable[Evidence]) -> Evidence | None:
    """The published quote a deployment's status rests on, among its `evidence`: of the quotes
    supporting the status, the one from the latest dated source, which the page shows the
    status "as at" (an undated source's only when none is dated)."""
    quotes = [item for item in evidence if item.field == "status"]
    return max(
        quotes, key=lambda item: (item.source.dated is not None, item.source.dated or datetime.date.min), default=None
    )


@dataclass
class SafeguardCell:
    """One kind of safeguard of one deployment, as a cell of a table: its state, the date of
    the assessment that gives that state ("" when not known), and a quote supporting it."""

    kind: AssessmentKind
    state: SafeguardState
    date: str
    quote: Evidence | None

    @property
    def heading(self) -> str:
        return SAFEGUARD_HEADINGS[self.kind]


def deciding_assessments(safeguard: Safeguard) -> list[Assessment]:
    """The assessments that give a safeguard its state: those whose result is that state."""
    return [
        assessment for assessment in safeguard.assessments if RESULT_STATES.get(assessment.result) == safeguard.state
    ]


def safeguard_cell(safeguard: Safeguard) -> SafeguardCell:
    """A safeguard as a cell: the latest date among the assessments giving its state, where
    a published quote supports that date; and the published quote that best supports the
    state (about the result first, then the force's own words, then any)."""
    deciding = deciding_assessments(safeguard)
    evidence = {assessment.pk: published_evidence(assessment) for assessment in deciding}
    dates = [
        assessment.conducted
        for assessment in deciding
        if has_value(assessment, "conducted")
        and shows_value(assessment, "conducted", (item.field for item in evidence[assessment.pk]))
    ]
    quotes = [item for items in evidence.values() for item in items if item.field in STATE_FACTS]
    quotes.sort(key=lambda item: STATE_FACTS.index(item.field))
    return SafeguardCell(
        kind=safeguard.kind,
        state=safeguard.state,
        date=max(dates, key=lambda date: (date.earliest, date.latest)).label if dates else "",
        quote=quotes[0] if quotes else None,
    )


def safeguard_cells(safeguards: Iterable[Safeguard]) -> list[SafeguardCell]:
    return [safeguard_cell(safeguard) for safeguard in safeguards]
