"""The editable import review: upload an answer, correct what was read, save a draft."""

import hashlib
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from foi_requests.models import FoiRequest
from register.models import Question, Source
from tests.factories import ExemptionFactory, ForceFactory

URL = "/admin/foi_requests/foirequest/import/"

ANSWER = b"""Lancashire Constabulary
Freedom of Information Request Reference No: TEST/FOI/0042/19

Date: 10 October 2019

REQUEST
1. Do you use hotspot mapping software?
2. Do you give individual offenders a risk score? Have you completed a DPIA for it?
3. Do you use facial recognition?
4. Which supplier provides it?

RESPONSE
1. Do you use hotspot mapping software?
Yes, the force uses hotspot maps.
2. Do you give individual offenders a risk score? Have you completed a DPIA for it?
Yes, a risk score is used.
3. Do you use facial recognition?
Yes, retrospectively.
4. Which supplier provides it?
The supplier is Example Systems Ltd.

Yours sincerely
"""


@pytest.fixture
def forces(db):
    ExemptionFactory(act="FOIA", section="12(1)")
    return (
        ForceFactory(slug="lancashire", name="Lancashire Constabulary"),
        ForceFactory(slug="essex", name="Essex Police"),
    )


def upload(client, content=ANSWER, name="answer.txt"):
    return client.post(URL, {"document": SimpleUploadedFile(name, content)})


def review_data(response) -> dict:
    """What the review page posts back as it stands, as a browser would send it."""
    context_forms = [response.context["confirm"]]
    for review in response.context["reviews"]:
        context_forms += [review.form, review.formset.management_form, *review.formset.forms]
    data = {}
    for form in context_forms:
        for bound in form:
            value = bound.field.prepare_value(bound.value())
            if isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(bound.field, forms.MultipleChoiceField):
                data[bound.html_name] = [str(each) for each in value or []]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data


def row(number: int) -> str:
    return f"request-0-questions-{number}"


def visible_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_the_review_is_a_form_with_labels_and_suggested_kinds(staff_client, forces):
    response = upload(staff_client)
    assert response.status_code == 200
    assert not FoiRequest.objects.exists()  # nothing written before "Save"
    data = review_data(response)
    assert data["request-0-force"] == str(forces[0].pk)
    assert data["request-0-references"] == "TEST/FOI/0042/19"
    assert data["request-0-date_responded"] == "10 October 2019"
    # The kinds of tool and of safeguard each question's words suggest, ticked.
    assert data[f"{row(0)}-categories"] == ["mapping"]
    assert data[f"{row(1)}-categories"] == ["individual_risk"]
    assert data[f"{row(1)}-safeguards"] == ["dpia"]
    assert data[f"{row(2)}-categories"] == ["biometrics"]
    page = response.content.decode()
    assert re.search(
        r'<input type="checkbox" name="request-0-questions-0-categories" value="mapping"[^>]*checked', page
    )
    # Labels, never raw codes.
    text = visible_text(response)
    for label in ("Crime or hotspot mapping", "Data Protection Impact Assessment", "Partially provided", "Disclosed"):
        assert label in text
    for code in ("individual_risk", "partially_successful", "not_answered", "dpia"):
        assert code not in text
    assert "FOIA s12(1) (Cost of compliance exceeds the appropriate limit)" in text


def corrected(response, essex) -> dict:
    data = review_data(response)
    data.update(
        {
            "request-0-force": str(essex.pk),
            "request-0-date_received": "1 October 2019",
            "request-0-outcome": "partially_successful",
            f"{row(0)}-categories": ["mapping", "dashboard"],
            f"{row(1)}-split_at": "Have you completed",
            f"{row(3)}-merge_above": "on",
            f"{row(3)}-outcome": "disclosed",
        }
    )
    return data


