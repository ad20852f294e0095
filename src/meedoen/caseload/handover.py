"""Caseload management by the team lead (issue 5): assigning from the queue, the warm handover,
the intensity of an assignment, redistributing a leaving coach's caseload, the team's caseload
policy and a coach's profile.

Every write is a function with keyword-only `actor` and `origin`, runs in one transaction,
refuses with a Dutch error naming the field (writing nothing), and is audited. The household
comes through the door (caseload/access.py) in the caller; these functions check who may write.
History is never rewritten: a new contact person is a new Assignment, the previous one ends.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import Role
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.constants import (
    AppointmentStatus,
    AssignmentReason,
    ContactKind,
    ContactPurpose,
    Intensity,
)
from meedoen.caseload.models import (
    Appointment,
    Assignment,
    CaseloadPolicy,
    CoachProfile,
    Handover,
)
from meedoen.caseload.services import _check_caseworker, _check_manager
from meedoen.clients.models import Household
from meedoen.core.iso import language_name

PURPOSE = "casework"
MAX_TARGET = 500
MAX_WEEKS = 52
MAX_LANGUAGES = 20


def _name(user: Any) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.username)[:150]


def actor_leads_team_of(actor: Any, coach: Any) -> bool:
    """An active team lead of the coach's own team (same municipality)."""
    return bool(
        actor is not None
        and getattr(actor, "is_active", False)
        and getattr(actor, "role", "") == Role.TEAM_LEAD
        and actor.team_id is not None
        and actor.team_id == getattr(coach, "team_id", None)
        and actor.municipality_id == getattr(coach, "municipality_id", None)
    )


# Assigning and the warm handover ------------------------------------------------------------


@transaction.atomic
def household_assign(
    *,
    household: Household,
    coach: Any,
    reason: str,
    actor: Any,
    origin: Origin,
    handover_note: str = "",
    introduction_at: dt.datetime | None = None,
    introduction_kind: str = ContactKind.HOME_VISIT,
) -> Assignment:
    """Make `coach` the contact person of `household` from today.

    From the queue (no contact person yet): reason "first". Otherwise a warm handover: the
    previous assignment ends today, the new one keeps its intensity, and a Handover row holds the
    note for the new coach (required) and, when `introduction_at` is given, the joint
    introduction: an Appointment of the new coach with the previous one as second coach.
    """
    _check_manager(actor=actor, municipality_id=household.municipality_id, field="coach")
    _check_caseworker(user=coach, municipality_id=household.municipality_id, field="coach")
    if reason not in AssignmentReason.values:
        raise ValidationError({"reason": _("Kies een reden uit de lijst.")})
    today = timezone.localdate()
    handover_note = (handover_note or "").strip()
    previous = (
        Assignment.objects.select_for_update()
        .open()
        .filter(household_id=household.pk)
        .select_related("coach")
        .first()
    )
    errors: dict[str, Any] = {}
    if previous is None:
        if reason != AssignmentReason.FIRST:
            errors["reason"] = _(
                "Dit huishouden heeft nog geen klantregisseur: kies „Eerste toewijzing”."
            )
    else:
        if previous.coach_id == coach.pk:
            errors["coach"] = _("Deze klantregisseur is al het contactpersoon van dit huishouden.")
        if reason == AssignmentReason.FIRST:
            errors["reason"] = _(
                "Dit huishouden heeft al een klantregisseur: kies de reden van de overdracht."
            )
        if not handover_note:
            errors["handover_note"] = _(
                "Schrijf een overdrachtsnotitie voor de nieuwe klantregisseur."
            )
        if previous.start_date > today:
            errors["coach"] = _("De huidige toewijzing begint pas later; wijzig die eerst.")
    if len(handover_note) > 5000:
        errors["handover_note"] = _("De overdrachtsnotitie is te lang (ten hoogste 5000 tekens).")
    if introduction_at is not None and introduction_at <= timezone.now():
        errors["introduction_at"] = _("Kies voor de kennismaking een moment in de toekomst.")
    if introduction_kind not in ContactKind.values:
        errors["introduction_kind"] = _("Kies een soort contact uit de lijst.")
    if errors:
        raise ValidationError(errors)

    if previous is not None:
        previous.end_date = today
        previous.save(update_fields=["end_date", "updated_at"])
    assignment = Assignment.objects.create(
        household_id=household.pk,
        coach=coach,
        start_date=today,
        reason=reason,
        intensity=previous.intensity if previous is not None else Intensity.NORMAL,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="caseload.assignment.create",
        origin=origin,
        obj=assignment,
        purpose=PURPOSE,
        detail={
            "household_id": str(household.pk),
            "coach_id": coach.pk,
            "previous_coach_id": previous.coach_id if previous else None,
            "reason": reason,
        },
    )
    if previous is None and not handover_note and introduction_at is None:
        return assignment

    introduction = None
    if introduction_at is not None:
        introduction = Appointment.objects.create(
            municipality_id=household.municipality_id,
            household_id=household.pk,
            coach=coach,
            second_coach=previous.coach if previous is not None else None,
            starts_at=introduction_at,
            kind=introduction_kind,
            purpose=ContactPurpose.INTRODUCTION,
            status=AppointmentStatus.PLANNED,
        )
    handover = Handover.objects.create(
        assignment=assignment,
        from_coach=previous.coach if previous is not None else None,
        from_coach_name=_name(previous.coach) if previous is not None else "",
        note=handover_note,
        introduction=introduction,
    )
    audit_record(
        actor=actor,
        action="caseload.handover.create",
        origin=origin,
        obj=handover,
        purpose=PURPOSE,
        # No note text in the audit trail: only that there is one.
        detail={
            "household_id": str(household.pk),
            "from_coach_id": previous.coach_id if previous else None,
            "to_coach_id": coach.pk,
            "introduction": introduction is not None,
        },
    )
    return assignment


