"""The API schema says what the API does: anonymous reads, authenticated writes,
and filters whose empty value (`?force=`) means no filter, on the API as on the
list pages."""

import pytest
from rest_framework.test import APIClient

from .site_map import api_lists, list_pages

pytestmark = pytest.mark.django_db

READS = {"get", "head"}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def schema(api):
    return api.get("/api/schema/?format=json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in READS | WRITES:
                yield path, method, operation


def test_every_read_is_open_to_anonymous_clients(schema):
    reads = [(path, method, op) for path, method, op in operations(schema) if method in READS]
    assert reads
    closed = [f"{method.upper()} {path}" for path, method, op in reads if {} not in op.get("security", [{}])]
    assert closed == []


def test_every_write_needs_a_token_or_a_session(schema):
    writes = [(path, method, op) for path, method, op in operations(schema) if method in WRITES]
    assert writes
    for path, method, operation in writes:
        security = operation.get("security")
        assert security, f"{method.upper()} {path} declares no security"
        assert {} not in security, f"{method.upper()} {path} is declared open to anonymous clients"
        assert "401" in operation["responses"], f"{method.upper()} {path} does not document its 401"


def test_every_filter_is_documented_as_taking_an_empty_value(schema):
    for path, filterset_class in api_lists():
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        for name in filterset_class.base_filters:
            assert parameters[name].get("allowEmptyValue") is True, f"{path} ?{name}="


@pytest.mark.parametrize("path,filterset_class", api_lists(), ids=[path for path, _ in api_lists()])
def test_an_empty_filter_value_is_no_filter_on_the_api(api, seed_data, path, filterset_class):
    unfiltered = api.get(path, {"page_size": 500})
    assert unfiltered.status_code == 200
    assert unfiltered.json()["count"] > 0
    for name in filterset_class.base_filters:
        response = api.get(f"{path}?{name}=&page_size=500")
        assert response.status_code == 200, f"{path}?{name}= {response.content[:200]}"
        assert response.json() == unfiltered.json(), f"{path}?{name}="


@pytest.mark.parametrize("path,filterset_class", list_pages(), ids=[path for path, _ in list_pages()])
def test_an_empty_filter_value_is_no_filter_on_the_list_pages(client, seed_data, path, filterset_class):
    unfiltered = client.get(path)
    assert unfiltered.status_code == 200
    rows = [record.pk for record in unfiltered.context["object_list"]]
    for name in filterset_class.base_filters:
        response = client.get(f"{path}?{name}=")
        assert response.status_code == 200
        assert response.context["filter_errors"] == [], f"{path}?{name}="
        assert response.context["active_filters"] == [], f"{path}?{name}="
        assert [record.pk for record in response.context["object_list"]] == rows, f"{path}?{name}="


def test_an_empty_value_beside_others_is_left_out(api, seed_data):
    slug = api.get("/api/forces/").json()["results"][0]["slug"]
    chosen = api.get("/api/deployments/", {"force": slug})
    assert chosen.status_code == 200
    assert api.get(f"/api/deployments/?force=&force={slug}").json() == chosen.json()


def test_a_value_that_is_not_empty_is_still_checked(api, seed_data):
    for query in (
        "force=%20",
        "force=no-such-force",
        "nation=atlantis",
        "started_from=1800",
        "has_dpia=perhaps",
        "has_dpia=2",  # Django's old spelling of yes
        "page=",
        "page_size=",
    ):
        assert api.get(f"/api/deployments/?{query}").status_code == 400, query


def test_the_schema_states_the_filters_rules(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/deployments/"]["get"]["parameters"]}
    for name in ("started_from", "started_to"):  # dates as people write them, e.g. "March 2020"
        assert (parameters[name]["schema"]["type"], parameters[name]["schema"]["maxLength"]) == ("string", 40)
        assert "March 2020" in parameters[name]["description"]
    assert parameters["modified_after"]["schema"]["format"] == "date-time"
    assert (parameters["page_size"]["schema"]["minimum"], parameters["page_size"]["schema"]["maximum"]) == (1, 500)
    assert parameters["page"]["schema"]["minimum"] == 1
    assert "in_use" in parameters["status"]["schema"]["items"]["enum"]
    assert parameters["search"]["schema"]["pattern"] == r"^[^\x00]*$"


def test_the_schema_states_each_filters_bounds(schema):
    """Whatever bounds a FilterSet's fields check (a search's length, a year's range) are in the schema."""
    for path, filterset_class in api_lists():
        parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        for name, filter_ in filterset_class.base_filters.items():
            for bound, keyword in (("max_length", "maxLength"), ("min_value", "minimum"), ("max_value", "maximum")):
                if filter_.extra.get(bound) is not None:
                    assert parameters[name][keyword] == filter_.extra[bound], f"{path} ?{name}= {keyword}"
