"""Single sign-on through the Django test client against a fake OpenID Connect provider that runs
as a real HTTP server (fake_idp.py): real signed ID tokens, JWKS, PKCE, single-use codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from meedoen.accounts.constants import Role
from meedoen.accounts.models import IdentityProviderDevice, User
from meedoen.accounts.oidc import mfa_asserted
from meedoen.accounts.testing import totp_device_create, totp_token
from meedoen.accounts.tests.fake_idp import new_rsa_key
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.config.sso import oidc_check_configuration

PASSWORD = "correct-horse-battery-staple"
LOGIN = reverse("web:login")
SSO_START = reverse("web:oidc_login")
CALLBACK = reverse("web:oidc_callback")
HOME = reverse("web:home")
LIST = reverse("web:client_list")
VERIFY = reverse("web:otp_verify")
ENROL = reverse("web:otp_enrol")
EMAIL = "coach@gemeente.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_coach(coach):
    coach.email = EMAIL
    coach.save(update_fields=["email"])
    return coach


def _start(client, next_url: str = "") -> str:
    """Click "Inloggen met …": our redirect to the provider's authorization endpoint."""
    response = client.get(SSO_START + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return str(response["Location"])


def _at_provider(authorize_url: str) -> str:
    """The browser at the provider: the user signs in there, the provider redirects back."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    back = urlsplit(response.headers["Location"])
    assert back.path == CALLBACK
    return f"{back.path}?{back.query}"


def _sso_login(client, next_url: str = ""):
    return client.get(_at_provider(_start(client, next_url)))


def _login_rows(result: str | None = None):
    rows = AuditEvent.objects.filter(action="accounts.user.login_sso")
    return rows.filter(result=result) if result else rows


def _logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


# Switched off ------------------------------------------------------------------------------


def test_off_by_default_no_button_and_no_sso_urls(client, settings):
    assert settings.OIDC_ENABLED is False
    page = client.get(LOGIN).content.decode()
    assert "Inloggen met" not in page
    assert SSO_START not in page
    assert client.get(SSO_START).status_code == 404
    assert client.get(f"{CALLBACK}?code=x&state=y").status_code == 404
    assert not AuditEvent.objects.exists()


# The flow ----------------------------------------------------------------------------------


def test_login_page_offers_the_provider_next_to_the_password(client, sso):
    page = client.get(f"{LOGIN}?next={LIST}").content.decode()
    assert "Inloggen met Testgemeente-ID" in page
    assert f'href="{SSO_START}?next=%2Fclienten%2F"' in page
    assert 'name="password"' in page


def test_redirect_to_the_provider_carries_state_nonce_and_pkce(client, sso):
    location = urlsplit(_start(client))
    params = {k: v[0] for k, v in parse_qs(location.query).items()}

    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/authorize"
    assert params["response_type"] == "code"
    assert params["client_id"] == sso.client_id
    assert params["redirect_uri"] == f"http://testserver{CALLBACK}"
    assert params["scope"] == "openid email profile"
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"]
    stored = client.session["oidc_states"][params["state"]]
    assert stored["nonce"] == params["nonce"]
    assert stored["code_verifier"]


def test_provider_mfa_logs_in_without_the_totp_step(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["pwd", "mfa"]}
    client.get(LOGIN)
    key_before = client.session.session_key

    response = _sso_login(client, next_url=LIST)

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert _logged_in_as(client) == str(sso_coach.pk)
    assert client.session.session_key != key_before
    device = IdentityProviderDevice.objects.get(user=sso_coach)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The 2FA gate lets the session through: pages and the API.
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("api:client-list")).status_code == 200
    row = _login_rows().get()
    assert row.result == Result.ALLOWED
    assert row.actor_id == sso_coach.pk
    assert row.actor_name == "coach"
    assert row.detail == {"channel": "web", "mfa": True}


def test_without_provider_mfa_the_totp_step_follows(client, sso, sso_coach):
    device = totp_device_create(sso_coach)

    response = _sso_login(client, next_url=LIST)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fclienten%2F"
    assert _logged_in_as(client) == str(sso_coach.pk)
    assert client.get(LIST)["Location"].startswith(VERIFY)
    assert client.get(reverse("api:client-list")).status_code == 403
    assert not IdentityProviderDevice.objects.exists()
    assert _login_rows().get().detail == {"channel": "web", "mfa": False}

    done = client.post(VERIFY, {"code": totp_token(device), "next": LIST})
    assert done["Location"] == LIST
    assert client.get(LIST).status_code == 200


def test_without_provider_mfa_and_without_an_app_the_user_enrols(client, sso, sso_coach):
    response = _sso_login(client)
    assert response["Location"].startswith(ENROL)


def test_provider_mfa_is_ignored_unless_trusted(client, sso, sso_coach, settings):
    settings.OIDC_TRUST_MFA = False
    sso.id_token_claims = {"amr": ["mfa"]}
    response = _sso_login(client)
    assert response["Location"].startswith(ENROL)
    assert _login_rows().get().detail["mfa"] is False


def test_mfa_only_from_the_signed_id_token_not_from_userinfo(client, sso, sso_coach):
    sso.userinfo_overrides = {"amr": ["mfa"], "acr": "mfa"}
    response = _sso_login(client)
    assert response["Location"].startswith(ENROL)


def test_configured_acr_counts_as_mfa(client, sso, sso_coach, settings):
    settings.OIDC_MFA_ACR = ["urn:gemeente:loa:substantial"]
    sso.id_token_claims = {"acr": "urn:gemeente:loa:substantial"}
    response = _sso_login(client)
    assert response["Location"] == HOME


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["mfa"]}, True),
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": "hwk"}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd"], "acr": "1"}, False),
        ({"acr": "urn:loa:high"}, True),
        ({}, False),
        ({"amr": {"mfa": True}}, False),
    ],
)
def test_mfa_asserted(settings, claims, expected):
    settings.OIDC_MFA_AMR = ["mfa", "otp", "hwk"]
    settings.OIDC_MFA_ACR = ["urn:loa:high"]
    assert mfa_asserted(claims) is expected


def test_without_2fa_required_sso_goes_straight_to_the_page(client, sso, sso_coach, settings):
    settings.REQUIRE_2FA = False
    response = _sso_login(client, next_url=LIST)
    assert response["Location"] == LIST
    assert client.get(LIST).status_code == 200


def test_an_unsafe_next_is_ignored(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    response = _sso_login(client, next_url="https://elders.example/")
    assert response["Location"] == HOME


# Matching the identity to a user ----------------------------------------------------------


def test_the_match_ignores_case(client, sso, sso_coach):
    sso.account["email"] = "Coach@Gemeente.EXAMPLE"
    sso.id_token_claims = {"amr": ["mfa"]}
    _sso_login(client)
    assert _logged_in_as(client) == str(sso_coach.pk)


def test_match_on_preferred_username(client, sso, coach, settings):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    settings.OIDC_USER_FIELD = "username"
    sso.account = {"sub": "abc", "preferred_username": "COACH"}
    _sso_login(client)
    assert _logged_in_as(client) == str(coach.pk)


def test_unknown_user_is_refused_with_a_message_and_audited(client, sso, sso_coach):
    sso.account = {"sub": "x-1", "email": "onbekend@gemeente.example"}

    response = _sso_login(client)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert _logged_in_as(client) is None
    assert not User.objects.filter(email__iexact="onbekend@gemeente.example").exists()
    page = client.get(LOGIN).content.decode()
    assert "Er is geen actief Meedoen-account" in page
    assert 'role="alert"' in page
    # Shown once.
    assert "Er is geen actief Meedoen-account" not in client.get(LOGIN).content.decode()
    row = _login_rows().get()
    assert row.result == Result.DENIED
    assert row.actor_id is None
    assert row.detail == {"channel": "web", "reason": "unknown_user"}
    _assert_no_claim_or_token_in_audit(sso, "onbekend@gemeente.example", "x-1")


def _assert_no_claim_or_token_in_audit(provider, *values: str) -> None:
    for row in AuditEvent.objects.all():
        text = json.dumps(
            [
                row.actor_name,
                row.object_id,
                row.object_type,
                row.subject_pseudonym,
                row.purpose,
                row.user_agent,
                row.detail,
            ]
        )
        for value in [*values, *provider.issued, *provider.codes]:
            assert value not in text


def test_inactive_user_is_refused(client, sso, sso_coach):
    sso_coach.is_active = False
    sso_coach.save(update_fields=["is_active"])
    sso.id_token_claims = {"amr": ["mfa"]}

    _sso_login(client)

    assert _logged_in_as(client) is None
    row = _login_rows().get()
    assert (row.result, row.actor_id, row.detail["reason"]) == (
        Result.DENIED,
        sso_coach.pk,
        "inactive_user",
    )
    assert not IdentityProviderDevice.objects.exists()


def test_two_users_with_the_same_address_are_refused(client, sso, sso_coach, municipality):
    User.objects.create_user(
        username="tweede", email=EMAIL.upper(), municipality=municipality, role=Role.COACH
    )
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "ambiguous_user"


def test_the_installation_superuser_is_never_matched(client, sso):
    User.objects.create_superuser(username="root", email=EMAIL, password=PASSWORD)
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "unknown_user"


def test_no_claim_no_match(client, sso, sso_coach):
    sso.account = {"sub": "zonder-mail"}
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "unknown_user"


# Refused responses -------------------------------------------------------------------------


def test_a_state_this_session_did_not_start_is_refused(client, sso, sso_coach):
    callback = _at_provider(_start(client))
    other_browser = client.__class__()

    response = other_browser.get(callback)

    assert response["Location"] == LOGIN
    assert other_browser.session.get(SESSION_KEY) is None
    assert _login_rows().get().detail["reason"] == "invalid_state"
    assert "Inloggen met Testgemeente-ID is mislukt" in other_browser.get(LOGIN).content.decode()


def test_a_callback_is_used_once(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    callback = _at_provider(_start(client))
    assert client.get(callback)["Location"] == HOME
    client.post(reverse("web:logout"))

    replay = client.get(callback)

    assert replay["Location"] == LOGIN
    assert _logged_in_as(client) is None
    assert [r.detail.get("reason") for r in _login_rows().order_by("seq")] == [
        None,
        "invalid_state",
    ]


def test_a_callback_without_code_is_refused(client, sso):
    response = client.get(CALLBACK)
    assert response["Location"] == LOGIN
    assert _login_rows().get().detail["reason"] == "invalid_request"


@pytest.mark.parametrize(
    "overrides",
    [
        {"nonce": "een-andere-nonce"},
        {"iss": "https://andere-idp.example"},
        {"aud": "een-andere-client"},
        {"exp": 1_000_000_000, "iat": 999_999_000},
    ],
    ids=["nonce", "issuer", "audience", "expired"],
)
def test_a_wrong_id_token_is_refused(client, sso, sso_coach, overrides):
    sso.id_token_overrides = overrides
    sso.id_token_claims = {"amr": ["mfa"]}

    response = _sso_login(client)

    assert response["Location"] == LOGIN
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "invalid_token"
    assert not IdentityProviderDevice.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, sso, sso_coach):
    sso.sign_key = new_rsa_key()
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "invalid_token"


def test_userinfo_about_another_subject_is_refused(client, sso, sso_coach):
    sso.userinfo_overrides = {"sub": "iemand-anders"}
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "invalid_token"


def test_a_wrong_client_secret_is_refused(client, sso, sso_coach, settings):
    settings.OIDC_RP_CLIENT_SECRET = "fout"
    _sso_login(client)
    assert _logged_in_as(client) is None
    assert _login_rows().get().detail["reason"] == "provider_unreachable"


def test_an_error_from_the_provider_is_refused(client, sso, sso_coach):
    sso.error = "access_denied"
    response = _sso_login(client)
    assert response["Location"] == LOGIN
    assert _login_rows().get().detail["reason"] == "provider_error"
    assert "afgebroken of geweigerd" in client.get(LOGIN).content.decode()


def test_a_forged_error_link_does_not_log_a_user_out(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    _sso_login(client)

    response = client.get(f"{CALLBACK}?error=access_denied&state=vervalst")

    assert response["Location"] == LOGIN
    assert _logged_in_as(client) == str(sso_coach.pk)
    assert _login_rows(Result.DENIED).get().detail["reason"] == "invalid_state"


def test_an_unreachable_provider_is_a_message(client, sso, settings):
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port

    response = client.get(SSO_START)

    assert response["Location"] == LOGIN
    assert "de inlogdienst is niet bereikbaar" in client.get(LOGIN).content.decode()
    assert _login_rows().get().detail["reason"] == "provider_unreachable"


@pytest.mark.parametrize("userinfo", [True, False])
def test_explicit_endpoints_need_no_discovery(client, sso, sso_coach, settings, userinfo):
    settings.OIDC_OP_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{sso.issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{sso.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{sso.issuer}/userinfo" if userinfo else ""
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso.issuer}/jwks"

    _sso_login(client)

    assert _logged_in_as(client) == str(sso_coach.pk)
    assert "/.well-known/openid-configuration" not in sso.paths
    # Without a userinfo endpoint the claim comes from the ID token alone.
    assert ("/userinfo" in sso.paths) is userinfo


def test_discovery_is_fetched_once(client, sso, sso_coach):
    _sso_login(client)
    client.post(reverse("web:logout"))
    _sso_login(client)
    assert sso.paths.count("/.well-known/openid-configuration") == 1
    assert sso.paths.count("/token") == 2


def test_sso_failures_do_not_lock_the_password_login(client, sso, sso_coach, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.get(f"{CALLBACK}?code=x&state=niet-van-deze-sessie")
    sso.id_token_overrides = {"nonce": "fout"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _sso_login(client)

    assert not AccessAttempt.objects.exists()
    response = client.post(LOGIN, {"username": "coach", "password": PASSWORD})
    assert response.status_code == 302
    assert _logged_in_as(client) == str(sso_coach.pk)


# Sessions and logout -----------------------------------------------------------------------


def test_a_deactivated_user_loses_the_sso_session(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    _sso_login(client)
    assert client.get(HOME).status_code == 200
    User.objects.filter(pk=sso_coach.pk).update(is_active=False)
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_logout_ends_the_session_locally_by_default(client, sso, sso_coach):
    sso.id_token_claims = {"amr": ["mfa"]}
    _sso_login(client)
    response = client.post(reverse("web:logout"))
    assert response["Location"] == LOGIN
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_logout_at_the_provider(client, sso, sso_coach, settings):
    settings.OIDC_LOGOUT_AT_IDP = True
    sso.id_token_claims = {"amr": ["mfa"]}
    _sso_login(client)

    response = client.post(reverse("web:logout"))

    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/logout"
    params = parse_qs(location.query)
    assert params == {
        "client_id": [sso.client_id],
        "post_logout_redirect_uri": [f"http://testserver{LOGIN}"],
    }
    assert _logged_in_as(client) is None
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_a_password_session_does_not_go_to_the_provider_on_logout(client, sso, coach, settings):
    settings.OIDC_LOGOUT_AT_IDP = True
    settings.REQUIRE_2FA = False
    client.post(LOGIN, {"username": "coach", "password": PASSWORD})
    assert client.post(reverse("web:logout"))["Location"] == LOGIN


# SSO only ----------------------------------------------------------------------------------


def test_sso_only_hides_and_refuses_the_password_login(client, sso, coach, settings):
    settings.OIDC_ONLY = True
    page = client.get(LOGIN).content.decode()
    assert "Inloggen met Testgemeente-ID" in page
    assert 'name="password"' not in page

    response = client.post(LOGIN, {"username": "coach", "password": PASSWORD})

    assert response.status_code == 200
    assert _logged_in_as(client) is None


def test_sso_only_keeps_the_password_for_the_installation_superuser(client, sso, settings):
    settings.OIDC_ONLY = True
    settings.REQUIRE_2FA = False
    root = User.objects.create_superuser(username="root", email="", password=PASSWORD)
    client.post(LOGIN, {"username": "root", "password": PASSWORD})
    assert _logged_in_as(client) == str(root.pk)


# Configuration -----------------------------------------------------------------------------


def _check(**overrides):
    values = {
        "debug": False,
        "client_secret": "geheim",
        "issuer": "https://login.gemeente.example/realms/medewerkers",
        "endpoints": ["", "", "", "", ""],
        "sign_algorithm": "RS256",
        "user_field": "email",
        "logout_at_idp": False,
    }
    values.update(overrides)
    oidc_check_configuration(**values)


def test_configuration_check_accepts_a_complete_configuration():
    _check()
    _check(
        issuer="",
        endpoints=[
            "https://a.example/auth",
            "https://a.example/token",
            "",
            "https://a.example/jwks",
            "",
        ],
    )
    _check(debug=True, issuer="http://127.0.0.1:8080")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_secret": ""}, "MEEDOEN_OIDC_CLIENT_SECRET"),
        ({"issuer": ""}, "MEEDOEN_OIDC_ISSUER"),
        ({"issuer": "http://login.gemeente.example"}, "must use https"),
        ({"issuer": "login.gemeente.example"}, "not an absolute URL"),
        ({"sign_algorithm": "HS256"}, "MEEDOEN_OIDC_SIGN_ALGORITHM"),
        ({"user_field": "first_name"}, "MEEDOEN_OIDC_USER_FIELD"),
        (
            {
                "issuer": "",
                "endpoints": ["https://a/auth", "https://a/token", "", "https://a/jwks", ""],
                "logout_at_idp": True,
            },
            "MEEDOEN_OIDC_LOGOUT_AT_IDP",
        ),
    ],
)
def test_configuration_check_names_what_is_wrong(overrides, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        _check(**overrides)


def _settings_in_a_new_process(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEEDOEN_OIDC_")}
    env.update({"DJANGO_SETTINGS_MODULE": "meedoen.config.settings", "MEEDOEN_DEBUG": "1"})
    env.update(extra_env)
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.OIDC_ENABLED, "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    )
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_environment_switches_sso_on_and_widens_form_action_for_logout():
    off = _settings_in_a_new_process({})
    assert json.loads(off.stdout) == [False, ["'self'"]]

    on = _settings_in_a_new_process(
        {
            "MEEDOEN_OIDC_CLIENT_ID": "meedoen",
            "MEEDOEN_OIDC_CLIENT_SECRET": "geheim",
            "MEEDOEN_OIDC_ISSUER": "https://login.gemeente.example/realms/medewerkers",
            "MEEDOEN_OIDC_LOGOUT_AT_IDP": "1",
        }
    )
    assert json.loads(on.stdout) == [True, ["'self'", "https://login.gemeente.example"]]

    half = _settings_in_a_new_process({"MEEDOEN_OIDC_CLIENT_ID": "meedoen"})
    assert half.returncode != 0
    assert "MEEDOEN_OIDC_CLIENT_SECRET is required" in half.stderr
    assert "geheim" not in half.stderr
