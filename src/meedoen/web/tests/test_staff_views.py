"""User management pages (web.views_staff) and the set-password link (accounts.views_password)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.accounts.services_staff import staff_update
from meedoen.accounts.testing import totp_device_create
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin

pytestmark = pytest.mark.django_db
LIST_URL = reverse("web:staff_list")
CREATE_URL = reverse("web:staff_create")
PASSWORD = "een zin die ik onthoud"
LINK = re.compile(r"https?://[^/\s<]+(/wachtwoord-instellen/[^\s<]+/)")


def _edit_url(user) -> str:
    return reverse("web:staff_edit", kwargs={"user_id": user.pk})


def _named(user, first="Anna", last="Jansen"):
    user.first_name, user.last_name = first, last
    user.email = f"{user.username}@denhaag.nl"
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


def _new_coach(team, n: int) -> User:
    return User.objects.create_user(
        username=f"coach{n:03d}",
        first_name="Kees",
        last_name=f"Achternaam{n:03d}",
        email=f"coach{n:03d}@denhaag.nl",
        municipality=team.municipality,
        team=team,
        role=Role.COACH,
    )


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["coach", "team_lead", "analyst", "privacy_officer", "other_municipality_coach"]
)
def test_pages_do_not_exist_for_other_roles(client, request, persona, coach, team):
    client.force_login(request.getfixturevalue(persona))
    urls = [
        LIST_URL,
        CREATE_URL,
        _edit_url(coach),
        reverse("web:staff_deactivate", kwargs={"user_id": coach.pk}),
        reverse("web:staff_otp_reset", kwargs={"user_id": coach.pk}),
        reverse("web:team_list"),
        reverse("web:team_edit", kwargs={"team_id": team.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": 1, "name": "x"}).status_code == 404, url
    assert User.objects.get(pk=coach.pk).is_active


def test_a_functional_admin_of_another_municipality_gets_404_and_is_audited(
    client, coach, other_municipality
):
    """The matrix has one functional admin persona; here the admin of municipality B tries the
    pages of municipality A's coach."""
    admin_b = User.objects.create_user(
        username="beheerder-rotterdam", municipality=other_municipality, role=Role.FUNCTIONAL_ADMIN
    )
    client.force_login(admin_b)
    totp_device_create(coach)
    for name in ("staff_edit", "staff_deactivate", "staff_reactivate", "staff_otp_reset"):
        url = reverse(f"web:{name}", kwargs={"user_id": coach.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 1}).status_code == 404
    assert (
        client.post(
            _edit_url(coach),
            {
                "version": 1,
                "first_name": "X",
                "last_name": "Y",
                "email": "x@y.nl",
                "role": "analyst",
            },
        ).status_code
        == 404
    )
    coach.refresh_from_db()
    assert coach.is_active
    assert coach.role == Role.COACH
    assert TOTPDevice.objects.filter(user=coach).exists()
    denied = AuditEvent.objects.filter(action="accounts.user.read", result="denied")
    assert denied.count() == 9
    assert {e.municipality_code for e in denied} == {other_municipality.code}
    # Their own list does not show A's staff.
    assert "coach" not in [u.username for u in client.get(LIST_URL).context["page"].object_list]


def test_superusers_are_not_managed_here(admin_client, municipality):
    root = User.objects.create_superuser(username="root", password="x" * 20)
    root.municipality = municipality
    root.save()
    assert admin_client.get(_edit_url(root)).status_code == 404
    listed = [u.username for u in admin_client.get(LIST_URL).context["page"].object_list]
    assert "root" not in listed


# The list ---------------------------------------------------------------------------------


def test_list_shows_the_municipality_staff_with_2fa_and_is_audited(
    admin_client, coach, team_lead, other_municipality_coach
):
    _named(coach, "Anna", "Jansen")
    totp_device_create(coach)
    response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jansen, Anna" in page
    assert "coach@denhaag.nl" in page
    assert "coach-rotterdam" not in page
    rows = {u.username: u for u in response.context["page"].object_list}
    assert rows["coach"].has_totp
    assert not rows["teamleider"].has_totp
    event = AuditEvent.objects.filter(action="accounts.user.list").latest("seq")
    assert event.detail == {"channel": "web", "count": len(rows), "filters": []}


