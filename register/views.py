"""Public pages for forces, tools and deployments. Everything starts from
`published()`: drafts never reach these pages."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from core.list_views import FacetedListView

from .filters import DeploymentFilter, ForceFilter, ToolFilter
from .models import Assessment, Deployment, Evidence, Force, Tool


def published_evidence(*, of_published_records: bool = True):
    """Published evidence, with its source, ready to prefetch onto records known
    to be published (or, with `of_published_records=False`, onto any record)."""
    evidence = Evidence.objects
    queryset = evidence.published_under_published() if of_published_records else evidence.published()
    return queryset.select_related("source")


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
