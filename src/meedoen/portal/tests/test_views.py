"""The portal's pages (/mijn/), its login and the boundary to the staff side."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.testing import totp_device_create
from meedoen.audit.services import Origin
from meedoen.caseload.contacts import appointment_plan
from meedoen.caseload.inputs import AppointmentInput
from meedoen.plans.constants import StepStatus
from meedoen.plans.inputs import StepInput
from meedoen.plans.models import Goal, Plan, Step
from meedoen.plans.services import step_add
from meedoen.portal.tests.conftest import ORIGIN, in_days
from meedoen.portal.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def http():
    return HttpClient(HTTP_ACCEPT_LANGUAGE="nl")


def _version(plan) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=plan.pk)


# Login --------------------------------------------------------------------------------------


def test_anonymous_goes_to_the_portal_login(http):
    response = http.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_client_logs_in_on_the_portal_and_lands_on_mijn(http, client_user):
    response = http.post(reverse("portal:login"), {"username": "client", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert http.get(reverse("portal:home")).status_code == 200


def test_portal_login_refuses_staff_with_a_dutch_message(http, coach):
    response = http.post(
        reverse("portal:login"), {"username": "coach", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 200
    assert "Dit is de inlog voor cliënten" in response.content.decode()
    assert "_auth_user_id" not in http.session


def test_client_on_the_staff_login_is_sent_to_the_portal(http, client_user):
    response = http.post(reverse("web:login"), {"username": "client", "password": PASSWORD})
    assert response.status_code == 302
    response = http.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_digid_button_only_when_configured(http, settings):
    assert "DigiD" not in http.get(reverse("portal:login")).content.decode()
    settings.PORTAL_DIGID_LOGIN_URL = "https://broker.example.nl/digid/start"
    body = http.get(reverse("portal:login")).content.decode()
    assert "Inloggen met DigiD" in body
    assert 'href="https://broker.example.nl/digid/start"' in body


def test_second_factor_is_optional_for_clients_but_not_for_staff(
    http, settings, client_user, coach
):
    settings.REQUIRE_2FA = True
    response = http.post(reverse("portal:login"), {"username": "client", "password": PASSWORD})
    assert response["Location"] == reverse("portal:home")
    assert http.get(reverse("portal:home")).status_code == 200
    # A client who linked an app is asked for the code, like staff.
    http.post(reverse("web:logout"))
    totp_device_create(client_user)
    response = http.post(reverse("portal:login"), {"username": "client", "password": PASSWORD})
    assert response["Location"].startswith(reverse("web:otp_verify"))
    assert http.get(reverse("portal:home")).status_code == 302
    # Staff always.
    staff = HttpClient()
    response = staff.post(
        reverse("web:login"), {"username": "coach", "password": "correct-horse-battery-staple"}
    )
    assert response["Location"].startswith(reverse("web:otp_enrol"))


# The boundary -------------------------------------------------------------------------------


def test_client_user_reaches_nothing_of_the_staff_side(http, client_user, settings):
    http.force_login(client_user)
    assert http.get(reverse("web:home"))["Location"] == reverse("portal:home")
    for name in ("web:client_list", "web:my_caseload", "web:staff_list", "web:partner_list"):
        assert http.get(reverse(name)).status_code == 404, name
    assert http.get("/beheer/").status_code == 404
    response = http.get(reverse("api:client-list"))
    assert response.status_code == 403
    assert "geen toegang" in json.loads(response.content)["detail"]


def test_client_user_cannot_use_http_basic_on_the_api(http, client_user):
    import base64

    token = base64.b64encode(f"client:{PASSWORD}".encode()).decode()
    response = http.get(reverse("api:client-list"), HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)


def test_staff_user_management_neither_lists_nor_makes_clients(http, client_user, functional_admin):
    from meedoen.accounts.selectors_staff import staff_manageable_by

    assert client_user not in staff_manageable_by(actor=functional_admin)
    http.force_login(functional_admin)
    response = http.post(
        reverse("web:staff_create"),
        {
            "username": "nieuw",
            "first_name": "A",
            "last_name": "B",
            "email": "a@b.nl",
            "role": "client",
            "team": "",
        },
    )
    assert response.status_code == 400


def test_staff_get_a_404_in_the_portal(http, coach, plan_world):
    http.force_login(coach)
    assert http.get(reverse("portal:home")).status_code == 404
    assert http.get(reverse("portal:goal_create")).status_code == 404
    url = reverse("portal:step_create", args=[plan_world.own_goal.pk])
    assert http.get(url).status_code == 404


# Mijn plan ----------------------------------------------------------------------------------


def test_home_shows_own_goals_steps_contact_and_appointment(http, plan_world, coach):
    coach.first_name, coach.last_name = "Karin", "de Coach"
    coach.save(update_fields=["first_name", "last_name"])
    starts = timezone.make_aware(dt.datetime.combine(in_days(3), dt.time(10, 30)))
    appointment_plan(
        actor=coach,
        household=plan_world.client.household,
        data=AppointmentInput(starts_at=starts, kind="home_visit", location="Thuis-9931"),
        origin=ORIGIN,
    )
    http.force_login(plan_world.user)
    body = http.get(reverse("portal:home")).content.decode()
    assert "Eigen-doel-4401" in body
    assert "Eigen-stap-4402" in body
    assert "Coach-stap-4403" in body
    assert "Dit doet uw klantregisseur" in body
    assert "Karin de Coach" in body
    assert "10:30" in body
    assert "Thuis-9931" in body
    assert "Huisbezoek" in body
    # A fellow member's goals, the household reference and the BSN stay out.
    assert "Partner-doel-4404" not in body
    assert "Partner-stap-4405" not in body
    assert plan_world.client.household.reference not in body
    # Only the client's own step has a button.
    assert reverse("portal:step_done", args=[plan_world.own_step.pk]) in body
    assert reverse("portal:step_done", args=[plan_world.coach_step.pk]) not in body


def test_tick_off_own_step_then_undo(http, plan_world):
    http.force_login(plan_world.user)
    url = reverse("portal:step_done", args=[plan_world.own_step.pk])
    response = http.post(url, {"version": _version(plan_world.plan), "done": "1"})
    assert response.status_code == 303
    assert Step.objects.get(pk=plan_world.own_step.pk).status == StepStatus.DONE
    assert "Goed gedaan" in http.get(response["Location"]).content.decode()
    response = http.post(url, {"version": _version(plan_world.plan), "done": "0"})
    assert response.status_code == 303
    assert Step.objects.get(pk=plan_world.own_step.pk).status == StepStatus.OPEN


def test_tick_off_a_coachs_step_is_a_404(http, plan_world):
    http.force_login(plan_world.user)
    url = reverse("portal:step_done", args=[plan_world.coach_step.pk])
    assert http.post(url, {"version": _version(plan_world.plan), "done": "1"}).status_code == 404
    assert Step.objects.get(pk=plan_world.coach_step.pk).status == StepStatus.OPEN


def test_stale_tick_is_a_409_with_the_plan_as_it_is(http, plan_world):
    http.force_login(plan_world.user)
    url = reverse("portal:step_done", args=[plan_world.own_step.pk])
    response = http.post(url, {"version": _version(plan_world.plan) - 1, "done": "1"})
    assert response.status_code == 409
    assert "Er is niets opgeslagen" in response.content.decode()
    assert Step.objects.get(pk=plan_world.own_step.pk).status == StepStatus.OPEN


def test_add_goal_and_step(http, plan_world):
    http.force_login(plan_world.user)
    assert http.get(reverse("portal:goal_create")).status_code == 200
    response = http.post(
        reverse("portal:goal_create"),
        {"domain": "financien", "what": "Schulden op een rij", "due_on": in_days(40).isoformat()},
    )
    assert response.status_code == 303
    goal = Goal.objects.get(what="Schulden op een rij")
    assert goal.member_id == plan_world.client.pk
    response = http.post(
        reverse("portal:step_create", args=[goal.pk]),
        {"description": "Brieven sorteren", "due_on": in_days(5).strftime("%d-%m-%Y")},
    )
    assert response.status_code == 303
    assert Step.objects.get(description="Brieven sorteren").owner_kind == "client"


def test_bad_goal_is_a_400_with_dutch_messages(http, plan_world):
    http.force_login(plan_world.user)
    response = http.post(
        reverse("portal:goal_create"), {"domain": "", "what": "", "due_on": "morgen"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies waar uw doel over gaat." in body
    assert "Schrijf op wat u wilt bereiken." in body
    assert "Vul een datum in, bijvoorbeeld 31-12-2026." in body


def test_step_on_a_members_goal_is_a_404(http, plan_world):
    http.force_login(plan_world.user)
    url = reverse("portal:step_create", args=[plan_world.partner_goal.pk])
    assert http.get(url).status_code == 404
    response = http.post(url, {"description": "x", "due_on": in_days(2).isoformat()})
    assert response.status_code == 404
    assert not Step.objects.filter(description="x").exists()


def _grow(plan_world, coach, goals: int, steps: int) -> None:
    from meedoen.plans.inputs import GoalInput
    from meedoen.plans.services import goal_add

    for g in range(goals):
        goal = goal_add(
            actor=coach,
            plan=plan_world.plan,
            data=GoalInput(
                member_id=plan_world.client.pk,
                domain="werk_opleiding",
                what=f"Groei {g}",
                due_on=in_days(50),
            ),
            origin=Origin(channel="test"),
        )
        for s in range(steps):
            step_add(
                actor=coach,
                goal=goal,
                data=StepInput(description=f"Stap {g}.{s}", owner_kind="client", due_on=in_days(9)),
                origin=Origin(channel="test"),
            )


def test_home_query_count_does_not_grow_with_the_plan(
    http, plan_world, coach, django_assert_num_queries
):
    http.force_login(plan_world.user)
    http.get(reverse("portal:home"))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert http.get(reverse("portal:home")).status_code == 200
    _grow(plan_world, coach, goals=8, steps=5)
    with django_assert_num_queries(len(small.captured_queries)):
        body = http.get(reverse("portal:home")).content.decode()
    assert "Stap 7.4" in body
