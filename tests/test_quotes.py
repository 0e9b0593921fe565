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
    assert "“The Risk Model was introduced in 2018” does not appear in FOI/7/22" in message

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
    tool = ToolFactory(is_published=False)  # a draft: its other facts need no quote yet
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
    assert "“The Risk Model was introduced in 2018” does not appear in FOI/8/22" in message
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
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
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
    deployment = DeploymentFactory(is_published=False)  # a draft: its other facts need no quote yet
    url = reverse("admin:foi_requests_foirequest_add")
    response = staff_client.post(url, request_form(deployment, "The Risk Model was introduced in 2018"))
    assert response.status_code == 200
    [message] = evidence_errors(response)
    assert "“The Risk Model was introduced in 2018” does not appear in FOI-2026-009" in message
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
    assert "does not appear in FOI/9/22" in evidence_errors(response)[0]

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
    assert f"Evidence {missing.pk} ({missing.source.label}): “All information held.” not found" in out
    assert "FOI FOI" not in out  # a reference starting "FOI/" is not doubled


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


# Bulk import of evidence in the admin -------------------------------------------------------

CSV_FORMAT = "0"


def import_evidence(client, content: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:register_evidence_import"),
        {
            "resource": "0",
            "format": CSV_FORMAT,
            "import_file": SimpleUploadedFile("evidence.csv", content.encode(), content_type="text/csv"),
        },
    )


@pytest.mark.django_db
def test_bulk_import_of_evidence_refuses_a_changed_word_naming_the_row_quote_and_source(staff_client):
    request = FoiRequestFactory(reference="FOI/10/22", slug="testshire-foi-10-22", response_text=ANSWER)
    deployment = DeploymentFactory()
    tool = ToolFactory(slug="risk-model")
    where = f"{deployment.force.slug}/{deployment.tool.slug}"
    content = (
        "foi_request,question_number,quote,tool,deployment,field\n"
        f"testshire-foi-10-22,1,The Risk Model was introduced in 2019,risk-model,,name\n"
        f"testshire-foi-10-22,2,A DPIA was conducted.,,{where},\n"
    )
    response = import_evidence(staff_client, content)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None  # nothing to confirm: nothing will be written
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2]
    page = response.content.decode()
    assert "“A DPIA was conducted.” does not appear in FOI/10/22" in page
    assert not Evidence.objects.exists()

    corrected = content.replace("A DPIA was conducted.", "No DPIA was conducted.").replace(",\n", ",Status\n")
    preview = import_evidence(staff_client, corrected)
    assert preview.context["confirm_form"] is not None, preview.context["result"].invalid_rows
    assert not Evidence.objects.exists()  # the preview writes nothing
    form = preview.context["confirm_form"]
    staff_client.post(
        reverse("admin:register_evidence_process_import"), {name: form[name].value() for name in form.fields}
    )
    by_tool, by_deployment = tool.evidence.get(), deployment.evidence.get()
    assert by_tool.field == "name" and by_deployment.field == "status"  # a fact by its name or its label
    assert ANSWER[by_deployment.quote_start : by_deployment.quote_end] == "No DPIA was conducted."
    assert by_tool.source == request.source == by_deployment.source


