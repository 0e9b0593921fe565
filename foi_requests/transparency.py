"""The transparency gap: for each force and each category of tool, what is known.

A published deployment says a force uses a tool; a deployment recorded as
"denied or not used", or an answered request about the category that found
nothing held, says it does not; a refusal or a "neither confirm nor deny" is a
refusal to say; a request that disclosed nothing else leaves it open; and no
request at all is the largest gap. Each cell shows the strongest of these.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from register.models import Deployment, DeploymentStatus, Force, ToolCategory

from .models import CategoryAsked, FoiOutcome, FoiRequest


class Disclosure(models.TextChoices):
    """What is known about one force and one category, strongest first."""

    USES = "uses", "Uses"
    DENIES = "denies", "Denies using"
    REFUSED = "refused", "Refused to say"
    ASKED = "asked", "Asked, nothing disclosed"
    NEVER_ASKED = "never_asked", "Never asked"


REFUSAL_OUTCOMES = frozenset({FoiOutcome.REFUSED, FoiOutcome.NEITHER_CONFIRM_NOR_DENY})


@dataclass
class Cell:
    category: str
    state: Disclosure
    deployments: list = field(default_factory=list)
    requests: list = field(default_factory=list)


@dataclass
class Row:
    force: Force
    cells: list[Cell]


def disclosure(deployments: list[Deployment], requests: list[FoiRequest]) -> Disclosure:
    """The strongest thing known from one force's deployments and the requests
    that asked about one category of tool."""
    if any(d.status != DeploymentStatus.DENIED for d in deployments):
        return Disclosure.USES
    if deployments or any(r.outcome == FoiOutcome.NOT_HELD for r in requests):
        return Disclosure.DENIES
    if any(r.outcome in REFUSAL_OUTCOMES for r in requests):
        return Disclosure.REFUSED
    if requests:
        return Disclosure.ASKED
    return Disclosure.NEVER_ASKED


def transparency_matrix(forces) -> list[Row]:
    """One row per force (in the given order), one cell per tool category, from
    published records only. Three queries, whatever the number of forces."""
    forces = list(forces)
    deployments = defaultdict(list)
    for deployment in (
        Deployment.objects.published().filter(force__in=forces).select_related("tool", "force").order_by("tool__name")
    ):
        deployments[deployment.force_id, deployment.tool.category].append(deployment)
    requests = defaultdict(list)
    for asked in (
        CategoryAsked.objects.filter(foi_request__in=FoiRequest.objects.published().filter(force__in=forces))
        .select_related("foi_request")
        .order_by("foi_request__date_received", "foi_request_id")
    ):
        requests[asked.foi_request.force_id, asked.category].append(asked.foi_request)
    rows = []
    for force in forces:
        cells = []
        for category in ToolCategory.values:
            found, asked = deployments[force.pk, category], requests[force.pk, category]
            cells.append(Cell(category, disclosure(found, asked), found, asked))
        rows.append(Row(force, cells))
    return rows


def matrix_summary(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Per category, how many forces are in each state: {category: {state: n}}."""
    summary = {category: dict.fromkeys(Disclosure.values, 0) for category in ToolCategory.values}
    for row in rows:
        for cell in row.cells:
            summary[cell.category][cell.state] += 1
    return summary
