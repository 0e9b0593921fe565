"""PAGE_CACHE=false: every read is built from the database, as right after an edit (the
benchmark's "cache off"). A queryset `update()` sends no signal, so it changes the rows
without invalidating anything cached: only a read built afresh shows it."""

import pytest

from register.models import Tool

from .factories import DeploymentFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("page_cache", "shows_the_change"), [(True, False), (False, True)])
def test_a_repeated_page_is_built_afresh_only_with_the_page_cache_off(client, settings, page_cache, shows_the_change):
    settings.PAGE_CACHE = page_cache
    DeploymentFactory(tool=ToolFactory(name="Before the change"))
    assert "Before the change" in client.get("/deployments/").content.decode()
    Tool.objects.update(name="After the change")
    page = client.get("/deployments/").content.decode()
    assert ("After the change" in page) is shows_the_change


def test_facet_counts_are_counted_afresh_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE = False
    DeploymentFactory(tool=ToolFactory(category="mapping"))
    assert 'value="biometrics" disabled' in client.get("/deployments/").content.decode()
    Tool.objects.update(category="biometrics")
    page = client.get("/deployments/").content.decode()
    assert 'value="biometrics" disabled' not in page
    assert 'value="mapping" disabled' in page


def test_the_csv_export_is_read_afresh_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE = False
    DeploymentFactory(tool=ToolFactory(name="Before the change"))
    assert b"Before the change" in b"".join(client.get("/api/deployments/?format=csv").streaming_content)
    Tool.objects.update(name="After the change")
    export = b"".join(client.get("/api/deployments/?format=csv").streaming_content)
    assert b"After the change" in export and b"Before the change" not in export
