"""The CSV format of the API: `?format=csv` gives the JSON rows flattened.

Kept apart from `core.api` because DRF imports renderers while it starts.
"""

import csv
import io
import itertools
import json
import operator
from collections.abc import Iterable, Iterator
from typing import Any

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder


def flatten_value(value: Any, summary=None) -> str:
    """One CSV cell: lists joined with "; ", empty values as empty cells."""
    if isinstance(value, str):  # most cells, first: an export flattens millions
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(flatten_value(summary(item) if summary else item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)
    return str(value)


def csv_header(serializer: serializers.Serializer) -> list[str]:
    return [name for name, field in serializer.fields.items() if not field.write_only]


def csv_row(data: dict, header: list[str], summaries: dict) -> list[str]:
    return [flatten_value(data.get(name), summaries.get(name)) for name in header]


def csv_summaries(serializer: serializers.Serializer) -> dict:
    """How a serializer's nested lists become one cell (Meta.csv_summaries)."""
    return getattr(getattr(serializer, "Meta", None), "csv_summaries", {})


class CSVRenderer(BaseRenderer):
    """`?format=csv`: the JSON rows flattened, one header row. Nested lists
    (assessments, evidence, exemptions) become one cell of "; "-joined items."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        view = (renderer_context or {}).get("view")
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
        rows = [row for row in rows if isinstance(row, dict)]
        # Rows of a resource follow its serializer; anything else (OPTIONS metadata) its own keys.
        request = (renderer_context or {}).get("request")
        is_metadata = request is not None and request.method == "OPTIONS"
        serializer = view.get_serializer() if hasattr(view, "get_serializer") and not is_metadata else None
        header = csv_header(serializer) if serializer is not None else list(rows[0]) if rows else []
        summaries = csv_summaries(serializer) if serializer is not None else {}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow(csv_row(row, header, summaries))
        return buffer.getvalue().encode(self.charset)


def serialized_rows(serializer_class, objects: Iterable, context: dict, chunk_size: int) -> Iterator[dict]:
    """The JSON rows of `objects`, a chunk at a time, so a large export keeps memory
    flat; one serializer per chunk, since building its fields costs more than a row."""
    for chunk in itertools.batched(objects, chunk_size):
        yield from serializer_class(chunk, many=True, context=context).data


# Cells the csv module writes as `flatten_value` would (text, whole numbers, nothing as an
# empty cell): only the others are converted, without a call per cell.
PLAIN_CELLS = frozenset({str, int, type(None)})


def stream_csv(serializer: serializers.Serializer, rows: Iterable[dict], chunk_size: int) -> Iterator[str]:
    """The header of `serializer`'s fields, then `rows` (shaped like its JSON), a chunk of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = csv_header(serializer)
    summaries = csv_summaries(serializer)
    writer.writerow(header)
    yield take(buffer)
    cells_of = operator.itemgetter(*header) if len(header) > 1 else lambda row: (row[header[0]],)
    for chunk in itertools.batched(rows, chunk_size):
        lines = []
        for row in chunk:
            try:
                cells = list(cells_of(row))
            except KeyError:
                cells = [row.get(name) for name in header]
            for index, value in enumerate(cells):
                if value.__class__ not in PLAIN_CELLS:
                    cells[index] = flatten_value(value, summaries.get(header[index]))
            lines.append(cells)
        writer.writerows(lines)
        yield take(buffer)


def take(buffer: io.StringIO) -> str:
    """What was written to `buffer`, which is emptied."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
