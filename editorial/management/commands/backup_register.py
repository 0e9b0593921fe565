"""Dump the whole register (records, FOI requests, evidence, full history, users) to a JSON file."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from editorial.backup import backup_labels


class Command(BaseCommand):
    help = "Write the whole register, with its history, to PATH (JSON; PATH ending .gz, .bz2 or .xz is compressed)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, e.g. backups/register-2026-11-21.json.gz")

    def handle(self, *args, path, **options):
        target = Path(path)
        if not target.parent.exists():
            raise CommandError(f"Folder {target.parent} does not exist.")
        # Same extensions, so dumpdata compresses it the same way.
        partial = target.with_name(f".partial-{target.name}")
        try:
            call_command(
                "dumpdata",
                *backup_labels(),
                natural_foreign=True,
                natural_primary=True,
                indent=1,
                output=str(partial),
                verbosity=0,
            )
            # Renamed only when complete: a failed backup never looks like a good one.
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {target}: {exc.strerror or exc}") from exc
        self.stdout.write(f"Register backed up to {target}")