def test_corrections_are_saved_as_a_draft_with_its_questions_and_original(staff_client, forces, originals_storage):
    essex = forces[1]
    response = upload(staff_client)
    response = staff_client.post(URL, {**corrected(response, essex), "confirm": "Save as draft"})
    draft = FoiRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/foi_requests/foirequest/{draft.pk}/change/"
    assert not draft.is_published
    assert draft.force == essex
    assert draft.reference == "TEST/FOI/0042/19"
    assert draft.date_received.isoformat() == "2019-10-01"
    assert draft.date_responded.isoformat() == "2019-10-10"
    assert draft.outcome == "partially_successful"
    questions = list(Question.objects.filter(source=draft.source).order_by("pk"))
    assert [q.number for q in questions] == ["1", "2a", "2b", "3"]
    assert questions[1].text == "Do you give individual offenders a risk score?"
    assert questions[2].text == "Have you completed a DPIA for it?"
    assert questions[2].outcome == "not_answered"
    assert questions[3].text == "Do you use facial recognition?\nWhich supplier provides it?"
    assert questions[3].answer == "Yes, retrospectively.\nThe supplier is Example Systems Ltd."
    assert questions[3].outcome == "disclosed"
    assert sorted(questions[0].category_values) == ["dashboard", "mapping"]
    assert questions[2].safeguard_values == ["dpia"]
    assert sorted(draft.categories_asked.values_list("category", flat=True)) == [
        "biometrics",
        "dashboard",
        "individual_risk",
        "mapping",
    ]
    # The uploaded file is the answer's archived original; nothing is left waiting.
    source = Source.objects.get(pk=draft.source_id)
    assert source.original_sha256 == hashlib.sha256(ANSWER).hexdigest()
    assert originals_storage.listdir("originals/pending")[1] == []


def test_show_my_changes_splits_and_merges_without_saving(staff_client, forces):
    response = upload(staff_client)
    response = staff_client.post(URL, {**corrected(response, forces[1]), "update": "Show my changes"})
    assert response.status_code == 200
    assert not FoiRequest.objects.exists()
    data = review_data(response)
    assert [data[f"{row(n)}-number"] for n in range(4)] == ["1", "2a", "2b", "3"]
    assert data[f"{row(2)}-text"] == "Have you completed a DPIA for it?"
    assert data[f"{row(2)}-safeguards"] == ["dpia"]  # suggested from its own words
    assert data[f"{row(4)}-text"] == ""  # empty rows to add a question


def test_without_javascript_empty_rows_serve_and_the_add_button_stays_hidden(staff_client, forces):
    html = upload(staff_client).content.decode()
    assert html.count("A new question (leave empty if none)") == 3  # two empty rows, and the template of more
    assert f'name="{row(4)}-number"' in html and f'name="{row(5)}-number"' in html
    assert '<template id="request-0-questions-new-question">' in html
    assert 'name="request-0-questions-__prefix__-number"' in html  # import_review.js numbers it
    assert re.search(r'<button type="button" class="add-question" hidden[^>]*>Add a question</button>', html)
    assert 'data-total="id_request-0-questions-TOTAL_FORMS"' in html
    assert '<script src="/static/js/import_review.js" defer></script>' in html


def test_a_new_row_adds_a_question(staff_client, forces):
    response = upload(staff_client)
    data = corrected(response, forces[1])
    data.update({f"{row(4)}-number": "5", f"{row(4)}-text": "How much did it cost?", f"{row(4)}-outcome": "not_held"})
    staff_client.post(URL, {**data, "confirm": "Save as draft"})
    assert Question.objects.get(number="5").outcome == "not_held"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({f"{row(2)}-number": "1"}, "Each question needs its own number: “1” is given to more than one."),
        ({"request-0-date_received": "31 February 2019"}, "February 2019 has no day 31"),
        ({"request-0-date_received": "11 October 2019"}, "The answer cannot be dated before the request was received."),
        ({"request-0-outcome": "successful"}, "The questions' outcomes give “Partially provided”"),
        ({f"{row(0)}-split_at": "not in it"}, "The question does not contain “not in it”."),
        ({"request-0-force": ""}, "Choose the force that answered"),
    ],
)
def test_an_error_is_shown_on_the_review_and_nothing_is_saved(staff_client, forces, change, error):
    response = upload(staff_client)
    response = staff_client.post(URL, {**corrected(response, forces[1]), **change, "confirm": "Save as draft"})
    assert response.status_code == 200
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not FoiRequest.objects.exists()
    assert not Question.objects.exists()


def test_the_review_page_reads_a_fixed_number_of_queries(staff_client, forces, django_assert_max_num_queries):
    # Session and user, forces, exemptions, duplicates (text, reference), the exemptions cited.
    with django_assert_max_num_queries(8):
        upload(staff_client)
