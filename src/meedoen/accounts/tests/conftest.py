"""Fixtures of the accounts tests: a fake OpenID Connect provider and single sign-on settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meedoen.accounts.oidc import discovery_cache_clear
from meedoen.accounts.tests.fake_idp import FakeIdentityProvider


@pytest.fixture
def idp() -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, idp) -> Iterator[FakeIdentityProvider]:
    """Single sign-on on, against the fake provider (endpoints by discovery), 2FA required and
    the provider's second factor trusted."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = idp.client_id
    settings.OIDC_RP_CLIENT_SECRET = idp.client_secret
    settings.OIDC_OP_ISSUER = idp.issuer
    settings.OIDC_TRUST_MFA = True
    settings.OIDC_DISPLAY_NAME = "Testgemeente-ID"
    settings.REQUIRE_2FA = True
    discovery_cache_clear()
    yield idp
    discovery_cache_clear()
