"""Load the UK police forces and the facts the source documents evidence.

Usage: python manage.py load_seed_data [--forces-only]

Reads data/uk_police_forces.csv and data/seed.toml, checks every quote against
its document in data/sources, then adds what is missing in one transaction.
Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from foi_requests.seed import SeedError, load_seed_data


class Command(BaseCommand):
    help = "Load the UK police forces and the facts evidenced by the source documents (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--forces-only",
            action="store_true",
            help="Load only the UK police forces (reference data), e.g. for a synthetic benchmark database.",
        )

    def handle(self, *args, forces_only=False, **options):
        try:
            report = load_seed_data(forces_only=forces_only)
        except SeedError as error:
            raise CommandError(f"Seed data not loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(report.summary))
