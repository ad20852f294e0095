"""The plan in the data-subject export, and erasure: an erased member's goals, steps, outcomes
and their part of every plan version go; the other members' plan and history stay."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from meedoen.audit.services import Origin
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import Client
from meedoen.plans.inputs import GoalInput, OutcomeInput, ReviewInput, StepInput
from meedoen.plans.models import (
    Goal,
    Plan,
    PlanVersion,
    PlanVersionMember,
    Review,
    ReviewOutcome,
    Step,
)
from meedoen.plans.selectors import plan_as_of
from meedoen.plans.services import goal_add, plan_open, review_record, step_add, step_update_status
from meedoen.plans.tests.factories import in_days
from meedoen.privacy.subject_access import subject_access_export_json

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


@pytest.fixture
def family_plan(coach, client_factory):
    main = client_factory(first_names="Fatima")
    partner = client_factory(household=main.household, role=HouseholdRole.PARTNER)
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    goals = {}
    for member, what in ((main, "Werk in de zorg"), (partner, "Taalcursus afronden")):
        goals[member.pk] = goal_add(
            actor=coach,
            plan=plan,
            data=GoalInput(
                member_id=member.pk, domain="werk_opleiding", what=what, due_on=in_days(90)
            ),
            origin=ORIGIN,
        )
        step_add(
            actor=coach,
            goal=goals[member.pk],
            data=StepInput(
                description=f"Eerste stap: {what}", owner_kind="client", due_on=in_days(7)
            ),
            origin=ORIGIN,
        )
    step = Step.objects.get(goal=goals[main.pk])
    step_update_status(
        actor=coach,
        step=step,
        status="done",
        expected_version=Plan.objects.get().version,
        origin=ORIGIN,
    )
    review_record(
        actor=coach,
        plan=plan,
        data=ReviewInput(
            held_on=timezone.localdate(),
            note="Samen terug- en vooruitgekeken.",
            outcomes=[
                OutcomeInput(goal_id=goals[main.pk].pk, result="achieved", note="Baan!"),
                OutcomeInput(goal_id=goals[partner.pk].pk, result="partly"),
            ],
        ),
        expected_version=Plan.objects.get().version,
        origin=ORIGIN,
    )
    return main, partner, plan


def test_export_holds_the_persons_own_goals_steps_reviews_and_versions_only(family_plan):
    main, _partner, _plan = family_plan
    export = json.loads(subject_access_export_json(client=main))
    assert [g["what"] for g in export["plan_goals"]] == ["Werk in de zorg"]
    assert export["plan_goals"][0]["status"] == "Behaald"
    assert export["plan_goals"][0]["domain"] == "Werk en opleiding"
    assert [s["description"] for s in export["plan_steps"]] == ["Eerste stap: Werk in de zorg"]
    assert export["plan_steps"][0]["status"] == "Gedaan"
    (review,) = export["plan_reviews"]
    assert (review["result"], review["note"]) == ("Behaald", "Baan!")
    assert review["review_note"] == "Samen terug- en vooruitgekeken."
    versions = export["plan_versions"]
    # Every version since the person's goal was added holds it: their goal and step, the
    # partner's goal and step, the step done, the review.
    assert [v["version"] for v in versions] == [2, 3, 4, 5, 6, 7]
    assert "Taalcursus" not in json.dumps(export)


def test_erasing_a_member_takes_their_plan_rows_and_history_and_keeps_the_others(family_plan):
    from meedoen.privacy.services import _client_erase

    main, partner, plan = family_plan
    versions = PlanVersion.objects.count()
    counts = _client_erase(client=Client.objects.get(pk=main.pk))
    assert counts["plans.goal"] == 1
    assert counts["plans.step"] == 1
    assert counts["plans.reviewoutcome"] == 1
    assert counts["plans.planversionmember"] == 6
    assert list(Goal.objects.values_list("member_id", flat=True)) == [partner.pk]
    assert not PlanVersionMember.objects.filter(member_id=main.pk).exists()
    # The plan goes on for the partner, with its whole history.
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert PlanVersion.objects.count() == versions
    assert ReviewOutcome.objects.count() == 1
    now = plan_as_of(household=plan.household, day=timezone.localdate())
    assert [g["what"] for g in now.goals] == ["Taalcursus afronden"]


def test_erasing_the_last_member_takes_the_whole_plan(coach, client_factory):
    from meedoen.privacy.services import _client_erase

    client = client_factory()
    plan = plan_open(actor=coach, household=client.household, origin=ORIGIN)
    goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=client.pk, domain="financien", what="Budget", due_on=in_days(9)),
        origin=ORIGIN,
    )
    counts = _client_erase(client=Client.objects.get(pk=client.pk))
    assert counts["households"] == 1
    assert not Plan.objects.exists()
    assert not PlanVersion.objects.exists()
    assert not Goal.objects.exists()
    assert not Review.objects.exists()


def test_the_pdf_export_renders_the_plan_sections(family_plan):
    from meedoen.privacy.subject_access import subject_access_export_pdf

    pdf = subject_access_export_pdf(client=family_plan[0])
    assert pdf.startswith(b"%PDF")
