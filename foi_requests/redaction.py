"""Keep requesters' personal data off public pages (UK GDPR).

What is public about an FOI request is the authority's answer, not who asked.
Answers quote the requester's name and, on request-tracking sites, a
per-request email address that identifies them.

Two kinds of rule remove them (`redact_personal_data`):

- the names and addresses recorded on the request (`requester_name`,
  `requester_email`), wherever they appear;
- rules on the structure of letters, for letters imported without them
  (no model, no list of names): the name in a salutation ("Dear Ms Example,";
  "Dear Sir or Madam" and "Dear Requester" are kept), a recipient's address
  block ending in a UK postcode and a name line above "Sent via email to:" at
  the head of the letter, every email address that is not a public body's
  (request-tracking addresses such as `request-123456-abcdef12@whatdotheyknow.com`
  among them), a display name in front of such an address, and, in the
  requester's own text only, the name under "Yours sincerely". A name found in a
  salutation or signature is then removed wherever else it appears. The
  authority's own letterhead, references and signatures are kept.

`personal_data_found` detects what the rules look for and reports what is still
there after them. The public texts are redacted, so on them it reports only what
the rules saw but could not remove safely: a salutation whose addressee is
neither a generic one nor a name the rules recognise ("Dear jane,"), a
postcode at the head of a letter on a line that is neither the authority's
nor a plain address block (removing the postcode alone would leave the street).
An FOI request whose public texts give any reason is refused publication
(`FoiRequest.clean`): an editor corrects the text first.
"""

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Addresses of public bodies are part of the answer (where to ask for a review);
# anything else may be a person's and is hidden.
PUBLIC_BODY_DOMAINS = (".police.uk", ".gov.uk", ".police.scot", "police.scot", "ico.org.uk", ".gov.scot")

NAME_PLACEHOLDER = "[requester]"
EMAIL_PLACEHOLDER = "[email address removed]"
NAME_REMOVED = "[name removed]"
ADDRESS_REMOVED = "[address removed]"

# How far down a letter its head (letterhead, recipient, date, references) may go.
HEAD_LINES = 60
# Without a salutation, only the first lines are taken for the head.
HEAD_LINES_WITHOUT_SALUTATION = 12

TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?"
# A name word or an initial: "Jane", "O'Neill", "Smith-Jones", "McDonald", "J.", "ADAM".
WORD = r"[A-Z][A-Za-z]*(?:['’-][A-Za-z]+)*\.?"
PARTICLE = r"(?:de|da|del|della|di|du|la|le|van|von|der|den|bin|ibn|al|el|ap)"
GAP = r"[ \t]+"
TITLED_NAME = rf"{TITLE}(?:{GAP}(?:and|&){GAP}{TITLE})?(?:{GAP}(?:{PARTICLE}{GAP})?{WORD}){{1,4}}"
PLAIN_NAME = rf"{WORD}(?:{GAP}(?:{PARTICLE}{GAP})?{WORD}){{0,3}}"
NAME = re.compile(rf"{TITLED_NAME}|{PLAIN_NAME}")
TITLED = re.compile(rf"{TITLED_NAME}")

# "Dear Sir or Madam", "Dear Requester": no one in particular.
GENERIC_ADDRESSEE = re.compile(
    r"(?:sirs?|madam|sir\s*(?:/|or|and)\s*madam|madam\s*(?:/|or|and)\s*sir|requester|requestor|applicant|"
    r"enquirer|customer|colleagues?|all|friends?|sir\s*/\s*madam|the\s+requester|information\s+requester)"
    r"(?=\s*(?:[,.;:!]|$))",
    re.IGNORECASE,
)
SALUTATION = re.compile(r"^(?P<lead>[ \t>]*Dear[ \t]+)(?P<rest>.*)$", re.IGNORECASE)

