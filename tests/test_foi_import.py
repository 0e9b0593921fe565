"""`import_foi_response` and the extraction behind it, on the five seed documents
and on PDF, Word and HTML files the tests make themselves."""

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foi_requests.extraction import ExtractionError, extract, force_aliases, read_document
from foi_requests.models import FoiRequest
from register.models import Nation
from tests.factories import ExemptionFactory, ForceFactory

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
FORCES = [
    ("essex", "Essex Police"),
    ("gwent", "Gwent Police"),
    ("lancashire", "Lancashire Constabulary"),
    ("west-midlands", "West Midlands Police"),
    ("durham", "Durham Constabulary"),
]
ALIASES = force_aliases(FORCES)


@pytest.fixture
def forces(db):
    for slug, name in FORCES:
        ForceFactory(slug=slug, name=name, nation=Nation.WALES if slug == "gwent" else Nation.ENGLAND)
    ExemptionFactory(act="FOIA", section="12(1)")
    ExemptionFactory(act="FOIA", section="40", name="Personal information")


def run(*args):
    """Runs the command; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_foi_response", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def json_lines(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


# What each seed document says, read by a person. The West Midlands attachment
# names no reference; the Essex page holds two requests.
EXPECTED = {
    "essex-pub-1390.txt": [
        {
            "references": ["16495", "PUB 1390"],
            "authority": "essex",
            "date_received": None,
            "date_responded": "2022-02-24",
            "outcome": "not_held",
            "exemptions": [],
        },
        {
            "references": ["16224", "PUB 1390"],
            "authority": "essex",
            "date_received": None,
            "date_responded": "2022-02-24",
            "outcome": "not_held",
            "exemptions": [],
        },
    ],
    "gwent-2023-26042.txt": [
        {
            "references": ["2023/26042"],
            "authority": "gwent",
            "date_received": None,
            "date_responded": None,
            "outcome": "successful",
            "exemptions": [],
        }
    ],
    "lancashire-dpo-foi-002128-22.txt": [
        {
            "references": ["DPO/FOI/002128/22"],
            "authority": "lancashire",
            "date_received": "2022-06-29",
            "date_responded": "2022-10-06",
            "outcome": "refused",
            "exemptions": ["12(1)"],
        }
    ],
    "west-midlands-855a-22.txt": [
        {
            "references": ["855A/22"],
            "authority": "west-midlands",
            "date_received": None,
            "date_responded": None,
            "outcome": None,  # the page says only "Please find attached our response."
            "exemptions": [],
        }
    ],
    "west-midlands-855a-22-attachment.txt": [
        {
            "references": [],
            "authority": "west-midlands",
            "date_received": None,
            "date_responded": None,
            "outcome": "successful",
            "exemptions": [],
        }
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_seed_document_extracts_as_a_person_reads_it(forces, name):
    code, out, err = run(SOURCES / name, "--dry-run", "--json")
    assert code == 0, err
    extractions = json_lines(out)
    assert [{k: v for k, v in e.items() if k != "questions"} for e in extractions] == EXPECTED[name]
    assert "Would import" in err
    assert not FoiRequest.objects.exists()


def test_json_output_has_exactly_the_documented_keys(forces):
    _, out, _ = run(SOURCES / "lancashire-dpo-foi-002128-22.txt", "--dry-run", "--json")
    (extraction,) = json_lines(out)
    assert list(extraction) == [
        "references",
        "authority",
        "date_received",
        "date_responded",
        "outcome",
        "exemptions",
        "questions",
    ]


def test_questions_and_answers_of_the_gwent_answer():
    text = read_document("gwent.txt", (SOURCES / "gwent-2023-26042.txt").read_bytes())
    (extraction,) = extract(text, ALIASES)
    numbers = [q.number for q in extraction.questions]
    assert numbers == ["1", *[f"1{c}" for c in "abcdef"], "2", *[f"2{c}" for c in "abcdef"], "3"] + [
        f"3{c}" for c in "abcde"
    ]
    answers = {q.number: q.answer for q in extraction.questions}
    assert answers["1a"].startswith("For mapping we use the NEC Software solutions Ltd XD mapping system.")
    assert answers["3b"] == "QlikView was introduced into Gwent Police in 2008"
    assert answers["1e"] == "N/A"
    # The closing boilerplate is not part of the last answer.
    assert "public disclosure regime" not in answers["3e"]


def test_questions_and_answers_of_the_west_midlands_attachment():
    text = read_document("a.txt", (SOURCES / "west-midlands-855a-22-attachment.txt").read_bytes())
    (extraction,) = extract(text, ALIASES)
    answers = {q.number: q.answer for q in extraction.questions}
    assert len(answers) == 19
    assert answers["1"] == "Yes"
    assert answers["2a"] == "IOM Model"
    assert answers["1g"].startswith("Knife Crime DPIA conducted 27/11/2019")


def test_questions_without_answers_are_null_not_guessed():
    text = read_document("e.txt", (SOURCES / "essex-pub-1390.txt").read_bytes())
    first, _ = extract(text, ALIASES)
    assert [q.number for q in first.questions] == ["1", "2", "3", "4", "4a", "4b", "5", "6", "7"]
    assert all(q.answer is None for q in first.questions)


def test_importing_the_folder_creates_drafts_and_a_second_run_duplicates_nothing(forces, client):
    code, out, err = run(SOURCES)
    assert code == 0, err
    assert out.strip().endswith("Imported 6, skipped 0 as duplicates, failed 0.")
    assert FoiRequest.objects.count() == 6
    assert not FoiRequest.objects.filter(is_published=True).exists()
    lancashire = FoiRequest.objects.get(reference="DPO/FOI/002128/22")
    assert [e.citation for e in lancashire.exemptions.all()] == ["FOIA s12(1)"]
    assert lancashire.due_date.isoformat() == "2022-07-28"
    assert lancashire.source_document == "lancashire-dpo-foi-002128-22.txt"
    assert "Section 12 (1)" in lancashire.imported_text
    essex = FoiRequest.objects.get(reference="16224")
    assert essex.other_references == "PUB 1390"
    assert essex.title == "Predictive Policing Software or Algorithm"
    # Drafts appear on no public page.
    assert "DPO/FOI/002128/22" not in client.get("/foi-requests/").content.decode()
    assert client.get(lancashire.get_absolute_url()).status_code == 404

    code, out, _ = run(SOURCES)
    assert code == 0
    assert out.strip().endswith("Imported 0, skipped 6 as duplicates, failed 0.")
    assert FoiRequest.objects.count() == 6


def test_same_text_under_another_name_is_a_duplicate(forces, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((SOURCES / "west-midlands-855a-22-attachment.txt").read_bytes() + b"\n\n")
    assert run(SOURCES / "west-midlands-855a-22-attachment.txt")[0] == 0
    code, out, _ = run(copy)
    assert code == 0
    assert "skipped 1 as duplicates" in out
    assert FoiRequest.objects.count() == 1


def test_seeded_requests_are_recognised_by_reference(seed_data):
    before = FoiRequest.objects.count()
    code, out, _ = run(SOURCES / "lancashire-dpo-foi-002128-22.txt", SOURCES / "essex-pub-1390.txt")
    assert code == 0
    assert "Imported 0, skipped 3 as duplicates" in out
    assert FoiRequest.objects.count() == before


def test_force_option_names_the_authority_the_text_does_not(forces, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Our ref: ABC/123/24\nDate: 3 May 2024\n\nNo information held.\n")
    code, _, err = run(letter)
    assert code == 1
    assert (
        err.splitlines()[0]
        == f"{letter}: the document does not say which force answered: give the force (--force SLUG)"
    )
    assert not FoiRequest.objects.exists()

    code, _, err = run(letter, "--force", "durham")
    assert code == 0, err
    draft = FoiRequest.objects.get()
    assert (draft.force.slug, draft.reference, draft.outcome) == ("durham", "ABC/123/24", "not_held")
    assert draft.date_responded.isoformat() == "2024-05-03"


def test_unknown_force_slug_is_refused(forces):
    with pytest.raises(CommandError, match="No force has the slug “nowhere”"):
        call_command("import_foi_response", str(SOURCES), "--force", "nowhere")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 4, "the file is binary, not plain text"),
        ("fake.pdf", b"Just some words, not a PDF.", "the file is named .pdf but its content is plain text"),
        ("fake.docx", b"%PDF-1.4 not really", "the file is named .docx but its content is a PDF"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "a PDF that cannot be read"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported file type: “.xlsx” files"),
        ("noext", b"hello", "unsupported file type: files without an extension"),
    ],
)
def test_bad_input_gets_one_line_a_non_zero_exit_and_writes_nothing(forces, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(path)
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"{path}: {reason}")
    assert "failed 1" in out
    assert not FoiRequest.objects.exists()


def test_missing_file_fails_but_the_good_ones_are_imported(forces, tmp_path):
    code, out, err = run(tmp_path / "missing.pdf", SOURCES / "gwent-2023-26042.txt")
    assert code == 1
    assert err.strip() == f"{tmp_path / 'missing.pdf'}: no such file or folder"
    assert "Imported 1, skipped 0 as duplicates, failed 1" in out
    assert FoiRequest.objects.count() == 1


# ---------------------------------------------------------------------------
# PDF, Word and HTML, made here.

LETTER = [
    "Freedom of Information Request Reference No: 2024/0099",
    "Date: 14 March 2024",
    "Thank you for your request received by Durham Constabulary on 12/02/2024.",
    "1. Do you use facial recognition?",
    "Yes, in a pilot.",
    "2. Please provide the names of the officers involved.",
    "This information is exempt from disclosure under Section 40(2) of the Act.",
    "Yours sincerely",
    "Durham Constabulary",
]
LETTER_EXPECTED = {
    "references": ["2024/0099"],
    "authority": "durham",
    "date_received": "2024-02-12",
    "date_responded": "2024-03-14",
    "outcome": "partially_successful",  # question 1 answered, question 2 withheld
    "exemptions": ["40(2)"],
    "questions": [
        {"number": "1", "question": "Do you use facial recognition?", "answer": "Yes, in a pilot."},
        {
            "number": "2",
            "question": "Please provide the names of the officers involved.",
            "answer": "This information is exempt from disclosure under Section 40(2) of the Act.",
        },
    ],
}


def make_pdf(lines) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(lines) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(lines) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return f"""<!DOCTYPE html><html><head><title>FOI</title><style>p {{ color: red }}</style>
<script>var force = "Essex Police Essex Police Essex Police";</script></head>
<body><div id="cookie-banner">We use cookies. Essex Police Essex Police. Accept all cookies</div>
<header class="site-header"><a href="/">Essex Police</a></header>
<nav><a href="/">Essex Police</a> <a href="/foi">Essex Police FOI</a> <a href="/x">Essex Police</a></nav>
<main><article><h1>FOI answer</h1>{body}</article></main>
<footer>Essex Police 2024. Privacy. Essex Police.</footer></body></html>""".encode()


@pytest.mark.parametrize(("name", "maker"), [("a.pdf", make_pdf), ("a.docx", make_docx), ("a.html", make_html)])
def test_pdf_word_and_html_documents(forces, tmp_path, name, maker):
    path = tmp_path / name
    path.write_bytes(maker(LETTER))
    code, out, err = run(path, "--json")
    assert code == 0, err
    assert json_lines(out) == [LETTER_EXPECTED]
    draft = FoiRequest.objects.get()
    assert draft.force.slug == "durham"
    assert not draft.is_published
    assert [e.citation for e in draft.exemptions.all()] == ["FOIA s40"]
    if name.endswith("html"):
        assert "cookies" not in draft.imported_text
        assert "var force" not in draft.imported_text


def test_pdf_without_a_text_layer_is_refused(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(ExtractionError, match="no text layer"):
        read_document("scan.pdf", bytes(pdf.output()))


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(ExtractionError, match="larger than 10 MB"):
        read_document("big.txt", b"a" * (10 * 1024 * 1024 + 1))


# ---------------------------------------------------------------------------
# Fuzzing: the extractor raises nothing but its own clear error.

SEED_TEXTS = [read_document(p.name, p.read_bytes()) for p in sorted(SOURCES.glob("*.txt"))]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text())
def test_fuzz_extract_random_text(text):
    try:
        for extraction in extract(text, ALIASES):
            json.dumps(extraction.as_json())
    except ExtractionError:
        pass


@FUZZ
@given(st.sampled_from(SEED_TEXTS), st.integers(min_value=0, max_value=15000), st.integers(min_value=0, max_value=200))
def test_fuzz_extract_truncated_seed_documents(text, end, start):
    try:
        for extraction in extract(text[start:end], ALIASES):
            json.dumps(extraction.as_json())
    except ExtractionError:
        pass


@FUZZ
@given(st.sampled_from([".txt", ".pdf", ".docx", ".html", ".htm", ".odt", ""]), st.binary(max_size=2000))
def test_fuzz_read_random_bytes(extension, data):
    try:
        read_document(f"file{extension}", data)
    except ExtractionError as error:
        assert str(error)


PDF_BYTES = make_pdf(LETTER)
DOCX_BYTES = make_docx(LETTER)


@FUZZ
@given(st.sampled_from([("a.pdf", PDF_BYTES), ("a.docx", DOCX_BYTES)]), st.data())
def test_fuzz_read_truncated_and_damaged_documents(document, data):
    name, content = document
    end = data.draw(st.integers(min_value=0, max_value=len(content)))
    damaged = bytearray(content[:end])
    if damaged and data.draw(st.booleans()):
        position = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
    try:
        extract(read_document(name, bytes(damaged)), ALIASES)
    except ExtractionError as error:
        assert str(error)


@FUZZ
@given(st.text())
def test_fuzz_saved_html_pages(text):
    try:
        extract(read_document("page.html", f"<!DOCTYPE html><html><body><main>{text}</main></body></html>".encode()))
    except ExtractionError as error:
        assert str(error)


def test_utf16_text_from_windows_notepad(forces, tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("Our ref: NP/1/24\nEssex Police does not hold the information.".encode("utf-16"))
    code, out, err = run(path, "--dry-run", "--json")
    assert code == 0, err
    (extraction,) = json_lines(out)
    assert (extraction["references"], extraction["authority"], extraction["outcome"]) == (
        ["NP/1/24"],
        "essex",
        "not_held",
    )


def test_an_imported_letter_to_ms_example_is_published_without_her_name(forces, tmp_path, client):
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "Our ref: ABC/124/24\nDate: 3 May 2024\n\nDear Ms Example,\n\nThank you for your request.\n\n"
        "No information held.\n\nYours sincerely,\nDisclosure Officer\nDurham Constabulary\n"
    )
    assert run(letter, "--force", "durham")[0] == 0
    draft = FoiRequest.objects.get()
    assert draft.requester_name == ""  # the letter's salutation is all that names her
    draft.is_published = True
    draft.full_clean()
    draft.save()
    page = client.get(draft.get_absolute_url()).content.decode()
    data = client.get(f"/api/foi-requests/{draft.slug}/").json()
    for shown in (page, data["response_text"]):
        assert "Ms Example" not in shown
        assert "Dear [name removed]," in shown
        assert "No information held." in shown
        assert "Disclosure Officer" in shown


def test_the_import_review_takes_each_questions_outcome_from_the_extraction():
    from foi_requests.importer import draft_questions

    (extraction,) = extract(
        "1. Who uses the tool?\nOfficers in two teams; their names are withheld under section 40(2).\n\n"
        "2. Since when?\nSince 2021; its supplier's terms are set out under section 43(2).\n\n"
        "3. Is it used covertly?\nWe can neither confirm nor deny whether this information is held.\n\n"
        "4. What did it cost?\n£3,000 a year.",
        ALIASES,
    )
    drafts = draft_questions(extraction)
    assert [d.outcome for d in drafts] == ["exempt", "partly_disclosed", "neither_confirm_nor_deny", "disclosed"]
    assert [q.outcome for q in extraction.questions] == [
        "refused",
        "partially_successful",
        "neither_confirm_nor_deny",
        "successful",
    ]


def test_a_request_refused_whole_gives_its_unanswered_questions_the_refusal():
    from foi_requests.importer import draft_questions

    (extraction,) = extract(
        "1. List your models.\n2. Give their costs.\n\nThis would exceed the appropriate limit: section 12(1).",
        ALIASES,
    )
    assert [(d.outcome, d.citations) for d in draft_questions(extraction)] == [("exempt", ["12(1)"])] * 2
