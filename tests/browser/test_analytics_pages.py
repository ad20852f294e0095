"""The analyst's page in a real browser: WCAG 2.1 AA (axe-core, 0 violations), charts with a
name, the downloads working without JavaScript, and the page fitting a narrow screen."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIJKEN = [
    ("WK051829", "Schilderswijk", 24),
    ("WK051830", "Transvaalkwartier", 13),
    ("WK051838", "Laakkwartier en Spoorwijk", 4),
]


@pytest.fixture
def population(client_factory):
    for code, name, count in WIJKEN:
        for n in range(count):
            client_factory(
                district_code=code,
                district_name=name,
                date_of_birth=dt.date(1960 + (n * 7) % 45, 1 + n % 12, 1 + n % 28),
            )


def test_analysis_page(page, live_server, analyst, population, login_as, axe_check):
    login_as(page, live_server, analyst)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Analyse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analyse")
    # Three charts, each an image with a name; the data is in tables beside them.
    expect(page.get_by_role("img", name="Cliënten per wijk")).to_be_visible()
    expect(page.get_by_role("img", name="Cliënten naar leeftijd")).to_be_visible()
    expect(page.get_by_role("img", name="Lopende uitkeringen naar duur")).to_be_visible()
    wijken = page.get_by_role("table", name="Cliënten en huishoudens per wijk")
    expect(wijken).to_contain_text("Schilderswijk")
    laak = wijken.get_by_role("row").filter(has_text="Laakkwartier")
    expect(laak).to_contain_text("< 10")
    axe_check(page)

    # A narrow screen (320 CSS px, WCAG 1.4.10): the page does not scroll sideways; wide tables
    # scroll inside their own region, which the keyboard can reach.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    axe_check(page)


def test_dataset_download_without_javascript(no_js_page, live_server, analyst, population):
    page = no_js_page
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(analyst.get_username())
    page.get_by_label("Wachtwoord").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/analyse/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("meedoen-dataset-0518-")
    content = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert len(rows) == sum(count for _, _, count in WIJKEN)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als Excel (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
