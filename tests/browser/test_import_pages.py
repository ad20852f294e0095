"""The import journey in a real browser: upload → check (worker) → preview → apply (worker).

Every page passes axe-core (WCAG 2.1 AA); a busy run also works without JavaScript.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meedoen.clients.models import Client
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.tests.delivery import csv_bytes, member, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def work_queue(monkeypatch):
    """Run the real database-backed worker once over the queue (`meedoen db_worker --batch`)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def test_upload_preview_apply(
    page, live_server, login_as, axe_check, functional_admin, work_queue, tmp_path
):
    head = person(1)
    delivery = tmp_path / "levering-januari.csv"
    delivery.write_bytes(csv_bytes([head, member(2, head, role="partner"), person(3)]))
    login_as(page, live_server, functional_admin)

    page.goto(f"{live_server.url}/import/")
    axe_check(page)
    page.get_by_label("Bestand", exact=True).set_input_files(str(delivery))
    page.get_by_label("Peildatum").fill("2025-01-31")
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_url("**/import/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import levering-januari.csv")
    axe_check(page)  # the page of a run that waits for the worker

    work_queue()
    page.reload()
    expect(page.get_by_role("table", name="Wat er verandert bij toepassen")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_load_state()
    axe_check(page)  # being applied

    work_queue()
    page.reload()
    expect(page.get_by_text("De levering is toegepast.")).to_be_visible()
    axe_check(page)
    assert Client.objects.count() == 3
    assert ImportRun.objects.get().status == ImportStatus.APPLIED

    page.goto(f"{live_server.url}/import/")
    expect(page.get_by_role("link", name="levering-januari.csv")).to_be_visible()
    axe_check(page)


def test_an_invalid_file(
    page, live_server, login_as, axe_check, functional_admin, work_queue, tmp_path
):
    delivery = tmp_path / "fout.csv"
    delivery.write_bytes(csv_bytes([person(1, postcode="?"), person(2, bsn="123")]))
    login_as(page, live_server, functional_admin)
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Bestand", exact=True).set_input_files(str(delivery))
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_url("**/import/*/")
    work_queue()
    page.reload()
    expect(page.get_by_role("table", name="Fouten per regel")).to_be_visible()
    axe_check(page)


def test_upload_form_errors(page, live_server, login_as, axe_check, functional_admin):
    login_as(page, live_server, functional_admin)
    page.goto(f"{live_server.url}/import/")
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)


def test_a_busy_run_refreshes_without_javascript(
    no_js_page, live_server, login_as, functional_admin, municipality
):
    run = ImportRun.objects.create(
        municipality=municipality,
        file_name="groot.csv",
        checksum="0" * 64,
        reference_date="2025-01-31",
        status=ImportStatus.ANALYSING,
        rows_total=100,
        rows_done=40,
    )
    login_as(no_js_page, live_server, functional_admin)
    no_js_page.goto(f"{live_server.url}/import/{run.pk}/")
    expect(no_js_page.locator("meta[http-equiv=refresh]")).to_have_count(1)
    expect(no_js_page.locator("progress")).to_have_attribute("value", "40")
