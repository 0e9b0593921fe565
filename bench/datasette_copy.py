"""Datasette's copy of the register's published rows, for the side-by-side benchmark.

    DATABASE_URL=sqlite:////tmp/bench/register.sqlite3 .venv/bin/python -m bench.datasette_copy /tmp/copy/register.db

Reads the published records of the register's database (SQLite or PostgreSQL) through the ORM
and writes them as the denormalised tables a Datasette user would publish: `deployments` with
their force, tool, category, status, dates and the state of each safeguard as columns;
`foi_requests` with their force, outcome, dates, deadline and the exemptions, categories and
question outcomes as JSON arrays (for `_facet_array`); `tools`; `forces`. Every facet column
has an index; deployments and FOI requests have an FTS5 table Datasette finds by itself. Only
published rows, with the texts the public reads (an FOI request's, redacted). Prints one JSON
line: the row counts and the busiest force's slug, for `bench.side_by_side`.
"""

import json
import os
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

CHUNK = 2000
SAFEGUARD_COLUMNS = (
    "dpia_state",
    "equality_state",
    "privacy_state",
    "legal_opinion_state",
    "ethics_review_state",
    "bias_testing_state",
)
TABLES = {
    "forces": ("id", "slug", "name", "nation", "kind", "website"),
    "tools": (
        "id",
        "slug",
        "name",
        "category",
        "technique",
        "origin",
        "supplier",
        "description",
        "inputs",
        "outputs",
    ),
    "deployments": (
        "id",
        "force_slug",
        "force_name",
        "nation",
        "tool_slug",
        "tool_name",
        "category",
        "technique",
        "origin",
        "supplier",
        "status",
        "started",
        "ended",
        "purpose",
        "data_used",
        "decisions_supported",
        "users",
        "training",
        "human_oversight",
        "scale",
        "cost",
        *SAFEGUARD_COLUMNS,
        "tool_description",
    ),
    "foi_requests": (
        "id",
        "slug",
        "force_slug",
        "force_name",
        "nation",
        "reference",
        "title",
        "date_received",
        "date_responded",
        "due_date",
        "deadline",
        "outcome",
        "exemptions",
        "categories_asked",
        "question_outcomes",
        "source_url",
        "request_text",
        "response_text",
    ),
}
# The columns a Datasette user would facet on, each with its index.
FACET_COLUMNS = {
    "tools": ("category", "technique", "origin", "supplier"),
    "deployments": (
        "force_slug",
        "force_name",
        "nation",
        "tool_slug",
        "category",
        "technique",
        "origin",
        "supplier",
        "status",
        *SAFEGUARD_COLUMNS,
    ),
    "foi_requests": ("force_slug", "force_name", "nation", "outcome", "deadline"),
}
# The texts searched, as the register's own search reads them.
FULL_TEXT = {
    "deployments": ("tool_name", "tool_description", "force_name", "purpose"),
    "foi_requests": ("title", "reference", "request_text", "response_text", "force_name"),
}


def text(value) -> str | None:
    """A partial date or a date as the text the register publishes ("2021-11"), else the value."""
    return None if value is None else str(value)


def forces() -> list[tuple]:
    from register.models import Force

    return list(Force.objects.published().order_by("pk").values_list(*TABLES["forces"]))


def tools() -> list[tuple]:
    from django.db.models import Case, F, Value, When

    from register.models import Tool

    published_supplier = Case(When(supplier__is_published=True, then=F("supplier__name")), default=Value(""))
    rows = Tool.objects.published().order_by("pk").annotate(supplier_name=published_supplier)
    columns = [name if name != "supplier" else "supplier_name" for name in TABLES["tools"]]
    return list(rows.values_list(*columns))


def deployments() -> list[tuple]:
    """Published deployments with the state of each safeguard, by the rule the register's pages
    and CSV follow (`safeguard_state`), from what was asked and their published assessments:
    two queries, where the states in SQL per row take minutes at scale 10 on SQLite."""
    from django.db.models import Case, F, Value, When

    from register.models import (
        SAFEGUARD_KINDS,
        Assessment,
        Deployment,
        safeguard_state,
        safeguard_state_name,
        safeguards_asked,
    )

    asked = safeguards_asked()
    results = defaultdict(list)
    assessments = Assessment.objects.published().filter(kind__in=SAFEGUARD_KINDS)
    for deployment_id, kind, result in assessments.values_list("deployment_id", "kind", "result").iterator():
        results[deployment_id, kind].append(result)
    if tuple(safeguard_state_name(kind) for kind in SAFEGUARD_KINDS) != SAFEGUARD_COLUMNS:
        raise RuntimeError("The kinds of safeguard changed: update SAFEGUARD_COLUMNS.")
    supplier = Case(When(tool__supplier__is_published=True, then=F("tool__supplier__name")), default=Value(""))
    rows = (
        Deployment.objects.published()
        .annotate(supplier_name=supplier)
        .order_by("pk")
        .values_list(
            "id",
            "force__slug",
            "force__name",
            "force__nation",
            "tool__slug",
            "tool__name",
            "tool__category",
            "tool__technique",
            "tool__origin",
            "supplier_name",
            "status",
            "started",
            "ended",
            *Deployment.DESCRIPTIVE_FIELDS,
            "tool__description",
            "force_id",
        )
    )
    copied = []
    for *row, force_id in rows.iterator(chunk_size=CHUNK):
        deployment_id, category = row[0], row[6]
        states = [
            safeguard_state(results[deployment_id, kind], (force_id, category, kind) in asked).value
            for kind in SAFEGUARD_KINDS
        ]
        copied.append((*row[:11], text(row[11]), text(row[12]), *row[13:-1], *states, row[-1]))
    return copied


