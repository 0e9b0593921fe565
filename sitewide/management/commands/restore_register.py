"""Load a backup made by `backup_register` into an empty, migrated database."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.test.utils import override_settings

from sitewide.backup import register_is_empty


class Command(BaseCommand):
    help = "Restore the register from a backup file into an empty database (run `migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by backup_register")

    def handle(self, *args, path, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        if not register_is_empty():
            raise CommandError("The database already holds register records: restore only into an empty database.")
        try:
            # The backup holds the history as it was: loading adds no version (Django sets each FOI
            # request's exemptions after saving it, which django-simple-history would record).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(source), verbosity=0)
        except (DeserializationError, DatabaseError, ValueError, OSError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"Nothing restored: {source} is not a usable backup ({first_line}).") from exc
        self.stdout.write(f"Register restored from {source}")
