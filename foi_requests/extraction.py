"""Reading an FOI answer document and pulling out what a researcher would copy.

Two steps, both plain functions that raise nothing but `ExtractionError`:

- `read_document(name, data)` (from `core.documents`) turns the bytes of a .txt, .pdf, .docx or saved
  .html file into text. The type is checked by extension *and* by content, and
  an empty, binary, unreadable or unsupported file is refused with one line.
- `extract(text, aliases)` finds the requests in that text (a disclosure-log
  page may hold several) and, for each, the references, the authority, the
  dates, the outcome, the exemptions cited and the numbered questions with
  their answers. What the text does not say is None or empty, never a guess.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Reading a file is `core.documents`' (archived originals of sources use it too); its
# names stay importable from here, where the importer and its command use them.
from core.documents import EXTENSIONS as EXTENSIONS
from core.documents import MAX_BYTES as MAX_BYTES
from core.documents import DocumentError as ExtractionError
from core.documents import html_text as html_text
from core.documents import normalise
from core.documents import read_document as read_document
from core.documents import sniff as sniff

# FOIA 2000 Part II exemptions (plus s12 cost and s14 vexatious refusals) and
# FOISA 2002 Part 2 ones: any other section number cited (s1 duty to confirm,
# s16 advice, s17 refusal notice, s149 Equality Act) is not an exemption.
EXEMPTION_SECTIONS = {"FOIA": {12, 14, *range(21, 45)}, "FOISA": {12, 14, *range(25, 42)}}

# The outcomes of an answer that gave information.
GIVING = frozenset({"successful", "partially_successful"})

OUTCOMES = (
    "successful",
    "partially_successful",
    "refused",
    "not_held",
    "neither_confirm_nor_deny",
    "awaiting_response",
    "withdrawn",
    "internal_review",
)


@dataclass
class Question:
    number: str
    question: str
    answer: str | None = None
    # What the answer to this one question amounts to (an NCND may cover one question only).
    outcome: str | None = None


@dataclass
class Extraction:
    references: list[str] = field(default_factory=list)
    authority: str | None = None
    date_received: datetime.date | None = None
    date_responded: datetime.date | None = None
    outcome: str | None = None
    exemptions: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    # Not in the JSON output: what a draft record needs besides.
    act: str = "FOIA"
    title: str | None = None
    request_text: str = ""
    response_text: str = ""
    text: str = ""

    def as_json(self) -> dict:
        """The extraction in the shape `import_foi_response --json` prints."""
        return {
            "references": self.references,
            "authority": self.authority,
            "date_received": self.date_received.isoformat() if self.date_received else None,
            "date_responded": self.date_responded.isoformat() if self.date_responded else None,
            "outcome": self.outcome,
            "exemptions": self.exemptions,
            "questions": [{"number": q.number, "question": q.question, "answer": q.answer} for q in self.questions],
        }

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the request's text with whitespace collapsed: the same answer imported twice matches."""
        return hashlib.sha256(" ".join(self.text.split()).encode()).hexdigest()


# ---------------------------------------------------------------------------
# Finding the fields


