"""Which pages read a large table in full: EXPLAIN on the benchmark's database.

Run through bench/run.sh, or alone on a prepared database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/register_bench .venv/bin/python -m bench.explain

Each page and endpoint of the benchmark (`bench.benchmark.typical_urls`) and
every facet of the faceted lists is requested once with a cold cache; each of
its SQL queries is then explained, and every sequential scan of a table holding
more than LARGE rows is listed. Exits 1 if there is one.
"""

import os
import sys
from collections.abc import Iterator

LARGE = 10_000


def sequential_scans(plan: dict) -> Iterator[str]:
    """The tables a plan reads in full, at any depth."""
    if plan.get("Node Type") == "Seq Scan":
        yield plan["Relation Name"]
    for child in plan.get("Plans", []):
        yield from sequential_scans(child)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.benchmark import typical_urls  # sets Django up

    if connection.vendor != "postgresql":
        print("EXPLAIN check: needs PostgreSQL (set DATABASE_URL)")
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        rows_in = dict(cursor.fetchall())
    large = {table for table, rows in rows_in.items() if rows > LARGE}

    found = 0
    print(f"\nSequential scans of tables over {LARGE:,} rows ({', '.join(sorted(large))}):\n")
    print("| page or endpoint | queries | large tables read in full |")
    print("|---|---|---|")
    for name, path in typical_urls():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            status = Client().get(path).status_code
        scans = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0][0]["Plan"]
                scans += [table for table in sequential_scans(plan) if table in large]
        found += len(scans)
        listed = ", ".join(sorted(set(scans))) or "none"
        print(f"| {name} `{path}` (HTTP {status}) | {len(captured)} | {listed} |", flush=True)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
