"""Facet counts: beside each option, the rows it would give with the other filters."""

import pytest
from django.http import QueryDict

from core.facets import facet_counts, filter_errors
from foi_requests.filters import FoiRequestFilter
from foi_requests.models import FoiRequest
from register.filters import DeploymentFilter, ForceFilter, ToolFilter
from register.models import Deployment, DeploymentStatus, Force, Tool, ToolCategory
from tests.factories import (
    AssessmentFactory,
    CategoryAskedFactory,
    DeploymentFactory,
    FoiRequestFactory,
    ForceFactory,
    ToolFactory,
)

CASES = [
    (DeploymentFilter, lambda: Deployment.objects.published()),
    (ToolFilter, lambda: Tool.objects.published()),
    (ForceFilter, lambda: Force.objects.published()),
    (FoiRequestFilter, lambda: FoiRequest.objects.published()),
]
QUERIES = ["", "category=mapping", "status=in_use&nation=wales", "has_dpia=true", "force=gwent&category=dashboard"]


def build(filterset_class, queryset, query: str):
    return filterset_class(QueryDict(query, mutable=True), queryset=queryset)


@pytest.mark.parametrize(("filterset_class", "queryset"), CASES)
@pytest.mark.parametrize("query", QUERIES)
def test_every_facet_count_is_the_number_of_rows_its_option_gives(seed_data, filterset_class, queryset, query):
    """Choosing an option gives exactly the rows its count promised: the other
    active filters plus that option (in place of the others of its facet)."""
    query = "&".join(part for part in query.split("&") if part.split("=")[0] in filterset_class.base_filters)
    filterset = build(filterset_class, queryset(), query)
    facets = facet_counts(filterset)
    assert facets
    for facet in facets:
        for option in facet.options:
            data = QueryDict(query, mutable=True)
            data.setlist(facet.name, [option.value])
            rows = build(filterset_class, queryset(), data.urlencode()).qs
            assert option.count == rows.count(), (facet.name, option.value)


def test_counts_apply_the_other_filters_but_not_their_own(db):
    wales, england = ForceFactory(nation="wales"), ForceFactory(nation="england")
    DeploymentFactory(force=wales, tool=ToolFactory(category=ToolCategory.MAPPING))
    DeploymentFactory(force=wales, tool=ToolFactory(category=ToolCategory.DASHBOARD))
    DeploymentFactory(force=england, tool=ToolFactory(category=ToolCategory.MAPPING))
    DeploymentFactory(force=england, tool=ToolFactory(category=ToolCategory.MAPPING), is_published=False)

    filterset = build(DeploymentFilter, Deployment.objects.published(), "nation=wales&category=mapping")
    facets = {facet.name: facet for facet in facet_counts(filterset)}

    category = {option.value: option for option in facets["category"].options}
    assert category["mapping"].count == 1 and category["mapping"].selected
    assert category["dashboard"].count == 1 and not category["dashboard"].selected
    assert category["biometrics"].count == 0
    nation = {option.value: option.count for option in facets["nation"].options}
    assert nation == {**dict.fromkeys(nation, 0), "wales": 1, "england": 1}  # the draft is not counted
    assert filterset.qs.count() == 1


def test_yes_no_facets_count_through_the_filter_itself(db):
    with_dpia = AssessmentFactory(kind="dpia", result="conducted").deployment
    AssessmentFactory(kind="dpia", result="not_conducted")
    DeploymentFactory()  # never asked: neither yes nor no
    filterset = build(DeploymentFilter, Deployment.objects.published(), "")
    has_dpia = next(facet for facet in facet_counts(filterset) if facet.name == "has_dpia")
    assert not has_dpia.multiple
    assert [(o.value, o.count) for o in has_dpia.options] == [("true", 1), ("false", 1)]
    chosen = build(DeploymentFilter, Deployment.objects.published(), "has_dpia=true")
    assert list(chosen.qs) == [with_dpia]
    has_dpia = next(facet for facet in facet_counts(chosen) if facet.name == "has_dpia")
    assert [o.selected for o in has_dpia.options] == [True, False]


def test_a_to_many_filter_counts_each_row_once(db):
    """A tool used by two forces counts once under each, once in total."""
    tool = ToolFactory()
    first, second = DeploymentFactory(tool=tool).force, DeploymentFactory(tool=tool).force
    facets = {f.name: f for f in facet_counts(build(ToolFilter, Tool.objects.published(), ""))}
    counts = {option.value: option.count for option in facets["force"].options}
    assert counts[first.slug] == counts[second.slug] == 1
    both = build(ToolFilter, Tool.objects.published(), f"force={first.slug}&force={second.slug}")
    assert both.qs.count() == 1


def test_foi_facets_count_exemptions_and_categories_asked(db):
    request = FoiRequestFactory(outcome="refused")
    CategoryAskedFactory(foi_request=request, category="mapping")
    CategoryAskedFactory(foi_request=request, category="biometrics")
    FoiRequestFactory(outcome="not_held")
    facets = {f.name: f for f in facet_counts(build(FoiRequestFilter, FoiRequest.objects.published(), ""))}
    asked = {o.value: o.count for o in facets["category_asked"].options}
    assert asked["mapping"] == asked["biometrics"] == 1 and asked["dashboard"] == 0
    outcome = {o.value: o.count for o in facets["outcome"].options}
    assert outcome["refused"] == outcome["not_held"] == 1


def test_malformed_values_are_reported_and_left_out_of_counts(db):
    DeploymentFactory(started="2019", status=DeploymentStatus.PILOT)
    filterset = build(DeploymentFilter, Deployment.objects.published(), "started_from=abc&force=nowhere&status=pilot")
    facets = {f.name: f for f in facet_counts(filterset)}
    messages = filter_errors(filterset)
    assert any(message.startswith("Started in or after:") for message in messages)
    assert any(message.startswith("Force:") and "nowhere" in message for message in messages)
    assert {o.value: o.count for o in facets["status"].options}["pilot"] == 1
    assert filterset.qs.count() == 1


def test_a_facet_over_a_large_vocabulary_shows_the_chosen_and_the_most_frequent_options():
    from core.facets import Facet, FacetOption, most_options

    options = [FacetOption(f"tool-{n:02d}", f"Tool {n:02d}", count=n % 7, selected=False) for n in range(30)]
    options[0].selected = True  # chosen, with no rows left
    facet = most_options(Facet("tool", "Tool", options), most=5)
    shown = [option.value for option in facet.options]
    assert shown == ["tool-00", "tool-05", "tool-06", "tool-13", "tool-20", "tool-27"]
    assert facet.more == 25 - 5  # 25 options have rows; 5 of them shown
    few = most_options(Facet("status", "Status", options[:4]), most=5)
    assert len(few.options) == 4 and few.more == 0
