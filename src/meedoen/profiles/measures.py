"""Definitions that reports and later issues reuse: completeness, "big step forward", change.

Pure Python over values already loaded; no queries. The definitions are documented in
docs/profiles.md — change them there and here together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from meedoen.profiles.constants import ZRM_DOMAINS, ProfilePart

# --- completeness -------------------------------------------------------------------------------

PROFILE_PARTS: tuple[str, ...] = tuple(ProfilePart.values)


@dataclass(frozen=True)
class Completeness:
    filled: tuple[str, ...]  # ProfilePart codes, in PROFILE_PARTS order
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(100 * len(self.filled) / len(PROFILE_PARTS))

    @property
    def is_complete(self) -> bool:
        return not self.missing


def zrm_is_complete(scores: Mapping[str, int | None]) -> bool:
    """A complete ZRM assessment: all 13 domains scored 1 to 5 ("unknown" does not count)."""
    return all(scores.get(domain) is not None for domain in ZRM_DOMAINS)


def profile_completeness(
    *,
    talents: str,
    skills: Sequence[str],
    wishes: str,
    ambition_short: str,
    ambition_long: str,
    obstacle_count: int,
    no_obstacles: bool,
    zrm: Mapping[str, int | None],
    ladder_current: int | None,
    ladder_potential: int | None,
    work_readiness: str,
    education_level: str,
    dutch_level: str,
) -> Completeness:
    """Which parts of a profile are filled (docs/profiles.md, "Completeness").

    - talents: talents written down or at least one skill;
    - wishes: wishes and needs written down;
    - ambitions: a short-term or a long-term ambition;
    - obstacles: at least one obstacle, or "no obstacles" recorded explicitly;
    - life domains: a complete ZRM assessment (13 domains scored, none "unknown");
    - ladder: current and potential rung;
    - work profile: work readiness, education level and Dutch language level.
    """
    checks = {
        ProfilePart.TALENTS: bool(talents.strip() or skills),
        ProfilePart.WISHES: bool(wishes.strip()),
        ProfilePart.AMBITIONS: bool(ambition_short.strip() or ambition_long.strip()),
        ProfilePart.OBSTACLES: obstacle_count > 0 or no_obstacles,
        ProfilePart.LIFE_DOMAINS: zrm_is_complete(zrm),
        ProfilePart.LADDER: ladder_current is not None and ladder_potential is not None,
        ProfilePart.WORK: bool(work_readiness and education_level and dutch_level),
    }
    return Completeness(
        filled=tuple(part for part in PROFILE_PARTS if checks[ProfilePart(part)]),
        missing=tuple(part for part in PROFILE_PARTS if not checks[ProfilePart(part)]),
    )


# --- big step forward ---------------------------------------------------------------------------

# Arnhem's measure ("1 in 4 made a big step forward within half a year"), made precise: the
# current rung of the participatieladder is at least BIG_STEP_MIN_RUNGS higher than at an earlier
# conversation no more than BIG_STEP_WINDOW_DAYS before it. The outcomes issue reuses these.
BIG_STEP_MIN_RUNGS = 1
BIG_STEP_WINDOW_DAYS = 183


@dataclass(frozen=True)
class LadderPoint:
    date: dt.date
    current: int | None
    potential: int | None = None
    conversation_id: object = None


@dataclass(frozen=True)
class BigStep:
    start: LadderPoint
    end: LadderPoint

    @property
    def rungs(self) -> int:
        assert self.start.current is not None
        assert self.end.current is not None
        return self.end.current - self.start.current


def big_steps_forward(
    points: Iterable[LadderPoint],
    *,
    min_rungs: int = BIG_STEP_MIN_RUNGS,
    window_days: int = BIG_STEP_WINDOW_DAYS,
) -> list[BigStep]:
    """Every measurement that completes a big step forward, oldest first.

    A point P is a big step when some earlier point E (E.date >= P.date - window_days) has
    P.current - E.current >= min_rungs; the step reported starts at the lowest such E (the
    earliest of equals). Points without a current rung are skipped. Linear in the number of
    points times the points inside one window (a handful).
    """
    measured = sorted((p for p in points if p.current is not None), key=lambda p: p.date)
    steps: list[BigStep] = []
    for index, point in enumerate(measured):
        assert point.current is not None
        earliest = point.date - dt.timedelta(days=window_days)
        candidates = [e for e in measured[:index] if e.date >= earliest and e.date < point.date]
        if not candidates:
            continue
        lowest = min(candidates, key=lambda e: (e.current, e.date))
        assert lowest.current is not None
        if point.current - lowest.current >= min_rungs:
            steps.append(BigStep(start=lowest, end=point))
    return steps


def big_step_forward_between(
    points: Iterable[LadderPoint], *, start: dt.date, end: dt.date
) -> BigStep | None:
    """The first big step forward completed in [start, end], or None (for period reports)."""
    for step in big_steps_forward(points):
        if start <= step.end.date <= end:
            return step
    return None


# --- change since the previous conversation -----------------------------------------------------


@dataclass(frozen=True)
class ProfileChange:
    """What changed from one snapshot to the next. Deltas are None where either side is unknown."""

    previous_date: dt.date | None
    ladder_current: int | None
    ladder_potential: int | None
    zrm: dict[str, int | None] = field(default_factory=dict)
    obstacles_new: tuple[str, ...] = ()
    obstacles_gone: tuple[str, ...] = ()
    completeness: int | None = None

    @property
    def zrm_improved(self) -> tuple[str, ...]:
        return tuple(d for d, delta in self.zrm.items() if delta is not None and delta > 0)

    @property
    def zrm_worse(self) -> tuple[str, ...]:
        return tuple(d for d, delta in self.zrm.items() if delta is not None and delta < 0)


def _delta(new: int | None, old: int | None) -> int | None:
    return None if new is None or old is None else new - old


@dataclass(frozen=True)
class SnapshotValues:
    """The comparable values of one snapshot (see selectors.profile_history)."""

    date: dt.date
    ladder_current: int | None
    ladder_potential: int | None
    zrm: Mapping[str, int | None]
    obstacles: frozenset[str]
    completeness: int


def profile_change(current: SnapshotValues, previous: SnapshotValues | None) -> ProfileChange:
    if previous is None:
        return ProfileChange(previous_date=None, ladder_current=None, ladder_potential=None)
    return ProfileChange(
        previous_date=previous.date,
        ladder_current=_delta(current.ladder_current, previous.ladder_current),
        ladder_potential=_delta(current.ladder_potential, previous.ladder_potential),
        zrm={
            domain: _delta(current.zrm.get(domain), previous.zrm.get(domain))
            for domain in ZRM_DOMAINS
            if domain in current.zrm or domain in previous.zrm
        },
        obstacles_new=tuple(sorted(current.obstacles - previous.obstacles)),
        obstacles_gone=tuple(sorted(previous.obstacles - current.obstacles)),
        completeness=current.completeness - previous.completeness,
    )
