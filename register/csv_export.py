"""The CSV of /api/deployments/, read straight from the database.

`?format=csv` gives the JSON rows flattened (`core.renderers`). Through the
serializers, the whole register (20,000 deployments, 40,000 assessments and
their evidence) builds half a million model instances and takes half a minute.
Here the same rows come from `values_list()` queries, a chunk of deployments at a
time (the ids in order, then three queries a chunk): about 4 s for the whole
register on the benchmark's machine, with memory that stays flat. Repeated
exports come from the cache (`core.api`). Each row is shaped like the JSON
one, with nested assessments and evidence carrying the keys their CSV summaries
read; tests/test_api.py compares the two cell for cell. The columns follow the
deployment's declared public fields (`Deployment.PUBLIC_FIELDS`): a field added
there is exported with no edit here; then come the states of its safeguards, by the
rule the JSON rows follow in SQL (`safeguard_state`), from what was asked (one query
for the whole export) and each chunk's assessments.
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core.api import url_maker
from core.partial_dates import PartialDateField, Precision

from .models import (
    RESULT_STATES,
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    SafeguardState,
    ToolCategory,
    safeguard_state,
    safeguard_state_name,
    safeguards_asked,
)

CHUNK_SIZE = 2000

# How each public field is read and shown, as the serializer does: a related record as
# its slug, with its name beside it (`force`, `force_name`); a partial date as its text,
# with its precision beside it (`started`, `started_precision`); anything else as it is.
RELATED, PARTIAL_DATE, PLAIN = "related", "partial date", "plain"


def _kind(name: str) -> str:
    field = Deployment._meta.get_field(name)
    if field.is_relation:
        return RELATED
    return PARTIAL_DATE if isinstance(field, PartialDateField) else PLAIN


def stored_text(name: str) -> Cast:
    """A partial date's column as the text it is stored as ("2021-11"): the export writes that
    text, and reading it into a PartialDate (a regular expression) and back costs more than a row."""
    return Cast(name, output_field=CharField())


PUBLIC_FIELDS = tuple((name, _kind(name)) for name in Deployment.PUBLIC_FIELDS)
DEPLOYMENT_COLUMNS = (
    *(
        column
        for name, kind in PUBLIC_FIELDS
        for column in (
            (f"{name}__slug", f"{name}__name")
            if kind == RELATED
            else (stored_text(name),)
            if kind == PARTIAL_DATE
            else (name,)
        )
    ),
    *Deployment.PUBLICATION_FIELDS,
)
ID_COLUMN = DEPLOYMENT_COLUMNS.index("id")
# What a deployment's safeguards' states are read from, beside its public fields.
STATE_COLUMNS = ("force_id", "tool__category")

CATEGORY_LABELS = {value: str(label) for value, label in ToolCategory.choices}
STATUS_LABELS = {value: str(label) for value, label in DeploymentStatus.choices}
STATE_LABELS = {value: str(label) for value, label in SafeguardState.choices}

# The columns of the deployments' data file (the list page's download): each code with its
# label beside it, each date with its precision, and each kind of safeguard's state and date.
DEPLOYMENT_DOWNLOAD_COLUMNS = (
    "id",
    "html_url",
    "force",
    "force_name",
    "tool",
    "tool_name",
    "category",
    "category_label",
    "status",
    "status_label",
    "started",
    "started_precision",
    "ended",
    "ended_precision",
    *Deployment.DESCRIPTIVE_FIELDS,
    *(
        column
        for kind in SAFEGUARD_KINDS
        for column in (
            safeguard_state_name(kind),
            f"{safeguard_state_name(kind)}_label",
            f"{kind}_date",
            f"{kind}_date_precision",
        )
    ),
    "url",
    "updated_at",
)
DEPLOYMENT_DATE_COLUMNS = frozenset({"started", "ended", *(f"{kind}_date" for kind in SAFEGUARD_KINDS)})


def _grouped(rows) -> dict[int, list]:
    groups = defaultdict(list)
    for deployment_id, *item in rows:
        groups[deployment_id].append(item)
    return groups


# A partial date's precision from the length of its ISO text.
PRECISIONS = {4: Precision.YEAR.value, 7: Precision.MONTH.value, 10: Precision.DAY.value}


def _partial_date(text: str | None) -> tuple[str | None, str | None]:
    """The date and its precision, as the API writes them, from its stored text."""
    return (text, PRECISIONS[len(text)]) if text else (None, None)


def _public_cells(values) -> dict:
    """A deployment's public fields, and those derived beside them, from the values
    of their columns (DEPLOYMENT_COLUMNS up to the publication fields)."""
    cells = {}
    values = iter(values)
    for name, kind in PUBLIC_FIELDS:
        if kind == RELATED:
            cells[name] = next(values)
            cells[f"{name}_name"] = next(values)
        elif kind == PARTIAL_DATE:
            cells[name], cells[f"{name}_precision"] = _partial_date(next(values))
        else:
            cells[name] = next(values)
    return cells


def _safeguard_states(assessments: list, force_id: int, category: str, asked: set) -> dict[str, str]:
    """A deployment's state for each kind of safeguard, by the rule the JSON rows' SQL follows
    (`safeguard_state`), from its assessments (kind, result, published, date) and what was asked."""
    results = defaultdict(list)
    for kind, result, published, _ in assessments:
        if published and result in RESULT_STATES:
            results[kind].append(result)
    return {
        safeguard_state_name(kind): safeguard_state(results[kind], (force_id, category, kind) in asked).value
        for kind in SAFEGUARD_KINDS
    }


def _states_reader(asked: set):
    """`_safeguard_states` with the states and their labels as cells, remembered for each
    combination of results and of kinds asked: a few hundred for the whole register."""
    kinds_asked = defaultdict(set)
    for force_id, category, kind in asked:
        kinds_asked[force_id, category].add(kind)
    kinds_asked = {pair: frozenset(kinds) for pair, kinds in kinds_asked.items()}
    remembered = {}

    def states(assessments: list, force_id: int, category: str) -> dict[str, str]:
        results = frozenset(
            (kind, result) for kind, result, published, _ in assessments if published and result in RESULT_STATES
        )
        key = (results, kinds_asked.get((force_id, category), frozenset()))
        if key not in remembered:
            values = _safeguard_states(assessments, force_id, category, asked)
            remembered[key] = {**values, **{f"{name}_label": STATE_LABELS.get(state) for name, state in values.items()}}
        return remembered[key]

    return states


NO_SAFEGUARD_DATES = {name: None for kind in SAFEGUARD_KINDS for name in (f"{kind}_date", f"{kind}_date_precision")}


def safeguard_dates(assessments: list) -> dict[str, str | None]:
    """For each kind of safeguard, the date it was first conducted as far as the published
    assessments say (`dpia_date`, `dpia_date_precision`), from (kind, result, published, date)
    in date order; None where no conducted assessment of that kind gives a date."""
    if not any(result == AssessmentResult.CONDUCTED and date for _, result, _, date in assessments):
        return NO_SAFEGUARD_DATES  # most rows: none conducted with a date
    dates = {}
    for kind in SAFEGUARD_KINDS:
        conducted = [
            date
            for of_kind, result, published, date in assessments
            if of_kind == kind and published and result == AssessmentResult.CONDUCTED and date
        ]
        dates[f"{kind}_date"], dates[f"{kind}_date_precision"] = _partial_date(conducted[0] if conducted else None)
    return dates


def deployment_csv_rows(deployments: QuerySet, *, drafts: bool, request) -> Iterator[dict]:
    """The rows of `deployments` (filtered and ordered) as the API shows them,
    with the assessments and evidence the public (or, with `drafts`, a researcher) may see.
    For the public, the deployments are published: as in the API's prefetches."""
    # The ids in the export's order first (small), then each chunk's rows by id:
    # cheaper than a server-side cursor over the sorted rows, and as flat in memory.
    ordered_ids = list(deployments.prefetch_related(None).values_list("pk", flat=True))
    return deployment_rows(ordered_ids, drafts=drafts, request=request)


