"""The lists' data files (CSV, JSON Lines, evidence in long form) and the deployments as
ATRS records: exactly the rows the page's filters select, all of them, published only."""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.caching import bump_data_version
from core.downloads import NOT_DISCLOSED, csv_cell, download_name
from register.atrs import ATRS_COLUMNS, atrs_row
from register.models import AssessmentKind, AssessmentResult, DeploymentStatus, Technique, ToolCategory
from tests.factories import (
    AssessmentFactory,
    DeploymentFactory,
    EvidenceFactory,
    FoiRequestFactory,
    ForceFactory,
    SupplierFactory,
    ToolFactory,
    cite_every_fact,
)


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(body(response))))


def lines_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in body(response).splitlines()]


def page_ids(client, url: str, name: str) -> list[int]:
    response = client.get(url)
    assert response.context["paginator"].count <= 50
    return [record.pk for record in response.context[name]]


# ---- Plain functions ----------------------------------------------------------------------------


def test_file_names_carry_the_register_the_list_and_the_day():
    assert (
        download_name("deployments", "csv", datetime.date(2026, 12, 2))
        == "police-algorithmic-tools-register_deployments_2026-12-02.csv"
    )


def test_a_missing_date_is_not_an_empty_cell():
    assert csv_cell(None, is_date=True) == NOT_DISCLOSED == "Not disclosed"
    assert csv_cell(None) == ""
    assert csv_cell("2018", is_date=True) == "2018"


# ---- Deployments ----------------------------------------------------------------------------------


@pytest.fixture
def deployments(db):
    """Three published deployments with dates at three precisions (and none), one draft."""
    year = DeploymentFactory(
        started="2018", status=DeploymentStatus.IN_USE, tool__category=ToolCategory.MAPPING, tool__name="Alpha map"
    )
    month = DeploymentFactory(started="2020-03", ended="2021", status=DeploymentStatus.DISCONTINUED, tool__name="Beta")
    unknown = DeploymentFactory(started=None, status=DeploymentStatus.PILOT, tool__name="Gamma")
    AssessmentFactory(deployment=year, kind=AssessmentKind.DPIA, conducted="2019-11")
    AssessmentFactory(deployment=year, kind=AssessmentKind.EQUALITY, result=AssessmentResult.NOT_CONDUCTED)
    AssessmentFactory(deployment=month, kind=AssessmentKind.DPIA, conducted="2017", is_published=False)
    draft = DeploymentFactory(is_published=False, tool__name="Secret draft")
    return {"year": year, "month": month, "unknown": unknown, "draft": draft}


def test_deployments_csv_has_labels_beside_codes_dates_as_text_and_a_column_per_safeguard(client, deployments):
    response = client.get("/deployments/data.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="police-algorithmic-tools-register_deployments_\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = {row["tool_name"]: row for row in csv_of(response)}
    assert set(rows) == {"Alpha map", "Beta", "Gamma"}  # never the draft
    alpha, beta, gamma = rows["Alpha map"], rows["Beta"], rows["Gamma"]
    assert (alpha["status"], alpha["status_label"]) == ("in_use", "In use")
    assert (alpha["category"], alpha["category_label"]) == ("mapping", "Crime or hotspot mapping")
    assert (alpha["started"], alpha["started_precision"]) == ("2018", "year")
    assert (beta["started"], beta["started_precision"], beta["ended"]) == ("2020-03", "month", "2021")
    assert (gamma["started"], gamma["started_precision"]) == ("Not disclosed", "")
    assert alpha["ended"] == "Not disclosed"
    # One column per kind of safeguard: its state, its label and its date.
    assert (alpha["dpia_state"], alpha["dpia_state_label"]) == ("conducted", "Conducted")
    assert (alpha["dpia_date"], alpha["dpia_date_precision"]) == ("2019-11", "month")
    assert alpha["equality_state"] == "not_conducted"
    assert alpha["equality_date"] == "Not disclosed"
    # A draft assessment gives no state and no date.
    assert beta["dpia_state"] in ("never_asked", "not_answered")
    assert beta["dpia_date"] == "Not disclosed"
    assert "assessments" not in alpha  # no squashed cell
    # No cell a spreadsheet would read as a number with a fraction ("2018.0").
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for row in rows.values() for cell in row.values())


def test_pandas_reads_the_dates_as_text(client, deployments):
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(body(client.get("/deployments/data.csv"))))
    for column in ("started", "ended", "dpia_date"):
        assert frame[column].dtype == object
    assert set(frame["started"]) == {"2018", "2020-03", "Not disclosed"}


