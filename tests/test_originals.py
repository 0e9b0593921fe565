"""Sources kept with their archived originals: an upload checked by type and size, its
SHA-256, size and retrieval date recorded, the public copy offered only once an editor
has checked it for personal data (or uploaded a redacted copy), and the seed documents
kept as the originals of the seed requests."""

import datetime
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from core.publishing import RESEARCHERS
from register.models import Source, SourceKind
from register.originals import read_original

from .admin_forms import form_data
from .factories import FoiRequestFactory, ForceFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
ADD_URL = "/admin/register/source/add/"
PASSAGE = "The force reviewed its custody triage model in March 2024."


def make_pdf(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(*lines: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return (
        "<!DOCTYPE html><html><head><title>Report</title><script>alert(1)</script></head>"
        f"<body><nav>Home | News</nav><main><h1>Custody triage</h1>{paragraphs}</main></body></html>"
    ).encode()


def make_scan() -> bytes:
    """A PDF with a page and no text on it, as a scanner makes."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)
    return bytes(pdf.output())


GOOD_FILES = {
    "report.pdf": (make_pdf(PASSAGE), "application/pdf"),
    "report.docx": (
        make_docx("Custody triage", PASSAGE),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "report.html": (make_html(PASSAGE), "text/html"),
    "report.txt": (f"Custody triage\n\n{PASSAGE}\n".encode(), "text/plain; charset=utf-8"),
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
BAD_FILES = [
    ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "unsupported file type"),
    ("scan.pdf", PNG, "the file is binary, not a PDF"),
    ("report.pdf", make_docx(PASSAGE), "the file is named .pdf but its content is a Word document"),
    ("report.docx", PASSAGE.encode(), "the file is named .docx but its content is plain text"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n  ", "the file is empty"),
    ("huge.txt", b"a" * (10 * 1024 * 1024 + 1), "larger than 10 MB"),
    ("broken.pdf", b"%PDF-1.7\n" + b"\x01" * 50, "cannot be read"),
]
BAD_IDS = [f"{name}: {reason}" for name, _, reason in BAD_FILES]


def stored_files(storage) -> list[Path]:
    return sorted(path for path in Path(storage.location).rglob("*") if path.is_file())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add_document(client, name: str, data: bytes, **extra):
    post = {
        "title": "Custody triage review",
        "url": "https://example.org/custody-triage-review",
        "text": "",
        "original": SimpleUploadedFile(name, data),
        **extra,
    }
    return client.post(ADD_URL, post)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def published_document(data: bytes, name: str = "report.pdf", **values) -> Source:
    source = Source(
        kind=SourceKind.DOCUMENT, title="Custody triage review", url="https://example.org/review", is_published=True
    )
    source.original.save(name, ContentFile(data), save=False)
    source.record_original_digest()
    for key, value in values.items():
        setattr(source, key, value)
    source.save()
    return source


def original_url(source: Source) -> str:
    return reverse("register:source-original", args=[source.pk])


# Checking a file ------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD_FILES)
def test_each_kind_of_original_is_read(name):
    assert PASSAGE in read_original(name, GOOD_FILES[name][0])


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=BAD_IDS)
def test_a_bad_original_is_refused_with_its_name_and_the_reason(name, data, reason):
    with pytest.raises(ValidationError) as refused:
        read_original(name, data, label="The archived original")
    message = refused.value.messages[0]
    assert message.startswith(f"The archived original “{name}” was refused: ")
    assert reason in message


def test_a_scan_is_a_genuine_original_without_text():
    assert read_original("scan.pdf", make_scan()) == ""


# Uploading in the admin ----------------------------------------------------


@pytest.mark.parametrize("name", GOOD_FILES)
def test_an_uploaded_original_is_stored_with_its_digest_size_date_and_text(staff_client, originals_storage, name):
    data = GOOD_FILES[name][0]
    response = add_document(staff_client, name, data)
    assert response.status_code == 302, form_errors(response)

    source = Source.objects.get()
    assert (source.original_sha256, source.original_size) == (sha256(data), len(data))
    assert source.original_retrieved == timezone.localdate()
    with originals_storage.open(source.original.name, "rb") as handle:
        assert handle.read() == data
    # A published document without text takes its original's: its quotes are checked against it.
    assert PASSAGE in source.text
    assert "alert(1)" not in source.text and "Home | News" not in source.text
    assert not source.original_checked and source.public_original is None


def test_the_retrieval_date_and_a_pasted_text_are_kept(staff_client):
    data = GOOD_FILES["report.pdf"][0]
    response = add_document(
        staff_client, "report.pdf", data, original_retrieved="2024-03-05", text="The text as the editor typed it."
    )
    assert response.status_code == 302, form_errors(response)
    source = Source.objects.get()
    assert source.original_retrieved == datetime.date(2024, 3, 5)
    assert source.text == "The text as the editor typed it."


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=BAD_IDS)
def test_a_bad_upload_is_a_form_error_and_nothing_is_stored(staff_client, originals_storage, name, data, reason):
    response = add_document(staff_client, name, data)
    assert response.status_code == 200
    errors = form_errors(response)["original"]
    assert reason in " ".join(errors)
    assert Source.objects.count() == 0
    assert stored_files(originals_storage) == []


def test_a_bad_redacted_copy_is_refused_too(staff_client, originals_storage):
    response = add_document(
        staff_client, "report.pdf", make_pdf(PASSAGE), redacted_original=SimpleUploadedFile("redacted.pdf", PNG)
    )
    assert "The redacted copy “redacted.pdf” was refused" in " ".join(form_errors(response)["redacted_original"])
    assert Source.objects.count() == 0
    assert stored_files(originals_storage) == []


def test_a_scan_needs_the_documents_text(staff_client, originals_storage):
    response = add_document(staff_client, "scan.pdf", make_scan())
    assert "no text layer" in " ".join(form_errors(response)["original"])
    assert stored_files(originals_storage) == []

    response = add_document(staff_client, "scan.pdf", make_scan(), text=PASSAGE)
    assert response.status_code == 302, form_errors(response)
    assert Source.objects.get().original_size == len(make_scan())


def test_a_bad_replacement_leaves_the_stored_original_as_it_was(staff_client, originals_storage):
    data = make_pdf(PASSAGE)
    source = published_document(data, original_checked=True)
    url = f"/admin/register/source/{source.pk}/change/"
    post = {
        **form_data(staff_client.get(url)),
        "change_reason": "New copy",
        "original": SimpleUploadedFile("x.pdf", PNG),
    }
    response = staff_client.post(url, post)
    assert "the file is binary" in " ".join(form_errors(response)["original"])
    source.refresh_from_db()
    assert (source.original_sha256, source.original_size, source.original_checked) == (sha256(data), len(data), True)
    assert len(stored_files(originals_storage)) == 1


def test_a_new_original_must_be_checked_again(staff_client, originals_storage):
    source = published_document(make_pdf(PASSAGE), original_checked=True)
    url = f"/admin/register/source/{source.pk}/change/"
    replacement = make_pdf("A second edition of the review.")
    post = {
        **form_data(staff_client.get(url)),
        "change_reason": "Second edition",
        "original": SimpleUploadedFile("second.pdf", replacement),
    }
    assert staff_client.post(url, post).status_code == 302
    source.refresh_from_db()
    assert source.original_sha256 == sha256(replacement)
    assert not source.original_checked  # the check was of the first edition
    assert staff_client.get(original_url(source)).status_code == 404


def test_the_admin_shows_the_digest_and_the_public_copy(staff_client):
    data = make_pdf(PASSAGE)
    source = published_document(data, original_checked=True)
    page = staff_client.get(f"/admin/register/source/{source.pk}/change/").content.decode()
    assert sha256(data) in page and f"{len(data)}" in page
    assert original_url(source) in page


def test_only_an_editor_decides_what_the_public_may_download(client, originals_storage):
    researcher = UserFactory(username="researcher", is_staff=True)
    researcher.groups.add(Group.objects.get(name=RESEARCHERS))
    client.force_login(researcher)
    response = add_document(client, "report.pdf", make_pdf(PASSAGE))
    assert response.status_code == 302
    form = client.get(f"/admin/register/source/{Source.objects.get().pk}/change/").context["adminform"].form
    assert "original" in form.fields
    assert "original_checked" not in form.fields and "redacted_original" not in form.fields


def test_the_foi_request_admin_links_to_its_answers_original(staff_client):
    foi_request = FoiRequestFactory()
    page = staff_client.get(f"/admin/foi_requests/foirequest/{foi_request.pk}/change/").content.decode()
    assert f"/admin/register/source/{foi_request.source_id}/change/" in page
    assert "upload the original the force published" in page


def test_an_foi_answers_published_address_is_its_requests(staff_client):
    foi_request = FoiRequestFactory(source_url="https://www.example.org/disclosure-log/2024-117")
    assert foi_request.source.published_url == "https://www.example.org/disclosure-log/2024-117"
    form = staff_client.get(f"/admin/register/source/{foi_request.source_id}/change/").context["adminform"].form
    assert "published_url" not in form.fields  # kept by the request, shown read-only
    assert "original" in form.fields


# The public copy -----------------------------------------------------------


def test_a_checked_original_of_a_published_source_is_downloaded(client):
    data = make_pdf(PASSAGE)
    source = published_document(data, original_checked=True)
    response = client.get(original_url(source))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="custody-triage-review.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{sha256(data)}"'

    not_modified = client.get(original_url(source), headers={"if-none-match": f'"{sha256(data)}"'})
    assert (not_modified.status_code, not_modified["ETag"]) == (304, f'"{sha256(data)}"')


def test_an_original_missing_from_its_storage_is_a_404_not_an_error(client, originals_storage):
    source = published_document(make_pdf(PASSAGE), original_checked=True)
    originals_storage.delete(source.original.name)
    assert client.get(original_url(source)).status_code == 404


def test_an_html_original_is_downloaded_never_opened_on_the_site(client):
    data = GOOD_FILES["report.html"][0]
    source = published_document(data, name="report.html", original_checked=True)
    response = client.get(original_url(source))
    assert response["Content-Type"] == "text/html"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "values",
    [
        {"original_checked": False},  # nobody has checked it for personal data
        {"original_checked": True, "is_published": False},  # a draft source
    ],
)
def test_no_public_copy_is_a_404(client, values):
    source = published_document(make_pdf(PASSAGE), **values)
    assert client.get(original_url(source)).status_code == 404


def test_a_source_without_an_original_is_a_404(client):
    source = Source.objects.create(kind=SourceKind.DOCUMENT, title="A", url="https://example.org/a", is_published=True)
    assert client.get(original_url(source)).status_code == 404
    assert client.get(reverse("register:source-original", args=[source.pk + 1000])).status_code == 404


def test_an_answer_of_a_draft_force_is_a_404(client):
    foi_request = FoiRequestFactory(force=ForceFactory(is_published=False), is_published=True)
    source = foi_request.source
    source.original.save("answer.txt", ContentFile(b"No information held."), save=False)
    source.original_checked = True
    source.save()
    assert client.get(original_url(source)).status_code == 404


def test_the_redacted_copy_is_offered_instead_of_the_original(client):
    source = published_document(make_pdf("Dear Ms Example,", PASSAGE))
    redacted = make_pdf("Dear [requester],", PASSAGE)
    source.redacted_original.save("redacted.pdf", ContentFile(redacted))
    response = client.get(original_url(source))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == redacted
    assert response["Content-Disposition"] == 'inline; filename="custody-triage-review-redacted.pdf"'
    assert response["ETag"] != f'"{source.original_sha256}"'


def test_originals_are_not_under_a_public_folder(client):
    source = published_document(make_pdf(PASSAGE))
    assert client.get(f"/{source.original.name}").status_code == 404
    assert client.get(f"/media/{source.original.name}").status_code == 404


# The seed documents --------------------------------------------------------

SEED_ORIGINALS = {
    "gwent-2023-26042": ("gwent-2023-26042.txt", True),
    "west-midlands-855a-22": ("west-midlands-855a-22-attachment.txt", True),
    "lancashire-dpo-foi-002128-22": ("lancashire-dpo-foi-002128-22.txt", False),
    "essex-16495": ("essex-pub-1390.txt", True),
    "essex-16224": ("essex-pub-1390.txt", True),
}


def test_the_seed_documents_are_the_originals_of_the_seed_requests(seed_data, client):
    for slug, (document, public) in SEED_ORIGINALS.items():
        source = Source.objects.get(kind=SourceKind.FOI_ANSWER, slug=slug)
        data = (SOURCES / document).read_bytes()
        assert (source.original_sha256, source.original_size) == (sha256(data), len(data)), slug
        assert source.original_retrieved == datetime.date(2026, 11, 21)
        response = client.get(original_url(source))
        if public:
            assert response.status_code == 200, slug
            assert b"".join(response.streaming_content) == data
            assert response["Content-Type"] == "text/plain; charset=utf-8"
        else:
            assert response.status_code == 404, slug


def test_the_lancashire_letter_naming_its_requester_is_not_public(seed_data, client):
    source = Source.objects.get(slug="lancashire-dpo-foi-002128-22")
    assert not source.original_checked and source.public_original is None
    assert b"Adam Harkens" in source.original.read()  # kept as published, for the editors
    assert client.get(original_url(source)).status_code == 404


def test_loading_the_seed_data_twice_stores_each_document_once(seed_data, originals_storage):
    before = {source.pk: source.original.name for source in Source.objects.filter(kind=SourceKind.FOI_ANSWER)}
    files = stored_files(originals_storage)
    assert len(files) == 4  # the Essex page answers two requests

    call_command("load_seed_data", verbosity=0)
    after = {source.pk: source.original.name for source in Source.objects.filter(kind=SourceKind.FOI_ANSWER)}
    assert after == before
    assert stored_files(originals_storage) == files


def test_an_original_uploaded_by_an_editor_is_not_replaced_by_the_seed(seed_data):
    source = Source.objects.get(slug="lancashire-dpo-foi-002128-22")
    source.redacted_original.save("redacted.txt", ContentFile(b"Dear [requester],\nSection 12 applies."))
    call_command("load_seed_data", verbosity=0)
    source.refresh_from_db()
    assert source.redacted_original.name.endswith(".txt") and source.public_original == source.redacted_original


# Where originals are kept -------------------------------------------------


def originals_backend(**env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ORIGINALS_")}
    script = (
        "from django.core.files.storage import storages; storage = storages['originals']; "
        "print(type(storage).__name__, getattr(storage, 'bucket_name', None) or storage.location)"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_originals_are_kept_on_the_file_system_by_default():
    result = originals_backend()
    assert result.stdout.split() == ["FileSystemStorage", str(Path(settings.BASE_DIR) / "originals")], result.stderr
    assert originals_backend(ORIGINALS_STORAGE="").stdout.split()[0] == "FileSystemStorage"  # as compose passes it


def test_a_bucket_is_named_in_the_environment():
    result = originals_backend(
        ORIGINALS_STORAGE="storages.backends.s3.S3Storage",
        ORIGINALS_STORAGE_OPTIONS='{"bucket_name": "register-originals", "region_name": "eu-west-2"}',
    )
    assert result.stdout.split() == ["S3Storage", "register-originals"], result.stderr


def test_bad_storage_options_refuse_to_start_with_one_line():
    result = originals_backend(ORIGINALS_STORAGE="storages.backends.s3.S3Storage", ORIGINALS_STORAGE_OPTIONS="{bucket")
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Refusing to start: ORIGINALS_STORAGE_OPTIONS is not valid JSON")


# The API -------------------------------------------------------------------


def test_the_foi_request_api_gives_its_answers_original(seed_data, client):
    gwent = client.get("/api/foi-requests/gwent-2023-26042/").json()
    data = (SOURCES / "gwent-2023-26042.txt").read_bytes()
    source = Source.objects.get(slug="gwent-2023-26042")
    assert gwent["original_url"] == f"http://testserver{original_url(source)}"
    assert (gwent["original_sha256"], gwent["original_size"]) == (sha256(data), len(data))
    assert gwent["original_retrieved"] == "2026-11-21"

    lancashire = client.get("/api/foi-requests/lancashire-dpo-foi-002128-22/").json()
    assert lancashire["original_url"] is None  # kept, but not public
    assert lancashire["original_sha256"] == sha256((SOURCES / "lancashire-dpo-foi-002128-22.txt").read_bytes())


def test_evidence_in_the_api_points_to_its_sources_original(seed_data, client):
    deployment = client.get("/api/deployments/?force=gwent&format=json").json()["results"][0]
    evidence = client.get(deployment["url"]).json()["evidence"][0]
    source = Source.objects.get(slug="gwent-2023-26042")
    assert evidence["original_url"] == f"http://testserver{original_url(source)}"
    assert evidence["original_sha256"] == source.original_sha256
    assert evidence["published_url"] is None  # the seed documents do not say where they were published