def force_aliases(forces: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Names a force goes by in answers, lower-cased, to its slug: "Essex Police" also
    as "Essex Constabulary", "Police Scotland (Police Service of Scotland)" as both."""
    aliases: dict[str, str] = {}
    for slug, name in forces:
        names = {name, *re.findall(r"\(([^)]+)\)", name), re.sub(r"\s*\([^)]*\)", "", name)}
        for each in list(names):
            base = re.sub(r"\s+(Police Service|Police Force|Police|Constabulary)$", "", each)
            if base != each:
                names.update(f"{base} {suffix}" for suffix in ("Police", "Constabulary", "Police Service"))
        for each in names:
            if each.strip():
                aliases.setdefault(each.strip().lower(), slug)
    return aliases


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A date may be led by its weekday ("Monday 15th July 2024") or written out ("the 5th of March 2024").
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)"
DATE = (
    r"(?:\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?!\d|[/.]\d)|\d{4}-\d{2}-\d{2}"
    r"|" + WEEKDAY + r"?(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r",?\s+\d{4}"
    r"|" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)


def parse_date(value: str) -> datetime.date | None:
    """A date as UK answers write it (29/06/2022, 6th October 2022, Monday the 5th of March 2024,
    2022-06-29), or None."""
    value = re.sub(r"^" + WEEKDAY + r"|\bthe\s+|(?<=\d)(?:st|nd|rd|th)?\s+of\b", "", value.strip().lower()).strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})", value):
            day, month, year = (int(part) for part in match.groups())
            # "10/01/23": forces write two-digit years only for this century.
            year += 2000 if year < 100 else 0
        elif match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            year, month, day = (int(part) for part in match.groups())
        elif match := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+),?\s+(\d{4})", value):
            day, month, year = int(match[1]), MONTHS.get(match[2]), int(match[3])
        elif match := re.fullmatch(r"([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", value):
            day, month, year = int(match[2]), MONTHS.get(match[1]), int(match[3])
        else:
            return None
        if not month or not 1900 <= year <= 2200:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None


def plain(text: str) -> str:
    """Text without markdown emphasis and escapes, for matching."""
    return re.sub(r"\\([()\[\]_*])", r"\1", text).replace("**", "").replace("*", "")


# A reference may open with capitals naming the office ("HC 00987 23", "FOI 3345 23") and
# be split by spaces as well as by slashes, dashes, underscores and dots.
TOKEN = r"((?-i:(?:[A-Z]{2,5} )*)[A-Z0-9][A-Z0-9/_.\-]*[0-9][A-Z0-9/_\-]*(?: \d{2,6}(?![\w/]))*)"
REFERENCE_PATTERNS = (
    re.compile(
        # "Reference: X", "Ref. no X", "Our Reference - X".
        r"\b(?:reference|ref)(?:\s+(?:no|number))?\.?\s*(?:[:#]|\s-)?\s*" + TOKEN + r"(?![\w/])",
        re.I,
    ),
    re.compile(r"\b(?:FOI|freedom of information)\s+(?:request|application)\s+(?:no\.?\s*|number\s*)?" + TOKEN, re.I),
    re.compile(r"\b(?:our|your)\s+ref\b\.?\s*[:#]?\s*" + TOKEN, re.I),
    re.compile(r"\brequest\s+(?:number|no\.?)\s*[:#]?\s*" + TOKEN, re.I),
)
TITLE_WITH_REFERENCE = re.compile(r"^([^\n()]{3,150}?)\s*\(([A-Z0-9]{1,10}/\d{2,4})\)\s*$", re.M)
LOG_NUMBER = re.compile(r"^\d{4,7}$")
LOG_REFERENCE = re.compile(r"^[A-Z]{2,5}\s?\d{2,6}$")
RESPONSE_HEADING = re.compile(r"^\s*(?:response|our response|answer|answers|reply|disclosure)\s*:?\s*$", re.I | re.M)
STOP_LINE = re.compile(
    r"^(?:if you are (?:unhappy|dissatisfied|not satisfied)|if,? upon receiving|freedom of information act is a public"
    r"|yours (?:sincerely|faithfully)|thank you for your interest|attachments$|please note,? any written reply"
    r"|(?:should|if) you (?:require|need|have) any further|if you have any (?:further )?(?:queries|questions)"
    r"|\[bookmark"
    # The letter's own date, given at its foot (PSNI): no part of the last answer.
    r"|date of (?:response|reply|letter|disclosure)\b|(?:response|reply) date\b)",
    re.I,
)
# The letter's standard closing text, wherever in its paragraph it starts: the FOIA s1 duties
# and s17 notice explained, an NCND's "no indication", the right to a review or to complain.
# An answer ends where it begins: its words ("is not held") are the form letter's, not the answer's.
CLOSING_TEXT = re.compile(
    r"\bsection 1 of the [^.]{0,60}\bact\b[^.]{0,30}\b(?:places|imposes|gives)\b"
    r"|\bsection 17 (?:of the [^.]{0,60}\bact )?requires\b"
    r"|\bshould not be taken as (?:an )?indication\b"
    r"|\bif you are (?:unhappy|dissatisfied|not satisfied)\b"
    r"|\b(?:ask|request|apply) for an? (?:internal )?review\b"
    r"|\bcomplain to the (?:scottish )?information commissioner",
    re.I,
)
RECEIVED_PATTERNS = (
    re.compile(r"\breceived\b[^.\n]{0,100}?\bon\s+(" + DATE + ")", re.I),
    re.compile(
        r"\b(?:date (?:of request )?received|date request received|received date|date of receipt|date of request"
        r"|^received)\s*[:\-]?\s*(" + DATE + ")",
        re.I | re.M,
    ),
    re.compile(r"\breceived\b[^.\n]{0,100}?\bon the\s+(\d{1,2}(?:st|nd|rd|th)?) of\s+(" + MONTH + r"\s+\d{4})", re.I),
)
RESPONDED_PATTERN = re.compile(
    r"^\s*(?:[^\n:/]{1,20} / )?(?:date(?: of (?:response|reply|disclosure))?|response date|date responded"
    r"|date sent|date of letter|responded|response(?: dated| sent)?|sent)\s*[:\-]?\s*(" + DATE + r")\s*$"
    # A request-tracking site (WhatDoTheyKnow) heads the answer "Response by X to Y on <date>".
    r"|^response by [^\n]{1,120} on (" + DATE + r")\.?\s*$",
    re.I | re.M,
)
LONE_DATE = re.compile(r"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(" + DATE + r")\s*$", re.I | re.M)
EXEMPTION_PATTERN = re.compile(
    r"(?:\bsections?\s*|\bs\.\s*|\bs(?=\d))(\d{1,3})((?:\s*\(\s*\d{1,2}\s*\))?(?:\s*\(\s*[a-z]{1,4}\s*\))*)",
    re.I,
)
SIBLING_SUBSECTION = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+)\(\s*([a-z]{1,4}|\d{1,2})\s*\)", re.I)
OTHER_ACT = re.compile(
    r"^\s*(?:of|,)?\s*(?:the\s+)?(?:data protection|equality|human rights|police|criminal|local government|children)",
    re.I,
)


def extract(text: str, aliases: Mapping[str, str] | None = None) -> list[Extraction]:
    """Every request the text holds (usually one), each with its fields."""
    if not isinstance(text, str) or not text.strip():
        raise ExtractionError("the document holds no text")
    text = normalise(text)
    blocks, shared_references = split_disclosure_log(text)
    extractions = []
    for block in blocks:
        extraction = extract_one(block, aliases or {}, fallback_text=text)
        for reference in shared_references:
            if reference not in extraction.references:
                extraction.references.append(reference)
        extractions.append(extraction)
    return extractions


def split_disclosure_log(text: str) -> tuple[list[str], list[str]]:
    """A disclosure-log page (as Essex Police publish them) lists several requests,
    each opening with its number on a line of its own, its title, then "N/A" or a
    field. Returns the requests' texts and the log's own reference ("PUB 1390")."""
    lines = text.split("\n")
    starts = [
        index
        for index in range(len(lines) - 2)
        if LOG_NUMBER.match(lines[index].strip())
        and lines[index + 1].strip()
        and not lines[index + 1].strip()[0].isdigit()
        and len(lines[index + 1]) <= 150
        and lines[index + 2].strip().upper() in {"N/A", "REQUEST", "QUESTION", "QUESTIONS"}
    ]
    if not starts:
        return [text], []
    shared = []
    # The log's own reference heads the page, perhaps a blank line above the first request.
    before = next((line.strip() for line in reversed(lines[: starts[0]]) if line.strip()), "")
    if LOG_REFERENCE.match(before):
        shared.append(before)
    ends = [*starts[1:], len(lines)]
    return ["\n".join(lines[start:end]) for start, end in zip(starts, ends, strict=True)], shared


def extract_one(text: str, aliases: Mapping[str, str], fallback_text: str = "") -> Extraction:
    flat = plain(text)
    extraction = Extraction(text=text)
    extraction.act = "FOISA" if re.search(r"\(Scotland\) Act|\bFOISA\b", flat) else "FOIA"
    extraction.references, extraction.title = find_references(flat)
    extraction.authority = find_authority(flat, aliases) or find_authority(plain(fallback_text), aliases)
    extraction.date_received = _first_date(RECEIVED_PATTERNS, flat)
    extraction.date_responded = find_date_responded(flat)
    extraction.exemptions = find_exemptions(flat, extraction.act)
    whole_request = find_whole_request_outcome(flat)
    request_part, response_part = split_response(text)
    extraction.request_text, extraction.response_text = request_part, response_part or text
    asked = find_questions(request_part, with_answers=True) if response_part else []
    if pairs := numbered_question_headings(text):
        # "Question" / "Answer" headings in turn: each answer is its question's, whatever the
        # outcome; the first "Answer" is not where the whole response begins.
        extraction.questions = find_questions(pairs, with_answers=True)
        asked = []

    paired = find_questions(f"{request_part}\n\n{response_part}", with_answers=True) if asked else []
    if answers_in_response(asked, paired, response_part):
        # The answers repeat the questions' numbers under the response heading: pair them,
        # rather than take the answers for the questions.
        extraction.questions = paired
    elif extraction.questions:
        pass
    elif response_part:
        extraction.questions = find_questions(response_part, with_answers=True)
        if not extraction.questions:
            extraction.questions = find_questions(request_part, with_answers=False)
    else:
        # Without a heading dividing request from answer, the text after a question is its
        # answer only if the request was not refused whole, or if the answers are marked as
        # such ("Answer:", a table, a second numbered list).
        unanswered = find_questions(text, with_answers=False)
        answered = find_questions(text, with_answers=True)
        numbers = [q.number for q in unanswered]
        # The numbers given twice in a row ("1. 2." then "1. 2."): the answers follow the questions.
        listed_twice = bool(numbers) and numbers[: len(numbers) // 2] * 2 == numbers
        marked = listed_twice or any(
            ANSWER_LABEL.match(plain(line).strip()) or table_row(plain(line)) for line in text.split("\n")
        )
        # An NCND, a "not held" or a refusal stated under questions that each have their own
        # answer (the text under it, not a second list) is theirs, not the whole request's. A
        # lone question's "answer" could be the whole letter's closing words: not that.
        each_answered = len(answered) == len(unanswered) > 1 and all(q.answer for q in answered)
        extraction.questions = answered if whole_request is None or marked or each_answered else unanswered
    for question in extraction.questions:
        # Under the request's own Act: FOISA's exemptions are not FOIA's.
        question.outcome = find_question_outcome(question.answer, extraction.act)
    extraction.outcome = find_outcome(flat, extraction, whole_request, response_part)
    return extraction


# "Question", or "Question 1" / "Request 1" (PSNI) already numbered.
QUESTION_HEADING = re.compile(r"^\s*(?:question|(?:question|request)\s*(\d{1,2}))\s*:?\s*$", re.I)
ANSWER_HEADING = re.compile(r"^\s*answer\s*:?\s*$", re.I)


def numbered_question_headings(text: str) -> str | None:
    """A text laid out as "Question" (or "Request 1") / "Answer" headings in turn (Sussex, PSNI),
    its question headings numbered ("Question 1", ...) so that each answer goes to its question;
    None for any other layout. A lone "Question" heading over numbered items (Essex) is no such layout."""
    lines = plain(text).split("\n")
    headings = [
        "answer" if ANSWER_HEADING.match(line) else "question"
        for line in lines
        if QUESTION_HEADING.match(line) or ANSWER_HEADING.match(line)
    ]
    if not headings or headings != ["question", "answer"] * (len(headings) // 2):
        return None
    numbered, count = [], 0
    for line in lines:
        if match := QUESTION_HEADING.match(line):
            count += 1
            line = f"Question {match[1] or count}"
        numbered.append(line)
    return "\n".join(numbered)


def answers_in_response(asked: list[Question], paired: list[Question], response: str) -> bool:
    """Whether the response answers the request's numbered questions by their numbers ("1. ...
    2. ..." again, "A1", "Answer 1"). Text between the request's own questions (a note, a
    condition, the request's closing words run on into the response) is no answer, nor is a
    response in prose that names no question's number (it would run on from the last
    question): both are dropped from `paired`."""
    if not asked or [q.number for q in paired] != [q.number for q in asked]:
        return False
    given = numbers_given(response)
    for question, in_request in zip(paired, asked, strict=True):
        run_on = in_request.answer and (question.answer or "").startswith(in_request.answer)
        if run_on or question.number not in given:
            question.answer = question.outcome = None
    return any(q.answer for q in paired)


def numbers_given(text: str) -> set[str]:
    """The question numbers a text opens lines with: "1.", "2a)", "Q3", "Question 4", "A5", "Answer 6",
    a table row's first cell."""
    numbers = set()
    for raw in text.split("\n"):
        line = plain(raw).strip().lstrip("-•? ").strip()
        if row := table_row(plain(raw)):
            numbers.add(row[0])
        elif match := ITEM_NUMBER_LETTER.match(line):
            numbers.add(f"{int(match[1])}{match[2]}")
        elif (match := ITEM_NUMBER.match(line) or ANSWER_LABEL.match(line) or QUESTION_LABEL.match(line)) and match[1]:
            numbers.add(str(int(match[1])))
    return numbers


