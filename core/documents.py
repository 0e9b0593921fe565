"""Reading a document's file: a .txt, .pdf, .docx or saved .html page, checked by
its extension *and* its content, and its text.

Used by the FOI importer (`foi_requests.extraction`) and by the archived originals
of sources (`register.originals`). Plain functions that raise nothing but
`DocumentError`, whose message is fit to show as one line.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = {".txt": "text", ".text": "text", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
KIND_LABELS = {"text": "plain text", "pdf": "a PDF", "docx": "a Word document", "html": "an HTML page"}
CONTENT_TYPES = {
    "text": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


class DocumentError(Exception):
    """A document that cannot be read, with a reason fit to show as one line."""


class NoTextLayer(DocumentError):
    """A PDF that is only images (a scan): a genuine file whose text cannot be read without OCR."""


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called: pdf, docx, html, text or binary."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "binary"
        except (zipfile.BadZipFile, ValueError, OSError):
            return "binary"
    text = decode(data)
    if text is None:
        return "binary"
    head = text[:2048].lower()
    if re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", head):
        return "html"
    return "text"


def decode(data: bytes) -> str | None:
    """The text of `data`, or None when it looks binary (NUL bytes, many control characters)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as Windows Notepad saves "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:8192]:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > max(2, len(text[:8192]) // 100):
        return None
    return text


def check_document(name: str, data: bytes) -> str:
    """The kind of document (text, pdf, docx or html) the file is, checked by its
    extension, its content and its size; DocumentError when it is none of them."""
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        shown = f"“{extension}” files" if extension else "files without an extension"
        raise DocumentError(f"unsupported file type: {shown} (use .txt, .pdf, .docx, .html or .htm)")
    if not data.strip():
        raise DocumentError("the file is empty")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    expected, found = EXTENSIONS[extension], sniff(data)
    if found == "binary":
        raise DocumentError(f"the file is binary, not {KIND_LABELS[expected]}")
    if expected == "text" and found == "html":
        return "html"  # a saved page named .txt is still read as a page, without its furniture
    if found != expected:
        raise DocumentError(f"the file is named {extension} but its content is {KIND_LABELS[found]}")
    return expected


def read_document(name: str, data: bytes) -> str:
    """The text of a document, checked by its extension and its content."""
    kind = check_document(name, data)
    try:
        if kind == "pdf":
            text = _pdf_text(data)
        elif kind == "docx":
            text = _docx_text(data)
        elif kind == "html":
            text = html_text(decode(data) or "")
        else:
            text = decode(data) or ""
    except DocumentError:
        raise
    except Exception as error:  # third-party parsers raise many kinds on damaged files
        raise DocumentError(f"{KIND_LABELS[kind]} that cannot be read ({type(error).__name__})") from error
    text = normalise(text)
    if not text.strip():
        if kind == "pdf":
            raise NoTextLayer("the PDF has no text layer (a scanned image?): run it through OCR first")
        raise DocumentError("the file holds no text")
    return text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentError("the PDF is password-protected")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


FURNITURE_TAGS = ("script", "style", "noscript", "template", "nav", "form", "button", "iframe", "svg", "select")
FURNITURE_WORDS = re.compile(r"cookie|consent|gdpr|banner|skip|breadcrumb|menu|navbar|site-header|site-footer", re.I)


def html_text(html: str) -> str:
    """The readable text of a saved page, without its scripts, navigation and cookie banners."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(FURNITURE_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo", "dialog", "alertdialog"]}):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        attrs = tag.attrs or {}
        names = " ".join([attrs.get("id") or "", *(attrs.get("class") or [])])
        if names and FURNITURE_WORDS.search(names):
            tag.decompose()
    main = soup.find("main") or soup.find("article") or soup.body or soup
    for tag in main.find_all(["header", "footer"]):
        # A page's own header/footer is furniture; an article's header holds its title.
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    return main.get_text("\n")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u200b", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
