"""Every audit action code, with its readable name.

`audit_record` refuses a code that is not listed here, so the privacy officer's log and a person's
own access log never show a bare code, and a typo cannot split one action into two. Codes are
`<app>.<object>.<verb>`; the officer filters on their prefix.

`subject` is the wording a client reads in their own access log (the data-subject export), for
the actions that are about them; the officer's wording is `label`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuditAction:
    label: Promise
    subject: Promise | None = None


AUDIT_ACTIONS: dict[str, AuditAction] = {
    # Staff accounts and login
    "accounts.user.verify_otp": AuditAction(_("Ingelogd met code")),
    "accounts.user.login_sso": AuditAction(_("Ingelogd via de identiteitsprovider")),
    "accounts.totp_device.confirm": AuditAction(_("Authenticator-app ingesteld")),
    "accounts.user.demo_create": AuditAction(_("Demo-account aangemaakt")),
    "accounts.user.demo_repair": AuditAction(_("Demo-account hersteld")),
    "accounts.user.list": AuditAction(_("Medewerkerslijst bekeken")),
    "accounts.user.read": AuditAction(_("Medewerker bekeken")),
    "accounts.user.create": AuditAction(_("Medewerker aangemaakt")),
    "accounts.user.update": AuditAction(_("Medewerker gewijzigd")),
    "accounts.user.deactivate": AuditAction(_("Medewerker gedeactiveerd")),
    "accounts.user.reactivate": AuditAction(_("Medewerker weer actief gemaakt")),
    "accounts.user.otp_reset": AuditAction(_("Tweestapsverificatie van medewerker gewist")),
    "accounts.user.password_link": AuditAction(_("Link voor wachtwoord gemaakt")),
    "accounts.user.password_set": AuditAction(_("Wachtwoord ingesteld via link")),
    "accounts.team.list": AuditAction(_("Teams bekeken")),
    "accounts.team.create": AuditAction(_("Team aangemaakt")),
    "accounts.team.update": AuditAction(_("Team gewijzigd")),
    # Audit trail
    "audit.log.read": AuditAction(_("Auditlog bekeken")),
    "audit.access_log.read": AuditAction(
        _("Inzagelog van een cliënt bekeken"), _("Lijst van inzage bekeken")
    ),
    "audit.event.redact": AuditAction(_("Oude auditregels afgeschermd")),
    # Caseload
    "caseload.assignment.create": AuditAction(
        _("Klantregisseur toegewezen"), _("Klantregisseur toegewezen")
    ),
    "caseload.assignment.bulk_create": AuditAction(_("Klantregisseurs toegewezen (bulk)")),
    "caseload.assignment.transfer": AuditAction(_("Caseload overgedragen")),
    "caseload.cover.create": AuditAction(_("Waarneming ingesteld")),
    "caseload.cover.end": AuditAction(_("Waarneming beëindigd")),
    # Clients
    "clients.client.read": AuditAction(_("Dossier geopend"), _("Dossier geopend")),
    "clients.client.list": AuditAction(
        _("Cliëntenlijst bekeken"), _("In een lijst van cliënten getoond")
    ),
    "clients.client.search": AuditAction(_("Gezocht op BSN"), _("Gezocht op BSN")),
    "clients.client.bsn_reveal": AuditAction(_("BSN getoond"), _("BSN getoond")),
    "clients.client.lookup": AuditAction(
        _("Cliënt opgezocht (FG)"), _("Opgezocht door de functionaris gegevensbescherming")
    ),
    "clients.client.update": AuditAction(
        _("Contactgegevens gewijzigd"), _("Contactgegevens gewijzigd")
    ),
    "clients.household.read": AuditAction(_("Huishouden geopend"), _("Huishouden geopend")),
    "clients.household.list": AuditAction(_("Huishoudens bekeken")),
    # Import
    "dataexchange.import.upload": AuditAction(_("Importbestand geüpload")),
    "dataexchange.import.analyse": AuditAction(_("Importbestand gecontroleerd")),
    "dataexchange.import.read": AuditAction(_("Import bekeken")),
    "dataexchange.import.apply_request": AuditAction(_("Import ter verwerking aangeboden")),
    "dataexchange.import.apply": AuditAction(_("Import verwerkt")),
    "dataexchange.import.discard": AuditAction(_("Import verworpen")),
    "dataexchange.import.erase": AuditAction(_("Importbestand gewist (bewaartermijn)")),
    # Privacy
    "privacy.consent.give": AuditAction(_("Toestemming vastgelegd"), _("Toestemming vastgelegd")),
    "privacy.consent.withdraw": AuditAction(
        _("Toestemming ingetrokken"), _("Toestemming ingetrokken")
    ),
    "privacy.subject_access.export": AuditAction(
        _("Inzageverzoek uitgedraaid"), _("Inzageverzoek: gegevens uitgedraaid")
    ),
    "privacy.client.erase": AuditAction(_("Dossier verwijderd (bewaartermijn)")),
    # Profiles
    "profiles.conversation.create": AuditAction(_("Gesprek vastgelegd"), _("Gesprek vastgelegd")),
    "profiles.conversation.update": AuditAction(
        _("Gesprek gecorrigeerd"), _("Gesprek gecorrigeerd")
    ),
    "profiles.conversation.bulk_create": AuditAction(_("Gesprekken ingelezen (bulk)")),
    "profiles.conversation.read": AuditAction(_("Gesprek bekeken"), _("Gesprek bekeken")),
    "profiles.conversation.list": AuditAction(
        _("Gesprekken bekeken"), _("Lijst van gesprekken bekeken")
    ),
    "profiles.profile.read": AuditAction(_("Profiel bekeken"), _("Profiel bekeken")),
    "profiles.profile.history": AuditAction(
        _("Verloop van het profiel bekeken"), _("Verloop van het profiel bekeken")
    ),
    # Counts per wijk for the staff member's own clients (web "In kaart"); no client in the row.
    "profiles.overview.read": AuditAction(_("Overzicht in kaart gebracht per wijk bekeken")),
    # Analytics (pseudonymised; never about one person)
    "analytics.overview.read": AuditAction(_("Analyseoverzicht bekeken")),
    "analytics.profiles.read": AuditAction(_("Analyse van belemmeringen en leefgebieden bekeken")),
    "analytics.dataset.export": AuditAction(_("Gepseudonimiseerde dataset gedownload")),
}


def audit_action_label(code: str, *, for_subject: bool = False) -> str:
    """The readable name of an action code; a code from before a rename is shown as it is."""
    action = AUDIT_ACTIONS.get(code)
    if action is None:
        return code
    return str(action.subject or action.label) if for_subject else str(action.label)
