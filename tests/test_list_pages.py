"""The public list pages: filters in the URL, facets, sorting, paging, downloads,
clear messages for bad input, and a fixed number of queries whatever the rows."""

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.caching import bump_data_version
from foi_requests.models import CategoryAsked, FoiOutcome, FoiRequest
from register.models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Force,
    Nation,
    Tool,
    ToolCategory,
)
from tests.factories import (
    AssessmentFactory,
    CategoryAskedFactory,
    DeploymentFactory,
    EvidenceFactory,
    ExemptionFactory,
    FoiRequestFactory,
    ForceFactory,
    SupplierFactory,
    ToolFactory,
)

LIST_PAGES = ["/deployments/", "/tools/", "/forces/", "/foi-requests/"]
FILTERED_PAGES = [
    "/deployments/?category=individual_risk&has_dpia=true&ordering=-started",
    "/tools/?category=individual_risk&origin=bought&search=model",
    "/forces/?nation=england&ordering=name",
    "/foi-requests/?outcome=refused&category_asked=individual_risk",
]


def add_rows(count: int) -> None:
    """`count` of each kind of row, with everything a list page shows about it."""
    exemption = ExemptionFactory()
    for _ in range(count):
        supplier = SupplierFactory()
        deployment = DeploymentFactory(tool=ToolFactory(supplier=supplier, origin="bought"), started="2021-11")
        AssessmentFactory(deployment=deployment)
        EvidenceFactory(deployment=deployment)
        request = FoiRequestFactory(force=deployment.force, outcome=FoiOutcome.REFUSED)
        request.exemptions.add(exemption)
        CategoryAskedFactory(foi_request=request)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LIST_PAGES + FILTERED_PAGES)