@pytest.mark.django_db
def test_bulk_import_of_evidence_needs_a_known_source(staff_client):
    FoiRequestFactory(response_text=ANSWER)
    content = "source,foi_request,quote,tool\n,no-such-request,No DPIA was conducted.,x\n,,No DPIA,x\n"
    response = import_evidence(staff_client, content)
    page = response.content.decode()
    assert "no FOI request with slug “no-such-request”" in page
    assert "give the source: its id (source) or its FOI request&#x27;s slug (foi_request)" in page
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_only_editors_import_evidence(client, django_user_model):
    from django.contrib.auth.models import Group

    researcher = django_user_model.objects.create_user("r", password="a-long-test-password", is_staff=True)
    researcher.groups.add(Group.objects.get(name="Researchers"))
    client.force_login(researcher)
    assert client.get(reverse("admin:register_evidence_import")).status_code == 403
    editor = django_user_model.objects.create_user("e", password="a-long-test-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(reverse("admin:register_evidence_import")).status_code == 200


# A source's text changes: its quotes move with it, and none may be lost ----------------------


@pytest.mark.django_db
def test_a_changed_answer_moves_every_quote_in_the_same_save():
    request = FoiRequestFactory(response_text=ANSWER)
    first = EvidenceFactory(foi_request=request, quote="No DPIA was conducted.")
    second = EvidenceFactory(foi_request=request, quote="introduced in 2019")
    request.response_text = "Our reference: 9.\n\n" + ANSWER
    request.save()
    text = Source.objects.get(pk=request.source_id).text
    for evidence in (first, second):
        evidence.refresh_from_db()
        assert text[evidence.quote_start : evidence.quote_end].replace("\n", " ") == evidence.quote
    assert first.quote_prefix.endswith("still in use.\n2.")


@pytest.mark.django_db
def test_a_changed_document_moves_its_quotes_and_a_quote_it_loses_keeps_no_place():
    source = document("The force uses a risk model. It was bought in 2019.")
    kept = Evidence.objects.create(source=source, quote="It was bought in 2019.", tool=ToolFactory())
    lost = Evidence.objects.create(source=source, quote="uses a risk model", tool=ToolFactory())
    source.text = "Preface. The force uses a scoring model. It was bought in 2019."
    source.save()  # without a form: `check_quotes` is then the backstop
    kept.refresh_from_db(), lost.refresh_from_db()
    assert source.text[kept.quote_start : kept.quote_end] == "It was bought in 2019."
    assert lost.quote_start is None
    with pytest.raises(CommandError, match="1 of 2 quotes not found"):
        call_command("check_quotes")


@pytest.mark.django_db
def test_a_document_text_change_that_loses_a_quote_is_refused_listing_it():
    source = document("The force uses a risk model. It was bought in 2019.")
    Evidence.objects.create(source=source, quote="uses a risk model", tool=ToolFactory())
    Evidence.objects.create(source=source, quote="It was bought in 2019.", tool=ToolFactory())
    source.text = "The force uses a scoring model. It was bought in 2019."
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    [message] = error.value.message_dict["text"]
    assert "1 quote of Annual report" in message and "“uses a risk model”" in message
    assert "bought in 2019" not in message
    source.text = "Summary. The force uses a risk model.\nIt was bought in 2019."
    source.full_clean()


@pytest.mark.django_db
def test_a_document_text_change_that_loses_a_quote_is_a_form_error_in_the_admin(staff_client):
    source = document("The force uses a risk model. It was bought in 2019.")
    Evidence.objects.create(source=source, quote="uses a risk model", tool=ToolFactory())
    url = reverse("admin:register_source_change", args=[source.pk])
    data = form_data(staff_client.get(url))
    data.update({"text": "The force uses a scoring model.", "change_reason": "Corrected the text"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "“uses a risk model”" in " ".join(response.context["adminform"].form.errors["text"])
    source.refresh_from_db()
    assert source.text == "The force uses a risk model. It was bought in 2019."


@pytest.mark.django_db
def test_an_answer_change_that_loses_a_quote_is_refused_on_the_answer_text():
    request = FoiRequestFactory(reference="FOI/11/22", response_text=ANSWER)
    EvidenceFactory(foi_request=request, quote="No DPIA was conducted.")
    request.response_text = ANSWER.replace("No DPIA was conducted.", "A DPIA is planned.")
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    [message] = error.value.message_dict["response_text"]
    assert "“No DPIA was conducted.”" in message and "FOI/11/22" in message


@pytest.mark.django_db
def test_in_the_admin_a_quote_corrected_with_the_answer_in_one_save_is_accepted(staff_client):
    request = FoiRequestFactory(reference="FOI/12/22", response_text=ANSWER)
    evidence = EvidenceFactory(foi_request=request, quote="No DPIA was conducted.")
    url = reverse("admin:foi_requests_foirequest_change", args=[request.pk])
    data = form_data(staff_client.get(url))
    new_answer = ANSWER.replace("No DPIA was conducted.", "No DPIA has been conducted.")
    data.update({"response_text": new_answer, "change_reason": "Typo in the answer as recorded"})
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "does not appear in FOI/12/22" in evidence_errors(refused)[0]

    data["evidence-0-quote"] = "No DPIA has been conducted."
    assert staff_client.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert new_answer[evidence.quote_start : evidence.quote_end] == "No DPIA has been conducted."


# Highlighting: the passages marked in their source's text -----------------------------------


def marks(html: str) -> list[str]:
    import re

    return re.findall(r"<mark[^>]*>|</mark>", html)


def test_passages_are_marked_and_the_text_escaped():
    from core.quotes import Passage, mark_passages

    text = "A <script>alert(1)</script> & a risk model."
    start = text.index("risk")
    html = mark_passages(text, [Passage("quote-1", start, start + 10, href="/tools/x/", label="X: <Name>")])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; a " in html
    assert '<mark class="passage" id="quote-1">risk model</mark>' in html
    assert '<a class="passage-fact" href="/tools/x/">[X: &lt;Name&gt;]</a>' in html


def test_overlapping_passages_nest_without_breaking_the_markup():
    from core.quotes import Passage, mark_passages

    text = "one two three four five"
    html = mark_passages(
        text,
        [
            Passage("quote-1", 0, 13),  # one two three
            Passage("quote-2", 4, 18),  # two three four: crosses the first
            Passage("quote-3", 4, 7),  # two: inside both
            Passage("quote-4", 0, 13),  # the same as the first
            None,  # a quote not found
            Passage("quote-5", 20, 99),  # past the end: left out
        ],
    )
    depth = 0
    for tag in marks(html):
        depth += -1 if tag == "</mark>" else 1
        assert depth >= 0
    assert depth == 0
    assert [tag for tag in marks(html) if "id=" in tag] == [
        '<mark class="passage" id="quote-1">',
        '<mark class="passage" id="quote-4">',
        '<mark class="passage" id="quote-2">',
        '<mark class="passage" id="quote-3">',
    ]
    assert '<mark class="passage continued">' in html  # the crossing passage goes on after the first ends
    import re

    assert re.sub(r"<[^>]+>", "", html) == text


def test_no_passage_leaves_the_text_escaped():
    from core.quotes import mark_passages

    assert mark_passages("a < b", []) == "a &lt; b"
    assert mark_passages("", []) == ""


# The pages: a reader opens the source at the passage --------------------------------------


@pytest.mark.django_db
def test_the_request_page_marks_each_published_quote_in_the_answer_and_links_it_to_its_fact(client):
    request = FoiRequestFactory(slug="testshire-13-22", response_text=ANSWER + "\n3. <b>Nothing</b> else.")
    deployment = DeploymentFactory()
    shown = EvidenceFactory(foi_request=request, deployment=deployment, quote="No DPIA was conducted.")
    draft = EvidenceFactory(
        foi_request=request, quote="introduced in 2019", deployment=DeploymentFactory(is_published=False)
    )
    page = client.get("/foi-requests/testshire-13-22/").content.decode()
    assert f'<mark class="passage" id="quote-{shown.pk}">No DPIA was conducted.</mark>' in page
    assert f'href="{deployment.get_absolute_url()}">[{deployment}: Status]</a>' in page
    assert f"quote-{draft.pk}" not in page
    assert "&lt;b&gt;Nothing&lt;/b&gt;" in page


@pytest.mark.django_db
def test_every_quote_on_a_public_page_links_to_the_passage_and_to_where_it_was_published(client):
    request = FoiRequestFactory(response_text=ANSWER, source_url="https://example.org/disclosure-log/13")
    deployment = DeploymentFactory()
    evidence = EvidenceFactory(foi_request=request, deployment=deployment, quote="No DPIA was conducted.")
    page = client.get(deployment.get_absolute_url()).content.decode()
    assert f'href="{request.get_absolute_url()}#quote-{evidence.pk}"' in page
    assert 'href="https://example.org/disclosure-log/13"' in page


@pytest.mark.django_db
def test_a_documents_page_shows_where_it_was_published_and_its_text_with_the_passages_marked(client):
    source = document("The force uses a <risk> model. It was bought in 2019.")
    source.is_published = True
    source.save()
    tool = ToolFactory()
    evidence = Evidence.objects.create(source=source, quote="It was bought in 2019.", tool=tool, field="origin")
    response = client.get(f"/sources/{source.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="https://example.org/r">https://example.org/r</a>' in page
    assert f'<mark class="passage" id="quote-{evidence.pk}">It was bought in 2019.</mark>' in page
    assert "uses a &lt;risk&gt; model" in page
    tool_page = client.get(tool.get_absolute_url()).content.decode()
    assert f'href="/sources/{source.pk}/#quote-{evidence.pk}"' in tool_page or "Not disclosed" in tool_page


@pytest.mark.django_db
def test_a_draft_source_has_no_page_and_an_foi_answer_is_read_on_its_request_page(client):
    draft = document("Draft text.")
    assert client.get(f"/sources/{draft.pk}/").status_code == 404
    assert client.get("/sources/999999/").status_code == 404
    request = FoiRequestFactory(slug="testshire-14-22")
    response = client.get(f"/sources/{request.source.pk}/")
    assert response.status_code == 302 and response["Location"] == "/foi-requests/testshire-14-22/"
    unpublished = FoiRequestFactory(is_published=False)
    assert client.get(f"/sources/{unpublished.source.pk}/").status_code == 404
