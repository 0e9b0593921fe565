"""Impossible facts are caught: errors where no source can say them, and
warnings the editor confirms where a real source may (`register.date_rules`)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.partial_dates import PartialDate
from foi_requests.models import FoiRequest
from register import date_rules
from register.models import Assessment, Deployment

from .admin_forms import form_data
from .factories import AssessmentFactory, DeploymentFactory, FoiRequestFactory, researcher_client

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 1)


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# The rules as plain functions.


def test_a_partial_date_is_in_the_future_only_when_all_of_it_is():
    assert date_rules.is_future(PartialDate(2027), TODAY)
    assert not date_rules.is_future(PartialDate(2026), TODAY)
    assert not date_rules.is_future(PartialDate(2026, 12), TODAY)
    assert date_rules.is_future(D(2026, 12, 2), TODAY)
    assert not date_rules.is_future(None, TODAY)


def test_deployment_rules():
    assert date_rules.deployment_errors(PartialDate(2021, 11), PartialDate(2021), TODAY) == {}
    assert "ended" in date_rules.deployment_errors(PartialDate(2021, 11), PartialDate(2020, 12), TODAY)
    assert "started" in date_rules.deployment_errors(PartialDate(2027), None, TODAY)
    assert "status" in date_rules.deployment_warnings("in_use", PartialDate(2024), TODAY)
    assert date_rules.deployment_warnings("in_use", PartialDate(2027, 3), TODAY) == {}  # a planned end
    assert date_rules.deployment_warnings("discontinued", PartialDate(2024), TODAY) == {}
    assert "ended" in date_rules.deployment_warnings("discontinued", PartialDate(2024), TODAY, assessments_after_end=2)


def test_assessment_rules():
    ended = PartialDate(2022, 3)
    assert "conducted" in date_rules.assessment_warnings(PartialDate(2022, 4, 1), ended)
    assert date_rules.assessment_warnings(PartialDate(2022), ended) == {}  # "2022" may be before March
    assert date_rules.assessment_warnings(PartialDate(2019), ended) == {}  # a DPIA before deployment
    assert date_rules.assessment_warnings(PartialDate(2023), None) == {}
    assert "conducted" in date_rules.assessment_errors(PartialDate(2027), TODAY)


def test_foi_request_rules():
    errors = date_rules.foi_request_errors(
        today=TODAY,
        date_received=D(2022, 5, 10),
        date_responded=D(2022, 6, 1),
        clarification_requested=D(2022, 5, 9),
        internal_review_requested=D(2022, 5, 30),
    )
    assert set(errors) == {"clarification_requested", "internal_review_requested"}
    errors = date_rules.foi_request_errors(
        today=TODAY,
        date_received=D(2026, 12, 2),
        date_responded=D(2026, 12, 3),
        clarification_requested=None,
        internal_review_requested=None,
    )
    assert set(errors) == {"date_received", "date_responded"}
    # No answer yet: a review requested of a late answer is not refused.
    assert not date_rules.foi_request_errors(
        today=TODAY,
        date_received=D(2022, 5, 10),
        date_responded=None,
        clarification_requested=None,
        internal_review_requested=D(2022, 7, 1),
    )


# Through the admin.


def post_change(client, record, url_name: str, **changes):
    url = reverse(url_name, args=[record.pk])
    data = form_data(client.get(url))
    data.update(change_reason="Dates from the FOI answer", **changes)
    return client.post(url, data)


def form_errors(response) -> dict:
    assert response.status_code == 200, "expected the form again, with its errors"
    return response.context["adminform"].form.errors


def test_admin_refuses_an_end_before_the_start_and_a_future_start(staff_client):
    deployment = DeploymentFactory(is_published=False, status="discontinued", started=PartialDate(2021, 11))
    url_name = "admin:register_deployment_change"
    response = post_change(staff_client, deployment, url_name, ended="2020-12")
    assert "ended" in form_errors(response)
    # Not even when confirmed: an error is not a warning.
    response = post_change(staff_client, deployment, url_name, ended="2020-12", confirm_dates="on")
    assert "ended" in form_errors(response)
    response = post_change(staff_client, deployment, url_name, started=tomorrow())
    assert "started" in form_errors(response)
    deployment.refresh_from_db()
    assert deployment.ended is None and str(deployment.started) == "2021-11"


def test_admin_asks_to_confirm_an_in_use_deployment_that_ended(staff_client):
    deployment = DeploymentFactory(is_published=False, status="in_use", started=PartialDate(2019))
    url_name = "admin:register_deployment_change"
    response = post_change(staff_client, deployment, url_name, ended="2022-03")
    errors = form_errors(response)
    assert "status" in errors
    assert "confirm these dates" in errors["status"][0]
    assert date_rules.CONFIRM_DATES_LABEL in response.content.decode()
    response = post_change(staff_client, deployment, url_name, ended="2022-03", confirm_dates="on")
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert str(deployment.ended) == "2022-03"
    # Once confirmed, an edit that leaves those dates alone is not asked again.
    response = post_change(staff_client, deployment, url_name, purpose="Hotspot mapping.")
    assert response.status_code == 302


def test_admin_asks_to_confirm_an_assessment_after_the_deployment_ended(staff_client):
    deployment = DeploymentFactory(status="discontinued", started=PartialDate(2019), ended=PartialDate(2021, 6))
    assessment = AssessmentFactory(deployment=deployment, is_published=False)
    url_name = "admin:register_assessment_change"
    response = post_change(staff_client, assessment, url_name, conducted="2021-09-14")
    assert "conducted" in form_errors(response)
    response = post_change(staff_client, assessment, url_name, conducted="2021-09-14", confirm_dates="on")
    assert response.status_code == 302
    assert str(Assessment.objects.get(pk=assessment.pk).conducted) == "2021-09-14"
    # Before the deployment started is ordinary (a DPIA comes first); after today is impossible.
    assert post_change(staff_client, assessment, url_name, conducted="2018-05").status_code == 302
    response = post_change(staff_client, assessment, url_name, conducted=tomorrow(), confirm_dates="on")
    assert "conducted" in form_errors(response)


def test_deployment_inline_asks_to_confirm_a_new_assessment_after_the_end(staff_client):
    deployment = DeploymentFactory(
        is_published=False, status="discontinued", started=PartialDate(2019), ended=PartialDate(2021, 6)
    )
    url = reverse("admin:register_deployment_change", args=[deployment.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "change_reason": "DPIA from the FOI answer",
            "assessments-TOTAL_FORMS": "1",
            "assessments-0-kind": "dpia",
            "assessments-0-result": "conducted",
            "assessments-0-conducted": "2022",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "conducted" in formset.forms[0].errors
    data["assessments-0-confirm_dates"] = "on"
    assert staff_client.post(url, data).status_code == 302
    assert str(deployment.assessments.get().conducted) == "2022"


def test_moving_an_end_before_its_assessments_asks_to_confirm(staff_client):
    deployment = DeploymentFactory(is_published=False, status="discontinued", started=PartialDate(2019))
    AssessmentFactory(deployment=deployment, conducted=PartialDate(2021, 9), sourced=True)
    url_name = "admin:register_deployment_change"
    response = post_change(staff_client, deployment, url_name, ended="2021-06")
    assert "ended" in form_errors(response)
    assert post_change(staff_client, deployment, url_name, ended="2021-06", confirm_dates="on").status_code == 302


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_received": "2022-05-10", "date_responded": "2022-05-01"}, "date_responded"),
        ({"date_received": "2022-05-10", "clarification_requested": "2022-05-01"}, "clarification_requested"),
        (
            {"date_received": "2022-05-10", "date_responded": "2022-06-01", "internal_review_requested": "2022-05-20"},
            "internal_review_requested",
        ),
        ({"date_received": "tomorrow"}, "date_received"),
        ({"date_received": "2022-05-10", "date_responded": "tomorrow"}, "date_responded"),
    ],
)
def test_admin_refuses_impossible_foi_request_dates(staff_client, changes, field):
    foi_request = FoiRequestFactory(is_published=False)
    changes = {name: tomorrow() if value == "tomorrow" else value for name, value in changes.items()}
    response = post_change(staff_client, foi_request, "admin:foi_requests_foirequest_change", **changes)
    assert field in form_errors(response)
    assert FoiRequest.objects.get(pk=foi_request.pk).date_received is None


# Through the API.


def patch(client, path: str, payload: dict):
    return client.patch(path, payload, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])


def test_api_refuses_an_end_before_the_start_and_a_future_start():
    deployment = DeploymentFactory(is_published=False, status="discontinued", started=PartialDate(2021, 11))
    client = researcher_client("change_deployment")
    path = f"/api/deployments/{deployment.pk}/"
    response = patch(client, path, {"ended": "2020-12", "confirm_dates": True})
    assert response.status_code == 400
    assert "ended" in response.json()
    response = patch(client, path, {"started": tomorrow()})
    assert response.status_code == 400
    assert "started" in response.json()


def test_api_asks_to_confirm_an_in_use_deployment_that_ended():
    deployment = DeploymentFactory(is_published=False, status="in_use", started=PartialDate(2019))
    client = researcher_client("change_deployment")
    path = f"/api/deployments/{deployment.pk}/"
    response = patch(client, path, {"ended": "2022-03"})
    assert response.status_code == 400
    assert "status" in response.json()
    response = patch(client, path, {"ended": "2022-03", "confirm_dates": True})
    assert response.status_code == 200, response.json()
    assert "confirm_dates" not in response.json()  # write-only, never stored
    assert str(Deployment.objects.get(pk=deployment.pk).ended) == "2022-03"


def test_api_asks_to_confirm_an_assessment_after_the_deployment_ended():
    deployment = DeploymentFactory(status="discontinued", started=PartialDate(2019), ended=PartialDate(2021, 6))
    client = researcher_client("add_assessment", "change_assessment")
    payload = {"deployment": deployment.pk, "kind": "dpia", "result": "conducted", "conducted": "2021-09-14"}
    response = client.post("/api/assessments/", payload, format="json")
    assert response.status_code == 400
    assert "conducted" in response.json()
    response = client.post("/api/assessments/", {**payload, "confirm_dates": True}, format="json")
    assert response.status_code == 201, response.json()
    path = response.json()["url"]
    # Other edits do not ask again; a date after today is refused, confirmed or not.
    assert patch(client, path, {"summary": "A retrospective DPIA."}).status_code == 200
    response = patch(client, path, {"conducted": tomorrow(), "confirm_dates": True})
    assert response.status_code == 400
    assert "conducted" in response.json()
    # A DPIA before the deployment started needs no confirmation.
    response = client.post("/api/assessments/", {**payload, "kind": "equality", "conducted": "2018"}, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date_received": "2022-05-10", "date_responded": "2022-05-01"}, "date_responded"),
        ({"date_received": "2022-05-10", "clarification_requested": "2022-05-01"}, "clarification_requested"),
        (
            {"date_received": "2022-05-10", "date_responded": "2022-06-01", "internal_review_requested": "2022-05-20"},
            "internal_review_requested",
        ),
        ({"date_received": "tomorrow"}, "date_received"),
    ],
)
def test_api_refuses_impossible_foi_request_dates(payload, field):
    foi_request = FoiRequestFactory(is_published=False)
    client = researcher_client("change_foirequest")
    payload = {name: tomorrow() if value == "tomorrow" else value for name, value in payload.items()}
    response = patch(client, f"/api/foi-requests/{foi_request.slug}/", payload)
    assert response.status_code == 400
    assert field in response.json()


def test_the_schema_documents_the_confirmation():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "confirm_dates" in text
    assert date_rules.CONFIRM_DATES_LABEL in text
