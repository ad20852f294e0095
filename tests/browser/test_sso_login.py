"""Single sign-on in a real browser: the login page with the provider's button passes axe-core, and
the whole round trip (our redirect, the provider, the callback) works with and without JavaScript.
The provider is the fake one of the accounts tests, a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from meedoen.accounts.oidc import discovery_cache_clear
from meedoen.accounts.tests.fake_idp import FakeIdentityProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "coach@gemeente.example"


@pytest.fixture
def sso(settings) -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider().start()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_TRUST_MFA = True
    settings.OIDC_DISPLAY_NAME = "Testgemeente-ID"
    settings.REQUIRE_2FA = True
    discovery_cache_clear()
    yield provider
    discovery_cache_clear()
    provider.stop()


@pytest.fixture
def sso_coach(coach):
    coach.email = EMAIL
    coach.save(update_fields=["email"])
    return coach


def test_sso_login_with_the_providers_second_factor(page, live_server, sso, sso_coach, axe_check):
    sso.id_token_claims = {"amr": ["pwd", "mfa"]}
    page.goto(f"{live_server.url}/inloggen/")
    axe_check(page)
    expect(page.get_by_label("Wachtwoord")).to_be_visible()

    page.get_by_role("link", name="Inloggen met Testgemeente-ID").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_sso_without_the_second_factor_asks_for_the_app(page, live_server, sso, sso_coach):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Inloggen met Testgemeente-ID").click()
    page.wait_for_url("**/inloggen/code-instellen/**")


def test_unknown_identity_message(page, live_server, sso, sso_coach, axe_check):
    sso.account = {"sub": "onbekend", "email": "onbekend@gemeente.example"}
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name="Inloggen met Testgemeente-ID").click()
    page.wait_for_url(f"{live_server.url}/inloggen/")
    expect(page.get_by_role("alert")).to_contain_text("Er is geen actief Meedoen-account")
    axe_check(page)


def test_sso_only_page(page, live_server, sso, settings, axe_check):
    settings.OIDC_ONLY = True
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.get_by_label("Wachtwoord")).to_have_count(0)
    axe_check(page)


def test_sso_works_without_javascript(no_js_page, live_server, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    no_js_page.goto(f"{live_server.url}/inloggen/?next=/clienten/")
    no_js_page.get_by_role("link", name="Inloggen met Testgemeente-ID").click()
    no_js_page.wait_for_url(f"{live_server.url}/clienten/")
