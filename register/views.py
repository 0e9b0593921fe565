"""Public pages for forces, tools and deployments. Everything starts from
`published()`: drafts never reach the public (staff preview them: `core.previews`)."""

import hashlib
import logging

from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.generic import DetailView

from core.addresses import FormerSlugRedirectMixin, current_slug
from core.list_views import FacetedListView
from core.previews import DraftPreviewMixin, readable

from .filters import SAFEGUARD_STATE_FILTERS, DeploymentFilter, ForceFilter, SupplierFilter, ToolFilter
from .models import (
    Assessment,
    Deployment,
    Evidence,
    Force,
    Source,
    SourceKind,
    Supplier,
    Tool,
    read_safeguard_states,
)
from .originals import content_type, download_name, text_charset

logger = logging.getLogger(__name__)


def published_evidence(*, of_published_records: bool = True):
    """Published evidence, with its source, ready to prefetch onto records known
    to be published (or, with `of_published_records=False`, onto any record)."""
    evidence = Evidence.objects
    queryset = evidence.published_under_published() if of_published_records else evidence.published()
    return queryset.select_related("source")


def published_deployments():
    return Deployment.objects.published().select_related("force", "tool", "tool__supplier")


def deployment_details(deployments=None):
    """Deployments (by default the published ones) with their published assessments, their
    safeguards' states and all the evidence a detail page shows, in a fixed number of queries."""
    if deployments is None:
        deployments = Deployment.objects.published()
    return (
        deployments.select_related("force", "tool", "tool__supplier")
        .with_safeguard_states()
        .prefetch_related(
            Prefetch("evidence", queryset=published_evidence()),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.published_under_published().prefetch_related(
                    Prefetch("evidence", queryset=published_evidence())
                ),
            ),
        )
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
            # Which facts have a published quote: a value without one reads "Not disclosed".
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.published_under_published().only("tool_id", "field"))
            )
            .order_by("name", "pk")
        )


