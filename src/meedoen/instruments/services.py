"""Writes of the instrument catalogue and of clients' enrolments.

- Catalogue (categories, instruments): the functional admin and the team lead of the municipality
  (selectors.actor_may_manage_instruments), as for the partner registry. Nothing is deleted: an
  instrument or category leaves the choice lists by being made inactive, and enrolments keep
  pointing at it.
- Enrolments: the door (caseload.access) is checked again at every write — the actor must be able
  to do casework on the client's current household; a refusal is audited and is a 404.

Capacity and the waiting list (docs/instruments.md):

- A place is taken by a started enrolment and set aside for a requested one. An instrument without
  a capacity has unlimited places.
- A request becomes `requested` when a place is free and nobody waits, else `waiting`: the
  waiting list is first come, first served by the moment of the request.
- A requested enrolment may start while fewer than `capacity` have started. A waiting one may
  start only when it is first in line and a place is free (started + requested < capacity).
- When a place frees up (finish, stop) nothing starts by itself: the first on the waiting list is
  now first in line and the coach starts it. Starting is the coach's call (is the client still
  available, does the provider have a date?), and an automatic start would record a start that
  did not happen.
- Every capacity decision locks the instrument row (select_for_update), so two coaches cannot
  both take the last place.

Every write validates first (ValidationError per field, in Dutch), writes nothing on error, runs in
one transaction and leaves an audit row with codes only — never the notes. Edits are guarded by
the version the user saw (core/concurrency.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.clients.models import Client
from meedoen.core.concurrency import version_check, versioned_update
from meedoen.instruments import workflow
from meedoen.instruments.constants import (
    OPEN_STATUSES,
    EnrolmentResult,
    EnrolmentStatus,
    InstrumentKind,
    StopReason,
    TargetGroup,
)
from meedoen.instruments.inputs import (
    CategoryInput,
    EnrolmentFinishInput,
    EnrolmentRequestInput,
    EnrolmentStartInput,
    EnrolmentStopInput,
    InstrumentInput,
)
from meedoen.instruments.models import Category, Enrolment, Instrument, InstrumentTargetGroup
from meedoen.instruments.selectors import (
    actor_may_manage_instruments,
    instrument_usage,
    waiting_position,
)
from meedoen.partners.models import Organisation

PURPOSE = "casework"
REGISTRY_PURPOSE = "registry"
NAME_MAX = 200
CATEGORY_NAME_MAX = 100
DESCRIPTION_MAX = 10_000
NOTE_MAX = 5_000
CAPACITY_MAX = 100_000
COST_MAX = Decimal("1000000")
DURATION_MAX_WEEKS = 520  # ten years: longer is a typo, not a trajectory

S = EnrolmentStatus


class NotAllowed(PermissionError):
    """The actor may not do this at all (the caller answers 404)."""


class Errors:
    """Collects Dutch messages per field, to raise them all at once."""

    def __init__(self) -> None:
        self.messages: dict[str, list[Any]] = {}

    def add(self, name: str, message: Any) -> None:
        self.messages.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    return str(actor.get_full_name() or actor.get_username())[:150]


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _require_manager(actor: Any) -> None:
    if not actor_may_manage_instruments(actor):
        raise NotAllowed


# Categories -------------------------------------------------------------------------------------


def _category_values(
    *, municipality_id: Any, data: CategoryInput, exclude_pk: Any = None
) -> dict[str, Any]:
    errors = Errors()
    name = _text(data.name)
    if not name:
        errors.add("name", _("Vul de naam van de categorie in."))
    elif len(name) > CATEGORY_NAME_MAX:
        errors.add("name", _("De naam is te lang: hoogstens %(max)s tekens.") % {"max": 100})
    elif (
        Category.objects.filter(municipality_id=municipality_id, name__iexact=name)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        errors.add("name", _("Er is al een categorie met deze naam."))
    errors.raise_if_any()
    return {"name": name, "is_active": bool(data.is_active)}


def category_create(*, actor: Any, data: CategoryInput, origin: Origin) -> Category:
    _require_manager(actor)
    values = _category_values(municipality_id=actor.municipality_id, data=data)
    with transaction.atomic():
        category = Category.objects.create(municipality_id=actor.municipality_id, **values)
        audit_record(
            actor=actor,
            action="instruments.category.create",
            origin=origin,
            obj=category,
            purpose=REGISTRY_PURPOSE,
        )
    return category


def category_update(
    *, actor: Any, category: Category, expected_version: int, data: CategoryInput, origin: Origin
) -> list[str]:
    """Rename a category or make it (in)active. Returns the changed fields."""
    _require_manager(actor)
    if category.municipality_id != actor.municipality_id:
        raise NotAllowed
    version_check(category, expected_version)
    values = _category_values(
        municipality_id=category.municipality_id, data=data, exclude_pk=category.pk
    )
    changed = {k: v for k, v in values.items() if getattr(category, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        versioned_update(category, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="instruments.category.update",
            origin=origin,
            obj=category,
            purpose=REGISTRY_PURPOSE,
            detail={"fields": sorted(changed), "version": category.version},
        )
    return sorted(changed)


# Instruments ------------------------------------------------------------------------------------


def _instrument_values(
    *, municipality_id: Any, data: InstrumentInput, current: Instrument | None = None
) -> tuple[dict[str, Any], list[str], list[Category]]:
    """Check an instrument; returns its column values, target group codes and categories."""
    errors = Errors()
    name = _text(data.name)
    others = Instrument.objects.filter(municipality_id=municipality_id)
    if current is not None:
        others = others.exclude(pk=current.pk)
    if not name:
        errors.add("name", _("Vul de naam van het instrument in."))
    elif len(name) > NAME_MAX:
        errors.add("name", _("De naam is te lang: hoogstens %(max)s tekens.") % {"max": NAME_MAX})
    elif others.filter(name__iexact=name).exists():
        errors.add("name", _("Er staat al een instrument met deze naam in de catalogus."))
    if data.kind not in InstrumentKind.values:
        errors.add("kind", _("Kies een soort instrument uit de lijst."))
    description = str(data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors.add(
            "description",
            _("De omschrijving is te lang: hoogstens %(max)s tekens.") % {"max": DESCRIPTION_MAX},
        )

    provider: Organisation | None = None
    provider_name = _text(data.provider_name)
    if data.provider_id is not None:
        provider = Organisation.objects.filter(
            pk=data.provider_id, municipality_id=municipality_id
        ).first()
        keeps_current = current is not None and current.provider_id == data.provider_id
        if provider is None:
            errors.add(
                "provider", _("Kies een aanbieder uit het register van partnerorganisaties.")
            )
        elif not provider.is_active and not keeps_current:
            errors.add("provider", _("Deze organisatie is niet meer actief in het register."))
        else:
            # The registry's name, so the catalogue follows a renamed organisation when edited.
            provider_name = provider.name
    if len(provider_name) > NAME_MAX:
        errors.add(
            "provider_name",
            _("De naam van de aanbieder is te lang: hoogstens %(max)s tekens.") % {"max": NAME_MAX},
        )

    target_groups = list(dict.fromkeys(data.target_groups or []))
    if any(code not in TargetGroup.values for code in target_groups):
        errors.add("target_groups", _("Kies doelgroepen uit de lijst."))

    if data.capacity is not None and not 1 <= data.capacity <= CAPACITY_MAX:
        errors.add(
            "capacity",
            _(
                "Vul een aantal plaatsen in van 1 tot en met %(max)s, of laat het leeg "
                "voor onbeperkt."
            )
            % {"max": CAPACITY_MAX},
        )

    cost = data.cost_per_participant
    if cost is not None:
        try:
            cost = Decimal(cost)
        except (InvalidOperation, TypeError, ValueError):
            cost = None
            errors.add("cost_per_participant", _("Vul de kosten in als bedrag, zoals 1250,00."))
        else:
            if not cost.is_finite() or cost < 0 or cost >= COST_MAX:
                errors.add(
                    "cost_per_participant",
                    _("Vul kosten in van 0 tot 1.000.000 euro, of laat het leeg."),
                )
            elif cost != cost.quantize(Decimal("0.01")):
                errors.add(
                    "cost_per_participant", _("Vul de kosten in hele centen in, zoals 1250,00.")
                )

    weeks = data.usual_duration_weeks
    if weeks is not None and not 1 <= weeks <= DURATION_MAX_WEEKS:
        errors.add(
            "usual_duration_weeks",
            _("Vul een duur in van 1 tot en met %(max)s weken, of laat het leeg.")
            % {"max": DURATION_MAX_WEEKS},
        )

    category_ids = list(dict.fromkeys(data.category_ids or []))
    categories = list(Category.objects.filter(municipality_id=municipality_id, pk__in=category_ids))
    linked = set(current.categories.values_list("pk", flat=True)) if current is not None else set()
    if len(categories) != len(category_ids):
        errors.add("categories", _("Kies categorieën van uw gemeente uit de lijst."))
    elif any(not c.is_active and c.pk not in linked for c in categories):
        errors.add("categories", _("Een gekozen categorie is niet meer actief."))

    errors.raise_if_any()
    values = {
        "name": name,
        "kind": data.kind,
        "description": description,
        "provider": provider,
        "provider_name": provider_name,
        "capacity": data.capacity,
        "cost_per_participant": cost,
        "usual_duration_weeks": weeks,
        "is_active": bool(data.is_active),
    }
    return values, sorted(target_groups), categories


def _set_target_groups(instrument: Instrument, codes: list[str]) -> None:
    InstrumentTargetGroup.objects.filter(instrument=instrument).exclude(code__in=codes).delete()
    have = set(
        InstrumentTargetGroup.objects.filter(instrument=instrument).values_list("code", flat=True)
    )
    InstrumentTargetGroup.objects.bulk_create(
        [InstrumentTargetGroup(instrument=instrument, code=c) for c in codes if c not in have]
    )


def instrument_create(*, actor: Any, data: InstrumentInput, origin: Origin) -> Instrument:
    """Add an instrument to the catalogue of the actor's municipality."""
    _require_manager(actor)
    values, target_groups, categories = _instrument_values(
        municipality_id=actor.municipality_id, data=data
    )
    with transaction.atomic():
        instrument = Instrument.objects.create(municipality_id=actor.municipality_id, **values)
        _set_target_groups(instrument, target_groups)
        instrument.categories.set(categories)
        audit_record(
            actor=actor,
            action="instruments.instrument.create",
            origin=origin,
            obj=instrument,
            purpose=REGISTRY_PURPOSE,
            detail={"kind": instrument.kind, "capacity": instrument.capacity},
        )
    return instrument


