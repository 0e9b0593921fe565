"""The transparency matrix: what is known for each force and kind of tool, read from
the questions of published FOI answers (a request without recorded questions counts
as one, the whole request) and from published deployments."""

import pytest

from foi_requests.models import FoiOutcome
from foi_requests.transparency import SHOWN_PER_CELL, Disclosure, Known, disclosure, transparency_matrix
from register.models import DeploymentStatus, Force, Question, QuestionCategory, QuestionOutcome
from tests.factories import (
    CategoryAskedFactory,
    DeploymentFactory,
    ExemptionFactory,
    FoiRequestFactory,
    ForceFactory,
    ToolFactory,
)


def ask(foi_request, number: str, outcome: str, *categories: str, exemptions=()) -> Question:
    """A question of `foi_request`'s answer about `categories`, answered with `outcome`."""
    question = Question.objects.create(source=foi_request.source, number=number, outcome=outcome)
    for category in categories:
        QuestionCategory.objects.create(question=question, category=category)
    for exemption in exemptions:
        exemption.questions.add(question)
    return question


def states_of(force) -> dict[str, str]:
    row = next(row for row in transparency_matrix(Force.objects.published()) if row.force == force)
    return {cell.category: cell.state for cell in row.cells}


@pytest.mark.parametrize(
    ("statuses", "outcomes", "expected"),
    [
        (["in_use"], [], Disclosure.USES),
        (["discontinued"], ["exempt"], Disclosure.USES),
        (["denied", "pilot"], [], Disclosure.USES),
        (["denied"], [], Disclosure.DENIES),
        (["denied"], ["neither_confirm_nor_deny"], Disclosure.DENIES),
        ([], ["not_held"], Disclosure.NOT_HELD),
        ([], ["not_held", "not_answered"], Disclosure.NOT_HELD),
        ([], ["not_held", "exempt"], Disclosure.REFUSED),
        ([], ["exempt"], Disclosure.REFUSED),
        ([], ["disclosed", "neither_confirm_nor_deny"], Disclosure.REFUSED),
        # A "not held" beside a disclosure is about a detail, not about the kind of tool.
        ([], ["disclosed", "not_held"], Disclosure.ASKED),
        ([], ["partly_disclosed"], Disclosure.ASKED),
        ([], ["not_answered"], Disclosure.ASKED),
        ([], [], Disclosure.NEVER_ASKED),
    ],
)
def test_disclosure_is_the_strongest_thing_known(statuses, outcomes, expected):
    known = Known(
        deployments=len(statuses),
        in_use=sum(status != "denied" for status in statuses),
        requests=len(outcomes),
        disclosed=sum(outcome in ("disclosed", "partly_disclosed") for outcome in outcomes),
        not_held=outcomes.count("not_held"),
        refused=sum(outcome in ("exempt", "neither_confirm_nor_deny") for outcome in outcomes),
    )
    assert disclosure(known) == expected


def test_matrix_reads_published_records_in_six_queries(db, django_assert_num_queries):
    force = ForceFactory()
    DeploymentFactory(force=force, tool=ToolFactory(category="mapping", name="Mapper"))
    DeploymentFactory(force=force, tool=ToolFactory(category="biometrics"), status=DeploymentStatus.DENIED)
    DeploymentFactory(force=force, tool=ToolFactory(category="dashboard"), is_published=False)
    answered = FoiRequestFactory(force=force, outcome=FoiOutcome.PARTIALLY_SUCCESSFUL)
    ask(answered, "1", QuestionOutcome.DISCLOSED, "mapping")
    ask(answered, "2", QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, "individual_risk")
    ask(answered, "3", QuestionOutcome.NOT_HELD, "people_list")
    # A request without recorded questions counts by its own outcome and categories.
    whole = FoiRequestFactory(force=force, outcome=FoiOutcome.AWAITING_RESPONSE)
    CategoryAskedFactory(foi_request=whole, category="other")
    draft = FoiRequestFactory(force=force, outcome=FoiOutcome.REFUSED, is_published=False)
    ask(draft, "1", QuestionOutcome.EXEMPT, "dashboard")
    with django_assert_num_queries(6):
        rows = transparency_matrix(Force.objects.published())
    states = {cell.category: cell.state for cell in rows[0].cells}
    assert states == {
        "mapping": Disclosure.USES,
        "individual_risk": Disclosure.REFUSED,
        "dashboard": Disclosure.NEVER_ASKED,
        "people_list": Disclosure.NOT_HELD,
        "biometrics": Disclosure.DENIES,
        "other": Disclosure.ASKED,
    }


