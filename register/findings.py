"""The headline figures of the home page, each counted through the deployment list's
own FilterSet from the filters its link carries, so that following the link shows
exactly the rows counted."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse

from .filters import DeploymentFilter
from .models import AssessmentKind, Deployment, DeploymentStatus, SafeguardState, ToolCategory, safeguard_state_name

# "Known to use": a force's use of a tool is recorded as in use or as a pilot.
USING_STATUSES = (DeploymentStatus.IN_USE, DeploymentStatus.PILOT)


@dataclass(frozen=True)
class CategoryFinding:
    """How many forces are known to use a kind of tool, in how many deployments, and how
    many of those deployments have a safeguard recorded as conducted; with the addresses
    of the lists showing those deployments."""

    category_label: str
    safeguard_label: str
    forces: int
    deployments: int
    safeguarded: int
    deployments_url: str
    safeguarded_url: str


def deployment_list_url(filters: dict[str, list[str]]) -> str:
    return f"{reverse('register:deployment-list')}?{urlencode(filters, doseq=True)}"


def category_finding(
    category: str = ToolCategory.INDIVIDUAL_RISK, safeguard: str = AssessmentKind.DPIA
) -> CategoryFinding:
    """The finding for one kind of tool and one kind of safeguard, in one query."""
    using = {"category": [category], "status": [status.value for status in USING_STATUSES]}
    state_filter = safeguard_state_name(safeguard)
    safeguarded = {**using, state_filter: [SafeguardState.CONDUCTED.value]}
    query = QueryDict(mutable=True)
    for name, values in using.items():
        query.setlist(name, values)
    filterset = DeploymentFilter(query, queryset=Deployment.objects.published())
    if not filterset.is_valid():  # the filters are ours: a failure is a bug, never an empty finding
        raise ValueError(f"The home page's filters are not valid: {filterset.errors.as_json()}")
    rows = filterset.qs.order_by().with_safeguard_state(safeguard)
    totals = rows.aggregate(
        deployments=Count("pk"),
        forces=Count("force", distinct=True),
        safeguarded=Count("pk", filter=Q(**{state_filter: SafeguardState.CONDUCTED})),
    )
    return CategoryFinding(
        category_label=ToolCategory(category).label,
        safeguard_label=AssessmentKind(safeguard).label,
        forces=totals["forces"],
        deployments=totals["deployments"],
        safeguarded=totals["safeguarded"],
        deployments_url=deployment_list_url(using),
        safeguarded_url=deployment_list_url(safeguarded),
    )
