"""Each public page answers, shows the seed facts with their evidence, and hides drafts."""

import pytest
from django.urls import reverse

from foi_requests.models import FoiRequest

from .factories import DeploymentFactory, EvidenceFactory, FoiRequestFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", ["48", "forces", "8", "tools"]),
        ("/forces/", ["West Midlands Police", "Police Scotland (Police Service of Scotland)", "Northern Ireland"]),
        ("/forces/west-midlands/", ["IOM Model", "Knife Crime model", "November 2021", "855A/22"]),
        ("/forces/gwent/", ["QlikView", "XD mapping system", "Dashboards and business intelligence", "2023/26042"]),
        ("/tools/", ["Fearless Futures", "QlikView", "Built in house"]),
        ("/tools/qlikview/", ["QlikView", "Gwent Police", "2008", "QlikView was introduced into Gwent Police in 2008"]),
        ("/deployments/", ["Serious Violence model (MSV)", "May 2022", "Essex Police"]),
        (
            "/deployments/west-midlands/west-midlands-knife-crime-model/",
            ["27 November 2019", "Knife Crime DPIA conducted 27/11/2019", "question 1g", "Not disclosed"],
        ),
        ("/foi-requests/", ["DPO/FOI/002128/22", "16495", "16224", "Refused", "Information not held"]),
        (
            "/foi-requests/lancashire-dpo-foi-002128-22/",
            ["29 June 2022", "6 October 2022", "FOIA s12(1)", "108 products on this server"],
        ),
    ],
)
def test_page_shows_seed_facts(client, seed_data, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page, f"{text!r} missing from {url}"


def test_evidence_links_to_the_request_and_question(client, seed_data):
    page = client.get("/tools/qlikview/").content.decode()
    assert 'href="/foi-requests/gwent-2023-26042/#quote-' in page  # the request's page, at the passage
    assert "FOI 2023/26042, question 3b" in page


def test_request_page_lists_the_facts_it_supports(client, seed_data):
    page = client.get("/foi-requests/west-midlands-855a-22/").content.decode()
    assert "DPIA conducted 01/10/2019" in page
    assert 'href="/deployments/west-midlands/west-midlands-iom-model/"' in page


def test_requester_is_never_shown(client, seed_data):
    page = client.get("/foi-requests/lancashire-dpo-foi-002128-22/").content.decode()
    assert "Harkens" not in page
    assert "whatdotheyknow" not in page
    assert "FOI@lancashire.police.uk" in page


def test_numeric_id_redirects_to_the_citable_address(client, seed_data):
    lancashire = FoiRequest.objects.get(reference="DPO/FOI/002128/22")
    response = client.get(reverse("foi_requests:detail", args=[str(lancashire.pk)]))
    assert response.status_code == 301
    assert response["Location"] == "/foi-requests/lancashire-dpo-foi-002128-22/"


@pytest.mark.parametrize(
    "url",
    [
        "/forces/no-such-force/",
        "/tools/no-such-tool/",
        "/deployments/gwent/no-such-tool/",
        "/foi-requests/nope/",
        "/foi-requests/99999/",
    ],
)
def test_unknown_address_is_a_404_page(client, seed_data, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_drafts_are_absent_from_pages(client, db):
    draft_tool = ToolFactory(name="Secret Draft Tool", is_published=False)
    draft = DeploymentFactory(tool=draft_tool)
    draft_request = FoiRequestFactory(title="Unpublished request", is_published=False)
    assert "Secret Draft Tool" not in client.get("/tools/").content.decode()
    assert "Secret Draft Tool" not in client.get("/deployments/").content.decode()
    assert "Secret Draft Tool" not in client.get(draft.force.get_absolute_url()).content.decode()
    assert client.get(draft_tool.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft_request.get_absolute_url()).status_code == 404
    assert "Unpublished request" not in client.get("/foi-requests/").content.decode()


def test_evidence_from_an_unpublished_request_is_not_shown(client, db):
    deployment = DeploymentFactory()
    EvidenceFactory(
        deployment=deployment, quote="A passage from a draft answer", foi_request=FoiRequestFactory(is_published=False)
    )
    EvidenceFactory(deployment=deployment, quote="A passage from a published answer")
    page = client.get(deployment.get_absolute_url()).content.decode()
    assert "A passage from a published answer" in page
    assert "A passage from a draft answer" not in page


def test_pages_are_accessible_by_structure(client, seed_data):
    page = client.get("/forces/gwent/").content.decode()
    assert '<html lang="en-GB">' in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert "<title>Gwent Police – Police algorithmic tools register</title>" in page
    assert 'name="viewport"' in page
