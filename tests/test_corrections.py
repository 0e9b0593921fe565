"""Corrections from the public: the form's rules, its guards against automated posts and
floods, the editors' queue, and the sender's contact details never published."""

import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from corrections import guards
from corrections.models import CONTACT_RETENTION, Correction, CorrectionStatus
from corrections.records import find_record, parse_reference, reference

from .factories import DeploymentFactory, FoiRequestFactory, ToolFactory

pytestmark = pytest.mark.django_db

NEW = "/corrections/new/"
# Written for these tests; found nowhere else.
SENDER_NAME = "Ottoline Quarrendon"
SENDER_EMAIL = "ottoline.q@example.net"


def opened_a_minute_ago() -> str:
    return guards.opened_token(time.time() - 60)


def form_data(**changes) -> dict:
    data = {
        "kind": "wrong",
        "what_is_wrong": "The tool page says the model started in 2019; the force's answer says 2020.",
        "should_say": "Started in 2020.",
        "source_url": "https://example.org/disclosure-log/answer-123",
        "sender_name": "",
        "sender_email": "",
        "website": "",
        "opened": opened_a_minute_ago(),
        "record": "",
    }
    data.update(changes)
    return data


def test_the_form_is_offered_and_never_cached(client):
    response = client.get(NEW)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'name="website"' in page and 'class="field trap" aria-hidden="true"' in page
    assert 'name="opened"' in page


def test_a_detail_page_names_its_record_for_the_form(client):
    tool = ToolFactory(name="Harrowgate Risk Ladder")
    page = client.get(tool.get_absolute_url()).content.decode()
    assert f'href="/corrections/new/?record=tool:{tool.pk}"' in page
    form = client.get(NEW, {"record": f"tool:{tool.pk}"}).content.decode()
    assert "About: <a" in form and "Harrowgate Risk Ladder" in form
    assert f'value="tool:{tool.pk}"' in form


@pytest.mark.parametrize("value", ["tool:abc", "nothing:1", "tool:", "tool:999999999999999999999999", "tool:-1", ""])
def test_a_malformed_or_unknown_record_reads_as_none(client, value):
    response = client.get(NEW, {"record": value})
    assert response.status_code == 200
    assert "About:" not in response.content.decode()


def test_a_draft_is_never_named(client):
    draft = ToolFactory(name="Unpublished Lantern", is_published=False)
    assert find_record(f"tool:{draft.pk}") is None
    assert "Unpublished Lantern" not in client.get(NEW, {"record": f"tool:{draft.pk}"}).content.decode()
    response = client.post(NEW, form_data(record=f"tool:{draft.pk}"))
    assert "is not in the register" in response.content.decode()
    assert not Correction.objects.exists()


def test_references_of_each_kind():
    deployment = DeploymentFactory()
    foi_request = FoiRequestFactory()
    assert parse_reference(reference(deployment)) == ("deployment", deployment.pk)
    assert find_record(reference(deployment)) == deployment
    assert find_record(reference(foi_request)) == foi_request
    assert parse_reference(" tool:12 ") == ("tool", 12)
    assert parse_reference("tool:１２") is None  # digits of another script


def test_a_correction_is_stored_for_the_editors(client):
    tool = ToolFactory(name="Fenwick Hotspot Grid")
    response = client.post(NEW, form_data(record=f"tool:{tool.pk}", sender_name=SENDER_NAME, sender_email=SENDER_EMAIL))
    assert response.status_code == 302 and response["Location"] == reverse("corrections:thanks")
    correction = Correction.objects.get()
    assert (correction.record_kind, correction.record_id, correction.record_label) == ("tool", tool.pk, tool.name)
    assert correction.status == CorrectionStatus.NEW
    assert correction.sender_email == SENDER_EMAIL
    assert correction.source_url == "https://example.org/disclosure-log/answer-123"
    assert "your correction was sent" in client.get(response["Location"]).content.decode()


