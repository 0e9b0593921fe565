"""The researcher's whole path, from an FOI answer to published facts, with its clicks counted.

An editor imports the answer of a force with nothing published yet (one question answered, one
neither confirmed nor denied), corrects the review, makes two facts from passages, previews the
deployment's page, publishes with what it needs; then the public reads the facts. Every page the
researcher loads and every form they submit is counted: the issue's goal is fewer than 15 (the five
admin screens it replaces took about 60 clicks and submissions).
"""

import pytest
from playwright.sync_api import expect

from foi_requests.models import FoiRequest
from register.models import Assessment, Deployment, Force, ToolCategory

from .admin_helpers import PASSWORD, fill_sign_in, select_in_answer

pytestmark = pytest.mark.browser

ANSWER = """Cleveland Police
Freedom of Information Request Reference No: 2023/0417

Date: 14 June 2023

REQUEST
1. Do you use hotspot mapping software to predict where crime will happen? If so, which product, \
since when, and have you completed a DPIA for it?
2. Do you use any tool that gives individuals a risk score?

RESPONSE
1. Do you use hotspot mapping software to predict where crime will happen? If so, which product, \
since when, and have you completed a DPIA for it?
Cleveland Police has used HotSpot Predict for hotspot mapping since March 2020. A Data Protection \
Impact Assessment for HotSpot Predict was completed in November 2021.
2. Do you use any tool that gives individuals a risk score?
Cleveland Police can neither confirm nor deny that it holds any information relevant to this \
question, by virtue of section 31(3) of the Freedom of Information Act 2000.

Yours sincerely
Freedom of Information Unit
"""

STARTED = "Cleveland Police has used HotSpot Predict for hotspot mapping since March 2020."
DPIA = "A Data Protection Impact Assessment for HotSpot Predict was completed in November 2021."

# What the researcher does that asks the server for a page: loads (typing an address, following a
# link, going back) and submissions (a form sent; its answer, after any redirect, is the next page).
GOAL = 15