# Words that make a line an organisation's, not a person's: the authority's letterhead and signature.
ORGANISATION = re.compile(
    r"\b(?:police|constabulary|headquarters|hq|force|unit|office|department|dept|team|station|council|"
    r"commissioner|service|services|bureau|directorate|branch|centre|center|authority|government|ministry|"
    r"freedom|foi|foisa|disclosure|protection|information|officer|constable|manager|coordinator|"
    r"co-ordinator|p\.?\s?o\.?\s+box|tel|telephone|fax|www)\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b")
MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d\b", re.IGNORECASE
)
# A line saying how the letter went to its recipient, under the recipient's name.
RECIPIENT_MARKER = re.compile(
    r"^\s*(?:(?:sent\s+)?(?:via|by)\s+e-?mail\b|e-?mail(?:ed)?\s+to\b|sent\s+to\s*:|by\s+post\b)", re.IGNORECASE
)
ATTENTION = re.compile(r"^(?P<lead>[ \t]*(?:FAO|F\.A\.O\.?|For the attention of)[ \t]*:?[ \t]*)(?P<name>.+)$")
SIGN_OFF = re.compile(
    r"^[ \t]*(?:yours[ \t]+(?:sincerely|faithfully|truly)|(?:kind|best|warm|many)[ \t]+(?:regards|wishes|thanks)|"
    r"regards|best|thanks|thank[ \t]+you|cheers)(?:[ \t]*[,.!][ \t]*(?P<name>.*)|[ \t]*)$",
    re.IGNORECASE,
)
DISPLAY_NAME = re.compile(rf"\"?(?P<name>{TITLED_NAME}|{PLAIN_NAME})\"?[ \t]*<(?P<email>{EMAIL.pattern})>")


def is_public_body_address(address: str) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return any(domain == suffix.lstrip(".") or domain.endswith(suffix) for suffix in PUBLIC_BODY_DOMAINS)


def is_placeholder(text: str) -> bool:
    return text.strip().startswith("[")


def is_name(text: str) -> bool:
    """A person's name and nothing else: "Ms Example", "Mr J. Smith", "Jane Doe"."""
    text = text.strip().rstrip(",.")
    return bool(text) and NAME.fullmatch(text) is not None and not ORGANISATION.search(text)


def is_generic_addressee(text: str) -> bool:
    """ "Sir or Madam", "Requester", or an office ("FOI Team", "Disclosure Officer")."""
    text = text.strip()
    return bool(GENERIC_ADDRESSEE.match(text)) or bool(ORGANISATION.search(text.split(",")[0]))


def salutation_name(line: str) -> str | None:
    """The person a "Dear …" line names, or None when it names no one (or no one the rules recognise)."""
    match = SALUTATION.match(line)
    if not match or is_generic_addressee(match["rest"]) or is_placeholder(match["rest"]):
        return None
    name = NAME.match(match["rest"])
    if not name:
        return None
    after = match["rest"][name.end() :]
    # The name ends the line or is followed by punctuation or the start of a sentence in lower case.
    if after.strip() and not re.match(r"[ \t]*(?:[,;:!]|[ \t]+[a-z])", after):
        return None
    return name.group(0).rstrip(".")


def salutation_addressee(line: str) -> str | None:
    """Whatever follows "Dear" up to the first comma (None for a line that is no salutation)."""
    match = SALUTATION.match(line)
    return match["rest"].split(",")[0].strip() if match else None