def test_data_files_hold_exactly_the_rows_the_page_selects(client, deployments):
    query = "?status=in_use&status=pilot&ordering=-tool"
    shown = page_ids(client, f"/deployments/{query}", "deployments")
    assert len(shown) == 2
    assert [int(row["id"]) for row in csv_of(client.get(f"/deployments/data.csv{query}"))] == shown
    assert [line["id"] for line in lines_of(client.get(f"/deployments/data.jsonl{query}"))] == shown


def test_json_lines_one_record_a_line_with_nulls_for_what_is_unknown(client, deployments):
    response = client.get("/deployments/data.jsonl")
    assert re.search(r'_deployments_\d{4}-\d{2}-\d{2}\.jsonl"$', response["Content-Disposition"])
    lines = {line["tool_name"]: line for line in lines_of(response)}
    assert lines["Gamma"]["started"] is None
    assert lines["Alpha map"]["started"] == "2018"
    assert lines["Alpha map"]["status_label"] == "In use"


def test_every_row_not_one_page(client, db):
    for _ in range(55):
        DeploymentFactory()
    assert client.get("/deployments/").context["paginator"].count == 55
    assert len(csv_of(client.get("/deployments/data.csv"))) == 55
    assert len(lines_of(client.get("/deployments/data.jsonl"))) == 55


def test_a_filter_value_that_cannot_be_read_is_a_400_naming_it(client, db):
    response = client.get("/deployments/data.csv?category=teleportation&started_from=abc")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"category", "started_from"}


def test_the_page_links_to_its_data_files_with_its_filters(client, deployments):
    response = client.get("/deployments/?status=pilot&page=1&ordering=force")
    links = {link["format"]: link["url"] for link in response.context["download_links"]}
    assert links["data.csv"] == "/deployments/data.csv?status=pilot&ordering=force"
    assert links["data.jsonl"] == "/deployments/data.jsonl?status=pilot&ordering=force"
    assert links["evidence.csv"] == "/deployments/evidence.csv?status=pilot&ordering=force"
    assert links["atrs.csv"] == "/deployments/atrs.csv?status=pilot&ordering=force"
    html = response.content.decode()
    assert 'href="/deployments/data.csv?status=pilot&amp;ordering=force"' in html


# ---- Evidence in long form -----------------------------------------------------------------------


def test_evidence_file_has_one_row_per_published_quote_of_the_selected_rows(client, db):
    answer = FoiRequestFactory(
        reference="XY/123/24",
        response_text="We use the tool since 2019. A DPIA was completed.",
        date_responded=datetime.date(2024, 5, 2),
    )
    deployment = DeploymentFactory(tool__name="Chosen tool", status=DeploymentStatus.PILOT)
    EvidenceFactory(deployment=deployment, foi_request=answer, quote="We use the tool since 2019.", field="status")
    assessment = AssessmentFactory(deployment=deployment, conducted=None)
    EvidenceFactory(
        assessment=assessment, deployment=None, foi_request=answer, quote="A DPIA was completed.", field="result"
    )
    EvidenceFactory(deployment=deployment, foi_request__is_published=False, quote="No information held.")
    other = DeploymentFactory(tool__name="Other tool", status=DeploymentStatus.IN_USE)
    EvidenceFactory(deployment=other, quote="No information held.")
    draft = DeploymentFactory(is_published=False, status=DeploymentStatus.PILOT)
    EvidenceFactory(deployment=draft, quote="No information held.")

    response = client.get("/deployments/evidence.csv?status=pilot")
    assert "_deployments-evidence_" in response["Content-Disposition"]
    rows = csv_of(response)
    assert [(row["record_kind"], row["fact"], row["quote"]) for row in rows] == [
        ("deployment", "status", "We use the tool since 2019."),
        ("assessment", "result", "A DPIA was completed."),
    ]
    first = rows[0]
    assert first["record"] == str(deployment)
    assert first["record_url"] == f"http://testserver{deployment.get_absolute_url()}"
    assert first["fact_label"] == "Status"
    assert first["question_number"] == "1"
    assert first["source"] == "FOI XY/123/24"
    assert first["source_kind"] == "foi_answer"
    assert first["source_date"] == "2024-05-02"
    assert first["source_url"].startswith("http://testserver/foi-requests/")
    assert "#quote-" in first["source_url"]


