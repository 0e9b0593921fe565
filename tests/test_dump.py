"""The dump of the whole register (`/api/dump/`, `build_dump`): whole, verifiable, never cut short."""

import base64
import datetime
import gzip
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.http import parse_http_date
from rest_framework.test import APIClient

from sitewide import dump as dump_module
from sitewide.dump import MANIFEST_NAME, build_lock, latest_dump

from .factories import AssessmentFactory, DeploymentFactory, ExemptionFactory, FoiRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def large_register(monkeypatch):
    """A register too large to dump on a request: only `build_dump` builds it."""
    monkeypatch.setattr(dump_module, "BUILD_ON_REQUEST_LIMIT", 0)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sha256_header(data: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(data).digest()).decode() + ":"


def some_records():
    deployment = DeploymentFactory()
    AssessmentFactory(deployment=deployment)
    FoiRequestFactory().exemptions.add(ExemptionFactory())
    return deployment


def test_the_dump_is_served_with_its_length_digest_and_date(api):
    deployment = some_records()
    response = api.get("/api/dump/")
    assert response.status_code == 200
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    assert response["Repr-Digest"] == sha256_header(data)
    assert response["ETag"].strip('"') == hashlib.sha256(data).hexdigest()[:40]
    assert response["X-Dump-Status"] == "current"
    assert 'filename="police-algorithms-register.json"' in response["Content-Disposition"]
    dump = json.loads(data)
    assert [row["id"] for row in dump["deployments"]] == [deployment.pk]
    assert dump["deployments"][0]["url"] == f"http://testserver/api/deployments/{deployment.pk}/"
    assert dump["licence"]["name"] == "Open Government Licence v3.0"
    built = parse_http_date(response["Last-Modified"])
    assert abs(built - datetime.datetime.fromisoformat(dump["generated_at"]).timestamp()) < 1


def test_the_manifest_counts_every_section(api, dump_root):
    some_records()
    dump = json.loads(body(api.get("/api/dump/")))
    manifest = json.loads((dump_root / MANIFEST_NAME).read_text())
    sections = ("forces", "suppliers", "tools", "deployments", "assessments", "foi_requests", "exemptions")
    assert manifest["counts"] == {section: len(dump[section]) for section in sections}
    assert manifest["counts"]["deployments"] == 1 and manifest["counts"]["foi_requests"] == 1
    assert hashlib.sha256((dump_root / manifest["file"]).read_bytes()).hexdigest() == manifest["sha256"]