def find_references(flat: str) -> tuple[list[str], str | None]:
    references: list[str] = []
    title = None
    lines = [line.strip() for line in flat.split("\n")]
    if lines and LOG_NUMBER.match(lines[0]):
        references.append(lines[0])
        if len(lines) > 1 and lines[1]:
            title = lines[1]
    if match := TITLE_WITH_REFERENCE.search(flat):
        references.append(match[2])
        title = title or match[1].strip()
    for pattern in REFERENCE_PATTERNS:
        for match in pattern.finditer(flat):
            references.append(match[1].rstrip("./-_"))
    unique = list(dict.fromkeys(ref for ref in references if ref and len(ref) <= 100))
    return unique, title[:300] if title else None


def find_authority(flat: str, aliases: Mapping[str, str]) -> str | None:
    """The force named most often (earliest first on a tie): answers name themselves again and again."""
    lowered = flat.lower()
    counts: dict[str, list[int]] = {}
    for alias, slug in aliases.items():
        for match in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", lowered):
            seen = counts.setdefault(slug, [0, match.start()])
            seen[0] += 1
            seen[1] = min(seen[1], match.start())
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1][0], item[1][1]))[0]


def _first_date(patterns: Iterable[re.Pattern], flat: str) -> datetime.date | None:
    for pattern in patterns:
        for match in pattern.finditer(flat):
            # "the 3rd of February 2023" comes in two groups; the day and the rest make one date.
            if parsed := parse_date(" ".join(group for group in match.groups() if group)):
                return parsed
    return None