def instrument_update(
    *,
    actor: Any,
    instrument: Instrument,
    expected_version: int,
    data: InstrumentInput,
    origin: Origin,
) -> list[str]:
    """Change an instrument (also: make it inactive, or active again). Returns changed fields.

    A lower capacity never ends enrolments that started: it only refuses new starts until enough
    have ended. A higher capacity starts nobody from the waiting list by itself.
    """
    _require_manager(actor)
    if instrument.municipality_id != actor.municipality_id:
        raise NotAllowed
    version_check(instrument, expected_version)
    values, target_groups, categories = _instrument_values(
        municipality_id=instrument.municipality_id, data=data, current=instrument
    )
    # The provider compares by id: the row's organisation is not loaded.
    new_ids = values | {"provider": values["provider"].pk if values["provider"] else None}
    changed = {
        k: v
        for k, v in values.items()
        if getattr(instrument, "provider_id" if k == "provider" else k) != new_ids[k]
    }
    old_groups = sorted(instrument.target_group_rows.values_list("code", flat=True))
    old_categories = set(instrument.categories.values_list("pk", flat=True))
    fields = sorted(changed)
    if old_groups != target_groups:
        fields.append("target_groups")
    if old_categories != {c.pk for c in categories}:
        fields.append("categories")
    if not fields:
        return []
    with transaction.atomic():
        versioned_update(instrument, expected_version=expected_version, values=changed)
        _set_target_groups(instrument, target_groups)
        instrument.categories.set(categories)
        audit_record(
            actor=actor,
            action="instruments.instrument.update",
            origin=origin,
            obj=instrument,
            purpose=REGISTRY_PURPOSE,
            detail={"fields": sorted(fields), "version": instrument.version},
        )
    return sorted(fields)


