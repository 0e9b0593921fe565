"""The map of the forces: its hexagon layout, its drawing from the transparency
matrix's states, and the home and transparency pages that show it; and the
transparency page leading with the forces something is known about."""

import csv
import math
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from foi_requests.transparency import (
    Disclosure,
    known_and_never_asked,
    states_for,
    transparency_matrix,
)
from register.models import Force, ForceKind
from sitewide.force_hexes import HEXES
from sitewide.force_map import DEFAULT_CATEGORY, RADIUS, SYMBOLS, force_map, hex_centre, hex_points
from tests.factories import DeploymentFactory, ForceFactory, ToolFactory

FORCES_CSV = Path(settings.BASE_DIR) / "data" / "uk_police_forces.csv"


def forces_in_csv() -> list[dict]:
    with open(FORCES_CSV, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_every_force_with_an_area_has_exactly_one_hexagon_of_its_own():
    forces = forces_in_csv()
    territorial = {force["slug"] for force in forces if force["kind"] == "territorial"}
    others = {force["slug"] for force in forces if force["kind"] != "territorial"}
    assert len(territorial) == 45 and {"btp", "civil-nuclear-constabulary", "ministry-of-defence-police"} <= others
    assert set(HEXES) == territorial  # none missing, none without an area, no slug unknown
    cells = [(place.column, place.row) for place in HEXES.values()]
    assert len(set(cells)) == len(cells), "two forces share a hexagon"
    labels = [place.label for place in HEXES.values()]
    assert len(set(labels)) == len(labels) and max(map(len, labels)) <= 6


def test_the_layout_reads_as_the_map_of_the_uk():
    by_slug = {slug: hex_centre(place.column, place.row) for slug, place in HEXES.items()}
    # Scotland at the top, Sussex at the bottom; Northern Ireland and the Welsh forces on the west.
    assert min(by_slug.values(), key=lambda centre: centre[1]) == by_slug["police-scotland"]
    assert max(by_slug.values(), key=lambda centre: centre[1]) == by_slug["sussex"]
    english = [by_slug[force["slug"]] for force in forces_in_csv() if force["nation"] == "England"]
    for welsh in ("north-wales", "dyfed-powys", "south-wales", "gwent"):
        same_row = [x for x, y in english if y == by_slug[welsh][1]]
        assert by_slug[welsh][0] < min(same_row)
    assert by_slug["northern-ireland"][0] < by_slug["cumbria"][0]


def test_neighbouring_hexagons_touch_and_never_overlap():
    centres = [hex_centre(place.column, place.row) for place in HEXES.values()]
    nearest = min(math.dist(a, b) for i, a in enumerate(centres) for b in centres[i + 1 :])
    assert nearest == pytest.approx(math.sqrt(3) * RADIUS)
    corners = [tuple(map(float, point.split(","))) for point in hex_points(0, 0, 10).split()]
    assert len(corners) == 6 and all(math.dist((0, 0), corner) == pytest.approx(10, abs=0.1) for corner in corners)


@pytest.mark.django_db
def test_forces_without_an_area_are_listed_beside_the_map_not_left_out():
    territorial = ForceFactory(slug="gwent", name="Gwent Police")
    unplaced = ForceFactory(slug="new-force", name="A New Territorial Force")
    special = ForceFactory(slug="btp", name="British Transport Police", kind=ForceKind.SPECIAL)
    drawn = force_map(
        [(territorial, Disclosure.USES), (unplaced, Disclosure.NEVER_ASKED), (special, Disclosure.REFUSED)], "mapping"
    )
    assert [place.force for place in drawn.hexes] == [territorial]
    assert drawn.hexes[0].label == "Gwent" and drawn.hexes[0].accessible_name == "Gwent Police: Uses"
    assert [place.force for place in drawn.beside] == [unplaced, special]  # by name
    assert {entry.state: entry.count for entry in drawn.key} == {
        **dict.fromkeys(Disclosure, 0),
        Disclosure.USES: 1,
        Disclosure.NEVER_ASKED: 1,
        Disclosure.REFUSED: 1,
    }
    assert [place.force.name for place in drawn.table_rows] == sorted(f.name for f in (territorial, unplaced, special))


@pytest.mark.django_db
def test_the_states_on_the_map_are_the_matrix_states_in_three_queries(django_assert_num_queries):
    user, denier, silent = ForceFactory(), ForceFactory(), ForceFactory()
    DeploymentFactory(force=user, tool=ToolFactory(category="mapping"))
    DeploymentFactory(force=denier, tool=ToolFactory(category="mapping"), status="denied")
    with django_assert_num_queries(3):
        states = states_for(Force.objects.published(), "mapping")
    matrix = {
        row.force: next(cell.state for cell in row.cells if cell.category == "mapping")
        for row in transparency_matrix(Force.objects.published())
    }
    assert dict(states) == matrix
    assert matrix == {user: Disclosure.USES, denier: Disclosure.DENIES, silent: Disclosure.NEVER_ASKED}


@pytest.mark.django_db
def test_known_forces_come_first_and_never_asked_ones_are_set_apart():
    asked_later, never, known = ForceFactory(name="B"), ForceFactory(name="A"), ForceFactory(name="C")
    DeploymentFactory(force=known, tool=ToolFactory(category="biometrics"), status="denied")
    DeploymentFactory(force=asked_later, tool=ToolFactory(category="other"))
    first, folded = known_and_never_asked(transparency_matrix(Force.objects.published()))
    assert [row.force for row in first] == [asked_later, known]  # the given order, by name
    assert [row.force for row in folded] == [never]


def map_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("section", id="force-map")


def hexagons(section) -> dict[str, tuple[str, str]]:
    """{force path: (state, accessible name)} of the map's hexagons."""
    found = {}
    for link in section.find("svg").find_all("a"):
        state = next(name.removeprefix("map-hex-") for name in link["class"] if name != "map-hex")
        found[link["href"]] = (state, link["aria-label"])
    return found


@pytest.mark.parametrize("page", ["/", "/transparency/"])
def test_every_force_with_an_area_is_a_link_on_the_map_with_its_state(seed_data, client, page):
    section = map_of(client.get(f"{page}?map_category=mapping"))
    drawn = hexagons(section)
    territorial = Force.objects.published().filter(kind=ForceKind.TERRITORIAL)
    assert set(drawn) == {force.get_absolute_url() for force in territorial} and len(drawn) == 45
    assert drawn["/forces/gwent/"] == ("uses", "Gwent Police: Uses")
    assert drawn["/forces/essex/"] == ("not_held", "Essex Police: Information not held")
    assert drawn["/forces/cumbria/"] == ("never_asked", "Cumbria Constabulary: Never asked")
    # The symbol tells the state without colour.
    gwent = section.find("a", href="/forces/gwent/")
    assert gwent.find("text", class_="map-hex-symbol").text == SYMBOLS[Disclosure.USES]
    assert gwent.find("text", class_="map-hex-label").text == "Gwent"
    beside = [link["href"] for link in section.find("ul", class_="map-beside").find_all("a")]
    assert beside == ["/forces/btp/", "/forces/civil-nuclear-constabulary/", "/forces/ministry-of-defence-police/"]
    assert section.find("h2").get_text(" ", strip=True) == "Map: who is known to use crime or hotspot mapping"


def test_the_map_has_a_key_and_its_data_as_a_table(seed_data, client):
    section = map_of(client.get("/?map_category=mapping"))
    key = [item.get_text(" ", strip=True) for item in section.find("ul", class_="map-key").find_all("li")]
    assert key == [
        "● Uses (2 forces)",
        "○ Denies using (0 forces)",
        "■ Refused to say (1 force)",
        "∅ Information not held (1 force)",
        "? Asked, no tool recorded (0 forces)",
        "– Never asked (44 forces)",
    ]
    table = section.find("details", class_="map-table")
    assert table.find("summary").text == "The map as a table"
    rows = {
        row.find("th").get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }
    assert len(rows) == 48
    assert rows["Gwent Police"] == ["Gwent", "● Uses"]
    assert rows["British Transport Police"] == ["No area: listed beside the map", "– Never asked"]


def test_the_kind_of_tool_is_chosen_with_a_form(seed_data, client):
    default = map_of(client.get("/"))
    assert default.find("option", selected=True)["value"] == DEFAULT_CATEGORY
    form = default.find("form")
    assert form["method"] == "get" and form.find("select")["name"] == "map_category" and form.find("button")
    biometrics = hexagons(map_of(client.get("/?map_category=biometrics")))
    assert biometrics["/forces/lancashire/"][0] == "refused"
    assert biometrics["/forces/gwent/"][0] == "never_asked"


@pytest.mark.parametrize("page", ["/", "/transparency/"])
@pytest.mark.parametrize("value", ["submarines", "<script>x</script>", "mapping\x00"])
def test_an_unknown_kind_of_tool_says_so_and_shows_the_default(seed_data, client, page, value):
    response = client.get(page, {"map_category": value})
    section = map_of(response)
    assert section.find("p", role="alert").get_text().startswith("There is no kind of tool")
    assert section.find("option", selected=True)["value"] == DEFAULT_CATEGORY
    assert "<script>x</script>" not in response.content.decode()


def test_the_transparency_page_leads_with_what_is_known(seed_data, client):
    response = client.get("/transparency/")
    page = BeautifulSoup(response.content, "html.parser")
    matrix = [row.find("th").get_text(strip=True) for row in page.find("table", class_="matrix").tbody.find_all("tr")]
    assert set(matrix) == {
        "Essex Police",
        "Gwent Police",
        "Lancashire Constabulary",
        "West Midlands Police",
    }
    never = page.find("details", class_="never-asked")
    assert never.find("summary").get_text(strip=True) == "44 forces have never been asked about any kind of tool"
    links = [link["href"] for link in never.find_all("a")]
    assert len(links) == 44 and "/forces/cumbria/" in links and "/forces/gwent/" not in links
    # The page's rows: known first, then the never-asked ones.
    rows = response.context["rows"]
    assert [row.force.name for row in rows[:4]] == sorted(matrix) and rows[4].force.slug not in ("gwent", "essex")
    # The matrix comes before the map.
    text = str(page)
    assert text.index('class="matrix"') < text.index('id="force-map"')


def test_only_known_forces_leaves_out_the_never_asked_list(seed_data, client):
    page = BeautifulSoup(client.get("/transparency/?known=1").content, "html.parser")
    assert page.find("details", class_="never-asked") is None


def test_the_map_and_the_matrix_filters_keep_each_other(seed_data, client):
    page = BeautifulSoup(client.get("/transparency/?nation=wales&known=1&map_category=mapping").content, "html.parser")
    map_form = page.find("section", id="force-map").find("form")
    assert map_form["action"] == "/transparency/#force-map"
    assert {field["name"]: field["value"] for field in map_form.find_all("input", type="hidden")} == {
        "nation": "wales",
        "known": "1",
    }
    matrix_form = page.find("form", class_="inline-form")
    assert matrix_form.find("input", type="hidden", attrs={"name": "map_category"})["value"] == "mapping"
    # The map shows the forces the page shows: the Welsh ones.
    assert set(hexagons(page.find("section", id="force-map"))) == {
        "/forces/dyfed-powys/",
        "/forces/gwent/",
        "/forces/north-wales/",
        "/forces/south-wales/",
    }
