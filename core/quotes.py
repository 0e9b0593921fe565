"""Where a quoted passage sits in its source's text: the one rule every path that
records a quote uses (the seed loader, the admin, the models, `check_quotes`).

A quote is found when it appears in the text word for word, allowing only for
what copying a passage changes without changing its words: line breaks and
repeated spaces, curly or straight quote marks, the kind of dash, markdown bold
(`**`). An ellipsis ("..." or "…") joins passages that must all appear, in
order. Letter case counts: a changed word is not the same passage.

The place found is kept as the W3C Web Annotation model anchors a passage (a
TextQuoteSelector with a TextPositionSelector): the exact text, a little of
what precedes and follows it, and its offsets in the source's text.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

CONTEXT = 32  # characters of prefix and suffix kept around the exact text

_EQUIVALENT = {
    **dict.fromkeys("‘’‚‛′`", "'"),
    **dict.fromkeys("“”„‟″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
# What `_normalise` changes: bold marks, an ellipsis character, quote marks and dashes it makes
# plain, white space other than one space between words. A text without any is its own normal form.
_CHANGED_BY_NORMALISING = re.compile(rf"\*\*|[…{re.escape(''.join(_EQUIVALENT))}]|[^\S ]|  |^ ")


@dataclass(frozen=True)
class QuoteAnchor:
    """A quote's place in a text: `text[start:end] == exact`."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@lru_cache(maxsize=128)
def _normalise(text: str) -> tuple[str, tuple[int, ...]]:
    """The text as compared, and for each of its characters the index in `text` it came from."""
    if not _CHANGED_BY_NORMALISING.search(text):
        return text, tuple(range(len(text)))  # the common case, without a loop over each character
    chars: list[str] = []
    origin: list[int] = []
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char == "*" and text.startswith("**", i):
            i += 2
            continue
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(i)
            i += 1
            continue
        if char == "…":
            chars.extend("...")
            origin.extend((i, i, i))
        else:
            chars.append(_EQUIVALENT.get(char, char))
            origin.append(i)
        i += 1
    return "".join(chars), tuple(origin)


def _passages(quote: str) -> list[str]:
    """The quote's passages, as compared: those an ellipsis joins, each stripped."""
    normal, _ = _normalise(quote)
    return [part.strip() for part in _ELLIPSIS.split(normal) if part.strip()]


def locate_quote(quote: str, text: str) -> QuoteAnchor | None:
    """Where `quote` appears in `text` (its first place), or None when it does not."""
    passages = _passages(quote or "")
    if not passages or not text:
        return None
    normal, origin = _normalise(text)
    position, first = 0, None
    for passage in passages:
        found = normal.find(passage, position)
        if found < 0:
            return None
        first = found if first is None else first
        position = found + len(passage)
    start, end = origin[first], origin[position - 1] + 1
    return QuoteAnchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def quote_appears(quote: str, text: str) -> bool:
    return locate_quote(quote, text) is not None


# Highlighting: the passages quoted, marked where they sit in their source's text -------------


@dataclass(frozen=True)
class Passage:
    """A passage to mark in a text, `text[start:end]`: its mark's id (a page's address ends
    `#<key>` to open the text at it), and a link after it to what it supports."""

    key: str
    start: int
    end: int
    href: str = ""
    label: str = ""


def mark_passages(text: str, passages: "Iterable[Passage | None]") -> SafeString:
    """The text, escaped, with each passage in `<mark id="<key>">` followed by its link.

    Marks nest properly whatever the passages do: one inside another is a mark inside a
    mark; where two overlap, the later one is cut where the earlier ends and goes on in a
    second mark (`class="passage continued"`, without the id). Passages outside the text,
    empty or None are left out."""
    text = text or ""
    chosen = sorted(
        (passage for passage in passages if passage is not None and 0 <= passage.start < passage.end <= len(text)),
        key=lambda passage: (passage.start, -passage.end),
    )
    boundaries = sorted({0, len(text), *(p.start for p in chosen), *(p.end for p in chosen)})
    starting: dict[int, list[Passage]] = {}
    for passage in chosen:
        starting.setdefault(passage.start, []).append(passage)
    parts: list[str] = []
    open_marks: list[Passage] = []  # outermost first
    for index, position in enumerate(boundaries):
        ending = [passage for passage in open_marks if passage.end == position]
        if ending:
            # Close from the innermost out to the outermost that ends here; those still going on reopen.
            outermost = min(open_marks.index(passage) for passage in ending)
            closed, open_marks = open_marks[outermost:], open_marks[:outermost]
            parts.append("</mark>" * len(closed))
            parts.extend(_fact_link(passage) for passage in reversed(closed) if passage.end == position)
            for passage in closed:
                if passage.end != position:
                    parts.append('<mark class="passage continued">')
                    open_marks.append(passage)
        for passage in starting.get(position, []):
            parts.append(format_html('<mark class="passage" id="{}">', passage.key))
            open_marks.append(passage)
        if index + 1 < len(boundaries):
            parts.append(escape(text[position : boundaries[index + 1]]))
    return mark_safe("".join(parts))


def _fact_link(passage: Passage) -> str:
    if not passage.href:
        return ""
    return format_html('<a class="passage-fact" href="{}">[{}]</a>', passage.href, passage.label or "fact")
