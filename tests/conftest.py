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
