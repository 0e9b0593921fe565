"""The transparency gap: for each force and each category of tool, what is known.

A published deployment says a force uses a tool; a deployment recorded as
"denied or not used", or an answered request about the category that found
nothing held, says it does not; a refusal or a "neither confirm nor deny" is a
refusal to say; a request that disclosed nothing else leaves it open; and no
request at all is the largest gap. Each cell shows the strongest of these.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

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


# Names in a cell; the rest are one link away, in the filtered list.
SHOWN_PER_CELL = 5


@dataclass
class Known:
    """How many published records say something about one force and one category."""

    deployments: int = 0
    in_use: int = 0  # deployments not recorded as "denied or not used"
    requests: int = 0
    not_held: int = 0
    refused: int = 0


@dataclass
class Cell:
    category: str
    state: Disclosure
    # The first few tools it uses (or requests, where it uses none), and the list of all.
    deployments: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    more: int = 0
    more_url: str = ""


@dataclass
class Row:
    force: Force
    cells: list[Cell]


def disclosure(known: Known) -> Disclosure:
    """The strongest thing known from one force's deployments and the requests
    that asked about one category of tool."""
    if known.in_use:
        return Disclosure.USES
    if known.deployments or known.not_held:
        return Disclosure.DENIES
    if known.refused:
        return Disclosure.REFUSED
    if known.requests:
        return Disclosure.ASKED
    return Disclosure.NEVER_ASKED


def first_per_cell(queryset, force_path: str, category_path: str, order: tuple[str, ...]):
    """Rows of `queryset`, at most SHOWN_PER_CELL per force and category."""
    position = Window(RowNumber(), partition_by=[F(force_path), F(category_path)], order_by=[F(path) for path in order])
    return queryset.annotate(position=position).filter(position__lte=SHOWN_PER_CELL).order_by(*order)


def transparency_matrix(forces) -> list[Row]:
    """One row per force (in the given order), one cell per tool category, from
    published records only. Five queries (the forces and four), whatever the number of forces and
    records; a cell names its first few tools or requests, not thousands."""
    forces = list(forces)
    known = defaultdict(Known)
    deployments = Deployment.objects.published().filter(force__in=forces)
    for force_id, category, total, in_use in (
        deployments.order_by()
        .values_list("force_id", "tool__category")
        .annotate(total=Count("pk"), in_use=Count("pk", filter=~Q(status=DeploymentStatus.DENIED)))
    ):
        known[force_id, category].deployments, known[force_id, category].in_use = total, in_use
    asked = CategoryAsked.objects.filter(
        FoiRequest.objects.published_condition("foi_request__"), foi_request__force__in=forces
    )
    for force_id, category, total, not_held, refused in (
        asked.order_by()
        .values_list("foi_request__force_id", "category")
        .annotate(
            total=Count("pk"),
            not_held=Count("pk", filter=Q(foi_request__outcome=FoiOutcome.NOT_HELD)),
            refused=Count("pk", filter=Q(foi_request__outcome__in=REFUSAL_OUTCOMES)),
        )
    ):
        cell = known[force_id, category]
        cell.requests, cell.not_held, cell.refused = total, not_held, refused

    shown_deployments = defaultdict(list)
    in_use = deployments.exclude(status=DeploymentStatus.DENIED).select_related("tool", "force")
    for deployment in first_per_cell(in_use, "force_id", "tool__category", ("tool__name", "pk")):
        shown_deployments[deployment.force_id, deployment.tool.category].append(deployment)
    shown_requests = defaultdict(list)
    order = ("foi_request__date_received", "foi_request_id")
    # Only what a cell shows: the texts of thousands of requests would be read for nothing.
    named = asked.select_related("foi_request").only(
        "category", *(f"foi_request__{name}" for name in ("force_id", "slug", "reference", "title", "date_received"))
    )
    for row in first_per_cell(named, "foi_request__force_id", "category", order):
        shown_requests[row.foi_request.force_id, row.category].append(row.foi_request)

    deployment_list, request_list = reverse("register:deployment-list"), reverse("foi_requests:list")
    rows = []
    for force in forces:
        cells = []
        for category in ToolCategory.values:
            facts = known[force.pk, category]
            cell = Cell(category, disclosure(facts))
            if cell.state == Disclosure.USES:
                cell.deployments = shown_deployments[force.pk, category]
                cell.more = facts.in_use - len(cell.deployments)
                query = {"force": force.slug, "category": category}
                cell.more_url = f"{deployment_list}?{urlencode(query)}"
            else:
                cell.requests = shown_requests[force.pk, category]
                cell.more = facts.requests - len(cell.requests)
                cell.more_url = f"{request_list}?{urlencode({'force': force.slug, 'category_asked': category})}"
            cells.append(cell)
        rows.append(Row(force, cells))
    return rows


def matrix_summary(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Per category, how many forces are in each state: {category: {state: n}}."""
    summary = {category: dict.fromkeys(Disclosure.values, 0) for category in ToolCategory.values}
    for row in rows:
        for cell in row.cells:
            summary[cell.category][cell.state] += 1
    return summary
