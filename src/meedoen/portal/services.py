"""Writes of the portal itself: a client's portal account (ADR 0015).

The plan's writes by the client are in plans/services_client.py (the plan's own machinery).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.models import Client
from meedoen.portal.models import PortalAccount

USERNAME_MAX = 150


def portal_account_create(
    *, actor: Any, client: Client, username: str, password: str | None, origin: Origin
) -> PortalAccount:
    """A login for `client` with the client role, in the client's municipality. The user row
    gets no name or e-mail address (the file has them). `password=None` makes a login without
    a usable password: one that only an identity broker (DigiD) could open later.

    Made by a command (demo) or, later, by the DigiD integration — never through user
    management. Audited as `portal.account.create` about the client."""
    username = username.strip()
    errors: dict[str, list[Any]] = {}
    if not username or len(username) > USERNAME_MAX:
        errors["username"] = [_("Kies een gebruikersnaam van 1 tot 150 tekens.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Deze gebruikersnaam is al in gebruik.")]
    if PortalAccount.objects.filter(client_id=client.pk).exists():
        errors["client"] = [_("Deze cliënt heeft al een account voor het portaal.")]
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            municipality_id=client.municipality_id,
            role=Role.CLIENT,
        )
        account = PortalAccount.objects.create(user=user, client=client)
        audit_record(
            actor=actor,
            action="portal.account.create",
            origin=origin,
            obj=account,
            subject_id=client.pk,
            purpose="portal",
            municipality_code=client.municipality.code,
        )
    return account
