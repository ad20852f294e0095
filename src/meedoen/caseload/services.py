"""Writes for caseloads: contact person assignments and cover during absence.

Who may do this: the system (actor None: import, demo, commands) or a team lead of the same
municipality. A coach cannot assign a household to themselves — that would bypass need-to-know.
Every write is audited; errors are Dutch and name the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import CASEWORK_ROLES, Role
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.constants import AssignmentReason, CoverReason
from meedoen.caseload.models import Assignment, Cover
from meedoen.clients.models import Household


def _check_manager(*, actor: Any, municipality_id: object, field: str) -> None:
    if actor is None:
        return
    allowed = (
        getattr(actor, "is_active", False)
        and getattr(actor, "role", "") == Role.TEAM_LEAD
        and actor.municipality_id == municipality_id
    )
    if not allowed:
        raise ValidationError(
            {field: _("Alleen een teamleider van deze gemeente mag dit vastleggen.")}
        )


def _check_caseworker(*, user: Any, municipality_id: object, field: str) -> None:
    if user is None or not user.is_active or user.role not in CASEWORK_ROLES:
        raise ValidationError(
            {field: _("Kies een actieve klantregisseur of teamleider.")}, code="not_casework"
        )
    if user.municipality_id != municipality_id:
        raise ValidationError(
            {field: _("Deze medewerker werkt niet voor dezelfde gemeente.")},
            code="other_municipality",
        )


def _check_reason(reason: str, choices: Any) -> None:
    if reason not in choices.values:
        raise ValidationError({"reason": _("Kies een reden uit de lijst.")})


@transaction.atomic
def assignment_create(
    *,
    household: Household,
    coach: Any,
    start_date: dt.date,
    reason: str,
    actor: Any,
    origin: Origin,
) -> Assignment:
    """Make `coach` the contact person of `household` from `start_date`; the previous one ends."""
    _check_manager(actor=actor, municipality_id=household.municipality_id, field="coach")
    _check_caseworker(user=coach, municipality_id=household.municipality_id, field="coach")
    _check_reason(reason, AssignmentReason)
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("Een toewijzing kan niet in de toekomst ingaan.")})
    # Lock the household's open row so two team leads cannot both "close and open" at once.
    previous = Assignment.objects.select_for_update().open().filter(household=household).first()
    if previous is not None:
        if previous.coach_id == coach.pk:
            raise ValidationError(
                {"coach": _("Deze klantregisseur is al het contactpersoon van dit huishouden.")}
            )
        if start_date < previous.start_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "De ingangsdatum ligt voor het begin van de huidige toewijzing (%(date)s)."
                    )
                    % {"date": previous.start_date.strftime("%d-%m-%Y")}
                }
            )
        previous.end_date = start_date
        previous.save(update_fields=["end_date", "updated_at"])
    assignment = Assignment.objects.create(
        household=household,
        coach=coach,
        start_date=start_date,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="caseload.assignment.create",
        origin=origin,
        obj=assignment,
        purpose="casework",
        detail={
            "household_id": str(household.pk),
            "coach_id": coach.pk,
            "previous_coach_id": previous.coach_id if previous else None,
            "reason": reason,
        },
    )
    return assignment


@transaction.atomic
def assignments_bulk_create(
    *,
    pairs: Iterable[tuple[Household, Any]],
    start_date: dt.date,
    reason: str,
    actor: Any,
    origin: Origin,
    batch_size: int = 2000,
) -> int:
    """First assignment of many unassigned households at once (demo, a municipality's go-live).

    Refuses the whole batch if any household already has a contact person, so nothing is half
    written. One audit row for the batch, with the count.
    """
    _check_reason(reason, AssignmentReason)
    rows = []
    checked: dict[object, Any] = {}
    municipality_ids = set()
    for household, coach in pairs:
        if coach.pk not in checked:
            _check_caseworker(user=coach, municipality_id=household.municipality_id, field="coach")
            checked[coach.pk] = coach
        elif checked[coach.pk].municipality_id != household.municipality_id:
            _check_caseworker(user=coach, municipality_id=household.municipality_id, field="coach")
        municipality_ids.add(household.municipality_id)
        rows.append(
            Assignment(
                household=household,
                coach=coach,
                start_date=start_date,
                reason=reason,
                created_by=actor,
            )
        )
    for municipality_id in municipality_ids:
        _check_manager(actor=actor, municipality_id=municipality_id, field="coach")
    household_ids = [row.household_id for row in rows]
    if len(set(household_ids)) != len(household_ids):
        raise ValidationError({"household": _("Een huishouden staat meer dan eens in de lijst.")})
    already = 0
    for start in range(0, len(household_ids), batch_size):
        already += (
            Assignment.objects.open()
            .filter(household_id__in=household_ids[start : start + batch_size])
            .count()
        )
    if already:
        raise ValidationError(
            {
                "household": _(
                    "%(count)s huishoudens hebben al een klantregisseur; wijs die één voor één toe."
                )
                % {"count": already}
            }
        )
    Assignment.objects.bulk_create(rows, batch_size=batch_size)
    audit_record(
        actor=actor,
        action="caseload.assignment.bulk_create",
        origin=origin,
        purpose="casework",
        detail={"count": len(rows), "reason": reason},
    )
    return len(rows)


@transaction.atomic
def cover_create(
    *,
    absent_coach: Any,
    covering_coach: Any,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str,
    actor: Any,
    origin: Origin,
) -> Cover:
    """Let `covering_coach` see the caseload of `absent_coach` from `start_date` until `end_date`
    (not included; None: until ended with cover_end)."""
    municipality_id = getattr(absent_coach, "municipality_id", None)
    _check_caseworker(user=absent_coach, municipality_id=municipality_id, field="absent_coach")
    _check_manager(actor=actor, municipality_id=municipality_id, field="absent_coach")
    _check_caseworker(user=covering_coach, municipality_id=municipality_id, field="covering_coach")
    _check_reason(reason, CoverReason)
    if covering_coach.pk == absent_coach.pk:
        raise ValidationError(
            {"covering_coach": _("Een klantregisseur kan niet zichzelf vervangen.")}
        )
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("De einddatum ligt voor de begindatum.")})
    cover = Cover.objects.create(
        absent_coach=absent_coach,
        covering_coach=covering_coach,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="caseload.cover.create",
        origin=origin,
        obj=cover,
        purpose="casework",
        detail={
            "absent_coach_id": absent_coach.pk,
            "covering_coach_id": covering_coach.pk,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
        },
    )
    return cover


@transaction.atomic
def cover_end(
    *, cover: Cover, actor: Any, origin: Origin, end_date: dt.date | None = None
) -> Cover:
    """End a cover: from `end_date` (default today, so access stops at once) the colleague no
    longer sees the caseload."""
    cover = Cover.objects.select_for_update().select_related("absent_coach").get(pk=cover.pk)
    _check_manager(actor=actor, municipality_id=cover.absent_coach.municipality_id, field="cover")
    end_date = end_date or timezone.localdate()
    if cover.end_date is not None and cover.end_date <= end_date:
        raise ValidationError({"end_date": _("Deze vervanging is op die datum al afgelopen.")})
    # A cover that has not started yet ends before it begins: it never gives access.
    cover.end_date = max(end_date, cover.start_date)
    cover.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="caseload.cover.end",
        origin=origin,
        obj=cover,
        purpose="casework",
        detail={"end_date": cover.end_date.isoformat()},
    )
    return cover


@transaction.atomic
def caseload_transfer(
    *,
    from_coach: Any,
    to_coach: Any,
    start_date: dt.date,
    reason: str,
    actor: Any,
    origin: Origin,
) -> int:
    """Hand the whole current caseload of `from_coach` to `to_coach` (a coach leaves, or the demo
    gives a demo account its caseload). Set-based: two statements, whatever the caseload size."""
    municipality_id = getattr(from_coach, "municipality_id", None)
    _check_manager(actor=actor, municipality_id=municipality_id, field="to_coach")
    _check_caseworker(user=to_coach, municipality_id=municipality_id, field="to_coach")
    _check_reason(reason, AssignmentReason)
    if from_coach.pk == to_coach.pk:
        raise ValidationError({"to_coach": _("Kies een andere klantregisseur.")})
    current = Assignment.objects.select_for_update().open().filter(coach=from_coach)
    household_ids = list(current.values_list("household_id", flat=True))
    if current.filter(start_date__gt=start_date).exists():
        raise ValidationError(
            {"start_date": _("De ingangsdatum ligt voor het begin van een huidige toewijzing.")}
        )
    current.update(end_date=start_date, updated_at=timezone.now())
    Assignment.objects.bulk_create(
        [
            Assignment(
                household_id=household_id,
                coach=to_coach,
                start_date=start_date,
                reason=reason,
                created_by=actor,
            )
            for household_id in household_ids
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="caseload.assignment.transfer",
        origin=origin,
        purpose="casework",
        detail={
            "from_coach_id": from_coach.pk,
            "to_coach_id": to_coach.pk,
            "count": len(household_ids),
            "reason": reason,
        },
    )
    return len(household_ids)
