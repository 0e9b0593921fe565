"""An editor records a quote in the admin: one word changed from the FOI answer is refused
with a message naming the quote and the answer; corrected, it is accepted, shown on the
tool's public page, and its link opens the answer at the passage, highlighted."""

import re

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest
from register.models import Evidence, Tool

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
# From Essex Police's answer 16495 (the seed data), with one word changed.
CHANGED = "uses a statistical approach to determine risk"
CORRECTED = "uses an algorithmic approach to determine risk"


def log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_the_admin_refuses_a_changed_word_and_the_corrected_quote_opens_the_answer_at_it(site, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    answer = FoiRequest.objects.get(slug="essex-16495").source
    tool = Tool.objects.get(slug="fearless-futures")
    log_in(page, site, "editor")

    # The editor adds evidence from the answer for the tool (chosen through the links that prefill them).
    page.goto(f"{site}/admin/register/evidence/add/?source={answer.pk}&tool={tool.pk}")
    page.get_by_label("Question number").fill("1")
    page.get_by_label("Quote").fill(CHANGED)
    page.get_by_label("Fact supported").select_option(label="What it does")
    page.get_by_role("button", name="Save", exact=True).click()

    error = page.locator(".errorlist").filter(has_text="does not appear in")
    expect(error).to_contain_text(f"“{CHANGED}” does not appear in FOI 16495")
    assert not Evidence.objects.filter(quote__in=[CHANGED, CORRECTED]).exists()

    page.get_by_label("Quote").fill(CORRECTED)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    evidence = Evidence.objects.get(quote=CORRECTED)
    assert answer.text[evidence.quote_start : evidence.quote_end] == CORRECTED

    # The public page shows it, under the fact it supports, and links to the passage.
    page.goto(f"{site}/tools/fearless-futures/")
    fact = page.locator("dt:has-text('What it does') + dd")
    fact.locator("summary").click()
    quote = fact.locator("blockquote").filter(has_text=f"“{CORRECTED}”")
    expect(quote).to_be_visible()
    quote.get_by_role("link", name=re.compile(r"^FOI 16495")).click()

    expect(page).to_have_url(re.compile(rf"/foi-requests/essex-16495/#quote-{evidence.pk}$"))
    passage = page.locator(f"mark#quote-{evidence.pk}")
    expect(passage).to_have_text(CORRECTED)
    expect(passage).to_be_in_viewport()
    # Highlighted as the passage the reader opened (`:target`), unlike the other marks.
    expect(passage).to_have_css("background-color", "rgb(255, 191, 71)")
    other = page.locator("mark.passage:not(:target)").first
    expect(other).not_to_have_css("background-color", "rgb(255, 191, 71)")