# Enrolments -------------------------------------------------------------------------------------


def _check_client(*, actor: Any, client_id: uuid.UUID, action: str, origin: Origin) -> Client:
    """The door's rule, checked again at the write; a refusal is audited and is a 404.

    Returns the client as the door sees it now (with its current household)."""
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


def _check_note(errors: Errors, name: str, value: str) -> str:
    value = str(value or "").strip()
    if len(value) > NOTE_MAX:
        errors.add(name, _("Gebruik hoogstens %(max)s tekens.") % {"max": NOTE_MAX})
    return value


def _lock(enrolment: Enrolment) -> tuple[Instrument, Enrolment]:
    """Lock the instrument, then the enrolment: always in that order, so two writers of the same
    instrument queue up instead of deadlocking."""
    instrument = Instrument.objects.select_for_update().get(pk=enrolment.instrument_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    return instrument, locked


def _enrolment_audit(
    *, actor: Any, action: str, origin: Origin, enrolment: Enrolment, **detail: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=enrolment,
        subject_id=enrolment.client_id,
        purpose=PURPOSE,
        detail={"instrument": str(enrolment.instrument_id), "status": enrolment.status} | detail,
    )


def enrolment_request(
    *,
    actor: Any,
    client: Client,
    instrument: Instrument,
    data: EnrolmentRequestInput,
    origin: Origin,
) -> Enrolment:
    """Enrol a client in an instrument: `requested` when a place is free, else on the waiting list.

    The enrolment belongs to the client's current household. Its place in line (when waiting) is
    `selectors.waiting_position`.
    """
    action = "instruments.enrolment.request"
    client = _check_client(actor=actor, client_id=client.pk, action=action, origin=origin)
    errors = Errors()
    if instrument is None or instrument.municipality_id != client.municipality_id:
        errors.add("instrument", _("Kies een instrument uit de catalogus van uw gemeente."))
    elif not instrument.is_active:
        errors.add("instrument", _("Dit instrument wordt niet meer aangeboden."))
    note = _check_note(errors, "note", data.note)
    errors.raise_if_any()
    household_id = client.household_id
    if household_id is None:  # the door never passes a client without a household; typed here
        raise ClientNotVisible
    with transaction.atomic():
        locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
        if Enrolment.objects.filter(
            instrument=locked, client_id=client.pk, status__in=OPEN_STATUSES
        ).exists():
            raise ValidationError(
                {
                    "instrument": [
                        _("%(name)s is al aangemeld voor %(instrument)s of doet er al aan mee.")
                        % {"name": client.full_name, "instrument": locked.name}
                    ]
                }
            )
        usage = instrument_usage(instrument=locked)
        full = locked.capacity is not None and (
            usage.places_taken >= locked.capacity or usage.waiting > 0
        )
        enrolment = Enrolment.objects.create(
            instrument=locked,
            client_id=client.pk,
            household_id=household_id,
            status=S.WAITING if full else S.REQUESTED,
            requested_at=timezone.now(),
            note=note,
            created_by=actor,
            created_by_name=_actor_name(actor),
        )
        position = waiting_position(enrolment=enrolment)
        _enrolment_audit(
            actor=actor, action=action, origin=origin, enrolment=enrolment, position=position
        )
    return enrolment


def _check_end(
    errors: Errors, name: str, ended_on: dt.date | None, enrolment: Enrolment, today: dt.date
) -> None:
    begin = enrolment.started_on or timezone.localdate(enrolment.requested_at)
    if ended_on is None:
        errors.add(name, _("Vul de einddatum in."))
    elif ended_on > today:
        errors.add(name, _("De einddatum ligt in de toekomst."))
    elif ended_on < begin:
        errors.add(
            name,
            _("De einddatum ligt voor %(date)s, de start of aanmelding.")
            % {"date": begin.strftime("%d-%m-%Y")},
        )


def _refuse_transition(enrolment: Enrolment, target: str) -> None:
    if not workflow.may_transition(enrolment.status, target):
        raise ValidationError(
            {
                "status": [
                    _("Dat kan niet: deze deelname is %(status)s.")
                    % {"status": str(enrolment.get_status_display()).lower()}
                ]
            }
        )


def enrolment_start(
    *,
    actor: Any,
    enrolment: Enrolment,
    expected_version: int,
    data: EnrolmentStartInput,
    origin: Origin,
) -> Enrolment:
    """Record that the client started. Refused when every place is taken, and for a waiting
    enrolment that is not first in line."""
    action = "instruments.enrolment.start"
    _check_client(actor=actor, client_id=enrolment.client_id, action=action, origin=origin)
    today = timezone.localdate()
    with transaction.atomic():
        instrument, locked = _lock(enrolment)
        version_check(locked, expected_version)
        _refuse_transition(locked, S.STARTED)
        errors = Errors()
        requested_on = timezone.localdate(locked.requested_at)
        if data.started_on is None:
            errors.add("started_on", _("Vul de startdatum in."))
        elif data.started_on > today:
            errors.add("started_on", _("De startdatum ligt in de toekomst."))
        elif data.started_on < requested_on:
            errors.add(
                "started_on",
                _("De startdatum ligt voor de aanmelding (%(date)s).")
                % {"date": requested_on.strftime("%d-%m-%Y")},
            )
        errors.raise_if_any()
        capacity = instrument.capacity
        if capacity is not None:
            usage = instrument_usage(instrument=instrument)
            if usage.started >= capacity:
                raise ValidationError(
                    {
                        "instrument": [
                            _(
                                "Alle %(capacity)s plaatsen van %(instrument)s zijn bezet. "
                                "Starten kan zodra iemand afrondt of stopt."
                            )
                            % {"capacity": capacity, "instrument": instrument.name}
                        ]
                    }
                )
            if locked.status == S.WAITING:
                position = waiting_position(enrolment=locked)
                if position != 1:
                    raise ValidationError(
                        {
                            "instrument": [
                                _(
                                    "Nog niet aan de beurt: nummer %(position)s op de wachtlijst. "
                                    "Wie het eerst is aangemeld, start het eerst."
                                )
                                % {"position": position}
                            ]
                        }
                    )
                if usage.places_taken >= capacity:
                    raise ValidationError(
                        {
                            "instrument": [
                                _(
                                    "Er is nog geen plaats vrij bij %(instrument)s: de plaatsen "
                                    "zijn bezet of gereserveerd voor wie al is aangemeld."
                                )
                                % {"instrument": instrument.name}
                            ]
                        }
                    )
        came_from = locked.status
        versioned_update(
            locked,
            expected_version=expected_version,
            values={"status": S.STARTED, "started_on": data.started_on},
        )
        _enrolment_audit(
            actor=actor, action=action, origin=origin, enrolment=locked, came_from=came_from
        )
    return locked


def enrolment_finish(
    *,
    actor: Any,
    enrolment: Enrolment,
    expected_version: int,
    data: EnrolmentFinishInput,
    origin: Origin,
) -> Enrolment:
    """Record that the client finished, with the result. Frees a place: the first on the waiting
    list is then first in line, and the coach starts them (nothing starts by itself)."""
    action = "instruments.enrolment.finish"
    _check_client(actor=actor, client_id=enrolment.client_id, action=action, origin=origin)
    with transaction.atomic():
        _instrument, locked = _lock(enrolment)
        version_check(locked, expected_version)
        _refuse_transition(locked, S.FINISHED)
        errors = Errors()
        _check_end(errors, "ended_on", data.ended_on, locked, timezone.localdate())
        if data.result not in EnrolmentResult.values:
            errors.add("result", _("Kies het resultaat uit de lijst."))
        end_note = _check_note(errors, "end_note", data.end_note)
        errors.raise_if_any()
        versioned_update(
            locked,
            expected_version=expected_version,
            values={
                "status": S.FINISHED,
                "ended_on": data.ended_on,
                "result": data.result,
                "end_note": end_note,
            },
        )
        _enrolment_audit(
            actor=actor, action=action, origin=origin, enrolment=locked, result=data.result
        )
    return locked


def enrolment_stop(
    *,
    actor: Any,
    enrolment: Enrolment,
    expected_version: int,
    data: EnrolmentStopInput,
    origin: Origin,
) -> Enrolment:
    """Record that the enrolment ended early (also before it began: afgezien), with the reason.

    "Andere reden" needs a note. A result is optional (someone who stops because they found work
    has a result all the same)."""
    action = "instruments.enrolment.stop"
    _check_client(actor=actor, client_id=enrolment.client_id, action=action, origin=origin)
    with transaction.atomic():
        _instrument, locked = _lock(enrolment)
        version_check(locked, expected_version)
        _refuse_transition(locked, S.STOPPED_EARLY)
        errors = Errors()
        _check_end(errors, "ended_on", data.ended_on, locked, timezone.localdate())
        if data.reason not in StopReason.values:
            errors.add("reason", _("Kies de reden van stoppen uit de lijst."))
        if data.result and data.result not in EnrolmentResult.values:
            errors.add("result", _("Kies het resultaat uit de lijst, of laat het leeg."))
        end_note = _check_note(errors, "end_note", data.end_note)
        if data.reason == StopReason.OTHER and not end_note:
            errors.add("end_note", _("Schrijf kort op waarom de deelname is gestopt."))
        errors.raise_if_any()
        came_from = locked.status
        versioned_update(
            locked,
            expected_version=expected_version,
            values={
                "status": S.STOPPED_EARLY,
                "ended_on": data.ended_on,
                "stop_reason": data.reason,
                "result": data.result,
                "end_note": end_note,
            },
        )
        _enrolment_audit(
            actor=actor,
            action=action,
            origin=origin,
            enrolment=locked,
            reason=data.reason,
            came_from=came_from,
        )
    return locked
