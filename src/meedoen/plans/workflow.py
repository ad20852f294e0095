"""Allowed step transitions, as a table. Pure Python, no ORM."""

from __future__ import annotations

from meedoen.plans.constants import StepStatus

# A done or cancelled step can be reopened: a step marked done by mistake, or picked up again
# after a relapse, goes back on the list rather than being copied.
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    StepStatus.OPEN: frozenset({StepStatus.DONE, StepStatus.CANCELLED}),
    StepStatus.DONE: frozenset({StepStatus.OPEN}),
    StepStatus.CANCELLED: frozenset({StepStatus.OPEN}),
}


def step_may_move(current: str, new: str) -> bool:
    return new in STEP_TRANSITIONS.get(current, frozenset())
