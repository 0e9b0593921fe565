"""Safeguards at a glance, readable at 1280 px and on a 375 px phone; on a phone the results
come before the filters (a disclosure that works without JavaScript); chart labels stay
readable on a phone, none cut or overlapping another."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELL_BOXES = """table => [...table.querySelectorAll("tbody tr:first-child td.safeguard-cell")].map(cell => {
  const box = cell.getBoundingClientRect();
  return {left: box.left, right: box.right, width: box.width, text: cell.innerText,
          size: parseFloat(getComputedStyle(cell).fontSize)};
})"""


@pytest.mark.parametrize("device", ["page", "phone"])
def test_safeguard_columns_are_readable(site, request, device):
    browser_page = request.getfixturevalue(device)
    browser_page.goto(f"{site}/deployments/")
    table = browser_page.locator("table.at-a-glance")
    cells = table.evaluate(CELL_BOXES)
    assert len(cells) == 6
    width = browser_page.viewport_size["width"]
    words = ("Conducted", "Withheld", "Not conducted", "not applicable", "Asked, not answered", "Never asked")
    for cell in cells:
        assert any(word in cell["text"] for word in words), cell
        assert cell["size"] >= 12 and cell["left"] >= 0 and cell["right"] <= width, cell
    if device == "page":
        # Every column fits: nothing to scroll sideways, each wide enough for a word; the filters beside, unfolded.
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
        assert min(cell["width"] for cell in cells) >= 60
        expect(browser_page.get_by_role("button", name="Apply filters")).to_be_visible()
    else:
        # Each row a card: every cell says which safeguard it is.
        first = table.locator("tbody tr").first.locator("td.safeguard-cell").first
        assert "DPIA" in first.evaluate("cell => getComputedStyle(cell, '::before').content")


def test_results_come_before_the_filters_on_a_phone_without_javascript(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(f"{site}/deployments/")
        heading = phone.locator("#results-heading")
        expect(heading).to_be_in_viewport()
        apply = phone.get_by_role("button", name="Apply filters")
        expect(apply).to_be_hidden()
        summary = phone.locator("summary.filters-summary")
        assert summary.bounding_box()["y"] < heading.bounding_box()["y"]
        summary.click()
        expect(apply).to_be_visible()
        phone.get_by_label("Crime or hotspot mapping").check()
        apply.click()
        expect(phone.get_by_role("heading", name="3 deployments match these filters")).to_be_in_viewport()
    finally:
        context.close()


LABELS = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map(text => {
    const r = text.getBoundingClientRect();
    return {text: text.textContent, size: parseFloat(getComputedStyle(text).fontSize) * scale,
            left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            inside: r.left >= box.left - 1 && r.right <= box.right + 1
                    && r.top >= box.top - 1 && r.bottom <= box.bottom + 1};
  });
}"""


def test_chart_labels_are_readable_on_a_phone(site, phone):
    phone.goto(f"{site}/figures/")
    charts = phone.locator(".chart-narrow svg")
    expect(charts).to_have_count(2)
    expect(phone.locator(".chart-has-narrow svg").first).to_be_hidden()
    for index in range(2):
        labels = charts.nth(index).evaluate(LABELS)
        assert labels
        for label in labels:
            assert label["size"] >= 12, label
            assert label["inside"] and label["right"] <= 375, label
        for n, first in enumerate(labels):
            for second in labels[n + 1 :]:
                apart = (
                    first["right"] <= second["left"]
                    or second["right"] <= first["left"]
                    or first["bottom"] <= second["top"]
                    or second["bottom"] <= first["top"]
                )
                assert apart, (first, second)
