"""Two researchers saving the same record at the same moment on the embedded
SQLite default: one save wins (200), the other is told the record moved on (412),
and neither gets a 503 "database is locked".

The app runs under gunicorn with two workers, as in production, against a SQLite
file of its own: the in-memory test database has one connection and cannot show
two writers. On the PostgreSQL CI run the test still uses SQLite, which is its
subject; PostgreSQL's row locks are covered by the API tests.
"""

import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.live_server import start_gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
ROUNDS = 5
WRITERS = 2

SETUP = """
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from register.models import Tool

researchers = Group.objects.get(name="Researchers")
keys = []
for n in range({writers}):
    user = get_user_model().objects.create_user(f"researcher{{n}}", password="a-long-test-password", is_staff=True)
    user.groups.add(researchers)
    keys.append(Token.objects.create(user=user).key)
Tool.objects.create(name="Risk Model", slug="risk-model", category="individual_risk", is_published=False)
print(" ".join(keys))
"""


def request(url: str, token: str, method: str = "GET", body: dict | None = None, if_match: str = ""):
    """(status, ETag, body) of one API call; a refused connection is status 0."""
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if if_match:
        headers["If-Match"] = if_match
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=60) as response:
            return response.status, response.headers.get("ETag", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag", ""), error.read().decode()


def writer(url: str, token: str, name: str, barrier, results) -> None:
    """One researcher: each round, read the record once everyone has finished the
    previous round, then save it at the same moment as the others."""
    for round_ in range(ROUNDS):
        barrier.wait(timeout=60)  # the previous round is over: everyone reads the same version
        _, etag, _ = request(url, token)
        barrier.wait(timeout=60)  # everyone has read it: save together
        status, _, body = request(url, token, "PATCH", {"description": f"{name}, round {round_}"}, etag)
        results.put((round_, name, status, body[:300]))


@pytest.fixture
def app_on_a_sqlite_file():
    folder = Path(tempfile.mkdtemp(prefix="register-concurrent-"))
    server = None
    try:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": "concurrent-writes-test-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(folder / "static"),
            "REDIS_URL": "",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True, timeout=120)
        setup = subprocess.run(
            [*manage, "shell", "-v0", "-c", SETUP.format(writers=WRITERS)],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        tokens = setup.stdout.split()
        server, base = start_gunicorn(env, workers=2)
        url = f"{base}/api/tools/risk-model/"
        for _ in range(150):
            try:
                if request(url, tokens[0])[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield url, tokens, folder / "db.sqlite3"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def test_two_researchers_saving_at_once_get_one_200_and_one_412_never_a_5xx(app_on_a_sqlite_file):
    url, tokens, database = app_on_a_sqlite_file
    assert request(url, tokens[0])[0] == 200
    # Spawned, not forked: the writers share nothing with this process but the barrier and the queue.
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WRITERS), context.Queue()
    writers = [
        context.Process(target=writer, args=(url, token, f"researcher{n}", barrier, results))
        for n, token in enumerate(tokens)
    ]
    for process in writers:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(ROUNDS * WRITERS)]
    for process in writers:
        process.join(timeout=30)
        assert process.exitcode == 0

    assert not [o for o in outcomes if o[2] >= 500 or "locked" in o[3]], outcomes
    for round_ in range(ROUNDS):
        statuses = sorted(status for r, _, status, _ in outcomes if r == round_)
        assert statuses == [200, 412], (round_, outcomes)
    # The record carries the winner's last save.
    status, _, body = request(url, tokens[0])
    winners = {name for r, name, status, _ in outcomes if status == 200 and r == ROUNDS - 1}
    assert status == 200 and json.loads(body)["description"] == f"{winners.pop()}, round {ROUNDS - 1}"
    # Reads never wait for a write: the file is in write-ahead-log mode.
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
