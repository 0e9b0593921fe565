"""The register against Datasette on the same published rows: one table per database.

    .venv/bin/python -m bench.side_by_side sqlite:////tmp/bench/register.sqlite3 \\
        postgres://postgres@127.0.0.1:5432/register_bench

or `bench/run.sh --side-by-side`, which prepares both databases first. For each register
database given (prepared; `migrate` brings its schema up to date), it builds Datasette's copy of its published rows
(`bench.datasette_copy`), serves it with `datasette serve` (Datasette 0.65.5, installed on
first use into bench/.venv-datasette, a benchmark tool and never a dependency of the app) and
serves the register under gunicorn with production settings, first with its cache off
(PAGE_CACHE=false: every request is cold) and then on (Redis, as in production). For each view
it measures requests per second at 1 and 8 clients with wrk (BENCH_DURATION each), the
register's p95 at 4 clients with its cache off, and, for the CSV of all deployments, the median
time of 3 full downloads. Ratios are the register's speed over Datasette's (above 1: faster).
Before measuring it prints each pair's status and row counts, so that both answer alike.
"""

import csv
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.benchmark import ROOT, SERVER_ENV, wrk
from bench.datasette_copy import SAFEGUARD_COLUMNS

DURATION = os.environ.get("BENCH_DURATION", "8s")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
REGISTER_PORT = int(os.environ.get("SXS_REGISTER_PORT", "8451"))
DATASETTE_PORT = int(os.environ.get("SXS_DATASETTE_PORT", "8450"))
# A Redis database of its own, emptied before each run with the cache on.
REDIS_URL = os.environ.get("SXS_REDIS_URL", "redis://127.0.0.1:6379/11")
DATASETTE_VERSION = "0.65.5"
DATASETTE_VENV = ROOT / "bench/.venv-datasette"
# Datasette's defaults give up on a facet after 200 ms and a query after 1 s, and show the page
# without it: raised, so that both systems do the whole work. Otherwise as `datasette publish`
# serves a database: immutable.
DATASETTE_SETTINGS = {"sql_time_limit_ms": "60000", "facet_time_limit_ms": "60000"}
DOWNLOADS = 3
# Fewer requests answered in a run than this: the rate is rough (marked "*"); lengthen BENCH_DURATION.
FEW_REQUESTS = 5
SEARCH = os.environ.get("SXS_SEARCH", "facial recognition")


@dataclass
class View:
    name: str
    register: str
    datasette: str
    # The same rows' count on each side: (register API URL, Datasette JSON URL).
    register_count: str
    datasette_count: str
    download: bool = False  # timed as whole downloads, not requests per second


def query(**parameters) -> str:
    pairs = [(name, value) for name, values in parameters.items() for value in values]
    return urllib.parse.urlencode(pairs)


def as_json(path: str) -> str:
    """Datasette's JSON of a table page, with its facets: `/db/table?...` → `/db/table.json?...`."""
    table, _, parameters = path.partition("?")
    return f"{table}.json?{parameters}"


def views(busiest_force: str, database: str = "register") -> list[View]:
    """The pairs of equivalent URLs: 50 rows a page on both, facets on the register's list pages'."""
    deployment_facets = [
        "category",
        "status",
        "force_name",
        "nation",
        "supplier",
        "technique",
        "origin",
        *SAFEGUARD_COLUMNS,
    ]
    foi_facets = query(
        _facet=["force_name", "nation", "outcome", "deadline"],
        _facet_array=["exemptions", "categories_asked", "question_outcomes"],
    )
    in_use = f"/{database}/deployments?status=in_use&_size=50"
    listed = f"{in_use}&{query(_facet=deployment_facets)}"
    of_force = f"/{database}/foi_requests?force_slug={busiest_force}&_size=50&{foi_facets}"
    search = urllib.parse.quote_plus(SEARCH)
    searched = f"/{database}/deployments?_search={search}&_size=50"
    csv_all = f"/{database}/deployments.csv?_stream=on&_size=max"
    return [
        View(
            "deployments list, status filter, facet counts",
            "/deployments/?status=in_use",
            listed,
            "/api/deployments/?status=in_use",
            as_json(listed),
        ),
        View(
            "the same list as JSON",
            "/api/deployments/?status=in_use",
            f"{as_json(in_use)}&_shape=objects",
            "/api/deployments/?status=in_use",
            as_json(in_use),
        ),
        View(
            f"FOI requests of the busiest force ({busiest_force}), facets",
            f"/foi-requests/?force={busiest_force}",
            of_force,
            f"/api/foi-requests/?force={busiest_force}",
            as_json(of_force),
        ),
        View(
            f'search "{SEARCH}" (Datasette: deployments, FTS5)',
            f"/search/?q={search}",
            searched,
            f"/api/deployments/?search={search}",
            as_json(searched),
        ),
        View(
            "CSV of all deployments (one full download)",
            "/api/deployments/?format=csv",
            csv_all,
            "/api/deployments/?format=csv",
            csv_all,
            download=True,
        ),
    ]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def row_count(url: str) -> str:
    """The rows a URL answers: a CSV's records, else the API's `count` or Datasette's filtered count."""
    status, body = fetch(url)
    if status != 200:
        return f"HTTP {status}"
    if ".csv" in url or "format=csv" in url:
        return str(sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1)
    data = json.loads(body)
    count = data.get("count", data.get("filtered_table_rows_count"))
    timed_out = data.get("facets_timed_out") or []
    return f"{count}" + (f" (facets timed out: {', '.join(timed_out)})" if timed_out else "")


