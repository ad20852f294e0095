"""The demo portal account: for a client of the demo coach with a plan, and only then."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.portal.models import PortalAccount
from meedoen.portal.tests.conftest import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_coach(municipality, team):
    return User.objects.create_user(
        username="demo-klantregisseur",
        password="x",
        municipality=municipality,
        role=Role.COACH,
        team=team,
    )


def test_no_plan_no_account(demo_coach, client_factory, settings):
    settings.DEBUG = True
    client_factory(coach=demo_coach)
    out = io.StringIO()
    call_command("portal_demo_account", stdout=out)
    assert "Geen democliënt met een plan" in out.getvalue()
    assert not PortalAccount.objects.exists()


def test_account_for_a_client_with_a_plan_once(demo_coach, client_factory, settings):
    settings.DEBUG = True
    client_factory(coach=demo_coach)  # without a plan
    client = client_factory(coach=demo_coach)
    make_plan(
        coach=demo_coach,
        client=client,
        partner=client_factory(household=client.household),
        user=None,
    )
    call_command("portal_demo_account", stdout=io.StringIO())
    call_command("portal_demo_account", stdout=io.StringIO())
    account = PortalAccount.objects.get()
    assert account.user.username == "demo-client"
    assert account.client.household_id == client.household_id


def test_refused_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("portal_demo_account", stdout=io.StringIO())
