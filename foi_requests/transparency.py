"""The transparency gap: for each force and each category of tool, what is known.

Read from the questions of published FOI answers, each with its own outcome and
the kinds of tool it asked about, and from published deployments. Each cell
shows the strongest of these, in this order:

1. uses: a published deployment of a tool of this kind, not recorded as
   "denied or not used";
2. denies using: published deployments of this kind, all recorded as "denied or
   not used": the force said it uses no such tool. Only this: a "not held" is
   not a denial (a force may use a tool and hold no document about it);
3. refused to say: a question about this kind answered "neither confirm nor
   deny" or withheld under an exemption, even where other questions of the same
   request were answered: the refusal is itself the finding;
4. information not held: a question about this kind answered "not held", where
   no question about it disclosed anything (a "not held" beside a disclosure is
   about a detail, a DPIA or a cost, not about the kind of tool);
5. asked: questions about this kind, and no tool of it recorded: nothing
   named, no answer yet, or a disclosure not yet turned into records;
6. never asked: no published question asked this force about this kind.

Uses and denies come first because they are the force's own statements about
its tools; a refusal outranks a "not held" because withholding is the stronger
finding. A published request whose questions are not recorded counts as one
question, the whole request, with the request's outcome and categories asked.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import DenseRank, RowNumber
from django.urls import reverse

from register.models import (
    REFUSAL_OUTCOMES,
    Deployment,
    DeploymentStatus,
    Force,
    QuestionCategory,
    QuestionOutcome,
    Source,
    ToolCategory,
)

from .models import CategoryAsked, FoiRequest
from .outcomes import GIVEN, request_outcomes_read_as


class Disclosure(models.TextChoices):
    """What is known about one force and one category, strongest first."""

    USES = "uses", "Uses"
    DENIES = "denies", "Denies using"
    REFUSED = "refused", "Refused to say"
    NOT_HELD = "not_held", "Information not held"
    ASKED = "asked", "Asked, no tool recorded"
    NEVER_ASKED = "never_asked", "Never asked"


# Names in a cell; the rest are one link away, in the filtered list.
SHOWN_PER_CELL = 5


@dataclass
class Known:
    """How many published records say something about one force and one category.
    The last three count questions (a request without recorded questions counts as one)."""

    deployments: int = 0
    in_use: int = 0  # deployments not recorded as "denied or not used"
    requests: int = 0  # requests with a question about it
    disclosed: int = 0  # questions answered with information, in full or in part
    not_held: int = 0
    refused: int = 0  # neither confirmed nor denied, or withheld under an exemption

    def add(self, requests: int, disclosed: int, not_held: int, refused: int) -> None:
        self.requests += requests
        self.disclosed += disclosed
        self.not_held += not_held
        self.refused += refused


@dataclass
class Cell:
    category: str
    state: Disclosure
    # The first few tools it uses (or requests, where it uses none), and the list of all.
    deployments: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    more: int = 0
    more_url: str = ""

    @property
    def category_label(self) -> str:
        return ToolCategory(self.category).label


@dataclass
class Row:
    force: Force
    cells: list[Cell]


def disclosure(known: Known) -> Disclosure:
    """The strongest thing known from one force's deployments and the questions
    that asked it about one category of tool (the order is the module's)."""
    if known.in_use:
        return Disclosure.USES
    if known.deployments:
        return Disclosure.DENIES
    if known.refused:
        return Disclosure.REFUSED
    if known.not_held and not known.disclosed:
        return Disclosure.NOT_HELD
    if known.requests:
        return Disclosure.ASKED
    return Disclosure.NEVER_ASKED


def first_per_cell(queryset, force_path: str, category_path: str, order: tuple[str, ...]):
    """Rows of `queryset`, at most SHOWN_PER_CELL per force and category."""
    position = Window(RowNumber(), partition_by=[F(force_path), F(category_path)], order_by=[F(path) for path in order])
    return queryset.annotate(position=position).filter(position__lte=SHOWN_PER_CELL).order_by(*order)


def questions_asking(forces: list[Force]):
    """Published questions to `forces` by force and kind of tool asked about:
    (force, category, requests, disclosed, not held, refused)."""
    return (
        QuestionCategory.objects.filter(
            # Question.objects.published(), as a join.
            Source.objects.published_condition("question__source__"),
            question__source__force__in=forces,
        )
        .order_by()
        .values_list("question__source__force_id", "category")
        .annotate(
            requests=Count("question__source", distinct=True),
            disclosed=Count("pk", filter=Q(question__outcome__in=GIVEN)),
            not_held=Count("pk", filter=Q(question__outcome=QuestionOutcome.NOT_HELD)),
            refused=Count("pk", filter=Q(question__outcome__in=REFUSAL_OUTCOMES)),
        )
    )


def whole_requests_asking(forces: list[Force]):
    """The same for published requests whose questions are not recorded: each counts
    as one question about its categories asked, with the request's outcome."""

    def read_as(*question_outcomes) -> Q:
        return Q(foi_request__outcome__in=request_outcomes_read_as(question_outcomes))

    return (
        CategoryAsked.objects.filter(
            FoiRequest.objects.published_condition("foi_request__"),
            foi_request__force__in=forces,
            foi_request__source__questions__isnull=True,
        )
        .order_by()
        .values_list("foi_request__force_id", "category")
        .annotate(
            requests=Count("pk"),
            disclosed=Count("pk", filter=read_as(*GIVEN)),
            not_held=Count("pk", filter=read_as(QuestionOutcome.NOT_HELD)),
            refused=Count("pk", filter=read_as(*REFUSAL_OUTCOMES)),
        )
    )


def first_requests_per_cell(forces: list[Force]) -> dict[tuple[int, str], list[FoiRequest]]:
    """The first SHOWN_PER_CELL published requests (by date received, undated last) that
    asked each force about each kind of tool, through their questions or, for requests
    without recorded questions, their categories asked."""
    requests = FoiRequest.objects.published().filter(force__in=forces)
    order = (F("date_received").asc(nulls_last=True), F("pk"))
    by_questions = requests.annotate(asked=F("source__questions__categories__category"))
    whole = requests.filter(source__questions__isnull=True).annotate(asked=F("categories_asked__category"))
    found = defaultdict(dict)
    for rows in (by_questions, whole):
        # A rank, not a row number: a request asking twice about one kind is one request.
        position = Window(DenseRank(), partition_by=[F("force_id"), F("asked")], order_by=order)
        # Only what a cell shows: the texts of thousands of requests would be read for nothing.
        rows = rows.only("force_id", "slug", "reference", "title", "date_received").annotate(position=position)
        for foi_request in rows.filter(asked__isnull=False, position__lte=SHOWN_PER_CELL):
            found[foi_request.force_id, foi_request.asked].setdefault(foi_request.pk, foi_request)
    return {key: sorted(found[key].values(), key=undated_last)[:SHOWN_PER_CELL] for key in found}


def undated_last(foi_request: FoiRequest) -> tuple:
    """By date received, undated last, as the database orders them above."""
    received = foi_request.date_received
    return (received is None, received or datetime.date.min, foi_request.pk)


def known_about(forces: list[Force]) -> defaultdict[tuple[int, str], Known]:
    """What published records say about each (force id, category): two queries."""
    known = defaultdict(Known)
    deployments = Deployment.objects.published().filter(force__in=forces)
    for force_id, category, total, in_use in (
        deployments.order_by()
        .values_list("force_id", "tool__category")
        .annotate(total=Count("pk"), in_use=Count("pk", filter=~Q(status=DeploymentStatus.DENIED)))
    ):
        known[force_id, category].deployments, known[force_id, category].in_use = total, in_use
    # One query: a (force, category) may have requests with questions and requests without.
    for force_id, category, *counts in questions_asking(forces).union(whole_requests_asking(forces), all=True):
        known[force_id, category].add(*counts)
    return known


def states_for(forces, category: str) -> list[tuple[Force, Disclosure]]:
    """Each force (in the given order) with its state for one kind of tool, as the
    matrix reads it but without the names in its cells: three queries (the forces and two)."""
    forces = list(forces)
    known = known_about(forces)
    return [(force, disclosure(known[force.pk, category])) for force in forces]


def transparency_matrix(forces) -> list[Row]:
    """One row per force (in the given order), one cell per tool category, from
    published records only. Six queries (the forces and five), whatever the number of forces and
    records; a cell names its first few tools or requests, not thousands."""
    forces = list(forces)
    known = known_about(forces)
    deployments = Deployment.objects.published().filter(force__in=forces)
    shown_deployments = defaultdict(list)
    in_use = deployments.exclude(status=DeploymentStatus.DENIED).select_related("tool", "force")
    for deployment in first_per_cell(in_use, "force_id", "tool__category", ("tool__name", "pk")):
        shown_deployments[deployment.force_id, deployment.tool.category].append(deployment)
    shown_requests = first_requests_per_cell(forces)

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
                cell.requests = shown_requests.get((force.pk, category), [])
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


def known_and_never_asked(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """The rows something is known about, then those where every cell is "never
    asked" (each in the given order): the page leads with the first and folds the second."""
    known = [row for row in rows if any(cell.state != Disclosure.NEVER_ASKED for cell in row.cells)]
    never_asked = [row for row in rows if all(cell.state == Disclosure.NEVER_ASKED for cell in row.cells)]
    return known, never_asked
