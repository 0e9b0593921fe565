"""Figures: server-drawn SVG charts, each with its numbers as a table."""

from sitewide.charts import deployments_started_per_year, foi_outcomes_per_force, nice_maximum
from tests.factories import DeploymentFactory, FoiRequestFactory, ForceFactory, ToolFactory


def test_nice_maximum():
    assert [nice_maximum(n) for n in (0, 3, 7, 12, 45, 101)] == [1, 3, 10, 20, 50, 200]


def test_deployments_per_year_fill_the_gaps_and_count_the_undated(db):
    DeploymentFactory(started="2019-11-27", tool=ToolFactory(category="mapping"))
    DeploymentFactory(started="2021", tool=ToolFactory(category="mapping"))
    DeploymentFactory(started="2021-03", tool=ToolFactory(category="biometrics"))
    DeploymentFactory(started=None)
    DeploymentFactory(started="2020", is_published=False)
    chart, undated = deployments_started_per_year()
    assert [bar.label for bar in chart.bars] == ["2019", "2020", "2021"]
    assert [bar.total for bar in chart.bars] == [1, 0, 2]
    assert chart.table_rows[2] == ("2021", [1, 0, 0, 0, 1, 0], 2)
    assert undated == 1
    tallest = max(chart.bars, key=lambda bar: bar.total)
    assert sum(segment.height for segment in tallest.segments) > 0


def test_foi_outcomes_per_force(db):
    force = ForceFactory(name="Aardvark Police")
    FoiRequestFactory(force=force, outcome="refused")
    FoiRequestFactory(force=force, outcome="refused")
    FoiRequestFactory(force=force, outcome="not_held")
    chart = foi_outcomes_per_force()
    assert [(bar.label, bar.total) for bar in chart.bars] == [("Aardvark Police", 3)]
    assert chart.series_summary == [("Refused", 2), ("Information not held", 1)]


def test_figures_page_has_svg_tables_and_summaries(seed_data, client):
    html = client.get("/figures/").content.decode()
    # The two charts, each drawn twice: for a wide screen and for a phone (their keys' swatches are SVG too).
    assert html.count("<svg viewBox") == 4
    assert html.count('role="img"') == 4
    assert html.count('class="chart-svg chart-horizontal chart-svg-narrow"') == 2
    assert 'id="table-started">The numbers: deployments started per year, by kind of tool</caption>' in html
    assert 'id="table-outcomes">The numbers: FOI requests per force, by outcome</caption>' in html
    assert "published FOI requests to 4 forces" in html
    assert "no start date disclosed" in html


def test_figures_page_without_data(db, client):
    html = client.get("/figures/").content.decode()
    assert "No published deployment has a disclosed start date yet" in html
    assert "No published FOI request yet" in html
