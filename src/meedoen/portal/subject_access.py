"""The client's portal account, as a section of the data-subject access export.

Registered with privacy.subject_access from PortalConfig.ready(): privacy sits below the portal.
The login name, since when, whether it is active and when the person last logged in. What the
client did in the portal is in the plan's sections (author and "completed by") and in the
access log.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from meedoen.clients.models import Client
from meedoen.portal.models import PortalAccount
from meedoen.privacy.subject_access import ExtraSection


def portal_account_section(*, client: Client) -> ExtraSection:
    accounts = PortalAccount.objects.filter(client_id=client.pk).select_related("user")
    return ExtraSection(
        title=str(_("Account voor het portaal")),
        intro=str(_("Uw inlog voor Mijn plan (het portaal): uw gebruikersnaam en sinds wanneer.")),
        columns={
            "username": str(_("Gebruikersnaam")),
            "created": str(_("Sinds")),
            "active": str(_("Actief")),
            "last_login": str(_("Laatst ingelogd")),
        },
        rows=[
            {
                "username": account.user.username,
                "created": account.created_at.isoformat(),
                "active": str(
                    _("ja") if account.is_active and account.user.is_active else _("nee")
                ),
                "last_login": account.user.last_login.isoformat()
                if account.user.last_login
                else None,
            }
            for account in accounts
        ],
    )
