"""Uploaded originals waiting for their import review to be saved.

The FOI import's upload keeps the file in the originals' private storage, under
`PENDING_FOLDER`, until the researcher saves the reviewed draft (which moves it to
the draft's source). A review abandoned halfway leaves its file there: the
`sweep_pending_originals` command deletes those older than a day or so.
"""

import datetime
from dataclasses import dataclass

from register.models import Source

# Named in the review by a signed token (a forged one cannot point at another file).
PENDING_FOLDER = "originals/pending/"


def originals_storage():
    return Source._meta.get_field("original").storage


@dataclass(frozen=True)
class PendingOriginal:
    path: str
    modified: datetime.datetime


def stale_pending_originals(
    storage, *, older_than: datetime.timedelta, now: datetime.datetime
) -> list[PendingOriginal]:
    """The files waiting in `PENDING_FOLDER` last written more than `older_than` before `now`,
    oldest first. A review takes minutes: a file a day old belongs to a review nobody saved."""
    try:
        _, names = storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:  # nothing was ever uploaded
        return []
    stale = []
    for name in names:
        path = PENDING_FOLDER + name
        modified = storage.get_modified_time(path)
        if now - modified > older_than:
            stale.append(PendingOriginal(path, modified))
    return sorted(stale, key=lambda pending: (pending.modified, pending.path))