def test_a_client_that_accepts_gzip_gets_the_same_dump_compressed(api):
    some_records()
    plain = body(api.get("/api/dump/"))
    response = api.get("/api/dump/", HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    compressed = body(response)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(compressed)
    assert response["Repr-Digest"] == sha256_header(compressed)
    assert gzip.decompress(compressed) == plain
    assert body(api.get("/api/dump/", HTTP_ACCEPT_ENCODING="gzip;q=0")) == plain


def test_an_unchanged_dump_is_not_sent_again(api):
    some_records()
    etag = api.get("/api/dump/")["ETag"]
    assert api.get("/api/dump/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_small_register_is_dumped_again_after_a_change(api):
    first = some_records()
    before = api.get("/api/dump/")
    second = DeploymentFactory()
    after = api.get("/api/dump/")
    assert after["ETag"] != before["ETag"]
    assert sorted(row["id"] for row in json.loads(body(after))["deployments"]) == sorted([first.pk, second.pk])


def test_a_large_register_without_a_dump_answers_503_with_retry_after(api, large_register):
    some_records()
    response = api.get("/api/dump/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "not been built yet" in response.json()["detail"]


def test_an_outdated_dump_is_served_saying_so_until_the_next_build(api, large_register):
    first = some_records()
    call_command("build_dump", base_url="http://testserver", verbosity=0)
    built = api.get("/api/dump/")
    assert built["X-Dump-Status"] == "current"
    second = DeploymentFactory()
    outdated = api.get("/api/dump/")
    assert outdated.status_code == 200
    assert outdated["X-Dump-Status"] == "outdated"
    assert outdated["Last-Modified"] == built["Last-Modified"]
    assert [row["id"] for row in json.loads(body(outdated))["deployments"]] == [first.pk]
    call_command("build_dump", if_outdated=True, base_url="http://testserver", verbosity=0)
    rebuilt = api.get("/api/dump/")
    assert rebuilt["X-Dump-Status"] == "current"
    assert sorted(row["id"] for row in json.loads(body(rebuilt))["deployments"]) == sorted([first.pk, second.pk])


def test_the_command_reports_the_dump_and_skips_a_current_one(dump_root, capsys, settings):
    settings.ALLOWED_HOSTS = ["register.example.org"]
    some_records()
    call_command("build_dump", base_url="https://register.example.org")
    out = capsys.readouterr().out
    dump = latest_dump(dump_root)
    assert f"SHA-256 {dump.sha256}" in out and "1 deployments" in out and "1 foi requests" in out
    assert json.loads((dump_root / dump.file).read_text())["forces"][0]["url"].startswith(
        "https://register.example.org/api/forces/"
    )
    call_command("build_dump", "--if-outdated", base_url="https://register.example.org")
    assert "is current: nothing to do" in capsys.readouterr().out
    assert latest_dump(dump_root) == dump


def test_a_new_build_replaces_the_old_files(dump_root):
    call_command("build_dump", verbosity=0)
    old = latest_dump(dump_root)
    (dump_root / ".building-register-killed.json").write_text('{"forces": [')  # a build killed midway
    some_records()
    call_command("build_dump", verbosity=0)
    new = latest_dump(dump_root)
    assert new.file != old.file
    assert sorted(path.name for path in dump_root.glob("register-*")) == sorted([new.file, new.gzip_file])
    assert not list(dump_root.glob(".building-*"))


def test_a_failed_build_leaves_the_previous_dump_whole(api, dump_root, monkeypatch):
    some_records()
    call_command("build_dump", base_url="http://testserver", verbosity=0)
    before = body(api.get("/api/dump/"))
    sections = dump_module.dump_sections

    def failing_sections():
        # The disk fills up while the last section is written.
        *complete, (key, serializer_class, queryset) = sections()

        class FullDisk(serializer_class):
            def to_representation(self, instance):
                raise OSError(28, "No space left on device")

        return [*complete, (key, FullDisk, queryset)]

    monkeypatch.setattr(dump_module, "dump_sections", failing_sections)
    DeploymentFactory()
    with pytest.raises(CommandError, match=r"Could not write the dump in .*: No space left on device"):
        call_command("build_dump", base_url="http://testserver", verbosity=0)
    monkeypatch.undo()
    monkeypatch.setattr(dump_module, "BUILD_ON_REQUEST_LIMIT", 0)  # served as it is, not rebuilt
    assert not list(dump_root.glob(".building-*"))
    response = api.get("/api/dump/", HTTP_ACCEPT_ENCODING="identity")
    assert body(response) == before
    assert response["Repr-Digest"] == sha256_header(before)


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("ftp://register.example.org", "is not the register's address"),
        ("https://register.example.org/some/page", "is not the register's address"),
        ("https://elsewhere.example.com", "elsewhere.example.com is not in ALLOWED_HOSTS"),
        ("", "Give the register's public address"),
    ],
)
def test_the_command_refuses_a_bad_address(settings, base_url, message):
    settings.ALLOWED_HOSTS = ["register.example.org"]
    with pytest.raises(CommandError, match=message):
        call_command("build_dump", base_url=base_url)


def test_the_command_says_when_it_cannot_write(settings, tmp_path):
    (tmp_path / "taken").write_text("a file where the folder should be")
    settings.DUMP_ROOT = tmp_path / "taken"
    with pytest.raises(CommandError, match="Could not write the dump in"):
        call_command("build_dump", verbosity=0)


def test_the_command_refuses_to_run_beside_another_build(dump_root):
    with build_lock(dump_root), pytest.raises(CommandError, match="Another build of the dump is running"):
        call_command("build_dump", verbosity=0)