def letter_head_end(lines: list[str]) -> int:
    """Index of the first line after the head: the salutation, or a few lines down without one."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        if SALUTATION.match(line):
            return index
    return min(len(lines), HEAD_LINES_WITHOUT_SALUTATION)


def is_address_line(line: str) -> bool:
    """A short line of a postal address: no label, sentence, date, organisation or email."""
    text = line.strip()
    return (
        0 < len(text) <= 60
        and ":" not in text
        and not text.endswith(".")
        and "@" not in text
        and not MONTH.search(text)
        and not ORGANISATION.search(text)
        and not SALUTATION.match(text)
    )


def blocks(lines: list[str], end: int) -> list[list[int]]:
    """Runs of consecutive non-blank lines before `end`, as lists of indexes."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index in range(end):
        if lines[index].strip():
            current.append(index)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def address_blocks(lines: list[str], end: int) -> tuple[set[int], set[int]]:
    """Postcode lines at the head of a letter, sorted: (lines of recipients' address blocks, to remove;
    lines of the authority's address, to keep). A recipient's block is plain address lines ending
    with a UK postcode, with the name line above them; a block with an organisation's line, or
    following one without a name of its own, is the authority's. Other postcode lines are neither."""
    personal: set[int] = set()
    authority: set[int] = set()
    runs = blocks(lines, end)
    for position, run in enumerate(runs):
        if not any(POSTCODE.search(lines[i]) for i in run):
            continue
        if any(ORGANISATION.search(lines[i]) for i in run):
            authority.update(run)
            continue
        if not all(is_address_line(lines[i]) for i in run):
            continue
        taken = list(run)
        # Lines given one to a paragraph (documents converted from PDF): take the single lines above.
        back = position - 1
        while len(run) <= 2 and back >= 0 and len(runs[back]) == 1 and len(taken) < 6:
            line = lines[runs[back][0]]
            if not is_address_line(line) or POSTCODE.search(line):
                break
            taken.insert(0, runs[back][0])
            back -= 1
        above = lines[runs[back][-1]] if back >= 0 else ""
        if ORGANISATION.search(above) and not is_name(lines[taken[0]]):
            authority.update(taken)
        else:
            personal.update(taken)
    return personal, authority


def head_names(lines: list[str], end: int) -> set[int]:
    """Name lines at the head of a letter: a titled name alone on its line, or a name above "Sent via email to:"."""
    found: set[int] = set()
    filled = [i for i in range(end) if lines[i].strip()]
    for position, index in enumerate(filled):
        line = lines[index].strip()
        if not is_name(line):
            continue
        following = (
            lines[filled[position + 1]] if position + 1 < len(filled) else lines[end] if end < len(lines) else ""
        )
        if TITLED.fullmatch(line.rstrip(",.")) or RECIPIENT_MARKER.match(following):
            found.add(index)
    return found


def sign_off_name(lines: list[str], index: int) -> tuple[int, str] | None:
    """The name under (or beside) a sign-off at `index`: (its line, the name)."""
    match = SIGN_OFF.match(lines[index].rstrip("\r"))
    if not match:
        return None
    if (match["name"] or "").strip():
        return (index, match["name"].strip()) if is_name(match["name"]) else None
    for following in range(index + 1, min(index + 4, len(lines))):
        if lines[following].strip():
            text = lines[following].strip()
            return (following, text) if is_name(text) else None
    return None


def names_in_letter(text: str, *, from_requester: bool = False) -> list[str]:
    """Names the structural rules find: in salutations, at the head, in the requester's signature."""
    lines = text.split("\n")
    end = letter_head_end(lines)
    names = [name for line in lines if (name := salutation_name(line.rstrip("\r")))]
    names += [lines[i].strip().rstrip(",.") for i in sorted(head_names(lines, end))]
    if from_requester:
        names += [found[1] for i in range(len(lines)) if (found := sign_off_name(lines, i))]
    return list(dict.fromkeys(names))


def _spread(name: str) -> list[str]:
    """The forms of a found name to remove elsewhere: itself, and without its title when two words remain."""
    forms = [name]
    untitled = re.sub(rf"^{TITLE}{GAP}", "", name)
    if untitled != name and len(untitled.split()) >= 2:
        forms.append(untitled)
    return forms if len(name.split()) >= 2 else []