@pytest.mark.parametrize("path", ["/tools/evidence.csv", "/forces/evidence.csv", "/foi-requests/evidence.csv"])
def test_every_list_has_its_evidence_file(client, db, path):
    answer = FoiRequestFactory(response_text="The force uses the model.")
    deployment = DeploymentFactory()
    EvidenceFactory(deployment=deployment, foi_request=answer, quote="The force uses the model.")
    rows = csv_of(client.get(path))
    assert "The force uses the model." in [row["quote"] for row in rows]
    assert all(row["quote"] != "" for row in rows)


def test_evidence_of_a_filtered_list_is_of_its_rows_only(client, db):
    kept = FoiRequestFactory(outcome="refused", response_text="Refused: cost limit.")
    EvidenceFactory(foi_request=kept, quote="Refused: cost limit.")
    EvidenceFactory(foi_request=FoiRequestFactory(outcome="successful"), quote="No information held.")
    rows = csv_of(client.get("/foi-requests/evidence.csv?outcome=refused"))
    assert [row["quote"] for row in rows] == ["Refused: cost limit."]


# ---- Other lists ----------------------------------------------------------------------------------


def test_tools_forces_suppliers_and_foi_requests_data_files(client, db):
    tool = ToolFactory(name="Labelled tool", technique=Technique.MACHINE_LEARNING, supplier=SupplierFactory())
    ToolFactory(name="Draft tool", is_published=False)
    rows = csv_of(client.get("/tools/data.csv?technique=machine_learning"))
    assert [row["name"] for row in rows] == ["Labelled tool"]
    assert (rows[0]["technique"], rows[0]["technique_label"]) == ("machine_learning", "Machine learning")
    assert rows[0]["category_label"] == tool.get_category_display()

    ForceFactory(name="Zedshire Police", slug="zedshire")
    forces = lines_of(client.get("/forces/data.jsonl?search=zedshire"))
    assert [force["slug"] for force in forces] == ["zedshire"]
    assert forces[0]["nation_label"] == "England"

    FoiRequestFactory(reference="AB/1/24", date_received=datetime.date(2024, 1, 3), outcome="refused")
    FoiRequestFactory(reference="AB/2/24", is_published=False)
    requests = csv_of(client.get("/foi-requests/data.csv"))
    assert [row["reference"] for row in requests] == ["AB/1/24"]
    assert (requests[0]["outcome"], requests[0]["outcome_label"]) == ("refused", "Refused")
    assert requests[0]["date_received"] == "2024-01-03"
    assert requests[0]["date_responded"] == "Not disclosed"

    suppliers = csv_of(client.get("/suppliers/data.csv"))
    assert tool.supplier.slug in [row["slug"] for row in suppliers]


def count_queries(client, url: str) -> int:
    bump_data_version()  # not from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        body(response)
    return len(queries)


DATA_FILES = (
    "/deployments/data.csv",
    "/deployments/data.jsonl",
    "/deployments/evidence.csv",
    "/deployments/atrs.csv",
    "/deployments/atrs.jsonl",
    "/tools/data.csv",
    "/tools/evidence.csv",
    "/forces/data.csv",
    "/forces/evidence.csv",
    "/suppliers/data.csv",
    "/suppliers/evidence.csv",
    "/foi-requests/data.csv",
    "/foi-requests/evidence.csv",
)


def test_a_fixed_number_of_queries_whatever_the_rows(client, db, django_assert_max_num_queries):
    """A fixed number of queries a chunk of rows, never one a row: 2 rows and 50 cost the same."""

    def make(count: int) -> None:
        answer = FoiRequestFactory()
        for _ in range(count):
            deployment = DeploymentFactory(tool__supplier=SupplierFactory())
            cite_every_fact(deployment, answer)
            assessment = AssessmentFactory(deployment=deployment)
            EvidenceFactory(assessment=assessment, deployment=None, foi_request=answer, field="result")
            EvidenceFactory(tool=deployment.tool, deployment=None, foi_request=answer, field="description")

    make(2)
    few = {url: count_queries(client, url) for url in DATA_FILES}
    make(48)
    for url in DATA_FILES:
        with django_assert_max_num_queries(few[url]):
            assert count_queries(client, url) == few[url], url


# ---- ATRS --------------------------------------------------------------------------------------------


