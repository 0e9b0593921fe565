"""Costly public figures are cached, and any edit or publication invalidates them."""

import pytest
from django.db import connection
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