def find_date_responded(flat: str) -> datetime.date | None:
    if found := _first_date([RESPONDED_PATTERN], flat):
        return found
    # A disclosure log or a letter often shows its date alone on a line: only
    # when there is exactly one such date is it taken as the answer's.
    lone = {parsed for match in LONE_DATE.finditer(flat) if (parsed := parse_date(match[1]))}
    return lone.pop() if len(lone) == 1 else None


def find_exemptions(flat: str, act: str) -> list[str]:
    sections = EXEMPTION_SECTIONS.get(act, EXEMPTION_SECTIONS["FOIA"])
    found: list[str] = []
    for match in EXEMPTION_PATTERN.finditer(flat):
        number = int(match[1])
        citations, end = [f"{number}{re.sub(r'\s+', '', match[2])}"], match.end()
        # "section 35(1)(a) and (b)": the last subsection given again, each its own citation.
        while "(" in citations[0] and (sibling := SIBLING_SUBSECTION.match(flat, end)):
            citations.append(re.sub(r"\([^()]*\)$", f"({sibling[1]})", citations[0]))
            end = sibling.end()
        if number not in sections or OTHER_ACT.match(flat[end : end + 60]):
            continue
        found.extend(citations)
    unique = list(dict.fromkeys(found))
    # "section 12" beside "section 12(1)" is the same exemption.
    return [citation for citation in unique if not any(o != citation and o.startswith(citation + "(") for o in unique)]


