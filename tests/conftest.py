import pytest
from django.core.management import call_command


@pytest.fixture
def seed_data(db):
    """The register as `load_seed_data` leaves it: forces and the five source documents' facts."""
    call_command("load_seed_data", verbosity=0)


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
    # And for the servers and commands a test starts in a process of their own.
    monkeypatch.setenv("ORIGINALS_ROOT", str(tmp_path / "originals"))
    return storage
