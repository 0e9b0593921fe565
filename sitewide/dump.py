"""`/api/dump/`: the whole published register as one JSON file, built ahead and served whole.

Streaming the dump as a request read it took longer than gunicorn's timeout at scale 10,
and a client then got a 200 with JSON cut short. So the dump is a file, built by
`build_dump` (daily, and by `make run`), and published atomically: written under a
temporary name, flushed to disk, renamed, and only then named in a small manifest
(`manifest.json`) with its SHA-256, its size and its count of records per section. The
endpoint serves the file the manifest names, with its length, an ETag, its digest
(`Repr-Digest`, RFC 9530) and its build time (Last-Modified): a download cut short is
shorter than its Content-Length and fails its digest.

When the register has changed since the dump was built (or a day has passed: deadlines
move), the dump is still served, saying so (`X-Dump-Status: outdated`), until the next
build. A small register (seed data, tests) is rebuilt on the request instead, in seconds;
a large one without a dump yet (a fresh install) gets a 503 with Retry-After.

The file holds only what `published()` allows, whoever asks, and states its licence.
"""

import base64
import contextlib
import dataclasses
import datetime
import fcntl
import gzip
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Max, Prefetch
from django.http import FileResponse, HttpResponse
from django.http.request import split_domain_port, validate_host
from django.test import RequestFactory
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from core.api import CSV_CHUNK_SIZE, DATA_LICENCE, CachedReadMixin
from core.renderers import serialized_rows
from foi_requests.api import foi_requests_with_details
from foi_requests.models import CategoryAsked, Exemption, FoiRequest
from foi_requests.serializers import ExemptionSerializer, FoiRequestSerializer
from register.api import deployments_with_details, evidence_queryset
from register.models import (
    Assessment,
    Deployment,
    Evidence,
    Force,
    Question,
    QuestionCategory,
    QuestionSafeguard,
    Source,
    Supplier,
    Tool,
)
from register.serializers import (
    AssessmentSerializer,
    DeploymentSerializer,
    ForceSerializer,
    SupplierSerializer,
    ToolSerializer,
)

logger = logging.getLogger(__name__)

DOWNLOAD_NAME = "police-algorithms-register.json"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".build.lock"
# A register of up to this many deployments, assessments and FOI requests is dumped in a few
# seconds: a request may build it. A larger one waits for `build_dump`.
BUILD_ON_REQUEST_LIMIT = 2000
# What a client is told to wait when there is no dump yet: about a build at scale 10.
RETRY_AFTER_SECONDS = 900
WRITE_BLOCK = 1 << 20


class DumpBusy(Exception):
    """Another process is building the dump."""


@dataclasses.dataclass(frozen=True)
class Dump:
    """A built dump, as its manifest describes it: its file (and a gzip copy) in the dumps'
    folder, their SHA-256 and sizes, when it was built and from what state of the register."""

    file: str
    sha256: str
    size: int
    gzip_file: str
    gzip_sha256: str
    gzip_size: int
    generated_at: str
    counts: dict
    register_state: str
    base_url: str

    @property
    def built(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.generated_at)


# ---- What goes in ---------------------------------------------------------------------------


def dump_sections():
    """Each section of the dump: its key, serializer and published records."""

    def with_evidence(queryset):
        return queryset.prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=False)))

    return [
        ("forces", ForceSerializer, Force.objects.published()),
        ("suppliers", SupplierSerializer, with_evidence(Supplier.objects.published().select_related("force"))),
        ("tools", ToolSerializer, with_evidence(Tool.objects.published().select_related("supplier"))),
        ("deployments", DeploymentSerializer, deployments_with_details(Deployment.objects.published(), drafts=False)),
        (
            "assessments",
            AssessmentSerializer,
            with_evidence(Assessment.objects.published().select_related("deployment__force", "deployment__tool")),
        ),
        ("foi_requests", FoiRequestSerializer, foi_requests_with_details(FoiRequest.objects.published())),
        ("exemptions", ExemptionSerializer, Exemption.objects.all()),
    ]


def encode(value) -> str:
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)


def dump_pieces(context: dict, generated_at: datetime.datetime, counts: dict) -> Iterator[str]:
    """The dump's text, a piece at a time; `counts` gets each section's number of records.
    Records are serialized a chunk at a time, as the API lists them, with one serializer a
    chunk (building a serializer's fields costs more than a record)."""
    header = {
        "api_version": "1",
        "generated_at": generated_at.isoformat(),
        "licence": DATA_LICENCE,
        "description": "Every published record of the police algorithmic tools register, as the API shows it.",
    }
    yield encode(header)[:-1]  # keep the object open for the sections
    for key, serializer_class, queryset in dump_sections():
        yield f", {encode(key)}: ["
        count = 0
        records = queryset.iterator(chunk_size=CSV_CHUNK_SIZE)
        for count, data in enumerate(serialized_rows(serializer_class, records, context, CSV_CHUNK_SIZE), 1):
            yield ("" if count == 1 else ", ") + encode(data)
        counts[key] = count
        yield "]"
    yield "}\n"


