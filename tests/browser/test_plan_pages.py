"""The household plan in a real browser: a coach opens the plan from the household page, adds a
goal (first with an error), a step, ticks it off, records a review and looks at the history and
the plan as it was today. Every page passes axe-core (WCAG 2.1 AA) with 0 violations, and the
journey works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.plans.constants import GoalStatus, StepStatus
from meedoen.plans.models import Goal, Plan, Review, Step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(client_factory):
    return client_factory(surname="Berg", name_prefix="van den", first_names="Fatima")


def _journey(page, live_server, household_id, axe_check=None) -> None:
    check = axe_check or (lambda page: None)
    plan_url = f"{live_server.url}/huishoudens/{household_id}/plan/"
    page.goto(f"{live_server.url}/huishoudens/{household_id}/")
    page.get_by_role("link", name="Naar het plan van aanpak").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan van aanpak")
    check(page)
    page.get_by_role("button", name="Plan maken").click()
    expect(page.locator("#main")).to_contain_text("Het plan van aanpak is gemaakt.")
    check(page)

    # A goal: first without what, then complete.
    page.get_by_role("link", name="Doel toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doel toevoegen")
    check(page)
    page.get_by_label("Wanneer bereikt").fill(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Wat wil diegene bereiken: vul dit in.")
    check(page)
    page.get_by_label("Leefgebied").select_option("werk_opleiding")
    page.get_by_label("Wat wil diegene bereiken").fill("Een baan van 16 uur in de zorg")
    page.get_by_label("Belemmering die dit doel aanpakt").select_option("taal")
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.locator("#main")).to_contain_text("Het doel is aan het plan toegevoegd.")
    expect(page.locator("#main")).to_contain_text("Een baan van 16 uur in de zorg")
    check(page)

    # A step, ticked off.
    page.get_by_role("link", name="Stap toevoegen").click()
    check(page)
    page.get_by_label("Stap", exact=True).fill("Cv maken met de klantregisseur")
    page.get_by_label("Cliënt", exact=True).check()
    page.get_by_label("Wanneer klaar").fill(
        (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    )
    page.get_by_label("De cliënt heeft deze stap zelf bedacht").check()
    page.get_by_role("button", name="Stap toevoegen").click()
    expect(page.locator("#main")).to_contain_text("De stap is toegevoegd.")
    expect(page.locator("#eigen-regie")).to_contain_text("1 van 1 stappen door de cliënt zelf")
    check(page)
    page.get_by_role("button", name="Gedaan").click()
    expect(page.locator("#main")).to_contain_text("De stap is afgevinkt.")
    expect(page.get_by_role("button", name="Heropenen")).to_be_visible()
    check(page)

    # A review with an outcome for the goal.
    page.get_by_role("link", name="Evaluatie vastleggen").click()
    check(page)
    page.get_by_label("Deels behaald").check()
    page.get_by_label("Toelichting bij dit doel").fill("Cv is klaar, nog geen sollicitatie.")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    page.wait_for_url(f"{plan_url}#evaluatie")
    expect(page.locator("#main")).to_contain_text("De evaluatie is vastgelegd.")
    expect(page.locator("#main")).to_contain_text("Cv is klaar, nog geen sollicitatie.")
    check(page)

    # The history and the plan as it was today; a bad date first.
    page.get_by_role("link", name="Bekijk de geschiedenis").click()
    expect(page.locator("#main")).to_contain_text("Evaluatie vastgelegd")
    check(page)
    page.goto(f"{plan_url}versies/?datum=gisteren")
    expect(page.locator("#foutmeldingen")).to_contain_text("vul een datum in als 31-12-2025")
    check(page)
    page.get_by_label("Het plan zoals het was op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#zoals-het-was")).to_contain_text("Het plan op")
    expect(page.locator("#main")).to_contain_text("Cv maken met de klantregisseur")
    check(page)

    assert Plan.objects.count() == 1
    assert Goal.objects.get().status == GoalStatus.PARTLY
    assert Step.objects.get().status == StepStatus.DONE
    assert Review.objects.count() == 1


def test_plan_journey(page, live_server, coach, fatima, login_as, axe_check):
    login_as(page, live_server, coach)
    _journey(page, live_server, fatima.household_id, axe_check)


def test_plan_journey_without_javascript(no_js_page, live_server, coach, fatima, login_as):
    login_as(no_js_page, live_server, coach)
    _journey(no_js_page, live_server, fatima.household_id)
