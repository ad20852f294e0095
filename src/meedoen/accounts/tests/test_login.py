"""The two-step login through the real forms, with real TOTP codes computed from the device key."""

from __future__ import annotations

import base64

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from meedoen.accounts.testing import totp_device_create, totp_token
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent

PASSWORD = "correct-horse-battery-staple"
HOME = reverse("web:home")
LIST = reverse("web:client_list")
ENROL = reverse("web:otp_enrol")
VERIFY = reverse("web:otp_verify")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.REQUIRE_2FA = True


def _password_step(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("web:login"), data)


def test_first_login_enrols_an_app_then_reaches_the_page(client, coach):
    response = _password_step(client, coach, next_url=LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)

    # Nothing but the login steps until the code is in.
    assert client.get(HOME)["Location"].startswith(ENROL)
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body
    assert 'role="img"' in body
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in body
    assert "style=" not in body

    wrong = client.post(ENROL, {"code": "12345", "next": LIST})
    assert wrong.status_code == 400
    assert "De code bestaat uit 6 cijfers" in wrong.content.decode()

    done = client.post(ENROL, {"code": totp_token(device), "next": LIST})
    assert done.status_code == 302
    assert done["Location"] == LIST
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(LIST).status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.totp_device.confirm", actor_id=coach.pk, result=Result.ALLOWED
    ).exists()


def test_login_with_an_enrolled_app_asks_the_code(client, coach):
    device = totp_device_create(coach)
    response = _password_step(client, coach)
    assert response["Location"].startswith(VERIFY)

    # Pages and the API wait for the code.
    blocked = client.get(LIST)
    assert blocked.status_code == 302
    assert blocked["Location"] == f"{VERIFY}?next=%2Fclienten%2F"
    api = client.get(reverse("api:client-list"))
    assert api.status_code == 403
    assert "Tweestapsverificatie is verplicht" in api.json()["detail"]
    # An enrolled user cannot enrol a second app with the password alone.
    assert client.get(ENROL)["Location"].startswith(VERIFY)

    wrong = client.post(VERIFY, {"code": "000000" if totp_token(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet of is verlopen" in wrong.content.decode()
    # django-otp's throttle: right after a wrong code even the right one must wait.
    throttled = client.post(VERIFY, {"code": totp_token(device)})
    assert "Te veel onjuiste codes" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    ok = client.post(VERIFY, {"code": totp_token(device), "next": LIST})
    assert ok.status_code == 302
    assert ok["Location"] == LIST
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("api:client-list")).status_code == 200
    results = list(
        AuditEvent.objects.filter(action="accounts.user.verify_otp").values_list(
            "result", flat=True
        )
    )
    assert Result.DENIED in results
    assert Result.ALLOWED in results


def test_a_code_is_accepted_only_once(client, coach):
    device = totp_device_create(coach)
    code = totp_token(device)
    _password_step(client, coach)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("web:logout"))

    _password_step(client, coach)
    replay = client.post(VERIFY, {"code": code})
    assert replay.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    # The next period's code (one period of clock skew is allowed) does work.
    assert client.post(VERIFY, {"code": totp_token(device, steps_ahead=1)}).status_code == 302


def test_next_never_leaves_the_site(client, coach):
    device = totp_device_create(coach)
    _password_step(client, coach)
    response = client.post(VERIFY, {"code": totp_token(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_logout_and_language_switch_work_before_the_code(client, coach):
    totp_device_create(coach)
    _password_step(client, coach)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("web:login"))


def test_verified_login_helper_passes_the_gate(client, coach, verified_login):
    verified_login(client, coach)
    assert client.get(LIST).status_code == 200


def test_force_login_alone_does_not_pass_the_gate(client, coach):
    client.force_login(coach)
    assert client.get(LIST)["Location"].startswith(ENROL)


def test_admin_site_is_behind_the_gate_too(client, municipality):
    from meedoen.accounts.models import User

    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    assert client.get("/beheer/")["Location"].startswith(ENROL)


def test_basic_auth_is_off_while_2fa_is_required(coach):
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"coach:{PASSWORD}".encode()).decode()
    )
    response = api.get(reverse("api:client-list"))
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response


@override_settings(REQUIRE_2FA=False)
def test_basic_auth_works_in_development_with_axes(coach):
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"coach:{PASSWORD}".encode()).decode()
    )
    assert api.get(reverse("api:client-list")).status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"coach:fout").decode())
    # Session auth comes first and sends no WWW-Authenticate header, so DRF answers 403, not 401.
    assert api.get(reverse("api:client-list")).status_code == 403
    # axes saw the failure through DRF's request (authenticate(request=...)).
    assert AccessAttempt.objects.get(username="coach").failures_since_start == 1


@override_settings(REQUIRE_2FA=False)
def test_without_the_policy_the_password_is_enough(client, coach):
    totp_device_create(coach)
    response = _password_step(client, coach)
    assert response["Location"] == HOME
    assert client.get(LIST).status_code == 200
