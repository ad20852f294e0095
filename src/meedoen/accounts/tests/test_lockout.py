"""Lockout after repeated failures (django-axes), through the real login form."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery-staple"
WRONG = "dit-is-niet-het-wachtwoord-123"
LOGIN = reverse("web:login")

pytestmark = pytest.mark.django_db


def _attempt(client, password, *, ip="198.51.100.7", username="coach"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_username_and_ip_for_fifteen_minutes(client, coach, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(4):
        response = _attempt(client, WRONG)
        assert response.status_code == 200
        assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()

    fifth = _attempt(client, WRONG)
    assert fifth.status_code == 429
    # Now even the right password is refused, with a Dutch explanation.
    locked = _attempt(client, PASSWORD)
    body = locked.content.decode()
    assert locked.status_code == 429
    assert "Te veel mislukte inlogpogingen" in body
    assert "15 minuten geblokkeerd" in body
    assert 'role="alert"' in body
    assert PASSWORD not in body
    assert WRONG not in body
    assert client.get(reverse("web:home")).status_code == 302  # not logged in

    # Logged by axes, never with the password.
    assert "AXES" in caplog.text
    assert WRONG not in caplog.text
    assert PASSWORD not in caplog.text
    attempt = AccessAttempt.objects.get(username="coach", ip_address="198.51.100.7")
    assert WRONG not in attempt.post_data
    assert PASSWORD not in attempt.post_data


def test_lockout_is_per_username_and_ip(client, coach, colleague):
    for _ in range(5):
        _attempt(client, WRONG)
    assert _attempt(client, PASSWORD).status_code == 429
    # The same user from another address, and another user from the same address, still log in.
    assert _attempt(client, PASSWORD, ip="203.0.113.9").status_code == 302
    client.post(reverse("web:logout"))
    assert _attempt(client, PASSWORD, username="collega").status_code == 302


def test_lockout_ends_after_the_cool_off(client, coach):
    for _ in range(5):
        _attempt(client, WRONG)
    assert _attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_counter(client, coach):
    for _ in range(4):
        _attempt(client, WRONG)
    assert _attempt(client, PASSWORD).status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(4):
        assert _attempt(client, WRONG).status_code == 200


def test_unknown_usernames_are_locked_the_same_way(client, db):
    for _ in range(5):
        _attempt(client, WRONG, username="bestaat-niet")
    assert _attempt(client, WRONG, username="bestaat-niet").status_code == 429
