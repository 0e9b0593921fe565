"""Each of issue 16's thirteen items, tried the way a reader meets it, in each of four ways:
on a 1280 px screen and on a 375 px phone, with JavaScript and without (the `reader`
fixture). On every page a test visits, nothing overflows sideways. Downloads are taken
through the links the pages show, and the files hold exactly the rows the page selects.

The deeper checks of some items live beside their features (test_console.py,
test_force_map.py, test_safeguards_and_phones.py, test_browsing.py); these make sure that
each item works in all four ways."""

import csv
import io
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from register.models import Tool
from tests.browser.test_console import public_pages
from tests.browser.test_force_map import small_targets
from tests.browser.test_safeguards_and_phones import LABELS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATE_WORDS = re.compile(r"Conducted|Withheld|Not conducted|not applicable|Asked, not answered|Never asked")


def visit(reader, url: str):
    """Open a page, and check it fits the screen: nothing to scroll sideways."""
    response = reader.tab.goto(url)
    assert response.ok, f"{url}: {response.status}"
    overflow = reader.tab.evaluate("document.scrollingElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{url} overflows a {reader.width} px screen by {overflow} px"
    return response


def download(reader, link) -> tuple[str, str]:
    """Follow a download link as a reader does: its suggested file name and its text."""
    expect(link).to_be_visible()
    with reader.tab.expect_download() as info:
        link.click()
    with open(info.value.path(), encoding="utf-8") as handle:
        return info.value.suggested_filename, handle.read()


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def heading_count(tab) -> int:
    return int(re.match(r"\d+", tab.locator("#results-heading").inner_text()).group())


def listed_deployments(tab, site: str) -> set[str]:
    """The addresses of the deployments a list page shows (its first column links to each)."""
    links = tab.locator("table tbody tr").evaluate_all(
        "rows => rows.map(row => row.querySelector('a[href^=\"/deployments/\"]').getAttribute('href'))"
    )
    return {site + href for href in links}


# 1 -----------------------------------------------------------------------------------------------


def test_1_no_console_errors_and_chart_legends_in_colour(site, reader):
    tab = reader.tab
    messages = []
    tab.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    tab.on("pageerror", lambda error: messages.append(f"error: {error}"))
    tab.on("response", lambda response: response.status < 400 or messages.append(f"failed: {response.url}"))
    problems = {}
    for path in public_pages():
        messages.clear()
        visit(reader, site + path)
        if reader.javascript:
            tab.wait_for_load_state("networkidle")
        if errors := [m[:300] for m in messages if not m.startswith(("log:", "info:", "debug:"))]:
            problems[path] = errors
    assert not problems, "\n".join(f"{path}: {errors}" for path, errors in problems.items())

    visit(reader, f"{site}/figures/")
    swatches = tab.locator(".chart-legend .swatch rect")
    fills = swatches.evaluate_all("all => all.map(rect => getComputedStyle(rect).fill)")
    assert fills and "none" not in fills
    assert len(set(fills)) > 1, "every key shows a colour of its own"


# 2 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/transparency/"])
def test_2_the_map_of_the_forces(site, reader, path):
    tab = reader.tab
    outside = []  # the map is drawn on the server: no request leaves the register
    here = urlsplit(site).netloc
    tab.on("request", lambda request: urlsplit(request.url).netloc == here or outside.append(request.url))
    visit(reader, site + path)
    section = tab.locator("#force-map")
    drawing = section.locator("svg.force-map-svg")
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= reader.width
    expect(drawing.locator("a.map-hex")).to_have_count(45)
    expect(section.locator(".map-beside").get_by_role("link", name="British Transport Police")).to_be_visible()
    expect(section.locator(".map-key li").first).to_be_visible()

    section.get_by_text("The map as a table").click()
    expect(section.locator("details.map-table tbody tr")).to_have_count(48)

    section.get_by_label("Kind of tool").select_option("biometrics")
    section.get_by_role("button", name="Show on the map").click()
    expect(tab).to_have_url(re.compile(r"map_category=biometrics#force-map$"))
    expect(section.get_by_role("heading", level=2)).to_have_text("Map: who is known to use biometrics")
    hexagon = section.get_by_role("link", name="Lancashire Constabulary: Refused to say")
    hexagon.click()
    expect(tab).to_have_url(re.compile(r"/forces/lancashire/$"))
    assert outside == []


# 3 -----------------------------------------------------------------------------------------------


def test_3_the_transparency_page_leads_with_what_is_known(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/transparency/")
    matrix = tab.locator("table.matrix")
    never_asked = tab.locator("details.never-asked")
    if not reader.on_a_phone:
        expect(matrix.locator("tbody tr").first).to_be_in_viewport()
    assert matrix.bounding_box()["y"] < never_asked.bounding_box()["y"]
    summary = never_asked.locator("summary")
    expect(summary).to_have_text(re.compile(r"^\d+ forces have never been asked about any kind of tool$"))
    cumbria = never_asked.get_by_role("link", name="Cumbria Constabulary")
    expect(cumbria).to_be_hidden()
    summary.click()
    expect(cumbria).to_be_visible()
    tab.locator(".map-table summary").click()
    assert small_targets(tab) == []
    if not reader.on_a_phone:
        overflow = tab.locator(".matrix-scroll").evaluate("box => box.scrollWidth - box.clientWidth")
        assert overflow <= 0, f"the matrix is clipped by {overflow}px"
    cumbria.click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Cumbria Constabulary")


# 4 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/deployments/", "/tools/west-midlands-knife-crime-model/", "/forces/west-midlands/"])
def test_4_safeguards_at_a_glance(site, reader, path):
    tab = reader.tab
    visit(reader, site + path)
    row = tab.locator("table.at-a-glance tbody tr").first
    cells = row.locator("td.safeguard-cell")
    expect(cells).to_have_count(6)
    for index in range(6):
        expect(cells.nth(index)).to_contain_text(STATE_WORDS)
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= reader.width
    key = tab.locator("details.safeguard-key")  # folded where it would push the table down
    if key.count():
        key.locator("summary").click()
    expect(tab.get_by_role("heading", name="Key to the safeguards")).to_be_visible()
    # The status, "as at" its source's date where the source is dated.
    expect(row.locator("td[data-label='Status'] .tag, td[data-label='Status'] .not-disclosed")).to_be_visible()
    as_at = tab.locator("table.at-a-glance .as-at")
    for date in as_at.all():
        expect(date).to_have_text(re.compile(r"^as at \d{1,2} \w{3} \d{4}$"))
    if path == "/deployments/":
        assert as_at.count() > 0

    quote = tab.locator("table.at-a-glance a.quote-link").first
    quote.click()
    anchor = tab.url.rsplit("#", 1)[1]
    expect(tab.locator(f"#{anchor}")).to_be_in_viewport()


# 5 -----------------------------------------------------------------------------------------------


def test_5_results_before_filters_on_a_phone(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/deployments/")
    heading = tab.locator("#results-heading")
    apply = tab.get_by_role("button", name="Apply filters")
    if reader.on_a_phone:
        expect(heading).to_be_in_viewport()
        expect(apply).to_be_hidden()
        summary = tab.locator("summary.filters-summary")
        assert summary.bounding_box()["y"] < heading.bounding_box()["y"]
        summary.click()
        if reader.javascript:  # on a phone, the script folds the filter groups nobody has used yet
            category = tab.locator("details.facet").filter(has=tab.locator("summary", has_text=re.compile("^Category")))
            expect(category).not_to_have_attribute("open", "")
            category.locator("summary").click()
    elif reader.javascript:
        expect(apply).to_be_visible()  # beside the results, unfolded
    else:
        tab.locator("summary.filters-summary").click()
    tab.get_by_label("Crime or hotspot mapping").check()
    apply.click()
    expect(tab.get_by_role("heading", name="3 deployments match these filters")).to_be_visible()


def test_5_chart_labels_readable(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/figures/")
    charts = tab.locator(".chart-narrow svg" if reader.on_a_phone else ".chart-has-narrow svg")
    assert charts.count() >= 2
    for index in range(charts.count()):
        expect(charts.nth(index)).to_be_visible()
        labels = charts.nth(index).evaluate(LABELS)
        assert labels
        for label in labels:
            assert label["size"] >= 12 and label["inside"] and label["right"] <= reader.width, label


# 6 -----------------------------------------------------------------------------------------------


def test_6_a_home_page_with_a_finding(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/")
    tab.get_by_label("Search tools, forces, deployments and FOI requests").fill("qlikview")
    tab.get_by_role("button", name="Search").click()
    expect(tab.locator("#results-summary")).to_contain_text("for “qlikview”")

    for link_class in ("finding-deployments", "finding-safeguarded"):
        visit(reader, f"{site}/")
        link = tab.locator(f"a.{link_class}")
        count = int(re.match(r"\d+", link.inner_text()).group())
        link.click()
        expect(tab).to_have_url(re.compile(r"/deployments/\?"))
        assert heading_count(tab) == count > 0

    visit(reader, f"{site}/")
    latest = tab.locator("ol.change-log li")
    assert latest.count() > 0
    expect(latest.first.locator("time")).to_be_visible()
    for name in ("The API", "The API's documentation", "The full dump"):
        href = tab.get_by_role("link", name=name, exact=True).get_attribute("href")
        assert tab.request.get(site + href).ok, name


# 7 -----------------------------------------------------------------------------------------------


def test_7_supplier_pages(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/tools/west-midlands-knife-crime-model/")
    supplier = tab.locator("main dd a[href^='/suppliers/']").first
    name = supplier.inner_text()
    supplier.click()
    expect(tab).to_have_url(re.compile(r"/suppliers/[\w-]+/$"))
    expect(tab.get_by_role("heading", level=1)).to_have_text(name)
    visit(reader, tab.url)

    visit(reader, f"{site}/suppliers/")
    tab.get_by_role("link", name="West Midlands Police Data Analytics Lab").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("West Midlands Police Data Analytics Lab")
    expect(tab.get_by_role("heading", name="Which forces use which of its tools")).to_be_visible()
    expect(tab.locator("main").get_by_role("link", name="West Midlands Police").first).to_be_visible()
    visit(reader, tab.url)


# 8 -----------------------------------------------------------------------------------------------


def test_8_cite_this_record(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/tools/qlikview/")
    cite = tab.locator("section.cite")
    expect(cite.locator(".citation-text")).to_contain_text(re.compile(r"QlikView.*retrieved \d{1,2} \w+ \d{4}"))
    permanent = cite.locator("a.permanent-address").get_attribute("href")
    assert "/r/" in permanent

    name, bib = download(reader, cite.get_by_role("link", name=re.compile(r"BibTeX")))
    assert name.endswith(".bib") and bib.startswith("@misc{") and "QlikView" in bib
    name, ris = download(reader, cite.get_by_role("link", name=re.compile(r"RIS")))
    assert name.endswith(".ris") and ris.startswith("TY  -") and "QlikView" in ris

    # Renamed, the record is still found at its permanent address.
    Tool.objects.filter(slug="qlikview").update(slug="qlik-view")
    visit(reader, permanent)
    expect(tab).to_have_url(f"{site}/tools/qlik-view/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("QlikView")


# 9 -----------------------------------------------------------------------------------------------


def test_9_data_files_hold_exactly_the_filtered_rows(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/deployments/?category=mapping")
    total = heading_count(tab)
    shown = listed_deployments(tab, site)
    assert total == len(shown) == 3
    files = tab.locator("aside.downloads")

    name, text = download(reader, files.get_by_role("link", name=re.compile(r"^CSV")))
    assert re.fullmatch(r"police-algorithmic-tools-register_deployments_\d{4}-\d{2}-\d{2}\.csv", name)
    rows = csv_rows(text)
    assert {row["html_url"] for row in rows} == shown and len(rows) == total
    assert {row["category"] for row in rows} == {"mapping"}

    name, text = download(reader, files.get_by_role("link", name=re.compile(r"^JSON Lines")))
    assert name.endswith(".jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert {record["html_url"] for record in records} == shown and len(records) == total

    name, text = download(reader, files.get_by_role("link", name=re.compile(r"^Evidence \(CSV\)")))
    assert name.endswith(".csv")
    quoted = {row["record_url"] for row in csv_rows(text)}
    assert quoted and quoted <= shown

    # Every list offers its files; a filtered list's file holds the rows its heading counts.
    for path in ("/tools/?category=dashboard", "/forces/", "/suppliers/", "/foi-requests/"):
        visit(reader, site + path)
        total = heading_count(tab)
        _, text = download(reader, tab.locator("aside.downloads").get_by_role("link", name=re.compile(r"^CSV")))
        assert len(csv_rows(text)) == total, path
        expect(tab.locator("aside.downloads").get_by_role("link", name=re.compile(r"^Evidence"))).to_be_visible()


# 10 ----------------------------------------------------------------------------------------------


def test_10_atrs_records(site, reader):
    tab = reader.tab
    page_url = f"{site}/deployments/west-midlands/west-midlands-knife-crime-model/"
    visit(reader, page_url)
    tool = tab.get_by_role("heading", level=1).inner_text()
    record_links = tab.locator("aside.downloads").filter(has=tab.locator("#atrs-heading"))
    name, text = download(reader, record_links.get_by_role("link", name=re.compile(r"^JSON")))
    record = json.loads(text)
    assert name.endswith(".json")
    assert record["tier_1"]["organisation"] == "West Midlands Police"
    assert record["tier_1"]["name"] in tool and record["metadata"]["record_url"] == page_url
    _, text = download(reader, record_links.get_by_role("link", name=re.compile(r"^CSV")))
    (row,) = csv_rows(text)
    assert row["tier_1.name"] == record["tier_1"]["name"] and row["metadata.record_url"] == page_url

    visit(reader, f"{site}/deployments/?category=mapping")
    shown = listed_deployments(tab, site)
    files = tab.locator("aside.downloads")
    _, text = download(reader, files.get_by_role("link", name=re.compile(r"^ATRS records \(CSV\)")))
    assert {row["metadata.record_url"] for row in csv_rows(text)} == shown and len(csv_rows(text)) == 3
    _, text = download(reader, files.get_by_role("link", name=re.compile(r"^ATRS records \(JSON Lines\)")))
    records = [json.loads(line) for line in text.splitlines()]
    assert {record["metadata"]["record_url"] for record in records} == shown and len(records) == 3


# 11 ----------------------------------------------------------------------------------------------


def test_11_search_shows_states_and_links(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/search/")
    tab.get_by_label("Search tools, forces, deployments and FOI requests").fill("knife")
    tab.get_by_role("button", name="Search").click()
    expect(tab.locator("#results-summary")).to_contain_text("for “knife”")
    visit(reader, tab.url)
    deployment = tab.locator("section[aria-labelledby='results-deployments'] ol.search-results > li").first
    expect(deployment.locator(".search-status").locator(".tag, .not-disclosed").first).to_be_visible()
    expect(deployment.locator("ul.safeguard-summary li")).to_have_count(6)
    expect(deployment.locator("ul.safeguard-summary")).to_contain_text(STATE_WORDS)
    deployment.get_by_role("link").first.click()
    expect(tab.get_by_role("heading", level=1)).to_be_visible()
    assert tab.url != f"{site}/search/"


# 12 ----------------------------------------------------------------------------------------------


def test_12_the_pages_a_public_register_needs(site, reader):
    tab = reader.tab
    visit(reader, f"{site}/")
    footer = tab.locator("footer")
    for link, heading in (
        ("About", "About"),
        ("How the register is made", "How"),
        ("Accessibility", "Accessibility"),
        ("Privacy", "Privacy"),
    ):
        footer.get_by_role("link", name=link, exact=True).click()
        expect(tab.get_by_role("heading", level=1)).to_contain_text(heading)
        visit(reader, tab.url)
        visit(reader, f"{site}/")
    visit(reader, f"{site}/method/")
    expect(tab.locator("main")).to_contain_text("Open Government Licence")
    expect(tab.locator("main")).to_contain_text("correction")

    for path, kind in (("/sitemap.xml", "xml"), ("/robots.txt", "text/plain"), ("/favicon.ico", "image/")):
        response = tab.request.get(site + path)
        assert response.ok and kind in response.headers["content-type"], path
    assert "Sitemap:" in tab.request.get(f"{site}/robots.txt").text()

    visit(reader, f"{site}/tools/?category=dashboard")
    expect(tab.locator("#results-heading")).to_contain_text("1 tool matches these filters")
    visit(reader, f"{site}/foi-requests/west-midlands-855a-22/")
    assert "FOI FOI" not in tab.locator("body").inner_text()
    visit(reader, f"{site}/search/?q=855A")
    assert "FOI FOI" not in tab.locator("body").inner_text()
