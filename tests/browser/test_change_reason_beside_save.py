"""At 1280 px, the reason for a change sits on the same row as the Save button, prefilled,
and a draft's "View on site" opens its page under the draft banner."""

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_the_reason_is_beside_the_save_button_and_a_draft_previews(site, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    foi_request = FoiRequest.objects.get(slug="essex-16495")
    foi_request.is_published = False
    foi_request.save()
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{site}/admin/foi_requests/foirequest/{foi_request.pk}/change/")
    reason = page.get_by_label("Reason for this change")
    expect(reason).to_have_value(f"Recorded from FOI {foi_request.reference}")
    # The bottom row's button (the form repeats its buttons at the top).
    save = page.locator(".submit-row", has=reason).get_by_role("button", name="Save", exact=True)
    reason_box, save_box = reason.bounding_box(), save.bounding_box()
    # On one row: their vertical extents overlap, the reason to the left of the button.
    assert reason_box["y"] < save_box["y"] + save_box["height"]
    assert save_box["y"] < reason_box["y"] + reason_box["height"]
    assert reason_box["x"] + reason_box["width"] <= save_box["x"]

    page.goto(f"{site}{foi_request.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Draft: not public")).to_be_visible()