class Researcher:
    """The editor's browser tab, counting the page loads and form submissions they make."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.submissions = 0
        self.navigations = 0  # every page the main frame shows: a check that nothing goes uncounted
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigations += 1

    def visit(self, url: str) -> None:
        self.loads += 1
        self.page.goto(url)

    def follow(self, link) -> None:
        self.loads += 1
        with self.page.expect_navigation():
            link.click()

    def back(self) -> None:
        self.loads += 1
        self.page.go_back()

    def submit(self, button) -> None:
        self.submissions += 1
        with self.page.expect_navigation():
            button.click()

    @property
    def total(self) -> int:
        return self.loads + self.submissions


def matrix_cell(page, force: str, category: str):
    row = page.locator("tr", has=page.get_by_role("rowheader", name=force))
    return row.locator("td").nth(ToolCategory.values.index(category))


def test_from_an_answer_to_published_facts_in_under_15_page_loads(site, page, browser, django_user_model, tmp_path):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    # A force with nothing published about it yet: no FOI request in the seed data, and a draft.
    cleveland = Force.objects.get(name="Cleveland Police")
    assert not FoiRequest.objects.filter(force=cleveland).exists()
    cleveland.is_published = False
    cleveland.save()
    answer_file = tmp_path / "cleveland-2023-0417.txt"
    answer_file.write_text(ANSWER)
    researcher = Researcher(page)

    # Signs in on the way to the import page (a bookmark), uploads the answer.
    researcher.visit(f"{site}/admin/foi_requests/foirequest/import/")
    researcher.submit(fill_sign_in(page))
    page.get_by_label("Document").set_input_files(answer_file)
    researcher.submit(page.get_by_role("button", name="Read the document"))

    # The review: what was read, corrected where the letter does not say.
    expect(page.get_by_role("heading", name="Check and correct the extraction")).to_be_visible()
    expect(page.locator("#id_request-0-force option:checked")).to_have_text("Cleveland Police")
    expect(page.locator("#id_request-0-date_responded")).to_have_value("14 June 2023")
    page.locator("#id_request-0-date_received").fill("2 June 2023")  # not in the letter
    page.locator("#id_request-0-title").fill("Hotspot mapping and individual risk tools")
    questions = "request-0-questions"
    page.locator(f"#id_{questions}-0-outcome").select_option("disclosed")
    page.locator(f"#id_{questions}-1-outcome").select_option("neither_confirm_nor_deny")
    for number, category in ((0, "mapping"), (1, "individual_risk")):
        kinds = page.locator(f'input[name="{questions}-{number}-categories"]')
        for value in ToolCategory.values:
            kinds.and_(page.locator(f'[value="{value}"]')).set_checked(value == category)
    # Two empty rows come with the review; "Add a question" adds a third (left empty: not saved).
    page.get_by_role("button", name="Add a question").click()
    expect(page.locator(f"#id_{questions}-4-number")).to_be_focused()
    expect(page.locator(f"#id_{questions}-TOTAL_FORMS")).to_have_value("5")
    researcher.submit(page.get_by_role("button", name="Save as draft"))
    expect(page.locator(".messagelist")).to_contain_text("Saved 1 draft request")
    foi_request = FoiRequest.objects.get(force=cleveland)
    assert not foi_request.is_published
    assert foi_request.date_received.isoformat() == "2023-06-02"

    # Fact 1: a new tool, its use by the force, since March 2020.
    researcher.follow(page.get_by_role("link", name="Make a fact from this answer"))
    select_in_answer(page, STARTED)
    page.get_by_label("New tool's name").fill("HotSpot Predict")
    page.get_by_label("New tool's category").select_option("mapping")
    page.get_by_label("Fact the passage supports").select_option("deployment:started")
    researcher.submit(page.get_by_role("button", name="Save the fact"))
    expect(page.locator(".messagelist")).to_contain_text("Quoted as evidence")
    deployment = Deployment.objects.get(force=cleveland, tool__name="HotSpot Predict")
    assert deployment.started.label == "March 2020"

    # Fact 2: a DPIA of that use, conducted in November 2021.
    select_in_answer(page, DPIA)
    page.locator("#id_tool").select_option(label="HotSpot Predict")
    page.get_by_label("Kind of safeguard").select_option("dpia")
    page.get_by_label("Result of a new safeguard").select_option("conducted")
    page.get_by_label("Fact the passage supports").select_option("assessment:conducted")
    researcher.submit(page.get_by_role("button", name="Save the fact"))
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("Quoted as evidence")
    dpia = Assessment.objects.get(deployment=deployment, kind="dpia")
    assert dpia.conducted.label == "November 2021"

    # The new safeguard's page, then the deployment's public page as a preview, not public yet.
    researcher.follow(messages.get_by_role("link", name="assessment “Data Protection Impact Assessment"))
    researcher.visit(f"{site}{deployment.get_absolute_url()}")
    expect(page.locator(".draft-banner")).to_contain_text("Still unpublished")
    expect(page.get_by_role("heading", level=1)).to_have_text("HotSpot Predict at Cleveland Police")
    researcher.back()

    # Publishes the DPIA with what it needs: its deployment, the tool, the force, the FOI request.
    researcher.follow(page.get_by_role("button", name="Publish with what it needs"))
    needs = page.locator(".publish-needs")
    for record in ("Cleveland Police", "HotSpot Predict", "2023/0417"):
        expect(needs).to_contain_text(record)
    page.get_by_label("Reason for this change").fill("Cleveland's answer 2023/0417, checked against the letter")
    researcher.submit(page.get_by_role("button", name="Publish these"))
    expect(page.locator(".messagelist")).to_contain_text("published")
    for record in (cleveland, deployment, deployment.tool, dpia, foi_request):
        record.refresh_from_db()
        assert record.is_published, record

    print(
        f"\nThe researcher's path: {researcher.loads} page loads and {researcher.submissions} form submissions, "
        f"{researcher.total} in all (before: about 60 clicks and submissions across five admin screens)."
    )
    assert researcher.navigations == researcher.total  # every page the tab showed was counted
    assert researcher.total < GOAL

    # The public, signed out, reads the facts with their quotes.
    public = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        reader = public.new_page()
        reader.goto(f"{site}{deployment.get_absolute_url()}")
        expect(reader.locator("body")).not_to_contain_text("Still unpublished")
        expect(reader.locator(".facts").first).to_contain_text("March 2020")
        expect(reader.locator(".facts").first).to_contain_text(STARTED)
        safeguard = reader.locator("#safeguard-dpia")
        expect(safeguard).to_contain_text("Conducted")
        expect(safeguard).to_contain_text("November 2021")
        expect(safeguard).to_contain_text(DPIA)

        reader.goto(f"{site}/transparency/")
        expect(matrix_cell(reader, "Cleveland Police", "mapping")).to_contain_text("Uses")
        expect(matrix_cell(reader, "Cleveland Police", "individual_risk")).to_contain_text("Refused to say")
    finally:
        public.close()
