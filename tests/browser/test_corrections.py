"""A member of the public suggests a correction from a record's page, on a desktop and on a
phone, with JavaScript and without; the form's errors are announced. (Scripts cannot run in a
page without JavaScript, so axe checks the form in `test_browsing.py`.)"""

import re

import pytest
from playwright.sync_api import expect

from corrections import guards
from corrections.models import Correction

pytestmark = pytest.mark.browser


def test_suggest_a_correction_from_a_tool_page(site, reader, monkeypatch):
    monkeypatch.setattr(guards, "MIN_FILL_SECONDS", 0)  # the live server runs in this process
    page = reader.tab
    page.goto(f"{site}/tools/qlikview/")
    page.get_by_role("link", name=re.compile("Suggest a correction to this record")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a correction")
    expect(page.locator(".correction-about")).to_contain_text("QlikView")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")

    # Sent without a source: the error is summarised and marked on its field.
    page.get_by_label("What is wrong, or what the FOI answer says").fill(
        "Gwent says it stopped using QlikView in 2024."
    )
    page.get_by_role("button", name="Send the correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the address of your source, or attach the document.")
    expect(page.get_by_label("Address of your source")).to_have_attribute("aria-invalid", "true")
    assert not Correction.objects.exists()

    # A file that is not a document is refused, its reason beside the field.
    page.get_by_label("Or attach the document (optional)").set_input_files(
        {"name": "answer.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00not a document"}
    )
    page.get_by_role("button", name="Send the correction").click()
    expect(page.get_by_role("alert")).to_contain_text("“answer.exe” was refused")
    assert not Correction.objects.exists()

    page.get_by_label("Address of your source").fill("https://example.org/gwent/disclosure-2024-001")
    page.get_by_label("Your email (optional)").fill("reader@example.net")
    page.get_by_role("button", name="Send the correction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your correction was sent")
    correction = Correction.objects.get()
    assert correction.record_label == "QlikView" and correction.sender_email == "reader@example.net"
    # Nothing is public until an editor acts on it, and the sender's address never is.
    page.goto(f"{site}/tools/qlikview/")
    expect(page.locator("main")).not_to_contain_text("stopped using QlikView in 2024")
    expect(page.locator("body")).not_to_contain_text("reader@example.net")
