"""Data files of a list page: every row its filters select, as CSV or JSON Lines, streamed.

A list page (`core.list_views.FacetedListView`) offers its rows as files people can
open in a spreadsheet or a notebook. The same FilterSet as the page selects them, on the
page's own queryset, so that a file holds exactly the rows the page counts. A table
(`DataTable`) says which columns a file has and how its rows are read, a chunk of records
at a time (the ids in the page's order first, then a fixed number of queries a chunk), so
that memory and query counts stay flat however many rows there are.

Cells are text people and programs read the same way: a code with its label beside it
(`status`, `status_label`), a date as text at its precision with the precision beside it
(`started` "2020-03", `started_precision` "month"), and a date the register does not
have as "Not disclosed" in a CSV (null in JSON Lines). A year alone, "2018", beside empty
cells is what spreadsheet tools read as the number 2018.0.
"""

import csv
import datetime
import io
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from .caching import cached_stream
from .renderers import PLAIN_CELLS, csv_header, csv_summaries, flatten_value, take

# Downloaded files are named after the register, the list and the day: files people keep
# side by side sort by day and still say where they came from.
REGISTER_FILE_NAME = "police-algorithmic-tools-register"
NOT_DISCLOSED = "Not disclosed"
CHUNK_SIZE = 500

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}


def download_name(part: str, extension: str, day: datetime.date) -> str:
    """The file name a download is saved under, e.g.
    "police-algorithmic-tools-register_deployments_2026-12-02.csv"."""
    return f"{REGISTER_FILE_NAME}_{part}_{day.isoformat()}.{extension}"


def csv_cell(value, *, is_date: bool = False, summary: Callable | None = None) -> str:
    """One CSV cell: a missing date reads "Not disclosed" (never an empty cell beside years,
    which pandas would read as floats); anything else as the API's CSV writes it."""
    if value is None and is_date:
        return NOT_DISCLOSED
    return flatten_value(value, summary)


@dataclass
class DataTable:
    """The columns of a data file and how its rows are read.

    `rows(ids, request)` gives the rows of the records with these ids (one chunk, in this
    order), each a dict with at least `columns`; `date_columns` are those holding dates.
    `summaries` say how a list in a cell is written in a CSV (JSON Lines keeps the list).
    `json_rows`, where given, gives the JSON Lines records whole (nested) instead of the
    CSV's rows. With `reads_chunks`, `rows` is given every id at once (an iterator) and reads
    them a chunk at a time itself: for rows that need something read once for all chunks."""

    part: str
    columns: Sequence[str]
    rows: Callable[[Sequence[int], object], Iterable[dict]]
    date_columns: frozenset[str] = frozenset()
    summaries: dict = field(default_factory=dict)
    chunk_size: int = CHUNK_SIZE
    json_rows: Callable[[Sequence[int], object], Iterable[dict]] | None = None
    reads_chunks: bool = False


def table_rows(table: DataTable, ids: Iterable[int], request, fmt: str = "csv") -> Iterator[dict]:
    """The rows of the records with these ids, in order, a chunk at a time."""
    read = table.json_rows if fmt == "jsonl" and table.json_rows else table.rows
    if table.reads_chunks and read is table.rows:
        yield from read(ids, request)
        return
    for chunk in itertools.batched(ids, table.chunk_size):
        yield from read(chunk, request)


def stream_csv(table: DataTable, rows: Iterable[dict]) -> Iterator[str]:
    """The header, then the rows as CSV lines, five hundred lines a piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    yield take(buffer)
    columns = list(table.columns)
    cells_of = operator.itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
    dates = [index for index, name in enumerate(columns) if name in table.date_columns]
    for chunk in itertools.batched(rows, 500):
        lines = []
        for row in chunk:
            try:
                cells = list(cells_of(row))
            except KeyError:
                cells = [row.get(name) for name in columns]
            if PLAIN_CELLS.issuperset(map(type, cells)):
                for index in dates:
                    if cells[index] is None:
                        cells[index] = NOT_DISCLOSED
            else:
                cells = [
                    csv_cell(value, is_date=name in table.date_columns, summary=table.summaries.get(name))
                    for name, value in zip(columns, cells, strict=True)
                ]
            lines.append(cells)
        writer.writerows(lines)
        yield take(buffer)


def stream_jsonl(table: DataTable, rows: Iterable[dict]) -> Iterator[str]:
    """One JSON object a line (JSON Lines): the table's columns in order, or its whole records."""

    def record(row: dict) -> dict:
        return row if table.json_rows else {name: row.get(name) for name in table.columns}

    for chunk in itertools.batched(rows, 100):
        yield "".join(json.dumps(record(row), cls=JSONEncoder, ensure_ascii=False) + "\n" for row in chunk)


STREAMS = {"csv": stream_csv, "jsonl": stream_jsonl}


def serializer_table(part: str, serializer_class, queryset: Callable) -> DataTable:
    """A table of an API resource's rows (its serializer's fields, the resource's one
    shape), with a `<name>_label` column beside each field holding a code of a vocabulary.
    `queryset()` gives the resource's published records with what they embed."""
    serializer = serializer_class(context={"request": None})
    labelled = {
        name: dict(field.choices)
        for name, field in serializer.fields.items()
        if isinstance(field, serializers.ChoiceField) and not isinstance(field, serializers.MultipleChoiceField)
    }
    columns = []
    for name in csv_header(serializer):
        columns.append(name)
        if name in labelled:
            columns.append(f"{name}_label")
    date_columns = frozenset(
        name for name, field in serializer.fields.items() if isinstance(field, serializers.DateField)
    )

    def rows(ids: Sequence[int], request) -> Iterator[dict]:
        by_id = queryset().in_bulk(ids)
        records = [by_id[pk] for pk in ids if pk in by_id]
        for data in serializer_class(records, many=True, context={"request": request}).data:
            row = dict(data)
            for name, labels in labelled.items():
                row[f"{name}_label"] = str(labels.get(row.get(name), "")) or None
            yield row

    return DataTable(part, columns, rows, date_columns, csv_summaries(serializer))


class DataFileView(View):
    """The rows of a list page, selected by its filters (the query string the page was
    read with), as a file: `table` one of `tables`, `fmt` "csv" or "jsonl".

    A filter value the FilterSet cannot read is a 400 naming the filter and the reason
    (the page itself leaves it out, and its links never carry one)."""

    list_view = None  # the FacetedListView whose rows these are
    tables: dict[str, DataTable] = {}

    def get(self, request, table: str, fmt: str):
        data_table = self.tables[table]
        page = self.list_view()
        page.setup(request)
        queryset = page.get_queryset()
        if page.filterset.errors:
            return JsonResponse({name: list(errors) for name, errors in page.filterset.errors.items()}, status=400)
        # The ids in the page's order, read a chunk at a time (a server-side cursor on
        # PostgreSQL), then each chunk's rows in a fixed number of queries: flat in memory.
        ids = queryset.prefetch_related(None).values_list("pk", flat=True)
        stream = STREAMS[fmt]

        def produce():
            return stream(
                data_table, table_rows(data_table, ids.iterator(chunk_size=data_table.chunk_size), request, fmt)
            )

        pieces = cached_stream(f"data-file:{table}", (request.build_absolute_uri(), fmt), produce)
        response = StreamingHttpResponse(pieces, content_type=FORMATS[fmt])
        name = download_name(data_table.part, fmt, timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
