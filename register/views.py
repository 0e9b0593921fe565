"""Public pages for forces, tools and deployments. Everything starts from
`published()`: drafts never reach these pages."""

from urllib.parse import urlencode

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from core.list_views import FacetedListView

from .filters import DeploymentFilter, ForceFilter, ToolFilter
from .models import Assessment, Deployment, Force, Tool, ToolCategory


def published_evidence(*, of_published_records: bool = True):
    """Published evidence, with its source, ready to prefetch onto records known
    to be published (or, with `of_published_records=False`, onto any record).

    Evidence belongs to `foi_requests`; it is reached through the relation
    rather than imported, so that this app does not depend on that one.
    """
    evidence = Tool.evidence.rel.related_model.objects
    queryset = evidence.published_under_published() if of_published_records else evidence.published()
    return queryset.select_related("foi_request")


def published_deployments():
    return Deployment.objects.published().select_related("force", "tool", "tool__supplier")


def deployment_details():
    """Deployments with their published assessments and all the evidence a
    detail page shows, in a fixed number of queries."""
    return published_deployments().prefetch_related(
        Prefetch("evidence", queryset=published_evidence()),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.published_under_published().prefetch_related(
                Prefetch("evidence", queryset=published_evidence())
            ),
        ),
    )


def published_deployment_condition():
    """Counting only the published deployments of a force or a tool."""
    return Deployment.objects.published_condition("deployments__")


class ForceListView(FacetedListView):
    template_name = "register/force_list.html"
    context_object_name = "forces"
    filterset_class = ForceFilter
    api_resource = "forces"
    noun_plural = "forces"
    noun_singular = "force"

    def get_base_queryset(self):
        return (
            Force.objects.published()
            .annotate(deployment_total=Count("deployments", filter=published_deployment_condition()))
            .order_by("name")
        )


def foi_record(force: Force) -> list[tuple[str, str, int]]:
    """How a force's published FOI requests ended: (outcome, label, count), most frequent first."""
    requests = force.foi_requests.published()
    outcome_field = requests.model._meta.get_field("outcome")
    labels = dict(outcome_field.choices)
    counts = requests.order_by().values_list("outcome").annotate(total=Count("pk")).order_by("-total", "outcome")
    return [(outcome, str(labels.get(outcome, outcome)), total) for outcome, total in counts]


class ForceDetailView(DetailView):
    template_name = "register/force_detail.html"
    context_object_name = "force"
    deployments_shown = 50
    latest_foi_requests = 20

    def get_queryset(self):
        return Force.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deployments = deployment_details().filter(force=self.object).order_by("tool__category", "tool__name")
        totals = deployments.order_by("tool__category").values_list("tool__category").annotate(total=Count("pk"))
        list_url = reverse("register:deployment-list")
        by_category = {
            category: {
                "label": ToolCategory(category).label,
                "total": total,
                "deployments": [],
                "list_url": f"{list_url}?{urlencode({'force': self.object.slug, 'category': category})}",
            }
            for category, total in totals
        }
        # A force may use hundreds of tools: the first of each category here, all of them in the list.
        for deployment in deployments[: self.deployments_shown]:
            by_category[deployment.tool.category]["deployments"].append(deployment)
        context["deployments_by_category"] = by_category.values()
        context["deployment_total"] = sum(category["total"] for category in by_category.values())
        record = foi_record(self.object)
        context["foi_record"] = record
        context["foi_request_total"] = sum(total for _, _, total in record)
        # The busiest forces have received thousands: the latest here, all of them in the FOI list.
        context["foi_requests"] = self.object.foi_requests.published().prefetch_related("exemptions")[
            : self.latest_foi_requests
        ]
        return context


class ToolListView(FacetedListView):
    template_name = "register/tool_list.html"
    context_object_name = "tools"
    filterset_class = ToolFilter
    api_resource = "tools"
    noun_plural = "tools"
    noun_singular = "tool"

    def get_base_queryset(self):
        return (
            Tool.objects.published()
            .select_related("supplier")
            .annotate(force_total=Count("deployments", filter=published_deployment_condition()))
            .order_by("name", "pk")
        )


class ToolDetailView(DetailView):
    template_name = "register/tool_detail.html"
    context_object_name = "tool"

    def get_queryset(self):
        return (
            Tool.objects.published()
            .select_related("supplier")
            .prefetch_related(
                Prefetch("evidence", queryset=published_evidence()),
                # The supplier may be a draft: its evidence is checked in full.
                Prefetch("supplier__evidence", queryset=published_evidence(of_published_records=False)),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deployments"] = deployment_details().filter(tool=self.object).order_by("force__name")
        return context


class DeploymentListView(FacetedListView):
    template_name = "register/deployment_list.html"
    context_object_name = "deployments"
    filterset_class = DeploymentFilter
    api_resource = "deployments"
    noun_plural = "deployments"
    noun_singular = "deployment"
    # Tools are many: a tool's page links here with ?tool=<slug> instead.
    facet_names = [
        "category",
        "status",
        "force",
        "nation",
        "supplier",
        "technique",
        "origin",
        "has_dpia",
        "has_equality_assessment",
        "has_bias_testing",
    ]
    input_names = ["started_from", "started_to"]

    def get_base_queryset(self):
        return published_deployments().prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.published_under_published())
        )


class DeploymentDetailView(DetailView):
    template_name = "register/deployment_detail.html"
    context_object_name = "deployment"

    def get_object(self, queryset=None):
        return get_object_or_404(
            deployment_details(), force__slug=self.kwargs["force_slug"], tool__slug=self.kwargs["tool_slug"]
        )