def deployment_rows(ordered_ids: Iterable[int], *, drafts: bool, request, with_evidence: bool = True) -> Iterator[dict]:
    """The rows of the deployments with these ids, in this order, in chunks of three queries
    (after one for what was asked, the costliest: once for all the rows): the API's CSV rows
    and, `with_evidence` off (its columns have none), the list page's data file."""
    assessments = Assessment.objects.all() if drafts else Assessment.objects.published_under_published()
    evidence = Evidence.objects.all() if drafts else Evidence.objects.published_under_published()
    api_url = url_maker(request, "api:deployment-detail", "pk")
    html_url = url_maker(request, "register:deployment-detail", "force_slug", "tool_slug")
    local_zone = timezone.get_current_timezone()

    def timestamp(moment: datetime.datetime) -> str:
        # As DRF's DateTimeField writes it, without its per-call settings look-ups.
        text = moment.astimezone(local_zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    # Which safeguards were asked of which force about which kind of tool: once for the rows.
    states_of = _states_reader(safeguards_asked())
    for ids in itertools.batched(ordered_ids, CHUNK_SIZE):
        rows = Deployment.objects.filter(pk__in=ids).order_by().values_list(*DEPLOYMENT_COLUMNS, *STATE_COLUMNS)
        by_id = {row[ID_COLUMN]: row for row in rows}
        chunk = [by_id[pk] for pk in ids]
        # The orders of the API's prefetches: assessments by kind and date, evidence by source.
        assessments_of = _grouped(
            assessments.filter(deployment_id__in=ids)
            .order_by("deployment_id", "kind", "conducted", "pk")
            .values_list("deployment_id", "kind", "result", "is_published", stored_text("conducted"))
        )
        evidence_of = (
            _grouped(
                evidence.filter(deployment_id__in=ids)
                .order_by("deployment_id", "source_id", "question_number", "pk")
                .values_list("deployment_id", "source__kind", "source__title", "source__url", "question_number")
            )
            if with_evidence
            else defaultdict(list)
        )
        for row in chunk:
            *public, is_published, created_at, updated_at, force_id, category = row
            cells = _public_cells(public)
            pk = cells["id"]
            states = states_of(assessments_of[pk], force_id, category)
            yield {
                "url": api_url(pk),
                "html_url": html_url(cells["force"], cells["tool"]),
                **cells,
                "assessments": [{"kind": kind, "result": result} for kind, result, *_ in assessments_of[pk]],
                **states,
                # Read by the list pages' data files (`DEPLOYMENT_DOWNLOAD_COLUMNS`), not the API's CSV.
                "category": category,
                "category_label": CATEGORY_LABELS.get(category),
                "status_label": STATUS_LABELS.get(cells["status"]),
                **safeguard_dates(assessments_of[pk]),
                "evidence": [
                    {"source_label": Evidence.label_source(kind, title, url, question)}
                    for kind, title, url, question in evidence_of[pk]
                ],
                "is_published": is_published,
                "created_at": timestamp(created_at),
                "updated_at": timestamp(updated_at),
            }
