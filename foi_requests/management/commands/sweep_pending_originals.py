"""Delete uploaded originals left waiting by import reviews nobody saved.

    python manage.py sweep_pending_originals                  # older than 24 hours
    python manage.py sweep_pending_originals --older-than 72 --dry-run

Run it daily (cron, a scheduled task). A review still open when its file is swept
asks for the file again on "Save" ("The uploaded file was lost: upload it again").
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...pending_originals import originals_storage, stale_pending_originals


def hours(text: str) -> float:
    """A positive number of hours, or a readable refusal (argparse shows it on one line)."""
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"--older-than takes a number of hours, e.g. 24, not “{text}”.") from None
    if not 0 < value < 24 * 365 * 100:
        raise CommandError(f"--older-than takes a number of hours above 0, not “{text}”.")
    return value


class Command(BaseCommand):
    help = "Delete uploaded originals waiting in originals/pending/ for an import review nobody saved."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", metavar="HOURS", default="24", help="Delete files older than this (default: 24 hours)."
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted, delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        age = datetime.timedelta(hours=hours(older_than))
        storage = originals_storage()
        stale = stale_pending_originals(storage, older_than=age, now=timezone.now())
        done = "Would delete" if dry_run else "Deleted"
        for pending in stale:
            if not dry_run:
                storage.delete(pending.path)
            self.stdout.write(f"{done} {pending.path} (uploaded {pending.modified:%Y-%m-%d %H:%M %Z})")
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(stale)} pending original(s) older than {older_than} hour(s) {verb}.")