@pytest.fixture
def atrs_deployment(db):
    answer = FoiRequestFactory(
        response_text="The force uses the tool to map burglary hotspots. A DPIA was completed in March 2020."
    )
    deployment = DeploymentFactory(
        tool__name="Hotspot mapper",
        tool__description="Maps where burglaries cluster.",
        force__name="Exampleshire Police",
        status=DeploymentStatus.IN_USE,
        started="2019",
        purpose="To map burglary hotspots.",
        training="Two days of training.",  # no quote supports it: not disclosed
    )
    cite_every_fact(deployment.tool, answer)
    EvidenceFactory(deployment=deployment, foi_request=answer, field="status", quote="The force uses the tool")
    EvidenceFactory(deployment=deployment, foi_request=answer, field="started", quote="The force uses the tool")
    EvidenceFactory(deployment=deployment, foi_request=answer, field="purpose", quote="to map burglary hotspots")
    dpia = AssessmentFactory(deployment=deployment, kind=AssessmentKind.DPIA, conducted="2020-03")
    EvidenceFactory(
        assessment=dpia, deployment=None, foi_request=answer, field="conducted", quote="A DPIA was completed"
    )
    return deployment


def test_one_deployment_as_an_atrs_record(client, atrs_deployment):
    url = f"{atrs_deployment.get_absolute_url()}atrs.json"
    response = client.get(url)
    assert response.status_code == 200
    assert "_atrs_" in response["Content-Disposition"]
    record = response.json()
    tier_1, tier_2 = record["tier_1"], record["tier_2"]
    assert record["metadata"]["standard_version"] == "3.0"
    assert tier_1["name"] == "Hotspot mapper"
    assert tier_1["organisation"] == "Exampleshire Police"
    assert tier_1["phase"] == "Production"
    assert tier_1["description"] == "Maps where burglaries cluster."
    assert tier_1["contact_email"] == "Not disclosed"
    assert tier_2["description_and_rationale"]["scope"] == "To map burglary hotspots."
    assert tier_2["decision_making_process"]["required_training"] == "Not disclosed"  # unsourced
    assert tier_2["tool_specification"]["phase_date_started"] == "2019"
    assessments = tier_2["risks_mitigations_and_impact_assessments"]["impact_assessments"]
    dpia = next(item for item in assessments if item["assessment_title"] == "Data Protection Impact Assessment")
    assert (dpia["assessment_status"], dpia["assessment_date"]) == ("Conducted", "2020-03")
    assert len(assessments) == 6
    assert list(atrs_row(record)) == list(ATRS_COLUMNS)

    page = client.get(atrs_deployment.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page


def test_one_deployment_as_an_atrs_csv(client, atrs_deployment):
    response = client.get(f"{atrs_deployment.get_absolute_url()}atrs.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert list(rows[0]) == list(ATRS_COLUMNS)
    assert rows[0]["tier_1.phase"] == "Production"
    assert rows[0]["tier_2.risks_mitigations_and_impact_assessments.dpia.assessment_date"] == "2020-03"


def test_atrs_in_bulk_filtered_by_the_deployments_filters(client, atrs_deployment):
    DeploymentFactory(status=DeploymentStatus.PILOT, tool__name="Piloted")
    rows = csv_of(client.get("/deployments/atrs.csv?status=in_use"))
    assert [row["tier_1.name"] for row in rows] == ["Hotspot mapper"]
    records = lines_of(client.get("/deployments/atrs.jsonl"))  # whole records, nested
    assert {record["tier_1"]["name"] for record in records} == {"Hotspot mapper", "Piloted"}


def test_drafts_never_leak_into_atrs(client, db):
    draft = DeploymentFactory(is_published=False, tool__name="Draft tool")
    under_draft_force = DeploymentFactory(force__is_published=False, tool__name="Hidden force's tool")
    assert client.get(f"/deployments/{draft.force.slug}/{draft.tool.slug}/atrs.json").status_code == 404
    slug = f"/deployments/{under_draft_force.force.slug}/{under_draft_force.tool.slug}/atrs.csv"
    assert client.get(slug).status_code == 404
    assert csv_of(client.get("/deployments/atrs.csv")) == []


def test_a_draft_assessment_is_not_in_the_atrs_record(client, db):
    deployment = DeploymentFactory(sourced=True)
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.BIAS_TESTING, is_published=False, sourced=True)
    record = client.get(f"{deployment.get_absolute_url()}atrs.json").json()
    bias = record["tier_2"]["risks_mitigations_and_impact_assessments"]["impact_assessments"][-1]
    assert bias["assessment_title"] == "Bias testing"
    assert bias["assessment_status"] != "Conducted"
