"""Reading what clients send, within bounds: JSON bodies no deeper and no
larger than a limit, whole numbers written in ASCII digits, and addresses
without control characters.

Python's `json` recurses once per level of nesting, so a body nested a few
thousand levels deep raises RecursionError (a 500) rather than a ValueError;
`str.isdigit()` accepts "²" and other scripts' digits, which `int()` then
refuses or reads; and `int()` also accepts signs, spaces and underscores. Every
identifier, page number and version read from a path, query or header goes
through `whole_number`; every JSON body through `BoundedJSONParser` (the API's
parser, `REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`). A path segment that
reaches the database as text must hold no NUL, which PostgreSQL refuses (an
error, not "no such record"): `RefuseControlCharactersInPath` (a middleware)
answers 400 to any path with a control character, whatever the view.
"""

import io
import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser, get_encoding

# A record's JSON is a few levels deep (a deployment's assessments' sources): far below this.
MAX_JSON_DEPTH = 32
# The largest id a row can have: PostgreSQL's bigint, SQLite's INTEGER.
LARGEST_ID = 2**63 - 1

_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def is_ascii_digits(text: str) -> bool:
    """True if `text` is one or more of the digits 0-9 and nothing else."""
    return text.isascii() and text.isdigit()


def whole_number(text: str, maximum: int = LARGEST_ID) -> int | None:
    """`text` as a whole number from 0 to `maximum`, or None: when it is not
    ASCII digits only (no sign, space, underscore, "²" or "٣"), or too large."""
    if not is_ascii_digits(text):
        return None
    digits = text.lstrip("0") or "0"
    # Longer than the maximum is larger: no need to convert thousands of digits.
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if number <= maximum else None


def nesting_depth(text: str) -> int:
    """How deeply JSON `text` nests arrays and objects (brackets inside strings
    do not count), without parsing it: a linear scan, no recursion."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a body larger than Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE (413) or nested deeper than `MAX_JSON_DEPTH`
    (400), before Python's recursive decoder sees it."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit:,} bytes.")
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        depth = nesting_depth(text)
        if depth > self.max_depth:
            raise exceptions.ParseError(
                f"JSON parse error - arrays and objects nested {depth} levels deep; at most {self.max_depth} allowed."
            )
        return super().parse(io.BytesIO(text.encode()), media_type, {**parser_context, "encoding": "utf-8"})


class RefuseControlCharactersInPath:
    """Middleware: a path holding a control character (NUL, a line break; sent
    percent-encoded, "%00") names no page, and its segments would reach the
    database as slugs and codes: 400, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL_CHARACTER.search(request.path_info):
            return HttpResponseBadRequest(
                "Bad request: the address holds a control character (such as %00); no page has one.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
