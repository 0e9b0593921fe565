"""A researcher selects a passage in an FOI answer and it fills the form's passage: one more
submission makes it a fact (a new tool, its use by the force, and its start)."""

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest
from register.models import Deployment, Evidence

from .admin_helpers import PASSWORD, fill_sign_in, select_in_answer

pytestmark = pytest.mark.browser


def test_selecting_text_in_the_answer_fills_the_passage(site, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    foi_request = FoiRequest.objects.get(slug="essex-16495")
    page.goto(f"{site}/admin/login/")
    fill_sign_in(page).click()

    page.goto(f"{site}/admin/foi_requests/foirequest/{foi_request.pk}/change/")
    page.get_by_role("link", name="Make a fact from this answer").click()

    answer = page.locator("#answer-text")
    words = "uses an algorithmic approach to determine risk"
    expect(answer).to_contain_text(words)
    select_in_answer(page, words)
    expect(page.locator("#passage-status")).to_contain_text("holds the text you selected")

    page.get_by_label("New tool's name").fill("Risk approach")
    page.get_by_label("New tool's category").select_option(label="Individual risk assessment or profiling")
    page.get_by_label("Fact the passage supports").select_option(label="What it is used for")
    page.get_by_role("button", name="Save the fact").click()

    expect(page.locator(".messagelist")).to_contain_text("Quoted as evidence")
    deployment = Deployment.objects.get(tool__name="Risk approach", force=foi_request.force)
    assert Evidence.objects.get(deployment=deployment).quote == words
