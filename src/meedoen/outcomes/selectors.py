"""One stream of outcome events per client, from wherever each kind is kept.

Recorded outcomes come from `OutcomeEvent`; the rest is derived where it happens, so nothing has
to be copied or kept in step:

- benefit ended (with its reason) and re-entry into the bijstand: `clients.BenefitPeriod`,
  which the import keeps (a period that starts after an earlier one of the same client ended is
  a re-entry);
- ladder rung changed: consecutive `profiles.ProfileSnapshot`s of a client (by conversation
  date) whose current rung differs;
- goal achieved: `plans.Goal.achieved_on`.

A fixed number of queries whatever the number of clients (one per source), rows as plain tuples:
the monitor and the effect evaluation read tens of thousands of them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from meedoen.clients.models import BenefitPeriod
from meedoen.outcomes.constants import RECORDED_KINDS, SUBSTANTIAL_JOB_HOURS, OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.plans.models import Goal
from meedoen.profiles.models import ProfileSnapshot


@dataclass(frozen=True, slots=True)
class Event:
    client_id: uuid.UUID
    kind: str  # OutcomeKind value
    on: dt.date
    # Jobs: hours per week (None when unknown); ladder changes: the new rung; otherwise None.
    value: float | None = None
    # Ladder changes: the previous rung; benefit ends: None (the reason is in `reason`).
    previous: int | None = None
    # Benefit ends: BenefitEndReason value; jobs: contract type; otherwise "".
    reason: str = ""

    @property
    def is_substantial_job(self) -> bool:
        return (
            self.kind == OutcomeKind.JOB_STARTED
            and self.value is not None
            and self.value >= SUBSTANTIAL_JOB_HOURS
        )

    @property
    def is_step_up(self) -> bool:
        return (
            self.kind == OutcomeKind.LADDER_CHANGED
            and self.previous is not None
            and self.value is not None
            and self.value > self.previous
        )


def outcome_events(
    *,
    municipality_id: Any,
    client_ids: Iterable[uuid.UUID] | QuerySet[Any] | None = None,
    kinds: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Iterator[Event]:
    """Every outcome event of the municipality's clients (or of `client_ids`: a list, or a
    `values("pk")` queryset to keep it one query), optionally of some kinds, between `since` and
    `until` (both inclusive). Order: per source, by client and date."""
    wanted = {str(k) for k in kinds} if kinds is not None else {k.value for k in OutcomeKind}
    ids = (
        list(client_ids)
        if client_ids is not None and not isinstance(client_ids, QuerySet)
        else client_ids
    )

    def scoped(qs: QuerySet[Any], client_field: str, date_field: str) -> QuerySet[Any]:
        if ids is not None:
            qs = qs.filter(**{f"{client_field}__in": ids})
        if since is not None:
            qs = qs.filter(**{f"{date_field}__gte": since})
        if until is not None:
            qs = qs.filter(**{f"{date_field}__lte": until})
        return qs

    recorded = wanted & {k.value for k in RECORDED_KINDS}
    if recorded:
        qs = scoped(
            OutcomeEvent.objects.filter(municipality_id=municipality_id, kind__in=recorded),
            "client_id",
            "occurred_on",
        )
        for client_id, kind, on, hours, contract in qs.order_by(
            "client_id", "occurred_on"
        ).values_list("client_id", "kind", "occurred_on", "hours_per_week", "contract_type"):
            yield Event(
                client_id, kind, on, float(hours) if hours is not None else None, None, contract
            )

    if OutcomeKind.BENEFIT_ENDED in wanted or OutcomeKind.BENEFIT_REENTRY in wanted:
        # Re-entries need the client's earlier periods, whatever `since` says: read them all.
        qs = BenefitPeriod.objects.filter(client__municipality_id=municipality_id)
        if ids is not None:
            qs = qs.filter(client_id__in=ids)
        previous_client, previous_end = None, None
        for client_id, start, end, reason in qs.order_by("client_id", "start_date").values_list(
            "client_id", "start_date", "end_date", "end_reason"
        ):
            if client_id != previous_client:
                previous_client, previous_end = client_id, None
            if (
                OutcomeKind.BENEFIT_REENTRY in wanted
                and previous_end is not None
                and start > previous_end
                and _within(start, since, until)
            ):
                yield Event(client_id, OutcomeKind.BENEFIT_REENTRY, start)
            if (
                end is not None
                and OutcomeKind.BENEFIT_ENDED in wanted
                and _within(end, since, until)
            ):
                yield Event(client_id, OutcomeKind.BENEFIT_ENDED, end, reason=reason)
            previous_end = end

    if OutcomeKind.LADDER_CHANGED in wanted:
        # The first snapshot has no "before": read from the start, report from `since`.
        qs = ProfileSnapshot.objects.filter(
            conversation__municipality_id=municipality_id, ladder_current__isnull=False
        )
        if ids is not None:
            qs = qs.filter(conversation__client_id__in=ids)
        previous_client, previous_rung = None, None
        for client_id, on, rung in qs.order_by(
            "conversation__client_id", "conversation__date", "conversation__created_at"
        ).values_list("conversation__client_id", "conversation__date", "ladder_current"):
            if client_id != previous_client:
                previous_client, previous_rung = client_id, None
            if rung is None:  # excluded by the query; says so to the type checker
                continue
            if previous_rung is not None and rung != previous_rung and _within(on, since, until):
                yield Event(client_id, OutcomeKind.LADDER_CHANGED, on, float(rung), previous_rung)
            previous_rung = rung

    if OutcomeKind.GOAL_ACHIEVED in wanted:
        qs = scoped(
            Goal.objects.filter(plan__municipality_id=municipality_id, achieved_on__isnull=False),
            "member_id",
            "achieved_on",
        )
        for client_id, on in qs.order_by("member_id", "achieved_on").values_list(
            "member_id", "achieved_on"
        ):
            yield Event(client_id, OutcomeKind.GOAL_ACHIEVED, on)


def _within(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)
