"""Template tags for FOI facts on other apps' pages: the force page shows its FOI record."""

from django import template

from core.caching import cached

from ..models import FoiRequest
from ..statistics import empty_record, foi_records

register = template.Library()


@register.inclusion_tag("foi_requests/includes/foi_record.html")
def foi_record(force):
    """A force's FOI record (published requests only), as a table."""
    records = cached("foi-records", force.pk, lambda: foi_records(FoiRequest.objects.published().filter(force=force)))
    record = records[0] if records else empty_record(force.slug, force.name)
    return {"record": record, "force": force}
