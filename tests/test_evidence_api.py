"""The evidence resource (`/api/evidence/`): quotes read with their place in the source, and
written only when they appear in it."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from core.quotes import CONTEXT
from register.models import Evidence, Source, SourceKind

from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    EvidenceFactory,
    FoiRequestFactory,
    SupplierFactory,
    ToolFactory,
    researcher_client,
)

pytestmark = pytest.mark.django_db

ANSWER = (
    "1. The force uses the “Harbour” risk model.\n"
    "It was introduced in\nMarch 2020 – after a pilot.\n"
    "2. A DPIA was completed by the Data Protection Officer."
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def answer():
    return FoiRequestFactory(reference="HB/12/22", slug="harbour-hb-12-22", response_text=ANSWER)


def writer():
    return researcher_client("add_evidence", "change_evidence", "view_evidence")


def post(client, **payload):
    return client.post("/api/evidence/", payload, format="json")


# Reading ------------------------------------------------------------------------------------


def test_a_quote_is_read_with_its_place_in_the_source_as_web_annotation_selectors(api, answer):
    tool = ToolFactory(slug="harbour")
    evidence = EvidenceFactory(
        source=answer.source, deployment=None, tool=tool, field="description", quote="It was introduced in March 2020"
    )
    data = api.get(f"/api/evidence/{evidence.pk}/").json()
    start = ANSWER.index("It was")
    exact = "It was introduced in\nMarch 2020"
    assert (
        data["selector"]
        == [
            {
                "type": "TextQuoteSelector",
                "exact": exact,
                "prefix": ANSWER[start - CONTEXT : start].strip(),  # "uses the “Harbour” risk model."
                "suffix": ANSWER[start + len(exact) : start + len(exact) + CONTEXT].strip(),
            },
            {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
        ]
    )
    assert data["foi_request"] == "harbour-hb-12-22" and data["source"] == answer.source.pk
    assert data["record_kind"] == "tool" and data["tool"] == "harbour" and data["deployment"] is None
    assert data["field"] == "description" and data["field_label"] == "What it does"
    assert data["source_label"] == "FOI HB/12/22, question 1"
    assert data["passage_url"] == f"http://testserver/foi-requests/harbour-hb-12-22/#quote-{evidence.pk}"


def test_the_public_reads_only_evidence_of_published_records_from_published_sources(api, answer):
    shown = EvidenceFactory(source=answer.source, quote="A DPIA was completed")
    EvidenceFactory(
        source=answer.source, quote="A DPIA was completed", deployment=DeploymentFactory(is_published=False)
    )
    draft_answer = FoiRequestFactory(response_text=ANSWER, is_published=False)
    hidden = EvidenceFactory(source=draft_answer.source, quote="A DPIA was completed")
    listed = api.get("/api/evidence/").json()
    assert [row["id"] for row in listed["results"]] == [shown.pk]
    assert api.get(f"/api/evidence/{hidden.pk}/").status_code == 404
    researcher = researcher_client("view_evidence")
    assert researcher.get("/api/evidence/").json()["count"] == 3


def test_a_document_without_text_has_no_selector_and_links_to_its_page_and_address(api):
    document = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Harbour review", url="https://example.org/harbour", is_published=True
    )
    evidence = Evidence.objects.create(source=document, tool=ToolFactory(), quote="Not checked yet.")
    data = api.get(f"/api/evidence/{evidence.pk}/").json()
    assert data["selector"] is None
    assert data["foi_request"] is None
    assert data["passage_url"] == f"http://testserver/sources/{document.pk}/#quote-{evidence.pk}"
    assert data["published_url"] == "https://example.org/harbour"
    assert data["original_url"] is None


def test_filters(api, answer):
    tool = ToolFactory(slug="harbour")
    by_tool = EvidenceFactory(source=answer.source, deployment=None, tool=tool, field="name", quote="“Harbour”")
    by_deployment = EvidenceFactory(source=answer.source, quote="A DPIA was completed", field="status")
    other = EvidenceFactory()

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/evidence/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids("foi_request=harbour-hb-12-22") == sorted([by_tool.pk, by_deployment.pk])
    assert ids(f"source={other.source_id}") == [other.pk]
    assert ids("record_kind=tool") == [by_tool.pk]
    assert ids("tool=harbour") == [by_tool.pk]
    assert ids(f"deployment={by_deployment.deployment_id}") == [by_deployment.pk]
    assert ids("field=name") == [by_tool.pk]
    assert ids(f"force={answer.force.slug}") == sorted([by_tool.pk, by_deployment.pk])
    for bad in ("record_kind=force", "tool=no-such-tool", "foi_request=nope", "field=nonsense"):
        response = api.get(f"/api/evidence/?{bad}")
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json()


def test_csv_of_evidence(api, answer):
    EvidenceFactory(source=answer.source, quote="A DPIA was completed")
    response = api.get("/api/evidence/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["quote"] == "A DPIA was completed" and rows[0]["foi_request"] == "harbour-hb-12-22"
    assert '"TextPositionSelector"' in rows[0]["selector"]


# Writing ------------------------------------------------------------------------------------


def test_a_researcher_adds_evidence_by_the_requests_slug(answer):
    tool = ToolFactory(slug="harbour")
    client = writer()
    response = post(
        client,
        foi_request="harbour-hb-12-22",
        question_number="1",
        quote='The force uses the "Harbour" risk model.',
        tool="harbour",
        field="name",
    )
    assert response.status_code == 201, response.json()
    assert response["ETag"] and response["Location"].endswith(f"/api/evidence/{response.json()['id']}/")
    evidence = tool.evidence.get()
    assert evidence.source == answer.source
    assert ANSWER[evidence.quote_start : evidence.quote_end] == "The force uses the “Harbour” risk model."
    assert response.json()["selector"][0]["exact"] == "The force uses the “Harbour” risk model."
    assert evidence.history.latest().history_user is not None


def test_a_quote_with_one_word_changed_is_a_400_on_quote_naming_the_quote_and_the_source(answer):
    deployment = DeploymentFactory()
    response = post(
        writer(),
        source=answer.source.pk,
        quote="It was introduced in March 2021",
        deployment=deployment.pk,
        field="started",
    )
    assert response.status_code == 400
    [message] = response.json()["quote"]
    assert "“It was introduced in March 2021” does not appear in FOI HB/12/22" in message
    assert not Evidence.objects.exists()


def test_an_ellipsis_may_join_two_passages_that_appear_in_order(answer):
    response = post(
        writer(),
        source=answer.source.pk,
        quote="It was introduced in March 2020 … A DPIA was completed",
        deployment=DeploymentFactory().pk,
    )
    assert response.status_code == 201, response.json()
    exact = response.json()["selector"][0]["exact"]
    assert exact.startswith("It was introduced") and exact.endswith("A DPIA was completed")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quote": "A DPIA was completed"}, "source"),
        ({"foi_request": "no-such-request", "quote": "A DPIA was completed"}, "foi_request"),
        ({"source": 999999, "quote": "A DPIA was completed"}, "source"),
        ({"quote": 12}, "quote"),
    ],
)
def test_a_bad_source_or_quote_is_a_400_naming_the_field(answer, payload, field):
    response = post(writer(), deployment=DeploymentFactory().pk, **payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Evidence.objects.exists()


def test_the_source_given_twice_must_agree(answer):
    other = FoiRequestFactory(response_text=ANSWER)
    response = post(
        writer(),
        source=other.source.pk,
        foi_request=answer.slug,
        quote="A DPIA was completed",
        deployment=DeploymentFactory().pk,
    )
    assert response.status_code == 400 and "foi_request" in response.json()


def test_exactly_one_record_is_supported(answer):
    neither = post(writer(), source=answer.source.pk, quote="A DPIA was completed")
    both = post(
        writer(),
        source=answer.source.pk,
        quote="A DPIA was completed",
        tool=ToolFactory().slug,
        supplier=SupplierFactory().slug,
    )
    for response in (neither, both):
        assert response.status_code == 400
        assert "exactly one record" in response.json()["non_field_errors"][0]


def test_the_fact_must_be_one_of_the_records_facts_and_the_error_lists_them(answer):
    response = post(
        writer(),
        source=answer.source.pk,
        quote="A DPIA was completed",
        assessment=AssessmentFactory().pk,
        field="started",
    )
    assert response.status_code == 400
    [message] = response.json()["field"]
    assert "No fact “started” on this assessment" in message
    assert "`conducted` (Date)" in message and "`result` (Result)" in message


def test_an_update_needs_if_match_and_checks_the_quote_again(answer):
    evidence = EvidenceFactory(source=answer.source, quote="A DPIA was completed")
    client = writer()
    path = f"/api/evidence/{evidence.pk}/"
    assert client.patch(path, {"quote": "after a pilot"}, format="json").status_code == 428
    etag = client.get(path)["ETag"]
    refused = client.patch(path, {"quote": "after two pilots"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 400 and "does not appear in FOI HB/12/22" in refused.json()["quote"][0]
    changed = client.patch(path, {"quote": "after a pilot"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.json()
    evidence.refresh_from_db()
    assert ANSWER[evidence.quote_start : evidence.quote_end] == "after a pilot"
    assert changed["ETag"] != etag


def test_evidence_is_never_deleted_through_the_api_and_writes_need_permission(api, answer):
    evidence = EvidenceFactory(source=answer.source, quote="A DPIA was completed")
    payload = {"source": answer.source.pk, "quote": "A DPIA was completed", "deployment": DeploymentFactory().pk}
    assert api.post("/api/evidence/", payload, format="json").status_code == 401
    assert researcher_client().post("/api/evidence/", payload, format="json").status_code == 403
    deleter = researcher_client("delete_evidence", "change_evidence")
    assert deleter.delete(f"/api/evidence/{evidence.pk}/").status_code == 405
    assert Evidence.objects.count() == 1


# A change of the answer's text: its quotes move with it, and none is lost ----------------------


def test_an_answer_changed_through_the_api_moves_its_quotes_and_may_not_lose_one(answer):
    evidence = EvidenceFactory(source=answer.source, quote="A DPIA was completed")
    client = researcher_client("change_foirequest", "view_foirequest", "publish_foirequest")
    path = f"/api/foi-requests/{answer.slug}/"

    lost = client.patch(
        path,
        {"response_text": ANSWER.replace("A DPIA was completed", "A DPIA was drafted")},
        format="json",
        HTTP_IF_MATCH=client.get(path)["ETag"],
    )
    assert lost.status_code == 400
    [message] = lost.json()["response_text"]
    assert "“A DPIA was completed”" in message and "FOI HB/12/22" in message

    moved = "Thank you for your request.\n\n" + ANSWER
    response = client.patch(path, {"response_text": moved}, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])
    assert response.status_code == 200, response.json()
    evidence.refresh_from_db()
    assert moved[evidence.quote_start : evidence.quote_end] == "A DPIA was completed"
    assert evidence.quote_start == ANSWER.index("A DPIA") + len("Thank you for your request.\n\n")
