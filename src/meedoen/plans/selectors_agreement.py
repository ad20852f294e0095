"""Reads of the voluntary agreement (vrijwillige afspraken, docs/plans.md "The agreement").

`agreements_for_plan` takes a plan the caller reached through the door; `agreement_get_for_actor`
passes the door itself and audits. `agreement_content` is what the PDF shows, rebuilt from the
PlanVersion the agreement was made from: the same input always gives the same document, and a
member erased since is absent from it (their part of the version went with them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, households_visible_to
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Client
from meedoen.plans.constants import ACTIVE_GOAL_STATUSES, OwnerKind, StepStatus
from meedoen.plans.models import Agreement, PlanVersion, PlanVersionMember
from meedoen.profiles.constants import ZrmDomain

PURPOSE = "casework"


def agreements_for_plan(*, plan_id: Any) -> list[Agreement]:
    """Every agreement of the plan, newest first: one query."""
    return list(Agreement.objects.filter(plan_id=plan_id).order_by("-number"))


def agreement_get_for_actor(
    *,
    actor: Any,
    agreement_id: object,
    origin: Origin,
    action: str = "plans.agreement.read",
    audit_allowed: bool = True,
) -> Agreement:
    """An agreement of a household the actor may see (the door), with its plan, household and
    municipality; else ClientNotVisible, audited under `action`. A write passes
    `audit_allowed=False`: the service writes the row."""
    pk = as_uuid(agreement_id)
    agreement = (
        Agreement.objects.filter(
            pk=pk, plan__household_id__in=households_visible_to(actor=actor).values("pk")
        )
        .select_related("plan__household", "plan__municipality")
        .first()
        if pk
        else None
    )
    if agreement is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    if audit_allowed:
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
            },
        )
    return agreement


# What the PDF shows ------------------------------------------------------------------------------


@dataclass
class AgreementStep:
    description: str
    due_on: dt.date | None
    goal: str
    member: str
    # Who does it, when not the client: "Klantregisseur" or the partner organisation's name.
    who: str = ""
    instrument: str = ""


@dataclass
class AgreementGoal:
    domain: str
    what: str
    due_on: dt.date | None


@dataclass
class AgreementMember:
    name: str
    goals: list[AgreementGoal] = field(default_factory=list)


@dataclass
class AgreementContent:
    number: int
    plan_version: int
    made_on: dt.date
    coach: str
    municipality: str
    household_reference: str
    next_review_on: dt.date | None
    members: list[AgreementMember] = field(default_factory=list)
    client_steps: list[AgreementStep] = field(default_factory=list)
    support_steps: list[AgreementStep] = field(default_factory=list)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def agreement_content(*, agreement: Agreement, made_on: dt.date) -> AgreementContent:
    """The agreement as the PDF tells it: the running goals of every member in the version it
    was made from, their open steps split into what the client does and what the coach, the
    municipality and partner organisations do, and the next review. Three queries (the
    version, its members' parts, their names). `made_on` is the local date it was made."""
    plan = agreement.plan
    version = PlanVersion.objects.filter(plan_id=plan.pk, number=agreement.plan_version).first()
    parts = (
        list(PlanVersionMember.objects.filter(version=version).order_by("id")) if version else []
    )
    full_names = {
        c.pk: c.full_name
        for c in Client.objects.filter(pk__in=[p.member_id for p in parts]).only(
            "first_names", "name_prefix", "surname"
        )
    }
    domains = dict(ZrmDomain.choices)
    content = AgreementContent(
        number=agreement.number,
        plan_version=agreement.plan_version,
        made_on=made_on,
        coach=agreement.created_by_name,
        municipality=plan.municipality.name,
        household_reference=plan.household.reference,
        next_review_on=_day((version.snapshot if version else {}).get("next_review_on")),
    )
    for part in parts:
        name = full_names.get(part.member_id, "")
        member = AgreementMember(name=name)
        for goal in part.goals:
            if goal.get("status") not in ACTIVE_GOAL_STATUSES:
                continue
            what = goal.get("what", "")
            member.goals.append(
                AgreementGoal(
                    domain=str(domains.get(goal.get("domain", ""), "")),
                    what=what,
                    due_on=_day(goal.get("due_on")),
                )
            )
            for step in goal.get("steps", []):
                if step.get("status") != StepStatus.OPEN:
                    continue
                item = AgreementStep(
                    description=step.get("description", ""),
                    due_on=_day(step.get("due_on")),
                    goal=what,
                    member=name,
                    instrument=step.get("instrument", "") or "",
                )
                if step.get("owner_kind") == OwnerKind.CLIENT:
                    content.client_steps.append(item)
                else:
                    item.who = (
                        step.get("organisation") or ""
                        if step.get("owner_kind") == OwnerKind.PARTNER
                        else str(OwnerKind.COACH.label)
                    )
                    content.support_steps.append(item)
        if member.goals:
            content.members.append(member)
    return content
