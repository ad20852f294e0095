from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Account roles: the staff roles, and the client who uses the portal (/mijn/, ADR 0015).
    Need-to-know per role is enforced in caseload/access.py; a client's reach in
    portal/access.py."""

    COACH = "coach", _("Klantregisseur")
    TEAM_LEAD = "team_lead", _("Teamleider")
    ANALYST = "analyst", _("Beleidsmedewerker / analist")
    PRIVACY_OFFICER = "privacy_officer", _("Functionaris gegevensbescherming")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    # Not staff: a person in guidance with a portal account (meedoen.portal). No staff door lets
    # this role in (CASEWORK_ROLES, IMPORT_ROLES, STAFF_ADMIN_ROLES leave it out; the portal's
    # boundary middleware sends it away from every staff page and API).
    CLIENT = "client", _("Cliënt")


# Roles that work with individual client files (casework).
CASEWORK_ROLES = frozenset({Role.COACH, Role.TEAM_LEAD})

# Roles that may load a file from the benefit administration. The import shows counts and client
# numbers, never client content, so the functional admin (who does no casework) runs it.
IMPORT_ROLES = frozenset({Role.FUNCTIONAL_ADMIN})

# Roles that manage the staff accounts and teams of their own municipality
# (/beheer-gebruikers/). The installation superuser has no municipality and uses Django admin.
STAFF_ADMIN_ROLES = frozenset({Role.FUNCTIONAL_ADMIN})

# The roles a functional admin may give to a staff account: every role but the client's, whose
# accounts are made by the portal (portal/services.py), never in user management.
STAFF_ROLES = frozenset(role for role in Role if role != Role.CLIENT)
STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]
