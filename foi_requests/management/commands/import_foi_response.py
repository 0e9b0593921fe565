"""Import FOI answer documents as draft requests for a researcher to check.

    python manage.py import_foi_response PATH [PATH ...] [--force SLUG] [--dry-run] [--json]

PATH is a .txt, .pdf, .docx or saved .html/.htm file, or a folder of them.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from register.models import Force

from ...extraction import EXTENSIONS, ExtractionError, read_document
from ...importer import CREATED, all_force_aliases, extract_document, save_drafts


class Command(BaseCommand):
    help = (
        "Read FOI answers (.txt, .pdf, .docx, saved .html) and create a draft FOI request for each request found, "
        "with its references, authority, dates, outcome, exemptions and questions. Nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, or folders of files, to import.")
        parser.add_argument("--force", metavar="SLUG", help="The force that answered, when the text does not say.")
        parser.add_argument("--dry-run", action="store_true", help="Extract and report, but write nothing.")
        parser.add_argument(
            "--json", action="store_true", help="Print each request's extraction as one JSON object per line."
        )

    def handle(self, *args, paths, force=None, dry_run=False, **options):
        as_json = options["json"]
        force_obj = None
        if force:
            force_obj = Force.objects.filter(slug=force).first()
            if force_obj is None:
                raise CommandError(f"No force has the slug “{force}” (see /forces/ for the slugs).")
        files, failures = collect_files(paths)
        aliases = all_force_aliases()
        imported = duplicates = 0
        # The summary goes where the JSON does not, so stdout stays one JSON object a line.
        report = self.stderr if as_json else self.stdout
        # tqdm draws on the raw stream (OutputWrapper would add a newline to each redraw);
        # disable=None turns the bar off when that stream is not a terminal.
        for path in tqdm(files, desc="Importing", unit="file", disable=None, file=self.stderr._out):
            try:
                extractions = extract_document(read_document(path.name, read_bytes(path)), aliases)
                if as_json:
                    for extraction in extractions:
                        self.stdout.write(dumps(extraction.as_json()))
                if dry_run:
                    imported += len(extractions)
                    continue
                for result in save_drafts(extractions, path.name, force_obj):
                    if result.status == CREATED:
                        imported += 1
                        if result.unknown_exemptions:
                            report.write(
                                f"{path}: exemptions not in the register, not linked: "
                                f"{', '.join(result.unknown_exemptions)}"
                            )
                        for note in result.notes:
                            report.write(f"{path}: check the draft {result.foi_request}: it {note}")
                    else:
                        duplicates += 1
                        report.write(f"{path}: skipped, {result.reason}")
            except ExtractionError as error:
                failures.append((str(path), str(error)))
        for name, reason in failures:
            self.stderr.write(f"{name}: {reason}")
        verb = "Would import" if dry_run else "Imported"
        summary = f"{verb} {imported}, skipped {duplicates} as duplicates, failed {len(failures)}."
        if failures:
            summary += " Failed: " + "; ".join(f"{name} ({reason})" for name, reason in failures) + "."
        report.write(summary)
        if failures:
            raise SystemExit(1)


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ExtractionError(f"cannot be read ({error.strerror or error})") from error


def collect_files(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to import (a folder's supported files, sorted) and the paths that do not exist."""
    files: list[Path] = []
    failures: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(".")
            )
            if not found:
                failures.append((name, "the folder holds no .txt, .pdf, .docx or .html file"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            failures.append((name, "no such file or folder"))
    return files, failures
