"""Citing one record: its permanent address and its citation as plain text, BibTeX,
RIS and CSL-JSON.

A record's page address carries its slug, which an editor may change; its permanent
address, `/r/<kind>/<id>/`, carries its id and redirects to wherever the page is now.
A citation names that address, the date of the record's last change and the date the
reader retrieved it, as a web resource is cited. Imports no model: the kinds are
named by their model's label.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

REGISTER_NAME = "Police algorithmic tools register"
# The file names of downloads start with it.
REGISTER_FILE_PREFIX = "police-algorithmic-tools-register"

# The records with a permanent address: the kind in the address, and the model (by label).
CITABLE_KINDS = {
    "force": "register.force",
    "supplier": "register.supplier",
    "tool": "register.tool",
    "deployment": "register.deployment",
    "source": "register.source",
    "foi-request": "foi_requests.foirequest",
}
KIND_OF_MODEL = {label: kind for kind, label in CITABLE_KINDS.items()}

# The download formats: suffix → (content type, label).
CITATION_FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "BibTeX"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "RIS"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"),
}


def citable_kind(record) -> str | None:
    """The kind in a record's permanent address, None for a record without one."""
    return KIND_OF_MODEL.get(record._meta.label_lower)


@dataclass(frozen=True)
class Citation:
    """What a citation of one record says."""

    title: str
    kind: str  # "tool", "foi-request"...
    kind_label: str  # "Tool", "FOI request"...
    record_id: int
    url: str  # the permanent address, absolute
    updated: datetime.date  # the record's last change
    retrieved: datetime.date  # the day the reader read it

    @property
    def key(self) -> str:
        """The citation key and the downloads' file name: the register's name, the kind and the id."""
        return f"{REGISTER_FILE_PREFIX}-{self.kind}-{self.record_id}"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def citation_text(citation: Citation) -> str:
    """The plain text citation, e.g. `Police algorithmic tools register (2026) “IOM Model”
    [Tool]. Last updated 3 March 2026. https://…/r/tool/12/ (retrieved 2 December 2026).`"""
    return (
        f"{REGISTER_NAME} ({citation.updated.year}) “{citation.title}” [{citation.kind_label}]. "
        f"Last updated {long_date(citation.updated)}. {citation.url} (retrieved {long_date(citation.retrieved)})."
    )


# BibTeX's special characters, each as LaTeX writes it literally.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in BIBTEX_ESCAPES))


def bibtex_escape(text: str) -> str:
    """`text` as literal BibTeX field content (one pass, so an escape is never escaped again)."""
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES[match.group(0)], text)


def citation_bibtex(citation: Citation) -> str:
    """A `@misc` entry (biblatex reads `url` and `urldate`; plain BibTeX, `howpublished` and `note`).
    The address is left unescaped in `url`, as the url package expects."""
    fields = [
        # Double braces: the register is a corporate author, never split into first and last names.
        ("author", f"{{{bibtex_escape(REGISTER_NAME)}}}"),
        ("title", bibtex_escape(f"{citation.title} [{citation.kind_label}]")),
        ("year", str(citation.updated.year)),
        ("date", citation.updated.isoformat()),
        ("howpublished", f"\\url{{{citation.url}}}"),
        ("url", citation.url),
        ("urldate", citation.retrieved.isoformat()),
        ("note", f"Last updated {long_date(citation.updated)}; retrieved {long_date(citation.retrieved)}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation.key},\n{body}\n}}\n"


def ris_line(tag: str, value: str) -> str:
    # RIS: a two-letter tag, two spaces, a hyphen, a space, the value; no line breaks within it.
    return f"{tag}  - {' '.join(value.split())}"


def citation_ris(citation: Citation) -> str:
    """An RIS record of type ELEC (web page), lines ending in CR LF as the format asks."""
    lines = [
        ris_line("TY", "ELEC"),
        ris_line("TI", f"{citation.title} [{citation.kind_label}]"),
        ris_line("AU", REGISTER_NAME),
        ris_line("PB", REGISTER_NAME),
        ris_line("PY", str(citation.updated.year)),
        ris_line("DA", citation.updated.strftime("%Y/%m/%d")),
        ris_line("Y2", citation.retrieved.strftime("%Y/%m/%d")),
        ris_line("UR", citation.url),
        ris_line("ID", citation.key),
        "ER  - ",
    ]
    return "\r\n".join(lines) + "\r\n"


def date_parts(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def citation_csl_json(citation: Citation) -> str:
    """A CSL-JSON list of one item (what Zotero, Pandoc and citeproc read)."""
    item = {
        "id": citation.key,
        "type": "webpage",
        "title": f"{citation.title} [{citation.kind_label}]",
        "author": [{"literal": REGISTER_NAME}],
        "container-title": REGISTER_NAME,
        "publisher": REGISTER_NAME,
        "issued": date_parts(citation.updated),
        "accessed": date_parts(citation.retrieved),
        "URL": citation.url,
    }
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


CITATION_WRITERS = {"bib": citation_bibtex, "ris": citation_ris, "json": citation_csl_json}


def permanent_path(record) -> str:
    """The record's permanent address (`/r/<kind>/<id>/`), the same whatever its slug."""
    return reverse("permanent-address", args=[citable_kind(record), record.pk])


def citation_of(record, request) -> Citation:
    """The citation of a record read today through `request` (for the absolute address).
    A model may name itself in citations with `citation_title()`; else its `str()`."""
    title = record.citation_title() if hasattr(record, "citation_title") else str(record)
    return Citation(
        title=title,
        kind=citable_kind(record),
        kind_label=capfirst(str(record._meta.verbose_name)),
        record_id=record.pk,
        url=request.build_absolute_uri(permanent_path(record)),
        updated=timezone.localdate(record.updated_at),
        retrieved=timezone.localdate(),
    )