def foi_requests() -> list[tuple]:
    """Published FOI requests with their public (redacted) texts; the answer's is its source's text."""
    from foi_requests.models import FoiRequest
    from register.models import Question

    published = FoiRequest.objects.published()
    exemptions = defaultdict(list)
    through = FoiRequest.exemptions.through.objects.filter(foirequest__in=published)
    for request_id, act, section in through.values_list("foirequest_id", "exemption__act", "exemption__section"):
        exemptions[request_id].append(f"{act} s{section}")
    categories = defaultdict(list)
    for request_id, category in published.values_list("id", "categories_asked__category"):
        if category:
            categories[request_id].append(category)
    # By the answer's source: joined to the requests here, as SQLite plans the join per request.
    outcomes = defaultdict(set)
    for source_id, outcome in Question.objects.published().order_by().values_list("source_id", "outcome").iterator():
        outcomes[source_id].add(outcome)
    rows = (
        published.with_deadline_status()
        .select_related("force", "source")
        .only(
            "slug",
            "reference",
            "title",
            "date_received",
            "date_responded",
            "due_date",
            "outcome",
            "source_url",
            "request_text",
            "requester_name",
            "requester_email",
            "force__slug",
            "force__name",
            "force__nation",
            "source__text",
        )
        .order_by("pk")
    )
    return [
        (
            request.pk,
            request.slug,
            request.force.slug,
            request.force.name,
            request.force.nation,
            request.reference,
            request.title,
            text(request.date_received),
            text(request.date_responded),
            text(request.due_date),
            request.deadline,
            request.outcome,
            json.dumps(sorted(exemptions[request.pk])),
            json.dumps(sorted(categories[request.pk])),
            json.dumps(sorted(outcomes[request.source_id])),
            request.source_url,
            request.public_request_text,
            request.source.text,
        )
        for request in rows.iterator(chunk_size=CHUNK)
    ]


def busiest_force(rows: list[tuple]) -> str:
    """The slug of the force with the most published FOI requests (the benchmark's FOI list)."""
    counts = defaultdict(int)
    for row in rows:
        counts[row[2]] += 1
    return max(counts, key=lambda slug: (counts[slug], slug)) if counts else ""


def write(path: Path, tables: dict[str, list[tuple]]) -> None:
    path.unlink(missing_ok=True)
    database = sqlite3.connect(path)
    database.execute("PRAGMA journal_mode = OFF")
    database.execute("PRAGMA synchronous = OFF")
    for table, columns in TABLES.items():
        definition = ", ".join(["id INTEGER PRIMARY KEY", *(f"[{column}] TEXT" for column in columns[1:])])
        database.execute(f"CREATE TABLE [{table}] ({definition})")
        placeholders = ", ".join("?" * len(columns))
        database.executemany(f"INSERT INTO [{table}] VALUES ({placeholders})", tables[table])
        for column in FACET_COLUMNS.get(table, ()):
            database.execute(f"CREATE INDEX [idx_{table}_{column}] ON [{table}] ([{column}])")
    for table, columns in FULL_TEXT.items():
        # The external-content FTS5 table Datasette detects (`content="<table>"`) and searches with ?_search=.
        listed = ", ".join(f"[{column}]" for column in columns)
        database.execute(
            f'CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({listed}, content="{table}", content_rowid="id")'
        )
        database.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('rebuild')")
    database.commit()
    database.execute("ANALYZE")
    database.execute("PRAGMA journal_mode = DELETE")
    database.commit()
    database.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.datasette_copy OUTPUT.db (the register's database from DATABASE_URL)")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    start = time.perf_counter()
    tables = {"forces": forces(), "tools": tools(), "deployments": deployments(), "foi_requests": foi_requests()}
    read = time.perf_counter() - start
    path = Path(argv[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, tables)
    summary = {
        "path": str(path),
        "rows": {table: len(rows) for table, rows in tables.items()},
        "busiest_force": busiest_force(tables["foi_requests"]),
        "read_s": round(read, 1),
        "total_s": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
