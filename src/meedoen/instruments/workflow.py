"""The enrolment's allowed status changes, as a table (pure Python, no ORM).

    requested ─┬─> started ─┬─> finished
    waiting  ──┘            └─> stopped_early
    requested, waiting ───────> stopped_early   (afgezien before it began)

A new enrolment starts as `requested` when a place is free, else as `waiting` (services.py decides
from the capacity). Nothing moves from `waiting` to `requested`: when a place frees up, the first
on the waiting list is started by the coach, straight from `waiting`.
"""

from __future__ import annotations

from meedoen.instruments.constants import EnrolmentStatus

S = EnrolmentStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.STARTED, S.STOPPED_EARLY}),
    S.WAITING: frozenset({S.STARTED, S.STOPPED_EARLY}),
    S.STARTED: frozenset({S.FINISHED, S.STOPPED_EARLY}),
    S.FINISHED: frozenset(),
    S.STOPPED_EARLY: frozenset(),
}

INITIAL = frozenset({S.REQUESTED, S.WAITING})


def may_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
