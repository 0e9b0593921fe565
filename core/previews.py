"""Signed-in staff preview a draft's public page; the public still gets "not found".

A researcher who saves a draft follows "View on site" to check it reads right before
an editor publishes it. Staff who may view the model in the admin therefore see
drafts' detail pages, under a banner saying the page is not public, marked
`noindex` and never kept by any cache. Everyone else reads `published()` as before.

Imports no model: each view names the records its page needs published.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.utils.cache import patch_cache_control


def may_preview(request, model) -> bool:
    """Whether the reader is staff who may view `model` in the admin. Only a request
    with a session can be: an anonymous read never opens the session, so its response
    stays the same for everyone (no `Vary: Cookie`) and the page cache keeps it."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    # As the admin's `has_view_permission`: the right to change includes the right to view.
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}") for action in ("view", "change")
    )


def readable(request, queryset):
    """The records the reader may open: every one for staff previewing, else `published()`."""
    return queryset.all() if may_preview(request, queryset.model) else queryset.published()


@dataclass
class DraftPreview:
    """What the banner says: the record, and what is still unpublished (itself, its force...)."""

    unpublished: list[str]


def draft_preview(record, parts: tuple[str, ...] = ()) -> DraftPreview | None:
    """None when the record and the records it belongs to (`parts`: "force", "tool") are all
    published, i.e. when the public sees the page; else what is still a draft."""
    unpublished = []
    if not record.is_published:
        unpublished.append(f"this {record._meta.verbose_name}")
    for name in parts:
        related = getattr(record, name)
        if related is not None and not related.is_published:
            unpublished.append(f"its {related._meta.verbose_name} “{related}”")
    return DraftPreview(unpublished) if unpublished else None


def mark_private(response):
    """A draft's page: not indexed by search engines, kept by no cache (ours, a proxy's, the browser's)."""
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response


class DraftPreviewMixin:
    """For a public DetailView whose `get_queryset()` (or `get_object()`) starts from
    `readable()`: a draft shown to staff gets the banner (`draft_preview` in the
    context) and private, `noindex` headers. `preview_parts`: the related records the
    record's `published()` requires too, loaded with it (select_related)."""

    preview_parts: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft_preview"] = draft_preview(self.object, self.preview_parts)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("draft_preview"):
            mark_private(response)
        return response
