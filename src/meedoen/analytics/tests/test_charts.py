"""The timeline chart's geometry: positions in time, gaps for unknown values, labels that do not
overlap, marked points; and the SVG it draws (an image with a name and a description)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.template.loader import render_to_string

from meedoen.analytics.charts import TICK_MIN_SPACING, TimelineSeriesInput, timeline_chart

DATES = [dt.date(2024, 1, 1), dt.date(2024, 1, 11), dt.date(2024, 12, 31)]


def chart(**overrides):
    values = {
        "chart_id": "grafiek-test",
        "title": "Ladder",
        "description": "Beschrijving",
        "dates": DATES,
        "series": [TimelineSeriesInput(name="huidige trede", values=[1, None, 3])],
        "low": 1,
        "high": 6,
    }
    values.update(overrides)
    return timeline_chart(**values)


def test_points_are_placed_in_time_and_a_gap_breaks_the_line():
    result = chart()
    (series,) = result.series
    xs = [p.x for p in series.points]
    # Two known values; the unknown one in the middle gets no point.
    assert [p.value for p in series.points] == [1, 3]
    assert xs[0] < xs[1]
    assert series.path.count("M") == 2  # no line drawn through the unknown value
    assert "L" not in series.path
    # A value higher on the scale is higher up in the picture.
    assert series.points[1].y < series.points[0].y
    assert series.points[0].y == result.plot_bottom


def test_a_gap_between_known_values_starts_a_new_run():
    result = chart(
        dates=[*DATES, dt.date(2025, 2, 1)],
        series=[TimelineSeriesInput(name="x", values=[2, None, 3, 4])],
    )
    assert result.series[0].path.split() == [
        f"M{result.series[0].points[0].x}",
        f"{result.series[0].points[0].y}",
        f"M{result.series[0].points[1].x}",
        f"{result.series[0].points[1].y}",
        f"L{result.series[0].points[2].x}",
        f"{result.series[0].points[2].y}",
    ]


def test_date_labels_do_not_overlap_and_the_newest_always_shows():
    result = chart(date_labels=["1-1", "11-1", "31-12"])
    labels = [tick.label for tick in result.x_ticks]
    # 1 and 11 January are too close together: the second is left out; the newest is there.
    assert labels == ["1-1", "31-12"]
    positions = [tick.position for tick in result.x_ticks]
    assert all(b - a >= TICK_MIN_SPACING for a, b in itertools.pairwise(positions))
    assert [tick.anchor for tick in result.x_ticks] == ["start", "end"]


def test_one_conversation_sits_in_the_middle():
    result = chart(dates=[dt.date(2024, 5, 1)], series=[TimelineSeriesInput("x", [4])])
    (point,) = result.series[0].points
    assert abs(point.x - (result.plot_left + result.plot_right) / 2) < 1
    assert [tick.label for tick in result.x_ticks] == ["2024-05-01"]


def test_highlights_and_legend():
    result = chart(
        series=[
            TimelineSeriesInput(name="huidige trede", values=[1, 2, 3]),
            TimelineSeriesInput(name="haalbare trede", values=[4, 4, 5], dashed=True),
        ],
        highlights=[(2, "grote stap vooruit"), (0, "start")],
    )
    assert [h.label for h in result.highlights] == ["grote stap vooruit", "start"]
    # The text stays inside the chart: to the left of a point on the right half.
    assert result.highlights[0].anchor == "end"
    assert result.highlights[1].anchor == "start"
    assert result.legend_y is not None
    assert result.series[1].legend_x > result.series[0].legend_x


def test_the_svg_is_an_image_with_a_name_and_description():
    result = chart(
        series=[TimelineSeriesInput(name="huidige trede", values=[1, 2, 3])],
        highlights=[(2, "grote stap vooruit")],
        show_title=True,
    )
    svg = render_to_string("analytics/_timeline_chart.html", {"chart": result})
    assert 'role="img"' in svg
    assert 'aria-labelledby="grafiek-test-titel grafiek-test-beschrijving"' in svg
    assert '<title id="grafiek-test-titel">Ladder</title>' in svg
    assert '<desc id="grafiek-test-beschrijving">Beschrijving</desc>' in svg
    assert "grote stap vooruit</text>" in svg
    assert svg.count("<circle") == 3
    # Coordinates are never written with a decimal comma, whatever the language.
    assert not any("," in part for part in svg.split('d="')[1].split('"')[0].split())
