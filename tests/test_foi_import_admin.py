"""The admin's upload form: upload, check the extraction, save a draft."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from foi_requests.models import FoiRequest
from tests.factories import ExemptionFactory, ForceFactory
from tests.test_import_review import review_data

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
URL = "/admin/foi_requests/foirequest/import/"


@pytest.fixture
def lancashire(db):
    ExemptionFactory(act="FOIA", section="12(1)")
    return ForceFactory(slug="lancashire", name="Lancashire Constabulary")


def upload(name, content, **extra):
    return {"document": SimpleUploadedFile(name, content), **extra}


def test_changelist_links_to_the_import_form(staff_client):
    page = staff_client.get("/admin/foi_requests/foirequest/").content.decode()
    assert URL in page


def test_upload_shows_the_extraction_then_saves_a_draft(staff_client, lancashire):
    content = (SOURCES / "lancashire-dpo-foi-002128-22.txt").read_bytes()
    response = staff_client.post(URL, upload("lancashire.txt", content))
    assert response.status_code == 200
    page = response.content.decode()
    assert "DPO/FOI/002128/22" in page
    assert "Lancashire Constabulary" in page
    assert "29 June 2022" in page and "6 October 2022" in page
    assert "FOIA s12(1)" in page
    assert not FoiRequest.objects.exists()  # nothing written before "Save"

    response = staff_client.post(URL, {**review_data(response), "confirm": "Save as draft"})
    draft = FoiRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/foi_requests/foirequest/{draft.pk}/change/"
    assert not draft.is_published
    assert draft.reference == "DPO/FOI/002128/22"
    assert draft.due_date.isoformat() == "2022-07-28"
    assert [e.section for e in draft.exemptions.all()] == ["12(1)"]

    # The same document again is flagged, and saving it skips it.
    response = staff_client.post(URL, upload("again.txt", content))
    assert "Already recorded as" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.txt", b"", "The submitted file is empty."),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200), "image.pdf: the file is binary, not a PDF."),
        ("letter.pdf", b"Dear requester, plain words.", "the file is named .pdf but its content is plain text"),
        ("table.xlsx", b"PK\x03\x04rest", "unsupported file type"),
    ],
)
def test_bad_uploads_get_a_form_error_and_write_nothing(staff_client, lancashire, name, content, error):
    response = staff_client.post(URL, upload(name, content))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["form"].errors["document"]
    assert not FoiRequest.objects.exists()


def test_oversized_upload_gets_a_form_error(staff_client, lancashire, settings):
    big = b"FOI answer. " * (1024 * 1024)  # 12 MB
    response = staff_client.post(URL, upload("big.txt", big))
    assert "The file is larger than 10 MB." in response.content.decode()


def test_document_without_an_authority_asks_for_the_force(staff_client, lancashire):
    response = staff_client.post(URL, upload("letter.txt", b"Our ref: X/1/24\nNo information held."))
    page = response.content.decode()
    assert "does not say which force answered" in page
    assert review_data(response)["request-0-force"] == ""  # chosen on the review
    response = staff_client.post(
        URL, upload("letter.txt", b"Our ref: X/1/24\nNo information held.", force=lancashire.pk)
    )
    assert review_data(response)["request-0-force"] == str(lancashire.pk)


def test_import_form_needs_staff(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_change_page_shows_deadline_and_review_fields(staff_client, seed_data):
    draft = FoiRequest.objects.get(reference="DPO/FOI/002128/22")
    page = staff_client.get(f"/admin/foi_requests/foirequest/{draft.pk}/change/").content.decode()
    assert "Internal review and the Information Commissioner" in page
    assert 'name="clarification_received"' in page
    assert 'name="ico_decision_notice"' in page
    assert "28 Jul 2022" in page  # the stored due date, read-only
