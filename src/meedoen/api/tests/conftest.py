from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from meedoen.clients.tests.factories import ClientFactory


@pytest.fixture
def api():
    """An API client that speaks like a browser set to Dutch, logged in per test via login()."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="nl")


@pytest.fixture
def login(api):
    def _login(user):
        api.force_login(user)
        return api

    return _login


@pytest.fixture
def other_client_factory(other_municipality):
    return ClientFactory(other_municipality)
