"""Shared test fixtures: personas (ARCHITECTURE.md), a second municipality, registry factories."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from meedoen.accounts.constants import Role
from meedoen.caseload.tests.factories import AssignedClientFactory
from meedoen.clients.tests.factories import registry_municipality


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in Dutch. A request with the English language cookie leaves English
    active in the thread (the locale middleware activates per request and never resets), and
    pytest-xdist runs the tests of one worker in an order that differs between runs."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def municipality(db):
    return registry_municipality(code="0518", name="'s-Gravenhage")


@pytest.fixture
def other_municipality(db):
    return registry_municipality(code="0599", name="Rotterdam")


def _user(municipality, role, username, team=None):
    from meedoen.accounts.models import User

    return User.objects.create_user(
        username=username,
        password="correct-horse-battery-staple",
        municipality=municipality,
        role=role,
        team=team,
    )


@pytest.fixture
def team(municipality):
    from meedoen.accounts.models import Team

    return Team.objects.create(municipality=municipality, name="Team Schilderswijk")


@pytest.fixture
def other_team(municipality):
    from meedoen.accounts.models import Team

    return Team.objects.create(municipality=municipality, name="Team Laak")


@pytest.fixture
def coach(municipality, team):
    return _user(municipality, Role.COACH, "coach", team)


@pytest.fixture
def colleague(municipality, team):
    return _user(municipality, Role.COACH, "collega", team)


@pytest.fixture
def other_team_coach(municipality, other_team):
    return _user(municipality, Role.COACH, "coach-ander-team", other_team)


@pytest.fixture
def team_lead(municipality, team):
    return _user(municipality, Role.TEAM_LEAD, "teamleider", team)


@pytest.fixture
def analyst(municipality):
    return _user(municipality, Role.ANALYST, "analist")


@pytest.fixture
def privacy_officer(municipality):
    return _user(municipality, Role.PRIVACY_OFFICER, "fg")


@pytest.fixture
def functional_admin(municipality):
    return _user(municipality, Role.FUNCTIONAL_ADMIN, "beheerder")


@pytest.fixture
def other_municipality_coach(other_municipality):
    from meedoen.accounts.models import Team

    team = Team.objects.create(municipality=other_municipality, name="Team Noord")
    return _user(other_municipality, Role.COACH, "coach-rotterdam", team)


@pytest.fixture
def client_user(client_factory):
    """A client with a portal account (ADR 0015), whose household is in the `coach` persona's
    caseload: the portal's persona. Staff pages and the API must give them nothing."""
    from meedoen.portal.tests.factories import portal_user

    return portal_user(client_factory(), username="client")


@pytest.fixture
def client_factory(municipality, coach):
    """Clients whose household is in the `coach` persona's caseload, unless `coach=` says otherwise
    (`coach=colleague`, `coach=other_team_coach`, `coach=None` for an unassigned household)."""
    return AssignedClientFactory(municipality, coach=coach)


@pytest.fixture
def verified_login():
    """verified_login(client, user): logged in as after password and TOTP code, so pages work with
    REQUIRE_2FA on. Returns the user's TOTP device."""
    from meedoen.accounts.testing import verified_login as login

    return login
