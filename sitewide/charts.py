"""Figures drawn on the server as inline SVG: no chart library, no CDN, and
nothing to run in the browser. Each chart's numbers are also given as a table
and summed up in words on the page, for people who cannot see the drawing.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr

from foi_requests.models import FoiOutcome, FoiRequest
from register.models import Deployment, ToolCategory

# Each colour has a contrast of at least 3:1 against white (WCAG 1.4.11) and
# the series are also named in a legend and in the table beside the chart.
CATEGORY_COLOURS = {
    ToolCategory.MAPPING: "#0b3d91",
    ToolCategory.INDIVIDUAL_RISK: "#a4133c",
    ToolCategory.DASHBOARD: "#00703c",
    ToolCategory.PEOPLE_LIST: "#b35900",
    ToolCategory.BIOMETRICS: "#6f2dbd",
    ToolCategory.OTHER: "#505a5f",
}
OUTCOME_COLOURS = {
    FoiOutcome.SUCCESSFUL: "#00703c",
    FoiOutcome.PARTIALLY_SUCCESSFUL: "#4c7a12",
    FoiOutcome.REFUSED: "#a4133c",
    FoiOutcome.NOT_HELD: "#b35900",
    FoiOutcome.NEITHER_CONFIRM_NOR_DENY: "#6f2dbd",
    FoiOutcome.AWAITING_RESPONSE: "#505a5f",
    FoiOutcome.WITHDRAWN: "#7a5c00",
    FoiOutcome.INTERNAL_REVIEW: "#0b3d91",
}


@dataclass
class Series:
    key: str
    label: str
    colour: str


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    total: int
    values: dict[str, int]
    segments: list[Segment] = field(default_factory=list)
    label_x: float = 0
    label_y: float = 0


@dataclass
class Chart:
    series: list[Series]
    bars: list[Bar]
    width: int
    height: int
    ticks: list[dict]
    horizontal: bool
    plot: dict
    # Labels stand above their bars (the layout for phones), rather than beside them.
    labels_above: bool = False
    # The same numbers laid out for a phone's width (`narrow_bar_chart`), shown there instead.
    narrow: "Chart | None" = None

    @property
    def series_totals(self) -> dict[str, int]:
        return {s.key: sum(bar.values.get(s.key, 0) for bar in self.bars) for s in self.series}

    @property
    def table_rows(self) -> list[tuple[str, list[int], int]]:
        """The chart's numbers as table rows: label, one count per series, total."""
        return [(bar.label, [bar.values.get(s.key, 0) for s in self.series], bar.total) for bar in self.bars]

    @property
    def series_summary(self) -> list[tuple[str, int]]:
        """Each series with its total, the largest first, leaving out empty ones."""
        totals = self.series_totals
        pairs = [(s.label, totals[s.key]) for s in self.series if totals[s.key]]
        return sorted(pairs, key=lambda pair: -pair[1])

    @property
    def total(self) -> int:
        return sum(bar.total for bar in self.bars)


