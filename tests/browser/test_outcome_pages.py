"""Outcomes in a real browser: a coach records a job of 20 hours for a client (first with an
error), and sees it on the client page with the "16 uur of meer" badge. The form with its error
summary and the client page pass axe-core (WCAG 2.1 AA) with 0 violations; the same journey works
without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meedoen.outcomes.tests.factories import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def samira(client_factory):
    return client_factory(first_names="Samira", surname="Bakker")


def _record_job(page, live_server, client, axe_check=None):
    page.goto(f"{live_server.url}/clienten/{client.pk}/")
    page.get_by_role("link", name="Uitkomst vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitkomst vastleggen")
    page.get_by_label("Betaald werk begonnen").check()
    page.get_by_label("Begonnen of afgerond op").fill(days_ago(7).isoformat())
    page.get_by_label("Uren per week").fill("70")
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Uren per week: Vul een aantal uren per week in van meer dan 0 tot en met 60."
    )
    expect(page.get_by_label("Uren per week")).to_have_attribute("aria-invalid", "true")
    if axe_check:
        axe_check(page)
    page.get_by_label("Uren per week").fill("20")
    page.get_by_label("Soort contract").select_option("fixed_term")
    page.get_by_label("Werkgever").fill("Bakkerij De Korf")
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.locator("#main")).to_contain_text("De uitkomst is vastgelegd.")
    section = page.locator("section[aria-labelledby=uitkomsten]")
    expect(section.get_by_role("row")).to_have_count(2)
    row = section.get_by_role("row").nth(1)
    expect(row).to_contain_text("Betaald werk begonnen")
    expect(row).to_contain_text("16 uur of meer")
    expect(row).to_contain_text("20 uur per week, Tijdelijk contract, Bakkerij De Korf")
    if axe_check:
        axe_check(page)


def test_coach_records_a_job(page, live_server, coach, samira, login_as, axe_check):
    login_as(page, live_server, coach)
    _record_job(page, live_server, samira, axe_check)


def test_coach_records_a_job_without_javascript(no_js_page, live_server, coach, samira, login_as):
    login_as(no_js_page, live_server, coach)
    _record_job(no_js_page, live_server, samira)
