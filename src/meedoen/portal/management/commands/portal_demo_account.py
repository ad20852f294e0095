"""meedoen portal_demo_account: a portal login for one demo client with a plan (docs/portal.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from meedoen.accounts.models import User
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.dataexchange.demo.accounts import DEMO_PASSWORD
from meedoen.portal.models import PortalAccount
from meedoen.portal.services import portal_account_create

DEMO_USERNAME = "demo-client"
DEMO_COACH = "demo-klantregisseur"


def demo_portal_client(*, coach: User) -> Client | None:
    """A client of the demo coach's caseload with goals of their own on their household's plan
    (the most goals first, so the portal has something to show); else None."""
    return (
        Client.objects.filter(
            household__assignments__coach=coach,
            household__assignments__end_date__isnull=True,
            household__plan__isnull=False,
            portal_account__isnull=True,
        )
        .annotate(goals=Count("plan_goals", filter=Q(plan_goals__status="open")))
        .filter(goals__gt=0)
        .order_by("-goals", "client_number")
        .first()
    )


class Command(BaseCommand):
    help = _(
        "Maakt een portaalaccount (%(username)s) voor één democliënt met een plan, in de caseload "
        "van %(coach)s. Opnieuw draaien verandert niets. Weigert zonder ontwikkelmodus (DEBUG), "
        "tenzij --force."
    ) % {"username": DEMO_USERNAME, "coach": DEMO_COACH}

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Ook zonder DEBUG draaien. Nooit in productie: het wachtwoord is openbaar."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Geweigerd: het demo-portaalaccount heeft een openbaar wachtwoord en hoort "
                    "niet in productie. Zet MEEDOEN_DEBUG=1, of gebruik --force als u zeker weet "
                    "dat dit geen productie is."
                )
            )
        existing = PortalAccount.objects.filter(user__username=DEMO_USERNAME).first()
        if existing is None:
            coach = User.objects.filter(username=DEMO_COACH).first()
            if coach is None:
                raise CommandError(_("Draai eerst: meedoen demo_accounts"))
            client = demo_portal_client(coach=coach)
            if client is None:
                self.stdout.write(
                    _(
                        "Geen democliënt met een plan gevonden; er is geen portaalaccount "
                        "gemaakt. Maak eerst een plan met doelen (als %(coach)s)."
                    )
                    % {"coach": DEMO_COACH}
                )
                return
            try:
                existing = portal_account_create(
                    actor=None,
                    client=client,
                    username=DEMO_USERNAME,
                    password=DEMO_PASSWORD,
                    origin=Origin(channel="command"),
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _(
                "Demo-portaal (alleen voor ontwikkeling en demonstratie): log in op "
                "/mijn/inloggen/ als %(username)s met wachtwoord %(password)s. "
                "Tweestapsverificatie is voor cliënten niet verplicht."
            )
            % {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
