"""The transparency matrix: what is known for each force and kind of tool."""

import pytest

from foi_requests.models import FoiOutcome
from foi_requests.transparency import SHOWN_PER_CELL, Disclosure, Known, disclosure, transparency_matrix
from register.models import DeploymentStatus, Force
from tests.factories import CategoryAskedFactory, DeploymentFactory, FoiRequestFactory, ForceFactory, ToolFactory


@pytest.mark.parametrize(
    ("statuses", "outcomes", "expected"),
    [
        (["in_use"], [], Disclosure.USES),
        (["discontinued"], ["refused"], Disclosure.USES),
        (["denied", "pilot"], [], Disclosure.USES),
        (["denied"], [], Disclosure.DENIES),
        ([], ["not_held"], Disclosure.DENIES),
        ([], ["refused"], Disclosure.REFUSED),
        ([], ["neither_confirm_nor_deny", "awaiting_response"], Disclosure.REFUSED),
        ([], ["successful"], Disclosure.ASKED),
        ([], ["awaiting_response"], Disclosure.ASKED),
        ([], [], Disclosure.NEVER_ASKED),
    ],
)
def test_disclosure_is_the_strongest_thing_known(statuses, outcomes, expected):
    known = Known(
        deployments=len(statuses),
        in_use=sum(status != "denied" for status in statuses),
        requests=len(outcomes),
        not_held=outcomes.count("not_held"),
        refused=sum(outcome in ("refused", "neither_confirm_nor_deny") for outcome in outcomes),
    )
    assert disclosure(known) == expected


def test_matrix_reads_published_records_in_five_queries(db, django_assert_num_queries):
    force = ForceFactory()
    DeploymentFactory(force=force, tool=ToolFactory(category="mapping", name="Mapper"))
    DeploymentFactory(force=force, tool=ToolFactory(category="biometrics"), status=DeploymentStatus.DENIED)
    DeploymentFactory(force=force, tool=ToolFactory(category="dashboard"), is_published=False)
    refused = FoiRequestFactory(force=force, outcome=FoiOutcome.REFUSED)
    CategoryAskedFactory(foi_request=refused, category="individual_risk")
    draft = FoiRequestFactory(force=force, outcome=FoiOutcome.REFUSED, is_published=False)
    CategoryAskedFactory(foi_request=draft, category="people_list")
    with django_assert_num_queries(5):
        rows = transparency_matrix(Force.objects.published())
    states = {cell.category: cell.state for cell in rows[0].cells}
    assert states == {
        "mapping": Disclosure.USES,
        "individual_risk": Disclosure.REFUSED,
        "dashboard": Disclosure.NEVER_ASKED,
        "people_list": Disclosure.NEVER_ASKED,
        "biometrics": Disclosure.DENIES,
        "other": Disclosure.NEVER_ASKED,
    }


def test_matrix_page_on_the_seed_data(seed_data, client):
    response = client.get("/transparency/")
    assert response.status_code == 200
    rows = {row.force.slug: {cell.category: cell.state for cell in row.cells} for row in response.context["rows"]}
    assert rows["gwent"]["mapping"] == Disclosure.USES
    assert rows["essex"]["mapping"] == Disclosure.DENIES  # "No information held"
    assert rows["lancashire"]["biometrics"] == Disclosure.REFUSED  # s12 cost limit
    assert rows["cumbria"]["mapping"] == Disclosure.NEVER_ASKED
    html = response.content.decode()
    assert "Never asked" in html and "Refused to say" in html and "Denies using" in html
    assert '<a href="/deployments/gwent/qlikview/">QlikView</a>' in html


def test_matrix_by_nation_and_an_unknown_nation(seed_data, client):
    scotland = client.get("/transparency/?nation=scotland").context["rows"]
    assert [row.force.nation for row in scotland] == ["scotland"] * len(scotland)
    response = client.get("/transparency/?nation=atlantis")
    assert response.status_code == 200
    assert "There is no nation" in response.content.decode()


def test_matrix_can_show_only_forces_something_is_known_about(seed_data, client):
    response = client.get("/transparency/?known=1")
    assert {row.force.slug for row in response.context["rows"]} == {"gwent", "west-midlands", "lancashire", "essex"}
    assert "Something is known about 4 of the 48 forces shown" in response.content.decode()


def test_a_cell_names_its_first_tools_and_links_to_the_rest(db, client):
    force = ForceFactory(slug="busy")
    for n in range(SHOWN_PER_CELL + 2):
        DeploymentFactory(force=force, tool=ToolFactory(category="mapping", name=f"Mapper {n:02d}"))
    cell = next(cell for cell in transparency_matrix([force])[0].cells if cell.category == "mapping")
    assert [d.tool.name for d in cell.deployments] == [f"Mapper {n:02d}" for n in range(SHOWN_PER_CELL)]
    assert cell.more == 2
    html = client.get("/transparency/").content.decode()
    assert '<a class="cell-more" href="/deployments/?force=busy&amp;category=mapping">and 2 more</a>' in html
