"""meedoen demo_accounts: demo teams and one account per staff role, with a known password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.dataexchange.demo.accounts import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_accounts_ensure,
)
from meedoen.dataexchange.demo.caseloads import demo_caseloads_for_accounts
from meedoen.dataexchange.demo.services import DemoError


class Command(BaseCommand):
    help = _(
        "Maakt demoteams en per rol een demo-account met een bekend wachtwoord (opnieuw draaien "
        "verandert niets). Weigert zonder ontwikkelmodus (DEBUG), tenzij --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality",
            default=None,
            help=_("CBS-gemeentecode (standaard MEEDOEN_DEFAULT_MUNICIPALITY, 0518)."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Ook zonder DEBUG draaien. Nooit in productie: de wachtwoorden zijn openbaar."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Geweigerd: demo-accounts hebben een openbaar wachtwoord en horen niet in "
                    "productie. Zet MEEDOEN_DEBUG=1 voor een ontwikkelomgeving, of gebruik "
                    "--force als u zeker weet dat dit geen productie is."
                )
            )
        code = options["municipality"] or settings.DEFAULT_MUNICIPALITY_CODE
        try:
            accounts = demo_accounts_ensure(municipality_code=code)
        except DemoError as error:
            raise CommandError(str(error)) from error
        caseloads = demo_caseloads_for_accounts(
            users=[a.user for a in accounts], today=timezone.localdate()
        )

        headers = (_("gebruikersnaam"), _("rol"), _("gemeente"), _("team"), _("wachtwoord"))
        rows = [
            (
                a.username,
                str(a.role.label),
                a.municipality.name,
                a.team.name if a.team else "-",
                DEMO_PASSWORD,
            )
            for a in accounts
        ]
        widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(_("Demo-accounts (alleen voor ontwikkeling en demonstratie):"))
        self.stdout.write(line.format(*headers))
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write(
            _(
                "Tweestapsverificatie (alleen met MEEDOEN_REQUIRE_2FA=1): voeg in uw "
                "authenticator-app één account toe met de geheime sleutel %(secret)s (TOTP, "
                "6 cijfers, 30 seconden); die geldt voor alle demo-accounts."
            )
            % {"secret": " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, 32, 4))}
        )
        for username, count in caseloads.items():
            self.stdout.write(
                _("%(username)s heeft nu een caseload van %(count)s huishoudens.")
                % {"username": username, "count": count}
            )
        created = sum(a.created for a in accounts)
        self.stdout.write(
            _("%(created)s nieuw aangemaakt, %(existing)s bestonden al.")
            % {"created": created, "existing": len(accounts) - created}
        )