def redact_letter_structure(text: str, *, from_requester: bool = False) -> str:
    """Apply the rules on the structure of letters (see the module docstring)."""
    shown = []
    # Display names go with email addresses: a text without "@" has none (and scanning it for them is slow).
    if "@" in text:
        shown = [m["name"] for m in DISPLAY_NAME.finditer(text) if not is_public_body_address(m["email"])]
        text = DISPLAY_NAME.sub(
            lambda m: m.group(0) if is_public_body_address(m["email"]) else f"{NAME_REMOVED} <{m['email']}>", text
        )
    names = [*names_in_letter(text, from_requester=from_requester), *shown]
    lines = text.split("\n")
    end = letter_head_end(lines)
    addresses, _ = address_blocks(lines, end)
    for index in sorted(addresses | head_names(lines, end)):
        ending = "\r" if lines[index].endswith("\r") else ""
        lines[index] = (ADDRESS_REMOVED if index in addresses else NAME_REMOVED) + ending
    for index, line in enumerate(lines):
        if name := salutation_name(line.rstrip("\r")):
            match = SALUTATION.match(line)
            rest = match["rest"]
            lines[index] = match["lead"] + NAME_REMOVED + rest[rest.index(name) + len(name) :].lstrip(".")
        elif index < end and (attention := ATTENTION.match(line)) and is_name(attention["name"]):
            lines[index] = attention["lead"] + NAME_REMOVED
        elif from_requester and (found := sign_off_name(lines, index)):
            at, name = found
            lines[at] = lines[at].replace(name, NAME_REMOVED, 1)
    text = "\n".join(lines)
    for name in names:
        for form in _spread(name):
            text = re.sub(rf"(?<![\w\[]){re.escape(form)}(?!\w)", NAME_REMOVED, text)
    return text


def redact_personal_data(
    text: str, *, names: Iterable[str] = (), emails: Iterable[str] = (), from_requester: bool = False
) -> str:
    """Replace the given names, every email address not belonging to a public body
    and what the rules on letters find (`from_requester`: the text is the requester's
    own letter, whose signature is theirs) with placeholders."""
    for email in filter(None, emails):
        text = re.sub(re.escape(email), EMAIL_PLACEHOLDER, text, flags=re.IGNORECASE)
    for name in filter(None, (n.strip() for n in names)):
        text = re.sub(rf"\b{re.escape(name)}\b", NAME_PLACEHOLDER, text, flags=re.IGNORECASE)
    text = redact_letter_structure(text, from_requester=from_requester)
    if "@" not in text:  # no address to hide, and scanning for one is slow
        return text
    return EMAIL.sub(lambda m: m.group(0) if is_public_body_address(m.group(0)) else EMAIL_PLACEHOLDER, text)


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def personal_data_found(text: str, *, from_requester: bool = False) -> list[str]:
    """Why `text` may still hold a requester's personal data: one reason per finding, empty when none.

    Run on a raw letter it reports everything the rules look for; run on a redacted
    (public) text, what they saw but could not remove safely."""
    reasons: list[str] = []
    lines = text.split("\n")
    end = letter_head_end(lines)
    for line in lines:
        addressee = salutation_addressee(line.rstrip("\r"))
        if addressee and not is_generic_addressee(addressee) and not is_placeholder(addressee):
            reasons.append(f"a salutation names a person: {_quote(line.strip())}")
    for address in EMAIL.findall(text):
        if not is_public_body_address(address):
            reasons.append(f"an email address that is not a public body's: {_quote(address)}")
    _, authority = address_blocks(lines, end)
    for index in range(end):
        line = lines[index]
        if POSTCODE.search(line) and index not in authority:
            reasons.append(f"a postcode at the head of the letter: {_quote(line.strip())}")
    for index in sorted(head_names(lines, end)):
        reasons.append(f"a name at the head of the letter: {_quote(lines[index].strip())}")
    if from_requester:
        for index in range(len(lines)):
            if found := sign_off_name(lines, index):
                reasons.append(f"the request is signed with a name: {_quote(found[1])}")
    return list(dict.fromkeys(reasons))
