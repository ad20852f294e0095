"""Conversations and profiles in a real browser (issue 4, "Done when"): a coach records a first
conversation and a follow-up for a client in Dutch forms that pass axe-core (WCAG 2.1 AA) with 0
violations, empty and with errors; the client page shows the profile, the ZRM and
participatieladder history as charts with their tables, and the change; the wijk overview shows the
"in kaart gebracht" counts. The form works without JavaScript too."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from meedoen.audit.services import Origin
from meedoen.profiles.constants import ZrmDomain
from meedoen.profiles.models import Conversation
from meedoen.profiles.services import conversation_record, conversation_update
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORIGIN = Origin(channel="test")


@pytest.fixture
def fatima(client_factory):
    return client_factory(
        surname="Berg",
        name_prefix="van den",
        first_names="Fatima",
        date_of_birth=dt.date(1981, 4, 2),
        district_code="WK051829",
        district_name="Schilderswijk",
    )


def _score_all(page, score_label: str, **per_domain: str) -> None:
    """Choose a score in every ZRM domain's radio group, by the group's name and the label."""
    for code, name in ZrmDomain.choices:
        group = page.get_by_role("group", name=str(name), exact=True)
        group.get_by_label(per_domain.get(code, score_label), exact=True).check()


def _record_first_conversation(page) -> None:
    page.get_by_label("Datum van het gesprek", exact=True).fill("2025-01-15")
    page.get_by_role("group", name="Plaats van het gesprek").get_by_label("huisbezoek").check()
    page.get_by_role("group", name="Wie waren er nog meer bij?").get_by_label("tolk").check()
    page.get_by_label("Verslag", exact=True).fill(
        "Eerste huisbezoek; kennismaking aan de keukentafel."
    )
    page.get_by_label("Talenten", exact=True).fill("Kookt graag en veel, ook voor de buren.")
    page.get_by_label("Wensen en behoeften", exact=True).fill("Werk overdag, dicht bij huis.")
    page.get_by_label("Ambitie op korte termijn", exact=True).fill("Taalcursus afmaken.")
    schulden = page.get_by_role("group", name="Schulden")
    schulden.get_by_label("Ernst").select_option(label="matig")
    schulden.get_by_label("Wordt aangepakt").check()
    _score_all(page, "3: beperkt zelfredzaam", financien="2: niet zelfredzaam")
    page.get_by_role("group", name="Huidige trede").get_by_label(
        "2: sociale contacten", exact=False
    ).check()
    page.get_by_role("group", name="Haalbare trede").get_by_label(
        "4: onbetaald werk", exact=False
    ).check()
    page.get_by_role("group", name="Werkfit").get_by_label("werkfit met ondersteuning").check()
    page.get_by_label("Hoogste opleiding", exact=True).select_option(label="mbo 2")
    page.get_by_role("group", name="Werkervaring 1").get_by_label("Beroep").fill("5120")
    page.get_by_label("Niveau Nederlands", exact=True).select_option(label="A2")
    page.get_by_label("Andere talen", exact=True).fill("Arabisch")
    page.get_by_role("button", name="Gesprek vastleggen").click()


def test_coach_records_a_first_conversation_and_a_follow_up(
    page, live_server, coach, fatima, login_as, axe_check
):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/")
    page.get_by_role("link", name="Gesprek vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gesprek vastleggen")
    # The empty form: sections with a table of contents, ZRM groups with their help.
    expect(page.get_by_role("navigation", name="Onderdelen van het formulier")).to_be_visible()
    financien = page.get_by_role("group", name="Financiën", exact=True)
    expect(financien.get_by_label("onbekend")).to_be_visible()
    axe_check(page)

    _record_first_conversation(page)
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#profiel")
    expect(page.get_by_role("status")).to_contain_text("Het gesprek is vastgelegd.")
    profile = page.locator("section.meedoen-profile")
    expect(profile).to_contain_text("Kookt graag en veel")
    expect(profile).to_contain_text("100% (7 van 7 onderdelen)")
    axe_check(page)

    # The follow-up: pre-filled from the first; the coach changes only what changed.
    page.get_by_role("link", name="Gesprek vastleggen").click()
    expect(page.locator("#main")).to_contain_text("Dit is een vervolggesprek")
    expect(page.get_by_label("Talenten", exact=True)).to_have_value(
        "Kookt graag en veel, ook voor de buren."
    )
    expect(
        page.get_by_role("group", name="Financiën", exact=True).get_by_label("2: niet zelfredzaam")
    ).to_be_checked()
    expect(page.get_by_label("Verslag", exact=True)).to_have_value("")
    axe_check(page)
    page.get_by_role("group", name="Plaats van het gesprek").get_by_label("op kantoor").check()
    page.get_by_label("Datum van het gesprek", exact=True).fill("2025-04-10")
    page.get_by_role("group", name="Financiën", exact=True).get_by_label(
        "4: voldoende zelfredzaam"
    ).check()
    page.get_by_role("group", name="Huidige trede").get_by_label("3: deelname", exact=False).check()
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#profiel")

    # The client page: chart with its table, the change with arrows and words, the big step.
    profile = page.locator("section.meedoen-profile")
    expect(page.get_by_role("img", name="Participatieladder per gesprek")).to_be_visible()
    expect(page.get_by_role("img", name="Financiën")).to_be_visible()
    ladder = page.get_by_role("table", name="Participatieladder per gesprek")
    assert len(ladder.get_by_role("row").all()) == 3  # header and two conversations
    expect(ladder).to_contain_text("15 januari 2025")
    zrm_table = page.get_by_role("table", name="Leefgebieden per gesprek")
    financien_row = zrm_table.get_by_role("row").filter(has_text="Financiën")
    expect(financien_row).to_contain_text("+2 vooruit")
    expect(profile).to_contain_text("Veranderd sinds het gesprek van 15 januari 2025")
    expect(profile).to_contain_text("Grote stap vooruit")
    conversations = page.get_by_role("table", name="Gesprekken met deze cliënt, nieuwste eerst")
    expect(conversations.get_by_role("link")).to_have_count(2)
    axe_check(page)
    assert Conversation.objects.filter(client=fatima).count() == 2


def test_form_with_errors_has_a_linked_summary(
    page, live_server, coach, fatima, login_as, axe_check
):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/gesprekken/nieuw/")
    page.get_by_label("Datum van het gesprek", exact=True).fill("")
    page.get_by_role("group", name="Financiën", exact=True).get_by_label(
        "3: beperkt zelfredzaam"
    ).check()
    page.get_by_role("group", name="Huisvesting").get_by_label("Toelichting").fill(
        "Tijdelijk bij zus"
    )
    page.get_by_role("button", name="Gesprek vastleggen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is niets opgeslagen")
    expect(summary).to_contain_text("Datum van het gesprek: vul een datum in.")
    expect(summary).to_contain_text("Plaats van het gesprek: kies een van de mogelijkheden.")
    expect(summary).to_contain_text("Belemmering huisvesting: kies de ernst")
    expect(page.get_by_label("Datum van het gesprek", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    axe_check(page)
    # A link in the summary takes the keyboard to the field.
    summary.get_by_role(
        "link", name="Plaats van het gesprek: kies een van de mogelijkheden."
    ).click()
    assert page.evaluate("() => document.activeElement.id") == "id_place_0"
    assert not Conversation.objects.exists()


def test_correction_conflict_page(page, live_server, coach, team_lead, fatima, login_as, axe_check):
    conversation = conversation_record(
        actor=coach,
        client=fatima,
        conversation=conversation_input(date=dt.date(2025, 1, 15)),
        profile=full_profile(wishes="Wens van eerst"),
        origin=ORIGIN,
    )
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/gesprekken/{conversation.pk}/")
    page.get_by_role("link", name="Gesprek corrigeren").click()
    page.get_by_label("Wensen en behoeften", exact=True).fill("Wens van de klantregisseur")
    conversation_update(  # the team lead saves first, while the coach is typing
        actor=team_lead,
        conversation=Conversation.objects.get(pk=conversation.pk),
        expected_version=1,
        data=conversation_input(date=dt.date(2025, 1, 15)),
        profile=full_profile(wishes="Wens van de teamleider"),
        origin=ORIGIN,
    )
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Iemand anders heeft dit gesprek gewijzigd")
    table = page.get_by_role("table", name="Het gesprek nu, en wat u had ingevuld")
    expect(table).to_contain_text("Wens van de teamleider")
    expect(table).to_contain_text("Wens van de klantregisseur")
    expect(page.get_by_label("Wensen en behoeften", exact=True)).to_have_value(
        "Wens van de teamleider"
    )
    axe_check(page)


def test_wijk_overview(page, live_server, coach, client_factory, login_as, axe_check):
    for n in range(5):
        client = client_factory(district_code="WK051829", district_name="Schilderswijk")
        if n < 3:
            conversation_record(
                actor=coach,
                client=client,
                conversation=conversation_input(date=dt.date(2025, 1, 1 + n)),
                profile=full_profile(wishes="" if n == 0 else "Werk"),
                origin=ORIGIN,
            )
    client_factory(district_code="WK051830", district_name="Transvaalkwartier")
    login_as(page, live_server, coach)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="In kaart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("In kaart gebracht per wijk")
    expect(page.get_by_role("img", name="In kaart gebracht per wijk")).to_be_visible()
    table = page.get_by_role("table", name="Gesproken en in kaart gebracht per wijk")
    row = table.get_by_role("row").filter(has_text="Schilderswijk")
    expect(row.get_by_role("cell")).to_have_text(["5", "3", "60%", "2", "40%"])
    axe_check(page)
    page.get_by_label("Gesprekken vanaf", exact=True).fill("2025-01-02")
    page.get_by_role("button", name="Tonen").click()
    expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    axe_check(page)


def test_client_page_with_history_fits_a_narrow_screen(
    page, live_server, coach, fatima, login_as, axe_check
):
    for n, rung in enumerate([1, 2, 2, 3, 4, 4, 5]):
        conversation_record(
            actor=coach,
            client=fatima,
            conversation=conversation_input(date=dt.date(2023, 1, 1) + dt.timedelta(days=100 * n)),
            profile=full_profile(
                ladder_current=rung, ladder_potential=6, zrm=zrm(min(5, 1 + n // 2))
            ),
            origin=ORIGIN,
        )
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/")
    expect(page.get_by_role("img", name="Participatieladder per gesprek")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    axe_check(page)


def test_recording_works_without_javascript(no_js_page, live_server, coach, fatima):
    page = no_js_page
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/clienten/{fatima.pk}/gesprekken/nieuw/")
    _record_first_conversation(page)
    page.wait_for_url(f"{live_server.url}/clienten/{fatima.pk}/#profiel")
    assert Conversation.objects.filter(client=fatima).count() == 1


def test_analyst_sees_obstacles_and_zrm_per_wijk_suppressed(
    page, live_server, analyst, coach, client_factory, login_as, axe_check
):
    for n in range(14):
        client = client_factory(
            district_code="WK051829" if n < 11 else "WK051838",
            district_name="Schilderswijk" if n < 11 else "Laakkwartier en Spoorwijk",
        )
        conversation_record(
            actor=coach,
            client=client,
            conversation=conversation_input(date=dt.date(2025, 1, 1)),
            profile=full_profile(zrm=zrm(2 + n % 3)),
            origin=ORIGIN,
        )
    login_as(page, live_server, analyst)
    page.goto(f"{live_server.url}/analyse/")
    expect(page.get_by_role("img", name="Cliënten per belemmering")).to_be_visible()
    expect(page.get_by_role("img", name="ZRM-scores, alle leefgebieden samen")).to_be_visible()
    table = page.get_by_role("table", name="Cliënten per belemmering en wijk")
    row = table.get_by_role("row").filter(has_text="Schulden")
    expect(row).to_contain_text("< 10")  # the 3 in Laak, and what would give it back: "x"
    assert "x" in row.get_by_role("cell").all_inner_texts()
    expect(page.get_by_role("table", name="Cliënten per belemmering en doelgroep")).to_be_visible()
    expect(page.get_by_role("table", name="Cliënten per leefgebied en ZRM-score")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    axe_check(page)
