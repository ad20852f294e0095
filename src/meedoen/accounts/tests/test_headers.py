"""Security headers on every page; the strict CSP; no caching of pages of a logged-in user."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

STRICT_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _csp(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def _assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_login_page_has_the_headers_and_strict_csp(client):
    response = client.get(reverse("web:login"))
    _assert_security_headers(response)
    assert _csp(response) == STRICT_CSP


def test_pages_with_personal_data_are_never_cached(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    for url in (reverse("web:home"), reverse("web:client_detail", args=[person.pk])):
        response = client.get(url)
        assert response.status_code == 200
        _assert_security_headers(response)
        assert _csp(response) == STRICT_CSP
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control
    api = client.get(reverse("api:client-list"))
    assert "no-store" in api["Cache-Control"]


def test_only_the_api_docs_get_the_wider_policy(client, coach):
    client.force_login(coach)
    for name in ("api:docs", "api:redoc"):
        csp = _csp(client.get(reverse(name)))
        assert "script-src 'self' 'unsafe-inline'" in csp
        assert "frame-ancestors 'none'" in csp
    assert _csp(client.get(reverse("web:home"))) == STRICT_CSP


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
]
# The API docs template is served with its own, wider policy (api/urls.py).
INLINE_ALLOWED = {"api/templates/api/redoc.html"}


def test_templates_have_no_inline_script_or_style():
    root = Path(settings.SRC_DIR) / "meedoen"
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        relative = template.relative_to(root).as_posix()
        if relative in INLINE_ALLOWED:
            continue
        text = template.read_text(encoding="utf-8")
        offenders += [f"{relative}: {p.pattern}" for p in INLINE if p.search(text)]
    assert not offenders, "Inline script/style breaks the CSP:\n" + "\n".join(offenders)
