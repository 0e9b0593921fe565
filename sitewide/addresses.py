"""Permanent addresses, `/r/<kind>/<id>/`, and citation downloads of one record.

A page's address carries slugs that an editor may change (a force renamed, a tool
given its proper name); its permanent address carries the record's id and
redirects (302, as the page it leads to may move again) to the page now. Lives
here because it reaches the records of both apps. Drafts: only staff who may
preview them get anything but a 404 (`core.previews`)."""

from django.apps import apps
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from core.citing import CITABLE_KINDS, CITATION_FORMATS, CITATION_WRITERS, citation_of
from core.parsers import whole_number
from core.previews import mark_private, may_preview, readable

# What each kind's page address needs loaded with the record.
RELATED = {"deployment": ("force", "tool"), "foi-request": ("force",)}


def readable_record(request, kind: str, key: str):
    """The record of this kind and id the reader may open, else 404."""
    label = CITABLE_KINDS.get(kind)
    record_id = whole_number(key)
    if label is None or record_id is None:
        raise Http404("No record has this permanent address.")
    model = apps.get_model(label)
    records = readable(request, model.objects)
    if kind in RELATED:
        records = records.select_related(*RELATED[kind])
    return get_object_or_404(records, pk=record_id)


def page_address(record) -> str:
    """The record's page in the register (a source's `get_absolute_url` is where it was published)."""
    return getattr(record, "page_url", None) or record.get_absolute_url()


def permanent_address(request, kind: str, key: str) -> HttpResponse:
    record = readable_record(request, kind, key)
    response = HttpResponseRedirect(page_address(record))
    return mark_private(response) if may_preview(request, record._meta.model) else response


def citation_file(request, kind: str, key: str, suffix: str) -> HttpResponse:
    """The record's citation as BibTeX, RIS or CSL-JSON, downloaded under the register's name."""
    if suffix not in CITATION_FORMATS:
        raise Http404(f"No citation format “{suffix}”: choose one of {', '.join(CITATION_FORMATS)}.")
    record = readable_record(request, kind, key)
    citation = citation_of(record, request)
    content_type, _label = CITATION_FORMATS[suffix]
    response = HttpResponse(CITATION_WRITERS[suffix](citation), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{suffix}"'
    return mark_private(response) if may_preview(request, record._meta.model) else response