@transaction.atomic
def assignment_intensity_set(
    *, household: Household, intensity: str, actor: Any, origin: Origin
) -> Assignment:
    """Change the intensity of the household's current assignment. The coach of the household or
    the team lead of that coach's team may; a change is audited, an unchanged value writes
    nothing."""
    assignment = (
        Assignment.objects.select_for_update()
        .open()
        .filter(household_id=household.pk)
        .select_related("coach")
        .first()
    )
    if assignment is None:
        raise ValidationError(
            {"intensity": _("Dit huishouden heeft nog geen klantregisseur; wijs het eerst toe.")}
        )
    allowed = (
        actor is not None
        and getattr(actor, "is_active", False)
        and (actor.pk == assignment.coach_id or actor_leads_team_of(actor, assignment.coach))
    )
    if not allowed:
        raise ValidationError(
            {
                "intensity": _(
                    "Alleen de klantregisseur van dit huishouden of de teamleider mag de "
                    "intensiteit wijzigen."
                )
            }
        )
    if intensity not in Intensity.values:
        raise ValidationError({"intensity": _("Kies een intensiteit uit de lijst.")})
    if assignment.intensity == intensity:
        return assignment
    previous = assignment.intensity
    assignment.intensity = intensity
    assignment.save(update_fields=["intensity", "updated_at"])
    audit_record(
        actor=actor,
        action="caseload.assignment.intensity",
        origin=origin,
        obj=assignment,
        purpose=PURPOSE,
        detail={"household_id": str(household.pk), "from": previous, "to": intensity},
    )
    return assignment


