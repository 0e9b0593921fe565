"""Drive the register under gunicorn with wrk and print one table.

Run through bench/run.sh (python -m bench.benchmark), which prepares the synthetic database. For each page
type and API endpoint (with typical filters) it reports p50, p95 and p99
latency and throughput at 4 concurrent clients, throughput at 8, errors at 64
(as served: anonymous reads come from the cache after the first), the time of
one request right after an edit (nothing cached), and beside it the time of that
request's SQL queries run alone (the page's floor). Then it times a full CSV
export of all deployments, right after an edit and repeated, and the server's
memory under 8 exports at once.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8300"))
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
DURATION = os.environ.get("BENCH_DURATION", "10s")

SERVER_ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # The benchmark speaks plain HTTP on loopback; production sits behind TLS.
    "SECURE_SSL_REDIRECT": "false",
    "API_ANON_RATE": "1000000/minute",
    # Production shares one cache between workers; a database of its own, emptied first.
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
}


def typical_urls() -> list[tuple[str, str]]:
    """The page types and endpoints people use, with typical filters, on the synthetic data."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db.models import Count

    from foi_requests.models import FoiRequest
    from register.models import Deployment, Force, Tool

    tool = Tool.objects.published().annotate(n=Count("deployments")).order_by("-n").first()
    force = Force.objects.published().annotate(n=Count("foi_requests")).order_by("-n").first()
    foi_request = FoiRequest.objects.published().order_by("pk").first()
    deployment = Deployment.objects.published().order_by("pk").first()
    return [
        ("Home page", "/"),
        ("Deployments, faceted (category + status)", "/deployments/?category=mapping&status=in_use"),
        ("Deployments, started 2018-2022, has DPIA", "/deployments/?started_from=2018&started_to=2022&has_dpia=true"),
        ("Deployments, sorted by start", "/deployments/?ordering=-started&page=3"),
        ("Tools, faceted", "/tools/?category=individual_risk&origin=bought"),
        ("Forces", "/forces/"),
        ("FOI requests, faceted (outcome)", "/foi-requests/?outcome=refused"),
        ("FOI requests, overdue", "/foi-requests/?overdue=true"),
        ("Search", "/search/?q=knife+crime"),
        ("Search, a word in nearly every request (worst case)", "/search/?q=information"),
        ("Force page (busiest force)", f"/forces/{force.slug}/"),
        ("Tool page (most used tool)", f"/tools/{tool.slug}/"),
        ("Deployment page", f"/deployments/{deployment.force.slug}/{deployment.tool.slug}/"),
        ("FOI request page", f"/foi-requests/{foi_request.slug}/"),
        ("FOI statistics", "/foi-requests/statistics/"),
        ("Transparency matrix", "/transparency/"),
        ("API deployments, filtered", "/api/deployments/?category=mapping&status=in_use"),
        ("API tools, filtered", "/api/tools/?category=individual_risk"),
        ("API FOI requests, filtered", "/api/foi-requests/?outcome=refused"),
        ("API forces", "/api/forces/"),
        ("API assessments, filtered", "/api/assessments/?kind=dpia"),
        ("API deployment detail", f"/api/deployments/{deployment.pk}/"),
        ("API tool detail", f"/api/tools/{tool.slug}/"),
    ]


