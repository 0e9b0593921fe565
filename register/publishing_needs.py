"""What a record needs to be published with: the unpublished records without which
the public would not see it, or would see its facts as "Not disclosed".

A record is public only when the records it belongs to are (`published_paths` on its
QuerySet: a deployment needs its force and its tool; an assessment its deployment,
force and tool; an FOI request its force; a source of an FOI answer its force), and a
fact shows its value only when the source its quote cites is published. An FOI answer's
source is published by its request, which keeps it in step (`FoiRequest.save()`): it is
reached by the request's reverse relation, `foi_request`, so this app never imports
`foi_requests`. A record published alongside needs what it needs in turn.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from .models import Evidence, Source, SourceKind


def parents(record: models.Model) -> list[models.Model]:
    """The records that must be published for `record` to be public, nearest first."""
    found = []
    for path in type(record)._default_manager.none().published_paths:
        if not path:
            continue  # the record itself
        parent = record
        for name in path.removesuffix("__").split("__"):
            parent = getattr(parent, name)
        found.append(parent)
    if isinstance(record, Source) and record.force_id is not None:
        found.append(record.force)  # `SourceQuerySet.published_condition`
    return found


def quoted_sources(record: models.Model) -> list[Source]:
    """The sources the record's quotes cite (a tool's, a supplier's, a deployment's, an assessment's)."""
    target = next(
        (name for name in Evidence.TARGETS if isinstance(record, Evidence._meta.get_field(name).related_model)), None
    )
    if target is None or record.pk is None:
        return []
    return list(Source.objects.filter(**{f"evidence__{target}": record}).distinct().order_by("kind", "title"))


def publisher(source: Source) -> models.Model:
    """The record whose publication publishes the source: an FOI answer's request, else the source itself."""
    if source.kind != SourceKind.FOI_ANSWER:
        return source
    try:
        return source.foi_request
    except ObjectDoesNotExist:  # an answer whose request is gone
        return source


def direct_needs(record: models.Model) -> list[models.Model]:
    """What `record` needs published, before what those need in turn: its parents, and the
    publishers of the sources its quotes cite; for an FOI answer's source, its request."""
    needs = [*parents(record), *(publisher(source) for source in quoted_sources(record))]
    if isinstance(record, Source) and publisher(record) is not record:
        needs.append(publisher(record))
    return needs


def record_key(record: models.Model) -> tuple[str, object]:
    return record._meta.label, record.pk


def unpublished_needs(record: models.Model) -> list[models.Model]:
    """Every unpublished record `record` needs, directly or through another, each listed after
    the records it needs itself (the order to publish them in), once, without `record`."""
    ordered: list[models.Model] = []
    seen = {record_key(record)}

    def visit(needing: models.Model) -> None:
        for need in direct_needs(needing):
            if need.is_published or record_key(need) in seen:
                continue
            seen.add(record_key(need))
            visit(need)
            ordered.append(need)

    visit(record)
    return ordered