def test_list_filters_by_role_team_and_active(
    admin_client, coach, colleague, other_team_coach, team
):
    colleague.is_active = False
    colleague.save()
    response = admin_client.get(LIST_URL, {"rol": "coach", "team": str(team.pk), "actief": "ja"})
    assert [u.username for u in response.context["page"].object_list] == ["coach"]
    event = AuditEvent.objects.filter(action="accounts.user.list").latest("seq")
    assert event.detail["filters"] == ["active", "role", "team"]
    # Values never go into the audit row.
    assert str(team.pk) not in str(event.detail)
    response = admin_client.get(LIST_URL, {"actief": "nee"})
    assert [u.username for u in response.context["page"].object_list] == ["collega"]
    response = admin_client.get(LIST_URL, {"team": "geen"})
    names = {u.username for u in response.context["page"].object_list}
    assert names == {"beheerder"}


def test_list_rejects_an_unknown_filter_value_in_dutch(admin_client):
    response = admin_client.get(LIST_URL, {"rol": "superuser"})
    assert response.status_code == 400
    assert "Kies een rol uit de lijst." in response.content.decode()


def test_list_is_paginated_and_pages_keep_the_filter(admin_client, team):
    for n in range(30):
        _new_coach(team, n)
    response = admin_client.get(LIST_URL, {"rol": "coach"})
    assert len(response.context["page"].object_list) == 25
    assert "?rol=coach&amp;pagina=2" in response.content.decode()
    second = admin_client.get(LIST_URL, {"rol": "coach", "pagina": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_query_count_does_not_grow(admin_client, team, django_assert_max_num_queries):
    _new_coach(team, 1)
    # 11: session, user, teams for the filter, count, the page, the municipality (header and
    # audit), the audit row with its chain head, and saving the session.
    with django_assert_max_num_queries(11) as few:
        admin_client.get(LIST_URL)
    for n in range(2, 24):
        totp_device_create(_new_coach(team, n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 24


def test_edit_page_query_count_is_fixed(
    admin_client, coach, client_factory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14) as few:
        admin_client.get(_edit_url(coach))
    for _ in range(5):
        client_factory()
    totp_device_create(coach)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(_edit_url(coach))


# Create and the set-password link --------------------------------------------------------


def _create_body(team_obj, **overrides):
    body = {
        "username": "j.devries",
        "first_name": "Jan",
        "last_name": "de Vries",
        "email": "j.devries@denhaag.nl",
        "role": "coach",
        "team": str(team_obj.pk),
    }
    body.update(overrides)
    return body


def test_create_shows_a_one_time_link_that_sets_the_password(admin_client, team):
    response = admin_client.post(CREATE_URL, _create_body(team))
    assert response.status_code == 303
    user = User.objects.get(username="j.devries")
    assert response["Location"] == _edit_url(user)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Het account van Jan de Vries is aangemaakt." in page
    match = LINK.search(page)
    assert match, "the set-password link is shown"
    link = match.group(1)
    # Shown once: the next view of the page does not show it again.
    assert not LINK.search(admin_client.get(_edit_url(user)).content.decode())

    # The new colleague (another browser) follows the link: the token moves into the session.
    new = HttpClient()
    first = new.get(link)
    assert first.status_code == 302
    assert first["Location"].endswith("/instellen/")
    assert INTERNAL_RESET_SESSION_TOKEN in new.session
    form = new.get(first["Location"])
    assert "j.devries" in form.content.decode()
    # Bad input: Dutch messages, nothing set.
    short = new.post(first["Location"], {"new_password1": "kort", "new_password2": "kort"})
    assert short.status_code == 200
    assert "Dit wachtwoord is te kort: gebruik minstens 12 tekens." in short.content.decode()
    assert not User.objects.get(pk=user.pk).has_usable_password()
    done = new.post(first["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 303
    assert done["Location"] == reverse("web:login")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user.password_set", actor_id=user.pk).exists()
    # The link works once.
    again = HttpClient().get(link)
    assert again.status_code == 200
    assert "Deze link werkt niet (meer)" in again.content.decode()
    # And the user logs in with it.
    login = HttpClient().post(reverse("web:login"), {"username": "j.devries", "password": PASSWORD})
    assert login.status_code == 302


def test_create_with_errors_shows_dutch_messages_and_writes_nothing(admin_client, team, coach):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = admin_client.post(
        CREATE_URL, _create_body(team, username="coach", email="fout", team="", first_name="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen. Controleer de gemarkeerde velden." in page
    assert "Deze gebruikersnaam is al in gebruik. Kies een andere." in page
    assert "Dit is geen geldig e-mailadres" in page
    assert "Vul de voornaam in." in page
    assert 'aria-invalid="true"' in page
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_create_rejects_a_team_of_another_municipality(
    admin_client, team, other_municipality_coach
):
    response = admin_client.post(
        CREATE_URL, _create_body(team, team=str(other_municipality_coach.team_id))
    )
    assert response.status_code == 400
    assert "Kies een team uit de lijst." in response.content.decode()
    assert not User.objects.filter(username="j.devries").exists()


def test_set_password_link_of_an_inactive_account_does_not_work(admin_client, team):
    admin_client.post(CREATE_URL, _create_body(team))
    user = User.objects.get(username="j.devries")
    link = LINK.search(admin_client.get(_edit_url(user)).content.decode()).group(1)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = HttpClient().get(link)
    assert response.status_code == 200
    assert "Deze link werkt niet (meer)" in response.content.decode()


def test_new_password_link_voids_the_password_and_ends_sessions(admin_client, coach):
    client = HttpClient()
    client.force_login(coach)
    assert client.get(reverse("web:home")).status_code == 200
    url = reverse("web:staff_password_link", kwargs={"user_id": coach.pk})
    assert "Nieuwe wachtwoordlink maken" in admin_client.get(url).content.decode()
    response = admin_client.post(url)
    assert response.status_code == 303
    assert LINK.search(admin_client.get(response["Location"]).content.decode())
    assert not User.objects.get(pk=coach.pk).has_usable_password()
    # The coach's session ended with the old password.
    assert client.get(reverse("web:home")).status_code == 302


# Edit --------------------------------------------------------------------------------------


def _edit_body(user, **overrides):
    body = {
        "version": user.version,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": str(user.team_id or ""),
    }
    body.update(overrides)
    return body


def test_edit_saves_and_audits(admin_client, coach, other_team):
    _named(coach)
    response = admin_client.post(
        _edit_url(coach), _edit_body(coach, role="team_lead", team=str(other_team.pk))
    )
    assert response.status_code == 303
    coach.refresh_from_db()
    assert (coach.role, coach.team_id, coach.version) == ("team_lead", other_team.pk, 2)
    event = AuditEvent.objects.get(action="accounts.user.update")
    assert event.detail["fields"] == ["role", "team"]
    assert "De gegevens zijn opgeslagen." in admin_client.get(_edit_url(coach)).content.decode()
    # The GET of the page is an audited read.
    assert AuditEvent.objects.filter(action="accounts.user.read", result="allowed").exists()


def test_edit_conflict_answers_409_with_both_values(admin_client, functional_admin, coach):
    _named(coach)
    stale = _edit_body(coach, email="mijn@denhaag.nl")
    staff_update(
        actor=functional_admin,
        user=User.objects.get(pk=coach.pk),
        expected_version=1,
        origin=Origin(channel="test"),
        first_name="Anna",
        last_name="Jansen",
        email="ander@denhaag.nl",
        role=Role.COACH,
        team=coach.team,
    )
    response = admin_client.post(_edit_url(coach), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft dit account gewijzigd terwijl u bezig was." in page
    assert "ander@denhaag.nl" in page
    assert "mijn@denhaag.nl" in page
    assert 'name="version" value="2"' in page
    assert User.objects.get(pk=coach.pk).email == "ander@denhaag.nl"


def test_own_role_cannot_be_changed(admin_client, functional_admin):
    _named(functional_admin)
    response = admin_client.post(
        _edit_url(functional_admin), _edit_body(functional_admin, role="analyst")
    )
    assert response.status_code == 400
    assert "U kunt uw eigen rol niet wijzigen" in response.content.decode()
    assert User.objects.get(pk=functional_admin.pk).role == Role.FUNCTIONAL_ADMIN


# Deactivate, reactivate, reset the second factor --------------------------------------------


def test_deactivating_a_coach_with_a_caseload_points_to_the_transfer(
    admin_client, coach, client_factory
):
    client_factory()
    client_factory()
    url = reverse("web:staff_deactivate", kwargs={"user_id": coach.pk})
    page = admin_client.get(url).content.decode()
    assert "contactpersoon van 2 huishoudens" in page
    assert "overdragen" in page
    assert "2 huishoudens in caseload" in admin_client.get(_edit_url(coach)).content.decode()
    response = admin_client.post(url, {"version": 1})
    assert response.status_code == 400
    assert "Er is niets gewijzigd." in response.content.decode()
    assert User.objects.get(pk=coach.pk).is_active


def test_deactivate_ends_the_session_and_reactivate_restores_login(admin_client, analyst):
    client = HttpClient()
    client.force_login(analyst)
    assert client.get(reverse("web:home")).status_code == 200
    url = reverse("web:staff_deactivate", kwargs={"user_id": analyst.pk})
    response = admin_client.post(url, {"version": 1})
    assert response.status_code == 303
    assert not User.objects.get(pk=analyst.pk).is_active
    assert client.get(reverse("web:home")).status_code == 302
    # A stale confirmation page is a conflict, not a silent second change.
    stale = admin_client.post(
        reverse("web:staff_reactivate", kwargs={"user_id": analyst.pk}), {"version": 1}
    )
    assert stale.status_code == 409
    assert not User.objects.get(pk=analyst.pk).is_active
    ok = admin_client.post(
        reverse("web:staff_reactivate", kwargs={"user_id": analyst.pk}), {"version": 2}
    )
    assert ok.status_code == 303
    assert User.objects.get(pk=analyst.pk).is_active


def test_self_actions_are_not_offered_and_refused(admin_client, functional_admin):
    page = admin_client.get(_edit_url(functional_admin)).content.decode()
    assert "Account deactiveren" not in page
    url = reverse("web:staff_deactivate", kwargs={"user_id": functional_admin.pk})
    assert "Dit kan niet voor uw eigen account." in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"version": 1})
    assert response.status_code == 400
    assert User.objects.get(pk=functional_admin.pk).is_active


def test_otp_reset_confirm_and_enrol_again(admin_client, coach, settings):
    totp_device_create(coach)
    url = reverse("web:staff_otp_reset", kwargs={"user_id": coach.pk})
    page = admin_client.get(url).content.decode()
    assert "Tweestapsverificatie opnieuw instellen" in page
    assert TOTPDevice.objects.filter(user=coach).exists()  # the GET changes nothing
    response = admin_client.post(url)
    assert response.status_code == 303
    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert AuditEvent.objects.filter(action="accounts.user.otp_reset").count() == 1
    # The coach's next login goes to enrolment.
    settings.REQUIRE_2FA = True
    login = HttpClient().post(
        reverse("web:login"),
        {"username": "coach", "password": "correct-horse-battery-staple"},
    )
    assert login.status_code == 302
    assert reverse("web:otp_enrol") in login["Location"]


# Teams ------------------------------------------------------------------------------------


def test_team_list_create_and_rename(admin_client, team, coach, colleague):
    page = admin_client.get(reverse("web:team_list"))
    assert page.status_code == 200
    teams = {t.name: t.active_members for t in page.context["teams"]}
    assert teams == {"Team Schilderswijk": 2}
    response = admin_client.post(reverse("web:team_list"), {"name": "Team Escamp"})
    assert response.status_code == 303
    escamp = Team.objects.get(name="Team Escamp")
    duplicate = admin_client.post(reverse("web:team_list"), {"name": "team escamp"})
    assert duplicate.status_code == 400
    assert "Er is al een team met deze naam." in duplicate.content.decode()
    url = reverse("web:team_edit", kwargs={"team_id": escamp.pk})
    assert admin_client.post(url, {"version": 1, "name": "Team Loosduinen"}).status_code == 303
    stale = admin_client.post(url, {"version": 1, "name": "Team Segbroek"})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Team Loosduinen" in page
    assert "Team Segbroek" in page
    assert Team.objects.get(pk=escamp.pk).name == "Team Loosduinen"


def test_team_of_another_municipality_is_404(admin_client, other_municipality_coach):
    url = reverse("web:team_edit", kwargs={"team_id": other_municipality_coach.team_id})
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"version": 1, "name": "Overgenomen"}).status_code == 404
    assert Team.objects.get(pk=other_municipality_coach.team_id).name == "Team Noord"


def test_navigation_and_home_offer_user_management_to_the_admin_only(
    client, functional_admin, coach
):
    client.force_login(functional_admin)
    page = client.get(reverse("web:home")).content.decode()
    assert "Gebruikers beheren" in page
    assert f'href="{LIST_URL}"' in page
    client.force_login(coach)
    assert LIST_URL not in client.get(reverse("web:home")).content.decode()