# What an answer states, in the words forces use; each is read on lower-cased text with its
# whitespace collapsed (`fold`), by the request as a whole and by each question's answer alike.
# FOISA s18 words an NCND as a refusal "to confirm or deny"; "the duty to confirm or deny"
# (FOIA s1(1)(a)) is boilerplate, not an NCND.
STATES_NCND = re.compile(
    r"neither (?:confirm|confirms|confirming) n?or (?:deny|denies|denying)"
    r"|(?:refuses?|refusing|will not|cannot|can not) (?:to )?confirm or deny"
)
STATES_NOT_HELD = re.compile(
    r"\bno (?:relevant |recorded )?(?:information|data|records?|\w+) (?:is |are |was |were )?held\b|\bnot held\b"
    r"|\b(?:does|do|did) not hold (?:any |the |this |that |such |relevant |recorded )*"
    r"(?:information|data|records?|figures|details|statistics|it|this|that)\b"
    r"|\b(?:does|do|did) not (?:record|retain|collate)\b"
)
# "Not held" said of everything the request asked for, not of some of it.
STATES_NONE_HELD = re.compile(
    r"(?<!of )\b(?:the|all the) information (?:that )?(?:you (?:have )?requested|requested) (?:is|was) not held"
)
STATES_WITHDRAWN = re.compile(r"\b(?:request (?:has been|was|is) withdrawn|you (?:have )?withdr[ae]w)")
STATES_AWAITING = re.compile(r"has not yet responded|awaiting (?:a |the )?response")
# A refusal of the request, or of whatever the sentence is about: a refusal notice, or the cost
# limit of FOIA s12 / FOISA s12 ("would exceed the appropriate limit").
STATES_REFUSAL = re.compile(
    r"refusal notice|request is refused|we are refusing|not possible to provide a response|decision to refuse"
    r"|\bexceeds? the (?:appropriate|cost) limit|would exceed the (?:appropriate|cost|fees) limit"
    r"|not (?:obliged|required) to comply"
)
# Information kept back under an exemption. Not "unless exemptions apply": that is the
# boilerplate every answer opens with.
STATES_WITHHELD = re.compile(r"(?:is|are) exempt (?:from disclosure|under)|(?:is being|has been|have been) withheld")
# Some of the request answered and the rest refused, in so many words.
STATES_PART = re.compile(
    r"partially (?:successful|provided|disclosed|held)|partial disclosure"
    r"|(?:refusal notice|refus\w*|withh\w*|exempt)[^.]{0,80}?\b(?:for|in|to) (?:that |this |one |a )?part\b"
)
# Information given in prose, with no numbered answers: the force confirms what it holds or
# uses, or gives it below or attached.
STATES_GIVEN = re.compile(
    r"\bcan confirm that (?:the |this |some )?(?:requested )?information (?:you (?:have )?requested |requested )?"
    r"(?:is|was) held\b"
    r"|\bcan confirm that [^.]{1,100}? (?:is|are|was|were) (?:used|in use|held|provided)\b"
    r"|\b(?:is|are) (?:provided|set out|given|shown|detailed|listed) (?:in full )?"
    r"(?:below|above|in the (?:table|attached))"
    # "is pleased to provide the information below in full"; not "is not able to provide ...".
    r"|(?<!not )\b(?:pleased|able|happy) to (?:provide|supply|disclose|release) (?:you with )?"
    r"(?:the|this|all (?:of )?the) (?:requested )?information\b"
    r"|\bplease find (?:below|enclosed|attached) (?:the information|the requested|a copy|details|a list|a table)"
    r"|\ba copy of [^.]{1,80}? (?:is|are) (?:attached|enclosed)\b"
)
# A response that only points at a response elsewhere says nothing of what it gave.
POINTS_ELSEWHERE = re.compile(
    r"(?:find|see) (?:attached|enclosed|below) (?:our|the|my) (?:response|reply|letter|answer)"
    r"|(?:response|reply|letter) is (?:attached|enclosed)"
)

