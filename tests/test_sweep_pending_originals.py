"""`sweep_pending_originals`: the uploads of import reviews nobody saved are deleted once old."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from foi_requests.pending_originals import PENDING_FOLDER, stale_pending_originals


def pending(storage, name: str, hours_old: float) -> str:
    path = storage.save(PENDING_FOLDER + name, ContentFile(b"Our answer to your request."))
    moment = (timezone.now() - datetime.timedelta(hours=hours_old)).timestamp()
    os.utime(storage.path(path), (moment, moment))
    return path


def sweep(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("sweep_pending_originals", *args, stdout=out)
    return out.getvalue()


def test_files_older_than_a_day_are_deleted_and_named(originals_storage):
    old = pending(originals_storage, "abandoned.pdf", hours_old=30)
    fresh = pending(originals_storage, "in-review.pdf", hours_old=2)
    kept = originals_storage.save("originals/answer.pdf", ContentFile(b"An archived original."))
    old_file = os.path.getmtime(originals_storage.path(kept)) - 48 * 3600
    os.utime(originals_storage.path(kept), (old_file, old_file))  # old, but not pending: never touched

    output = sweep()
    assert f"Deleted {old} (uploaded " in output
    assert output.rstrip().endswith("1 pending original(s) older than 24 hour(s) deleted.")
    assert not originals_storage.exists(old)
    assert originals_storage.exists(fresh) and originals_storage.exists(kept)


def test_the_age_is_chosen_in_hours_and_a_dry_run_deletes_nothing(originals_storage):
    older = pending(originals_storage, "a.txt", hours_old=5)
    newer = pending(originals_storage, "b.txt", hours_old=1)
    output = sweep("--older-than", "3", "--dry-run")
    assert f"Would delete {older}" in output and newer not in output
    assert "1 pending original(s) older than 3 hour(s) would be deleted." in output
    assert originals_storage.exists(older)
    sweep("--older-than", "0.5")
    assert not originals_storage.exists(older) and not originals_storage.exists(newer)


def test_nothing_pending_is_nothing_to_do(originals_storage):
    assert sweep().strip() == "0 pending original(s) older than 24 hour(s) deleted."


@pytest.mark.parametrize(("value", "reason"), [("a day", "a number of hours"), ("0", "above 0"), ("-5", "above 0")])
def test_a_bad_age_is_one_readable_error(originals_storage, value, reason):
    path = pending(originals_storage, "c.txt", hours_old=100)
    with pytest.raises(CommandError, match=reason):
        sweep("--older-than", value)
    assert originals_storage.exists(path)


def test_the_rule_lists_the_stale_files_oldest_first(originals_storage):
    second = pending(originals_storage, "second.txt", hours_old=26)
    first = pending(originals_storage, "first.txt", hours_old=50)
    pending(originals_storage, "recent.txt", hours_old=23)
    stale = stale_pending_originals(originals_storage, older_than=datetime.timedelta(hours=24), now=timezone.now())
    assert [item.path for item in stale] == [first, second]
