"""Build the dump of the published register that `/api/dump/` serves (`sitewide.dump`).

Usage:
    python manage.py build_dump                    # links start from SITE_URL
    python manage.py build_dump --base-url https://register.example.org
    python manage.py build_dump --if-outdated      # only when the register changed (or a day passed)

Run it daily (README, "Running in production"). The file and its gzip copy are published
together with their SHA-256 in `DUMP_ROOT/manifest.json`; a build that fails or is
interrupted leaves the previous dump served as it was.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sitewide.dump import DumpBusy, build_dump, check_base_url, latest_dump, register_state


class Command(BaseCommand):
    help = "Build the dump of the published register served at /api/dump/ (JSON and gzip, with SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The register's public address, where links in the dump start (default: SITE_URL).",
        )
        parser.add_argument(
            "--if-outdated",
            action="store_true",
            help="Build only when the register has changed since the last dump, or the day has.",
        )

    def handle(self, *args, base_url: str, if_outdated: bool, **options):
        if not base_url:
            raise CommandError(
                "Give the register's public address: --base-url https://register.example.org (or set SITE_URL)."
            )
        try:
            base_url = check_base_url(base_url)
        except ValueError as error:
            raise CommandError(f"--base-url: {error}.") from None
        directory = Path(settings.DUMP_ROOT)
        current = latest_dump(directory)
        if if_outdated and current is not None and current.register_state == register_state().fingerprint:
            self.stdout.write(f"The dump built at {current.generated_at} is current: nothing to do.")
            return
        try:
            dump = build_dump(directory, base_url)
        except DumpBusy as busy:
            raise CommandError(str(busy)) from None
        except OSError as error:
            raise CommandError(f"Could not write the dump in {directory}: {error.strerror or error}.") from None
        counts = ", ".join(f"{count} {section.replace('_', ' ')}" for section, count in dump.counts.items())
        self.stdout.write(
            f"Dump built: {directory / dump.file} ({dump.size:,} bytes, {dump.gzip_size:,} gzipped), "
            f"SHA-256 {dump.sha256}: {counts}."
        )
