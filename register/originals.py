"""Archived originals of sources: the file a force or publisher put out (PDF, DOCX,
HTML or text), kept through Django's storage API (`STORAGES["originals"]`) with its
SHA-256, size and the day it was retrieved, because links rot and forces take their
disclosure logs down.

An upload is checked by its name, its content and its size before anything is
stored; a published document without text takes the text of its original, so that
its quotes are checked against it.
"""

import datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from core.documents import CONTENT_TYPES, EXTENSIONS, MAX_BYTES, DocumentError, NoTextLayer, read_document

from .models import Source, SourceKind


def read_original(name: str, data: bytes, *, label: str = "The original") -> str:
    """The text of an original file ("" for a scanned PDF without a text layer), once its type
    (by extension and content) and size are checked: a ValidationError with the reason otherwise."""
    try:
        return read_document(name, data)
    except NoTextLayer:
        return ""  # a genuine scan: the file is kept, its text must be typed in
    except DocumentError as error:
        raise ValidationError(f"{label} “{name}” was refused: {error}.", code="bad_original") from error


def read_upload(upload, *, label: str = "The original") -> tuple[bytes, str]:
    """The bytes and text of an uploaded original, checked (`read_original`). The size
    is checked before the file is read, so a huge upload is not loaded into memory."""
    if upload.size is not None and upload.size > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            f"{label} “{upload.name}” was refused: the file is larger than {limit} MB.", code="bad_original"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data, read_original(upload.name, data, label=label)


def store_original(
    source: Source, name: str, data: bytes, *, text: str, retrieved: datetime.date | None = None
) -> None:
    """Store checked bytes as the source's archived original (the caller saves the source):
    records its SHA-256 and size as read back through the storage, the day it was
    retrieved (today unless given), and, for a published document without text, the
    text of the file, which its quotes are then checked against."""
    field = source.original
    field.save(PurePath(name).name, ContentFile(data), save=False)
    source.original = field.name  # read back from the storage, not from the upload
    source.record_original_digest()
    source.original_retrieved = retrieved or timezone.localdate()
    if source.kind == SourceKind.DOCUMENT and not source.text.strip():
        source.text = text


def store_seed_original(source: Source, name: str, data: bytes) -> None:
    """Point the source at `originals/seed/<name>`, storing the file there unless the same
    bytes already are: loading the seed data twice, or into a new database over the same
    storage, stores each document once."""
    storage = source.original.storage
    path = f"originals/seed/{PurePath(name).name}"
    if not (storage.exists(path) and _same_bytes(storage, path, data)):
        path = storage.save(path, ContentFile(data))
    source.original = path
    source.record_original_digest()


def _same_bytes(storage, path: str, data: bytes) -> bool:
    with storage.open(path, "rb") as handle:
        return handle.read() == data


def content_type(file_name: str) -> str:
    """The content type of a stored original, from the extension it was checked against."""
    kind = EXTENSIONS.get(PurePath(file_name).suffix.lower())
    return CONTENT_TYPES.get(kind, "application/octet-stream")


def text_charset(file) -> str:
    """The charset to serve a stored text original with, as `core.documents.decode` reads it."""
    with file.storage.open(file.name, "rb") as handle:
        data = handle.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def download_name(source: Source, file_name: str, *, redacted: bool) -> str:
    """A sensible file name for a download: the source's slug or title, e.g. "essex-16495-redacted.pdf"."""
    stem = source.slug or slugify(source.title)[:80] or f"source-{source.pk}"
    return f"{stem}{'-redacted' if redacted else ''}{PurePath(file_name).suffix.lower()}"
