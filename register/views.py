"""Public pages for forces, tools and deployments. Everything starts from
`published()`: drafts never reach these pages."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Assessment, Deployment, Force, Tool, ToolCategory


def published_evidence():
    """Published evidence, with its source, ready to prefetch.

    Evidence belongs to `foi_requests`; it is reached through the relation
    rather than imported, so that this app does not depend on that one.
    """
    evidence_model = Tool.evidence.rel.related_model
    return evidence_model.objects.published().select_related("foi_request")


def published_deployments():
    return Deployment.objects.published().select_related("force", "tool", "tool__supplier")


def deployment_details():
    """Deployments with their published assessments and all the evidence a
    detail page shows, in a fixed number of queries."""
    return published_deployments().prefetch_related(
        Prefetch("evidence", queryset=published_evidence()),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.published().prefetch_related(
                Prefetch("evidence", queryset=published_evidence())
            ),
        ),
    )


class ForceListView(ListView):
    template_name = "register/force_list.html"
    context_object_name = "forces"

    def get_queryset(self):
        return Force.objects.published().annotate(
            deployment_total=Count("deployments", filter=Q(deployments__in=Deployment.objects.published()))
        )


class ForceDetailView(DetailView):
    template_name = "register/force_detail.html"
    context_object_name = "force"

    def get_queryset(self):
        return Force.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deployments = list(deployment_details().filter(force=self.object).order_by("tool__category", "tool__name"))
        labels = dict(ToolCategory.choices)
        by_category = {}
        for deployment in deployments:
            by_category.setdefault(labels[deployment.tool.category], []).append(deployment)
        context["deployments_by_category"] = by_category
        context["foi_requests"] = self.object.foi_requests.published().prefetch_related("exemptions")
        return context


class ToolListView(ListView):
    template_name = "register/tool_list.html"
    context_object_name = "tools"

    def get_queryset(self):
        return (
            Tool.objects.published()
            .select_related("supplier")
            .annotate(force_total=Count("deployments", filter=Q(deployments__in=Deployment.objects.published())))
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
                Prefetch("supplier__evidence", queryset=published_evidence()),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deployments"] = deployment_details().filter(tool=self.object).order_by("force__name")
        return context


class DeploymentListView(ListView):
    template_name = "register/deployment_list.html"
    context_object_name = "deployments"

    def get_queryset(self):
        return published_deployments().prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.published())
        )


class DeploymentDetailView(DetailView):
    template_name = "register/deployment_detail.html"
    context_object_name = "deployment"

    def get_object(self, queryset=None):
        return get_object_or_404(
            deployment_details(), force__slug=self.kwargs["force_slug"], tool__slug=self.kwargs["tool_slug"]
        )
