"""Changing contact details in a real browser: the form and the conflict page pass axe-core
(WCAG 2.1 AA) with 0 violations, and both work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(client_factory):
    return client_factory(
        surname="Berg",
        name_prefix="van den",
        first_names="Fatima",
        phone="06 11111111",
        email="fatima@example.nl",
        languages=["nl", "ar"],
    )


def _someone_else_saves(actor, client, phone):
    client_contact_update(
        actor=actor,
        client=Client.objects.get(pk=client.pk),
        expected_version=client.version,
        origin=Origin(channel="test"),
        phone=phone,
    )


def test_edit_contact_details(page, live_server, coach, fatima, login_as, axe_check):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/")
    page.get_by_role("link", name="Contactgegevens wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contactgegevens wijzigen")
    expect(page.get_by_label("Talen")).to_have_value("Nederlands, Arabisch")
    axe_check(page)

    # Bad input: the form again with the messages, linked to the fields.
    page.get_by_label("Telefoon").fill("12345")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Telefoon")).to_have_attribute("aria-invalid", "true")
    axe_check(page)

    page.get_by_label("Telefoon").fill("070 123 45 67")
    page.get_by_label("Talen").fill("Nederlands, Arabisch, Tarifit")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#contact")
    expect(page.get_by_role("status")).to_contain_text("De contactgegevens zijn opgeslagen.")
    expect(page.locator("#main")).to_contain_text("070 123 45 67")
    expect(page.locator("#main")).to_contain_text("Tarifit")
    axe_check(page)


def test_conflict_page(page, live_server, coach, team_lead, fatima, login_as, axe_check):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/contactgegevens/")
    page.get_by_label("Telefoon").fill("06 33333333")
    _someone_else_saves(team_lead, fatima, "06 22222222")  # while the coach is typing
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "Iemand anders heeft deze gegevens gewijzigd terwijl u bezig was."
    )
    table = page.get_by_role("table", name="De gegevens nu, en wat u had ingevuld")
    expect(table).to_contain_text("06 22222222")
    expect(table).to_contain_text("06 33333333")
    expect(page.get_by_label("Telefoon")).to_have_value("06 22222222")
    axe_check(page)
    assert Client.objects.get(pk=fatima.pk).phone == "06 22222222"

    # Redo the change on the current values: it saves.
    page.get_by_label("Telefoon").fill("06 33333333")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#contact")
    assert Client.objects.get(pk=fatima.pk).phone == "06 33333333"


def test_edit_and_conflict_without_javascript(no_js_page, live_server, coach, team_lead, fatima):
    page = no_js_page
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/contactgegevens/")
    page.get_by_label("E-mail").fill("f.vandenberg@example.nl")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#contact")
    assert Client.objects.get(pk=fatima.pk).email == "f.vandenberg@example.nl"

    page.goto(f"{live_server.url}/clienten/{fatima.pk}/contactgegevens/")
    _someone_else_saves(team_lead, Client.objects.get(pk=fatima.pk), "06 22222222")
    page.get_by_label("E-mail").fill("ander@example.nl")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.get_by_role("button", name="Opslaan").click()
    response = info.value
    assert response.status == 409
    expect(page.locator("#main")).to_contain_text("Uw wijziging is niet opgeslagen")
    assert Client.objects.get(pk=fatima.pk).email == "f.vandenberg@example.nl"