@transaction.atomic
def caseload_redistribute(
    *,
    from_coach: Any,
    plan: Sequence[tuple[Any, Any]],
    actor: Any,
    origin: Origin,
    reason: str = AssignmentReason.STAFF_LEFT,
) -> int:
    """Hand households of `from_coach` to other coaches, each pair (household, to_coach) of the
    plan (usually the confirmed suggestions.redistribution_preview). All or nothing: any wrong
    pair refuses the whole plan. Set-based: one UPDATE, one INSERT, whatever the plan's size; each
    new assignment keeps the household's intensity. One audit row with the counts per coach."""
    if not actor_leads_team_of(actor, from_coach):
        raise ValidationError(
            {
                "from_coach": _(
                    "Alleen de teamleider van deze klantregisseur mag de caseload verdelen."
                )
            }
        )
    if reason not in AssignmentReason.values or reason == AssignmentReason.FIRST:
        raise ValidationError({"reason": _("Kies een reden uit de lijst.")})
    if not plan:
        raise ValidationError({"plan": _("Er is niets om te verdelen.")})
    household_ids = [getattr(h, "pk", h) for h, _coach in plan]
    if len(set(household_ids)) != len(household_ids):
        raise ValidationError({"plan": _("Een huishouden staat meer dan eens in de verdeling.")})
    checked: set[object] = set()
    for _household, to_coach in plan:
        if to_coach.pk in checked:
            continue
        _check_caseworker(user=to_coach, municipality_id=from_coach.municipality_id, field="plan")
        if to_coach.pk == from_coach.pk:
            raise ValidationError(
                {"plan": _("Kies voor elk huishouden een andere klantregisseur.")}
            )
        checked.add(to_coach.pk)
    today = timezone.localdate()
    current = (
        Assignment.objects.select_for_update()
        .open()
        .filter(coach_id=from_coach.pk, household_id__in=household_ids)
    )
    intensities = dict(current.values_list("household_id", "intensity"))
    if len(intensities) != len(household_ids):
        raise ValidationError(
            {
                "plan": _(
                    "%(count)s huishoudens staan niet (meer) op naam van deze klantregisseur. "
                    "Bekijk het voorstel opnieuw."
                )
                % {"count": len(household_ids) - len(intensities)}
            }
        )
    if current.filter(start_date__gt=today).exists():
        raise ValidationError({"plan": _("Een toewijzing in de verdeling begint pas later.")})
    current.update(end_date=today, updated_at=timezone.now())
    Assignment.objects.bulk_create(
        [
            Assignment(
                household_id=household_id,
                coach_id=to_coach.pk,
                start_date=today,
                reason=reason,
                intensity=intensities[household_id],
                created_by=actor,
            )
            for household_id, (_h, to_coach) in zip(household_ids, plan, strict=True)
        ],
        batch_size=2000,
    )
    per_coach = Counter(str(to_coach.pk) for _h, to_coach in plan)
    audit_record(
        actor=actor,
        action="caseload.assignment.redistribute",
        origin=origin,
        purpose=PURPOSE,
        detail={
            "from_coach_id": from_coach.pk,
            "count": len(household_ids),
            "to_coaches": dict(sorted(per_coach.items())),
            "reason": reason,
        },
    )
    return len(household_ids)


# Team settings ------------------------------------------------------------------------------


