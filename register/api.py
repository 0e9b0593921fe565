"""The API resources for forces, suppliers, tools, deployments, assessments and evidence.

Each starts from `published()` for the public; researchers with the model's
view or change permission also see drafts. Filtering uses the same FilterSets
as the HTML lists (`register/filters.py`).
"""

from django.db.models import Prefetch

from core.api import RecordViewSet

from .csv_export import deployment_csv_rows
from .filters import AssessmentFilter, DeploymentFilter, EvidenceFilter, ForceFilter, SupplierFilter, ToolFilter
from .models import Assessment, Deployment, Evidence, Force, Supplier, Tool, read_safeguard_states
from .serializers import (
    AssessmentSerializer,
    DeploymentSerializer,
    EvidenceRecordSerializer,
    ForceSerializer,
    SupplierSerializer,
    ToolSerializer,
)


def evidence_queryset(*, drafts: bool):
    """Evidence to embed in records the reader may see, with its source. The
    public's records are published: of the evidence, its source is left to check."""
    queryset = Evidence.objects.all() if drafts else Evidence.objects.published_under_published()
    return queryset.select_related("source")


class ForceViewSet(RecordViewSet):
    """UK police forces and law-enforcement bodies, addressed by slug.

    Each force is also the public authority its FOI requests go to; `foi_act`
    says which law it answers under.
    """

    serializer_class = ForceSerializer
    filterset_class = ForceFilter
    lookup_field = "slug"

    def published_queryset(self):
        return Force.objects.published()

    def all_queryset(self):
        return Force.objects.all()


class SupplierViewSet(RecordViewSet):
    """Who makes the tools: companies, or a team inside a force (`force` set)."""

    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    lookup_field = "slug"

    def published_queryset(self):
        return (
            Supplier.objects.published()
            .select_related("force")
            .prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=False)))
        )

    def all_queryset(self):
        return Supplier.objects.select_related("force").prefetch_related(
            Prefetch("evidence", queryset=evidence_queryset(drafts=True))
        )


class ToolViewSet(RecordViewSet):
    """Algorithmic systems and products, whatever force uses them, addressed by slug.

    `?force=<slug>` gives the tools a force uses.
    """

    serializer_class = ToolSerializer
    filterset_class = ToolFilter
    lookup_field = "slug"

    def published_queryset(self):
        return (
            Tool.objects.published()
            .select_related("supplier")
            .prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=False)))
        )

    def all_queryset(self):
        return Tool.objects.select_related("supplier").prefetch_related(
            Prefetch("evidence", queryset=evidence_queryset(drafts=True))
        )


def deployments_with_details(queryset, *, drafts: bool, states_in_rows: bool = True):
    """With `states_in_rows`, the safeguards' states in the rows' own query (for every row read);
    without, a page reads its own (`read_safeguard_states`)."""
    assessments = Assessment.objects.all() if drafts else Assessment.objects.published_under_published()
    if states_in_rows:
        queryset = queryset.with_safeguard_states()
    return queryset.select_related("force", "tool").prefetch_related(
        Prefetch("evidence", queryset=evidence_queryset(drafts=drafts)),
        Prefetch(
            "assessments",
            queryset=assessments.prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=drafts))),
        ),
    )


class DeploymentViewSet(RecordViewSet):
    """One force's use of one tool, addressed by id: status, dates with their
    precision, purpose, its assessments and the evidence for each fact."""

    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilter

    def published_queryset(self):
        return deployments_with_details(Deployment.objects.published(), drafts=False, states_in_rows=self.is_one_record)

    def all_queryset(self):
        return deployments_with_details(Deployment.objects.all(), drafts=True, states_in_rows=self.is_one_record)

    @property
    def is_one_record(self) -> bool:
        return self.action != "list"

    def paginate_queryset(self, queryset):
        # A list computes the states of its page only: in the rows' query, SQLite would
        # compute them for every row the filters select before cutting the page.
        page = super().paginate_queryset(queryset)
        if page is not None:
            read_safeguard_states(page)
        return page

    def csv_rows(self, queryset):
        return deployment_csv_rows(queryset, drafts=self.shows_drafts, request=self.request)


class AssessmentViewSet(RecordViewSet):
    """Safeguards on deployments (DPIA, equality assessment, bias testing...), addressed by id."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def published_queryset(self):
        return (
            Assessment.objects.published()
            .select_related("deployment__force", "deployment__tool")
            .prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=False)))
        )

    def all_queryset(self):
        return Assessment.objects.select_related("deployment__force", "deployment__tool").prefetch_related(
            Prefetch("evidence", queryset=evidence_queryset(drafts=True))
        )


class EvidenceViewSet(RecordViewSet):
    """The passages of sources that support the register's facts, addressed by id: the quote,
    the fact it supports, and where it sits in its source's text (W3C Web Annotation
    selectors), with a link to the source's page opened at it.

    The public reads the evidence of published records from published sources. A write's
    quote must appear in its source's text (a 400 on `quote` naming both otherwise)."""

    serializer_class = EvidenceRecordSerializer
    filterset_class = EvidenceFilter

    RELATED = (
        "source",
        "tool",
        "supplier",
        "deployment__force",
        "deployment__tool",
        "assessment__deployment__force",
        "assessment__deployment__tool",
    )

    def published_queryset(self):
        return Evidence.objects.published().select_related(*self.RELATED)

    def all_queryset(self):
        return Evidence.objects.select_related(*self.RELATED)
