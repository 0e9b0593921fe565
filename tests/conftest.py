import importlib
import shutil

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(autouse=True)
def editorial_groups(request):
    """The Researchers and Editors groups, as their data migration makes them: a live-server
    test empties every table when it ends, and the tests a worker runs after it need them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if not (marker or transactional or "db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps
    from django.contrib.auth.models import Group

    from core.publishing import EDITORS

    if not Group.objects.filter(name=EDITORS).exists():
        importlib.import_module("sitewide.migrations.0001_researchers_and_editors").create_groups(apps, None)


@pytest.fixture(scope="session")
def seed_dump(django_db_setup, django_db_blocker, tmp_path_factory):
    """The register as `load_seed_data` leaves it, loaded once per test process and kept as a
    fixture file (`seed.json`, history included) beside the originals it archived (`originals/`):
    loading that file takes a fraction of the command's time, for the hundred tests that start from it."""
    from register.models import Source

    folder = tmp_path_factory.mktemp("seed")
    fields = [Source._meta.get_field(name) for name in ("original", "redacted_original")]
    storages = [field.storage for field in fields]
    for field in fields:
        field.storage = FileSystemStorage(location=str(folder / "originals"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("load_seed_data", verbosity=0)
            call_command("dumpdata", "register", "foi_requests", output=str(folder / "seed.json"), verbosity=0)
            transaction.set_rollback(True)
    finally:
        for field, storage in zip(fields, storages, strict=True):
            field.storage = storage
    return folder


def load_seed_dump(folder, originals_storage) -> None:
    """The seed data as `load_seed_data` leaves it, from `seed_dump`, its originals in this test's storage."""
    if (folder / "originals").exists():
        shutil.copytree(folder / "originals", originals_storage.location, dirs_exist_ok=True)
    call_command("loaddata", str(folder / "seed.json"), verbosity=0)


@pytest.fixture
def seed_data(db, seed_dump, originals_storage):
    """The register as `load_seed_data` leaves it: forces and the five source documents' facts."""
    load_seed_dump(seed_dump, originals_storage)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test leaves no trace in
    the database, and must leave none in cached figures either."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def originals_storage(settings, tmp_path, monkeypatch):
    """Archived originals go to a temporary folder for each test, never to BASE_DIR/originals.
    A FileField resolves its storage when its model is loaded, so the fields are pointed
    at the new storage as well as the setting; processes a test starts read ORIGINALS_ROOT."""
    from django.core.files.storage import storages

    from register.models import Source

    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "originals")},
        },
    }
    storage = storages["originals"]
    for name in ("original", "redacted_original"):
        monkeypatch.setattr(Source._meta.get_field(name), "storage", storage)
    # Files attached to corrections from the public are kept in the same private storage.
    from corrections.models import Correction

    monkeypatch.setattr(Correction._meta.get_field("attachment"), "storage", storage)
    # And for the servers and commands a test starts in a process of their own.
    monkeypatch.setenv("ORIGINALS_ROOT", str(tmp_path / "originals"))
    return storage


@pytest.fixture(autouse=True)
def dump_root(settings, tmp_path, monkeypatch):
    """The dump of the register (`/api/dump/`, `build_dump`) is built in a temporary folder for
    each test, never in BASE_DIR/dumps; processes a test starts read DUMP_ROOT."""
    settings.DUMP_ROOT = tmp_path / "dumps"
    monkeypatch.setenv("DUMP_ROOT", str(tmp_path / "dumps"))
    return settings.DUMP_ROOT