def test_queries_are_the_same_for_5_rows_as_for_50(db, client, url, django_assert_num_queries):
    add_rows(5)
    queries = queries_for(client, url)
    add_rows(45)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["object_list"]) == 50


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_show_seed_records(seed_data, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["total"] > 0
    assert b"Apply filters" in response.content


def test_filtering_by_the_url_selects_rows_and_marks_options(seed_data, client):
    response = client.get("/deployments/?category=mapping&force=west-midlands")
    names = {deployment.tool.name for deployment in response.context["deployments"]}
    assert names == {"Knife Crime model", "Serious Violence model (MSV)"}
    html = response.content.decode()
    assert 'name="category" value="mapping" checked' in html
    assert "2 deployments match these filters" in html
    assert 'href="?force=west-midlands"' in html  # remove the category filter


def test_options_that_give_nothing_are_shown_disabled_with_zero(seed_data, client):
    html = client.get("/tools/?origin=in_house").content.decode()
    assert 'value="biometrics" disabled' in html
    assert '<span class="count"' in html and '>0<span class="visually-hidden"> tools</span>' in html


def test_sorting_follows_the_ordering_parameter(seed_data, client):
    names = [tool.name for tool in client.get("/tools/?ordering=-name").context["tools"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/deployments/?started_from=abc", "Started in or after: “abc” is not a date we can read."),
        ("/deployments/?force=atlantis", "Force: Select a valid choice. atlantis is not one of the available choices."),
        ("/tools/?category=teleportation", "Category: Select a valid choice. teleportation is not one of"),
        ("/foi-requests/?received_after=yesterday", "Received on or after: Enter a valid date."),
        ("/forces/?nation=atlantis", "Nation: Select a valid choice."),
    ],
)
def test_a_malformed_filter_value_gives_the_page_with_a_clear_message(seed_data, client, url, message):
    response = client.get(url)
    assert response.status_code == 200
    assert "Some filters could not be used" in response.content.decode()
    assert any(text.startswith(message) for text in response.context["filter_errors"]), response.context[
        "filter_errors"
    ]
    assert response.context["total"] > 0  # the rest of the page still works


def test_empty_state_offers_a_way_back(seed_data, client):
    html = client.get("/tools/?search=zzzznothing").content.decode()
    assert "No tool matches these filters." in html
    assert '<a href="/tools/">clear all filters</a>' in html


def test_download_links_carry_the_current_filters_to_the_data_files(seed_data, client):
    response = client.get("/deployments/?category=mapping&status=pilot&page=1&ordering=force")
    links = {link["format"]: link["url"] for link in response.context["download_links"]}
    for name in ("data.csv", "data.jsonl", "evidence.csv", "atrs.csv", "atrs.jsonl"):
        url = urlsplit(links[name])
        assert url.path == f"/deployments/{name}"
        assert parse_qs(url.query) == {"category": ["mapping"], "status": ["pilot"], "ordering": ["force"]}
    assert "Open Government Licence v3.0" in response.content.decode()
    foi = client.get("/foi-requests/?outcome=refused").context["download_links"][0]["url"]
    assert foi == "/foi-requests/data.csv?outcome=refused"


def test_drafts_are_never_listed_nor_counted(db, client):
    DeploymentFactory(tool=ToolFactory(name="Secret draft tool", is_published=False))
    DeploymentFactory(tool=ToolFactory(name="Visible tool"), status=DeploymentStatus.IN_USE, is_published=False)
    html = client.get("/deployments/?search=tool").content.decode() + client.get("/tools/").content.decode()
    assert "Secret draft tool" not in html
    assert "0 deployments" in html


def test_pagination_keeps_the_filters(db, client):
    force = ForceFactory()
    for _ in range(55):
        DeploymentFactory(force=force)
    first = client.get(f"/deployments/?force={force.slug}").content.decode()
    assert "Page 1 of 2" in first
    assert f'href="?force={force.slug}&amp;page=2"' in first
    second = client.get(f"/deployments/?force={force.slug}&page=2")
    assert len(second.context["deployments"]) == 5


def build_large_register() -> None:
    """A few thousand rows, written in bulk: 48 forces, 400 tools, 3,000
    deployments with 1,500 assessments, 600 FOI requests."""
    rng = random.Random(3)
    forces = Force.objects.bulk_create(
        Force(name=f"Bulk Force {n}", slug=f"bulk-force-{n}", nation=rng.choice(Nation.values), is_published=True)
        for n in range(48)
    )
    tools = Tool.objects.bulk_create(
        Tool(
            name=f"Bulk Tool {n}",
            slug=f"bulk-tool-{n}",
            category=rng.choice(ToolCategory.values),
            description=f"Generated tool number {n} for a load test.",
            is_published=n % 20 != 0,
        )
        for n in range(400)
    )
    pairs = rng.sample([(f, t) for f in forces for t in tools], 3000)
    deployments = Deployment.objects.bulk_create(
        Deployment(
            force=f,
            tool=t,
            status=rng.choice(DeploymentStatus.values),
            started=f"{rng.randint(2005, 2025)}" if rng.random() < 0.7 else None,
            is_published=rng.random() < 0.95,
        )
        for f, t in pairs
    )
    Assessment.objects.bulk_create(
        Assessment(
            deployment=d,
            kind=rng.choice(AssessmentKind.values),
            result=rng.choice(AssessmentResult.values),
            is_published=True,
        )
        for d in deployments[:1500]
    )
    requests = FoiRequest.objects.bulk_create(
        FoiRequest(
            force=rng.choice(forces),
            reference=f"BULK/{n}",
            slug=f"bulk-{n}",
            title="Bulk request",
            outcome=rng.choice(FoiOutcome.values),
            is_published=True,
        )
        for n in range(600)
    )
    CategoryAsked.objects.bulk_create(
        CategoryAsked(foi_request=r, category=c) for r in requests for c in rng.sample(ToolCategory.values, 2)
    )


@pytest.mark.parametrize("url", LIST_PAGES + FILTERED_PAGES)
def test_pages_hold_with_thousands_of_rows(db, client, url):
    add_rows(5)
    queries = queries_for(client, url)
    build_large_register()
    bump_data_version()  # bulk_create sends no signals: say the data changed, as bulk writers must
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert len(captured) == queries
    shown = response.context["total"]
    assert shown == response.context["paginator"].count
    if shown > 50:
        assert client.get(f"{url}{'&' if '?' in url else '?'}page=2").status_code == 200


def test_facet_counts_agree_with_rows_on_thousands_of_rows(db, client):
    build_large_register()
    response = client.get("/deployments/?nation=england")
    for facet in response.context["facets"]:
        if facet.name in {"category", "status"}:
            total = sum(option.count for option in facet.options)
            assert total == response.context["total"]
            for option in facet.options[:3]:
                other = client.get(f"/deployments/?nation=england&{facet.name}={option.value}")
                assert other.context["total"] == option.count


@pytest.mark.parametrize("url", ["/search/?q=model", "/transparency/", "/figures/"])
def test_other_public_pages_queries_do_not_grow_with_rows(db, client, url, django_assert_num_queries):
    add_rows(5)
    queries = queries_for(client, url)
    add_rows(45)
    with django_assert_num_queries(queries):
        client.get(url)


def test_column_headers_sort_and_reverse(seed_data, client):
    html = client.get("/tools/?category=mapping").content.decode()
    assert 'href="?category=mapping&amp;ordering=name"' in html
    sorted_html = client.get("/tools/?category=mapping&ordering=name").content.decode()
    assert 'aria-sort="ascending"' in sorted_html
    assert 'href="?category=mapping&amp;ordering=-name"' in sorted_html


def test_download_links_leave_out_values_the_page_could_not_use(seed_data, client):
    links = client.get("/tools/?category=teleportation&search=model").context["download_links"]
    assert links[0]["url"] == "/tools/data.csv?search=model"


def test_filter_labels_survive_the_api_schema_being_generated(seed_data, client):
    # Generating the OpenAPI schema reads every filter's form field once, at class
    # level; a filter without its own label then showed "None" on the pages.
    assert client.get("/api/schema/").status_code == 200
    response = client.get("/tools/?category=teleportation")
    assert response.context["filter_errors"][0].startswith("Category: ")
    assert "None" not in [facet.label for facet in response.context["facets"]]