# A letter's courtesies before it answers: no answer themselves.
COURTESY = re.compile(r"(?:dear\b|thank you for|i (?:refer|write|am writing)\b|further to\b|we (?:refer|write)\b)")


def fold(text: str) -> str:
    """Lower-cased, whitespace collapsed: how the outcome rules read a text."""
    return " ".join(text.lower().split())


def find_whole_request_outcome(flat: str) -> str | None:
    """An outcome the answer states for the request as a whole: NCND, not held, withdrawn, a refusal notice."""
    lowered = fold(flat)
    for outcome, pattern in (
        ("neither_confirm_nor_deny", STATES_NCND),
        ("not_held", STATES_NOT_HELD),
        ("withdrawn", STATES_WITHDRAWN),
        ("awaiting_response", STATES_AWAITING),
        ("refused", STATES_REFUSAL),
    ):
        if pattern.search(lowered):
            return outcome
    return None


def given_in_prose(flat: str, response: str) -> bool:
    """Whether the answer gives information in prose rather than by numbered answers: it says so
    ("can confirm that the information is held", "is provided below"), or its response section
    opens with a paragraph that is neither a stated outcome nor a pointer to an attached reply."""
    if STATES_GIVEN.search(fold(flat)):
        return True
    paragraphs = (fold(paragraph) for paragraph in re.split(r"\n\s*\n", plain(response).strip()))
    opening = next((paragraph for paragraph in paragraphs if paragraph and not COURTESY.match(paragraph)), "")
    return bool(
        opening
        and not numbers_given(opening)
        and find_whole_request_outcome(opening) is None
        and not STATES_WITHHELD.search(opening)
        and not POINTS_ELSEWHERE.search(opening)
    )


