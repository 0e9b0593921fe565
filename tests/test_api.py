"""The REST API as programs use it: resources, filters, formats, writes, caching."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from foi_requests.models import FoiRequest
from register.models import (
    Assessment,
    AssessmentKind,
    Deployment,
    DeploymentStatus,
    Force,
    Question,
    QuestionCategory,
    QuestionSafeguard,
    Tool,
)

from .factories import (
    AssessmentFactory,
    CategoryAskedFactory,
    DeploymentFactory,
    EvidenceFactory,
    ExemptionFactory,
    FoiRequestFactory,
    ForceFactory,
    SupplierFactory,
    ToolFactory,
    UserFactory,
    researcher_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The anonymous rate limit counts requests in the cache; each test starts afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def make_one(resource: str):
    """One published record of each resource, and the path to its detail."""
    if resource == "forces":
        force = ForceFactory()
        return force, f"/api/forces/{force.slug}/"
    if resource == "suppliers":
        supplier = SupplierFactory()
        return supplier, f"/api/suppliers/{supplier.slug}/"
    if resource == "tools":
        tool = ToolFactory()
        return tool, f"/api/tools/{tool.slug}/"
    if resource == "deployments":
        deployment = DeploymentFactory(started="2021-11")
        return deployment, f"/api/deployments/{deployment.pk}/"
    if resource == "assessments":
        assessment = AssessmentFactory()
        return assessment, f"/api/assessments/{assessment.pk}/"
    if resource == "foi-requests":
        foi_request = FoiRequestFactory()
        return foi_request, f"/api/foi-requests/{foi_request.slug}/"
    exemption = ExemptionFactory()
    return exemption, "/api/exemptions/FOIA-12(1)/"


RESOURCES = ["forces", "suppliers", "tools", "deployments", "assessments", "foi-requests", "exemptions"]
RECORD_RESOURCES = RESOURCES[:-1]


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_and_detail(api, resource):
    _record, path = make_one(resource)
    listing = api.get(f"/api/{resource}/")
    assert listing.status_code == 200
    data = listing.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] >= 1
    detail = api.get(path)
    assert detail.status_code == 200
    assert detail.json()["url"].endswith(path)
    assert detail.json() in data["results"]


def test_deployment_carries_force_tool_dates_assessments_and_evidence(api):
    deployment = DeploymentFactory(
        force=ForceFactory(slug="lancashire", name="Lancashire Constabulary"), started="2021-11", ended="2023"
    )
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.DPIA, conducted="2019-11-27")
    evidence = EvidenceFactory(deployment=deployment, question_number="1g", quote="Used since November 2021.")
    data = api.get(f"/api/deployments/{deployment.pk}/").json()
    assert data["force"] == "lancashire"
    assert data["force_name"] == "Lancashire Constabulary"
    assert data["tool"] == deployment.tool.slug
    assert (data["started"], data["started_precision"]) == ("2021-11", "month")
    assert (data["ended"], data["ended_precision"]) == ("2023", "year")
    assert data["assessments"][0]["kind"] == "dpia"
    assert (data["assessments"][0]["conducted"], data["assessments"][0]["conducted_precision"]) == (
        "2019-11-27",
        "day",
    )
    assert data["evidence"][0]["quote"] == "Used since November 2021."
    assert data["evidence"][0]["question_number"] == "1g"
    assert data["evidence"][0]["foi_request"] == evidence.source.foi_request.slug
    assert data["evidence"][0]["source_url"].endswith(f"/foi-requests/{evidence.source.foi_request.slug}/")


def test_foi_request_carries_authority_references_outcome_exemptions_and_no_requester(api):
    foi_request = FoiRequestFactory(
        reference="DPO/FOI/002128/22",
        other_references="FOI 16495, 2022/123",
        date_received=datetime.date(2022, 6, 29),
        date_responded=datetime.date(2022, 10, 6),
        requester_name="Jane Doe",
        requester_email="jane.doe@example.com",
        response_text="Dear Jane Doe, write to jane.doe@example.com or foi@lancashire.police.uk.",
    )
    foi_request.exemptions.add(ExemptionFactory())
    CategoryAskedFactory(foi_request=foi_request)
    response = api.get(f"/api/foi-requests/{foi_request.slug}/")
    data = response.json()
    assert data["references"] == ["DPO/FOI/002128/22", "FOI 16495", "2022/123"]
    assert (data["date_received"], data["date_responded"]) == ("2022-06-29", "2022-10-06")
    assert data["exemptions"][0]["code"] == "FOIA-12(1)"
    assert data["categories_asked"] == ["individual_risk"]
    assert "requester_name" not in data and "requester_email" not in data
    assert b"Jane" not in response.content and b"jane.doe" not in response.content
    assert "foi@lancashire.police.uk" in data["response_text"]
    assert b"Jane" not in body(api.get("/api/foi-requests/?format=csv"))
    assert b"Jane" not in body(api.get("/api/dump/"))


# Filtering and ordering, through the same FilterSets as the HTML lists.


def test_deployment_filters(api):
    gwent = ForceFactory(slug="gwent")
    # A name unlike the other tool's: on PostgreSQL, search also finds near-misspelt names.
    mapping = ToolFactory(category="mapping", name="Hotspot Mapper")
    DeploymentFactory(force=gwent, tool=mapping, status=DeploymentStatus.PILOT, started="2019")
    DeploymentFactory(started="2022-03")
    assert api.get("/api/deployments/?force=gwent").json()["count"] == 1
    assert api.get("/api/deployments/?category=mapping").json()["count"] == 1
    assert api.get("/api/deployments/?status=pilot&status=in_use").json()["count"] == 2
    assert api.get("/api/deployments/?started_from=2020").json()["count"] == 1
    assert api.get("/api/deployments/?started_to=2020").json()["count"] == 1
    assert api.get(f"/api/deployments/?search={mapping.name}").json()["count"] == 1


def test_has_assessment_filter(api):
    AssessmentFactory(kind=AssessmentKind.DPIA)
    AssessmentFactory(kind=AssessmentKind.DPIA, result="not_conducted")
    DeploymentFactory()  # never asked: neither yes nor no (tests/test_safeguard_states.py)
    assert api.get("/api/deployments/?has_dpia=true").json()["count"] == 1
    assert api.get("/api/deployments/?has_dpia=false").json()["count"] == 1


def test_tool_supplier_force_and_assessment_filters(api):
    supplier = SupplierFactory(slug="qlik")
    tool = ToolFactory(supplier=supplier)
    DeploymentFactory(tool=tool, force=ForceFactory(slug="essex"))
    AssessmentFactory(deployment=Deployment.objects.get(tool=tool), kind=AssessmentKind.EQUALITY)
    ToolFactory()
    assert [row["slug"] for row in api.get("/api/tools/?supplier=qlik").json()["results"]] == [tool.slug]
    assert [row["slug"] for row in api.get("/api/tools/?force=essex").json()["results"]] == [tool.slug]
    assert api.get("/api/assessments/?kind=equality&force=essex").json()["count"] == 1
    assert api.get("/api/suppliers/?search=qlik").json()["count"] == 0
    assert api.get("/api/forces/?nation=england&search=essex").json()["count"] == 1


def test_foi_request_filters_exemption_by_code_or_id(api):
    cost_limit = ExemptionFactory()
    refused = FoiRequestFactory(outcome="refused")
    refused.exemptions.add(cost_limit)
    FoiRequestFactory()
    for value in ("FOIA-12(1)", "foia-12(1)", str(cost_limit.pk)):
        results = api.get("/api/foi-requests/", {"exemption": value}).json()["results"]
        assert [row["slug"] for row in results] == [refused.slug]
    assert api.get("/api/foi-requests/?outcome=refused").json()["count"] == 1
    assert api.get("/api/exemptions/?act=FOIA").json()["count"] == 1


@pytest.mark.parametrize(
    ("resource", "ordering", "key"),
    [
        ("forces", "-name", "name"),
        ("tools", "name", "name"),
        ("suppliers", "-name", "name"),
        ("deployments", "-force", "force_name"),
        ("assessments", "kind", "kind"),
        ("foi-requests", "reference", "reference"),
        ("exemptions", "-section", "section"),
    ],
)
def test_ordering(api, resource, ordering, key):
    if resource == "exemptions":
        ExemptionFactory(section="40(2)", name="Personal information")
        ExemptionFactory()
    else:
        for _ in range(3):
            make_one(resource)
        if resource == "assessments":
            AssessmentFactory(kind=AssessmentKind.BIAS_TESTING)
    values = [row[key] for row in api.get(f"/api/{resource}/?ordering={ordering}").json()["results"]]
    assert values == sorted(values, reverse=ordering.startswith("-"))
    assert len(values) >= 2


@pytest.mark.parametrize("resource", RECORD_RESOURCES)
def test_modified_after(api, resource):
    old, old_path = make_one(resource)
    _new, new_path = make_one(resource)
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    type(old).objects.filter(pk=old.pk).update(updated_at=a_year_ago)
    since = (a_year_ago + datetime.timedelta(days=1)).isoformat()
    urls = [row["url"] for row in api.get(f"/api/{resource}/", {"modified_after": since}).json()["results"]]
    assert [url for url in urls if url.endswith(old_path)] == []
    assert [url for url in urls if url.endswith(new_path)] != []
    everything = [row["url"] for row in api.get(f"/api/{resource}/").json()["results"]]
    assert any(url.endswith(old_path) for url in everything)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/deployments/?started_from=notayear", "started_from"),
        ("/api/deployments/?started_to=1066", "started_to"),
        ("/api/deployments/?category=nonsense", "category"),
        ("/api/deployments/?force=no-such-force", "force"),
        ("/api/deployments/?has_dpia=maybe", "has_dpia"),
        ("/api/deployments/?ordering=nonsense", "ordering"),
        ("/api/tools/?supplier=no-such-supplier", "supplier"),
        ("/api/forces/?nation=atlantis", "nation"),
        ("/api/forces/?modified_after=yesterday", "modified_after"),
        ("/api/suppliers/?in_house=perhaps", "in_house"),
        ("/api/assessments/?result=great", "result"),
        ("/api/foi-requests/?received_after=notadate", "received_after"),
        ("/api/foi-requests/?exemption=FOIA-99", "exemption"),
        ("/api/foi-requests/?exemption=XYZ-12(1)", "exemption"),
        ("/api/exemptions/?act=GDPR", "act"),
        ("/api/forces/?page=abc", "page"),
        ("/api/forces/?page=0", "page"),
        ("/api/forces/?page_size=100000", "page_size"),
        ("/api/forces/?page_size=none", "page_size"),
        ("/api/forces/?format=csv&nation=atlantis", "nation"),
    ],
)
def test_a_filter_that_cannot_be_understood_is_a_400_naming_it(api, path, parameter):
    ForceFactory()
    response = api.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [parameter]
    assert response.json()[parameter][0]


def test_page_past_the_end_is_a_404(api):
    assert api.get("/api/forces/?page=5").status_code == 404


def test_page_size_up_to_the_maximum(api):
    for _ in range(3):
        ForceFactory()
    data = api.get("/api/forces/?page_size=2").json()
    assert len(data["results"]) == 2
    assert data["next"].endswith("page=2&page_size=2")
    assert api.get("/api/forces/?page_size=500").status_code == 200


# CSV and the dump.


@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_is_the_same_rows_flattened(api, resource):
    make_one(resource)
    response = api.get(f"/api/{resource}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    results = api.get(f"/api/{resource}/").json()["results"]
    assert len(rows) == len(results)
    assert list(rows[0]) == list(results[0])


def test_csv_of_a_list_streams_every_filtered_row_not_a_page(api):
    for _ in range(60):
        DeploymentFactory(status=DeploymentStatus.PILOT)
    DeploymentFactory(status=DeploymentStatus.IN_USE)
    response = api.get("/api/deployments/?format=csv&status=pilot")
    assert response.streaming
    rows = csv_rows(response)
    assert len(rows) == 60
    assert {row["status"] for row in rows} == {"pilot"}
    assert len(csv_rows(api.get("/api/deployments/?format=csv&status=pilot&page=2&page_size=25"))) == 25


def test_csv_flattens_nested_lists_into_one_cell(api):
    deployment = DeploymentFactory()
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.DPIA)
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.EQUALITY, result="not_conducted")
    [row] = csv_rows(api.get(f"/api/deployments/?format=csv&tool={deployment.tool.slug}"))
    assert row["assessments"] == "dpia: conducted; equality: not_conducted"
    assert row["force"] == deployment.force.slug


def flattened(row: dict) -> dict:
    """A JSON row as its CSV row shows it."""
    from core.renderers import flatten_value
    from register.serializers import DeploymentSerializer

    summaries = DeploymentSerializer.Meta.csv_summaries
    return {name: flatten_value(value, summaries.get(name)) for name, value in row.items()}


@pytest.mark.parametrize("as_researcher", [False, True])
def test_csv_of_deployments_is_the_json_cell_for_cell(api, as_researcher, monkeypatch):
    """The export reads the database directly (register.csv_export): its rows must be the JSON ones."""
    monkeypatch.setattr("register.csv_export.CHUNK_SIZE", 2)  # rows from several chunks, in order
    deployment = DeploymentFactory(started="2019-11-27", ended="2021", purpose='Hotspots, "with" commas\nand lines')
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.EQUALITY, result="not_conducted")
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.DPIA, conducted="2020-03")
    AssessmentFactory(deployment=deployment, kind=AssessmentKind.BIAS_TESTING, is_published=False)
    EvidenceFactory(deployment=deployment, question_number="2")
    EvidenceFactory(deployment=deployment, foi_request__reference="", foi_request__title="Hotspot mapping")
    EvidenceFactory(
        deployment=deployment, foi_request=None, document_title="", document_url="https://example.org/r.pdf"
    )
    EvidenceFactory(deployment=deployment, foi_request__is_published=False)
    DeploymentFactory(started=None, tool__name="A tool without safeguards")
    DeploymentFactory(is_published=False)
    client = researcher_client("view_deployment") if as_researcher else api
    for query in ("&ordering=-started", "&status=in_use", "&search=hotspots", "&has_dpia=true", ""):
        results = client.get(f"/api/deployments/?page_size=500{query}").json()["results"]
        rows = csv_rows(client.get(f"/api/deployments/?format=csv{query}"))
        assert rows == [flattened(row) for row in results]
    assert len(rows) == (3 if as_researcher else 2)
    with_safeguards = next(row for row in rows if row["id"] == str(deployment.pk))
    assert with_safeguards["assessments"].count(":") == (3 if as_researcher else 2)
    # Each FOI answer cited with its question ("FOI/00012/22, question 2"; "FOI" never doubled).
    assert with_safeguards["evidence"].count(", question ") == (3 if as_researcher else 2)
    assert "FOI FOI" not in with_safeguards["evidence"]


def test_csv_of_a_detail(api):
    tool = ToolFactory()
    [row] = csv_rows(api.get(f"/api/tools/{tool.slug}/?format=csv"))
    assert row["slug"] == tool.slug


def test_dump_holds_the_published_register_and_its_licence(api):
    deployment = DeploymentFactory()
    AssessmentFactory(deployment=deployment)
    FoiRequestFactory().exemptions.add(ExemptionFactory())
    DeploymentFactory(is_published=False, tool=ToolFactory(slug="secret-draft-tool", is_published=False))
    response = api.get("/api/dump/")
    assert response.status_code == 200
    assert response.streaming
    data = json.loads(body(response))
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["api_version"] == "1"
    assert [row["id"] for row in data["deployments"]] == [deployment.pk]
    assert len(data["assessments"]) == 1
    assert len(data["foi_requests"]) == 1
    assert data["exemptions"][0]["code"] == "FOIA-12(1)"
    assert "secret-draft-tool" not in body(response).decode() + json.dumps(data)


def test_dump_of_the_seed_data(api, seed_data):
    data = json.loads(body(api.get("/api/dump/")))
    assert len(data["forces"]) == Force.objects.published().count()
    assert len(data["tools"]) == Tool.objects.published().count()
    assert len(data["deployments"]) == Deployment.objects.published().count()
    assert len(data["foi_requests"]) == FoiRequest.objects.published().count()


# Drafts.


@pytest.mark.parametrize("resource", RECORD_RESOURCES)
def test_drafts_are_absent_for_the_public_and_shown_to_researchers(api, resource):
    record, path = make_one(resource)
    type(record).objects.filter(pk=record.pk).update(is_published=False)
    assert api.get(f"/api/{resource}/").json()["count"] == 0
    assert api.get(path).status_code == 404
    assert csv_rows(api.get(f"/api/{resource}/?format=csv")) == []
    model_name = type(record)._meta.model_name
    researcher = researcher_client(f"view_{model_name}")
    assert researcher.get(f"/api/{resource}/").json()["count"] == 1
    assert researcher.get(path).json()["is_published"] is False
    unprivileged = researcher_client()
    assert unprivileged.get(path).status_code == 404


def test_a_published_deployment_of_a_draft_tool_is_not_public(api):
    deployment = DeploymentFactory(tool=ToolFactory(is_published=False))
    assert api.get(f"/api/deployments/{deployment.pk}/").status_code == 404
    assert api.get("/api/deployments/").json()["count"] == 0


def test_draft_assessments_and_evidence_of_unpublished_requests_are_not_embedded(api):
    deployment = DeploymentFactory()
    AssessmentFactory(deployment=deployment, is_published=False)
    EvidenceFactory(deployment=deployment, foi_request=FoiRequestFactory(is_published=False))
    data = api.get(f"/api/deployments/{deployment.pk}/").json()
    assert data["assessments"] == []
    assert data["evidence"] == []


# Writes.


def test_anonymous_writes_get_401(api):
    deployment = DeploymentFactory()
    assert api.post("/api/tools/", {"name": "X"}, format="json").status_code == 401
    response = api.patch(f"/api/deployments/{deployment.pk}/", {"status": "pilot"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_unprivileged_writes_get_403():
    deployment = DeploymentFactory()
    client = researcher_client()
    assert client.post("/api/tools/", {"name": "X"}, format="json").status_code == 403
    assert client.patch(f"/api/deployments/{deployment.pk}/", {"status": "pilot"}, format="json").status_code == 403
    assert client.get(f"/api/deployments/{deployment.pk}/").status_code == 200


def test_records_are_never_deleted_through_the_api():
    deployment = DeploymentFactory()
    client = researcher_client("add_deployment", "change_deployment", "delete_deployment")
    assert client.delete(f"/api/deployments/{deployment.pk}/").status_code == 405
    assert Deployment.objects.filter(pk=deployment.pk).exists()


def test_researcher_creates_a_draft_deployment():
    force, tool = ForceFactory(slug="gwent"), ToolFactory(slug="xd")
    client = researcher_client("add_deployment", "view_deployment")
    response = client.post(
        "/api/deployments/",
        {"force": "gwent", "tool": "xd", "status": "pilot", "started": "2021-11"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    deployment = Deployment.objects.get(force=force, tool=tool)
    assert str(deployment.started) == "2021-11"
    # Publishing is an editor's decision: a researcher's record stays a draft.
    assert deployment.is_published is False
    assert response.json()["is_published"] is False
    assert deployment.history.first().history_user.username == response.wsgi_request.user.username


def test_a_number_where_text_is_expected_is_refused_not_stored_as_text():
    ForceFactory(slug="gwent")
    client = researcher_client("add_foirequest", "view_foirequest")
    payload = {"force": "gwent", "title": "Predictive policing", "ico_decision_notice": 0}
    response = client.post("/api/foi-requests/", payload, format="json")
    assert response.status_code == 400
    assert "ico_decision_notice" in response.json()
    tool_client = researcher_client("add_tool", "view_tool")
    response = tool_client.post("/api/tools/", {"name": True, "slug": "x", "category": "other"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_partial_update_answers_with_the_whole_record():
    tool = ToolFactory(is_published=False)
    EvidenceFactory(tool=tool, deployment=None)
    client = researcher_client("change_tool")
    path = f"/api/tools/{tool.slug}/"
    data = client.patch(path, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=client.get(path)["ETag"]).json()
    assert data["name"] == "Renamed"
    assert data["supplier_name"] is None
    assert data["evidence"][0]["foi_request"]


def test_researcher_updates_a_deployment_and_an_foi_request():
    deployment = DeploymentFactory(is_published=False)
    client = researcher_client("change_deployment", "change_foirequest")
    path = f"/api/deployments/{deployment.pk}/"
    response = client.patch(path, {"status": "discontinued"}, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])
    assert response.status_code == 200
    deployment.refresh_from_db()
    assert deployment.status == "discontinued"
    assert response["ETag"]
    foi_request = FoiRequestFactory(is_published=False)
    ExemptionFactory()
    path = f"/api/foi-requests/{foi_request.slug}/"
    response = client.patch(
        path,
        {"outcome": "refused", "exemptions": ["FOIA-12(1)"]},
        format="json",
        HTTP_IF_MATCH=client.get(path)["ETag"],
    )
    assert response.status_code == 200, response.json()
    assert [e.citation for e in FoiRequest.objects.get(pk=foi_request.pk).exemptions.all()] == ["FOIA s12(1)"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"force": "no-such-force", "tool": "xd"}, "force"),
        ({"force": "gwent", "tool": "xd", "started": "Smarch 2021"}, "started"),
        ({"force": "gwent", "tool": "xd", "started": "2021-13"}, "started"),
        ({"force": "gwent", "tool": "xd", "started": "0000"}, "started"),
        ({"force": "gwent", "tool": "xd", "status": "rumoured"}, "status"),
        ({"force": "gwent", "tool": "xd", "started": "2021-11", "ended": "2020"}, "ended"),
        ({"tool": "xd"}, "force"),
    ],
)
def test_a_bad_write_is_a_400_per_field_and_writes_nothing(payload, field):
    ForceFactory(slug="gwent")
    ToolFactory(slug="xd")
    client = researcher_client("add_deployment")
    response = client.post("/api/deployments/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Deployment.objects.exists()


def test_a_second_deployment_of_the_same_tool_by_a_force_is_a_400():
    deployment = DeploymentFactory()
    client = researcher_client("add_deployment")
    payload = {"force": deployment.force.slug, "tool": deployment.tool.slug}
    response = client.post("/api/deployments/", payload, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


# HTTP caching, conditional requests and limits.


def test_conditional_get_gives_304(api):
    tool = ToolFactory()
    first = api.get(f"/api/tools/{tool.slug}/")
    assert first["ETag"]
    assert api.get(f"/api/tools/{tool.slug}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    listing = api.get("/api/tools/")
    assert api.get("/api/tools/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    tool.name = "Renamed"
    tool.save()
    assert api.get(f"/api/tools/{tool.slug}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_embedded_changes_change_the_etag(api):
    deployment = DeploymentFactory()
    etag = api.get(f"/api/deployments/{deployment.pk}/")["ETag"]
    AssessmentFactory(deployment=deployment)
    assert api.get(f"/api/deployments/{deployment.pk}/")["ETag"] != etag


def test_cache_control_is_public_for_anonymous_reads_only(api):
    tool = ToolFactory()
    assert api.get("/api/tools/")["Cache-Control"] == "public, max-age=300"
    assert "Authorization" in api.get("/api/tools/")["Vary"]
    response = researcher_client().get(f"/api/tools/{tool.slug}/")
    assert "private" in response["Cache-Control"]


def test_stale_if_match_gives_412_naming_what_changed():
    deployment = DeploymentFactory(status=DeploymentStatus.PILOT, is_published=False)
    alice = researcher_client("change_deployment")
    bob = researcher_client("change_deployment")
    etag = alice.get(f"/api/deployments/{deployment.pk}/")["ETag"]
    first = bob.patch(
        f"/api/deployments/{deployment.pk}/", {"purpose": "Patrol planning"}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200
    stale = alice.patch(f"/api/deployments/{deployment.pk}/", {"status": "in_use"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["changed_fields"] == ["purpose"]
    assert "purpose" in stale.json()["detail"]
    deployment.refresh_from_db()
    assert (deployment.status, deployment.purpose) == ("pilot", "Patrol planning")
    fresh = alice.patch(
        f"/api/deployments/{deployment.pk}/", {"status": "in_use"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert fresh.status_code == 200


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("if_match", [None, "*"])
def test_a_write_without_if_match_is_refused_with_428(method, if_match):
    deployment = DeploymentFactory(status=DeploymentStatus.PILOT, is_published=False)
    client = researcher_client("change_deployment")
    path = f"/api/deployments/{deployment.pk}/"
    payload = {**client.get(path).json(), "status": "in_use"}
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = getattr(client, method)(path, payload, format="json", **headers)
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"] and "ETag" in response.json()["detail"]
    assert "current_etag" not in response.json()  # a 428 gives nothing to overwrite blindly with
    deployment.refresh_from_db()
    assert deployment.status == "pilot"


def test_authentication_and_permission_come_before_if_match(api):
    deployment = DeploymentFactory()
    path = f"/api/deployments/{deployment.pk}/"
    assert api.patch(path, {"status": "pilot"}, format="json").status_code == 401
    assert researcher_client().patch(path, {"status": "pilot"}, format="json").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "unprivileged", "researcher", "with delete permission"])
def test_delete_is_405_with_allow_for_everyone(who):
    deployment = DeploymentFactory()
    client = {
        "anonymous": APIClient,
        "unprivileged": researcher_client,
        "researcher": lambda: group_client("Researchers"),
        "with delete permission": lambda: researcher_client("delete_deployment", "change_deployment"),
    }[who]()
    detail = client.delete(f"/api/deployments/{deployment.pk}/")
    assert detail.status_code == 405
    assert "DELETE" not in detail["Allow"] and "PATCH" in detail["Allow"]
    listing = client.delete("/api/deployments/")
    assert listing.status_code == 405
    assert "DELETE" not in listing["Allow"] and "POST" in listing["Allow"]
    assert Deployment.objects.filter(pk=deployment.pk).exists()
    exemption = ExemptionFactory()
    assert client.delete(f"/api/exemptions/{exemption.act}-{exemption.section}/").status_code == 405  # read only
    assert client.post("/api/exemptions/", {}, format="json").status_code == 405


@pytest.mark.parametrize("resource", ["deployments", "tools"])
def test_a_created_record_answers_with_its_location_and_the_etag_a_get_gives(resource):
    force, tool = ForceFactory(slug="gwent"), ToolFactory(slug="xd")
    model = "deployment" if resource == "deployments" else "tool"
    client = researcher_client(f"add_{model}", f"change_{model}")
    payload = {
        "deployments": {"force": force.slug, "tool": tool.slug, "status": "pilot", "started": "2021-11"},
        "tools": {"name": "New Tool", "slug": "new-tool", "category": "other"},
    }[resource]
    created = client.post(f"/api/{resource}/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created["Location"] == created.json()["url"]
    read = client.get(created["Location"])
    assert read.status_code == 200
    assert created["ETag"] == read["ETag"]
    assert created.json() == read.json()
    change = {"deployments": {"purpose": "Patrol planning"}, "tools": {"description": "Maps hotspots."}}[resource]
    changed = client.patch(created["Location"], change, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == client.get(created["Location"])["ETag"] != created["ETag"]


def test_anonymous_clients_are_throttled_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    # Distinct reads: a repeated one is served from the cache, at no cost worth throttling.
    for page_size in (1, 2, 3):
        assert api.get(f"/api/forces/?page_size={page_size}").status_code == 200
    response = api.get("/api/forces/?page_size=4")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# Query counts: constant in the page size.


def add_questions(foi_request, count: int) -> None:
    """Questions of the request, each with a kind of tool and of safeguard and an exemption."""
    for number in range(1, count + 1):
        question = Question.objects.create(source=foi_request.source, number=str(number), outcome="exempt")
        QuestionCategory.objects.create(question=question, category="mapping")
        QuestionSafeguard.objects.create(question=question, kind="dpia")
        ExemptionFactory().questions.add(question)


def build_rows(resource: str, count: int) -> None:
    for _ in range(count):
        if resource == "deployments":
            deployment = DeploymentFactory(tool=ToolFactory(supplier=SupplierFactory()))
            AssessmentFactory(deployment=deployment)
            EvidenceFactory(deployment=deployment)
        elif resource == "foi-requests":
            foi_request = FoiRequestFactory()
            foi_request.exemptions.add(ExemptionFactory())
            CategoryAskedFactory(foi_request=foi_request)
            add_questions(foi_request, 2)
        elif resource == "tools":
            EvidenceFactory(tool=ToolFactory(supplier=SupplierFactory()), deployment=None)
        elif resource == "assessments":
            EvidenceFactory(assessment=AssessmentFactory(), deployment=None)
        elif resource == "suppliers":
            EvidenceFactory(supplier=SupplierFactory(force=ForceFactory()), deployment=None)
        elif resource == "forces":
            ForceFactory()
        else:
            ExemptionFactory(section=f"{Assessment.objects.count()}{count}{_}")


# Count + rows + one per embedded relation, whatever the number of rows.
LIST_QUERIES = {
    "forces": 2,
    "suppliers": 3,
    "tools": 3,
    "deployments": 6,  # + the page's safeguard states (what was asked of its forces)
    "assessments": 3,
    "foi-requests": 8,  # + its questions, their kinds of tool and safeguard, their exemptions
    "exemptions": 2,
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_query_count_is_constant_in_the_page_size(api, resource, django_assert_num_queries):
    build_rows(resource, 5)
    with django_assert_num_queries(LIST_QUERIES[resource]):
        assert len(api.get(f"/api/{resource}/").json()["results"]) >= 5
    build_rows(resource, 45)
    with django_assert_num_queries(LIST_QUERIES[resource]):
        assert len(api.get(f"/api/{resource}/").json()["results"]) == 50


def test_csv_query_count_is_constant_in_the_rows(api):
    build_rows("deployments", 5)
    with CaptureQueriesContext(connection) as few:
        body(api.get("/api/deployments/?format=csv"))
    build_rows("deployments", 45)
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(api.get("/api/deployments/?format=csv"))) == 50
    assert len(few) == len(many)


# Documentation.


def test_schema_and_offline_docs(api):
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["info"]["version"] == "1"
    assert "Open Government Licence" in document["info"]["description"]
    parameters = {p["name"] for p in document["paths"]["/api/deployments/"]["get"]["parameters"]}
    assert {"force", "category", "started_from", "has_dpia", "modified_after", "ordering", "search"} <= parameters
    status = document["components"]["schemas"]["DeploymentStatusEnum"]
    assert "in_use" in status["enum"]
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in docs.content
    assert api.get("/api/redoc/").status_code == 200


def test_every_field_in_the_schema_is_typed(api):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    untyped = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, spec in schema.get("properties", {}).items()
        if not ({"type", "$ref", "allOf", "oneOf", "enum"} & set(spec))
    ]
    assert untyped == []


# Detail: a fixed number of queries, however much is embedded.
DETAIL_QUERIES = {
    "forces": 1,
    "suppliers": 2,
    "tools": 2,
    "deployments": 4,
    "assessments": 2,
    "foi-requests": 7,  # + its questions, their kinds of tool and safeguard, their exemptions
    "exemptions": 1,
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_query_count_is_fixed(api, resource, django_assert_num_queries):
    record, path = make_one(resource)
    if resource == "deployments":
        for _ in range(3):
            AssessmentFactory(deployment=record)
            EvidenceFactory(deployment=record)
    if resource == "foi-requests":
        add_questions(record, 3)
    with django_assert_num_queries(DETAIL_QUERIES[resource]):
        assert api.get(path).status_code == 200


def test_tokens_are_issued_in_the_admin(staff_client):
    assert staff_client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def group_client(group: str) -> APIClient:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_researcher_cannot_publish_through_the_api_but_an_editor_can():
    tool = ToolFactory(is_published=False, sourced=True)
    researcher, editor = group_client("Researchers"), group_client("Editors")
    path = f"/api/tools/{tool.slug}/"
    refused = researcher.patch(path, {"is_published": True}, format="json", HTTP_IF_MATCH=researcher.get(path)["ETag"])
    assert refused.status_code == 403
    assert "Only an editor may publish" in refused.json()["detail"]
    created = researcher.post(
        "/api/tools/", {"name": "New", "slug": "new", "category": "other", "is_published": True}, format="json"
    )
    assert created.status_code == 403
    assert not Tool.objects.filter(slug="new").exists()

    allowed = editor.patch(
        path,
        {"is_published": True},
        format="json",
        HTTP_IF_MATCH=editor.get(path)["ETag"],
        HTTP_X_CHANGE_REASON="Checked the source",
    )
    assert allowed.status_code == 200, allowed.json()
    tool.refresh_from_db()
    assert tool.is_published is True
    assert tool.history.latest().history_change_reason == "Checked the source"


def test_a_researcher_cannot_change_a_published_record():
    tool = ToolFactory(is_published=True)
    researcher, path = group_client("Researchers"), f"/api/tools/{tool.slug}/"
    response = researcher.patch(path, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=researcher.get(path)["ETag"])
    assert response.status_code == 403
    assert "Only an editor may change a published tool" in response.json()["detail"]


def test_foi_requests_carry_their_statutory_deadline(api, seed_data):
    data = api.get("/api/foi-requests/lancashire-dpo-foi-002128-22/").json()
    assert data["due_date"] == "2022-07-28"
    assert data["deadline_status"] == "late"
    assert data["working_days_taken"] == 67


def test_foi_records_per_force(api, seed_data):
    records = api.get("/api/foi-records/").json()
    lancashire = next(row for row in records if row["force"] == "lancashire")
    assert lancashire["logged"] == 1
    assert lancashire["answered_late"] == 1
    assert lancashire["refused"] == 1
    assert lancashire["exemptions"] == {"FOIA s12(1)": 1}
    essex = api.get("/api/foi-records/?force=essex").json()
    assert [row["not_held"] for row in essex] == [2]
    response = api.get("/api/foi-records/?force=atlantis")
    assert response.status_code == 400
    assert "force" in response.json()


def test_foi_records_with_an_empty_force_are_every_forces(api, seed_data):
    response = api.get("/api/foi-records/?force=")
    assert response.status_code == 200
    assert response.json() == api.get("/api/foi-records/").json()


def test_a_request_without_a_receipt_date_has_no_due_date(api, seed_data):
    data = api.get("/api/foi-requests/gwent-2023-26042/").json()
    assert data["due_date"] is None and data["deadline_status"] == "unknown"
    schema = api.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["FoiRequest"]["properties"]["due_date"]["nullable"] is True
