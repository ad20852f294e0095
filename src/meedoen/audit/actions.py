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
    # Caseload management (issue 5, part H2: caseload/handover.py, workload.py, suggestions.py)
    "caseload.handover.create": AuditAction(
        _("Warme overdracht vastgelegd"), _("Overgedragen aan een andere klantregisseur")
    ),
    "caseload.assignment.intensity": AuditAction(
        _("Intensiteit van de begeleiding gewijzigd"), _("Intensiteit van de begeleiding gewijzigd")
    ),
    "caseload.assignment.redistribute": AuditAction(_("Caseload verdeeld over het team")),
    "caseload.policy.update": AuditAction(_("Caseloadafspraken van het team gewijzigd")),
    "caseload.coach_profile.update": AuditAction(_("Klantregisseursprofiel gewijzigd")),
    "caseload.team.read": AuditAction(_("Caseload van het team bekeken")),
    "caseload.queue.read": AuditAction(_("Wachtrij van huishoudens bekeken")),
    "caseload.suggestions.read": AuditAction(
        _("Suggesties voor een klantregisseur bekeken"),
        _("Bekeken wie uw klantregisseur kan worden"),
    ),
    "caseload.assignment.list": AuditAction(
        _("Toewijzingen van een huishouden bekeken"),
        _("Geschiedenis van uw klantregisseurs bekeken"),
    ),
    # Contact log, appointments and relapses (issue 5, part H1: caseload/contacts.py)
    "caseload.contact.create": AuditAction(
        _("Contactmoment vastgelegd"), _("Contactmoment vastgelegd")
    ),
    "caseload.contact.correct": AuditAction(
        _("Contactmoment gecorrigeerd"), _("Contactmoment gecorrigeerd")
    ),
    "caseload.contact.read": AuditAction(_("Contactmoment bekeken"), _("Contactmoment bekeken")),
    "caseload.contact.list": AuditAction(_("Contactlog bekeken"), _("Contactlog bekeken")),
    "caseload.appointment.create": AuditAction(_("Afspraak gepland"), _("Afspraak gepland")),
    "caseload.appointment.update": AuditAction(_("Afspraak gewijzigd"), _("Afspraak gewijzigd")),
    "caseload.appointment.close": AuditAction(_("Afspraak afgesloten"), _("Afspraak afgesloten")),
    "caseload.appointment.read": AuditAction(_("Afspraak bekeken"), _("Afspraak bekeken")),
    "caseload.appointment.list": AuditAction(_("Afspraken bekeken"), _("Afspraken bekeken")),
    "caseload.relapse.create": AuditAction(_("Terugval vastgelegd"), _("Terugval vastgelegd")),
    "caseload.relapse.list": AuditAction(_("Terugvallen bekeken"), _("Terugvallen bekeken")),
    # Signals and "Mijn werk" (issue 5, part H4: caseload/worklist.py): one row per list shown.
    "caseload.worklist.read": AuditAction(
        _("Werklijst (Mijn werk, caseload) bekeken"), _("In een werklijst van de caseload getoond")
    ),
    "caseload.contact.bulk_create": AuditAction(_("Contactmomenten ingelezen (bulk, demo)")),
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
    # Instrument catalogue and enrolments (issue 6: meedoen.instruments)
    "instruments.category.create": AuditAction(_("Categorie van instrumenten toegevoegd")),
    "instruments.category.update": AuditAction(_("Categorie van instrumenten gewijzigd")),
    "instruments.instrument.create": AuditAction(_("Instrument toegevoegd aan de catalogus")),
    "instruments.instrument.update": AuditAction(_("Instrument in de catalogus gewijzigd")),
    "instruments.enrolment.request": AuditAction(
        _("Aangemeld voor een instrument"), _("Aangemeld voor een instrument")
    ),
    "instruments.enrolment.start": AuditAction(
        _("Start van een instrument vastgelegd"), _("Gestart met een instrument")
    ),
    "instruments.enrolment.finish": AuditAction(
        _("Afronding van een instrument vastgelegd"), _("Instrument afgerond")
    ),
    "instruments.enrolment.stop": AuditAction(
        _("Voortijdig stoppen met een instrument vastgelegd"), _("Gestopt met een instrument")
    ),
    "instruments.demo.create": AuditAction(_("Demo-catalogus van instrumenten gemaakt")),
    "instruments.enrolment.list": AuditAction(
        _("Deelnames aan instrumenten van een huishouden bekeken"),
        _("Deelnames aan instrumenten bekeken"),
    ),
    "instruments.enrolment.read": AuditAction(
        _("Deelname aan een instrument bekeken"), _("Deelname aan een instrument bekeken")
    ),
    "instruments.waiting_list.read": AuditAction(_("Wachtlijst van een instrument bekeken")),
    # Outcomes a coach records (issue 7: outcomes/services.py)
    "outcomes.outcome.record": AuditAction(
        _("Uitkomst vastgelegd (werk, opleiding, vrijwilligerswerk)"), _("Uitkomst vastgelegd")
    ),
    "outcomes.outcome.update": AuditAction(_("Uitkomst gewijzigd"), _("Uitkomst gewijzigd")),
    "outcomes.outcome.delete": AuditAction(
        _("Uitkomst verwijderd (vergissing)"), _("Uitkomst verwijderd")
    ),
    "outcomes.outcome.read": AuditAction(_("Uitkomst bekeken"), _("Uitkomst bekeken")),
    "outcomes.outcome.list": AuditAction(
        _("Uitkomsten van een cliënt bekeken"), _("Uw uitkomsten bekeken")
    ),
    # Partner organisations (issue 5, part H3): the registry, involvements, information shared
    "partners.organisation.create": AuditAction(_("Partnerorganisatie toegevoegd")),
    "partners.organisation.update": AuditAction(_("Partnerorganisatie gewijzigd")),
    "partners.person.create": AuditAction(_("Contactpersoon partnerorganisatie toegevoegd")),
    "partners.person.update": AuditAction(_("Contactpersoon partnerorganisatie gewijzigd")),
    "partners.involvement.create": AuditAction(
        _("Betrokken organisatie vastgelegd"), _("Betrokken organisatie vastgelegd")
    ),
    "partners.involvement.update": AuditAction(
        _("Betrokkenheid organisatie gewijzigd"), _("Betrokkenheid organisatie gewijzigd")
    ),
    "partners.involvement.end": AuditAction(
        _("Betrokkenheid organisatie beëindigd"), _("Betrokkenheid organisatie beëindigd")
    ),
    "partners.share.create": AuditAction(
        _("Gegevens gedeeld met partnerorganisatie"), _("Gegevens gedeeld met een organisatie")
    ),
    "partners.share.refused": AuditAction(
        _("Delen met partnerorganisatie geweigerd (geen toestemming)"),
        _("Delen met een organisatie geweigerd: geen toestemming"),
    ),
    "partners.demo.create": AuditAction(_("Demo-partnerorganisaties en betrokkenheden gemaakt")),
    # Household plan (issue 6: plans/services.py)
    "plans.plan.create": AuditAction(_("Plan van aanpak gemaakt"), _("Plan van aanpak gemaakt")),
    "plans.plan.review_interval": AuditAction(
        _("Evaluatietermijn van het plan gewijzigd"), _("Evaluatietermijn van het plan gewijzigd")
    ),
    "plans.goal.create": AuditAction(_("Doel aan het plan toegevoegd"), _("Doel toegevoegd")),
    "plans.goal.update": AuditAction(_("Doel in het plan gewijzigd"), _("Doel gewijzigd")),
    "plans.goal.read": AuditAction(_("Doel in het plan bekeken"), _("Doel bekeken")),
    "plans.step.create": AuditAction(_("Stap aan het plan toegevoegd"), _("Stap toegevoegd")),
    "plans.step.status": AuditAction(
        _("Status van een stap in het plan gewijzigd"), _("Stap afgevinkt of gewijzigd")
    ),
    "plans.review.create": AuditAction(
        _("Evaluatie van het plan vastgelegd"), _("Evaluatie van het plan vastgelegd")
    ),
    "plans.demo.create": AuditAction(_("Demo-plannen, evaluaties en deelnames gemaakt")),
    "outcomes.demo.create": AuditAction(_("Demo-uitkomsten en geplante effecten gemaakt")),
    "plans.step.enrolment": AuditAction(
        _("Deelname aan een instrument bij een stap gekoppeld"),
        _("Deelname aan een instrument bij een stap in uw plan gezet"),
    ),
    "plans.agreement.create": AuditAction(
        _("Vrijwillige afspraken gemaakt (pdf)"), _("Vrijwillige afspraken gemaakt")
    ),
    "plans.agreement.read": AuditAction(
        _("Vrijwillige afspraken gedownload (pdf)"), _("Uw afspraken bekeken")
    ),
    "plans.agreement.sign": AuditAction(
        _("Ondertekening op papier van de afspraken vastgelegd"),
        _("Uw handtekening onder de afspraken vastgelegd"),
    ),
    "plans.agreement.accept": AuditAction(
        _("Afspraken online geaccepteerd door de cliënt"), _("U hebt de afspraken geaccepteerd")
    ),
    # The client portal (issue 6: portal/access.py, plans/services_client.py): the client
    # themselves, on their own part of the plan.
    "portal.plan.read": AuditAction(
        _("Plan bekeken door de cliënt (portaal)"), _("U heeft uw plan bekeken in het portaal")
    ),
    "portal.goal.read": AuditAction(
        _("Doel bekeken door de cliënt (portaal)"), _("U heeft een doel bekeken in het portaal")
    ),
    "portal.goal.create": AuditAction(
        _("Doel toegevoegd door de cliënt (portaal)"), _("U heeft een doel toegevoegd")
    ),
    "portal.step.create": AuditAction(
        _("Stap toegevoegd door de cliënt (portaal)"), _("U heeft een stap toegevoegd")
    ),
    "portal.step.status": AuditAction(
        _("Stap afgevinkt door de cliënt (portaal)"), _("U heeft een stap afgevinkt of teruggezet")
    ),
    "portal.account.create": AuditAction(
        _("Portaalaccount voor een cliënt gemaakt"), _("Account voor het portaal gemaakt")
    ),
    "portal.account.erase": AuditAction(_("Portaalaccounts zonder dossier verwijderd")),
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
    "analytics.monitor.read": AuditAction(_("Programmamonitor bekeken")),
    "analytics.monitor.export": AuditAction(_("Programmamonitor gedownload")),
    "analytics.monitor_target.update": AuditAction(_("Doel naar werk uit de bijstand ingesteld")),
    "analytics.effect_evaluation.request": AuditAction(_("Effectmeting aangevraagd")),
    "analytics.effect_evaluation.run": AuditAction(_("Effectmeting uitgevoerd")),
    "analytics.effect_evaluation.read": AuditAction(_("Effectrapport bekeken")),
}


def audit_action_label(code: str, *, for_subject: bool = False) -> str:
    """The readable name of an action code; a code from before a rename is shown as it is."""
    action = AUDIT_ACTIONS.get(code)
    if action is None:
        return code
    return str(action.subject or action.label) if for_subject else str(action.label)