def nice_maximum(value: int) -> int:
    """The axis maximum: the value rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def axis_ticks(maximum: int, count: int = 5) -> list[int]:
    step = max(1, math.ceil(maximum / count))
    return list(range(0, maximum + 1, step))


def stacked_bar_chart(series: list[Series], groups: list[tuple[str, dict[str, int]]], *, horizontal: bool) -> Chart:
    """Geometry of a stacked bar chart: one bar per group, one segment per series."""
    bars = [Bar(label, sum(values.values()), values) for label, values in groups]
    maximum = nice_maximum(max((bar.total for bar in bars), default=0))
    ticks = axis_ticks(maximum)
    if horizontal:
        left, right, top, bottom, band = 190, 20, 10, 30, 26
        width, height = 640, top + bottom + band * len(bars)
        length = width - left - right
        for index, bar in enumerate(bars):
            y, x = top + index * band + 4, left
            for s in series:
                n = bar.values.get(s.key, 0)
                if n:
                    w = length * n / maximum
                    bar.segments.append(Segment(x, y, w, band - 8, s.colour, f"{bar.label}: {s.label}, {n}"))
                    x += w
            bar.label_x, bar.label_y = left - 8, y + (band - 8) / 2 + 5
        tick_marks = [{"value": t, "x": left + length * t / maximum, "y": height - bottom} for t in ticks]
        plot = {"left": left, "top": top, "right": width - right, "bottom": height - bottom}
    else:
        left, right, top, bottom = 40, 10, 10, 50
        band = max(14, min(48, 560 // max(len(bars), 1)))
        width, height = left + right + band * len(bars), 300
        length = height - top - bottom
        for index, bar in enumerate(bars):
            x, y = left + index * band + 2, height - bottom
            for s in series:
                n = bar.values.get(s.key, 0)
                if n:
                    h = length * n / maximum
                    y -= h
                    bar.segments.append(Segment(x, y, band - 4, h, s.colour, f"{bar.label}: {s.label}, {n}"))
            bar.label_x, bar.label_y = x + (band - 4) / 2, height - bottom + 16
        tick_marks = [{"value": t, "x": left, "y": height - bottom - length * t / maximum} for t in ticks]
        plot = {"left": left, "top": top, "right": width - right, "bottom": height - bottom}
    chart = Chart(series, bars, width, height, tick_marks, horizontal, plot)
    chart.narrow = narrow_bar_chart(series, groups)
    return chart


# A phone's width in CSS pixels, less the page's margins: drawn at this width, the
# chart is not scaled down and its labels keep their size (at least 12 px).
NARROW_WIDTH = 340


def narrow_bar_chart(series: list[Series], groups: list[tuple[str, dict[str, int]]]) -> Chart:
    """The geometry of a stacked bar chart for a phone: horizontal bars across the whole
    width, each with its label above it, so that no label is squeezed, rotated or cut."""
    bars = [Bar(label, sum(values.values()), values) for label, values in groups]
    maximum = nice_maximum(max((bar.total for bar in bars), default=0))
    left, right, top, bottom, label_height, bar_height, gap = 8, 16, 4, 26, 18, 16, 8
    band = label_height + bar_height + gap
    width, height = NARROW_WIDTH, top + bottom + band * len(bars)
    length = width - left - right
    for index, bar in enumerate(bars):
        y, x = top + index * band + label_height, left
        for s in series:
            n = bar.values.get(s.key, 0)
            if n:
                w = length * n / maximum
                bar.segments.append(Segment(x, y, w, bar_height, s.colour, f"{bar.label}: {s.label}, {n}"))
                x += w
        bar.label_x, bar.label_y = left + 4, y - 5  # clear of the axis
    ticks = [{"value": t, "x": left + length * t / maximum, "y": height - bottom} for t in axis_ticks(maximum)]
    plot = {"left": left, "top": top, "right": width - right, "bottom": height - bottom}
    return Chart(series, bars, width, height, ticks, True, plot, labels_above=True)


def deployments_started_per_year() -> tuple[Chart, int]:
    """Published deployments by the year they started and their tool's
    category, every year between the first and the last; and how many have
    no start date disclosed."""
    published = Deployment.objects.published()
    rows = (
        published.exclude(started=None)
        .annotate(year=Substr("started", 1, 4))
        .order_by()
        .values_list("year", "tool__category")
        .annotate(total=Count("pk"))
    )
    per_year: dict[int, dict[str, int]] = {}
    for year, category, total in rows:
        per_year.setdefault(int(year), {})[category] = total
    years = range(min(per_year), max(per_year) + 1) if per_year else []
    series = [Series(key, str(label), CATEGORY_COLOURS[key]) for key, label in ToolCategory.choices]
    chart = stacked_bar_chart(series, [(str(year), per_year.get(year, {})) for year in years], horizontal=False)
    undated = published.filter(started=None).count()
    return chart, undated


def foi_outcomes_per_force() -> Chart:
    """Published FOI requests per force (forces with at least one), by outcome."""
    rows = (
        FoiRequest.objects.published()
        .order_by()
        .values_list("force__name", "outcome")
        .annotate(total=Count("pk"))
        .order_by("force__name")
    )
    per_force: dict[str, dict[str, int]] = {}
    for force, outcome, total in rows:
        per_force.setdefault(force, {})[outcome] = total
    series = [Series(key, str(label), OUTCOME_COLOURS[key]) for key, label in FoiOutcome.choices]
    return stacked_bar_chart(series, list(per_force.items()), horizontal=True)
