"""The household page and its contact log in a real browser: a coach opens the household, logs a
contact moment (first with errors), corrects it and plans an appointment. Every page passes
axe-core (WCAG 2.1 AA) with 0 violations, and the journey works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.caseload.models import Appointment, ContactMoment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(client_factory):
    return client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")


def _journey(page, live_server, household_id, axe_check=None) -> None:
    check = axe_check or (lambda page: None)
    page.goto(f"{live_server.url}/huishoudens/{household_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huishouden")
    check(page)

    page.get_by_role("link", name="Contactmoment vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contactmoment vastleggen")
    check(page)
    # Errors first: no summary, a duration of 900 minutes.
    page.get_by_label("Huisbezoek").check()
    page.get_by_label("Duur in minuten").fill("900")
    page.get_by_label("Fatima van den Berg (aanvrager)").check()
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_contain_text("Samenvatting: vul dit in.")
    check(page)
    assert not ContactMoment.objects.exists()

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Datum").fill(yesterday.isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_label("Huisbezoek").check()
    page.get_by_label("Duur in minuten").fill("45")
    page.get_by_label("Samenvatting").fill("Post doorgenomen, betalingsregeling besproken.")
    page.get_by_label("Schulden en betalingsregelingen").check()
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    page.wait_for_url(f"{live_server.url}/huishoudens/{household_id}/#contactlog")
    expect(page.locator("#main")).to_contain_text("Post doorgenomen")
    check(page)

    # Correct it: a new version, the old one stays.
    page.get_by_role("link", name=yesterday.strftime("%d-%m-%Y") + " 10:30").click()
    check(page)
    page.get_by_role("link", name="Contactmoment corrigeren").click()
    page.get_by_label("Samenvatting").fill("Post doorgenomen en toeslagen aangevraagd.")
    page.get_by_label("Reden van de correctie").fill("Toeslagen vergeten")
    check(page)
    page.get_by_role("button", name="Correctie vastleggen").click()
    expect(page.locator("#main")).to_contain_text("Alle versies, nieuwste eerst")
    check(page)
    assert ContactMoment.objects.count() == 2

    # Plan an appointment.
    page.goto(f"{live_server.url}/huishoudens/{household_id}/")
    page.get_by_role("link", name="Afspraak plannen").click()
    check(page)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Datum").fill(tomorrow.isoformat())
    page.get_by_label("Tijd").fill("09:00")
    page.get_by_label("Op kantoor").check()
    page.get_by_label("Plaats").fill("Werkplein Centrum")
    page.get_by_role("button", name="Afspraak plannen").click()
    page.wait_for_url(f"{live_server.url}/huishoudens/{household_id}/#afspraken")
    expect(page.locator("#main")).to_contain_text("Werkplein Centrum")
    check(page)
    page.get_by_role("link", name=tomorrow.strftime("%d-%m-%Y") + " 09:00").click()
    check(page)
    assert Appointment.objects.count() == 1


def test_household_journey(page, live_server, coach, fatima, login_as, axe_check):
    login_as(page, live_server, coach)
    _journey(page, live_server, fatima.household_id, axe_check)


def test_household_journey_without_javascript(no_js_page, live_server, coach, fatima, login_as):
    login_as(no_js_page, live_server, coach)
    _journey(no_js_page, live_server, fatima.household_id)
