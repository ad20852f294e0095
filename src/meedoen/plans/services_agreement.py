"""Writes of the voluntary agreement (vrijwillige afspraken, docs/plans.md "The agreement").

- `agreement_create`: a new agreement from the plan as it is now (its current version), numbered
  1, 2, … per plan. When one was already made from this very version, that one is returned:
  the same version gives the same document, and a double click makes no second copy.
- `agreement_record_signed`: the client signed the printed agreement on `signed_on`; staff record
  it. Draft only; signed is final.
- `agreement_accept`: a member of the household accepted the newest agreement online (the client
  portal calls this with the signed-in portal user; the portal's door says which client that is).

Staff services check the one door again (casework on the household); every write is one
transaction with one audit row (`plans.agreement.*`), without free text. Making an agreement does
not change the plan, so it does not bump the plan's version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible
from meedoen.caseload.contacts import actor_name
from meedoen.clients.models import HouseholdMembership
from meedoen.plans.constants import ACTIVE_GOAL_STATUSES, AgreementStatus
from meedoen.plans.models import Agreement, Goal, Plan
from meedoen.plans.services import PURPOSE, _check_household
from meedoen.plans.services_client import PURPOSE as CLIENT_PURPOSE
from meedoen.plans.services_client import portal_own_client


def _audit(*, actor: Any, action: str, origin: Origin, agreement: Agreement, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=agreement,
        purpose=PURPOSE,
        detail={
            "household_id": str(agreement.plan.household_id),
            "number": agreement.number,
            "plan_version": agreement.plan_version,
            **detail,
        },
    )


def agreement_create(*, actor: Any, plan: Plan, origin: Origin) -> tuple[Agreement, bool]:
    """The agreement made from the plan's current version: (agreement, True) when made now,
    (the existing one, False) when one was already made from this version. A plan without a
    running goal has nothing to agree on: ValidationError on `plan`."""
    action = "plans.agreement.create"
    _check_household(actor=actor, household_id=plan.household_id, action=action, origin=origin)
    try:
        with transaction.atomic():
            # Locks the plan: the version read here is the one the agreement is made from.
            plan = Plan.objects.select_for_update().select_related("household").get(pk=plan.pk)
            existing = Agreement.objects.filter(plan_id=plan.pk, plan_version=plan.version).first()
            if existing is not None:
                existing.plan = plan
                return existing, False
            if not Goal.objects.filter(plan_id=plan.pk, status__in=ACTIVE_GOAL_STATUSES).exists():
                raise ValidationError(
                    {
                        "plan": _(
                            "Het plan heeft nog geen lopend doel. Zet eerst een doel in het plan; "
                            "daarna kunt u er afspraken van maken."
                        )
                    }
                )
            last = Agreement.objects.filter(plan_id=plan.pk).aggregate(last=Max("number"))["last"]
            agreement = Agreement.objects.create(
                plan=plan,
                number=(last or 0) + 1,
                plan_version=plan.version,
                created_by=actor,
                created_by_name=actor_name(actor),
            )
            _audit(actor=actor, action=action, origin=origin, agreement=agreement)
    except IntegrityError:
        # A colleague made the next number at the same moment (SQLite has no row lock).
        existing = Agreement.objects.filter(plan_id=plan.pk, plan_version=plan.version).first()
        if existing is None:
            raise
        return existing, False
    return agreement, True


def agreement_record_signed(
    *, actor: Any, agreement: Agreement, signed_on: dt.date, origin: Origin
) -> Agreement:
    """Record that the client signed the printed agreement on `signed_on` (not in the future,
    not before it was made). Only a draft can be signed; ValidationError otherwise."""
    action = "plans.agreement.sign"
    household_id = (
        Plan.objects.filter(pk=agreement.plan_id).values_list("household_id", flat=True).first()
    )
    _check_household(actor=actor, household_id=household_id, action=action, origin=origin)
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update().select_related("plan").get(pk=agreement.pk)
        )
        if agreement.status != AgreementStatus.DRAFT:
            raise ValidationError(
                {"status": _("Deze afspraken zijn al ondertekend of geaccepteerd.")}
            )
        if signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("Deze datum ligt in de toekomst.")})
        if signed_on < timezone.localdate(agreement.created_at):
            raise ValidationError(
                {"signed_on": _("Op deze datum waren de afspraken nog niet gemaakt.")}
            )
        agreement.status = AgreementStatus.SIGNED_ON_PAPER
        agreement.signed_on = signed_on
        agreement.signed_recorded_by = actor
        agreement.signed_recorded_by_name = actor_name(actor)
        agreement.save(
            update_fields=[
                "status",
                "signed_on",
                "signed_recorded_by",
                "signed_recorded_by_name",
                "updated_at",
            ]
        )
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            agreement=agreement,
            signed_on=signed_on.isoformat(),
        )
    return agreement


def agreement_accept(*, actor: Any, agreement: Agreement, origin: Origin) -> Agreement:
    """The client portal's service: the signed-in portal user `actor` (a User with the client
    role) accepts `agreement` online.

    Who the client is comes from the portal's door (plans.services_client, registered by the
    portal): the client must be a current member of the agreement's household, else
    ClientNotVisible (a 404), audited as a refusal. Only the household's newest agreement, and
    only while it is a draft, can be accepted; else ValidationError on `agreement`. The client
    is recorded as `accepted_by`; the audit row has the client as subject.
    """
    action = "plans.agreement.accept"
    client = portal_own_client(actor=actor, action=action, origin=origin)
    household_id = (
        Plan.objects.filter(pk=agreement.plan_id).values_list("household_id", flat=True).first()
    )
    member = (
        household_id is not None
        and client.household_id == household_id
        and HouseholdMembership.objects.filter(
            household_id=household_id, client_id=client.pk, end_date__isnull=True
        ).exists()
    )
    if not member:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            subject_id=client.pk,
            purpose=CLIENT_PURPOSE,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update().select_related("plan").get(pk=agreement.pk)
        )
        newest = Agreement.objects.filter(plan_id=agreement.plan_id).aggregate(n=Max("number"))["n"]
        if agreement.number != newest:
            raise ValidationError(
                {"agreement": _("Er zijn nieuwere afspraken. Accepteer de nieuwste afspraken.")}
            )
        if agreement.status != AgreementStatus.DRAFT:
            raise ValidationError(
                {"agreement": _("Deze afspraken zijn al ondertekend of geaccepteerd.")}
            )
        agreement.status = AgreementStatus.ACCEPTED_IN_PORTAL
        agreement.accepted_at = timezone.now()
        agreement.accepted_by = client
        agreement.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=agreement,
            subject_id=client.pk,
            purpose=CLIENT_PURPOSE,
            detail={
                "household_id": str(household_id),
                "number": agreement.number,
                "plan_version": agreement.plan_version,
            },
        )
    return agreement
