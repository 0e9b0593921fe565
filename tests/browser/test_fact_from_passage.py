"""A researcher selects a passage in an FOI answer and it fills the form's passage: one more
submission makes it a fact (a new tool, its use by the force, and its start)."""

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest
from register.models import Deployment, Evidence

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_selecting_text_in_the_answer_fills_the_passage(site, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    foi_request = FoiRequest.objects.get(slug="essex-16495")
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{site}/admin/foi_requests/foirequest/{foi_request.pk}/change/")
    page.get_by_role("link", name="Make a fact from this answer").click()

    answer = page.locator("#answer-text")
    words = "uses an algorithmic approach to determine risk"
    expect(answer).to_contain_text(words)
    # Select the words in the answer as a mouse would, then let go.
    answer.evaluate(
        """(node, words) => {
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    node.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
        }""",
        words,
    )
    expect(page.locator("#id_passage")).to_have_value(words)
    expect(page.locator("#passage-status")).to_contain_text("holds the text you selected")

    page.get_by_label("New tool's name").fill("Risk approach")
    page.get_by_label("New tool's category").select_option(label="Individual risk assessment or profiling")
    page.get_by_label("Fact the passage supports").select_option(label="What it is used for")
    page.get_by_role("button", name="Save the fact").click()

    expect(page.locator(".messagelist")).to_contain_text("Quoted as evidence")
    deployment = Deployment.objects.get(tool__name="Risk approach", force=foi_request.force)
    assert Evidence.objects.get(deployment=deployment).quote == words
