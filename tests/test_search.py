"""Search: /search/?q= and the `search` filter on each list, published records only."""

import pytest
from django.core.management import call_command

from core.search import allowed_edits, edit_distance, excerpt, highlight, nearest_words
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


@pytest.mark.parametrize(
    ("query", "key", "found", "searched_for"),
    [
        ("Qlikveiw", "tools", "QlikView", "qlikview"),
        ("knfie crime", "tools", "Knife Crime model", "knife crime"),
        ("Gwnet", "forces", "Gwent Police", "gwent"),
    ],
)
def test_a_misspelt_word_is_searched_as_the_nearest_words_of_the_register(
    seed_data, client, query, key, found, searched_for
):
    response = client.get("/search/", {"q": query})
    names = [str(getattr(record, "name", record)) for record in group(response, key)]
    assert names[0] == found
    assert response.context["searched_for"] == searched_for
    page = response.content.decode()
    assert f"Showing results for <strong>{searched_for}</strong>" in page
    assert f"“{query.split()[0]}”" in page  # the word as typed, named


def test_a_misspelt_word_is_corrected_in_every_list_search_and_the_api(seed_data, client):
    assert [tool.name for tool in client.get("/tools/?search=qlikveiw").context["tools"]] == ["QlikView"]
    assert [tool["name"] for tool in client.get("/api/tools/?search=qlikveiw").json()["results"]] == ["QlikView"]
    deployments = client.get("/deployments/?search=gwnet+qlikveiw").context["deployments"]
    assert [(d.force.slug, d.tool.name) for d in deployments] == [("gwent", "QlikView")]


def test_a_word_of_the_register_is_searched_as_typed(seed_data, client):
    response = client.get("/search/?q=Gwent")
    assert response.context["searched_for"] == ""
    assert "Showing results for" not in response.content.decode()


def test_a_correction_never_names_a_word_only_drafts_hold(db, client):
    ToolFactory(name="Zephyrometer", description="Unannounced.", is_published=False)
    response = client.get("/search/?q=zephyrometre")
    assert response.context["total"] == 0
    page = response.content.decode()
    assert "zephyrometer" not in page.lower() and "Showing results for" not in page


def test_search_follows_every_edit_of_the_records_it_reads(db, client):
    """The indexes are kept in step by the database (triggers on SQLite), renaming a tool included."""
    tool = ToolFactory(name="Beaconmapper", description="Maps beacons.")
    deployment = DeploymentFactory(tool=tool, purpose="Finds lost hikers.")

    def found(query: str) -> list:
        return [d.pk for d in client.get("/deployments/", {"search": query}).context["deployments"]]

    assert found("beaconmapper hikers") == [deployment.pk]
    tool.name = "Lighthousemapper"
    tool.save()
    assert found("beaconmapper") == [] and found("lighthousemapper hikers") == [deployment.pk]
    deployment.purpose = "Finds lost climbers."
    deployment.save()
    assert found("hikers") == [] and found("climbers") == [deployment.pk]
    deployment.delete()
    assert found("climbers") == []


@pytest.mark.django_db(transaction=True)
def test_search_survives_the_records_it_reads_being_deleted_in_any_order(client):
    """Emptying the tables in the order a flush takes (a tool before its deployments, as the
    live-server tests do between tests) leaves an index that still answers, then finds new rows."""
    DeploymentFactory(tool=ToolFactory(name="Beaconmapper"), purpose="Finds lost hikers.")
    call_command("flush", interactive=False, verbosity=0)
    deployment = DeploymentFactory(tool=ToolFactory(name="Lighthousemapper"), purpose="Finds lost climbers.")
    response = client.get("/deployments/", {"search": "lighthousemapper climbers"})
    assert [d.pk for d in response.context["deployments"]] == [deployment.pk]
    assert client.get("/search/", {"q": "hikers"}).context["total"] == 0


def test_results_are_ranked_best_first(db, client):
    ToolFactory(name="Ledger", description="A ledger with one mention of burglary among many other words here.")
    ToolFactory(name="Burglary Forecaster", description="Forecasts burglary: burglary hotspots and burglary risk.")
    response = client.get("/search/?q=burglary")
    assert [tool.name for tool in group(response, "tools")] == ["Burglary Forecaster", "Ledger"]


@pytest.mark.parametrize(
    ("word", "nearby", "far"),
    [
        ("gwnet", "gwent", "kent"),  # two letters swapped: one edit
        ("knfie", "knife", "knives"),
        ("polce", "police", "policy"),  # a letter left out
        ("qlikveiw", "qlikview", "clickview"),  # eight letters: two edits allowed
        ("recognitoin", "recognition", "recognise"),
    ],
)
def test_the_typo_rule(word, nearby, far):
    assert nearest_words(word, [far, nearby]) == [nearby]


def test_edit_distance_is_the_optimal_string_alignment():
    assert edit_distance("gwent", "gwnet", 2) == 1  # adjacent letters swapped
    assert edit_distance("knife", "knif", 2) == 1
    assert edit_distance("knife", "kn1fe", 2) == 1
    assert edit_distance("ca", "abc", 3) == 3  # no substring edited twice (Damerau proper: 2)
    assert edit_distance("police", "forces", 2) == 3  # beyond the limit: the limit plus one


@pytest.mark.parametrize(("word", "edits"), [("kent", 1), ("gwent", 1), ("qlikview", 2), ("car", 0), ("2019", 0)])
def test_allowed_edits_grow_with_the_word(word, edits):
    assert allowed_edits(word) == edits


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
    # Without a negation both words are required.
    response = client.get("/deployments/?search=patrolmapper+southshire")
    assert response.context["deployments"][0].force.slug == "southshire"


@pytest.mark.parametrize("query", ["!!!", "-", "“”"])
def test_a_query_without_a_letter_or_digit_finds_nothing(seed_data, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200 and response.context["total"] == 0
    assert client.get("/api/tools/", {"search": query}).json()["results"] == []


def test_an_foi_request_is_found_by_its_force_s_name_as_it_is_now(db, client):
    """Its force's name is in its index (SQLite): renaming the force renames it there too."""
    request = FoiRequestFactory(
        title="Lanternfish sightings", force__name="Oldshire Police", force__slug="county-seven"
    )
    request.force.name = "Newshire Police"
    request.force.save()

    def found(query: str) -> list:
        return [r.pk for r in client.get("/foi-requests/", {"search": query}).context["foi_requests"]]

    assert found("lanternfish newshire") == [request.pk]
    assert found("oldshire") == []
