"""Database outages: a clear 503 (page or JSON), /health/, and recovery without a restart.

The outage test runs the app under gunicorn against a PostgreSQL server of its
own (initdb into a temporary folder, run as the `postgres` user when the tests
run as root, as CI does), stops that server midway and starts it again.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from core.faults import DatabaseUnavailableMiddleware, is_database_unavailable, server_error
from tests.live_server import free_port, start_gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent


def failing_view(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.parametrize(
    ("path", "content_type", "text"),
    [("/tools/", "text/html", "temporarily unavailable"), ("/api/tools/", "application/json", '"detail"')],
)
def test_a_database_error_in_a_view_is_a_503_page_or_json(path, content_type, text):
    middleware = DatabaseUnavailableMiddleware(failing_view)
    request = RequestFactory().get(path)
    try:
        failing_view(request)
    except OperationalError as exc:
        response = middleware.process_exception(request, exc)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert response["Retry-After"] == "30"
    assert text in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_other_errors_are_not_disguised_as_outages():
    assert not is_database_unavailable(ValueError("bad"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError as outer:
        assert is_database_unavailable(outer)


def test_handler500_answers_503_for_an_outage_raised_outside_a_view():
    request = RequestFactory().get("/forces/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise KeyError("a bug")
    except KeyError:
        response = server_error(request)
    assert response.status_code == 500


@pytest.mark.django_db
def test_health_is_200_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# --- A real outage ----------------------------------------------------------------------------------------


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    assert found[-1], f"PostgreSQL's {name} is needed for the outage test (.ci/run installs it)"
    return found[-1]


def as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root: CI runs as root, so the server runs as `postgres`.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class TemporaryPostgres:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="register-outage-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            as_postgres([postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
            check=True,
            capture_output=True,
            timeout=120,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        subprocess.run(
            as_postgres(
                [
                    postgres_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.folder / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def stop(self) -> None:
        subprocess.run(
            as_postgres([postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
            timeout=60,
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def app_on_its_own_postgres():
    database = TemporaryPostgres()
    server = None
    try:
        database.start()
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {
            "DATABASE_URL": database.url,
            "DEBUG": "false",
            "SECRET_KEY": "outage-test-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(database.folder / "static"),
        }
        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["load_seed_data", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([*manage, *command], cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
        server, base = start_gunicorn(env, workers=1)
        for _ in range(100):
            try:
                if get(f"{base}/health/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield base, database
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.remove()


def test_an_outage_gives_503_and_the_app_recovers_by_itself(app_on_its_own_postgres):
    base, database = app_on_its_own_postgres
    status, _, page = get(f"{base}/tools/")
    assert status == 200 and "Tools" in page
    assert get(f"{base}/health/")[0] == 200

    database.stop()
    # A page read before the outage is still served, from the cache; any other is a 503.
    status, _, page = get(f"{base}/tools/")
    assert status == 200 and "Tools" in page
    status, content_type, page = get(f"{base}/tools/?category=mapping")
    assert status == 503
    assert content_type.startswith("text/html")
    assert "temporarily unavailable" in page and "Traceback" not in page
    status, content_type, body = get(f"{base}/health/")
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}
    assert get(f"{base}/forces/")[0] == 503

    database.start()
    # The same server process, not restarted: the next request reconnects.
    status, _, page = get(f"{base}/tools/")
    assert status == 200 and "Tools" in page
    assert get(f"{base}/health/")[0] == 200
