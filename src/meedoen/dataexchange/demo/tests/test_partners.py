"""Demo partner organisations: a registry, involvements following obstacles, some consents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.accounts.models import Municipality
from meedoen.dataexchange.demo.partners import demo_partners_create
from meedoen.partners.models import Involvement, Organisation, PartnerPerson
from meedoen.privacy.models import Consent


@pytest.mark.django_db(transaction=True)
def test_demo_partners_after_generate_demo():
    out = io.StringIO()
    call_command("generate_demo", clients=400, seed=1, today="2025-06-01", force=True, stdout=out)
    assert "partnerorganisaties" in out.getvalue()
    municipality = Municipality.objects.get(code="0518")
    organisations = Organisation.objects.filter(municipality=municipality)
    assert organisations.filter(name="Schuldhulp Haaglanden (demo)").exists()
    assert organisations.filter(kind="district_team").count() >= 3
    assert all(o.name.endswith("(demo)") for o in organisations)
    assert PartnerPerson.objects.count() >= organisations.count()
    involvements = Involvement.objects.filter(household__municipality=municipality)
    assert involvements.filter(topic="debts", organisation__kind="debt_counselling").exists()
    households = involvements.values("household_id").distinct().count()
    assert households > 0
    consents = Consent.objects.filter(organisation__isnull=False)
    assert consents.exists()
    # Involved members belong to the household now.
    for involvement in involvements.filter(client__isnull=False).select_related("client")[:50]:
        assert involvement.client.household_id == involvement.household_id
    # A second run adds nothing, in a couple of queries.
    with CaptureQueriesContext(connection) as ctx:
        assert (
            demo_partners_create(municipality=municipality, seed=1, today=dt.date(2025, 6, 1)) == {}
        )
    assert len(ctx.captured_queries) <= 3
