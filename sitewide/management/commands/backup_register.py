"""Dump the whole register (records, FOI requests, evidence, full history, users) to an XML file.

XML rather than JSON: Django's JSON serializer rounds times to the millisecond,
and a backup must give back every timestamp (the edit-conflict check compares
them to the microsecond).
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sitewide.backup import backup_labels


class Command(BaseCommand):
    help = "Write the whole register, with its history, to PATH: a .xml file, or .xml.gz, .xml.bz2, .xml.xz compressed."

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, e.g. backups/register-2026-11-21.xml.gz")

    def handle(self, *args, path, **options):
        target = Path(path)
        if ".xml" not in target.suffixes[-2:]:
            raise CommandError(f"Name the backup file NAME.xml (or .xml.gz, .xml.bz2, .xml.xz), not {target.name}.")
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
                format="xml",
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
