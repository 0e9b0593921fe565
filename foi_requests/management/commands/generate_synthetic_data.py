"""Fill a separate database with a large synthetic register, for benchmarks.

Usage: DATABASE_URL=postgres://.../register_bench python manage.py generate_synthetic_data --scale 10

Needs the forces (load_seed_data) and refuses a database that holds real
register facts. Replaces any earlier synthetic data, in one transaction.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from foi_requests.synthetic import SyntheticDataError, expected_rows, generate


class Command(BaseCommand):
    help = "Generate a large, clearly synthetic register (never mixed with real data) for performance work."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 gives 2,000 deployments; 10 gives 20,000.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for a repeatable data set.")

    def handle(self, *args, scale, seed, **options):
        bar = tqdm(total=expected_rows(scale), unit="rows", disable=options["verbosity"] == 0, file=self.stderr)
        try:
            counts = generate(scale, seed=seed, progress=bar.update)
        except SyntheticDataError as error:
            raise CommandError(f"No synthetic data written: {error}") from error
        finally:
            bar.close()
        self.stdout.write(", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in counts.items()))
