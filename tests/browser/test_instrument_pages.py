"""The instrument catalogue in a real browser: the team lead adds an instrument with one place,
the coach filters the catalogue, enrols two clients (the second lands on the waiting list),
records the start, sees the place is full for the second, and stops the first early. Every page
passes axe-core (WCAG 2.1 AA) with 0 violations; the enrolment journey also works without
JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.instruments.tests.factories import instrument_factory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(client_factory):
    return client_factory(first_names="Fatima", surname="Berg")


@pytest.fixture
def karim(client_factory):
    return client_factory(first_names="Karim", surname="Dahri")


def _add_instrument(page, live_server, axe_check):
    page.goto(f"{live_server.url}/instrumenten/")
    axe_check(page)
    page.get_by_role("link", name="Instrument toevoegen").click()
    axe_check(page)
    page.get_by_role("button", name="Opslaan").click()  # empty: the error summary
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.get_by_label("Naam", exact=True).fill("Taalcursus B1 (demo)")
    page.get_by_label("Soort instrument").select_option("language_course")
    page.get_by_label("Of: naam van een aanbieder buiten het register").fill("Taalhuis (demo)")
    page.get_by_label("Statushouders").check()
    page.get_by_label("Aantal plaatsen (niet verplicht)").fill("1")
    page.get_by_label("Kosten per deelnemer in euro (niet verplicht)").fill("950,00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taalcursus B1 (demo)")
    expect(page.locator("#main")).to_contain_text("Het instrument is toegevoegd aan de catalogus.")
    axe_check(page)


def _journey(page, live_server, fatima, karim, axe_check, *, check=True):
    # Filter the catalogue by target group (a GET form).
    page.goto(f"{live_server.url}/instrumenten/")
    page.get_by_label("Doelgroep").select_option("refugees")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#main")).to_contain_text("Taalcursus B1 (demo)")
    expect(page.get_by_role("table")).to_contain_text("Statushouders")
    if check:
        axe_check(page)

    page.goto(f"{live_server.url}/huishoudens/{fatima.household_id}/")
    page.get_by_role("link", name="Deelnames bekijken of aanmelden").click()
    if check:
        axe_check(page)
    page.get_by_label("Wie").select_option(label="Fatima Berg")
    page.get_by_label("Instrument", exact=True).select_option(
        label="Taalcursus B1 (demo) — Taalhuis (demo)"
    )
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#main")).to_contain_text("Fatima Berg is aangemeld.")

    page.goto(f"{live_server.url}/huishoudens/{karim.household_id}/instrumenten/")
    page.get_by_role("button", name="Aanmelden").click()  # nothing chosen: the summary
    expect(page.get_by_role("alert")).to_contain_text("Kies wie u aanmeldt.")
    if check:
        axe_check(page)
    page.get_by_label("Wie").select_option(label="Karim Dahri")
    page.get_by_label("Instrument", exact=True).select_option(
        label="Taalcursus B1 (demo) — Taalhuis (demo)"
    )
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#main")).to_contain_text("staat op de wachtlijst, als nummer 1")
    expect(page.get_by_role("table")).to_contain_text("nummer 1 op de wachtlijst")

    # Karim cannot start while Fatima holds the only place.
    page.get_by_role("link", name="Taalcursus B1 (demo), Karim Dahri").click()
    if check:
        axe_check(page)
    page.get_by_role("button", name="Start vastleggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is nog geen plaats vrij")
    if check:
        axe_check(page)

    # Fatima starts, then stops early because she found work.
    page.goto(f"{live_server.url}/huishoudens/{fatima.household_id}/instrumenten/")
    page.get_by_role("link", name="Taalcursus B1 (demo), Fatima Berg").click()
    page.get_by_role("button", name="Start vastleggen").click()
    expect(page.locator("#main")).to_contain_text("De start is vastgelegd.")
    page.get_by_role("link", name="Taalcursus B1 (demo), Fatima Berg").click()
    page.get_by_label("Reden van stoppen").select_option("found_work")
    page.get_by_label("Resultaat (niet verplicht)").select_option("found_work")
    page.get_by_role("button", name="Stoppen vastleggen").click()
    expect(page.locator("#main")).to_contain_text("Vastgelegd dat de deelname is gestopt.")
    expect(page.get_by_role("table")).to_contain_text("Voortijdig gestopt")

    # The catalogue page shows the usage and Karim first in line, by name for his coach.
    page.goto(f"{live_server.url}/instrumenten/")
    page.get_by_role("link", name="Taalcursus B1 (demo)").click()
    expect(page.locator("section[aria-labelledby=wachtlijst]")).to_contain_text("Karim Dahri")
    if check:
        axe_check(page)
    statuses = dict(Enrolment.objects.values_list("client__surname", "status"))
    assert statuses == {"Berg": EnrolmentStatus.STOPPED_EARLY, "Dahri": EnrolmentStatus.WAITING}


def test_instrument_journey(
    page, live_server, team_lead, coach, fatima, karim, login_as, axe_check
):
    login_as(page, live_server, team_lead)
    _add_instrument(page, live_server, axe_check)
    page.context.clear_cookies()
    login_as(page, live_server, coach)
    _journey(page, live_server, fatima, karim, axe_check)


def test_instrument_journey_without_javascript(
    no_js_page, live_server, coach, fatima, karim, login_as, axe_check
):
    instrument_factory(
        coach.municipality,
        name="Taalcursus B1 (demo)",
        kind="language_course",
        provider_name="Taalhuis (demo)",
        capacity=1,
        target_groups=("refugees",),
    )
    login_as(no_js_page, live_server, coach)
    _journey(no_js_page, live_server, fatima, karim, axe_check, check=False)
    assert Instrument.objects.count() == 1
