"""Browser fixtures for journeys and accessibility checks in a real Chromium (Playwright, sync API).

Reusable by every app's browser tests:

    pytestmark = pytest.mark.browser

    def test_my_page(page, live_server, login_as, axe_check, coach):
        login_as(page, live_server, coach)
        page.goto(live_server.url + "/my-page/")
        axe_check(page)

The system Chromium (Debian package `chromium`) is used; no browser is ever downloaded. Without
/usr/bin/chromium every test that uses these fixtures is skipped with a clear message.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    "Chromium niet gevonden op /usr/bin/chromium: browsertests overgeslagen — "
    "installeer het Debian-pakket chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "assets" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct-horse-battery-staple"  # the personas' password (root conftest.py)
VIEWPORT = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told that this is intended. Only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    yield context
    context.close()


def _is_csp_violation(message: Any) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A page that fails the test when the browser reports a Content-Security-Policy violation
    (inline script or style, a foreign source): what the CSP blocks, users would miss."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if _is_csp_violation(m) else None)
    yield page
    assert not violations, "CSP-schending(en):\n" + "\n".join(violations)


@pytest.fixture
def no_js_page(browser: Any) -> Iterator[Any]:
    """A page with JavaScript disabled: every page must work without it."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", java_script_enabled=False)
    yield context.new_page()
    context.close()


def _login(page: Any, live_server: Any, user: Any, password: str = PASSWORD) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meedoen.accounts.testing import totp_token

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.get_username())
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    # With REQUIRE_2FA on: the code step (or enrolment first), with a real code from the device key.
    if "/inloggen/code" in page.url:
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
        assert device is not None, f"{user} heeft geen TOTP-apparaat na de enrolmentpagina"
        page.get_by_label("Code uit uw authenticator-app").fill(totp_token(device))
        page.locator("form.meedoen-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def login_as() -> Callable[..., None]:
    """login_as(page, live_server, user[, password]): sign in through the real login form; when 2FA
    is required (settings.REQUIRE_2FA) also through the code step, with a code from the device."""
    return _login


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def _axe_check(page: Any, *, context: str = "document") -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A and AA) on the page and fail on any violation."""
    # Evaluated through the DevTools protocol, not as a <script> tag: the page's CSP allows no
    # inline script, and the test should see the page exactly as users get it.
    # A click that navigates returns once the new page is committed, not parsed: wait for the
    # whole document so axe never audits half a page.
    page.wait_for_load_state()
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    result = page.evaluate(f"async () => await axe.run({context}, {options})")
    violations = result["violations"]
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.1 AA-schending(en) op {page.url}\n"
        + _format_violations(violations)
    )
    return result["passes"]


@pytest.fixture
def axe_check() -> Callable[..., list[dict[str, Any]]]:
    """axe_check(page): assert 0 axe-core violations for wcag2a, wcag2aa, wcag21a, wcag21aa."""
    return _axe_check
