"""The record a correction is about, named in a link as `<kind>:<id>` (`?record=tool:12`).

Only a published record can be named: a draft's existence is not the public's to learn,
so an unknown, draft or malformed reference reads the same as none.
"""

from django.db import models

from foi_requests.models import FoiRequest
from register.models import Deployment, Force, Source, Supplier, Tool

# Each kind of record a detail page shows, by the word used in links.
RECORD_KINDS: dict[str, type[models.Model]] = {
    "force": Force,
    "supplier": Supplier,
    "tool": Tool,
    "deployment": Deployment,
    "foi-request": FoiRequest,
    "source": Source,
}
RECORD_KIND_LABELS = {
    "force": "Force",
    "supplier": "Supplier",
    "tool": "Tool",
    "deployment": "Deployment",
    "foi-request": "FOI request",
    "source": "Source",
}
# Far beyond any row's id: a longer number is not one the database is asked about.
MAX_ID_DIGITS = 18


def parse_reference(value: str) -> tuple[str, int] | None:
    """("tool", 12) from "tool:12"; None for anything else."""
    kind, _, number = (value or "").strip().partition(":")
    if kind not in RECORD_KINDS or not (number.isascii() and number.isdigit()) or len(number) > MAX_ID_DIGITS:
        return None
    return kind, int(number)


def find_record(value: str) -> models.Model | None:
    """The published record a reference names, or None."""
    parsed = parse_reference(value)
    if parsed is None:
        return None
    kind, pk = parsed
    records = RECORD_KINDS[kind].objects.published()
    if kind == "deployment":
        records = records.select_related("force", "tool")
    elif kind == "foi-request":
        records = records.select_related("force")
    return records.filter(pk=pk).first()


def reference(record: models.Model) -> str:
    """The reference of a record, e.g. "tool:12" for the tool whose id is 12."""
    for kind, model in RECORD_KINDS.items():
        if isinstance(record, model):
            return f"{kind}:{record.pk}"
    raise ValueError(f"Corrections cannot name a {type(record).__name__}.")


def label(record: models.Model) -> str:
    """How the record is named on its page, e.g. "QlikView" or "FOI request 855A/22 to West Midlands Police"."""
    if isinstance(record, FoiRequest):
        return f"FOI request {record.reference or record.title} to {record.force.name}"
    if isinstance(record, Source):
        return record.label
    return str(record)
