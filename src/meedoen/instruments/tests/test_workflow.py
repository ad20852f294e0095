"""The enrolment transition table (pure)."""

from __future__ import annotations

import pytest

from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.workflow import INITIAL, TRANSITIONS, may_transition


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(S.values)
    assert {S.REQUESTED, S.WAITING} == INITIAL


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.REQUESTED, S.STARTED, True),
        (S.WAITING, S.STARTED, True),
        (S.REQUESTED, S.STOPPED_EARLY, True),
        (S.WAITING, S.STOPPED_EARLY, True),
        (S.STARTED, S.FINISHED, True),
        (S.STARTED, S.STOPPED_EARLY, True),
        (S.REQUESTED, S.FINISHED, False),
        (S.WAITING, S.FINISHED, False),
        (S.WAITING, S.REQUESTED, False),
        (S.STARTED, S.WAITING, False),
        (S.FINISHED, S.STARTED, False),
        (S.FINISHED, S.STOPPED_EARLY, False),
        (S.STOPPED_EARLY, S.STARTED, False),
        ("unknown", S.STARTED, False),
    ],
)
def test_transitions(current, target, allowed):
    assert may_transition(current, target) is allowed
