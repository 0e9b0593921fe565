"""What a person does in a browser: filter by clicking, search, follow a fact
to its source, download what they see; and axe-core finds nothing to fix."""

import csv
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_filter_by_clicking(site, page):
    page.goto(f"{site}/deployments/")
    expect(page.get_by_role("heading", name="8 deployments")).to_be_visible()
    page.get_by_label("Crime or hotspot mapping").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"category=mapping"))
    expect(page.get_by_role("heading", name="3 deployments match these filters")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    # Counts beside the other options now take the category into account.
    expect(page.locator("label:has-text('West Midlands Police Data Analytics Lab') .count")).to_contain_text("2")
    # Of the 48 forces only those with mapping tools are offered now, few enough to show unfolded.
    force_facet = page.locator("details.facet").filter(has=page.locator("summary", has_text=re.compile(r"^Force$")))
    expect(force_facet).to_have_attribute("open", "")
    page.get_by_label("Gwent Police").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("XD mapping system")
    page.get_by_role("link", name=re.compile(r"Crime or hotspot mapping.*remove this filter")).click()
    expect(page.get_by_role("heading", name="4 deployments match these filters")).to_be_visible()
    page.get_by_role("link", name="Clear all filters").first.click()
    expect(page).to_have_url(f"{site}/deployments/")


def test_bad_filter_value_shows_a_message(site, page):
    page.goto(f"{site}/deployments/?started_from=abc")
    expect(page.get_by_role("alert")).to_contain_text("Started in or after: “abc” is not a date we can read.")
    expect(page.get_by_role("heading", name="8 deployments")).to_be_visible()


def test_search_and_open_a_result(site, page):
    page.goto(site)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Search tools, forces, deployments and FOI requests").fill("QlikView")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("Search results for “QlikView”"))
    tools = page.locator("#results-tools + ol, section[aria-labelledby='results-tools'] ol")
    expect(tools.locator("mark").first).to_have_text("QlikView")
    tools.get_by_role("link", name="QlikView").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QlikView")


def test_follow_a_fact_to_its_source(site, page):
    page.goto(f"{site}/tools/west-midlands-knife-crime-model/")
    fact = page.locator("dt:has-text('What it gives out') + dd")
    fact.locator("summary").click()
    quote = fact.locator("blockquote p").first.inner_text().strip("“”")
    fact.get_by_role("link", name=re.compile(r"FOI 855A.22, question 1c")).first.click()
    expect(page).to_have_url(re.compile(r"/foi-requests/west-midlands-855a-22/#quote-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    passage = page.locator(f"mark#{anchor}")  # the passage, marked in the answer
    expect(passage).to_be_in_viewport()
    expect(passage).to_contain_text(quote.split()[0])


def test_download_the_rows_shown_as_csv(site, page):
    """The CSV link of a filtered list gives a file of the rows the page counts, all of them."""
    page.goto(f"{site}/deployments/?status=in_use")
    heading = page.get_by_role("heading", name=re.compile(r"^\d+ deployments? match")).inner_text()
    total = int(heading.split()[0])
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^CSV")).click()
    download = download_info.value
    assert re.fullmatch(
        r"police-algorithmic-tools-register_deployments_\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename
    )
    with open(download.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == total > 0
    assert {row["status"] for row in rows} == {"in_use"}


def test_filters_work_on_a_phone(site, phone):
    phone.goto(f"{site}/tools/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # Unused filter groups are folded on a narrow screen; opening one works.
    phone.locator("summary.filters-summary").click()  # the filters are folded above the results
    phone.locator("summary", has_text="Category").click()
    phone.get_by_label("Dashboards and business intelligence").check()
    phone.get_by_role("button", name="Apply filters").click()
    expect(phone.get_by_role("heading", name="1 tool matches these filters")).to_be_visible()


PAGES = [
    "/",
    "/deployments/",
    "/deployments/?category=mapping&has_dpia=true",
    "/deployments/?started_from=abc",
    "/tools/",
    "/tools/?search=zzzz",
    "/forces/",
    "/suppliers/",
    "/suppliers/west-midlands-police-data-analytics-lab/",
    "/foi-requests/",
    "/tools/qlikview/",
    "/tools/west-midlands-knife-crime-model/",
    "/forces/west-midlands/",
    "/forces/cumbria/",
    "/deployments/west-midlands/west-midlands-knife-crime-model/",
    "/foi-requests/lancashire-dpo-foi-002128-22/",
    "/search/?q=knife",
    "/search/?q=nothingmatches",
    "/transparency/",
    "/transparency/?known=1&nation=england",
    "/figures/",
    "/foi-requests/statistics/",
    "/changes/",
    "/about/",
    "/method/",
    "/accessibility/",
    "/privacy/",
    "/corrections/new/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(site, page, phone, path):
    axe = Axe()
    for tab in (page, phone):
        tab.goto(f"{site}{path}")
        tab.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        results = axe.run(tab)
        assert results.violations_count == 0, f"{path} at {tab.viewport_size['width']}px:\n" + (
            results.generate_snapshot()
        )


def test_skip_link_and_visible_focus(site, page):
    page.goto(f"{site}/tools/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).boxShadow")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