# ---- The state of the register a dump was built from ----------------------------------------

# Every table whose rows show in the dump. A change shows in its table's highest id, its latest
# `updated_at` or, for a recorded model, its history (which records deletions too): each an index
# look-up, where counting rows would read tables of hundreds of thousands on every request. A
# change none of these show (a row deleted from a table without history) waits for the next day.
STATE_MODELS = (
    Force,
    Supplier,
    Tool,
    Deployment,
    Assessment,
    Source,
    Evidence,
    FoiRequest,
    Exemption,
    CategoryAsked,
    Question,
    QuestionCategory,
    QuestionSafeguard,
    Exemption.questions.through,
    FoiRequest.exemptions.through,
)
# The records a build on request is bounded by (BUILD_ON_REQUEST_LIMIT), counted by their highest ids.
SIZE_MODELS = (Deployment, Assessment, FoiRequest)


@dataclasses.dataclass(frozen=True)
class RegisterState:
    fingerprint: str
    records: int


def register_state() -> RegisterState:
    """A fingerprint of everything the dump shows, drafts included (a dump built before a
    draft was added is rebuilt, harmlessly, the same), and of the day (deadlines move); with
    about how many records a build would read."""
    parts = [timezone.localdate().isoformat()]
    records = 0
    for model in STATE_MODELS:
        aggregates = {"last": Max("pk")}
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            aggregates["changed"] = Max("updated_at")
        history = getattr(model, "history", None)
        values = model._default_manager.order_by().aggregate(**aggregates)
        if history is not None:
            values["history"] = history.order_by().aggregate(last=Max("pk"))["last"]
        parts.append((model._meta.label, sorted(values.items())))
        if model in SIZE_MODELS:
            records += values["last"] or 0
    return RegisterState(hashlib.sha256(repr(parts).encode()).hexdigest()[:32], records)


# ---- Building and publishing the file -------------------------------------------------------


def check_base_url(base_url: str) -> str:
    """The public address links in the dump start from, without a trailing slash; a ValueError
    saying why when it is not an http(s) address of a host the register answers to."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ValueError(f"{base_url!r} is not the register's address, e.g. https://register.example.org")
    allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if not validate_host(split_domain_port(parts.netloc)[0], allowed):
        raise ValueError(f"{parts.hostname} is not in ALLOWED_HOSTS: the register does not answer to it")
    return f"{parts.scheme}://{parts.netloc}"


def request_for(base_url: str):
    """A request to the dump's address at `base_url`: the serializers build absolute links from it."""
    parts = urlsplit(base_url)
    return RequestFactory().get("/api/dump/", HTTP_HOST=parts.netloc, secure=parts.scheme == "https")