def find_outcome(flat: str, extraction: Extraction, whole_request: str | None, response: str = "") -> str | None:
    """The outcome, from what the answer states and whether it gave information: by its
    questions' answers, or in prose (`given_in_prose`)."""
    lowered = fold(flat)
    given = any(q.outcome in GIVING for q in extraction.questions) or given_in_prose(flat, response)
    answered = {q.outcome for q in extraction.questions if q.outcome}
    withheld = bool(STATES_WITHHELD.search(lowered))
    if STATES_PART.search(lowered):
        return "partially_successful"
    if STATES_NONE_HELD.search(lowered):
        # The force's own summing up of the request ("the information requested is not held")
        # is its outcome, whatever an answer said along the way ("we do not use X").
        return "not_held"
    if whole_request:
        # Some information given, or the questions answered differently (one not held, the next
        # refused): partly provided. Every answer the outcome stated: that outcome.
        partly = given or bool(answered - {whole_request})
        return (
            "partially_successful"
            if partly and whole_request not in {"withdrawn", "awaiting_response"}
            else whole_request
        )
    if given:
        return "partially_successful" if withheld or extraction.exemptions else "successful"
    return "refused" if withheld else None


def split_response(text: str) -> tuple[str, str]:
    """The request and the answer, where a heading ("RESPONSE") divides them."""
    match = RESPONSE_HEADING.search(text)
    if not match:
        return "", ""
    return text[: match.start()].strip(), text[match.end() :].strip()


ITEM_NUMBER_LETTER = re.compile(r"^(\d{1,2})\s?([a-z])\s?[.)]\s*(\S.*)$")
# "1. ...", "Q1) ...", "Question 1: ..."; a dash follows the number only after "Q"/"Question"
# ("Question 1 - ..."): a bare "1 - 5 years" is no item.
ITEM_NUMBER = re.compile(
    r"^(?:(?:Q\s?|question\s+)(?=\d{1,2}\s?[-–.):])|(?=\d{1,2}\s?[.):]))(\d{1,2})\s?[-–.):]\s*(\S.*)$", re.I
)
ITEM_LETTER = re.compile(r"^\(?([a-z])[.)]\s+(\S.*)$")
# "Question 1" or "Request 1" (PSNI) on a line of its own, "Q: ...", "Your question: ...".
# A bare "Question" heading is not one: disclosure logs (Essex) head the whole request with it.
QUESTION_LABEL = re.compile(r"^(?:(?:question|request)\s*(\d{1,2})|(?:your question|q)\s*:\s*(\S.*))$", re.I)
# "Answer", "Answer 1", "A1. ...", "Answer: ...", "RESPONSE: ...", "Response - ...", "Our answer: ...".
# A bare "A" is a label only with a colon: "a." and "a)" are lettered items of a question.
ANSWER_LABEL = re.compile(
    r"^(?:(?:(?:answer|a)\s?(\d{1,2})|answer|our answer|response)\s*(?:(?:[:.)]|\s[-–])\s*(\S.*)|[:.]?)"
    r"|a\s*:\s*(\S.*))$",
    re.I,
)
HEADING_LINE = re.compile(r"^(?:request|requested|your request|you asked|answers?|response|our response)\s*:?$", re.I)


def restates(line: str, question: str) -> bool:
    """Whether a line under a question's number in the response only repeats the question."""
    fold = lambda text: " ".join(text.split()).casefold()  # noqa: E731
    return fold(line) == fold(question)