def _positive(value: Any, *, field: str, maximum: int, errors: dict[str, Any]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Vul een heel getal in.")
        return 0
    if not 1 <= number <= maximum:
        errors[field] = _("Vul een getal in van 1 tot en met %(max)s.") % {"max": maximum}
    return number


@transaction.atomic
def caseload_policy_update(
    *,
    team: Any,
    actor: Any,
    origin: Origin,
    caseload_target: int,
    contact_weeks_low: int,
    contact_weeks_normal: int,
    contact_weeks_high: int,
) -> CaseloadPolicy:
    """The team's caseload target and weeks without contact per intensity (team lead of that
    team). The row is locked while it is changed; only changed fields are written and audited."""
    if not (
        actor is not None
        and getattr(actor, "is_active", False)
        and actor.role == Role.TEAM_LEAD
        and actor.team_id == team.pk
    ):
        raise ValidationError(
            {"caseload_target": _("Alleen de teamleider van dit team mag de afspraken wijzigen.")}
        )
    errors: dict[str, Any] = {}
    values = {
        "caseload_target": _positive(
            caseload_target, field="caseload_target", maximum=MAX_TARGET, errors=errors
        ),
        "contact_weeks_low": _positive(
            contact_weeks_low, field="contact_weeks_low", maximum=MAX_WEEKS, errors=errors
        ),
        "contact_weeks_normal": _positive(
            contact_weeks_normal, field="contact_weeks_normal", maximum=MAX_WEEKS, errors=errors
        ),
        "contact_weeks_high": _positive(
            contact_weeks_high, field="contact_weeks_high", maximum=MAX_WEEKS, errors=errors
        ),
    }
    if not errors and not (
        values["contact_weeks_high"]
        <= values["contact_weeks_normal"]
        <= values["contact_weeks_low"]
    ):
        errors["contact_weeks_high"] = _(
            "Bij een hogere intensiteit hoort vaker contact: hoog ≤ normaal ≤ laag."
        )
    if errors:
        raise ValidationError(errors)
    # Defaults until the first save: a team without a row gets one only when the lead saves.
    policy = CaseloadPolicy.objects.select_for_update().filter(team_id=team.pk).first()
    if policy is None:
        policy = CaseloadPolicy(team_id=team.pk)
        changed = sorted(values)
    else:
        changed = sorted(name for name, value in values.items() if getattr(policy, name) != value)
    if not changed:
        return policy
    for name in changed:
        setattr(policy, name, values[name])
    if policy._state.adding:
        policy.save()
    else:
        policy.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="caseload.policy.update",
        origin=origin,
        obj=policy,
        purpose=PURPOSE,
        detail={"team_id": str(team.pk), "fields": changed, "values": values},
    )
    return policy


@transaction.atomic
def coach_profile_update(
    *,
    coach: Any,
    actor: Any,
    origin: Origin,
    languages: Sequence[str],
    hours_factor: Decimal | str | float,
    accepts_new: bool,
) -> CoachProfile:
    """Languages, part-time factor and whether the coach takes new households: the team lead of
    the coach's team, or a functional admin of the coach's municipality."""
    allowed = actor_leads_team_of(actor, coach) or (
        actor is not None
        and getattr(actor, "is_active", False)
        and actor.role == Role.FUNCTIONAL_ADMIN
        and actor.municipality_id is not None
        and actor.municipality_id == coach.municipality_id
    )
    if not allowed:
        raise ValidationError(
            {
                "hours_factor": _(
                    "Alleen de teamleider of een functioneel beheerder mag dit wijzigen."
                )
            }
        )
    errors: dict[str, Any] = {}
    try:
        factor = Decimal(str(hours_factor).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        factor = Decimal(0)
        errors["hours_factor"] = _("Vul een getal in, zoals 1,00 of 0,80.")
    else:
        if not Decimal("0.1") <= factor <= Decimal(1):
            errors["hours_factor"] = _("De deeltijdfactor ligt tussen 0,10 en 1,00.")
    codes: list[str] = []
    for code in languages:
        code = str(code).strip().lower()
        if code and code not in codes:
            codes.append(code)
    unknown = [code for code in codes if language_name(code) == code]
    if unknown:
        errors["languages"] = _("Deze taalcode kennen we niet: %(codes)s.") % {
            "codes": ", ".join(unknown[:3])
        }
    elif len(codes) > MAX_LANGUAGES:
        errors["languages"] = _("Ten hoogste %(max)s talen.") % {"max": MAX_LANGUAGES}
    if errors:
        raise ValidationError(errors)
    values = {"languages": codes, "hours_factor": factor, "accepts_new": bool(accepts_new)}
    profile = CoachProfile.objects.select_for_update().filter(coach_id=coach.pk).first()
    if profile is None:
        profile = CoachProfile(coach_id=coach.pk)
        changed = sorted(values)
    else:
        changed = sorted(name for name, value in values.items() if getattr(profile, name) != value)
    if not changed:
        return profile
    for name in changed:
        setattr(profile, name, values[name])
    if profile._state.adding:
        profile.save()
    else:
        profile.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="caseload.coach_profile.update",
        origin=origin,
        obj=profile,
        purpose=PURPOSE,
        detail={"coach_id": coach.pk, "fields": changed},
    )
    return profile
