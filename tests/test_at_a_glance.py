"""Safeguards at a glance (one column per kind, a symbol and a word, the date, the quote one
click away, the status "as at" its source's date), the filters folded above the results,
charts drawn for a phone, the search page's states, plurals and citation labels."""

import datetime
import re
from types import SimpleNamespace

import pytest

from core.partial_dates import PartialDate
from register.at_a_glance import safeguard_cell, status_quote
from register.models import (
    SAFEGUARD_HEADINGS,
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Evidence,
    Safeguard,
    SafeguardState,
    SourceKind,
    citation_label,
    foi_citation,
)
from sitewide.charts import NARROW_WIDTH, Series, narrow_bar_chart

from .factories import AssessmentFactory, DeploymentFactory, EvidenceFactory, FoiRequestFactory

ANSWER = "1. The tool is in use. 2. A DPIA was completed in March 2020."


# The rules, on records in memory.


def test_each_state_has_its_own_symbol_and_meaning():
    symbols = [state.symbol for state in SafeguardState]
    assert len(set(symbols)) == len(SafeguardState) and all(symbols)
    assert all(state.meaning for state in SafeguardState)
    assert set(SAFEGUARD_HEADINGS) == set(SAFEGUARD_KINDS)


def quote(field, dated=None, pk=1):
    return SimpleNamespace(field=field, source=SimpleNamespace(dated=dated), pk=pk)


def test_the_status_rests_on_the_quote_of_its_latest_dated_source():
    older, newer, undated = (
        quote("status", datetime.date(2021, 5, 1), 1),
        quote("status", datetime.date(2022, 10, 6), 2),
        quote("status", None, 3),
    )
    assert status_quote([older, undated, newer, quote("started", datetime.date(2024, 1, 1), 4)]) is newer
    assert status_quote([undated]) is undated  # undated, but still the quote
    assert status_quote([quote("purpose", datetime.date(2024, 1, 1))]) is None


def assessment(pk, result, conducted=None, quotes=()):
    record = Assessment(pk=pk, kind=AssessmentKind.DPIA, result=result, conducted=conducted, is_published=True)
    record._prefetched_objects_cache = {"evidence": [Evidence(pk=pk * 10 + n, field=f) for n, f in enumerate(quotes)]}
    return record


def test_a_cell_takes_the_date_and_quote_of_the_assessments_giving_its_state():
    older = assessment(1, AssessmentResult.CONDUCTED, PartialDate(2019), quotes=["conducted", "result"])
    newer = assessment(2, AssessmentResult.CONDUCTED, PartialDate(2021, 11), quotes=["conducted"])
    refused = assessment(3, AssessmentResult.NOT_CONDUCTED, PartialDate(2023), quotes=["result"])
    cell = safeguard_cell(Safeguard(AssessmentKind.DPIA, SafeguardState.CONDUCTED, [older, newer, refused]))
    assert (cell.state, cell.date, cell.heading) == (SafeguardState.CONDUCTED, "November 2021", "DPIA")
    assert cell.quote.pk == 11  # about the result, before a quote about the date


def test_a_date_without_a_published_quote_is_not_shown():
    unsourced = assessment(1, AssessmentResult.CONDUCTED, PartialDate(2021), quotes=["result"])
    cell = safeguard_cell(Safeguard(AssessmentKind.DPIA, SafeguardState.CONDUCTED, [unsourced]))
    assert cell.date == "" and cell.quote.field == "result"
    never = safeguard_cell(Safeguard(AssessmentKind.DPIA, SafeguardState.NEVER_ASKED, []))
    assert (never.date, never.quote) == ("", None)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("855A/22", "FOI 855A/22"),
        ("FOI/2024/118", "FOI/2024/118"),
        ("foi-0042", "foi-0042"),
        ("FOI 3345 23", "FOI 3345 23"),
        ("FOIA2024", "FOI FOIA2024"),  # a word beginning with the letters, not the prefix
    ],
)
def test_a_citation_label_never_doubles_foi(title, label):
    assert foi_citation(title) == label
    assert citation_label(SourceKind.FOI_ANSWER, title, "/foi-requests/x/") == label
    assert citation_label(SourceKind.DOCUMENT, "A report", "https://example.org") == "A report"
    assert Evidence.label_source(SourceKind.FOI_ANSWER, title, "", "1g") == f"{label}, question 1g"


