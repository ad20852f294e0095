"""Two-factor login in a real browser: enrolment and code step pass axe-core, and a code computed
from the secret shown on the page (as an authenticator app would) lets the user in."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def _code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def _password(page, live_server, user):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_enrolment_and_code_step(page, live_server, coach, axe_check, settings):
    settings.REQUIRE_2FA = True
    _password(page, live_server, coach)
    page.wait_for_url("**/inloggen/code-instellen/**")
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    axe_check(page)
    secret = page.locator(".meedoen-secret").inner_text().replace(" ", "")

    page.get_by_label("Code uit uw authenticator-app").fill("123")
    page.get_by_role("button", name="App koppelen").click()
    expect(page.locator("#code-error")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code uit uw authenticator-app").fill(_code_from_secret(secret))
    page.get_by_role("button", name="App koppelen").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("button", name="Uitloggen").click()
    _password(page, live_server, coach)
    page.wait_for_url("**/inloggen/code/**")
    axe_check(page)
    page.get_by_label("Code uit uw authenticator-app").fill(
        _code_from_secret(secret, steps_ahead=1)
    )
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{live_server.url}/")


def test_login_as_passes_the_code_step(page, live_server, coach, login_as, settings):
    from meedoen.accounts.testing import totp_device_create

    settings.REQUIRE_2FA = True
    totp_device_create(coach)
    login_as(page, live_server, coach)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_lockout_message(page, live_server, coach, axe_check):
    for _ in range(5):
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(coach.username)
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord-123")
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Te veel mislukte inlogpogingen")
    axe_check(page)


def test_enrolment_works_without_javascript(no_js_page, live_server, coach, settings):
    settings.REQUIRE_2FA = True
    _password(no_js_page, live_server, coach)
    no_js_page.wait_for_url("**/inloggen/code-instellen/**")
    secret = no_js_page.locator(".meedoen-secret").inner_text().replace(" ", "")
    no_js_page.get_by_label("Code uit uw authenticator-app").fill(_code_from_secret(secret))
    no_js_page.get_by_role("button", name="App koppelen").click()
    no_js_page.wait_for_url(f"{live_server.url}/")
