"""Charts drawn on the server as SVG: no JavaScript, no external library, the same picture in
every browser. The geometry is computed here; analytics/_bar_chart.html and
analytics/_timeline_chart.html draw it. One module for every chart: the analyst's bars, the "in
kaart gebracht" counts per wijk and a client's ZRM and participatieladder timelines (web).

A chart is a picture of a table that is on the page too (the table is the real data, for screen
readers and for copying): the SVG has role="img" with a title and a description, and a hidden
count gets no bar, only its label ("< 10" or "x").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise

from meedoen.analytics.aggregates import Cell

LABEL_WIDTH = 230  # room for "Laakkwartier en Spoorwijk" at 14 px
BAR_AREA = 440
VALUE_WIDTH = 90
BAR_HEIGHT = 22
GAP = 8
MARGIN = 8


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    y: int  # top of the bar
    width: float
    text_y: int  # baseline of the label and value texts
    value_x: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str | Promise
    description: str | Promise
    bars: list[Bar]
    width: int
    height: int
    label_x: int  # right edge of the category labels
    bar_x: int  # left edge of the bars


def bar_chart(
    *,
    chart_id: str,
    title: str | Promise,
    description: str | Promise,
    items: list[tuple[str, Cell]],
) -> BarChart:
    """Horizontal bars, one per (label, cell), scaled to the largest count shown."""
    largest = max((cell.value or 0 for _, cell in items), default=0)
    scale = BAR_AREA / largest if largest else 0.0
    bar_x = MARGIN + LABEL_WIDTH
    bars = []
    for index, (label, cell) in enumerate(items):
        y = MARGIN + index * (BAR_HEIGHT + GAP)
        width = round((cell.value or 0) * scale, 1)
        bars.append(
            Bar(
                label=label,
                cell=cell,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 6,
                value_x=bar_x + width + 6,
            )
        )
    height = 2 * MARGIN + max(1, len(items)) * (BAR_HEIGHT + GAP) - GAP
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        bars=bars,
        width=bar_x + BAR_AREA + VALUE_WIDTH,
        height=height,
        label_x=bar_x - 8,
        bar_x=bar_x,
    )


# --- timelines ------------------------------------------------------------------------------------
#
# A line chart over dates (a client's participatieladder and ZRM scores per conversation): the
# same rules as the bars — geometry here, drawing in analytics/_timeline_chart.html, a table with
# the real figures beside it. Series differ by line style and marker shape, not by colour alone
# (WCAG 1.4.1), and a gap (None) breaks the line instead of drawing through an unknown value.

TIMELINE_MARGIN_LEFT = 34  # room for the scale's numbers
TIMELINE_MARGIN_RIGHT = 16
TIMELINE_MARGIN_TOP = 14
TIMELINE_MARGIN_BOTTOM = 30  # room for the date labels
TIMELINE_LEGEND_HEIGHT = 24
TICK_MIN_SPACING = 78  # px between date labels, so "12-03-2025" never overlaps the next one


@dataclass(frozen=True)
class TimelineSeriesInput:
    """One line: a value per date of the chart (None: not known then), and how it looks."""

    name: str | Promise
    values: Sequence[int | None]
    dashed: bool = False
    marker: str = "circle"  # "circle" or "square"


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    y: float
    value: int

    @property
    def square_x(self) -> float:  # the top left corner of a square marker
        return round(self.x - 5, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class TimelineSeries:
    name: str | Promise
    points: list[TimelinePoint]
    path: str  # SVG path data; "M" starts a new run after a gap
    dashed: bool
    marker: str
    legend_x: int  # where the legend entry starts (line sample, then the name)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # the outer date labels align inwards, so they stay inside the chart


@dataclass(frozen=True)
class Highlight:
    """A marked point, e.g. "grote stap vooruit": a visible symbol with a short text."""

    x: float
    y: float
    label: str | Promise
    text_x: float
    anchor: str  # "start" or "end": the text stays inside the chart


@dataclass(frozen=True)
class TimelineChart:
    chart_id: str
    title: str | Promise
    description: str | Promise
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    series: list[TimelineSeries]
    highlights: list[Highlight]
    legend_y: int | None  # None: no legend (one series, named by the title)
    heading_y: int | None  # None: the title is not drawn (the page names the chart)


def _date_positions(dates: Sequence[dt.date], left: float, right: float) -> list[float]:
    """x per date, proportional to time; one date (or all on one day) sits in the middle."""
    if not dates:
        return []
    first, last = min(dates), max(dates)
    span = (last - first).days
    if span == 0:
        return [round((left + right) / 2, 1)] * len(dates)
    return [round(left + (right - left) * (d - first).days / span, 1) for d in dates]


def _x_ticks(xs: list[float], labels: list[str]) -> list[Tick]:
    """Date labels at the points, leaving out those that would overlap. The newest date always
    gets its label: it replaces the label too close before it."""
    if not xs:
        return []
    chosen = [0]
    for index in range(1, len(xs)):
        if xs[index] - xs[chosen[-1]] >= TICK_MIN_SPACING:
            chosen.append(index)
    last = len(xs) - 1
    if chosen[-1] != last:
        chosen[-1] = last
    ticks = [Tick(position=xs[i], label=labels[i]) for i in chosen]
    if len(ticks) > 1:
        ticks[0] = Tick(position=ticks[0].position, label=ticks[0].label, anchor="start")
        ticks[-1] = Tick(position=ticks[-1].position, label=ticks[-1].label, anchor="end")
    return ticks


def timeline_chart(
    *,
    chart_id: str,
    title: str | Promise,
    description: str | Promise,
    dates: Sequence[dt.date],
    series: Sequence[TimelineSeriesInput],
    low: int,
    high: int,
    date_labels: Sequence[str] | None = None,
    highlights: Sequence[tuple[int, str | Promise]] = (),
    highlight_series: int = 0,
    width: int = 640,
    height: int = 240,
    show_title: bool = False,
) -> TimelineChart:
    """A line per series over `dates` (oldest first), on a scale from `low` to `high`.

    `highlights` marks points of series `highlight_series` by their index in `dates`, with a
    short text (e.g. a big step forward on the participatieladder). `date_labels` are the texts
    under the axis (default: ISO dates); they are thinned out where they would overlap.
    `show_title` draws the title above the plot, for small charts side by side without a heading.
    """
    legend = len(series) > 1
    plot_top = TIMELINE_MARGIN_TOP + (TIMELINE_LEGEND_HEIGHT if show_title else 0)
    plot_bottom = height - TIMELINE_MARGIN_BOTTOM - (TIMELINE_LEGEND_HEIGHT if legend else 0)
    plot_left = TIMELINE_MARGIN_LEFT
    plot_right = width - TIMELINE_MARGIN_RIGHT
    # Keep the markers off the plot's edges.
    xs = _date_positions(dates, plot_left + 12, plot_right - 12)
    steps = max(1, high - low)

    def y_of(value: int) -> float:
        return round(plot_bottom - (value - low) * (plot_bottom - plot_top) / steps, 1)

    drawn: list[TimelineSeries] = []
    legend_x = plot_left
    for item in series:
        points: list[TimelinePoint] = []
        path: list[str] = []
        previous_known = False
        for x, value in zip(xs, item.values, strict=True):
            if value is None:
                previous_known = False
                continue
            point = TimelinePoint(x=x, y=y_of(value), value=value)
            path.append(f"{'L' if previous_known else 'M'}{point.x} {point.y}")
            points.append(point)
            previous_known = True
        drawn.append(
            TimelineSeries(
                name=item.name,
                points=points,
                path=" ".join(path),
                dashed=item.dashed,
                marker=item.marker,
                legend_x=legend_x,
            )
        )
        legend_x += 48 + 8 * len(str(item.name))

    marks: list[Highlight] = []
    for index, label in highlights:
        value = series[highlight_series].values[index] if series else None
        if value is None:
            continue
        x, y = xs[index], y_of(value)
        right_half = x > (plot_left + plot_right) / 2
        marks.append(
            Highlight(
                x=x,
                y=y,
                label=label,
                text_x=round(x - 12 if right_half else x + 12, 1),
                anchor="end" if right_half else "start",
            )
        )

    labels = list(date_labels) if date_labels is not None else [d.isoformat() for d in dates]
    return TimelineChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        y_ticks=[Tick(position=y_of(v), label=str(v)) for v in range(low, high + 1)],
        x_ticks=_x_ticks(xs, labels),
        series=drawn,
        highlights=marks,
        legend_y=height - 10 if legend else None,
        heading_y=18 if show_title else None,
    )


# --- effect reports (issue 7) ---------------------------------------------------------------------
#
# The love plot (covariate balance) and the propensity histograms of an effect report, drawn by
# analytics/_love_plot.html and analytics/_histogram.html, each beside its table. Series differ
# by marker shape, not by colour alone (WCAG 1.4.1).

LOVE_LABEL_WIDTH = 250
LOVE_PLOT_WIDTH = 380
LOVE_ROW = 20
LOVE_TOP = 40  # legend and scale
LOVE_BOTTOM = 24
# The usual thresholds for a standardised mean difference: below 0.1 is good balance, above
# 0.25 too large to trust a comparison (docs/effect-reports.md).
SMD_GOOD = 0.1
SMD_BAD = 0.25


@dataclass(frozen=True)
class LoveMarker:
    x: float
    value: float


@dataclass(frozen=True)
class LoveRow:
    label: str
    y: float  # the row's centre line
    before: LoveMarker | None
    after: LoveMarker | None
    weighted: LoveMarker | None

    @property
    def text_y(self) -> float:
        return round(self.y + 4, 1)

    @property
    def square(self) -> tuple[float, float] | None:  # top left corner of the "after" square
        return None if self.after is None else (round(self.after.x - 5, 1), round(self.y - 5, 1))

    @property
    def diamond(self) -> str:  # SVG path of the "after weighting" diamond
        if self.weighted is None:
            return ""
        return f"M{self.weighted.x} {round(self.y - 6, 1)} l6 6 l-6 6 l-6 -6 z"


@dataclass(frozen=True)
class LovePlot:
    chart_id: str
    title: str | Promise
    description: str | Promise
    width: int
    height: int
    label_x: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    ticks: list[Tick]
    good_x: float
    bad_x: float
    rows: list[LoveRow]


def love_plot(
    *,
    chart_id: str,
    title: str | Promise,
    description: str | Promise,
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
) -> LovePlot:
    """Absolute standardised mean differences per covariate: (label, before, after matching,
    after weighting); None where a method was not run. Rows in the order given."""
    values = [abs(v) for row in rows for v in row[1:] if v is not None]
    # The scale runs to the next 0.1 above the largest value, and at least past 0.25.
    top = max([0.3, *values])
    top = (int(top * 10 + 0.999)) / 10
    left = MARGIN + LOVE_LABEL_WIDTH
    right = left + LOVE_PLOT_WIDTH
    plot_top = LOVE_TOP
    plot_bottom = plot_top + max(1, len(rows)) * LOVE_ROW

    def x_of(value: float) -> float:
        return round(left + (right - left) * min(abs(value), top) / top, 1)

    def marker(value: float | None) -> LoveMarker | None:
        return None if value is None else LoveMarker(x=x_of(value), value=abs(value))

    drawn = [
        LoveRow(
            label=label,
            y=plot_top + index * LOVE_ROW + LOVE_ROW / 2,
            before=marker(before),
            after=marker(after),
            weighted=marker(weighted),
        )
        for index, (label, before, after, weighted) in enumerate(rows)
    ]
    steps = round(top / 0.1)
    every = 1 if steps <= 6 else 2 if steps <= 12 else 5
    ticks = [
        Tick(position=x_of(i / 10), label=number_format(i / 10, decimal_pos=1))
        for i in range(0, steps + 1, every)
    ]
    return LovePlot(
        chart_id=chart_id,
        title=title,
        description=description,
        width=right + 2 * MARGIN + 16,
        height=plot_bottom + LOVE_BOTTOM,
        label_x=left - 8,
        plot_left=left,
        plot_right=right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        ticks=ticks,
        good_x=x_of(SMD_GOOD),
        bad_x=x_of(SMD_BAD),
        rows=drawn,
    )


HISTOGRAM_PANEL = 120  # the height of one group's bars
HISTOGRAM_GAP = 34  # room for the next panel's name
HISTOGRAM_LEFT = 44
HISTOGRAM_WIDTH = 520


@dataclass(frozen=True)
class HistogramBar:
    x: float
    y: float
    width: float
    height: float
    cell: Cell


@dataclass(frozen=True)
class HistogramPanel:
    name: str | Promise
    name_y: int
    top: int
    bottom: int
    bars: list[HistogramBar]
    hidden: int  # bars not drawn because their count is small


@dataclass(frozen=True)
class Histogram:
    chart_id: str
    title: str | Promise
    description: str | Promise
    width: int
    height: int
    plot_left: int
    plot_right: int
    panels: list[HistogramPanel]
    x_ticks: list[Tick]
    axis_y: int


def histogram(
    *,
    chart_id: str,
    title: str | Promise,
    description: str | Promise,
    edges: Sequence[float],
    groups: Sequence[tuple[str | Promise, Sequence[Cell]]],
) -> Histogram:
    """One panel of bars per group over the same bins (`edges`, len(bins) + 1, from 0 to 1).

    A bar's height is the bin's share of its group, so groups of different sizes compare; a
    hidden (small) count gets no bar.
    """
    left, right = HISTOGRAM_LEFT, HISTOGRAM_LEFT + HISTOGRAM_WIDTH
    low, high = (edges[0], edges[-1]) if len(edges) > 1 else (0.0, 1.0)
    span = (high - low) or 1.0

    def x_of(value: float) -> float:
        return round(left + (right - left) * (value - low) / span, 1)

    panels: list[HistogramPanel] = []
    top = MARGIN + 18
    for name, cells in groups:
        total = sum(c.value or 0 for c in cells)
        largest = max(((c.value or 0) / total for c in cells), default=0.0) if total else 0.0
        bottom = top + HISTOGRAM_PANEL
        bars = []
        for index, cell in enumerate(cells):
            if cell.value is None or index + 1 >= len(edges):
                continue
            share = cell.value / total if total else 0.0
            height = round(HISTOGRAM_PANEL * share / largest, 1) if largest else 0.0
            x0, x1 = x_of(edges[index]), x_of(edges[index + 1])
            bars.append(
                HistogramBar(
                    x=x0,
                    y=round(bottom - height, 1),
                    width=round(max(1.0, x1 - x0 - 1), 1),
                    height=height,
                    cell=cell,
                )
            )
        panels.append(
            HistogramPanel(
                name=name,
                name_y=top - 6,
                top=top,
                bottom=bottom,
                bars=bars,
                hidden=sum(1 for c in cells if c.hidden),
            )
        )
        top = bottom + HISTOGRAM_GAP
    axis_y = top - HISTOGRAM_GAP
    ticks = [
        Tick(
            position=x_of(low + span * i / 5),
            label=number_format(low + span * i / 5, decimal_pos=1),
        )
        for i in range(6)
    ]
    return Histogram(
        chart_id=chart_id,
        title=title,
        description=description,
        width=right + 24,
        height=axis_y + 30,
        plot_left=left,
        plot_right=right,
        panels=panels,
        x_ticks=ticks,
        axis_y=axis_y,
    )
