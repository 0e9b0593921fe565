"""Keep requesters' personal data off public pages (UK GDPR).

What is public about an FOI request is the authority's answer, not who asked.
Answers quote the requester's name and, on request-tracking sites, a
per-request email address that identifies them.
"""

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Addresses of public bodies are part of the answer (where to ask for a review);
# anything else may be a person's and is hidden.
PUBLIC_BODY_DOMAINS = (".police.uk", ".gov.uk", ".police.scot", "police.scot", "ico.org.uk", ".gov.scot")

NAME_PLACEHOLDER = "[requester]"
EMAIL_PLACEHOLDER = "[email address removed]"


def is_public_body_address(address: str) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return any(domain == suffix.lstrip(".") or domain.endswith(suffix) for suffix in PUBLIC_BODY_DOMAINS)


def redact_personal_data(text: str, *, names: Iterable[str] = (), emails: Iterable[str] = ()) -> str:
    """Replace the given names and every email address not belonging to a
    public body with placeholders."""
    for email in filter(None, emails):
        text = re.sub(re.escape(email), EMAIL_PLACEHOLDER, text, flags=re.IGNORECASE)
    text = EMAIL.sub(lambda m: m.group(0) if is_public_body_address(m.group(0)) else EMAIL_PLACEHOLDER, text)
    for name in filter(None, (n.strip() for n in names)):
        text = re.sub(rf"\b{re.escape(name)}\b", NAME_PLACEHOLDER, text, flags=re.IGNORECASE)
    return text
