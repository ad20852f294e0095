from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles. Need-to-know per role is enforced in caseload/access.py."""

    COACH = "coach", _("Klantregisseur")
    TEAM_LEAD = "team_lead", _("Teamleider")
    ANALYST = "analyst", _("Beleidsmedewerker / analist")
    PRIVACY_OFFICER = "privacy_officer", _("Functionaris gegevensbescherming")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")


# Roles that work with individual client files (casework).
CASEWORK_ROLES = frozenset({Role.COACH, Role.TEAM_LEAD})

# Roles that may load a file from the benefit administration. The import shows counts and client
# numbers, never client content, so the functional admin (who does no casework) runs it.
IMPORT_ROLES = frozenset({Role.FUNCTIONAL_ADMIN})

# Roles that manage the staff accounts and teams of their own municipality
# (/beheer-gebruikers/). The installation superuser has no municipality and uses Django admin.
STAFF_ADMIN_ROLES = frozenset({Role.FUNCTIONAL_ADMIN})
