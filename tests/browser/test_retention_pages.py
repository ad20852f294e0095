"""An import page after the retention job erased its file and per-row data (rule import_file_30d):
it says so, shows the counts and no row table, and passes axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.audit.services import Origin
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.services import import_file
from meedoen.dataexchange.tests.delivery import REFERENCE_DATE, csv_bytes, person
from meedoen.privacy.retention import import_files_cutoff
from meedoen.privacy.services import retention_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_erased_invalid_import(page, live_server, login_as, axe_check, functional_admin):
    run = import_file(
        actor=functional_admin,
        municipality=functional_admin.municipality,
        file_name="fout.csv",
        content=csv_bytes([person(1, postcode="?"), person(2, bsn="123")]),
        reference_date=REFERENCE_DATE,
        origin=Origin(channel="test"),
    )
    cutoff = import_files_cutoff(today=timezone.localdate())
    ImportRun.objects.filter(pk=run.pk).update(updated_at=cutoff - dt.timedelta(hours=1))
    retention_run(dry_run=False)

    login_as(page, live_server, functional_admin)
    page.goto(f"{live_server.url}/import/{run.pk}/")
    expect(page.get_by_text("zijn het bestand en de gegevens per regel gewist")).to_be_visible()
    expect(page.get_by_text("Het bestand is afgekeurd: 2 fouten.")).to_be_visible()
    expect(page.get_by_role("table", name="Fouten per regel")).to_have_count(0)
    axe_check(page)
