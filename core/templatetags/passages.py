"""Showing a source's text with the passages quoted from it marked (`core.quotes.mark_passages`)."""

from django import template

from ..quotes import mark_passages

register = template.Library()


@register.simple_tag
def marked_text(text: str, quotes) -> str:
    """The text, escaped, with each of `quotes` marked where it sits in it: any records with
    `passage_in(text)` giving a `core.quotes.Passage` (or None when not found)."""
    return mark_passages(text, [quote.passage_in(text) for quote in quotes])