def test_a_missing_answer_needs_no_record(client):
    response = client.post(
        NEW,
        form_data(
            kind="missing_answer",
            what_is_wrong="Testshire answered a request about its risk tools on 3 March 2025, ref 2025/0042.",
            should_say="",
        ),
    )
    assert response.status_code == 302
    assert Correction.objects.get().get_kind_display() == "An FOI answer the register does not have"


def test_a_source_is_required(client):
    response = client.post(NEW, form_data(source_url=""))
    assert response.status_code == 200
    assert "Give the address of your source, or attach the document." in response.content.decode()
    assert not Correction.objects.exists()


def test_what_is_wrong_is_required_and_errors_are_summarised(client):
    response = client.post(NEW, form_data(what_is_wrong="", source_url="not an address"))
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_what_is_wrong"' in page and 'href="#id_source_url"' in page
    assert 'aria-invalid="true"' in page
    assert not Correction.objects.exists()


def test_an_attached_text_answer_is_kept(client, originals_storage):
    upload = _upload("answer.txt", b"Testshire Constabulary does not hold a DPIA for the Grid.")
    response = client.post(NEW, form_data(source_url="", attachment=upload))
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.attachment.name.startswith("corrections/")
    assert originals_storage.exists(correction.attachment.name)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("answer.pdf", b"Only text, pretending to be a PDF.", "refused"),
        ("answer.exe", b"MZ\x90\x00\x03\x00\x00\x00", "refused"),
        ("answer.txt", b"\x00\x01\x02\x03" * 100, "refused"),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(client, originals_storage, name, data, reason):
    response = client.post(NEW, form_data(attachment=_upload(name, data)))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"The file “{name}” was {reason}" in page
    assert "attach it again" in page
    assert not Correction.objects.exists()
    assert not originals_storage.exists("corrections")


def test_a_file_over_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr("register.originals.MAX_BYTES", 20)
    response = client.post(NEW, form_data(attachment=_upload("answer.txt", b"A text longer than twenty bytes.")))
    assert "larger than" in response.content.decode()
    assert not Correction.objects.exists()


def test_the_honeypot_catches_a_script(client):
    response = client.post(NEW, form_data(website="https://spam.example"))
    assert "looks like an automated post" in response.content.decode()
    assert not Correction.objects.exists()


def test_a_form_sent_at_once_is_refused_and_can_be_sent_again(client, monkeypatch):
    opened = guards.opened_token()
    response = client.post(NEW, form_data(opened=opened))
    page = response.content.decode()
    assert "too quickly" in page
    assert not Correction.objects.exists()
    assert f'value="{opened}"' in page  # the same time is kept, so a second send a moment later passes
    monkeypatch.setattr(guards, "MIN_FILL_SECONDS", 0)
    assert client.post(NEW, form_data(opened=opened)).status_code == 302


@pytest.mark.parametrize("how", ["missing", "forged", "a day old"])
def test_an_expired_or_forged_timestamp_gets_a_fresh_one(client, how):
    opened = {
        "missing": "",
        "forged": "forged",
        "a day old": guards.opened_token(time.time() - guards.MAX_FORM_AGE_SECONDS - 5),
    }[how]
    response = client.post(NEW, form_data(opened=opened))
    page = response.content.decode()
    assert "The form had expired" in page
    assert not Correction.objects.exists()
    assert 'name="opened" value="' in page and f'name="opened" value="{opened}"' not in page


def test_guards_count_time_with_a_signed_timestamp():
    now = 1_800_000_000.0
    token = guards.opened_token(now)
    with pytest.raises(guards.FormTooFast):
        guards.seconds_since_opened(token, now + 1)
    assert guards.seconds_since_opened(token, now + 10) == pytest.approx(10)
    with pytest.raises(guards.FormExpired):
        guards.seconds_since_opened(token + "x", now + 10)


