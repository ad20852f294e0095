"""`meedoen audit_verify [--municipality CODE]`: check that the audit trail is unbroken.

Exit 0 with the number of rows checked when every chain is intact; otherwise exit 1 naming the
first broken link of each broken chain. Prints each chain's newest hash: keeping that value
somewhere else (a ticket, a signed e-mail) lets a later run show the chain was not rewritten.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meedoen.audit.verification import audit_chain_verify, chain_codes, chain_name


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Controleer of het auditspoor onveranderd en compleet is (hashketen)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality",
            metavar="CODE",
            help=_("Alleen de keten van deze gemeente (CBS-code, bijvoorbeeld 0518)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["municipality"]
        codes = chain_codes(municipality_code=code)
        broken = []
        total = 0
        for chain_code in codes:
            report = audit_chain_verify(municipality_code=chain_code)
            total += report.count
            if report.intact:
                self.stdout.write(
                    _("%(chain)s: %(count)s regels in orde, laatste hash %(hash)s")
                    % {
                        "chain": chain_name(chain_code),
                        "count": report.count,
                        "hash": report.head_hash or "-",
                    }
                )
            else:
                broken.append(report.problem)
                self.stderr.write(report.problem)
        if broken:
            raise CommandError(
                ngettext(
                    "Het auditspoor is niet intact: %(count)s keten is verbroken.",
                    "Het auditspoor is niet intact: %(count)s ketens zijn verbroken.",
                    len(broken),
                )
                % {"count": len(broken)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Auditspoor intact: %(count)s regel gecontroleerd.",
                    "Auditspoor intact: %(count)s regels gecontroleerd.",
                    total,
                )
                % {"count": total}
            )
        )
