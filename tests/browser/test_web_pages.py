"""The web shell in a real browser: every page passes axe-core (WCAG 2.1 AA) with 0 violations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from meedoen.clients.constants import HouseholdRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    # surname, prefix, first names, postcode, wijk code, wijk
    ("Berg", "van den", "Fatima", "2526AB", "WK051828", "Schilderswijk"),
    ("Yilmaz", "", "Ayşe", "2526CD", "WK051828", "Schilderswijk"),
    ("Bakker", "", "Johannes Petrus", "2531AA", "WK051838", "Laak"),
    ("Mohamed", "", "Abdi", "2572BB", "WK051829", "Transvaal"),
    ("Vries", "de", "Maria", "2533CC", "WK051844", "Moerwijk"),
    ("Santos", "dos", "Lucas", "2541DD", "WK051848", "Bouwlust/Vrederust"),
]


@pytest.fixture
def people(client_factory):
    made = []
    for i, (surname, prefix, first, postcode, code, name) in enumerate(PEOPLE):
        made.append(
            client_factory(
                surname=surname,
                name_prefix=prefix,
                first_names=first,
                postcode=postcode,
                district_code=code,
                district_name=name,
                date_of_birth=dt.date(1960 + 5 * i, 3 + i, 10 + i),
            )
        )
    # A household of two, so the detail page shows members and links.
    client_factory(
        surname="Berg",
        first_names="Omar",
        household=made[0].household,
        role=HouseholdRole.PARTNER,
    )
    return made


def test_login_page(page, live_server, coach, axe_check):
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe_check(page)
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)


def test_start_page(page, live_server, coach, login_as, axe_check):
    login_as(page, live_server, coach)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welkom"))
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    axe_check(page)


def test_client_list_search_and_paging(
    page, live_server, coach, people, client_factory, login_as, axe_check
):
    for i in range(26):
        client_factory(surname=f"Vermeulen{i:02d}", first_names="Kees")
    login_as(page, live_server, coach)
    page.get_by_role("link", name="Cliënten", exact=True).click()
    expect(page.locator(".meedoen-result-count")).to_contain_text("cliënten gevonden")
    axe_check(page)

    page.get_by_label("Naam, postcode of BSN").fill("vermeulen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"\?zoek=[\w-]+$"))
    expect(page.locator(".meedoen-result-count")).to_contain_text("26 cliënten gevonden")
    axe_check(page)

    page.get_by_role("navigation", name="Paginering").get_by_role(
        "link", name="Volgende pagina"
    ).click()
    expect(page).to_have_url(re.compile(r"pagina=2"))
    expect(page).to_have_url(re.compile(r"zoek="))
    expect(page.locator("tbody tr")).to_have_count(1)
    axe_check(page)

    page.get_by_label("Wijk").select_option(label="Laak")
    page.get_by_label("Naam, postcode of BSN").fill("")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Bakker, Johannes Petrus")


def test_client_detail(page, live_server, coach, people, login_as, axe_check):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/{people[0].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima van den Berg")
    expect(page.get_by_role("link", name="Omar Berg")).to_be_visible()
    axe_check(page)


def test_language_switch_to_english(page, live_server, coach, people, login_as, axe_check):
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/clienten/$"))
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    axe_check(page)


def test_keyboard_skip_link(page, live_server, coach, login_as, axe_check):
    login_as(page, live_server, coach)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    box = page.locator(".utrecht-skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0, "skip link must become visible on focus"
    axe_check(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # Tabbing on from the main content reaches its first link, the next focusable element.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_404_page(page, live_server, coach, login_as, axe_check):
    login_as(page, live_server, coach)
    response = page.goto(f"{live_server.url}/bestaat-niet/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    axe_check(page)


def test_bsn_search_never_puts_the_bsn_in_a_url(page, live_server, coach, client_factory, login_as):
    from meedoen.clients.tests.factories import test_bsn as make_bsn

    bsn = make_bsn(900)
    client_factory(surname="Gezocht", first_names="Bea", bsn=bsn)
    client_factory(surname="Ander", first_names="Cor")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("response", lambda response: urls.append(response.headers.get("location", "")))
    login_as(page, live_server, coach)
    page.goto(f"{live_server.url}/clienten/")
    page.get_by_label("Naam, postcode of BSN").fill(bsn)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("tbody")).to_have_text(re.compile(r"^\s*Gezocht, Bea"))
    assert bsn not in page.content()
    assert urls
    assert not [url for url in urls if bsn in url]


def test_login_and_search_without_javascript(no_js_page, live_server, coach, people):
    page = no_js_page
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/clienten/")
    page.get_by_label("Naam, postcode of BSN").fill("2572")
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"zoek="))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Mohamed, Abdi")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/inloggen/"))


def test_axe_check_catches_a_violation(page, axe_check):
    """The helper itself must be able to fail: an image without alt text and low contrast."""
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb;background:#fff">te licht</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    assert "image-alt" in str(failure.value)
    assert "color-contrast" in str(failure.value)
