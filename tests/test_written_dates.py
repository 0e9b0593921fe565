"""Dates as people write them ("March 2020", "1 October 2019", "01/10/2019"):
one parser for the admin, the API and bulk import, each date kept with its precision."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from core.partial_dates import ACCEPTED_FORMS, PartialDate, parse_written_date
from register.models import Deployment

from .admin_forms import form_data
from .factories import DeploymentFactory, ForceFactory, ToolFactory, researcher_client
from .test_bulk_import import XLSX, confirm, upload

# The parser.


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2020", "2020", "year"),
        ("2020-03", "2020-03", "month"),
        ("2020-03-15", "2020-03-15", "day"),
        ("March 2020", "2020-03", "month"),
        ("Mar 2020", "2020-03", "month"),
        ("Sept 2020", "2020-09", "month"),
        ("march 2020", "2020-03", "month"),
        ("Nov 2021", "2021-11", "month"),
        ("1 October 2019", "2019-10-01", "day"),
        ("1st October 2019", "2019-10-01", "day"),
        ("October 1, 2019", "2019-10-01", "day"),
        ("01/10/2019", "2019-10-01", "day"),
        ("1/10/2019", "2019-10-01", "day"),
        ("01-10-2019", "2019-10-01", "day"),
        ("01.10.2019", "2019-10-01", "day"),
        ("29/02/2020", "2020-02-29", "day"),
        ("10/2019", "2019-10", "month"),
        ("  Nov   2021 ", "2021-11", "month"),
    ],
)
def test_each_written_form_is_read_with_its_precision(text, iso, precision):
    date = parse_written_date(text)
    assert (date.isoformat(), date.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2020", "February 2020 has no day 31"),
        ("2021-02-30", "February 2021 has no day 30"),
        ("29/02/2021", "February 2021 has no day 29"),
        ("13/13/2020", "there is no month 13"),
        ("10/31/2019", "there is no month 31"),  # month first is not the UK's order
        ("Smarch 2020", "“Smarch” is not a month"),
        ("01/10/19", "the year “19” could be in any century"),
        ("Mar 20", "the year “20” could be in any century"),
        ("0000", "year 0 is not a calendar year"),
        ("21", ""),
        ("2021-1", ""),
        ("March", ""),
        ("20 March", ""),
        ("01/10-2019", ""),
        ("", ""),
    ],
)
def test_anything_impossible_or_ambiguous_is_refused_with_the_accepted_forms(text, reason):
    with pytest.raises(ValueError) as error:
        parse_written_date(text)
    message = str(error.value)
    assert reason in message
    assert message.endswith(f"Write it as {ACCEPTED_FORMS}.")


def test_a_date_written_in_words_reads_back_as_itself():
    for date in (PartialDate(2008), PartialDate(2020, 3), PartialDate(2019, 11, 27)):
        assert parse_written_date(date.label) == date


# The admin.


def post_change(client, deployment, **changes):
    url = reverse("admin:register_deployment_change", args=[deployment.pk])
    data = form_data(client.get(url))
    data.update(change_reason="Start date from the FOI answer", **changes)
    return client.post(url, data)


@pytest.mark.django_db
def test_the_admin_shows_a_stored_date_in_words_and_says_how_to_write_one(staff_client):
    deployment = DeploymentFactory(is_published=False, started=PartialDate(2021, 11))
    response = staff_client.get(reverse("admin:register_deployment_change", args=[deployment.pk]))
    page = response.content.decode()
    assert 'name="started" value="November 2021"' in page
    assert "Nov 2021, 27 November 2019, 27/11/2019 (day first)" in page


@pytest.mark.django_db
def test_the_admin_stores_a_written_date_with_its_precision(staff_client):
    deployment = DeploymentFactory(is_published=False, status="discontinued", started=None)
    response = post_change(staff_client, deployment, started="March 2020", ended="1/10/2021")
    assert response.status_code == 302, response.context["adminform"].form.errors
    deployment.refresh_from_db()
    assert (deployment.started.isoformat(), deployment.started.precision) == ("2020-03", "month")
    assert (deployment.ended.isoformat(), deployment.ended.precision) == ("2021-10-01", "day")


@pytest.mark.django_db
def test_the_admin_refuses_an_impossible_date_listing_the_forms(staff_client):
    deployment = DeploymentFactory(is_published=False, started=PartialDate(2019))
    response = post_change(staff_client, deployment, started="31/02/2020")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["started"] == [
        f"“31/02/2020” is not a date we can read: February 2020 has no day 31. Write it as {ACCEPTED_FORMS}."
    ]
    assert 'value="31/02/2020"' in response.content.decode()  # as typed, to correct it
    deployment.refresh_from_db()
    assert deployment.started == PartialDate(2019)


# The API.


def patch(client, path: str, payload: dict):
    return client.patch(path, payload, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])


@pytest.mark.django_db
def test_the_api_accepts_written_dates_and_answers_in_iso_with_the_precision():
    ForceFactory(slug="gwent")
    ToolFactory(slug="xd")
    client = researcher_client("add_deployment", "change_deployment")
    payload = {"force": "gwent", "tool": "xd", "status": "pilot", "started": "1 October 2019"}
    response = client.post("/api/deployments/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["started"], data["started_precision"]) == ("2019-10-01", "day")
    response = patch(client, data["url"], {"started": "Mar 2020", "ended": "2021"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["started"], data["started_precision"]) == ("2020-03", "month")
    assert (data["ended"], data["ended_precision"]) == ("2021", "year")


@pytest.mark.django_db
def test_the_api_refuses_an_impossible_date_on_its_field():
    deployment = DeploymentFactory(is_published=False, started=PartialDate(2019))
    client = researcher_client("add_deployment", "change_deployment")
    path = f"/api/deployments/{deployment.pk}/"
    response = patch(client, path, {"started": "31/02/2020"})
    assert response.status_code == 400
    assert response.json() == {
        "started": [
            f"“31/02/2020” is not a date we can read: February 2020 has no day 31. Write it as {ACCEPTED_FORMS}."
        ]
    }
    response = client.post("/api/deployments/", {"force": "x", "tool": "y", "started": 2020}, format="json")
    assert response.status_code == 400
    assert "started" in response.json()  # a number is not a date written as text
    assert Deployment.objects.get().started == PartialDate(2019)


# Bulk import.


@pytest.mark.django_db
def test_a_row_with_a_written_date_imports(staff_client):
    ForceFactory(slug="kent")
    ToolFactory(slug="hotspot-map")
    content = b"force,tool,status,started,ended\nkent,hotspot-map,pilot,Nov 2021,01/10/2022\n"
    preview = upload(staff_client, "admin:register_deployment_import", content, "deployments.csv")
    assert preview.context["confirm_form"] is not None, preview.context["result"].invalid_rows
    confirm(staff_client, "admin:register_deployment_process_import", preview)
    deployment = Deployment.objects.get()
    assert (deployment.started.isoformat(), deployment.started.precision) == ("2021-11", "month")
    assert deployment.ended.isoformat() == "2022-10-01"


@pytest.mark.django_db
def test_a_row_with_an_impossible_date_is_a_bad_row_naming_the_field(staff_client):
    ForceFactory(slug="kent")
    ToolFactory(slug="hotspot-map")
    ToolFactory(slug="gang-matrix")
    content = b"force,tool,status,started\nkent,hotspot-map,pilot,2021\nkent,gang-matrix,pilot,Smarch 2021\n"
    response = upload(staff_client, "admin:register_deployment_import", content, "deployments.csv")
    assert response.context.get("confirm_form") is None
    [bad_row] = response.context["result"].invalid_rows
    assert bad_row.number == 2
    assert list(bad_row.field_specific_errors) == ["started"]
    assert "“Smarch” is not a month" in response.content.decode()
    assert not Deployment.objects.exists()


@pytest.mark.django_db
def test_a_spreadsheet_date_cell_is_refused_as_it_hides_the_precision(staff_client):
    ForceFactory(slug="kent")
    ToolFactory(slug="hotspot-map")
    book = openpyxl.Workbook()
    book.active.append(["force", "tool", "status", "started"])
    book.active.append(["kent", "hotspot-map", "pilot", datetime.datetime(2021, 11, 1)])  # shown as "Nov-21"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(staff_client, "admin:register_deployment_import", buffer.getvalue(), "d.xlsx", XLSX)
    [bad_row] = response.context["result"].invalid_rows
    assert list(bad_row.field_specific_errors) == ["started"]
    assert "enter the date as text" in response.content.decode()
    assert not Deployment.objects.exists()


# The deployment list's start filters (one FilterSet for the page and the API).


def test_the_range_rules_name_the_coarser_dates_that_sort_before_a_date():
    from django.db.models import Q

    from core.partial_dates import may_be_on_or_after, may_be_on_or_before

    day = PartialDate(2020, 3, 15)
    assert may_be_on_or_after("started", day) == Q(started__gte="2020-03-15") | Q(started__in=["2020", "2020-03"])
    assert may_be_on_or_after("started", PartialDate(2020)) == Q(started__gte="2020")
    assert may_be_on_or_before("started", PartialDate(2020, 3)) == Q(started__lte="2020-03") | Q(
        started__startswith="2020-03"
    )


STARTS = ["2019", "2020", "2020-02", "2020-03", "2020-03-15", "2020-04-01", "2021"]


def started_matching(query: str) -> list[str]:
    from rest_framework.test import APIClient

    response = APIClient().get("/api/deployments/", {**query, "page_size": 100})
    assert response.status_code == 200, response.json()
    return sorted(str(row["started"]) for row in response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A year: whole years, as before.
        ({"started_from": "2020"}, ["2020", "2020-02", "2020-03", "2020-03-15", "2020-04-01", "2021"]),
        ({"started_to": "2019"}, ["2019"]),
        # A month: "2020" may fall in or after March 2020, "2020-02" may not.
        ({"started_from": "March 2020"}, ["2020", "2020-03", "2020-03-15", "2020-04-01", "2021"]),
        ({"started_from": "Mar 2020"}, ["2020", "2020-03", "2020-03-15", "2020-04-01", "2021"]),
        ({"started_from": "2020-03"}, ["2020", "2020-03", "2020-03-15", "2020-04-01", "2021"]),
        ({"started_to": "March 2020"}, ["2019", "2020", "2020-02", "2020-03", "2020-03-15"]),
        # A day: "2020-03" may be on 15 March or after it.
        ({"started_from": "15 March 2020"}, ["2020", "2020-03", "2020-03-15", "2020-04-01", "2021"]),
        ({"started_from": "16/03/2020"}, ["2020", "2020-03", "2020-04-01", "2021"]),
        ({"started_to": "2020-03-01"}, ["2019", "2020", "2020-02", "2020-03"]),
        ({"started_to": "31 March 2020"}, ["2019", "2020", "2020-02", "2020-03", "2020-03-15"]),
        ({"started_from": "1 October 2019", "started_to": "2020-02"}, ["2019", "2020", "2020-02"]),
    ],
)
def test_the_start_filters_read_written_dates_at_their_widest(query, expected):
    for started in STARTS:
        DeploymentFactory(started=PartialDate.parse(started))
    assert started_matching(query) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "is not a date we can read"),
        ("31/02/2020", "February 2020 has no day 31"),
        ("Smarch 2020", "“Smarch” is not a month"),
        ("1066", "is out of range: write a date from 1900 to 2100"),
        ("x" * 41, "at most 40 characters"),
    ],
)
def test_a_start_filter_that_cannot_be_read_is_a_400_naming_it_and_a_message_on_the_page(client, value, reason):
    from rest_framework.test import APIClient

    DeploymentFactory(started=PartialDate(2020))
    response = APIClient().get("/api/deployments/", {"started_to": value})
    assert response.status_code == 400
    assert list(response.json()) == ["started_to"]
    assert reason in response.json()["started_to"][0]
    page = client.get("/deployments/", {"started_to": value})
    assert page.status_code == 200
    [message] = page.context["filter_errors"]
    assert message.startswith("Started in or before: ") and reason in message
    assert page.context["total"] == 1  # the rest of the page still works


@pytest.mark.django_db
def test_the_list_page_offers_the_start_filters_as_text_with_a_hint(client):
    html = client.get("/deployments/", {"started_from": "March 2020"}).content.decode()
    assert 'name="started_from" value="March 2020"' in html
    assert 'aria-describedby="filter-started_from-hint"' in html
    assert "For example 2020, March 2020 or 1/10/2019" in html
    assert 'inputmode="numeric"' not in html  # letters are needed for "March"


def test_a_percent_sign_in_a_written_date_filter_is_a_400_naming_the_filter(client, db):
    response = client.get("/api/deployments/", {"started_from": "50% of 2020"})
    assert response.status_code == 400
    assert "started_from" in response.json()
    page = client.get("/deployments/", {"started_from": "50% of 2020"})
    assert page.status_code == 200
    assert "50% of 2020" in page.content.decode()
