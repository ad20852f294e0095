"""The plan of one client, as sections of the data-subject access export (AVG art. 15).

Registered with privacy.subject_access from PlansConfig.ready(): privacy sits below plans.
What counts as the person's: their own goals with the steps, what reviews concluded about them,
and their part of every stored version of the plan. Another member's goals are that member's and
stay out; a review's general note is about the household and is given with the outcomes.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext as _

from meedoen.clients.models import Client
from meedoen.plans.constants import (
    AgreementStatus,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    PlanChange,
    StepStatus,
)
from meedoen.plans.models import Agreement, Goal, PlanVersionMember, ReviewOutcome, Step
from meedoen.privacy.subject_access import ExtraSection
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain


def _label(choices: type, code: str) -> str:
    return str(dict(choices.choices).get(code, code)) if code else ""  # type: ignore[attr-defined]


def plan_goals_section(*, client: Client) -> ExtraSection:
    goals = Goal.objects.filter(member_id=client.pk).order_by("created_at")
    return ExtraSection(
        title=str(_("Uw doelen in het plan van aanpak")),
        intro=str(_("De doelen die in het plan van uw huishouden voor u staan.")),
        columns={
            "domain": str(_("Leefgebied")),
            "what": str(_("Doel")),
            "due_on": str(_("Wanneer bereikt")),
            "status": str(_("Stand")),
            "achieved_on": str(_("Behaald op")),
            "obstacle": str(_("Belemmering")),
            "ambition": str(_("Ambitie")),
            "author": str(_("Opgesteld door")),
        },
        rows=[
            {
                "domain": _label(ZrmDomain, g.domain),
                "what": g.what,
                "due_on": g.due_on.isoformat(),
                "status": _label(GoalStatus, g.status),
                "achieved_on": g.achieved_on.isoformat() if g.achieved_on else None,
                "obstacle": _label(ObstacleCategory, g.obstacle),
                "ambition": g.ambition,
                "author": _label(AuthorKind, g.author_kind),
            }
            for g in goals
        ],
    )


def plan_steps_section(*, client: Client) -> ExtraSection:
    steps = (
        Step.objects.filter(goal__member_id=client.pk)
        .select_related("goal", "organisation")
        .order_by("goal__created_at", "position")
    )
    return ExtraSection(
        title=str(_("Uw stappen in het plan van aanpak")),
        intro=str(_("De stappen naar uw doelen: wie ze doet, wanneer, en hoe ver ze zijn.")),
        columns={
            "goal": str(_("Doel")),
            "description": str(_("Stap")),
            "owner": str(_("Wie doet het")),
            "due_on": str(_("Wanneer klaar")),
            "status": str(_("Status")),
            "done_on": str(_("Gedaan op")),
        },
        rows=[
            {
                "goal": s.goal.what,
                "description": s.description,
                "owner": s.organisation.name if s.organisation else _label(OwnerKind, s.owner_kind),
                "due_on": s.due_on.isoformat(),
                "status": _label(StepStatus, s.status),
                "done_on": s.done_on.isoformat() if s.done_on else None,
            }
            for s in steps
        ],
    )


def plan_reviews_section(*, client: Client) -> ExtraSection:
    outcomes = (
        ReviewOutcome.objects.filter(goal__member_id=client.pk)
        .select_related("review", "goal")
        .order_by("-review__held_on", "goal__created_at")
    )
    return ExtraSection(
        title=str(_("Evaluaties van uw doelen")),
        intro=str(_("Wat bij de evaluaties van het plan over uw doelen is vastgesteld.")),
        columns={
            "held_on": str(_("Evaluatie op")),
            "goal": str(_("Doel")),
            "result": str(_("Uitkomst")),
            "note": str(_("Toelichting")),
            "review_note": str(_("Toelichting bij de evaluatie")),
            "recorded_by": str(_("Vastgelegd door")),
        },
        rows=[
            {
                "held_on": o.review.held_on.isoformat(),
                "goal": o.goal.what,
                "result": _label(GoalStatus, o.result),
                "note": o.note,
                "review_note": o.review.note,
                "recorded_by": o.review.recorded_by_name,
            }
            for o in outcomes
        ],
    )


def plan_versions_section(*, client: Client) -> ExtraSection:
    """Every stored version of the person's goals: the plan's history is kept, so it is theirs."""
    parts = (
        PlanVersionMember.objects.filter(member_id=client.pk)
        .select_related("version")
        .order_by("version__at", "version__number")
    )
    return ExtraSection(
        title=str(_("Eerdere versies van uw doelen")),
        intro=str(
            _(
                "Elke wijziging van het plan wordt bewaard. Zo stonden uw doelen er na elke "
                "wijziging."
            )
        ),
        columns={
            "at": str(_("Tijdstip")),
            "version": str(_("Versie")),
            "change": str(_("Wijziging")),
            "changed_by": str(_("Door")),
            "goals": str(_("Uw doelen (stand)")),
        },
        rows=[
            {
                "at": p.version.at.isoformat(timespec="seconds"),
                "version": p.version.number,
                "change": _label(PlanChange, p.version.change),
                "changed_by": p.version.actor_name,
                "goals": "; ".join(
                    f"{g.get('what', '')} ({_label(GoalStatus, g.get('status', ''))})"
                    for g in p.goals
                ),
            }
            for p in parts
        ],
    )


def plan_agreements_section(*, client: Client) -> ExtraSection:
    """The agreements made about the person: those whose plan version held their goals, or that
    they accepted. The list, not the documents: each can be printed again from the plan."""
    agreements = (
        Agreement.objects.filter(
            Q(
                plan__versions__number=F("plan_version"),
                plan__versions__members__member_id=client.pk,
            )
            | Q(accepted_by_id=client.pk)
        )
        .distinct()
        .order_by("created_at")
    )
    return ExtraSection(
        title=str(_("Uw vrijwillige afspraken")),
        intro=str(
            _(
                "De afspraken die van het plan zijn gemaakt, en of ze zijn ondertekend of "
                "geaccepteerd. Uw klantregisseur kan elke versie opnieuw voor u printen."
            )
        ),
        columns={
            "number": str(_("Nummer")),
            "created_at": str(_("Gemaakt op")),
            "created_by": str(_("Gemaakt door")),
            "plan_version": str(_("Van versie van het plan")),
            "status": str(_("Status")),
            "signed_on": str(_("Ondertekend op")),
            "accepted_at": str(_("Geaccepteerd op")),
        },
        rows=[
            {
                "number": a.number,
                "created_at": a.created_at.isoformat(timespec="seconds"),
                "created_by": a.created_by_name,
                "plan_version": a.plan_version,
                "status": _label(AgreementStatus, a.status),
                "signed_on": a.signed_on.isoformat() if a.signed_on else None,
                "accepted_at": a.accepted_at.isoformat(timespec="seconds")
                if a.accepted_at
                else None,
            }
            for a in agreements
        ],
    )
