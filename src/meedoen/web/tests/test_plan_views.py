"""The household plan pages (web.views_plan): opening the plan, goals, steps and their status,
reviews, the interval, the history and the plan as of a date; the door, 409 on a stale version,
Dutch messages, and query counts that do not grow with the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.constants import HouseholdRole
from meedoen.partners.models import Organisation
from meedoen.plans.constants import AuthorKind, GoalStatus, StepStatus
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Goal, Plan, PlanVersion, Review, Step
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.tests.factories import in_days

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


@pytest.fixture
def family(client_factory):
    main = client_factory(first_names="Fatima", surname="Berg")
    partner = client_factory(
        household=main.household, first_names="Karim", surname="Berg", role=HouseholdRole.PARTNER
    )
    return main, partner


@pytest.fixture
def plan(coach, family):
    return plan_open(actor=coach, household=family[0].household, origin=ORIGIN)


def add_goal(coach, plan, member, what="Een baan van 16 uur in de zorg") -> Goal:
    return goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=member.pk, domain="werk_opleiding", what=what, due_on=in_days(90)),
        origin=ORIGIN,
    )


def add_step(coach, goal, description="Cv maken", **kw) -> Step:
    return step_add(
        actor=coach,
        goal=goal,
        data=StepInput(description=description, owner_kind="client", due_on=in_days(14), **kw),
        origin=ORIGIN,
    )


def version_of(plan) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=plan.pk)


def url(name, *args):
    return reverse(f"web:{name}", args=args)


# --- the plan page -----------------------------------------------------------------------------


def test_a_household_without_a_plan_gets_a_button_and_post_opens_it(client, coach, family):
    household = family[0].household
    client.force_login(coach)
    page = client.get(url("plan_detail", household.pk)).content.decode()
    assert "nog geen plan van aanpak" in page
    assert "Plan maken" in page
    response = client.post(url("plan_detail", household.pk))
    assert response.status_code == 303
    assert response["Location"] == url("plan_detail", household.pk)
    assert Plan.objects.filter(household=household).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Het plan van aanpak is gemaakt." in page
    # A second POST opens nothing new.
    assert client.post(url("plan_detail", household.pk)).status_code == 303
    assert Plan.objects.count() == 1
    assert PlanVersion.objects.count() == 1


def test_plan_page_shows_goals_per_member_steps_review_relapse_and_ownership(
    client, coach, family, plan
):
    main, partner = family
    goal = add_goal(coach, plan, main)
    add_goal(coach, plan, partner, what="Elke week naar de taalcursus")
    add_step(coach, goal, "Cv maken")
    add_step(coach, goal, "Vacatures zoeken", author_kind=AuthorKind.CLIENT)
    client.force_login(coach)
    response = client.get(url("plan_detail", main.household_id))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Fatima Berg",
        "Karim Berg",
        "Werk en opleiding: Een baan van 16 uur in de zorg",
        "Elke week naar de taalcursus",
        "Cv maken",
        "Vacatures zoeken",
        "1 van 2 stappen door de cliënt zelf geschreven of afgevinkt (50%).",
        "Er is nog geen evaluatie vastgelegd.",
        url("plan_history", main.household_id),
    ):
        assert text in page, text
    assert AuditEvent.objects.filter(action="clients.household.read", result="allowed").exists()


def test_household_page_links_to_the_plan(client, coach, family):
    client.force_login(coach)
    page = client.get(url("household_detail", family[0].household_id)).content.decode()
    assert url("plan_detail", family[0].household_id) in page


def test_another_teams_household_is_a_404_everywhere_and_nothing_is_written(
    client, coach, other_team_coach, client_factory
):
    person = client_factory(coach=other_team_coach)
    plan = plan_open(actor=other_team_coach, household=person.household, origin=ORIGIN)
    goal = add_goal(other_team_coach, plan, person)
    step = add_step(other_team_coach, goal)
    client.force_login(coach)
    household_id = person.household_id
    for name in ("plan_detail", "plan_goal_create", "plan_review_create", "plan_history"):
        assert client.get(url(name, household_id)).status_code == 404, name
    for name in ("plan_goal_edit", "plan_step_create"):
        assert client.get(url(name, goal.pk)).status_code == 404, name
    version = version_of(plan)
    posts = [
        (url("plan_detail", household_id), {}),
        (
            url("plan_review_interval", household_id),
            {"version": version, "review_interval_months": 6},
        ),
        (url("plan_step_status", step.pk), {"version": version, "status": "done"}),
        (url("plan_goal_edit", goal.pk), {"version": version, "status": "dropped"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target
    assert version_of(plan) == version
    assert Step.objects.get(pk=step.pk).status == StepStatus.OPEN
    assert AuditEvent.objects.filter(result="denied").count() >= 10


def _page_queries(client, household_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("plan_detail", household_id)).status_code == 200
    return len(queries)


def test_plan_page_queries_do_not_grow_with_goals_and_steps(client, coach, client_factory):
    small, big = client_factory(), client_factory()
    small_plan = plan_open(actor=coach, household=small.household, origin=ORIGIN)
    add_step(coach, add_goal(coach, small_plan, small))
    big_plan = plan_open(actor=coach, household=big.household, origin=ORIGIN)
    for n in range(15):
        goal = add_goal(coach, big_plan, big, what=f"Doel {n}")
        if n < 3:
            for m in range(5):
                add_step(coach, goal, f"Stap {n}.{m}")
    client.force_login(coach)
    _page_queries(client, small.household_id)  # warm the session and translation caches
    assert _page_queries(client, small.household_id) == _page_queries(client, big.household_id)


# --- goals --------------------------------------------------------------------------------------


def goal_post(member, **overrides):
    data = {
        "member": str(member.pk),
        "domain": "werk_opleiding",
        "what": "Twee sollicitaties per week",
        "due_on": in_days(60).strftime("%d-%m-%Y"),
        "obstacle": "",
        "ambition": "Werken in de kinderopvang",
    }
    data.update(overrides)
    return data


def test_add_a_goal(client, coach, family, plan):
    main = family[0]
    client.force_login(coach)
    target = url("plan_goal_create", main.household_id)
    page = client.get(target).content.decode()
    assert "Fatima Berg (aanvrager)" in page
    response = client.post(target, goal_post(main, by_client="on"))
    assert response.status_code == 303
    goal = Goal.objects.get()
    assert response["Location"] == url("plan_detail", main.household_id) + f"#doel-{goal.pk}"
    assert goal.ambition == "Werken in de kinderopvang"
    assert goal.author_kind == AuthorKind.CLIENT
    assert (
        "Het doel is aan het plan toegevoegd." in client.get(response["Location"]).content.decode()
    )


def test_goal_errors_name_the_fields_in_dutch_and_write_nothing(client, coach, family, plan):
    main = family[0]
    client.force_login(coach)
    response = client.post(
        url("plan_goal_create", main.household_id),
        goal_post(main, what="", due_on=in_days(-3).isoformat()),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen" in page
    assert "Wat wil diegene bereiken: vul dit in." in page
    # The form is valid as typed; the service refuses the date.
    response = client.post(
        url("plan_goal_create", main.household_id),
        goal_post(main, due_on=in_days(-3).isoformat()),
    )
    assert response.status_code == 400
    assert "Wanneer bereikt: Deze datum ligt in het verleden" in response.content.decode()
    assert not Goal.objects.exists()


def test_goal_form_without_a_plan_is_a_404(client, coach, family):
    client.force_login(coach)
    assert client.get(url("plan_goal_create", family[0].household_id)).status_code == 404


def edit_post(goal, version, **overrides):
    data = {
        "version": version,
        "domain": goal.domain,
        "what": goal.what,
        "due_on": goal.due_on.isoformat(),
        "status": goal.status,
        "obstacle": goal.obstacle,
        "ambition": goal.ambition,
    }
    data.update(overrides)
    return data


def test_edit_a_goal_drops_it(client, coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    client.force_login(coach)
    target = url("plan_goal_edit", goal.pk)
    page = client.get(target).content.decode()
    assert "Een baan van 16 uur in de zorg" in page
    assert AuditEvent.objects.filter(action="plans.goal.read").exists()
    response = client.post(target, edit_post(goal, version_of(plan), status="dropped"))
    assert response.status_code == 303
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.DROPPED
    # The same values again: nothing is saved, and the user is told so.
    response = client.post(target, edit_post(Goal.objects.get(pk=goal.pk), version_of(plan)))
    assert response.status_code == 303
    assert "Er was niets gewijzigd" in client.get(response["Location"]).content.decode()


def test_a_stale_goal_edit_is_a_409_with_both_values_and_overwrites_nothing(
    client, coach, colleague, family, plan
):
    goal = add_goal(coach, plan, family[0])
    seen = version_of(plan)
    add_goal(coach, plan, family[1])  # someone changed the plan in between
    client.force_login(coach)
    response = client.post(
        url("plan_goal_edit", goal.pk), edit_post(goal, seen, what="Mijn nieuwe tekst")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft het plan gewijzigd" in page
    assert "Mijn nieuwe tekst" in page
    assert "Een baan van 16 uur in de zorg" in page
    assert f'name="version" value="{version_of(plan)}"' in page
    assert Goal.objects.get(pk=goal.pk).what == "Een baan van 16 uur in de zorg"


# --- steps ------------------------------------------------------------------------------------


def test_add_a_step_for_a_partner_organisation(client, coach, municipality, family, plan):
    goal = add_goal(coach, plan, family[0])
    organisation = Organisation.objects.create(
        municipality=municipality, name="Schuldhulp Zuid", kind="debt_counselling"
    )
    client.force_login(coach)
    target = url("plan_step_create", goal.pk)
    assert "Schuldhulp Zuid" in client.get(target).content.decode()
    data = {
        "description": "Aanmelden bij de schuldhulp",
        "owner_kind": "partner",
        "organisation": "",
        "due_on": in_days(7).isoformat(),
    }
    response = client.post(target, data)
    assert response.status_code == 400
    assert "Partnerorganisatie: Kies een actieve partnerorganisatie" in response.content.decode()
    response = client.post(target, {**data, "organisation": str(organisation.pk)})
    assert response.status_code == 303
    step = Step.objects.get()
    assert step.organisation == organisation
    assert "Schuldhulp Zuid" in client.get(response["Location"]).content.decode()


def test_step_buttons_mark_done_and_reopen(client, coach, family, plan):
    step = add_step(coach, add_goal(coach, plan, family[0]))
    client.force_login(coach)
    page = client.get(url("plan_detail", family[0].household_id)).content.decode()
    assert url("plan_step_status", step.pk) in page
    target = url("plan_step_status", step.pk)
    response = client.post(target, {"version": version_of(plan), "status": "done"})
    assert response.status_code == 303
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    assert step.done_on == timezone.localdate()
    assert step.completed_by_kind == AuthorKind.COACH
    assert "De stap is afgevinkt." in client.get(response["Location"]).content.decode()
    response = client.post(target, {"version": version_of(plan), "status": "open"})
    assert response.status_code == 303
    step.refresh_from_db()
    assert step.status == StepStatus.OPEN
    assert step.done_on is None


def test_a_step_status_that_is_not_allowed_is_a_400_with_a_dutch_message(
    client, coach, family, plan
):
    step = add_step(coach, add_goal(coach, plan, family[0]))
    client.force_login(coach)
    version = version_of(plan)
    response = client.post(url("plan_step_status", step.pk), {"version": version, "status": "open"})
    assert response.status_code == 400
    assert "De stap heeft deze status al." in response.content.decode()
    assert version_of(plan) == version


def test_a_stale_step_button_is_a_409_showing_the_current_plan(client, coach, family, plan):
    step = add_step(coach, add_goal(coach, plan, family[0]))
    seen = version_of(plan)
    add_goal(coach, plan, family[1])
    client.force_login(coach)
    response = client.post(url("plan_step_status", step.pk), {"version": seen, "status": "done"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft het plan gewijzigd" in page
    assert f'name="version" value="{version_of(plan)}"' in page
    assert Step.objects.get(pk=step.pk).status == StepStatus.OPEN


# --- reviews and the interval -------------------------------------------------------------------


def test_record_a_review_with_an_outcome_per_running_goal(client, coach, family, plan):
    first = add_goal(coach, plan, family[0])
    second = add_goal(coach, plan, family[1], what="Taalcursus")
    client.force_login(coach)
    target = url("plan_review_create", family[0].household_id)
    page = client.get(target).content.decode()
    assert "Uitkomst voor Fatima Berg" in page
    assert "Taalcursus" in page
    data = {
        "version": version_of(plan),
        "held_on": timezone.localdate().isoformat(),
        "note": "Goed gesprek",
        f"result_{first.pk}": "achieved",
    }
    response = client.post(target, data)
    assert response.status_code == 400
    assert "Uitkomst voor Karim Berg: Taalcursus: kies een van de mogelijkheden." in (
        response.content.decode()
    )
    assert not Review.objects.exists()
    data[f"result_{second.pk}"] = "partly"
    data[f"note_{second.pk}"] = "Twee lessen gemist"
    response = client.post(target, data)
    assert response.status_code == 303
    assert Goal.objects.get(pk=first.pk).status == GoalStatus.ACHIEVED
    page = client.get(response["Location"]).content.decode()
    assert "De evaluatie is vastgelegd." in page
    assert "Twee lessen gemist" in page
    assert "Deels behaald" in page


def test_a_stale_review_is_a_409_that_keeps_what_was_typed(client, coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    seen = version_of(plan)
    add_step(coach, goal)
    client.force_login(coach)
    response = client.post(
        url("plan_review_create", family[0].household_id),
        {
            "version": seen,
            "held_on": timezone.localdate().isoformat(),
            "note": "Mijn verslag van de evaluatie",
            f"result_{goal.pk}": "partly",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mijn verslag van de evaluatie" in page
    assert f'name="version" value="{version_of(plan)}"' in page
    assert not Review.objects.exists()


def test_change_the_review_interval(client, coach, family, plan):
    client.force_login(coach)
    target = url("plan_review_interval", family[0].household_id)
    response = client.post(target, {"version": version_of(plan), "review_interval_months": "13"})
    assert response.status_code == 400
    assert "Kies een termijn van 1 tot en met 12 maanden." in response.content.decode()
    response = client.post(target, {"version": version_of(plan), "review_interval_months": "6"})
    assert response.status_code == 303
    assert Plan.objects.get(pk=plan.pk).review_interval_months == 6
    assert client.get(target).status_code == 405


# --- history ----------------------------------------------------------------------------------


def test_history_lists_versions_and_shows_the_plan_as_of_a_date(client, coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    add_step(coach, goal, "Cv maken")
    client.force_login(coach)
    target = url("plan_history", family[0].household_id)
    page = client.get(target).content.decode()
    assert "Plan gemaakt" in page
    assert "Doel toegevoegd" in page
    assert "Stap toegevoegd" in page
    today = timezone.localdate()
    page = client.get(target, {"datum": today.isoformat()}).content.decode()
    assert f"Het plan op {today.strftime('%d-%m-%Y')}" in page
    assert "Versie 3" in page
    assert "Cv maken" in page
    assert "Fatima Berg" in page
    yesterday = today - dt.timedelta(days=1)
    page = client.get(target, {"datum": yesterday.strftime("%d-%m-%Y")}).content.decode()
    assert "Op die dag had dit huishouden nog geen plan." in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("gisteren", "vul een datum in als 31-12-2025"),
        ("2999-01-01", "kies vandaag of een dag in het verleden"),
    ],
)
def test_history_with_a_bad_date_says_so_in_dutch(client, coach, family, plan, typed, message):
    client.force_login(coach)
    response = client.get(url("plan_history", family[0].household_id), {"datum": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
