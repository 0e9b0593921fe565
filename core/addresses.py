"""Old addresses keep working after a record's slug changes.

Every edit of a record is kept by django-simple-history, slug included: the record
that had a slug before is found there, however many times it has been renamed
since, and its page redirects (301) to its address now. A slug in use now always
wins over one a record had before. Imports no model: it reads `model.history`.
"""

from django.http import Http404, HttpResponsePermanentRedirect


def record_by_former_slug(queryset, slug: str):
    """The record of `queryset` that most recently had `slug` (and has another now), or None."""
    pk_name = queryset.model._meta.pk.attname
    # The latest few holders of the slug, newest first: a slug may have passed from one record to another.
    holders = list(
        queryset.model.history.filter(slug=slug)
        .order_by("-history_date", "-history_id")
        .values_list(pk_name, flat=True)[:10]
    )
    if not holders:
        return None
    found = {record.pk: record for record in queryset.filter(pk__in=holders).exclude(slug=slug)}
    return next((found[pk] for pk in holders if pk in found), None)


def current_slug(queryset, slug: str) -> str | None:
    """The slug now of the record of `queryset` that has or had `slug`; None if none."""
    if queryset.filter(slug=slug).exists():
        return slug
    record = record_by_former_slug(queryset, slug)
    return record.slug if record else None


class FormerSlugRedirectMixin:
    """For a DetailView found by slug (in the URL argument `former_slug_kwarg`): an address
    with a slug the record had before redirects permanently to its page now. The records
    looked up are the view's own (`get_queryset()`): a draft is found by no one who could
    not open it."""

    former_slug_kwarg = "slug"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            address = self.moved_address()
            if not address:
                raise
            return HttpResponsePermanentRedirect(address)

    def moved_address(self) -> str:
        """The page's address now if the address asked for is a former one, else ""."""
        record = record_by_former_slug(self.get_queryset(), self.kwargs[self.former_slug_kwarg])
        return record.get_absolute_url() if record else ""
