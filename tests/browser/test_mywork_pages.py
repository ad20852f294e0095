"""The start page "Mijn werk" and the caseload list in a real browser: signals shown, the filter
works (also without JavaScript), and both pages pass axe-core (WCAG 2.1 AA) with 0 violations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.caseload.constants import AppointmentStatus, ContactKind
from meedoen.caseload.models import Appointment, ContactMoment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload(client_factory, coach):
    visser = client_factory(surname="Visser", first_names="Anna").household
    ContactMoment.objects.create(
        municipality_id=visser.municipality_id,
        household=visser,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        kind=ContactKind.HOME_VISIT,
        summary="Huisbezoek.",
        coach_name="Test",
    )
    Appointment.objects.create(
        municipality_id=visser.municipality_id,
        household=visser,
        coach=coach,
        starts_at=timezone.now() + dt.timedelta(days=2),
        kind=ContactKind.PHONE,
        status=AppointmentStatus.PLANNED,
    )
    bakker = client_factory(surname="Bakker", first_names="Mo").household  # never spoken to
    return visser, bakker


def test_start_page_and_caseload_list(page, live_server, coach, caseload, login_as, axe_check):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
    main = page.locator("#main")
    expect(main).to_contain_text("Mo Bakker")
    expect(main).to_contain_text("Anna Visser")
    expect(main).to_contain_text("Geen contact sinds toewijzing")
    axe_check(page)

    page.get_by_role("link", name="1 Geen contact").click()
    page.wait_for_url(f"{live_server.url}/mijn-caseload/?signaal=geen_contact")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mo Bakker")
    axe_check(page)


def test_caseload_filter_without_javascript(no_js_page, live_server, coach, caseload, login_as):
    login_as(no_js_page, live_server, coach)
    no_js_page.goto(f"{live_server.url}/mijn-caseload/")
    expect(no_js_page.locator("table tbody tr")).to_have_count(2)
    no_js_page.get_by_label("Volgorde").select_option("-contact")
    no_js_page.get_by_role("button", name="Toon").click()
    expect(no_js_page.locator("table tbody tr").first).to_contain_text("Anna Visser")


def test_team_lead_picks_a_coach(
    page, live_server, team_lead, colleague, caseload, login_as, axe_check, client_factory
):
    client_factory(surname="Smit", first_names="Lea", coach=colleague)
    login_as(page, live_server, team_lead)
    page.goto(f"{live_server.url}/mijn-caseload/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    axe_check(page)
    page.get_by_label("Klantregisseur").select_option(str(colleague.pk))
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Lea Smit")
