"""Idle timeout: SESSION_COOKIE_AGE from the last request, tested by moving the expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery-staple"
HOME = reverse("web:home")
LOGIN = reverse("web:login")

pytestmark = pytest.mark.django_db


def _login(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _session(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_idle_timeout_is_fifteen_minutes_and_moves_with_each_request(client, coach):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    _login(client, coach)
    # Ten minutes of silence: still inside the window, and the request moves its end.
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get(HOME).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=14) < remaining <= dt.timedelta(minutes=15)


def test_after_the_idle_timeout_the_login_page_says_why(client, coach):
    _login(client, coach)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("web:client_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert "U bent uitgelogd na 15 minuten zonder activiteit." in page.content.decode()
    # Said once, not on every later visit.
    assert "zonder activiteit" not in client.get(LOGIN).content.decode()


def test_no_idle_notice_after_a_normal_logout_or_first_visit(client, coach):
    assert "zonder activiteit" not in client.get(LOGIN).content.decode()
    _login(client, coach)
    client.post(reverse("web:logout"))
    assert "zonder activiteit" not in client.get(LOGIN).content.decode()


def test_a_request_soon_after_the_last_writes_no_session(client, coach):
    _login(client, coach)
    client.get(HOME)
    before = _session(client).expire_date
    client.get(HOME)
    # Within SESSION_REFRESH_SECONDS of the last write the expiry stays: no UPDATE per page.
    assert _session(client).expire_date == before
    Session.objects.update(
        expire_date=timezone.now()
        + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS - 5)
    )
    client.get(HOME)
    remaining = _session(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
