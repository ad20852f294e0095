"""The definitions: completeness, big step forward, change, ISCO-08 table."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from meedoen.profiles.constants import ZRM_DOMAIN_HELP, ZRM_DOMAINS
from meedoen.profiles.isco import Occupation, isco_is_valid, isco_title, occupations
from meedoen.profiles.measures import (
    BIG_STEP_MIN_RUNGS,
    BIG_STEP_WINDOW_DAYS,
    LadderPoint,
    SnapshotValues,
    big_step_forward_between,
    big_steps_forward,
    profile_change,
    profile_completeness,
)

D = dt.date


def points(*pairs):
    return [LadderPoint(date=day, current=rung) for day, rung in pairs]


def test_big_step_is_one_rung_up_within_half_a_year():
    assert BIG_STEP_MIN_RUNGS == 1
    assert BIG_STEP_WINDOW_DAYS == 183
    steps = big_steps_forward(points((D(2024, 1, 1), 2), (D(2024, 7, 1), 3)))
    assert [(s.start.current, s.end.current, s.rungs) for s in steps] == [(2, 3, 1)]


def test_slow_or_no_progress_is_no_big_step():
    # 184 days: just outside the window.
    assert not big_steps_forward(points((D(2024, 1, 1), 2), (D(2024, 7, 3), 3)))
    assert not big_steps_forward(points((D(2024, 1, 1), 3), (D(2024, 3, 1), 3)))
    assert not big_steps_forward(points((D(2024, 1, 1), 4), (D(2024, 3, 1), 2)))
    assert not big_steps_forward([LadderPoint(date=D(2024, 1, 1), current=None)])


def test_big_step_counts_from_the_lowest_rung_in_the_window_and_is_order_free():
    series = points((D(2024, 4, 1), 4), (D(2024, 1, 1), 3), (D(2024, 2, 1), 2))
    steps = big_steps_forward(series)
    assert [(s.start.date, s.end.date, s.rungs) for s in steps] == [
        (D(2024, 2, 1), D(2024, 4, 1), 2)
    ]
    assert big_step_forward_between(series, start=D(2024, 3, 1), end=D(2024, 12, 31)) == steps[0]
    assert big_step_forward_between(series, start=D(2025, 1, 1), end=D(2025, 12, 31)) is None


def test_completeness_counts_seven_parts():
    empty = profile_completeness(
        talents="",
        skills=[],
        wishes="  ",
        ambition_short="",
        ambition_long="",
        obstacle_count=0,
        no_obstacles=False,
        zrm={},
        ladder_current=None,
        ladder_potential=None,
        work_readiness="",
        education_level="",
        dutch_level="",
    )
    assert empty.percent == 0
    assert len(empty.missing) == 7
    some = profile_completeness(
        talents="",
        skills=["lassen"],
        wishes="",
        ambition_short="",
        ambition_long="Chauffeur",
        obstacle_count=0,
        no_obstacles=True,
        zrm=dict.fromkeys(ZRM_DOMAINS, 3) | {"justitie": None},
        ladder_current=2,
        ladder_potential=None,
        work_readiness="werkfit",
        education_level="vmbo",
        dutch_level="B1",
    )
    assert some.filled == ("talenten", "ambities", "belemmeringen", "werkprofiel")
    assert some.percent == 57


def test_change_compares_with_the_previous_snapshot():
    before = SnapshotValues(D(2024, 1, 1), 2, 4, {"financien": 2}, frozenset({"taal"}), 50)
    after = SnapshotValues(D(2024, 5, 1), 3, 4, {"financien": 1, "justitie": 4}, frozenset(), 100)
    change = profile_change(after, before)
    assert (change.ladder_current, change.ladder_potential, change.completeness) == (1, 0, 50)
    assert change.zrm == {"financien": -1, "justitie": None}
    assert change.zrm_worse == ("financien",)
    assert change.obstacles_gone == ("taal",)


def test_isco_table_has_the_436_unit_groups_each_with_a_dutch_title():
    table = occupations()
    assert len(table) == 436
    assert all(len(code) == 4 and code.isdigit() for code in table)
    assert all(o.title_nl.strip() for o in table.values())
    assert isco_is_valid("9112")
    assert not isco_is_valid("9110")  # a minor group, not a unit group
    with translation.override("nl"):
        assert isco_title("9334") == "Vakkenvuller"
        assert isco_title("2111") == "Natuurkundige of astronoom"
        assert Occupation("2111", "Physicists and astronomers", "").title == (
            "Physicists and astronomers"
        )  # no Dutch title: English
    with translation.override("en"):
        assert isco_title("9334") == "Shelf fillers"
    assert isco_title("0000") == "0000"


def test_every_zrm_domain_has_our_own_help_text():
    assert set(ZRM_DOMAIN_HELP) == set(ZRM_DOMAINS)
    assert len(ZRM_DOMAINS) == 13
