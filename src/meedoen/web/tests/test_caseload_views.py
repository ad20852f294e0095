"""The team lead's caseload pages (web.views_caseload): flows, errors and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.constants import AssignmentReason, Intensity
from meedoen.caseload.models import Appointment, Assignment, CaseloadPolicy, CoachProfile, Cover

pytestmark = pytest.mark.django_db


def _queries(http, url):
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    assert response.status_code == 200
    return len(queries)


def _coach(municipality, team, name):
    return User.objects.create_user(
        username=name, last_name=name, municipality=municipality, role=Role.COACH, team=team
    )


def test_team_page_shows_load_against_target(client, team_lead, coach, client_factory):
    for _ in range(3):
        client_factory()
    client.force_login(team_lead)
    response = client.get(reverse("web:caseload_team"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text  # the bar, with the numbers as text beside it
    assert ">3<" in text
    assert "6%" in text


def test_page_counts_do_not_grow(client, team_lead, municipality, team, client_factory):
    client.force_login(team_lead)
    for _ in range(2):
        client_factory(coach=None)
    few = (
        _queries(client, reverse("web:caseload_team")),
        _queries(client, reverse("web:assignment_queue")),
    )
    household = client_factory(coach=None).household
    few_assign = _queries(client, reverse("web:household_assign", args=[household.pk]))
    for n in range(10):
        coach = _coach(municipality, team, f"extra{n}")
        for _ in range(3):
            client_factory(coach=coach)
        client_factory(coach=None)
    many = (
        _queries(client, reverse("web:caseload_team")),
        _queries(client, reverse("web:assignment_queue")),
    )
    assert few == many
    assert _queries(client, reverse("web:household_assign", args=[household.pk])) == few_assign


def test_pages_are_404_for_a_coach(client, coach, client_factory):
    household = client_factory().household
    client.force_login(coach)
    for url in (
        reverse("web:caseload_team"),
        reverse("web:assignment_queue"),
        reverse("web:caseload_policy"),
        reverse("web:cover_create"),
        reverse("web:household_assign", args=[household.pk]),
        reverse("web:caseload_redistribute", args=[coach.pk]),
        reverse("web:coach_profile", args=[coach.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_assign_from_queue_with_suggestion(client, team_lead, coach, client_factory):
    household = client_factory(coach=None).household
    client.force_login(team_lead)
    queue = client.get(reverse("web:assignment_queue")).content.decode()
    assert household.reference in queue
    url = reverse("web:household_assign", args=[household.pk])
    page = client.get(url).content.decode()
    assert "caseload 0 van 50 (0%)" in page
    response = client.post(url, {"coach": str(coach.pk), "reason": AssignmentReason.FIRST})
    assert response.status_code == 303
    assert response["Location"] == reverse("web:household_detail", args=[household.pk])
    assert Assignment.objects.open().get(household=household).coach == coach


def test_handover_form_errors_and_success(client, team_lead, coach, colleague, client_factory):
    household = client_factory().household
    client.force_login(team_lead)
    url = reverse("web:household_assign", args=[household.pk])
    response = client.post(
        url,
        {
            "coach": str(colleague.pk),
            "reason": AssignmentReason.HANDOVER,
            "introduction_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#id_handover_note"' in text
    assert 'href="#id_introduction_time"' in text
    assert Assignment.objects.filter(household=household).count() == 1
    response = client.post(
        url,
        {
            "coach": "anders",
            "other_coach": str(colleague.pk),
            "reason": AssignmentReason.HANDOVER,
            "handover_note": "Loopt bij de schuldhulp.",
            "introduction_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "introduction_time": "10:30",
            "introduction_kind": "home_visit",
        },
    )
    assert response.status_code == 303
    assert Assignment.objects.open().get(household=household).coach == colleague
    appointment = Appointment.objects.get(household=household)
    assert appointment.second_coach == coach
    detail = client.get(response["Location"]).content.decode()
    assert "Loopt bij de schuldhulp." in detail  # the history and note stay on the household page


def test_intensity_page(client, coach, client_factory):
    household = client_factory().household
    client.force_login(coach)
    url = reverse("web:assignment_intensity", args=[household.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"intensity": "max"}).status_code == 400
    assert client.post(url, {"intensity": Intensity.HIGH}).status_code == 303
    assert Assignment.objects.open().get(household=household).intensity == Intensity.HIGH


def test_redistribute_preview_and_confirm(
    client, team_lead, coach, colleague, client_factory, municipality, team
):
    households = [client_factory().household for _ in range(2)]
    client.force_login(team_lead)
    url = reverse("web:caseload_redistribute", args=[coach.pk])
    page = client.get(url).content.decode()
    assert households[0].reference in page
    data = {f"plan-{h.pk}": str(colleague.pk) for h in households}
    data[f"plan-{households[1].pk}"] = ""  # keep this one
    response = client.post(url, data)
    assert response.status_code == 303
    assert Assignment.objects.open().get(household=households[0]).coach == colleague
    assert Assignment.objects.open().get(household=households[1]).coach == coach
    # A coach not of the team in the plan: nothing is written.
    outsider = User.objects.create_user(
        username="elders", municipality=municipality, role=Role.COACH
    )
    response = client.post(url, {f"plan-{households[1].pk}": str(outsider.pk)})
    assert response.status_code == 400
    assert Assignment.objects.open().get(household=households[1]).coach == coach


def test_policy_profile_and_cover(client, team_lead, coach, colleague, team):
    client.force_login(team_lead)
    response = client.post(
        reverse("web:caseload_policy"),
        {
            "caseload_target": "45",
            "contact_weeks_low": "8",
            "contact_weeks_normal": "4",
            "contact_weeks_high": "2",
        },
    )
    assert response.status_code == 303
    assert CaseloadPolicy.objects.get(team=team).caseload_target == 45
    response = client.post(
        reverse("web:coach_profile", args=[coach.pk]),
        {"languages": "Arabisch, Turks", "hours_factor": "0,8", "accepts_new": "on"},
    )
    assert response.status_code == 303
    assert CoachProfile.objects.get(coach=coach).languages == ["ar", "tr"]
    response = client.post(
        reverse("web:cover_create"),
        {
            "absent_coach": str(coach.pk),
            "covering_coach": str(colleague.pk),
            "start_date": timezone.localdate().isoformat(),
            "reason": "leave",
        },
    )
    assert response.status_code == 303
    cover = Cover.objects.get()
    assert "vervangt" in client.get(reverse("web:caseload_team")).content.decode()
    response = client.post(reverse("web:cover_end", args=[cover.pk]))
    assert response.status_code == 303
    cover.refresh_from_db()
    assert cover.end_date == timezone.localdate()
