"""The "Cite this record" block of every public detail page (`includes/cite.html`)."""

from django import template

from core.citing import CITATION_FORMATS, citation_of, citation_text, permanent_path

register = template.Library()


@register.inclusion_tag("includes/cite_block.html", takes_context=True)
def cite_block(context, record):
    citation = citation_of(record, context["request"])
    path = permanent_path(record)
    return {
        "citation": citation,
        "text": citation_text(citation),
        "downloads": [
            {"url": f"{path}cite.{suffix}", "label": label, "suffix": suffix, "file": f"{citation.key}.{suffix}"}
            for suffix, (_content_type, label) in CITATION_FORMATS.items()
        ],
    }