def test_one_address_may_send_five_an_hour(client):
    for _ in range(guards.SENDS_PER_HOUR):
        assert client.post(NEW, form_data(), REMOTE_ADDR="203.0.113.7").status_code == 302
    limited = client.post(NEW, form_data(), REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "at most 5 corrections an hour" in limited.content.decode()
    assert Correction.objects.count() == guards.SENDS_PER_HOUR
    # Another connection is not held back.
    assert client.post(NEW, form_data(), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_caught_scripts_count_against_the_limit(client):
    for _ in range(guards.SENDS_PER_HOUR):
        client.post(NEW, form_data(website="filled"), REMOTE_ADDR="203.0.113.9")
    assert client.post(NEW, form_data(), REMOTE_ADDR="203.0.113.9").status_code == 429
    assert not Correction.objects.exists()


def test_the_senders_details_are_never_published(client):
    tool = ToolFactory(name="Pellingham Dashboard")
    client.post(NEW, form_data(record=f"tool:{tool.pk}", sender_name=SENDER_NAME, sender_email=SENDER_EMAIL))
    correction = Correction.objects.get()
    correction.status = CorrectionStatus.ACCEPTED
    correction.mark_handled(None)
    correction.save()
    for url in [
        tool.get_absolute_url(),
        "/",
        "/tools/",
        "/changes/",
        "/feeds/changes/",
        "/api/tools/",
        "/api/tools/?format=csv",
        "/api/dump/",
        "/sitemap.xml",
        "/search/?q=Ottoline",
    ]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert SENDER_NAME.encode() not in body and SENDER_EMAIL.encode() not in body, url
        assert b"The tool page says the model started" not in body, url  # nor what they wrote


def test_editors_filter_the_queue_and_handling_is_stamped(staff_client, admin_user):
    Correction.objects.create(what_is_wrong="First.", source_url="https://example.org/a")
    Correction.objects.create(
        what_is_wrong="Second.",
        source_url="https://example.org/b",
        status=CorrectionStatus.REJECTED,
        handled_at=timezone.now(),
    )
    listing = staff_client.get("/admin/corrections/correction/", {"status__exact": "new"}).content.decode()
    assert listing.count('class="field-about"') == 1  # only the new one
    assert staff_client.get("/admin/corrections/correction/").content.decode().count('class="field-about"') == 2
    correction = Correction.objects.get(what_is_wrong="First.")
    response = staff_client.post(
        f"/admin/corrections/correction/{correction.pk}/change/",
        {"status": "accepted", "editor_note": "Corrected the start date on the deployment."},
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.ACCEPTED
    assert correction.handled_by is not None and correction.handled_at is not None
    assert staff_client.get("/admin/corrections/correction/add/").status_code == 403


def test_the_admin_serves_an_attached_file_as_a_download(client, staff_client):
    client.post(NEW, form_data(attachment=_upload("answer.txt", b"A plain answer from Testshire.")))
    correction = Correction.objects.get()
    response = staff_client.get(f"/admin/corrections/correction/{correction.pk}/attachment/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"A plain answer from Testshire."
    anonymous = Client()
    assert anonymous.get(f"/admin/corrections/correction/{correction.pk}/attachment/").status_code == 302  # login


def test_contact_details_are_erased_after_the_retention_period():
    long_ago = timezone.now() - CONTACT_RETENTION - timezone.timedelta(days=1)
    old = Correction.objects.create(
        what_is_wrong="Old.",
        source_url="https://example.org/a",
        sender_email=SENDER_EMAIL,
        status=CorrectionStatus.ACCEPTED,
        handled_at=long_ago,
    )
    recent = Correction.objects.create(
        what_is_wrong="Recent.",
        source_url="https://example.org/b",
        sender_email=SENDER_EMAIL,
        status=CorrectionStatus.REJECTED,
        handled_at=timezone.now(),
    )
    waiting = Correction.objects.create(what_is_wrong="New.", source_url="https://example.org/c", sender_name="A")
    assert list(Correction.objects.contact_details_past_retention()) == [old]
    call_command("forget_correction_senders", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    waiting.refresh_from_db()
    assert (old.sender_email, recent.sender_email, waiting.sender_name) == ("", SENDER_EMAIL, "A")
    assert old.what_is_wrong == "Old."


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