class ToolDetailView(FormerSlugRedirectMixin, DraftPreviewMixin, DetailView):
    template_name = "register/tool_detail.html"
    context_object_name = "tool"

    def get_queryset(self):
        return (
            readable(self.request, Tool.objects)
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
    data_files = (
        *FacetedListView.data_files,
        ("atrs", "csv", "ATRS records (CSV)"),
        ("atrs", "jsonl", "ATRS records (JSON Lines)"),
    )
    # Tools are many: a tool's page links here with ?tool=<slug> instead.
    facet_names = [
        "category",
        "status",
        "force",
        "nation",
        "supplier",
        "technique",
        "origin",
        # The state of each safeguard: `has_dpia` and the other yes/no filters are two of
        # its values (conducted, not conducted), still accepted here and in the API.
        *SAFEGUARD_STATE_FILTERS,
    ]
    input_names = ["started_from", "started_to"]

    def get_base_queryset(self):
        return published_deployments().prefetch_related(
            # Each safeguard's state with its date and quote, one click away.
            Prefetch(
                "assessments",
                queryset=Assessment.objects.published_under_published().prefetch_related(
                    Prefetch("evidence", queryset=published_evidence())
                ),
            ),
            Prefetch("evidence", queryset=published_evidence()),  # a value shows only with its quote
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The safeguards' states of this page's rows only (a filter on a state computes it in SQL).
        read_safeguard_states(context["object_list"])
        return context


class DeploymentDetailView(FormerSlugRedirectMixin, DraftPreviewMixin, DetailView):
    """Addressed by its force's and its tool's slugs: a slug either had before redirects."""

    template_name = "register/deployment_detail.html"
    context_object_name = "deployment"
    preview_parts = ("force", "tool")

    def get_object(self, queryset=None):
        return get_object_or_404(
            deployment_details(readable(self.request, Deployment.objects)),
            force__slug=self.kwargs["force_slug"],
            tool__slug=self.kwargs["tool_slug"],
        )

    def moved_address(self) -> str:
        asked = (self.kwargs["force_slug"], self.kwargs["tool_slug"])
        now = (
            current_slug(readable(self.request, Force.objects), asked[0]),
            current_slug(readable(self.request, Tool.objects), asked[1]),
        )
        if None in now or now == asked:
            return ""
        deployments = readable(self.request, Deployment.objects)
        if not deployments.filter(force__slug=now[0], tool__slug=now[1]).exists():
            return ""
        return reverse("register:deployment-detail", args=now)


def published_tool_condition():
    """Counting only the published tools of a supplier."""
    return Tool.objects.published_condition("tools__")


class SupplierListView(FacetedListView):
    template_name = "register/supplier_list.html"
    context_object_name = "suppliers"
    filterset_class = SupplierFilter
    api_resource = "suppliers"
    noun_plural = "suppliers"
    noun_singular = "supplier"

    def get_base_queryset(self):
        using = Deployment.objects.published_condition("tools__deployments__")
        return (
            Supplier.objects.published()
            .select_related("force")
            .annotate(
                tool_total=Count("tools", filter=published_tool_condition(), distinct=True),
                force_total=Count("tools__deployments__force", filter=using, distinct=True),
            )
            .order_by("name", "pk")
        )


class SupplierDetailView(FormerSlugRedirectMixin, DraftPreviewMixin, DetailView):
    """A supplier's tools and which forces use which of them (published only, drafts
    previewed by staff: `core.previews`)."""

    template_name = "register/supplier_detail.html"
    context_object_name = "supplier"

    def get_queryset(self):
        return (
            readable(self.request, Supplier.objects)
            .select_related("force")
            .prefetch_related(Prefetch("evidence", queryset=published_evidence()))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tools = (
            Tool.objects.published()
            .filter(supplier=self.object)
            .annotate(force_total=Count("deployments", filter=published_deployment_condition()))
            .order_by("name", "pk")
        )
        context["tools"] = tools
        context["deployments"] = (
            published_deployments()
            .filter(tool__supplier=self.object)
            .prefetch_related(Prefetch("evidence", queryset=published_evidence()))
            .order_by("force__name", "tool__name")
        )
        context["in_house_force"] = self.object.force if self.object.force and self.object.force.is_published else None
        return context


def passage_evidence(source: Source):
    """The published evidence quoting a source, with what each passage supports (to mark it and link it)."""
    return (
        Evidence.objects.published()
        .filter(source=source)
        .select_related(
            "source",
            "tool",
            "supplier",
            "deployment__tool",
            "deployment__force",
            "assessment__deployment__tool",
            "assessment__deployment__force",
        )
    )


class SourceDetailView(DraftPreviewMixin, DetailView):
    """A published source: where it was published, its archived original, and its text with
    each passage quoted by a public fact marked (`#quote-<id>` opens the page at one).
    An FOI answer is read on its request's page, where it is marked the same way."""

    template_name = "register/source_detail.html"
    context_object_name = "source"
    preview_parts = ("force",)

    def get_queryset(self):
        return readable(self.request, Source.objects).select_related("force")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.kind == SourceKind.FOI_ANSWER:
            return redirect(self.object.url)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = passage_evidence(self.object)
        context["original_url"] = self.object.public_original_url
        return context


def original_etag(source: Source) -> str:
    """The public copy's ETag: the original's SHA-256; a redacted copy's is told apart by its stored name."""
    if source.redacted_original:
        return hashlib.sha256(f"{source.original_sha256}:{source.redacted_original.name}".encode()).hexdigest()
    return source.original_sha256


def source_original(request, pk: int):
    """The public copy of a published source's archived original (`Source.public_original`:
    the redacted copy, else the original once an editor checked it), streamed from the
    originals' storage, never from a public folder. 404 for anything else."""
    source = get_object_or_404(Source.objects.published(), pk=pk)
    public = source.public_original
    if public is None:
        raise Http404("No copy of this source's original is offered to the public.")
    etag = f'"{original_etag(source)}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    kind = content_type(public.name)
    try:
        if kind == "text/plain":
            kind = f"{kind}; charset={text_charset(public)}"
        handle = public.open("rb")
    except FileNotFoundError:
        logger.error("The archived original %s of source %s is missing from its storage.", public.name, source.pk)
        raise Http404("This source's original is missing from the archive.") from None
    # A page or a Word file is downloaded, never opened in the register's own origin.
    inline = kind.startswith(("application/pdf", "text/plain"))
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name(source, public.name, redacted=bool(source.redacted_original)),
        content_type=kind,
    )
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-cache"  # revalidated: an editor may withdraw it
    if not inline:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
