"""The data files of the register's lists (deployments, tools, forces, suppliers), their
evidence in long form, and the deployments as ATRS records (`register.atrs`).

Every file holds exactly the rows its list page's filters select (`core.downloads`), from
published records and published evidence only, whoever asks.
"""

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from core.api import url_maker
from core.downloads import DataFileView, DataTable, csv_cell, download_name, serializer_table

from .api import EvidenceViewSet, ForceViewSet, SupplierViewSet, ToolViewSet
from .atrs import ATRS_COLUMNS, atrs_record, atrs_row
from .csv_export import CHUNK_SIZE, DEPLOYMENT_DATE_COLUMNS, DEPLOYMENT_DOWNLOAD_COLUMNS, deployment_rows
from .models import Deployment, Evidence
from .serializers import ForceSerializer, SupplierSerializer, ToolSerializer
from .views import (
    DeploymentListView,
    ForceListView,
    SupplierListView,
    ToolListView,
    deployment_details,
    published_evidence,
)

# ---- Evidence in long form: one row per published quote -------------------------------------

EVIDENCE_COLUMNS = (
    "record_kind",
    "record",
    "record_url",
    "fact",
    "fact_label",
    "quote",
    "question_number",
    "source",
    "source_kind",
    "source_date",
    "source_url",
    "original_url",
    "archived_original_url",
)


def evidence_row(evidence: Evidence, absolute) -> dict:
    """One quote as a row: the record and fact it supports, the quote, and its source."""
    source = evidence.source
    record = evidence.target
    return {
        "record_kind": type(record)._meta.model_name,
        "record": str(record),
        "record_url": absolute(evidence.target_url) if evidence.target_url else None,
        "fact": evidence.field,
        "fact_label": evidence.field_label or "The record itself",
        "quote": evidence.quote,
        "question_number": evidence.question_number,
        "source": source.label,
        "source_kind": source.kind,
        "source_date": source.dated.isoformat() if source.dated else None,
        "source_url": absolute(evidence.passage_url),
        "original_url": source.original_address or None,
        "archived_original_url": absolute(source.public_original_url) if source.public_original_url else None,
    }


def evidence_table(part: str, paths: Sequence[str]) -> DataTable:
    """The published quotes about the listed records, the records' order kept: `paths` lead
    from a quote to the id of the listed record it is about (a deployment's own quotes, then
    its assessments')."""

    def rows(ids: Sequence[int], request) -> Iterator[dict]:
        absolute = request.build_absolute_uri
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__in": ids})
        owner = Coalesce(*paths) if len(paths) > 1 else F(paths[0])
        evidence = (
            Evidence.objects.published()
            .filter(condition)
            .annotate(listed=owner)
            .select_related(*EvidenceViewSet.RELATED)
            .order_by("source_id", "question_number", "pk")
        )
        of_record = defaultdict(list)
        for item in evidence:
            of_record[item.listed].append(item)
        for pk in ids:
            for item in of_record[pk]:
                yield evidence_row(item, absolute)

    return DataTable(f"{part}-evidence", EVIDENCE_COLUMNS, rows, date_columns=frozenset({"source_date"}))


# ---- The lists' own rows -----------------------------------------------------------------------


def deployment_table() -> DataTable:
    def rows(ids: Iterable[int], request) -> Iterator[dict]:
        return deployment_rows(ids, drafts=False, request=request, with_evidence=False)

    # Every id at once: the rows read what was asked of the forces once, then go a chunk at a time.
    return DataTable(
        "deployments", DEPLOYMENT_DOWNLOAD_COLUMNS, rows, date_columns=DEPLOYMENT_DATE_COLUMNS, reads_chunks=True
    )


def atrs_details(deployments):
    """What an ATRS record reads, in a fixed number of queries: also the tool's published quotes."""
    return deployment_details(deployments).prefetch_related(Prefetch("tool__evidence", queryset=published_evidence()))


def atrs_records(ids: Sequence[int], request) -> Iterator[dict]:
    page_url = url_maker(request, "register:deployment-detail", "force_slug", "tool_slug")
    api_url = url_maker(request, "api:deployment-detail", "pk")
    by_id = atrs_details(Deployment.objects.published().filter(pk__in=ids)).in_bulk()
    for pk in ids:
        if (deployment := by_id.get(pk)) is not None:
            yield atrs_record(
                deployment,
                page_url=page_url(deployment.force.slug, deployment.tool.slug),
                api_url=api_url(pk),
            )


def atrs_table() -> DataTable:
    def rows(ids: Sequence[int], request) -> Iterator[dict]:
        for record in atrs_records(ids, request):
            yield atrs_row(record)

    return DataTable("deployments-atrs", ATRS_COLUMNS, rows, chunk_size=CHUNK_SIZE, json_rows=atrs_records)


def tables(part: str, serializer_class, viewset_class, evidence_paths: Sequence[str]) -> dict[str, DataTable]:
    """A list's data file (its API resource's rows, labels beside codes) and its evidence."""
    return {
        "data": serializer_table(part, serializer_class, lambda: viewset_class().published_queryset()),
        "evidence": evidence_table(part, evidence_paths),
    }


class DeploymentDataFiles(DataFileView):
    list_view = DeploymentListView
    tables = {
        "data": deployment_table(),
        "evidence": evidence_table("deployments", ("deployment_id", "assessment__deployment_id")),
        "atrs": atrs_table(),
    }


class ToolDataFiles(DataFileView):
    list_view = ToolListView
    # A tool's own quotes, then those about its use by each force.
    tables = tables(
        "tools", ToolSerializer, ToolViewSet, ("tool_id", "deployment__tool_id", "assessment__deployment__tool_id")
    )


class ForceDataFiles(DataFileView):
    list_view = ForceListView
    tables = tables(
        "forces", ForceSerializer, ForceViewSet, ("deployment__force_id", "assessment__deployment__force_id")
    )


class SupplierDataFiles(DataFileView):
    list_view = SupplierListView
    tables = tables("suppliers", SupplierSerializer, SupplierViewSet, ("supplier_id", "tool__supplier_id"))


# ---- One deployment as an ATRS record ------------------------------------------------------------


def deployment_atrs(request, force_slug: str, tool_slug: str, fmt: str):
    """/deployments/<force>/<tool>/atrs.json or .csv: the published deployment as an ATRS record."""
    deployment = get_object_or_404(
        atrs_details(Deployment.objects.published()), force__slug=force_slug, tool__slug=tool_slug
    )
    record = atrs_record(
        deployment,
        page_url=request.build_absolute_uri(deployment.get_absolute_url()),
        api_url=request.build_absolute_uri(reverse("api:deployment-detail", args=[deployment.pk])),
    )
    name = download_name(f"atrs_{force_slug}_{tool_slug}", fmt, timezone.localdate())
    if fmt == "json":
        body = json.dumps(record, cls=JSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        row = atrs_row(record)
        writer.writerow(ATRS_COLUMNS)
        writer.writerow([csv_cell(row[name]) for name in ATRS_COLUMNS])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
