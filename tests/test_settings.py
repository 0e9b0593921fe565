"""Configuration comes from the environment, and production refuses an unsafe secret."""

import os
import subprocess
import sys

from django.conf import settings


def run_check(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_fails_with_one_clear_line():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Refusing to start: DEBUG is off and SECRET_KEY is not set. Set SECRET_KEY to a long random string."
    )


def test_debug_off_with_a_real_secret_key_starts():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="register.example.org")
    assert result.returncode == 0, result.stderr


def test_development_defaults_need_no_configuration():
    result = run_check()
    assert result.returncode == 0, result.stderr