def test_the_phone_chart_keeps_every_label_above_its_bar_within_the_width():
    series = [Series("a", "A", "#000"), Series("b", "B", "#333")]
    chart = narrow_bar_chart(series, [("Police Service of Northern Ireland", {"a": 3, "b": 4}), ("Gwent", {"a": 1})])
    assert chart.width == NARROW_WIDTH and chart.labels_above
    for bar in chart.bars:
        assert all(bar.label_y < segment.y for segment in bar.segments)
        assert all(segment.x + segment.width <= chart.plot["right"] + 0.01 for segment in bar.segments)
    first, second = chart.bars
    assert first.segments[0].y + first.segments[0].height < second.label_y - 12  # no label overlaps a bar


# The pages.


@pytest.fixture
def glance(db):
    request = FoiRequestFactory(reference="FOI/2022/77", response_text=ANSWER, date_responded="2022-10-06")
    deployment = DeploymentFactory(tool__name="Risk Lens", force__name="Testshire Police")
    deployment.evidence.all().delete()
    status = EvidenceFactory(foi_request=request, deployment=deployment, field="status", quote="The tool is in use.")
    dpia = AssessmentFactory(deployment=deployment, result=AssessmentResult.CONDUCTED, conducted="2020-03")
    dpia_quote = EvidenceFactory(
        foi_request=request, deployment=None, assessment=dpia, field="conducted", quote="completed in March 2020"
    )
    return SimpleNamespace(deployment=deployment, request=request, status=status, dpia_quote=dpia_quote)


def test_an_answer_source_takes_the_date_of_the_answer(glance):
    assert glance.request.source.dated == datetime.date(2022, 10, 6)
    glance.request.date_responded = datetime.date(2022, 11, 1)
    glance.request.save()
    glance.request.source.refresh_from_db()
    assert glance.request.source.dated == datetime.date(2022, 11, 1)


def dpia_cell(page: str) -> str:
    return page.split('data-label="DPIA" class="safeguard-cell">')[1].split("</td>")[0]


@pytest.mark.parametrize("page_of", ["list", "tool", "force"])
def test_each_page_shows_a_column_per_safeguard_with_symbol_word_date_and_quote(glance, client, page_of):
    deployment = glance.deployment
    url = {
        "list": "/deployments/",
        "tool": deployment.tool.get_absolute_url(),
        "force": deployment.force.get_absolute_url(),
    }[page_of]
    page = client.get(url).content.decode()
    for kind in SAFEGUARD_KINDS:
        assert f'<span class="visually-hidden">{kind.label}</span></th>' in page
    cell = dpia_cell(page)
    assert "✓" in cell and "Conducted" in cell and "March 2020" in cell
    assert f'href="{glance.request.get_absolute_url()}#quote-{glance.dpia_quote.pk}"' in cell
    legal = page.split('data-label="Legal opinion" class="safeguard-cell">')[1].split("</td>")[0]
    assert "–" in legal and "Never asked" in legal and "quote" not in legal
    # The status, as at the date of the answer that supports it, its quote one click away.
    assert "as at 6 Oct 2022" in page
    assert f"#quote-{glance.status.pk}" in page
    assert page.count('id="safeguard-key-heading"') == 1  # the key, once
    assert "FOI FOI" not in page


def test_a_status_without_a_published_quote_has_no_date(glance, client):
    glance.request.is_published = False
    glance.request.save()
    page = client.get("/deployments/").content.decode()
    assert 'class="as-at"' not in page and "Not disclosed" in page


def test_the_search_page_shows_status_safeguards_and_links(glance, client):
    page = client.get("/search/", {"q": "Risk Lens"}).content.decode()
    results = page.split('id="results-deployments"')[1]
    assert "as at 6 Oct 2022" in results
    assert re.search(r"DPIA</span>.*?✓</span> Conducted", results, re.S)
    for url in (glance.deployment.get_absolute_url(), glance.deployment.tool.get_absolute_url()):
        assert f'href="{url}"' in results
    assert 'id="safeguard-key-heading"' in page


def test_the_filters_are_a_disclosure_before_the_results(glance, client):
    page = client.get("/deployments/").content.decode()
    disclosure = page.index('<details class="filters-disclosure" id="filters">')
    assert disclosure < page.index('<summary class="filters-summary">Filters') < page.index('id="results-heading"')
    # Folded unless a filter could not be used: its field's message must be seen.
    broken = client.get("/deployments/?started_from=abc").content.decode()
    assert '<details class="filters-disclosure" id="filters" open>' in broken


def test_counts_of_one_are_singular(glance, client):
    page = client.get("/deployments/").content.decode()
    assert "1 deployment</h2>" in re.sub(r"\s+", " ", page).replace(" </h2>", "</h2>")
    assert "1 deployments" not in page and "1 tools" not in page and "1 forces" not in page
    assert "the 1 row these filters select" in page
    tools = client.get("/tools/").content.decode()
    assert "1 tools" not in tools and "1 forces" not in tools
