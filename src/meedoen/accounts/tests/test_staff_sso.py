"""User management with single sign-on only (MEEDOEN_OIDC_ONLY): no passwords, so no links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meedoen.accounts.models import User

pytestmark = pytest.mark.django_db


def test_with_sso_only_no_password_link_is_made(client, sso, functional_admin, team, settings):
    settings.OIDC_ONLY = True
    settings.REQUIRE_2FA = False
    # With SSO only, staff sessions come from the single sign-on backend.
    client.force_login(functional_admin, backend="meedoen.accounts.oidc.OIDCBackend")
    response = client.post(
        reverse("web:staff_create"),
        {
            "username": "j.devries",
            "first_name": "Jan",
            "last_name": "de Vries",
            "email": "j.devries@denhaag.nl",
            "role": "coach",
            "team": str(team.pk),
        },
    )
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "/wachtwoord-instellen/" not in page
    assert "Niet nodig: inloggen via de identity provider" in page
    assert "Nieuwe wachtwoordlink maken" not in page
    user = User.objects.get(username="j.devries")
    url = reverse("web:staff_password_link", kwargs={"user_id": user.pk})
    refused = client.post(url)
    assert refused.status_code == 400
    assert "alleen in via de identity provider" in refused.content.decode()