def bare_sql_ms(path: str, repeats: int = 15) -> float:
    """The median time of running, alone, the SQL the page issues with a cold cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        Client().get(path)
    statements = [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SAVEPOINT")]
    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def invalidate_caches() -> None:
    """What an edit does: every cached response and figure is out of date."""
    from core.caching import bump_data_version

    bump_data_version()


def cold_ms(path: str, repeats: int = 3) -> float:
    """The median time of one request right after an edit, with nothing cached."""
    timings = []
    for _ in range(repeats):
        invalidate_caches()
        start = time.perf_counter()
        with urllib.request.urlopen(BASE + path, timeout=120) as response:
            response.read()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def wrk(path: str, connections: int, base: str = BASE, threads: int = 2, duration: str = DURATION) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench/report.lua"),
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    report = json.loads(line)
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    report["errors"] = sum(report[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return report


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def csv_export(master: int) -> list[str]:
    url = BASE + "/api/deployments/?format=csv"

    def fetch() -> tuple[float, int]:
        """Seconds to receive the whole export, and its lines (a row's text may hold line breaks)."""
        start = time.perf_counter()
        lines = 0
        with urllib.request.urlopen(url, timeout=120) as response:
            while block := response.read(1 << 16):
                lines += block.count(b"\n")
        return time.perf_counter() - start, lines

    def eight_at_once(cold: bool) -> tuple[float, float]:
        """The slowest of 8 simultaneous exports, and the largest growth of one worker's memory meanwhile."""
        if cold:
            invalidate_caches()
        before = {pid: rss_kib(pid) for pid in worker_pids(master)}
        peak = dict(before)
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(fetch) for _ in range(8)]
            while not all(future.done() for future in futures):
                for pid in peak:
                    peak[pid] = max(peak[pid], rss_kib(pid))
                time.sleep(0.02)
            slowest = max(future.result()[0] for future in futures)
        return slowest * 1000, max(peak[pid] - before[pid] for pid in peak) / 1024

    fetch()  # warm the workers
    cold = []
    for _ in range(3):
        invalidate_caches()
        cold.append(fetch())
    warm = [fetch() for _ in range(3)]
    memory = [rss_kib(pid) / 1024 for pid in worker_pids(master)]
    cold_slowest, cold_growth = eight_at_once(cold=True)
    warm_slowest, warm_growth = eight_at_once(cold=False)
    from register.models import Deployment

    peak = [rss_kib(pid, "VmHWM") / 1024 for pid in worker_pids(master)]
    return [
        f"Full CSV export of all {Deployment.objects.published().count():,} published deployments "
        f"({warm[0][1]:,} lines):",
        f"- right after an edit (built from the database): {statistics.median(t for t, _ in cold) * 1000:.0f} ms"
        " (median of 3)",
        f"- repeated (from the cache): {statistics.median(t for t, _ in warm) * 1000:.0f} ms (median of 3)",
        f"- 8 at once right after an edit: slowest {cold_slowest:.0f} ms, largest growth of one worker "
        f"{cold_growth:.1f} MiB",
        f"- 8 at once from the cache: slowest {warm_slowest:.0f} ms, largest growth of one worker "
        f"{warm_growth:.1f} MiB",
        f"- worker memory (resident) before the 8 at once: {min(memory):.0f}-{max(memory):.0f} MiB; "
        f"highest ever, after all exports: {min(peak):.0f}-{max(peak):.0f} MiB",
    ]


def main() -> int:
    # The same settings and cache as the server, so that invalidating here invalidates there.
    os.environ.update(
        {key: SERVER_ENV[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "REDIS_URL")}
    )
    urls = typical_urls()
    subprocess.run(["redis-cli", "-u", SERVER_ENV["REDIS_URL"], "FLUSHDB"], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=SERVER_ENV, check=True
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            # As the Dockerfile: a full CSV export streams for longer than gunicorn's default 30 s.
            "--timeout",
            "120",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=SERVER_ENV,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        header = (
            "| page or endpoint | p50 ms | p95 ms | p99 ms | req/s @4 | req/s @8 | errors @64 "
            "| cold ms | bare SQL ms | cold / SQL |"
        )
        print(f"\nScale: synthetic data; gunicorn {WORKERS} sync workers; wrk {DURATION} per run")
        print("Latency and throughput: under load, as served (anonymous reads come from the cache after the first).")
        print("cold: one request right after an edit, nothing cached; bare SQL: the cold request's queries alone.\n")
        print(header)
        print("|" + "---|" * 10)
        for name, path in urls:
            try:
                status = urllib.request.urlopen(BASE + path, timeout=120).status
            except OSError as error:  # a page too slow or failing is a row of the table, not the end of it
                print(f"| {name} `{path}` | failed: {error} | | | | | | | | |", flush=True)
                continue
            if status != 200:
                print(f"| {name} | HTTP {status} | | | | | | | | |")
                continue
            at4, at8, at64 = wrk(path, 4), wrk(path, 8), wrk(path, 64)
            cold = cold_ms(path)
            sql = bare_sql_ms(path)
            ratio = cold / sql if sql else float("nan")
            print(
                f"| {name} `{path}` | {at4['p50'] / 1000:.1f} | {at4['p95'] / 1000:.1f} | {at4['p99'] / 1000:.1f} "
                f"| {at4['rps']:.0f} | {at8['rps']:.0f} | {at64['errors']} | {cold:.0f} | {sql:.1f} | {ratio:.1f} |",
                flush=True,
            )
        print()
        try:
            for line in csv_export(server.pid):
                print(line)
        except OSError as error:
            print(f"Full CSV export of all deployments: failed: {error}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
