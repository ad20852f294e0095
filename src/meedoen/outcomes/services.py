"""Writes of the outcomes a coach records: record one, correct it, remove a mistake
(docs/outcomes.md).

Only the recorded kinds (a job, an education started or finished, volunteer work) are written
here; the derived kinds live where they happen (outcomes.selectors) and are corrected there.

Every service:

- checks the one door again (caseload.access: the actor must be able to do casework on the
  client's current household, the same rule as enrolments and plan edits); a refusal is audited
  and is a 404 (ClientNotVisible);
- validates first and answers in Dutch per field (ValidationError), writing nothing on error;
- runs in one transaction and leaves one audit row with codes only (kind, whether it is a job of
  16 hours or more, the changed field names) — never the employer, the description or the note.

Corrections and removals take `expected_version` (the version the user saw,
core/concurrency.py): two people never silently overwrite or remove each other's change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.caseload.contacts import Errors, actor_name
from meedoen.clients.models import Client
from meedoen.core.concurrency import ConflictError, version_check, versioned_update
from meedoen.instruments.models import Enrolment
from meedoen.outcomes.constants import RECORDED_KINDS, ContractType, OutcomeKind, OutcomeSource
from meedoen.outcomes.inputs import OutcomeInput
from meedoen.outcomes.models import OutcomeEvent

PURPOSE = "casework"
HOURS_MAX = Decimal("60")
SECTOR_MAX = 100
EMPLOYER_MAX = 200
DESCRIPTION_MAX = 200
NOTE_MAX = 5_000
# The fields a correction may change; everything else (client, source, who) stays.
EDITABLE = (
    "kind",
    "occurred_on",
    "hours_per_week",
    "contract_type",
    "sector",
    "employer_name",
    "description",
    "ended_on",
    "enrolment_id",
    "note",
)


def _check_client(*, actor: Any, client_id: Any, action: str, origin: Origin) -> Client:
    """The door's rule, checked again at the write; a refusal is audited and is a 404."""
    client = clients_visible_to(actor=actor).filter(pk=client_id).first()
    if client is not None:
        return client
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        subject_id=client_id,
        purpose=PURPOSE,
        result=Result.DENIED,
    )
    raise ClientNotVisible


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _check_length(errors: Errors, name: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        errors.add(name, _("Gebruik hoogstens %(max)s tekens.") % {"max": maximum})


def _day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def _outcome_values(*, client: Client, data: OutcomeInput, today: dt.date) -> dict[str, Any]:
    """Check an outcome of `client`; returns its column values. Every message names the field."""
    errors = Errors()
    kind = str(data.kind or "")
    if kind not in {k.value for k in RECORDED_KINDS}:
        errors.add("kind", _("Kies de soort uitkomst uit de lijst."))
    is_job = kind == OutcomeKind.JOB_STARTED

    occurred_on = data.occurred_on
    born = client.date_of_birth
    if occurred_on is None:
        errors.add("occurred_on", _("Vul de datum in."))
    elif occurred_on > today:
        errors.add("occurred_on", _("De datum ligt in de toekomst; leg vast wat al gebeurd is."))
    elif born is not None and occurred_on < born:
        errors.add(
            "occurred_on",
            _("De datum ligt voor de geboortedatum van de cliënt (%(date)s).")
            % {"date": _day(born)},
        )

    hours = data.hours_per_week
    if hours is not None:
        try:
            hours = Decimal(hours)
        except (InvalidOperation, TypeError, ValueError):
            hours = None
            errors.add("hours_per_week", _("Vul het aantal uren in als getal, zoals 20 of 12,5."))
        else:
            if not is_job:
                errors.add(
                    "hours_per_week",
                    _("Uren per week horen alleen bij betaald werk; laat dit leeg."),
                )
            elif not hours.is_finite() or hours <= 0 or hours > HOURS_MAX:
                errors.add(
                    "hours_per_week",
                    _("Vul een aantal uren per week in van meer dan 0 tot en met 60."),
                )
            elif hours != hours.quantize(Decimal("0.1")):
                errors.add(
                    "hours_per_week", _("Vul de uren in op hoogstens één decimaal, zoals 12,5.")
                )

    contract_type = str(data.contract_type or "")
    if contract_type and contract_type not in ContractType.values:
        errors.add("contract_type", _("Kies het soort contract uit de lijst, of laat het leeg."))
    elif contract_type and not is_job:
        errors.add(
            "contract_type", _("Een soort contract hoort alleen bij betaald werk; laat dit leeg.")
        )
    sector = _text(data.sector)
    _check_length(errors, "sector", sector, SECTOR_MAX)
    employer_name = _text(data.employer_name)
    _check_length(errors, "employer_name", employer_name, EMPLOYER_MAX)
    if kind and not is_job:
        if sector:
            errors.add("sector", _("Een sector hoort alleen bij betaald werk; laat dit leeg."))
        if employer_name:
            errors.add(
                "employer_name", _("Een werkgever hoort alleen bij betaald werk; laat dit leeg.")
            )
    description = _text(data.description)
    _check_length(errors, "description", description, DESCRIPTION_MAX)
    note = str(data.note or "").strip()
    _check_length(errors, "note", note, NOTE_MAX)

    ended_on = data.ended_on
    if ended_on is not None:
        if ended_on > today:
            errors.add(
                "ended_on", _("De einddatum ligt in de toekomst; vul die in als het zover is.")
            )
        elif occurred_on is not None and ended_on < occurred_on:
            errors.add(
                "ended_on",
                _("De einddatum ligt voor de begindatum (%(date)s).") % {"date": _day(occurred_on)},
            )

    enrolment_id = data.enrolment_id
    if enrolment_id is not None and not (
        Enrolment.objects.filter(pk=enrolment_id, client_id=client.pk).exists()
    ):
        errors.add("enrolment", _("Kies een deelname van deze cliënt uit de lijst, of geen."))

    errors.raise_if_any()
    return {
        "kind": kind,
        "occurred_on": occurred_on,
        "hours_per_week": hours,
        "contract_type": contract_type,
        "sector": sector,
        "employer_name": employer_name,
        "description": description,
        "ended_on": ended_on,
        "enrolment_id": enrolment_id,
        "note": note,
    }


def _audit(
    *, actor: Any, action: str, origin: Origin, outcome: OutcomeEvent, **detail: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=outcome,
        subject_id=outcome.client_id,
        purpose=PURPOSE,
        detail={
            "kind": outcome.kind,
            "substantial_job": outcome.is_substantial_job,
            "enrolment": str(outcome.enrolment_id) if outcome.enrolment_id else None,
        }
        | detail,
    )


def outcome_record(
    *, actor: Any, client: Client, data: OutcomeInput, origin: Origin
) -> OutcomeEvent:
    """Record an outcome of `client` (source: the coach)."""
    action = "outcomes.outcome.record"
    client = _check_client(actor=actor, client_id=client.pk, action=action, origin=origin)
    values = _outcome_values(client=client, data=data, today=timezone.localdate())
    with transaction.atomic():
        outcome = OutcomeEvent.objects.create(
            municipality_id=client.municipality_id,
            client_id=client.pk,
            source=OutcomeSource.COACH,
            created_by=actor,
            created_by_name=actor_name(actor),
            **values,
        )
        _audit(actor=actor, action=action, origin=origin, outcome=outcome)
    return outcome


def outcome_update(
    *,
    actor: Any,
    outcome: OutcomeEvent,
    expected_version: int,
    data: OutcomeInput,
    origin: Origin,
) -> list[str]:
    """Correct a recorded outcome. Returns the changed fields (empty: nothing was written)."""
    action = "outcomes.outcome.update"
    client = _check_client(actor=actor, client_id=outcome.client_id, action=action, origin=origin)
    version_check(outcome, expected_version)
    values = _outcome_values(client=client, data=data, today=timezone.localdate())
    changed = {k: v for k, v in values.items() if getattr(outcome, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        versioned_update(outcome, expected_version=expected_version, values=changed)
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            outcome=outcome,
            fields=sorted(name.removesuffix("_id") for name in changed),
            version=outcome.version,
        )
    return sorted(name.removesuffix("_id") for name in changed)


def outcome_delete(
    *, actor: Any, outcome: OutcomeEvent, expected_version: int, origin: Origin
) -> None:
    """Remove an outcome recorded by mistake. The audit row keeps that it existed (kind, date
    of the removal, who), not what it said."""
    action = "outcomes.outcome.delete"
    _check_client(actor=actor, client_id=outcome.client_id, action=action, origin=origin)
    version_check(outcome, expected_version)
    with transaction.atomic():
        # The row as it is now, locked (PostgreSQL; SQLite serialises writers anyway): a
        # correction saved in between makes this a conflict, not a silent removal.
        current = (
            OutcomeEvent.objects.select_for_update()
            .filter(pk=outcome.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current != expected_version:
            raise ConflictError(expected_version=expected_version, current_version=current)
        OutcomeEvent.objects.filter(pk=outcome.pk).delete()
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            outcome=outcome,
            occurred_on=outcome.occurred_on.isoformat(),
        )
