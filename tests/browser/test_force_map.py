"""The map of the forces and the transparency matrix in Chromium: the map fits a
phone, its hexagons are links, every link and button in the map and the matrix is
a target of at least 24 by 24 px (WCAG 2.5.8), no column of the matrix is clipped
at 1280 px, nothing reaches the console; and the kind of tool is chosen without
JavaScript."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links and buttons of the map and the matrix (their disclosures opened first).
TARGETS = "#force-map a, #force-map button, #force-map summary, .matrix a, .never-asked summary, .never-asked a"


def small_targets(tab) -> list[str]:
    return tab.locator(TARGETS).evaluate_all(
        """all => all.filter(e => e.checkVisibility()).map(e => [e, e.getBoundingClientRect()])
             .filter(([e, r]) => r.width < 24 || r.height < 24)
             .map(([e, r]) => `${e.getAttribute("aria-label") || e.textContent.trim()}: ${r.width}x${r.height}`)"""
    )


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_map_and_the_matrix_on_a_screen_and_a_phone(site, request, device):
    tab = request.getfixturevalue(device)
    problems = []
    tab.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.goto(f"{site}/transparency/?map_category=mapping")
    width = tab.viewport_size["width"]

    drawing = tab.locator("#force-map svg.force-map-svg")
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    expect(drawing.locator("a")).to_have_count(45)

    if width >= 1280:
        # Every column of the matrix shows: its box does not scroll sideways.
        overflow = tab.locator(".matrix-scroll").evaluate("box => box.scrollWidth - box.clientWidth")
        assert overflow <= 0, f"the matrix is clipped by {overflow}px"

    tab.locator(".never-asked summary").click()
    expect(tab.locator(".never-asked").get_by_role("link", name="Cumbria Constabulary")).to_be_visible()
    tab.locator(".map-table summary").click()
    expect(tab.locator(".map-table tbody tr")).to_have_count(48)
    assert small_targets(tab) == []

    tab.get_by_role("link", name="Gwent Police: Uses").click()
    expect(tab).to_have_url(re.compile(r"/forces/gwent/$"))
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Gwent Police")
    assert problems == []


def test_the_kind_of_tool_is_chosen_without_javascript(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site)
        section = tab.locator("#force-map")
        expect(section.get_by_role("heading", level=2)).to_have_text(
            "Map: who is known to use individual risk assessment or profiling"
        )
        section.get_by_label("Kind of tool").select_option("biometrics")
        section.get_by_role("button", name="Show on the map").click()
        expect(tab).to_have_url(re.compile(r"\?map_category=biometrics#force-map$"))
        expect(section.get_by_role("heading", level=2)).to_have_text("Map: who is known to use biometrics")
        expect(section.get_by_role("link", name="Lancashire Constabulary: Refused to say")).to_be_visible()
        section.get_by_text("The map as a table").click()
        expect(section.locator("details.map-table tbody tr")).to_have_count(48)
    finally:
        context.close()
