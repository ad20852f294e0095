"""The portal account in the data-subject export and in erasure; accepting the agreement."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.clients.models import Client
from meedoen.plans.constants import AgreementStatus
from meedoen.plans.services_agreement import agreement_create
from meedoen.portal.models import PortalAccount
from meedoen.portal.retention import portal_logins_erase
from meedoen.portal.tests.conftest import ORIGIN
from meedoen.privacy.subject_access import subject_access_export

pytestmark = pytest.mark.django_db


def test_export_names_the_portal_account(client_user):
    client = client_user.portal_account.client
    export = subject_access_export(client=client)
    (row,) = export["portal_account"]
    assert row["username"] == "client"
    assert row["active"] == "ja"


def test_erased_client_leaves_no_login_behind(client_user, other_municipality_coach):
    client = client_user.portal_account.client
    # Erasure deletes the client; the portal account goes with it by cascade.
    Client.objects.filter(pk=client.pk).delete()
    assert not PortalAccount.objects.exists()
    assert User.objects.filter(pk=client_user.pk).exists()
    dry = portal_logins_erase(today=None, dry_run=True, actor=None, origin=ORIGIN)
    assert dry.total == 1
    assert User.objects.filter(pk=client_user.pk).exists()
    outcome = portal_logins_erase(today=None, dry_run=False, actor=None, origin=ORIGIN)
    assert outcome.per_municipality == {"0518": 1}
    assert not User.objects.filter(pk=client_user.pk).exists()
    # Staff logins are never touched.
    assert User.objects.filter(pk=other_municipality_coach.pk).exists()
    assert AuditEvent.objects.filter(action="portal.account.erase").count() == 1


def test_client_accepts_the_newest_agreement(plan_world, coach):
    agreement, _created = agreement_create(actor=coach, plan=plan_world.plan, origin=ORIGIN)
    http = HttpClient()
    http.force_login(plan_world.user)
    body = http.get(reverse("portal:home")).content.decode()
    assert "Ik ga akkoord" in body
    response = http.post(reverse("portal:agreement_accept", args=[agreement.pk]))
    assert response.status_code == 303
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED_IN_PORTAL
    assert agreement.accepted_by_id == plan_world.client.pk
    # Staff cannot accept on the client's behalf through the portal.
    staff = HttpClient()
    staff.force_login(coach)
    assert staff.post(reverse("portal:agreement_accept", args=[agreement.pk])).status_code == 404