def find_question_outcome(answer: str | None, act: str = "FOIA") -> str | None:
    """What one answer amounts to, in the request outcomes' words: an NCND, not held, refused
    (withheld, exempt, over the cost limit), given in part (it cites an exemption while giving
    something), or given. None when there is no answer. The import review takes it from here."""
    if not answer or not answer.strip():
        return None
    flat = plain(answer)
    lowered = fold(flat)
    if STATES_NCND.search(lowered):
        return "neither_confirm_nor_deny"
    if STATES_NOT_HELD.search(lowered):
        return "not_held"
    if STATES_REFUSAL.search(lowered) or re.search(r"\bexempt\b|\bwithheld\b", lowered):
        return "refused"
    if find_exemptions(flat, act):
        return "partially_successful"
    return "successful"


def table_row(raw: str) -> tuple[str, str, str] | None:
    """A question and its answer on one row: "| 1 | question | answer |", "| 1. question | answer |"
    or the same cells tab-separated."""
    cells = [cell.strip() for cell in (raw.strip().strip("|").split("|") if "|" in raw else raw.split("\t"))]
    cells = [cell for cell in cells if cell]
    if len(cells) >= 3 and re.fullmatch(r"\d{1,2}\.?", cells[0]):
        return cells[0].rstrip("."), cells[1], cells[2]
    if len(cells) == 2 and (match := re.match(r"^(\d{1,2})[.)]\s*(\S.*)$", cells[0])):
        return match[1], match[2], cells[1]
    return None


def find_questions(text: str, with_answers: bool) -> list[Question]:
    """Numbered questions ("1.", "1a.", "a." under 1, "Q1", "Question 1", tables) and, when asked,
    their answers: the text after each question, an "Answer"/"A1" label, or a second numbered
    list repeating the questions' numbers (answers given after all the questions)."""
    questions: list[Question] = []
    answer_lines: list[str] = []
    current_number = None
    stopped = False
    # Where the lines being read go: the question's own answer text, or a later, labelled answer.
    answering: Question | None = None
    label_only = False

    def close() -> None:
        target = answering or (questions[-1] if questions else None)
        if target and with_answers and (answering or target.answer is None):
            answer = re.sub(r"\n{2,}", "\n", "\n".join(answer_lines)).strip()
            if answer or answering:
                target.answer = answer or None
        answer_lines.clear()

    for raw in text.split("\n"):
        line = plain(raw).strip().lstrip("-•? ").strip()
        if STOP_LINE.match(line) or CLOSING_TEXT.search(line):
            stopped = True
        if ("|" in raw or "\t" in raw) and (row := table_row(plain(raw))):
            close()
            answering = None
            questions.append(
                Question(number=row[0], question=row[1], answer=(row[2] or None) if with_answers else None)
            )
            continue
        if questions and (match := ANSWER_LABEL.match(line)):
            close()
            number = match[1]
            answering = next((q for q in questions if q.number == number), None) if number else questions[-1]
            given = match[2] or match[3]
            label_only = not given
            if given:
                answer_lines.append(given)
            continue
        if match := QUESTION_LABEL.match(line):
            close()
            answering = None
            number = match[1] or str(len(questions) + 1)
            questions.append(Question(number=number, question=match[2] or ""))
            current_number = number
            stopped = False
            continue
        if match := ITEM_NUMBER_LETTER.match(line):
            number, question = f"{int(match[1])}{match[2]}", match[3]
            current_number = str(int(match[1]))
        elif match := ITEM_NUMBER.match(line):
            number, question = str(int(match[1])), match[2]
            current_number = number
        elif current_number and (match := ITEM_LETTER.match(line)):
            number, question = f"{current_number}{match[1]}", match[2]
        else:
            if not line:
                # An answer given on its item's line ends at the paragraph's end.
                if answering and not label_only and answer_lines:
                    close()
                    answering = None
                    stopped = True
                continue
            if questions and not questions[-1].question and not answering:
                questions[-1].question = line
            elif questions and not stopped and not HEADING_LINE.match(line):
                answer_lines.append(line)
            continue
        close()
        stopped = False
        repeated = next((q for q in questions if q.number == number), None)
        if repeated and with_answers:
            # The same number again: the answers follow the questions as a second list.
            answering, label_only = repeated, False
            if not restates(question, repeated.question):
                answer_lines.append(question)
            continue
        answering = None
        questions.append(Question(number=number, question=question.strip()))
    close()
    for question in questions:
        question.outcome = find_question_outcome(question.answer)
    return [question for question in questions if question.question]
