"""Security headers on every response, admin login lockout, `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "production-like-test-key-" + "x" * 40,
    "ALLOWED_HOSTS": "register.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://register.example.org",
}


@pytest.mark.parametrize("path", ["/", "/tools/", "/api/", "/admin/login/", "/changes/", "/health/"])
def test_security_headers_on_pages_api_and_admin(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_adds_hsts_secure_cookies_and_https_redirect(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    assert client.get("/tools/").status_code == 301  # plain HTTP is redirected
    response = client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert client.get("/health/").status_code == 200  # the container's check stays on HTTP


def test_admin_login_locks_out_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "the-right-password-123")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": "editor", "password": "the-right-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_still_works(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "the-right-password-123")
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password-123"})
    assert response.status_code == 302
    assert client.login(username="editor", password="the-right-password-123")  # no request: not counted


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests allow async-unsafe calls in this process; production never does.
    ignored = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in ignored} | PRODUCTION_ENV
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # Nothing is silenced but, on SQLite, its note that covering indexes leave out their extra columns.
    if "postgres" in os.environ.get("DATABASE_URL", ""):
        assert "(0 silenced)" in result.stdout
    assert settings.SILENCED_SYSTEM_CHECKS in ([], ["models.W040"])


def test_uploads_are_limited_in_size(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/admin/login/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 400
