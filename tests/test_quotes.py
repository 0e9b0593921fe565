"""Every quote is checked against its source's text by one rule (`core.quotes`), and keeps
where it sits in that text."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.quotes import CONTEXT, locate_quote
from foi_requests import synthetic
from foi_requests.models import FoiRequest
from register.models import Evidence, Source, SourceKind

from .admin_forms import form_data
from .factories import DeploymentFactory, EvidenceFactory, FoiRequestFactory, ForceFactory, ToolFactory

TEXT = (
    "Thank you for your request.\n\n"
    "**Answer:** The force’s “Risk Model” was introduced in\n2019 – and  is still in use.\n"
    "It is reviewed every year by the Data Protection Officer."
)


def test_an_exact_passage_is_found_with_its_offsets_and_context():
    anchor = locate_quote("introduced in", TEXT)
    start = TEXT.index("introduced in")
    assert (anchor.start, anchor.end) == (start, start + len("introduced in"))
    assert anchor.exact == "introduced in"
    assert anchor.prefix == TEXT[start - CONTEXT : start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + CONTEXT]


def test_prefix_and_suffix_stop_at_the_ends_of_the_text():
    anchor = locate_quote("Thank you", TEXT)
    assert anchor.start == 0 and anchor.prefix == ""
    anchor = locate_quote("Protection Officer.", TEXT)
    assert anchor.end == len(TEXT) and anchor.suffix == ""


def test_line_breaks_and_repeated_spaces_do_not_count():
    anchor = locate_quote("introduced in 2019 - and is still in use.", TEXT)
    assert anchor is not None
    assert anchor.exact == "introduced in\n2019 – and  is still in use."


def test_curly_and_straight_quote_marks_and_dashes_are_the_same():
    assert locate_quote('The force\'s "Risk Model" was introduced in 2019 - and is', TEXT)
    assert locate_quote("2019 — and is", TEXT)
    assert locate_quote("The force‘s ”Risk Model“", TEXT)


def test_markdown_bold_does_not_count():
    anchor = locate_quote("Answer: The force's", TEXT)
    assert anchor.exact == "Answer:** The force’s"
    assert locate_quote("**Answer:** The force's", TEXT)


def test_an_ellipsis_joins_passages_in_order():
    for quote in (
        "The force's “Risk Model” ... reviewed every year",
        "The force's “Risk Model”…reviewed every year",
        "The force's “Risk Model” … reviewed every year",
    ):
        anchor = locate_quote(quote, TEXT)
        assert anchor is not None, quote
        assert anchor.exact.startswith("The force’s") and anchor.exact.endswith("reviewed every year")


def test_passages_out_of_order_fail():
    assert locate_quote("reviewed every year ... The force's “Risk Model”", TEXT) is None


def test_one_word_changed_fails():
    assert locate_quote("introduced in 2018", TEXT) is None
    assert locate_quote("The force's “Risk Model” ... reviewed every month", TEXT) is None


def test_case_counts():
    assert locate_quote("the force's", TEXT) is None


@pytest.mark.parametrize("quote", ["", "   ", "...", "…"])
def test_an_empty_quote_fails(quote):
    assert locate_quote(quote, TEXT) is None


def test_nothing_is_found_in_an_empty_text():
    assert locate_quote("anything", "") is None


# The models: a source's text, and evidence checked against it -------------------------------

ANSWER = "1. The **Risk Model** was introduced in\n2019 – it is still in use.\n2. No DPIA was conducted."


def document(text=""):
    return Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Annual report", url="https://example.org/r", text=text
    )


@pytest.mark.django_db
def test_an_foi_answer_source_holds_the_answer_as_the_public_reads_it():
    request = FoiRequestFactory(response_text="Dear Jo Bloggs, we hold it.", requester_name="Jo Bloggs")
    assert request.source.text == "Dear [requester], we hold it."
    request.response_text = "We hold it."
    request.save()
    request.source.refresh_from_db()
    assert request.source.text == "We hold it."


@pytest.mark.django_db
def test_a_quote_not_in_its_source_is_refused_naming_the_quote_and_the_source():
    request = FoiRequestFactory(reference="FOI/7/22", response_text=ANSWER)
    evidence = EvidenceFactory.build(
        foi_request=request, deployment=DeploymentFactory(), quote="The Risk Model was introduced in 2018"
    )
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    [message] = error.value.message_dict["quote"]
    assert "“The Risk Model was introduced in 2018” does not appear in FOI FOI/7/22" in message

    evidence.quote = "The Risk Model was introduced in 2019 - it is still in use."
    evidence.full_clean()
    evidence.save()
    evidence.refresh_from_db()
    assert (
        ANSWER[evidence.quote_start : evidence.quote_end]
        == "The **Risk Model** was introduced in\n2019 – it is still in use."
    )
    # Kept without the white space at their ends (a backup's XML loses it).
    assert evidence.quote_prefix == "1." and evidence.quote_suffix == "2. No DPIA was conducted."


@pytest.mark.django_db
def test_every_saved_quote_keeps_its_place_and_one_not_found_keeps_none():
    request = FoiRequestFactory(response_text=ANSWER)
    found = EvidenceFactory(foi_request=request, quote="No DPIA was conducted.")
    assert (found.quote_start, found.quote_end) == (ANSWER.index("No DPIA"), len(ANSWER))
    missing = EvidenceFactory(foi_request=request, quote="A DPIA was conducted.")  # saved without a form
    assert missing.quote_start is None and missing.quote_prefix == ""


@pytest.mark.django_db
def test_a_document_with_no_text_yet_accepts_the_quote_and_with_a_text_checks_it():
    evidence = Evidence(source=document(), quote="Anything at all", tool=ToolFactory())
    evidence.full_clean()
    evidence.save()
    assert evidence.quote_start is None

    evidence = Evidence(
        source=document("The force uses a risk model."), quote="The force uses a model", tool=ToolFactory()
    )
    with pytest.raises(ValidationError, match="does not appear in Annual report"):
        evidence.full_clean()
    evidence.quote = "uses a risk model"
    evidence.full_clean()
    assert (evidence.quote_start, evidence.quote_end) == (10, 27)


# The admin ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tool_evidence_inline_refuses_a_changed_word_and_accepts_the_correction(staff_client):
    tool = ToolFactory()
    request = FoiRequestFactory(reference="FOI/8/22", response_text=ANSWER)
    url = reverse("admin:register_tool_change", args=[tool.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "change_reason": "Evidence from FOI/8/22",
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": request.source.pk,
            "evidence-0-question_number": "1",
            "evidence-0-quote": "The Risk Model was introduced in 2018",
            "evidence-0-field": "",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    [evidence_formset] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Evidence]
    [message] = evidence_formset.forms[0].errors["quote"]
    assert "“The Risk Model was introduced in 2018” does not appear in FOI FOI/8/22" in message
    assert not tool.evidence.exists()

    data["evidence-0-quote"] = "The Risk Model was introduced in 2019"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    evidence = tool.evidence.get()
    assert ANSWER[evidence.quote_start : evidence.quote_end] == "The **Risk Model** was introduced in\n2019"


def request_form(deployment, quote: str) -> dict:
    return {
        "force": deployment.force.pk,
        "reference": "FOI-2026-009",
        "title": "Risk models",
        "outcome": "successful",
        "request_text": "1. When did the Risk Model start?",
        "response_text": ANSWER,
        "categories_asked-TOTAL_FORMS": "0",
        "categories_asked-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-question_number": "1",
        "evidence-0-quote": quote,
        "evidence-0-deployment": deployment.pk,
        "evidence-0-field": "started",
    }


def evidence_errors(response) -> list[str]:
    [formset] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Evidence]
    return formset.forms[0].errors.get("quote", [])


@pytest.mark.django_db
def test_the_request_evidence_inline_checks_quotes_against_the_answer_posted_with_a_new_request(staff_client):
    deployment = DeploymentFactory()
    url = reverse("admin:foi_requests_foirequest_add")
    response = staff_client.post(url, request_form(deployment, "The Risk Model was introduced in 2018"))
    assert response.status_code == 200
    [message] = evidence_errors(response)
    assert "“The Risk Model was introduced in 2018” does not appear in FOI FOI-2026-009" in message
    assert not FoiRequest.objects.filter(reference="FOI-2026-009").exists()

    response = staff_client.post(url, request_form(deployment, "The Risk Model was introduced in 2019"))
    assert response.status_code == 302
    evidence = deployment.evidence.get()
    assert evidence.source.foi_request.reference == "FOI-2026-009"
    assert ANSWER[evidence.quote_start : evidence.quote_end] == "The **Risk Model** was introduced in\n2019"


@pytest.mark.django_db
def test_the_request_evidence_inline_checks_quotes_on_the_change_form(staff_client):
    request = FoiRequestFactory(reference="FOI/9/22", response_text=ANSWER)
    deployment = DeploymentFactory()
    url = reverse("admin:foi_requests_foirequest_change", args=[request.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "change_reason": "Evidence",
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-question_number": "2",
            "evidence-0-quote": "A DPIA was conducted.",
            "evidence-0-deployment": deployment.pk,
            "evidence-0-field": "",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "does not appear in FOI FOI/9/22" in evidence_errors(response)[0]

    data["evidence-0-quote"] = "No DPIA was conducted."
    assert staff_client.post(url, data).status_code == 302
    assert deployment.evidence.get().quote_start == ANSWER.index("No DPIA")


# The command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_quotes_passes_when_every_quote_is_found(capsys):
    EvidenceFactory()
    EvidenceFactory(foi_request=None, document_url="https://example.org/no-text-yet", quote="Unchecked")
    call_command("check_quotes")
    out = capsys.readouterr().out
    assert "All 1 quotes found in their sources." in out
    assert "1 quotes cite documents whose text has not been recorded: not checked." in out


@pytest.mark.django_db
def test_check_quotes_lists_each_quote_not_found_and_fails(capsys):
    EvidenceFactory()
    missing = EvidenceFactory(quote="All information held.")
    with pytest.raises(CommandError, match="1 of 2 quotes not found in their sources"):
        call_command("check_quotes")
    out = capsys.readouterr().out
    assert f"Evidence {missing.pk} (FOI {missing.source.title}): “All information held.” not found" in out


def test_check_quotes_passes_on_the_seed_data(seed_data, capsys):
    call_command("check_quotes")
    assert f"All {Evidence.objects.count()} quotes found in their sources." in capsys.readouterr().out


@pytest.mark.django_db
def test_check_quotes_passes_on_synthetic_data(monkeypatch, capsys):
    monkeypatch.setattr(
        synthetic,
        "PER_SCALE",
        {"tools": 20, "deployments": 100, "assessments": 150, "foi_requests": 200, "evidence": 300},
    )
    ForceFactory.create_batch(10)
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    assert not Evidence.objects.filter(quote_start__isnull=True, source__text__gt="").exists()
    call_command("check_quotes")
    assert "All 300 quotes found in their sources." in capsys.readouterr().out
