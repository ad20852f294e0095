"""User management services (accounts.services_staff): the rules, the audit and the versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts import services_staff as services
from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.accounts.testing import totp_device_create
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.core.concurrency import ConflictError

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def _create(actor, **overrides):
    values = {
        "username": "j.devries",
        "first_name": "Jan",
        "last_name": "de Vries",
        "email": "j.devries@denhaag.nl",
        "role": Role.COACH,
        "team": None,
    }
    values.update(overrides)
    return services.staff_create(actor=actor, origin=ORIGIN, **values)


def _update(actor, user, **overrides):
    values = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": user.team,
    }
    values.update(overrides)
    return services.staff_update(
        actor=actor, user=user, expected_version=user.version, origin=ORIGIN, **values
    )


def _named(user, first="Anna", last="Jansen"):
    """The personas have no name or e-mail address; an edit form always carries them."""
    user.first_name, user.last_name = first, last
    user.email = f"{user.username}@denhaag.nl"
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _state():
    return (
        User.objects.count(),
        AuditEvent.objects.count(),
        sorted(User.objects.values_list("pk", "version", "is_active", "email", "role")),
    )


# Create -------------------------------------------------------------------------------------


def test_create_makes_an_account_without_password_and_audits_field_names(functional_admin, team):
    user = _create(functional_admin, team=team)
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name) == ("j.devries", "Jan", "de Vries")
    assert user.municipality_id == functional_admin.municipality_id
    assert user.team == team
    assert user.role == Role.COACH
    assert user.version == 1
    assert user.is_active
    assert not user.is_superuser
    assert not user.is_staff
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="accounts.user.create")
    assert event.actor_id == functional_admin.pk
    assert event.object_id == str(user.pk)
    assert event.detail["fields"] == [
        "email",
        "first_name",
        "last_name",
        "role",
        "team",
        "username",
    ]
    # Field names, never values.
    assert "devries" not in str(event.detail)
    assert "Vries" not in str(event.detail)


def test_create_refuses_bad_input_in_dutch_and_writes_nothing(functional_admin, team):
    before = _state()
    with pytest.raises(ValidationError) as excinfo:
        _create(
            functional_admin,
            username="met spatie",
            first_name=" ",
            last_name="",
            email="geen-adres",
            role="superuser",
        )
    errors = _errors(excinfo)
    assert set(errors) == {"username", "first_name", "last_name", "email", "role"}
    assert "zonder spaties" in errors["username"][0]
    assert errors["first_name"] == ["Vul de voornaam in."]
    assert "geen geldig e-mailadres" in errors["email"][0]
    assert errors["role"] == ["Kies een rol uit de lijst."]
    assert _state() == before


def test_create_refuses_a_username_or_email_in_use_ignoring_case(
    functional_admin, coach, other_municipality_coach, team
):
    other_municipality_coach.email = "Piet@Rotterdam.nl"
    other_municipality_coach.save(update_fields=["email"])
    with pytest.raises(ValidationError) as excinfo:
        _create(functional_admin, username="COACH", email="piet@rotterdam.NL", team=team)
    errors = _errors(excinfo)
    assert errors["username"] == ["Deze gebruikersnaam is al in gebruik. Kies een andere."]
    assert "hoort al bij een ander account" in errors["email"][0]


def test_create_coach_and_team_lead_need_a_team_of_the_own_municipality(
    functional_admin, other_municipality_coach
):
    for role in (Role.COACH, Role.TEAM_LEAD):
        with pytest.raises(ValidationError) as excinfo:
            _create(functional_admin, role=role, team=None)
        assert "hoort altijd bij een team" in _errors(excinfo)["team"][0]
    with pytest.raises(ValidationError) as excinfo:
        _create(functional_admin, team=other_municipality_coach.team)
    assert _errors(excinfo)["team"] == ["Kies een team van uw eigen gemeente."]
    # Other roles may be without a team.
    assert _create(functional_admin, role=Role.ANALYST, team=None).team is None


@pytest.mark.parametrize("persona", ["coach", "team_lead", "analyst", "privacy_officer"])
def test_only_a_functional_admin_manages_staff(request, persona, team):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        _create(actor, team=team)
    with pytest.raises(PermissionDenied):
        services.team_create(actor=actor, origin=ORIGIN, name="Team Escamp")


def test_an_inactive_functional_admin_manages_nothing(functional_admin, team):
    functional_admin.is_active = False
    with pytest.raises(PermissionDenied):
        _create(functional_admin, team=team)


# Update -------------------------------------------------------------------------------------


def test_update_changes_fields_bumps_the_version_and_audits_names_only(
    functional_admin, coach, other_team
):
    _named(coach)
    changed = _update(
        functional_admin,
        coach,
        first_name="  Anna  Maria ",
        email="a.jansen@denhaag.nl",
        team=other_team,
    )
    assert changed == ["email", "first_name", "team"]
    coach.refresh_from_db()
    assert coach.first_name == "Anna Maria"
    assert coach.team == other_team
    assert coach.version == 2
    event = AuditEvent.objects.get(action="accounts.user.update")
    assert event.detail == {
        "channel": "test",
        "fields": ["email", "first_name", "team"],
        "version": 2,
    }


def test_update_without_changes_writes_nothing(functional_admin, coach):
    _named(coach)
    before = _state()
    assert _update(functional_admin, coach) == []
    assert _state() == before


def test_a_stale_version_is_a_conflict_and_nothing_is_written(functional_admin, coach, team):
    _named(coach)
    stale = User.objects.get(pk=coach.pk)
    _update(functional_admin, coach, last_name="Jansen-Bakker")
    before = _state()
    with pytest.raises(ConflictError) as excinfo:
        _update(functional_admin, stale, email="ander@denhaag.nl")
    assert excinfo.value.current_version == 2
    assert _state() == before
    # Also when the stale object in memory passes the first check: the guarded UPDATE holds.
    stale.version = 2
    User.objects.filter(pk=coach.pk).update(version=3)
    with pytest.raises(ConflictError):
        _update(functional_admin, stale, email="ander@denhaag.nl")
    assert User.objects.get(pk=coach.pk).email == "coach@denhaag.nl"


def test_a_functional_admin_cannot_change_their_own_role(functional_admin):
    functional_admin.first_name, functional_admin.last_name = "Bea", "Beheer"
    functional_admin.email = "beheer@denhaag.nl"
    functional_admin.save()
    with pytest.raises(ValidationError) as excinfo:
        _update(functional_admin, functional_admin, role=Role.TEAM_LEAD)
    assert "eigen rol niet wijzigen" in _errors(excinfo)["role"][0]
    # The rest of their own account they may change.
    assert _update(functional_admin, functional_admin, last_name="Beheerder") == ["last_name"]


def test_another_functional_admin_may_change_an_admin_role(functional_admin, municipality):
    second = User.objects.create_user(
        username="beheerder2",
        municipality=municipality,
        role=Role.FUNCTIONAL_ADMIN,
        first_name="C",
        last_name="D",
        email="cd@denhaag.nl",
    )
    assert _update(functional_admin, second, role=Role.ANALYST) == ["role"]


def test_leaving_casework_with_a_caseload_is_refused(functional_admin, coach, client_factory, team):
    _named(coach)
    client_factory()
    client_factory()
    before = _state()
    with pytest.raises(ValidationError) as excinfo:
        _update(functional_admin, coach, role=Role.ANALYST, team=None)
    assert "contactpersoon van 2 huishoudens" in _errors(excinfo)["role"][0]
    assert _state() == before
    # Within casework the caseload goes along.
    assert _update(functional_admin, coach, role=Role.TEAM_LEAD) == ["role"]


def test_accounts_outside_the_municipality_or_installation_admins_are_refused(
    functional_admin, other_municipality_coach, municipality
):
    with pytest.raises(PermissionDenied):
        _update(functional_admin, other_municipality_coach, last_name="X")
    root = User.objects.create_superuser(username="root", password="x" * 20)
    root.municipality = municipality
    root.save()
    for target in (other_municipality_coach, root):
        with pytest.raises(PermissionDenied):
            services.staff_deactivate(
                actor=functional_admin, user=target, expected_version=1, origin=ORIGIN
            )
        with pytest.raises(PermissionDenied):
            services.staff_otp_reset(actor=functional_admin, user=target, origin=ORIGIN)
        with pytest.raises(PermissionDenied):
            services.staff_password_link(actor=functional_admin, user=target, origin=ORIGIN)


# Deactivate and reactivate -----------------------------------------------------------------


def test_deactivate_and_reactivate(functional_admin, analyst):
    assert services.staff_deactivate(
        actor=functional_admin, user=analyst, expected_version=1, origin=ORIGIN
    )
    analyst.refresh_from_db()
    assert not analyst.is_active
    assert analyst.version == 2
    # Again: nothing to do, nothing written.
    before = _state()
    assert not services.staff_deactivate(
        actor=functional_admin, user=analyst, expected_version=2, origin=ORIGIN
    )
    assert _state() == before
    assert services.staff_reactivate(
        actor=functional_admin, user=analyst, expected_version=2, origin=ORIGIN
    )
    analyst.refresh_from_db()
    assert analyst.is_active
    assert analyst.version == 3
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.user.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["accounts.user.deactivate", "accounts.user.reactivate"]


def test_deactivate_with_a_stale_version_is_a_conflict(functional_admin, analyst):
    with pytest.raises(ConflictError):
        services.staff_deactivate(
            actor=functional_admin, user=analyst, expected_version=7, origin=ORIGIN
        )
    assert User.objects.get(pk=analyst.pk).is_active


def test_a_functional_admin_cannot_deactivate_themselves(functional_admin):
    with pytest.raises(ValidationError) as excinfo:
        services.staff_deactivate(
            actor=functional_admin, user=functional_admin, expected_version=1, origin=ORIGIN
        )
    assert "eigen account niet deactiveren" in excinfo.value.messages[0]
    assert User.objects.get(pk=functional_admin.pk).is_active


# Second factor and password ----------------------------------------------------------------


def test_otp_reset_deletes_the_devices_and_is_audited(functional_admin, coach):
    totp_device_create(coach)
    totp_device_create(coach, confirmed=False)
    assert services.staff_otp_reset(actor=functional_admin, user=coach, origin=ORIGIN) == 2
    assert not TOTPDevice.objects.filter(user=coach).exists()
    event = AuditEvent.objects.get(action="accounts.user.otp_reset")
    assert event.object_id == str(coach.pk)
    assert event.detail["devices"] == 2
    # Nothing left to delete: still a decision, still audited.
    assert services.staff_otp_reset(actor=functional_admin, user=coach, origin=ORIGIN) == 0
    assert AuditEvent.objects.filter(action="accounts.user.otp_reset").count() == 2


def test_otp_reset_and_password_link_are_refused_for_oneself(functional_admin):
    totp_device_create(functional_admin)
    with pytest.raises(ValidationError):
        services.staff_otp_reset(actor=functional_admin, user=functional_admin, origin=ORIGIN)
    with pytest.raises(ValidationError):
        services.staff_password_link(actor=functional_admin, user=functional_admin, origin=ORIGIN)
    assert TOTPDevice.objects.filter(user=functional_admin).exists()
    assert User.objects.get(pk=functional_admin.pk).has_usable_password()


def test_password_link_voids_the_password_and_the_token_works_once(functional_admin, coach):
    services.staff_password_link(actor=functional_admin, user=coach, origin=ORIGIN)
    coach.refresh_from_db()
    assert not coach.has_usable_password()
    assert AuditEvent.objects.filter(action="accounts.user.password_link").count() == 1
    token = services.password_link_token(user=coach)
    assert default_token_generator.check_token(coach, token)
    services.staff_password_set(user=coach, password="een lange zin als wachtwoord", origin=ORIGIN)
    coach.refresh_from_db()
    assert coach.check_password("een lange zin als wachtwoord")
    assert not default_token_generator.check_token(coach, token)
    event = AuditEvent.objects.get(action="accounts.user.password_set")
    assert event.actor_id == coach.pk
    assert "wachtwoord" not in str(event.detail)


def test_password_link_is_refused_for_an_inactive_account_and_with_sso_only(
    functional_admin, coach, settings
):
    coach.is_active = False
    coach.save()
    with pytest.raises(ValidationError, match="gedeactiveerd"):
        services.staff_password_link(actor=functional_admin, user=coach, origin=ORIGIN)
    coach.is_active = True
    coach.save()
    settings.OIDC_ONLY = True
    with pytest.raises(ValidationError, match="identity provider"):
        services.staff_password_link(actor=functional_admin, user=coach, origin=ORIGIN)
    assert User.objects.get(pk=coach.pk).has_usable_password()


# Teams --------------------------------------------------------------------------------------


def test_team_create_and_rename(functional_admin):
    team = services.team_create(actor=functional_admin, origin=ORIGIN, name="  Team   Escamp ")
    assert team.name == "Team Escamp"
    assert team.municipality_id == functional_admin.municipality_id
    assert services.team_rename(
        actor=functional_admin, team=team, expected_version=1, origin=ORIGIN, name="Team Loosduinen"
    )
    team.refresh_from_db()
    assert (team.name, team.version) == ("Team Loosduinen", 2)
    assert not services.team_rename(
        actor=functional_admin, team=team, expected_version=2, origin=ORIGIN, name="Team Loosduinen"
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.team.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["accounts.team.create", "accounts.team.update"]


def test_team_names_are_unique_per_municipality_ignoring_case(
    functional_admin, team, other_team, other_municipality_coach
):
    # Another municipality's team of the same name is no obstacle.
    Team.objects.create(municipality=other_municipality_coach.municipality, name="Team Escamp")
    services.team_create(actor=functional_admin, origin=ORIGIN, name="Team Escamp")
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(actor=functional_admin, origin=ORIGIN, name="team schilderswijk")
    assert _errors(excinfo)["name"] == ["Er is al een team met deze naam. Kies een andere naam."]
    with pytest.raises(ValidationError):
        services.team_rename(
            actor=functional_admin,
            team=other_team,
            expected_version=1,
            origin=ORIGIN,
            name="TEAM ESCAMP",
        )
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(actor=functional_admin, origin=ORIGIN, name="x" * 101)
    assert "te lang" in _errors(excinfo)["name"][0]
    with pytest.raises(ValidationError):
        services.team_create(actor=functional_admin, origin=ORIGIN, name="   ")


def test_team_rename_conflict_and_other_municipality(
    functional_admin, team, other_municipality_coach
):
    services.team_rename(
        actor=functional_admin, team=team, expected_version=1, origin=ORIGIN, name="Team Centrum"
    )
    stale = Team.objects.get(pk=team.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.team_rename(
            actor=functional_admin, team=stale, expected_version=1, origin=ORIGIN, name="Team Oost"
        )
    assert Team.objects.get(pk=team.pk).name == "Team Centrum"
    with pytest.raises(PermissionDenied):
        services.team_rename(
            actor=functional_admin,
            team=other_municipality_coach.team,
            expected_version=1,
            origin=ORIGIN,
            name="Overgenomen",
        )
