"""Whole responses to anonymous reads, cached until the register's data changes.

When a news story sends a crowd to the register, thousands of people read the
same few pages. Their responses are kept as Django's cache middleware keeps
them (by URL and by the request headers the response varies on), under a key
prefix holding the register's data version and the day (`core.caching`):
any edit or publication invalidates every cached response at once, and pages
that count days (overdue requests) change at midnight.

Only what is the same for every anonymous reader is kept: a GET or HEAD with
neither a session nor a token, answered 200 in one piece, setting no cookie and
not marked private or no-store. A repeated read is not counted by the API's
anonymous throttle, which guards the work of reads that are not cached.

Right after an edit, the first request for a page rebuilds it; those that come
while it does get the page as it was just before the edit (kept under a prefix
without the version), rather than all rebuilding it at once. A page that is no
longer shared (a record unpublished: a 404) is dropped from there too.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_cache_key, get_conditional_response, has_vary_header, learn_cache_key

from .caching import TIMEOUT, versioned_prefix

UNSHARED_DIRECTIVES = ("private", "no-cache", "no-store")
# Longer than any page takes to build: the claim of a worker that died while rebuilding lapses.
REBUILD_SECONDS = 30


def is_anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
    )


def is_shared_response(response) -> bool:
    """The same for every anonymous reader of the URL, as far as the response says."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(directive in cache_control for directive in UNSHARED_DIRECTIVES)
        and not has_vary_header(response, "*")
    )


def rebuild_key(request, prefix: str) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"{prefix}:rebuilding:{request.method}:{url}"


def claim_rebuild(request, prefix: str) -> bool:
    """True for the first request to miss a page since the last edit, which rebuilds it;
    False while another is doing so."""
    return cache.add(rebuild_key(request, prefix), True, REBUILD_SECONDS)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not is_anonymous_read(request):
            return self.get_response(request)
        # One prefix for the whole request: a response built while an edit lands
        # is stored under the version it started from, never the newer one.
        prefix = versioned_prefix("page")
        cached = cached_response(request, prefix)
        claimed = cached is None and claim_rebuild(request, prefix)
        if cached is None and not claimed:
            # Another request is rebuilding it: the page as it was just before the edit.
            cached = cached_response(request, latest_prefix())
        if cached is not None:
            return get_conditional_response(request, etag=cached.get("ETag"), last_modified=None, response=cached)
        try:
            response = self.get_response(request)
            if is_shared_response(response):
                # Only the bytes and headers: an API response would carry its serialized data too.
                kept = HttpResponse(response.content, status=response.status_code, headers=dict(response.items()))
                for key_prefix in (prefix, latest_prefix()):
                    cache.set(learn_cache_key(request, response, TIMEOUT, key_prefix, cache=cache), kept, TIMEOUT)
            elif latest := get_cache_key(request, latest_prefix(), request.method, cache=cache):
                cache.delete(latest)  # gone or changed in kind (unpublished: a 404): never served again
        finally:
            if claimed:
                cache.delete(rebuild_key(request, prefix))
        return response


def cached_response(request, prefix: str):
    key = get_cache_key(request, prefix, request.method, cache=cache)
    return cache.get(key) if key else None


def latest_prefix() -> str:
    """Where the newest version of each page is kept too, whatever the data version (by day, as every key)."""
    return f"register:page-latest:{timezone.localdate().isoformat()}"
