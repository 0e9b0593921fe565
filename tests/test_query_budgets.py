"""Every public page and every API list and detail issues a fixed number of SQL
queries, whatever the page size and the amount of data (asserted exactly, with a
cold cache: the cached figures only ever lower these numbers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foi_requests.models import FoiRequest
from register.models import Deployment

from .factories import AssessmentFactory, CategoryAskedFactory, DeploymentFactory, EvidenceFactory, FoiRequestFactory

pytestmark = pytest.mark.django_db

# Anonymous visitor, cold cache, seed data plus the rows each test adds.
BUDGETS = {
    # + the map of the forces (3: the forces, their deployments, their questions); the suppliers'
    # count (1); the finding (1: one aggregate); the 5 latest changes (18: as /changes/, 3 per kind
    # of record). All cached until the next edit: a cold page is rebuilt once per edit.
    "/": 28,
    # + the quotes of their assessments (each safeguard's quote, one click away); the page's
    # safeguard states (1: what was asked of its forces); the six safeguard facets from one pass (3).
    "/deployments/": 18,
    "/deployments/?category=mapping&status=in_use&has_dpia=true&ordering=-started": 18,
    "/tools/": 10,  # + which facts have a published quote
    "/tools/?category=individual_risk&origin=in_house": 10,
    "/forces/": 4,
    "/forces/?nation=england": 4,
    "/foi-requests/": 15,  # + the facet of the questions' outcomes
    "/foi-requests/?outcome=refused&overdue=false": 15,
    # + the deployments' quotes, assessments and their quotes (status, safeguards); each
    # search (one per kind of record here) looks its words up in the vocabulary (1) and,
    # when it finds some, reads its best rows' ids, then the details of those rows only (1).
    "/search/?q=model": 17,
    "/deployments/?search=gwent+mapping": 19,  # the list's, + the vocabulary (1)
    "/foi-requests/?search=predictive+policing": 16,  # the list's, + the vocabulary (1)
    "/api/deployments/?search=mapping": 7,  # the list's, + the vocabulary (1)
    "/transparency/": 6,  # deployments, questions and whole requests (one union), names in cells (3)
    "/figures/": 3,
    "/foi-requests/statistics/": 3,  # requests, their questions by outcome, exemptions
    "/changes/": 18,
    "/forces/west-midlands/": 17,  # + its FOI record per question (1) and its row of the matrix (5)
    "/tools/west-midlands-iom-model/": 7,
    "/deployments/west-midlands/west-midlands-iom-model/": 4,
    "/foi-requests/west-midlands-855a-22/": 8,  # + its questions, their kinds of tool, safeguards, exemptions
    "/api/forces/": 2,
    "/api/suppliers/": 3,
    "/api/tools/": 3,
    "/api/deployments/": 6,  # + the page's safeguard states (1: what was asked of its forces)
    "/api/deployments/?category=mapping&ordering=-started": 6,
    "/api/assessments/": 3,
    "/api/foi-requests/": 8,  # + the questions, their kinds of tool, safeguards, exemptions
    "/api/exemptions/": 2,
    "/api/foi-records/": 3,
    "/api/forces/west-midlands/": 1,
    "/api/tools/west-midlands-iom-model/": 2,
    "/api/foi-requests/west-midlands-855a-22/": 7,
}


def add_rows(count: int) -> None:
    """More of everything at West Midlands: deployments with assessments and evidence, requests."""
    for n in range(count):
        deployment = DeploymentFactory(started=f"{2010 + n % 12}", tool__category="mapping")
        AssessmentFactory(deployment=deployment)
        EvidenceFactory(deployment=deployment)
        request = FoiRequestFactory(force=deployment.force, outcome="refused")
        CategoryAskedFactory(foi_request=request)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", BUDGETS)
@pytest.mark.parametrize("extra_rows", [5, 50])
def test_query_budget(client, seed_data, url, extra_rows):
    add_rows(extra_rows)
    assert Deployment.objects.count() >= 8 + extra_rows and FoiRequest.objects.count() >= 5 + extra_rows
    assert queries_for(client, url) == BUDGETS[url]


@pytest.mark.parametrize("page_size", [5, 50])
@pytest.mark.parametrize("resource", ["forces", "tools", "deployments", "assessments", "foi-requests"])
def test_api_list_budget_does_not_depend_on_page_size(client, seed_data, resource, page_size):
    add_rows(50)
    assert queries_for(client, f"/api/{resource}/?page_size={page_size}") == BUDGETS[f"/api/{resource}/"]
