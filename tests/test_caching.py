"""Costly public figures are cached, and any edit or publication invalidates them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import DeploymentFactory, FoiRequestFactory, ToolFactory

pytestmark = pytest.mark.django_db


def test_cached_facets_are_served_without_counting_again(client):
    DeploymentFactory.create_batch(3)
    with CaptureQueriesContext(connection) as cold:
        client.get("/tools/?category=mapping")
    with CaptureQueriesContext(connection) as warm:
        client.get("/tools/?category=mapping")
    assert len(warm) < len(cold)


def test_publishing_a_record_updates_the_facet_counts(client):
    draft = DeploymentFactory(tool=ToolFactory(category="biometrics"), is_published=False)
    page = client.get("/deployments/").content.decode()
    assert 'value="biometrics" disabled' in page
    draft.is_published = True
    draft.save()
    page = client.get("/deployments/").content.decode()
    assert 'value="biometrics" disabled' not in page


def test_editing_a_request_updates_the_foi_statistics(client):
    request = FoiRequestFactory(outcome="refused")
    assert ">1<" in client.get("/foi-requests/statistics/").content.decode()
    before = client.get("/foi-requests/statistics/").content.decode()
    request.delete()
    after = client.get("/foi-requests/statistics/").content.decode()
    assert before != after
    assert request.force.name not in after


def test_transparency_matrix_follows_a_new_deployment(client):
    deployment = DeploymentFactory(tool=ToolFactory(name="Brand New Matrix Tool", category="biometrics"))
    deployment.is_published = False
    deployment.save()
    assert "Brand New Matrix Tool" not in client.get("/transparency/").content.decode()
    deployment.is_published = True
    deployment.save()
    assert "Brand New Matrix Tool" in client.get("/transparency/").content.decode()


# Whole responses to anonymous reads (core.page_cache).


@pytest.mark.parametrize("url", ["/deployments/?category=mapping", "/api/deployments/?status=in_use", "/"])
def test_a_repeated_anonymous_read_is_served_without_a_query(client, url, django_assert_num_queries):
    DeploymentFactory.create_batch(3, tool=ToolFactory(category="mapping"))
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_an_edit_invalidates_the_cached_pages(client):
    deployment = DeploymentFactory(tool=ToolFactory(name="Before the edit"))
    assert "Before the edit" in client.get("/deployments/").content.decode()
    deployment.tool.name = "After the edit"
    deployment.tool.save()
    page = client.get("/deployments/").content.decode()
    assert "After the edit" in page and "Before the edit" not in page


def test_publishing_shows_the_record_on_the_cached_api_list(client):
    draft = DeploymentFactory(is_published=False)
    assert client.get("/api/deployments/").json()["count"] == 0
    draft.is_published = True
    draft.save()
    assert client.get("/api/deployments/").json()["count"] == 1


def test_a_cached_read_still_answers_a_conditional_get(client):
    ToolFactory()
    etag = client.get("/api/tools/")["ETag"]
    assert client.get("/api/tools/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signed_in_readers_and_token_holders_are_never_served_from_the_cache(staff_client):
    DeploymentFactory()
    anonymous = Client()
    anonymous.get("/deployments/")
    anonymous.get("/api/deployments/")
    with CaptureQueriesContext(connection) as signed_in:
        assert staff_client.get("/deployments/").status_code == 200
    assert len(signed_in) > 0
    with CaptureQueriesContext(connection) as with_token:
        Client().get("/api/deployments/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert len(with_token) > 0


def test_a_response_setting_a_cookie_is_never_shared():
    first, second = Client(), Client()
    first.get("/admin/login/")
    second.get("/admin/login/")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_response_marked_no_store_is_read_afresh(client):
    client.get("/health/")
    with CaptureQueriesContext(connection) as again:
        assert client.get("/health/").status_code == 200
    assert len(again) > 0


def test_while_one_request_rebuilds_a_page_after_an_edit_the_others_get_it_as_it_was(
    client, monkeypatch, django_assert_num_queries
):
    tool = ToolFactory(name="Before the edit")
    DeploymentFactory(tool=tool)
    client.get("/deployments/")
    tool.name = "After the edit"
    tool.save()
    monkeypatch.setattr("core.page_cache.claim_rebuild", lambda request, prefix: False)  # another is rebuilding
    with django_assert_num_queries(0):
        assert "Before the edit" in client.get("/deployments/").content.decode()
    monkeypatch.undo()
    assert "After the edit" in client.get("/deployments/").content.decode()


def test_an_unpublished_record_is_never_served_from_the_page_as_it_was(client, monkeypatch):
    deployment = DeploymentFactory()
    url = deployment.get_absolute_url()
    assert client.get(url).status_code == 200
    deployment.is_published = False
    deployment.save()
    assert client.get(url).status_code == 404  # the rebuild
    monkeypatch.setattr("core.page_cache.claim_rebuild", lambda request, prefix: False)
    assert client.get(url).status_code == 404


# The full CSV export (core.caching.cached_stream).


def test_a_repeated_csv_export_is_sent_from_the_cache_until_an_edit(client, django_assert_num_queries):
    DeploymentFactory.create_batch(3)
    first = b"".join(client.get("/api/deployments/?format=csv").streaming_content)
    with django_assert_num_queries(0):
        again = b"".join(client.get("/api/deployments/?format=csv").streaming_content)
    assert again == first
    DeploymentFactory(tool=ToolFactory(name="A tool added later"))
    assert b"A tool added later" in b"".join(client.get("/api/deployments/?format=csv").streaming_content)


def test_a_stream_with_an_evicted_piece_is_produced_again():
    from django.core.cache import cache

    from core.caching import cache_key, cached_stream

    productions = []

    def produce():
        productions.append(1)
        return iter(["header\n", "row 1\n", "row 2\n"])

    assert list(cached_stream("test", "parts", produce)) == ["header\n", "row 1\n", "row 2\n"]
    assert list(cached_stream("test", "parts", produce)) == ["header\n", "row 1\n", "row 2\n"]
    assert len(productions) == 1
    cache.delete(f"{cache_key('test', 'parts')}:1")
    assert list(cached_stream("test", "parts", produce)) == ["header\n", "row 1\n", "row 2\n"]
    assert len(productions) == 2