def test_ncnd_question_among_answered_ones_is_a_refusal_for_its_kind_of_tool(db, client):
    force = ForceFactory(slug="northshire", name="Northshire Police")
    foi_request = FoiRequestFactory(force=force, reference="NP/0412/24", outcome=FoiOutcome.PARTIALLY_SUCCESSFUL)
    ask(foi_request, "1", QuestionOutcome.DISCLOSED, "mapping")
    ncnd = ExemptionFactory(act="FOIA", section="31(3)", name="Law enforcement: no duty to confirm or deny")
    ask(foi_request, "2", QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, "individual_risk", exemptions=[ncnd])
    states = states_of(force)
    assert states["individual_risk"] == Disclosure.REFUSED
    assert states["mapping"] == Disclosure.ASKED  # answered, but no tool of it is recorded
    row = next(row for row in client.get("/transparency/").context["rows"] if row.force == force)
    risk = next(cell for cell in row.cells if cell.category == "individual_risk")
    assert risk.requests == [foi_request]  # the cell links to the request that refused


def test_not_held_is_shown_as_not_held_never_as_denies_using(db, client):
    force = ForceFactory(slug="eastshire", name="Eastshire Police")
    ask(FoiRequestFactory(force=force, outcome=FoiOutcome.NOT_HELD), "1", QuestionOutcome.NOT_HELD, "mapping")
    assert states_of(force)["mapping"] == Disclosure.NOT_HELD
    html = client.get("/transparency/").content.decode()
    row = html[html.index("Eastshire Police") :].split("</tr>")[0]
    assert "Information not held" in row and "Denies using" not in row


def test_a_deployment_recorded_as_denied_is_denies_using(db):
    force = ForceFactory()
    DeploymentFactory(force=force, tool=ToolFactory(category="biometrics"), status=DeploymentStatus.DENIED)
    # Its "not held" to a question about the same kind changes nothing: the force said it uses none.
    ask(FoiRequestFactory(force=force, outcome=FoiOutcome.NOT_HELD), "1", QuestionOutcome.NOT_HELD, "biometrics")
    assert states_of(force)["biometrics"] == Disclosure.DENIES


def test_draft_requests_questions_change_nothing(db):
    force = ForceFactory()
    for draft in (
        FoiRequestFactory(force=force, is_published=False),
        FoiRequestFactory(force=ForceFactory(is_published=False)),  # a published request to a draft force
    ):
        ask(draft, "1", QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, "individual_risk")
        ask(draft, "2", QuestionOutcome.NOT_HELD, "mapping")
    assert set(states_of(force).values()) == {Disclosure.NEVER_ASKED}


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (FoiOutcome.REFUSED, Disclosure.REFUSED),
        (FoiOutcome.NEITHER_CONFIRM_NOR_DENY, Disclosure.REFUSED),
        (FoiOutcome.NOT_HELD, Disclosure.NOT_HELD),
        (FoiOutcome.SUCCESSFUL, Disclosure.ASKED),
        (FoiOutcome.AWAITING_RESPONSE, Disclosure.ASKED),
    ],
)
def test_a_request_without_questions_counts_by_its_outcome(db, outcome, expected):
    force = ForceFactory()
    CategoryAskedFactory(foi_request=FoiRequestFactory(force=force, outcome=outcome), category="dashboard")
    assert states_of(force)["dashboard"] == expected


def test_questions_where_recorded_not_the_requests_categories(db):
    """A request with questions is read from them, even if its own categories were never brought in step."""
    force = ForceFactory()
    foi_request = FoiRequestFactory(force=force, outcome=FoiOutcome.REFUSED)
    CategoryAskedFactory(foi_request=foi_request, category="dashboard")
    ask(foi_request, "1", QuestionOutcome.EXEMPT, "biometrics")
    states = states_of(force)
    assert states["biometrics"] == Disclosure.REFUSED
    assert states["dashboard"] == Disclosure.NEVER_ASKED


def test_a_cell_names_each_request_once(db):
    force = ForceFactory()
    first = FoiRequestFactory(force=force, date_received="2023-01-05", outcome=FoiOutcome.NOT_HELD)
    ask(first, "1", QuestionOutcome.NOT_HELD, "mapping")
    ask(first, "2", QuestionOutcome.NOT_HELD, "mapping")
    later = FoiRequestFactory(force=force, date_received="2023-06-01", outcome=FoiOutcome.NOT_HELD)
    CategoryAskedFactory(foi_request=later, category="mapping")
    undated = FoiRequestFactory(force=force, outcome=FoiOutcome.NOT_HELD)
    ask(undated, "1", QuestionOutcome.NOT_HELD, "mapping")
    row = transparency_matrix([force])[0]
    cell = next(cell for cell in row.cells if cell.category == "mapping")
    assert cell.requests == [first, later, undated]
    assert cell.more == 0


def test_matrix_page_on_the_seed_data(seed_data, client):
    response = client.get("/transparency/")
    assert response.status_code == 200
    rows = {row.force.slug: {cell.category: cell.state for cell in row.cells} for row in response.context["rows"]}
    assert rows["gwent"]["mapping"] == Disclosure.USES
    assert rows["essex"]["mapping"] == Disclosure.NOT_HELD  # "No information held": not a denial
    assert rows["lancashire"]["biometrics"] == Disclosure.REFUSED  # s12 cost limit
    assert rows["cumbria"]["mapping"] == Disclosure.NEVER_ASKED
    html = response.content.decode()
    assert "Never asked" in html and "Refused to say" in html and "Information not held" in html
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
