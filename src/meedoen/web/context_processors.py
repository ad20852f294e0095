from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import IMPORT_ROLES
from meedoen.accounts.selectors_staff import actor_may_manage_staff
from meedoen.caseload.access import actor_may_analyse, actor_may_do_casework
from meedoen.caseload.access_privacy import actor_is_privacy_officer
from meedoen.instruments.selectors import actor_may_read_catalogue
from meedoen.partners.selectors import actor_may_read_partners


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, showing only what the signed-in role may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("web:home"), _("Start"))]
    if actor_may_do_casework(user):
        items.append((reverse("web:my_caseload"), _("Mijn caseload")))
        items.append((reverse("web:client_list"), _("Cliënten")))
        items.append((reverse("web:profile_overview"), _("In kaart")))
    if actor_may_read_partners(user):
        items.append((reverse("web:partner_list"), _("Partners")))
    if actor_may_read_catalogue(user):
        items.append((reverse("web:instrument_list"), _("Instrumenten")))
    if user.role in IMPORT_ROLES:
        items.append((reverse("dataexchange:run_list"), _("Import")))
    if actor_is_privacy_officer(user):
        items.append((reverse("web:audit_log"), _("Auditlog")))
    if actor_may_manage_staff(user):
        items.append((reverse("web:staff_list"), _("Gebruikers")))
    if actor_may_analyse(user):
        items.append((reverse("analytics:overview"), _("Analyse")))
    path = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
            for url, label in items
        ]
    }
