"""A reader on a desktop and on a phone: searches from the home page, follows the
finding's figures to lists of as many rows, opens a supplier's page and downloads
the citation of that record."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure(link) -> int:
    return int(re.match(r"\d+", link.inner_text()).group())


@pytest.mark.parametrize("tab_name", ["page", "phone"])
def test_home_finding_supplier_and_citation(site, request, tab_name):
    tab = request.getfixturevalue(tab_name)

    tab.goto(f"{site}/")
    tab.get_by_label("Search tools, forces, deployments and FOI requests").fill("qlikview")
    tab.get_by_role("button", name="Search").click()
    expect(tab).to_have_url(re.compile(r"/search/\?q=qlikview"))
    expect(tab.locator("#results-summary")).to_contain_text("for “qlikview”")
    expect(tab.get_by_role("link", name="QlikView").first).to_be_visible()

    for link_class in ("finding-deployments", "finding-safeguarded"):
        tab.goto(f"{site}/")
        link = tab.locator(f"a.{link_class}")
        count = figure(link)
        link.click()
        expect(tab).to_have_url(re.compile(r"/deployments/\?"))
        noun = "deployment" if count == 1 else "deployments"
        expect(tab.locator("#results-heading")).to_contain_text(f"{count} {noun}")

    tab.goto(f"{site}/suppliers/")
    tab.get_by_role("link", name="West Midlands Police Data Analytics Lab").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("West Midlands Police Data Analytics Lab")
    expect(tab.get_by_role("heading", name="Which forces use which of its tools")).to_be_visible()

    bib = tab.locator(".cite a", has_text="BibTeX")
    expect(bib).to_be_visible()
    response = tab.request.get(site + bib.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/x-bibtex")
    assert "police-algorithmic-tools-register-supplier-" in response.headers["content-disposition"]
    assert response.text().startswith("@misc{police-algorithmic-tools-register-supplier-")
    if tab_name == "page":  # the desktop context accepts downloads: the link downloads a .bib file
        with tab.expect_download() as download:
            bib.click()
        assert download.value.suggested_filename.endswith(".bib")