def download_seconds(url: str) -> float:
    """The median time of whole downloads of `url`."""
    timings = []
    for _ in range(DOWNLOADS):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=600) as response:
            while response.read(1 << 16):
                pass
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def requests_per_second(base: str, path: str, clients: int) -> dict:
    # wrk needs at least one connection per thread.
    report = wrk(path, clients, base=base, threads=min(2, clients), duration=DURATION)
    # No request answered within the run: no latency to report.
    p95 = report["p95"] / 1000 if report["requests"] else float("nan")
    return {"rps": report["rps"], "requests": report["requests"], "errors": report["errors"], "p95_ms": p95}


def measure(base: str, view_: View, path: str, p95: bool = False) -> dict:
    fetch(base + path)  # warm the workers (and, with the cache on, the cache)
    if view_.download:
        return {"seconds": download_seconds(base + path)}
    result = {"at1": requests_per_second(base, path, 1), "at8": requests_per_second(base, path, 8)}
    if p95:
        result["at4"] = requests_per_second(base, path, 4)
    return result


def attempt(measure_, *args, **kwargs) -> dict:
    """A measurement, or the reason it failed: one failing view is a row of the table, not the end of the run."""
    try:
        return measure_(*args, **kwargs)
    except (OSError, subprocess.CalledProcessError, ValueError) as error:
        return {"failed": str(error).splitlines()[0][:80]}


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def datasette() -> Path:
    """The benchmark's own Datasette, installed on first use."""
    executable = DATASETTE_VENV / "bin/datasette"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        pip = [str(DATASETTE_VENV / "bin/pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"]
        subprocess.run(pip, check=True)
    return executable


def serve_datasette(path: Path) -> subprocess.Popen:
    settings = [arg for name, value in DATASETTE_SETTINGS.items() for arg in ("--setting", name, value)]
    command = [str(datasette()), "serve", "-i", str(path), "--port", str(DATASETTE_PORT), *settings]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{DATASETTE_PORT}/-/versions.json", process)
    return process


def register_env(database_url: str, cache_on: bool) -> dict:
    # Redis either way, as in production: with the cache off, the API's throttle still counts there.
    return {
        **SERVER_ENV,
        "DATABASE_URL": database_url,
        "PAGE_CACHE": "true" if cache_on else "false",
        "REDIS_URL": REDIS_URL,
    }


def serve_register(database_url: str, cache_on: bool, log: Path) -> subprocess.Popen:
    env = register_env(database_url, cache_on)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{REGISTER_PORT}",
        "--timeout",
        "120",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for(f"http://127.0.0.1:{REGISTER_PORT}/health/", process)
    return process


def build_copy(database_url: str, path: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "ALLOWED_HOSTS": "testserver"}
    # The register's schema as the code expects it (a database prepared before a new migration).
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "bench.datasette_copy", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def per_second(result: dict) -> str:
    """ "5.7 / 9.2": requests per second at 1 and 8 clients, with any errors."""
    cells = []
    for key in ("at1", "at8"):
        run = result[key]
        if run["requests"] == 0:
            cells.append(f"none in {DURATION}")
            continue
        # A rate from a few requests is rough: marked, see FEW_REQUESTS.
        cell = f"{run['rps']:.1f}" + ("*" if run["requests"] < FEW_REQUESTS else "")
        cells.append(cell + (f" ({run['errors']} errors)" if run["errors"] else ""))
    return " / ".join(cells)


def ratio(register: dict, datasette_: dict) -> str:
    """The register's speed over Datasette's: requests per second, or the inverse of download times."""
    if "failed" in register or "failed" in datasette_:
        return "-"
    if "seconds" in register:
        return f"{datasette_['seconds'] / register['seconds']:.2f}"
    ratios = []
    for key in ("at1", "at8"):
        answered = register[key]["requests"] and datasette_[key]["requests"]
        ratios.append(f"{register[key]['rps'] / datasette_[key]['rps']:.2f}" if answered else "-")
    return " / ".join(ratios)


def cell(result: dict) -> str:
    if "failed" in result:
        return f"failed: {result['failed']}"
    return f"{result['seconds']:.2f} s" if "seconds" in result else per_second(result)


def table_row(name: str, datasette_: dict, cold: dict, warm: dict) -> str:
    p95 = f"{cold['at4']['p95_ms']:.0f}" if "at4" in cold and cold["at4"]["p95_ms"] == cold["at4"]["p95_ms"] else "-"
    cells = [name, cell(datasette_), cell(cold), ratio(cold, datasette_), cell(warm), ratio(warm, datasette_), p95]
    return "| " + " | ".join(cells) + " |"


TABLE_HEADER = (
    "| view | Datasette req/s 1 / 8 | register cache off 1 / 8 | ratio | register cache on 1 / 8 | ratio "
    "| register cache off p95 ms @4 |\n|---|---|---|---|---|---|---|"
)


def label(database_url: str) -> str:
    return "PostgreSQL" if database_url.startswith(("postgres:", "postgresql:")) else "SQLite"


def compare(database_url: str, workdir: Path) -> None:
    name = label(database_url)
    print(f"\n## {name}: {database_url}\n", flush=True)
    copy = build_copy(database_url, workdir / name.lower() / "register.db")
    print(f"Datasette's copy: {copy['rows']} published rows, built in {copy['total_s']} s", flush=True)
    pairs = views(copy["busiest_force"])
    datasette_base = f"http://127.0.0.1:{DATASETTE_PORT}"
    register_base = f"http://127.0.0.1:{REGISTER_PORT}"
    log = workdir / f"{name.lower()}-gunicorn.log"
    print(f"The register's error log: {log}", flush=True)
    datasette_server = serve_datasette(Path(copy["path"]))
    results = {}
    load = os.getloadavg()[0]
    try:
        register_server = serve_register(database_url, cache_on=False, log=log)
        try:
            print("\nCheck (status of each URL; rows each side answers):", flush=True)
            for pair in pairs:
                register = fetch(register_base + pair.register)[0], row_count(register_base + pair.register_count)
                theirs = fetch(datasette_base + pair.datasette)[0], row_count(datasette_base + pair.datasette_count)
                print(
                    f"- {pair.name}: register HTTP {register[0]}, {register[1]} rows; "
                    f"Datasette HTTP {theirs[0]}, {theirs[1]} rows",
                    flush=True,
                )
            for pair in pairs:
                results[pair.name] = {
                    "datasette": attempt(measure, datasette_base, pair, pair.datasette),
                    "cold": attempt(measure, register_base, pair, pair.register, p95=True),
                }
        finally:
            stop(register_server)
        register_server = serve_register(database_url, cache_on=True, log=log)
        try:
            for pair in pairs:
                results[pair.name]["warm"] = attempt(measure, register_base, pair, pair.register)
        finally:
            stop(register_server)
    finally:
        stop(datasette_server)
    print(
        f"\n{name}: register under gunicorn ({WORKERS} sync workers, production settings); Datasette "
        f"{DATASETTE_VERSION} (`datasette serve -i`) on its SQLite copy; wrk {DURATION} per figure; "
        f"CSV: median of {DOWNLOADS} downloads. Ratio: the register's speed over Datasette's. "
        f"Load average when measuring began: {load:.1f} on {os.cpu_count()} CPUs.\n"
    )
    print(TABLE_HEADER)
    for pair in pairs:
        result = results[pair.name]
        print(table_row(pair.name, result["datasette"], result["cold"], result["warm"]), flush=True)
    print(f"\n*: fewer than {FEW_REQUESTS} requests answered in the run, a rough rate; lengthen BENCH_DURATION.")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bench.side_by_side DATABASE_URL [DATABASE_URL ...] (prepared register databases)")
        return 2
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=SERVER_ENV, check=True
    )
    workdir = Path(os.environ.get("SXS_WORKDIR") or tempfile.mkdtemp(prefix="datasette-copy-"))
    for database_url in argv:
        compare(database_url, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
