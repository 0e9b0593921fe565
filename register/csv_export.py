"""The CSV of /api/deployments/, read straight from the database.

`?format=csv` gives the JSON rows flattened (`core.renderers`). Through the
serializers, the whole register (20,000 deployments, 40,000 assessments and
their evidence) builds half a million model instances and takes half a minute.
Here the same rows come from `values_list()` queries, a chunk of deployments at a
time (the ids in order, then three queries a chunk): about 4 s for the whole
register on the benchmark's machine, with memory that stays flat. Repeated
exports come from the cache (`core.api`). Each row is shaped like the JSON
one, with nested assessments and evidence carrying the keys their CSV summaries
read; tests/test_api.py compares the two cell for cell.
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from core.api import url_maker
from core.partial_dates import PartialDate

from .models import Assessment, Deployment

CHUNK_SIZE = 2000

DEPLOYMENT_COLUMNS = (
    "id",
    "force__slug",
    "force__name",
    "tool__slug",
    "tool__name",
    "status",
    "started",
    "ended",
    *Deployment.DESCRIPTIVE_FIELDS,
    "is_published",
    "created_at",
    "updated_at",
)


def _grouped(rows) -> dict[int, list]:
    groups = defaultdict(list)
    for deployment_id, *item in rows:
        groups[deployment_id].append(item)
    return groups


def _partial_date(value: PartialDate | None) -> tuple[str | None, str | None]:
    """The date and its precision, as the API writes them."""
    return (value.isoformat(), value.precision.value) if value else (None, None)


def deployment_csv_rows(deployments: QuerySet, *, drafts: bool, request) -> Iterator[dict]:
    """The rows of `deployments` (filtered and ordered) as the API shows them,
    with the assessments and evidence the public (or, with `drafts`, a researcher) may see."""
    evidence_model = Deployment.evidence.rel.related_model
    # For the public, the deployments are published: as in the API's prefetches.
    assessments = Assessment.objects.all() if drafts else Assessment.objects.published_under_published()
    evidence = evidence_model.objects.all() if drafts else evidence_model.objects.published_under_published()
    api_url = url_maker(request, "api:deployment-detail", "pk")
    html_url = url_maker(request, "register:deployment-detail", "force_slug", "tool_slug")
    local_zone = timezone.get_current_timezone()

    def timestamp(moment: datetime.datetime) -> str:
        # As DRF's DateTimeField writes it, without its per-call settings look-ups.
        text = moment.astimezone(local_zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    # The ids in the export's order first (small), then each chunk's rows by id:
    # cheaper than a server-side cursor over the sorted rows, and as flat in memory.
    ordered_ids = list(deployments.prefetch_related(None).values_list("pk", flat=True))
    for ids in itertools.batched(ordered_ids, CHUNK_SIZE):
        rows = Deployment.objects.filter(pk__in=ids).order_by().values_list(*DEPLOYMENT_COLUMNS)
        by_id = {row[0]: row for row in rows}
        chunk = [by_id[pk] for pk in ids]
        # The orders of the API's prefetches: assessments by kind and date, evidence by source.
        assessments_of = _grouped(
            assessments.filter(deployment_id__in=ids)
            .order_by("deployment_id", "kind", "conducted", "pk")
            .values_list("deployment_id", "kind", "result")
        )
        evidence_of = _grouped(
            evidence.filter(deployment_id__in=ids)
            .order_by("deployment_id", "foi_request_id", "question_number", "pk")
            .values_list(
                "deployment_id",
                "foi_request_id",
                "foi_request__reference",
                "foi_request__title",
                "question_number",
                "document_title",
                "document_url",
            )
        )
        for pk, force, force_name, tool, tool_name, status, started, ended, *rest in chunk:
            *descriptive, is_published, created_at, updated_at = rest
            started, started_precision = _partial_date(started)
            ended, ended_precision = _partial_date(ended)
            yield {
                "url": api_url(pk),
                "html_url": html_url(force, tool),
                "id": pk,
                "force": force,
                "force_name": force_name,
                "tool": tool,
                "tool_name": tool_name,
                "status": status,
                "started": started,
                "started_precision": started_precision,
                "ended": ended,
                "ended_precision": ended_precision,
                **dict(zip(Deployment.DESCRIPTIVE_FIELDS, descriptive, strict=True)),
                "assessments": [{"kind": kind, "result": result} for kind, result in assessments_of[pk]],
                "evidence": [
                    {
                        "source_label": evidence_model.label_source(
                            (reference or title) if foi_request_id else None, question, document_title, document_url
                        )
                    }
                    for foi_request_id, reference, title, question, document_title, document_url in evidence_of[pk]
                ],
                "is_published": is_published,
                "created_at": timestamp(created_at),
                "updated_at": timestamp(updated_at),
            }
