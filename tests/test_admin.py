"""The researchers' admin: lists, search and change forms open for staff."""

import pytest

from foi_requests.models import FoiRequest
from register.models import Deployment, Evidence, Tool

pytestmark = pytest.mark.django_db

MODELS = [
    "register/force",
    "register/supplier",
    "register/tool",
    "register/deployment",
    "register/assessment",
    "foi_requests/foirequest",
    "foi_requests/exemption",
    "register/evidence",
    "register/source",
]


@pytest.mark.parametrize("model", MODELS)
def test_list_add_and_search_open(staff_client, seed_data, model):
    assert staff_client.get(f"/admin/{model}/").status_code == 200
    assert staff_client.get(f"/admin/{model}/?q=west").status_code == 200
    assert staff_client.get(f"/admin/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_form_opens(staff_client, seed_data, model):
    app_label, model_name = model.split("/")
    from django.apps import apps

    record = apps.get_model(app_label, model_name).objects.first()
    assert staff_client.get(f"/admin/{model}/{record.pk}/change/").status_code == 200


def test_autocomplete_finds_forces_and_tools(staff_client, seed_data):
    response = staff_client.get(
        "/admin/autocomplete/",
        {"term": "west", "app_label": "register", "model_name": "deployment", "field_name": "force"},
    )
    assert response.status_code == 200
    assert "West Midlands Police" in response.content.decode()


def test_deployment_form_has_assessment_and_evidence_inlines(staff_client, seed_data):
    record = Deployment.objects.get(force__slug="west-midlands", tool__slug="west-midlands-iom-model")
    page = staff_client.get(f"/admin/register/deployment/{record.pk}/change/").content.decode()
    assert "assessments-TOTAL_FORMS" in page
    assert "evidence-TOTAL_FORMS" in page


def test_researcher_records_a_request_and_links_its_answer_to_a_fact(staff_client, seed_data):
    deployment = Deployment.objects.get(force__slug="essex", tool__slug="fearless-futures")
    force = deployment.force
    data = {
        "force": force.pk,
        "reference": "FOI-2026-001",
        "other_references": "",
        "title": "Fearless Futures risk model",
        "slug": "",
        "date_received": "2026-01-05",
        "date_responded": "2026-02-02",
        "outcome": "successful",
        "request_text": "1. When did Fearless Futures start?",
        "response_text": "1. Fearless Futures started in 2019.",
        "source_url": "",
        "source_document": "",
        "requester_name": "",
        "requester_email": "",
        "categories_asked-TOTAL_FORMS": "1",
        "categories_asked-INITIAL_FORMS": "0",
        "categories_asked-0-category": "individual_risk",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-question_number": "1",
        "evidence-0-quote": "Fearless Futures started in 2019.",
        "evidence-0-deployment": deployment.pk,
        "evidence-0-field": "started",
    }
    response = staff_client.post("/admin/foi_requests/foirequest/add/", data)
    assert response.status_code == 302, [fs.formset.errors for fs in response.context["inline_admin_formsets"]] + [
        response.context["adminform"].form.errors
    ]
    created = FoiRequest.objects.get(reference="FOI-2026-001")
    assert created.slug == "essex-foi-2026-001"
    assert created.categories_asked.get().category == "individual_risk"
    assert deployment.evidence.get(source=created.source).quote == "Fearless Futures started in 2019."


def test_the_fact_a_quote_supports_is_chosen_by_its_page_label(staff_client, seed_data):
    tool = Tool.objects.get(slug="west-midlands-knife-crime-model")
    html = staff_client.get(f"/admin/register/tool/{tool.pk}/change/").content.decode()
    assert '<option value="description">What it does</option>' in html
    assert '<option value="">The record itself (that it exists)</option>' in html
    page = staff_client.get(tool.get_absolute_url()).content.decode()
    assert "<dt>What it does</dt>" in page
    # An FOI answer's passages may support any kind of record's fact: grouped by kind.
    request = FoiRequest.objects.get(reference="855A/22")
    html = staff_client.get(f"/admin/foi_requests/foirequest/{request.pk}/change/").content.decode()
    assert '<optgroup label="Deployment">' in html
    assert '<option value="started">Since</option>' in html


def test_a_fact_the_record_does_not_show_is_refused(seed_data):
    from django.core.exceptions import ValidationError

    evidence = Evidence.objects.filter(deployment__isnull=False).first()
    evidence.field = "is_published"
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "“Since”" in str(error.value)
