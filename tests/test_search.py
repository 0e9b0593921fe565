"""Search: /search/?q= and the `search` filter on each list, published records only."""

import pytest

from core.search import excerpt, highlight, uses_postgres
from tests.factories import DeploymentFactory, FoiRequestFactory, ToolFactory


def group(response, key: str) -> list:
    return next(g for g in response.context["groups"] if g["key"] == key)["results"]


def test_search_finds_a_tool_by_its_name(seed_data, client):
    response = client.get("/search/?q=QlikView")
    assert response.status_code == 200
    assert group(response, "tools")[0].name == "QlikView"
    assert "<mark>QlikView</mark>" in response.content.decode()


def test_search_finds_a_tool_by_a_word_of_its_description(seed_data, client):
    response = client.get("/search/?q=imported")
    assert "XD mapping system" in [tool.name for tool in group(response, "tools")]


def test_search_finds_forces_deployments_and_foi_requests(seed_data, client):
    response = client.get("/search/?q=Gwent")
    assert [force.slug for force in group(response, "forces")] == ["gwent"]
    assert {d.force.slug for d in group(response, "deployments")} == {"gwent"}
    assert [r.slug for r in group(response, "foi_requests")] == ["gwent-2023-26042"]
    assert "/foi-requests/?search=Gwent" in response.content.decode()


def test_search_by_reference_finds_the_foi_request(seed_data, client):
    response = client.get("/search/?q=855A/22")
    assert [r.slug for r in group(response, "foi_requests")] == ["west-midlands-855a-22"]


def test_a_misspelt_name_is_found_on_postgresql(seed_data, client):
    """Trigram similarity on PostgreSQL; SQLite's plain fallback matches words as typed."""
    names = [tool.name for tool in group(client.get("/search/?q=Qlikveiw"), "tools")]
    if uses_postgres():
        assert names == ["QlikView"]
    else:
        assert names == []


def test_list_search_uses_the_same_backend(seed_data, client):
    response = client.get("/tools/?search=four+weeks+knife")
    assert [tool.name for tool in response.context["tools"]] == ["Knife Crime model"]


def test_search_never_shows_drafts(db, client):
    ToolFactory(name="Draftmatic", is_published=False)
    DeploymentFactory(purpose="Draftmatic use", is_published=False)
    FoiRequestFactory(title="Draftmatic request", is_published=False)
    response = client.get("/search/?q=Draftmatic")
    assert response.context["total"] == 0
    assert "Nothing in the register matches" in response.content.decode()


def test_empty_query_shows_only_the_form(db, client):
    response = client.get("/search/?q=")
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_highlight_escapes_the_text_and_the_query():
    marked = highlight("<script>alert(1)</script> Knife crime", "knife <script>")
    assert "<script>" not in marked
    assert "&lt;<mark>script</mark>&gt;" in marked
    assert "<mark>Knife</mark> crime" in marked


@pytest.mark.parametrize("query", ["", "   ", "a"])
def test_highlight_without_words_only_escapes(query):
    assert highlight("a < b", query) == "a &lt; b"


def test_excerpt_centres_on_the_first_match():
    text = "word " * 100 + "needle in the hay " + "word " * 100
    passage = excerpt(text, "needle", width=60)
    assert "needle" in passage and passage.startswith("… ") and passage.endswith(" …")
    assert len(passage) <= 70


def test_searching_for_a_requester_does_not_find_their_request(client, seed_data):
    for url in ("/search/?q=Harkens", "/foi-requests/?search=Harkens", "/api/foi-requests/?search=Harkens"):
        page = client.get(url).content.decode()
        assert "002128" not in page, url
    assert "002128" in client.get("/foi-requests/?search=dashboard").content.decode()


def test_a_deployment_is_found_by_words_of_its_force_and_of_its_tool(seed_data, client):
    response = client.get("/deployments/?search=Gwent+QlikView")
    assert [(d.force.slug, d.tool.name) for d in response.context["deployments"]] == [("gwent", "QlikView")]


def test_a_negated_word_leaves_out_what_it_names(db, client):
    tool = ToolFactory(name="Patrolmapper")
    for force in ("Northshire", "Southshire"):
        DeploymentFactory(tool=tool, force__name=f"{force} Police", force__slug=force.lower())
    response = client.get("/deployments/?search=patrolmapper+-northshire")
    assert [d.force.slug for d in response.context["deployments"]] == ["southshire"]
    # Without a negation the tool's name is also a near miss for the query: best match first.
    response = client.get("/deployments/?search=patrolmapper+southshire")
    assert response.context["deployments"][0].force.slug == "southshire"
