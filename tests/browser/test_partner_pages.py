"""Partner organisations in a real browser: register an organisation, involve it with a household,
try to share without consent (refused, with the way to record it), record the consent, share.
Every page passes axe-core (WCAG 2.1 AA) with 0 violations; the journey also works without
JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meedoen.partners.models import InformationShare, Involvement, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(client_factory):
    return client_factory(first_names="Fatima", surname="Berg")


def _register(page, live_server, axe_check):
    page.goto(f"{live_server.url}/partnerorganisaties/")
    axe_check(page)
    page.get_by_role("link", name="Organisatie toevoegen").click()
    axe_check(page)
    page.get_by_role("button", name="Opslaan").click()  # empty: the error summary
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.get_by_label("Naam", exact=True).fill("GGZ Kust (demo)")
    page.get_by_label("Soort organisatie").select_option("mental_health")
    page.get_by_label("Code (niet verplicht)").fill("GGZK")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GGZ Kust (demo)")
    axe_check(page)
    page.get_by_role("link", name="Contactpersoon toevoegen").click()
    page.get_by_label("Naam", exact=True).fill("Sanne de Wit")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#main")).to_contain_text("Sanne de Wit")


def _journey(page, live_server, fatima, axe_check, *, check=True):
    household = fatima.household
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/betrokkenen/nieuw/")
    if check:
        axe_check(page)
    page.get_by_label("Organisatie", exact=True).select_option(label="GGZ Kust (demo) (GGZ)")
    page.get_by_label("Waarvoor").select_option("mental_health")
    page.get_by_label("Voor wie").select_option(label="Fatima Berg")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#main")).to_contain_text("De betrokken organisatie is vastgelegd.")
    involvement = Involvement.objects.get()

    page.goto(f"{live_server.url}/betrokkenheden/{involvement.pk}/delen/")
    if check:
        axe_check(page)
    page.get_by_label("Fatima Berg").check()
    page.get_by_label("Contactgegevens").check()
    page.get_by_label("Wat deelt u").fill("Telefoonnummer")
    page.get_by_role("button", name="Vastleggen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("geen geldige toestemming")
    if check:
        axe_check(page)
    assert not InformationShare.objects.exists()

    alert.get_by_role("link", name="Toestemming van Fatima Berg vastleggen").click()
    page.get_by_label("Doel").select_option("delen_partner")
    page.locator("#id_data_categories_1").check()  # contactgegevens
    page.get_by_label("Organisatie uit het register (niet verplicht)").select_option(
        label="GGZ Kust (demo)"
    )
    page.get_by_label("Gegeven via").select_option("gesprek")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.locator("#main")).to_contain_text("De toestemming is vastgelegd.")

    page.goto(f"{live_server.url}/betrokkenheden/{involvement.pk}/delen/")
    expect(page.get_by_role("table")).to_contain_text("contactgegevens")
    page.get_by_label("Fatima Berg").check()
    page.get_by_label("Contactgegevens").check()
    page.get_by_label("Wat deelt u").fill("Telefoonnummer")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("#main")).to_contain_text(
        "Vastgelegd dat u gegevens van Fatima Berg hebt gedeeld"
    )
    assert InformationShare.objects.get().data_categories == ["contact"]
    # The household page shows the organisation and what may be shared now.
    section = page.locator("section[aria-labelledby=betrokken-organisaties]")
    expect(section).to_contain_text("GGZ Kust (demo)")
    if check:
        axe_check(page)


def test_partner_journey(page, live_server, functional_admin, coach, fatima, login_as, axe_check):
    login_as(page, live_server, functional_admin)
    _register(page, live_server, axe_check)
    page.context.clear_cookies()
    login_as(page, live_server, coach)
    _journey(page, live_server, fatima, axe_check)


def test_partner_journey_without_javascript(
    no_js_page, live_server, team_lead, coach, fatima, login_as, axe_check
):
    Organisation.objects.create(
        municipality=coach.municipality, name="GGZ Kust (demo)", kind="mental_health"
    )
    login_as(no_js_page, live_server, coach)
    _journey(no_js_page, live_server, fatima, axe_check, check=False)
