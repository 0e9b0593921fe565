"""Caching of the public figures that are costly to count (facet counts,
FOI statistics, the transparency matrix, charts).

Every cached value is keyed by the register's data version, which any saved
or deleted record bumps, and by today's date (overdue requests and deadlines
change with the day). Publishing or editing a record therefore invalidates
everything derived from the data at once: simple, and never stale. In
production the cache is Redis (REDIS_URL), shared by every gunicorn worker.
"""

import hashlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DATA_VERSION_KEY = "register:data-version"
TIMEOUT = 60 * 60
T = TypeVar("T")


def data_version() -> int:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # A fresh cache starts from the clock, never from a number used before.
        cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def bump_data_version(**kwargs) -> None:
    """Signal receiver (and plain function after bulk writes): the data changed."""
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:
        cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)


def versioned_prefix(name: str) -> str:
    """The start of `name`'s keys for the current data version and day."""
    return f"register:{name}:{data_version()}:{timezone.localdate().isoformat()}"


def cache_key(name: str, parts: object) -> str:
    """The key of `name` and `parts` for the current data version and day."""
    return f"{versioned_prefix(name)}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def cached[T](name: str, parts: object, compute: Callable[[], T]) -> T:
    """`compute()`, cached under `name` and `parts` for the current data version and day."""
    if not settings.PAGE_CACHE:
        return compute()
    key = cache_key(name, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_stream(name: str, parts: object, produce: Callable[[], Iterable[str]]) -> Iterator[str]:
    """The pieces of `produce()` (a large export), cached one by one as they are
    sent, so that memory stays flat; once complete, later calls send them from the
    cache. A piece evicted meanwhile is produced again (the same data version gives
    the same pieces)."""
    if not settings.PAGE_CACHE:
        yield from produce()
        return
    key = cache_key(name, parts)
    count = cache.get(f"{key}:count")
    if count is not None:
        for index in range(count):
            piece = cache.get(f"{key}:{index}")
            if piece is None:
                yield from itertools.islice(produce(), index, None)
                return
            yield piece
        return
    index = -1
    for index, piece in enumerate(produce()):
        cache.set(f"{key}:{index}", piece, TIMEOUT)
        yield piece
    cache.set(f"{key}:count", index + 1, TIMEOUT)


def invalidate_on_change(models) -> None:
    """Bump the data version whenever one of these models is saved or deleted."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(bump_data_version, sender=model, dispatch_uid=f"cache-save-{model._meta.label}")
        post_delete.connect(bump_data_version, sender=model, dispatch_uid=f"cache-delete-{model._meta.label}")
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_data_version,
                sender=m2m.remote_field.through,
                dispatch_uid=f"cache-m2m-{m2m.name}-{model._meta.label}",
            )
