"""Reads of one client's outcomes, for the client page and the API (docs/outcomes.md).

The client has passed the door already (caseload.access) — or, for one recorded outcome,
`outcome_get_for_actor` passes it here. The list is the unified stream of outcomes.selectors
(recorded and derived alike), newest first; recorded outcomes come with their row, so a page can
offer to correct or remove them. A fixed number of queries, whatever the client's history.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import Client
from meedoen.instruments.models import Enrolment
from meedoen.outcomes.constants import RECORDED_KINDS, OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.selectors import outcome_events

PURPOSE = "casework"
DERIVED_KINDS = tuple(k.value for k in OutcomeKind if k not in RECORDED_KINDS)


@dataclass(frozen=True)
class ClientOutcome:
    kind: str
    label: str
    on: dt.date
    # One line of what it was, e.g. "20 uur per week, Vast contract, Bakkerij De Korf".
    detail: str
    # The row of a recorded outcome (None for derived ones: those are corrected at their source).
    record: OutcomeEvent | None = None


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def outcomes_recorded_for_client(*, client_id: Any) -> list[OutcomeEvent]:
    """The client's recorded outcomes with their enrolment's instrument, newest first: one query."""
    return list(
        OutcomeEvent.objects.filter(client_id=client_id)
        .select_related("enrolment__instrument")
        .order_by("-occurred_on", "-created_at")
    )


def _hours(value: Any) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return _("%(hours)s uur per week") % {"hours": text}


def recorded_detail(outcome: OutcomeEvent) -> str:
    parts: list[str] = []
    if outcome.hours_per_week is not None:
        parts.append(_hours(outcome.hours_per_week))
    if outcome.contract_type:
        parts.append(str(outcome.get_contract_type_display()))
    for text in (outcome.employer_name, outcome.sector, outcome.description):
        if text:
            parts.append(text)
    if outcome.ended_on:
        parts.append(_("geëindigd op %(date)s") % {"date": outcome.ended_on.strftime("%d-%m-%Y")})
    if outcome.enrolment_id and outcome.enrolment is not None:
        parts.append(_("na %(instrument)s") % {"instrument": outcome.enrolment.instrument.name})
    return ", ".join(parts)


def client_outcomes(*, client: Client) -> list[ClientOutcome]:
    """Every outcome of `client` (who passed the door), newest first: four queries."""
    labels = dict(OutcomeKind.choices)
    rows = [
        ClientOutcome(
            kind=o.kind,
            label=str(labels[o.kind]),
            on=o.occurred_on,
            detail=recorded_detail(o),
            record=o,
        )
        for o in outcomes_recorded_for_client(client_id=client.pk)
    ]
    reasons = dict(BenefitEndReason.choices)
    for event in outcome_events(
        municipality_id=client.municipality_id, client_ids=[client.pk], kinds=DERIVED_KINDS
    ):
        detail = ""
        if event.kind == OutcomeKind.BENEFIT_ENDED and event.reason:
            detail = _("reden: %(reason)s") % {"reason": reasons.get(event.reason, event.reason)}
        elif event.kind == OutcomeKind.LADDER_CHANGED and event.value is not None:
            detail = _("van trede %(before)s naar trede %(after)s") % {
                "before": event.previous,
                "after": int(event.value),
            }
        rows.append(
            ClientOutcome(
                kind=event.kind, label=str(labels[event.kind]), on=event.on, detail=detail
            )
        )
    # Stable: on one day the recorded ones (already newest first) stay before the derived ones.
    rows.sort(key=lambda row: row.on, reverse=True)
    return rows


def outcome_get_for_actor(
    *,
    actor: Any,
    outcome_id: object,
    origin: Origin,
    action: str = "outcomes.outcome.read",
    audit_allowed: bool = True,
) -> OutcomeEvent:
    """A recorded outcome of a client the actor may see through the door, with its client and
    enrolment; else ClientNotVisible, audited as a refusal under `action`. A write passes
    `audit_allowed=False`: the service writes the row."""
    pk = _as_uuid(outcome_id)
    outcome = (
        OutcomeEvent.objects.filter(pk=pk, client__in=clients_visible_to(actor=actor).values("pk"))
        .select_related("client", "enrolment__instrument")
        .first()
        if pk
        else None
    )
    if outcome is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=outcome,
            subject_id=outcome.client_id,
            purpose=PURPOSE,
            detail={"kind": outcome.kind},
        )
    return outcome


def enrolment_choices_for_client(*, client_id: Any) -> list[tuple[str, str]]:
    """Every enrolment of the client (whatever its status: a job often follows a finished
    training), for the form's select: one query."""
    return [
        (
            str(pk),
            _("%(instrument)s (aangemeld %(date)s)")
            % {"instrument": name, "date": timezone.localdate(requested_at).strftime("%d-%m-%Y")},
        )
        for pk, name, requested_at in Enrolment.objects.filter(client_id=client_id)
        .order_by("-requested_at")
        .values_list("pk", "instrument__name", "requested_at")
    ]


def client_get_for_outcomes(
    *, actor: Any, client_id: object, action: str, origin: Origin, audit_allowed: bool = True
) -> Client:
    """A client through the door's rule (clients_visible_to), for the outcome pages and API.

    One audit row named after what is done (`action`): denied when the actor may not see the
    client (ClientNotVisible, a 404), allowed otherwise — unless `audit_allowed` is off because a
    service writes the row of the action itself."""
    pk = _as_uuid(client_id)
    client = clients_visible_to(actor=actor).filter(pk=pk).first() if pk else None
    if client is None or audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=client,
            subject_id=client.pk if client else pk,
            purpose=PURPOSE,
            result=Result.ALLOWED if client else Result.DENIED,
        )
    if client is None:
        raise ClientNotVisible
    return client
