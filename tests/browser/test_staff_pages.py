"""User management in a real browser: the functional admin's list, create form (with errors), the
one-time set-password link followed by the new colleague, the edit page and its conflict, the
confirmation pages (reset 2FA, deactivate) and the teams. Every page passes axe-core (WCAG 2.1 AA)
with 0 violations, and the whole journey also works without JavaScript."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.accounts.services_staff import staff_update
from meedoen.accounts.testing import totp_device_create
from meedoen.audit.services import Origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "een zin die ik onthoud"


def _fill_new_colleague(page, team_name: str) -> None:
    page.get_by_label("Gebruikersnaam").fill("j.devries")
    page.get_by_label("Voornaam").fill("Jan")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("E-mailadres").fill("j.devries@denhaag.nl")
    page.get_by_label("Rol").select_option(label="Klantregisseur")
    page.get_by_label("Team").select_option(label=team_name)


def test_list_create_with_errors_and_the_password_link(
    page, context, live_server, login_as, axe_check, functional_admin, coach, team
):
    login_as(page, live_server, functional_admin)
    page.get_by_role("link", name="Gebruikers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")
    expect(page.get_by_role("link", name="coach")).to_be_visible()
    axe_check(page)

    # Filtered list.
    page.get_by_label("Rol").select_option(label="Klantregisseur")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**/beheer-gebruikers/?*")
    assert "rol=coach" in page.url
    axe_check(page)

    page.get_by_role("link", name="Medewerker toevoegen").click()
    axe_check(page)
    # Errors: the form again with the messages, linked to the fields.
    page.get_by_label("Gebruikersnaam").fill("met spatie")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen")
    expect(page.get_by_label("Gebruikersnaam")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Rol")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    assert not User.objects.filter(username="met spatie").exists()

    _fill_new_colleague(page, team.name)
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url("**/beheer-gebruikers/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jan de Vries")
    link = page.locator("#wachtwoordlink code").inner_text()
    assert re.search(r"/wachtwoord-instellen/[^/]+/[^/]+/$", link)
    axe_check(page)

    # The new colleague, in another browser session, sets the password through the link.
    colleague = context.browser.new_context(locale="nl-NL").new_page()
    colleague.goto(link)
    assert colleague.url.endswith("/instellen/")
    colleague.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    colleague.get_by_label("Nieuw wachtwoord, nog een keer").fill("kort")
    colleague.get_by_role("button", name="Wachtwoord instellen").click()
    expect(colleague.locator("#main")).to_contain_text("te kort")
    axe_check(colleague)
    colleague.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    colleague.get_by_label("Nieuw wachtwoord, nog een keer").fill(NEW_PASSWORD)
    colleague.get_by_role("button", name="Wachtwoord instellen").click()
    colleague.wait_for_url("**/inloggen/")
    expect(colleague.get_by_role("status")).to_contain_text("Uw wachtwoord is ingesteld")
    axe_check(colleague)
    assert User.objects.get(username="j.devries").check_password(NEW_PASSWORD)
    # A used link says so, accessibly.
    colleague.goto(link)
    expect(colleague.get_by_role("alert")).to_contain_text("Deze link werkt niet (meer)")
    axe_check(colleague)
    colleague.context.close()


def test_edit_conflict_and_reset_2fa(
    page, live_server, login_as, axe_check, functional_admin, coach, other_team
):
    coach.first_name, coach.last_name, coach.email = "Anna", "Jansen", "a.jansen@denhaag.nl"
    coach.save()
    totp_device_create(coach)
    login_as(page, live_server, functional_admin)
    page.goto(f"{live_server.url}/beheer-gebruikers/{coach.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Jansen")
    axe_check(page)

    # Someone else saves while the admin types: 409 with both values.
    page.get_by_label("Achternaam").fill("Jansen-Bakker")
    staff_update(
        actor=functional_admin,
        user=User.objects.get(pk=coach.pk),
        expected_version=1,
        origin=Origin(channel="test"),
        first_name="Anna",
        last_name="Jansen",
        email="anna@denhaag.nl",
        role=Role.COACH,
        team=coach.team,
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Iemand anders heeft dit account gewijzigd")
    table = page.get_by_role("table", name="De gegevens nu, en wat u had ingevuld")
    expect(table).to_contain_text("anna@denhaag.nl")
    expect(table).to_contain_text("Jansen-Bakker")
    axe_check(page)

    # Redo on the current values: saved.
    page.get_by_label("Achternaam").fill("Jansen-Bakker")
    page.get_by_label("Team").select_option(label=other_team.name)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De gegevens zijn opgeslagen.")
    coach.refresh_from_db()
    assert (coach.last_name, coach.team_id) == ("Jansen-Bakker", other_team.pk)

    # Lost phone: the confirmation page, then the app is gone.
    page.get_by_role("link", name="Tweestapsverificatie opnieuw instellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tweestapsverificatie opnieuw instellen"
    )
    axe_check(page)
    page.get_by_role("button", name="App verwijderen").click()
    expect(page.get_by_role("status").first).to_contain_text("De authenticator-app is verwijderd")
    assert not TOTPDevice.objects.filter(user=coach).exists()
    axe_check(page)


def test_deactivate_refused_with_a_caseload_and_teams(
    page, live_server, login_as, axe_check, functional_admin, coach, analyst, client_factory
):
    client_factory()
    login_as(page, live_server, functional_admin)
    page.goto(f"{live_server.url}/beheer-gebruikers/{coach.pk}/deactiveren/")
    expect(page.locator("#main")).to_contain_text(
        "Laat een teamleider de caseload eerst overdragen"
    )
    expect(page.get_by_role("button", name="Deactiveren")).to_have_count(0)
    axe_check(page)

    page.goto(f"{live_server.url}/beheer-gebruikers/{analyst.pk}/deactiveren/")
    axe_check(page)
    page.get_by_role("button", name="Deactiveren").click()
    expect(page.get_by_role("status").first).to_contain_text("Het account is gedeactiveerd.")
    assert not User.objects.get(pk=analyst.pk).is_active

    page.goto(f"{live_server.url}/beheer-gebruikers/teams/")
    axe_check(page)
    page.get_by_role("button", name="Team toevoegen").click()
    expect(page.get_by_label("Naam van het team")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    page.get_by_label("Naam van het team").fill("Team Escamp")
    page.get_by_role("button", name="Team toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text("Het team Team Escamp is aangemaakt.")
    page.get_by_role("link", name="Team Escamp — naam wijzigen").click()
    axe_check(page)
    page.get_by_label("Naam van het team").fill("Team Loosduinen")
    page.get_by_role("button", name="Opslaan").click()
    assert Team.objects.filter(name="Team Loosduinen").exists()


def test_user_management_without_javascript(no_js_page, live_server, functional_admin, team):
    page = no_js_page
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/beheer-gebruikers/nieuw/")
    _fill_new_colleague(page, team.name)
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url("**/beheer-gebruikers/*/")
    expect(page.locator("#wachtwoordlink")).to_contain_text("/wachtwoord-instellen/")
    new = User.objects.get(username="j.devries")
    page.get_by_role("link", name="Account deactiveren").click()
    page.get_by_role("button", name="Deactiveren").click()
    page.wait_for_url(f"**/beheer-gebruikers/{new.pk}/")
    assert not User.objects.get(pk=new.pk).is_active
    page.get_by_role("link", name="Account weer activeren").click()
    page.get_by_role("button", name="Activeren").click()
    page.wait_for_url(f"**/beheer-gebruikers/{new.pk}/")
    assert User.objects.get(pk=new.pk).is_active
