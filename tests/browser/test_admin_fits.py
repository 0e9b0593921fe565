"""A researcher's admin at 1280 px: lists and forms with their inlines fit the window,
nothing scrolls sideways; a filter over many values (48 forces) is one searchable list."""

import re

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest
from register.models import Deployment, Force, Tool

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
WIDTH = 1280

# What scrolls sideways: the page, or any box of its own that scrolls (a list's table, an inline).
OVERFLOWS = """() => {
    const wide = [];
    if (document.documentElement.scrollWidth > window.innerWidth) {
        wide.push(`page ${document.documentElement.scrollWidth}`);
    }
    for (const box of document.querySelectorAll("#content *")) {
        const overflow = getComputedStyle(box).overflowX;
        if (["auto", "scroll"].includes(overflow) && box.scrollWidth > box.clientWidth) {
            wide.push(`${box.tagName.toLowerCase()}.${box.className} ${box.scrollWidth} > ${box.clientWidth}`);
        }
    }
    return wide;
}"""


@pytest.fixture
def admin_page(browser, site, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    yield page
    context.close()


def test_lists_and_forms_with_inlines_fit_1280_px(site, admin_page):
    foi_request = FoiRequest.objects.filter(source__questions__isnull=False, source__evidence__isnull=False).first()
    tool = Tool.objects.filter(deployments__isnull=False).first()
    deployment = Deployment.objects.filter(assessments__isnull=False).first()
    paths = [
        "/admin/foi_requests/foirequest/",
        "/admin/register/tool/",
        "/admin/register/deployment/",
        "/admin/register/assessment/",
        "/admin/register/evidence/",
        "/admin/register/source/",
        "/admin/register/force/",
        f"/admin/register/force/{Force.objects.get(slug='west-midlands').pk}/change/",
        f"/admin/foi_requests/foirequest/{foi_request.pk}/change/",
        f"/admin/register/tool/{tool.pk}/change/",
        f"/admin/register/deployment/{deployment.pk}/change/",
    ]
    too_wide = {}
    for path in paths:
        admin_page.goto(f"{site}{path}")
        if wide := admin_page.evaluate(OVERFLOWS):
            too_wide[path] = wide
    assert not too_wide, too_wide


def test_the_force_filter_is_one_list_to_type_into(site, admin_page):
    admin_page.goto(f"{site}/admin/register/deployment/?force__nation__exact=england")
    sidebar = admin_page.locator("#changelist-filter")
    expect(sidebar.get_by_role("link", name="Kent Police")).to_have_count(0)  # not 48 links

    forces = sidebar.get_by_label("Choose force")
    forces.focus()
    admin_page.keyboard.type("West Midlands")  # the list finds a force as it is typed
    expect(forces).to_have_value(str(Force.objects.get(slug="west-midlands").pk))
    sidebar.get_by_role("button", name="Filter").first.click()

    expect(admin_page).to_have_url(re.compile(r"force__id__exact=\d+"))
    expect(admin_page).to_have_url(re.compile(r"force__nation__exact=england"))  # the other filter is kept
    in_england = Deployment.objects.filter(force__nation="england")
    rows = admin_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(in_england.filter(force__slug="west-midlands").count())
    expect(rows.filter(has_text="West Midlands Police")).to_have_count(rows.count())

    # "All" again: the filter is lifted, not a search for an empty value.
    sidebar.get_by_label("Choose force").select_option(label="All")
    sidebar.get_by_role("button", name="Filter").first.click()
    expect(admin_page.locator("#result_list tbody tr")).to_have_count(in_england.count())
    assert in_england.count() > in_england.filter(force__slug="west-midlands").count()
