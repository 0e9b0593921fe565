"""Detail pages show the source of every fact, linked to the passage, marked in the FOI answer."""

import re

from register.models import Evidence
from sitewide.views import ForceDetailView
from tests.factories import DeploymentFactory, FoiRequestFactory, ForceFactory, ToolFactory


def test_every_published_passage_about_a_tool_is_on_its_page_and_links_to_its_anchor(seed_data, client):
    html = client.get("/tools/west-midlands-knife-crime-model/").content.decode()
    passages = Evidence.objects.published().filter(tool__slug="west-midlands-knife-crime-model")
    assert passages
    for evidence in passages:
        assert f'href="/foi-requests/west-midlands-855a-22/#quote-{evidence.pk}"' in html
    assert "question 1e" in html


def test_the_anchor_exists_on_the_foi_page(seed_data, client):
    evidence = Evidence.objects.published().filter(deployment__isnull=False).first()
    html = client.get(evidence.source.foi_request.get_absolute_url()).content.decode()
    assert f'id="evidence-{evidence.pk}"' in html  # its row among the facts the answer supports
    assert f'<mark class="passage" id="quote-{evidence.pk}">' in html  # the passage, marked in the answer


def test_deployment_page_sources_its_facts_and_safeguards(seed_data, client):
    html = client.get("/deployments/west-midlands/west-midlands-knife-crime-model/").content.decode()
    anchors = set(re.findall(r'href="/foi-requests/[\w-]+/#quote-(\d+)"', html))
    expected = Evidence.objects.published().filter(deployment__tool__slug="west-midlands-knife-crime-model")
    expected_assessments = Evidence.objects.published().filter(
        assessment__deployment__tool__slug="west-midlands-knife-crime-model"
    )
    assert {str(e.pk) for e in [*expected, *expected_assessments]} <= anchors


def test_force_page_shows_tools_by_category_and_its_foi_record(seed_data, client):
    html = client.get("/forces/gwent/").content.decode()
    assert '<h3>Crime or hotspot mapping <span class="muted">(1)</span></h3>' in html
    assert "<h3>Dashboards and business intelligence" in html
    # Gwent's answer held no documents for 1f and no dates for 2b: partly successful.
    assert "Its requests by outcome of the whole request:" in html and "Partially provided" in html
    assert "/foi-requests/?force=gwent" in html
    lancashire = client.get("/forces/lancashire/").content.decode()
    assert "Refused" in lancashire
    nothing = client.get("/forces/cumbria/").content.decode()
    assert "The register holds no FOI request to this force yet" in nothing


def test_a_busy_force_page_shows_the_latest_and_links_to_the_rest(db, client, monkeypatch):
    monkeypatch.setattr(ForceDetailView, "deployments_shown", 2)
    monkeypatch.setattr(ForceDetailView, "latest_foi_requests", 2)
    force = ForceFactory(slug="busy")
    for n in range(4):
        DeploymentFactory(force=force, tool=ToolFactory(category="mapping", name=f"Tool {n}"))
    FoiRequestFactory.create_batch(3, force=force)
    html = client.get("/forces/busy/").content.decode()
    assert "The first 2 are below" in html
    assert "/deployments/?force=busy&amp;category=mapping" in html
    tools_section = html.split("<h2>FOI record</h2>")[0]
    assert tools_section.count('href="/deployments/busy/') == 2
    assert "The latest 2 are below" in html and "all 3 in the list of FOI requests" in html


def test_page_titles_say_where_you_are(seed_data, client):
    titles = {
        "/tools/qlikview/": "<title>QlikView \u2013 Police algorithmic tools register</title>",
        "/deployments/?category=mapping": "<title>Who uses what (filtered) \u2013 Police",
        "/search/?q=knife": "<title>Search results for “knife” \u2013 Police algorithmic tools register</title>",
        "/transparency/": "<title>What each force has disclosed, by kind of tool \u2013 Police",
    }
    for url, title in titles.items():
        assert title in client.get(url).content.decode()
