"""The analyst's door (caseload.access.analysis_population): every client of the analyst's own
municipality, for pseudonymised analysis only; nobody else gets a client through it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.access import (
    actor_may_analyse,
    analysis_population,
    clients_visible_to,
)
from meedoen.caseload.tests.factories import AssignedClientFactory
from meedoen.clients.models import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(municipality, other_municipality, coach, other_municipality_coach):
    own = AssignedClientFactory(municipality, coach=coach)
    other = AssignedClientFactory(other_municipality, coach=other_municipality_coach)
    assigned = own()
    unassigned = own(coach=None)
    # A client outside casework: no current household (e.g. after leaving the benefit).
    former = own()
    Client.objects.filter(pk=former.pk).update(household=None)
    return {"own": {assigned.pk, unassigned.pk, former.pk}, "other": {other().pk}}


def test_an_analyst_gets_every_client_of_their_own_municipality(analyst, registry):
    assert actor_may_analyse(analyst)
    assert set(analysis_population(actor=analyst).values_list("pk", flat=True)) == registry["own"]
    # ... and still no client file: the casework door shows an analyst nothing.
    assert not clients_visible_to(actor=analyst).exists()


def test_an_analyst_of_another_municipality_gets_only_theirs(other_municipality, registry):
    analyst = User.objects.create_user(
        username="analist-rotterdam", municipality=other_municipality, role=Role.ANALYST
    )
    assert set(analysis_population(actor=analyst).values_list("pk", flat=True)) == registry["other"]


@pytest.mark.parametrize(
    "persona",
    [
        "coach",
        "colleague",
        "team_lead",
        "privacy_officer",
        "functional_admin",
        "other_municipality_coach",
    ],
)
def test_no_other_role_gets_a_population(request, persona, registry):
    actor = request.getfixturevalue(persona)
    assert not actor_may_analyse(actor)
    assert not analysis_population(actor=actor).exists()


def test_inactive_anonymous_and_roleless_users_get_nothing(analyst, municipality, registry):
    assert not analysis_population(actor=None).exists()
    assert not analysis_population(actor=AnonymousUser()).exists()
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])
    assert not analysis_population(actor=analyst).exists()
    superuser = User.objects.create_superuser(username="root", password="x" * 16)
    assert not analysis_population(actor=superuser).exists()
    without_municipality = User.objects.create_user(username="analist-los", role=Role.ANALYST)
    assert not analysis_population(actor=without_municipality).exists()