@contextlib.contextmanager
def build_lock(directory: Path):
    """Held by the one process building the dump; DumpBusy when another holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_NAME, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DumpBusy(f"Another build of the dump is running (it holds {directory / LOCK_NAME}).") from None
        yield


def sha256_of(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_file(path: Path, pieces: Iterator[str]) -> None:
    """The pieces to `path` and, gzipped, to `path`.gz, both flushed to disk."""
    with open(path, "wb") as plain, open(f"{path}.gz", "wb") as raw:
        # mtime 0: the same dump gives the same compressed bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as compressed:
            block, size = [], 0
            for piece in pieces:
                data = piece.encode()
                block.append(data)
                size += len(data)
                if size >= WRITE_BLOCK:
                    joined = b"".join(block)
                    plain.write(joined)
                    compressed.write(joined)
                    block, size = [], 0
            joined = b"".join(block)
            plain.write(joined)
            compressed.write(joined)
        for file in (plain, raw):
            file.flush()
            os.fsync(file.fileno())


def build_dump(directory: Path, base_url: str) -> Dump:
    """Build the dump into `directory` and publish it: once its files are complete and on disk,
    the manifest naming them replaces the previous one in one rename, so a reader finds the old
    dump or the new one, whole. Raises DumpBusy when another build is running."""
    with build_lock(directory):
        for left in directory.glob(".building-*"):
            left.unlink(missing_ok=True)  # from a build that was killed: no other is running
        state = register_state()  # before reading: a change made meanwhile makes it outdated
        generated_at = timezone.now()
        stamp = generated_at.strftime("%Y%m%dT%H%M%S%fZ")
        name = f"register-{stamp}.json"
        building = directory / f".building-{name}"
        counts = {}
        try:
            write_file(building, dump_pieces({"request": request_for(base_url)}, generated_at, counts))
            os.replace(building, directory / name)
            os.replace(f"{building}.gz", directory / f"{name}.gz")
        finally:
            building.unlink(missing_ok=True)
            Path(f"{building}.gz").unlink(missing_ok=True)
        dump = Dump(
            file=name,
            sha256=sha256_of(directory / name),
            size=(directory / name).stat().st_size,
            gzip_file=f"{name}.gz",
            gzip_sha256=sha256_of(directory / f"{name}.gz"),
            gzip_size=(directory / f"{name}.gz").stat().st_size,
            generated_at=generated_at.isoformat(),
            counts=counts,
            register_state=state.fingerprint,
            base_url=base_url,
        )
        manifest = directory / f".building-{MANIFEST_NAME}"
        with open(manifest, "w") as file:
            json.dump(dataclasses.asdict(dump), file, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(manifest, directory / MANIFEST_NAME)
        fsync_directory(directory)
        # Earlier dumps go; a download of one already under way keeps its open file.
        for path in directory.glob("register-*.json*"):
            if path.name not in (dump.file, dump.gzip_file):
                path.unlink(missing_ok=True)
        return dump


def latest_dump(directory: Path) -> Dump | None:
    """The dump the manifest names, or None when there is none (or its files are gone)."""
    try:
        dump = Dump(**json.loads((directory / MANIFEST_NAME).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if not (directory / dump.file).exists() or not (directory / dump.gzip_file).exists():
        return None
    return dump


# ---- Serving it -------------------------------------------------------------------------------


def accepts_gzip(request) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, parameters = coding.strip().partition(";")
        if name.strip().lower() == "gzip":
            return parameters.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def dump_response(request, directory: Path, dump: Dump, *, outdated: bool) -> HttpResponse:
    """The dump's file with its length, validators and digest; gzipped for a client that
    takes it. A matching If-None-Match (or If-Modified-Since) is a 304, the file unopened."""
    gzipped = accepts_gzip(request)
    name, digest = (dump.gzip_file, dump.gzip_sha256) if gzipped else (dump.file, dump.sha256)
    encoded = base64.b64encode(bytes.fromhex(digest)).decode()
    headers = {
        "ETag": f'"{digest[:40]}"',
        "Last-Modified": http_date(dump.built.timestamp()),
        "Vary": "Accept-Encoding",
        "Repr-Digest": f"sha-256=:{encoded}:",
        "Digest": f"sha-256={encoded}",  # RFC 3230, for older clients
        "X-Dump-Status": "outdated" if outdated else "current",
    }
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    headers_only = HttpResponse(headers=headers)
    answer = get_conditional_response(
        request, etag=headers["ETag"], last_modified=int(dump.built.timestamp()), response=headers_only
    )
    if answer is not headers_only:
        return answer
    response = FileResponse(
        open(directory / name, "rb"),  # noqa: SIM115 (the response closes it once sent)
        as_attachment=True,
        filename=DOWNLOAD_NAME,
        content_type="application/json",
    )
    for header, value in headers.items():
        response[header] = value
    return response


class DumpView(CachedReadMixin, APIView):
    """The whole published register as one JSON file, licensed under the Open
    Government Licence v3.0: forces, suppliers, tools, deployments,
    assessments, FOI requests and exemptions, each as its endpoint shows it.

    The file is built ahead (daily) and served whole: `Content-Length`, `ETag`,
    `Repr-Digest` (its SHA-256) and `Last-Modified` (when it was built) let a client
    check it has all of it. `X-Dump-Status: outdated` says the register has changed
    since; the next build will show it. Sent gzipped to a client that accepts it.
    A 503 with Retry-After means no dump has been built yet."""

    # The dump is the same for everyone; a researcher's drafts are never in it.
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            503: OpenApiResponse(description="No dump has been built yet: retry after the seconds in Retry-After."),
        },
        filters=False,
    )
    def get(self, request):
        directory = Path(settings.DUMP_ROOT)
        dump = latest_dump(directory)
        state = register_state()
        outdated = dump is None or dump.register_state != state.fingerprint
        if outdated and state.records <= BUILD_ON_REQUEST_LIMIT:
            # Small enough to rebuild now, from the address the client used.
            try:
                dump, outdated = build_dump(directory, request.build_absolute_uri("/").rstrip("/")), False
            except DumpBusy:
                pass  # another request is building it: the previous dump, if any, meanwhile
            except OSError:
                logger.exception("Could not build the dump in %s", directory)
        if dump is None:
            return Response(
                {
                    "detail": "The dump of the register has not been built yet: it is being prepared. "
                    f"Try again in {RETRY_AFTER_SECONDS // 60} minutes."
                },
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return dump_response(request, directory, dump, outdated=outdated)
