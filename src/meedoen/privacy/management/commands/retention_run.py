"""`meedoen retention_run [--dry-run] [--today YYYY-MM-DD]`: carry out the retention rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.privacy.retention import AUDIT_ROWS, IMPORT_FILE
from meedoen.privacy.services import retention_run


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Voer de bewaartermijnen uit: verwijder verlopen dossiers en importgegevens en scherm "
        "oude auditregels af (eerst met --dry-run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Alleen tonen wat verwijderd zou worden.")
        )
        parser.add_argument(
            "--today", metavar="JJJJ-MM-DD", help=_("Rekenen alsof het deze datum is.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    _("--today: '%(value)s' is geen datum als 2026-01-31.")
                    % {"value": options["today"]}
                ) from exc
        report = retention_run(dry_run=options["dry_run"], today=today, channel="command")
        for item in report.items:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(item.counts.items()))
            self.stdout.write(
                f"{item.municipality_code} {item.pseudonym} {item.rule}: {counts}"
                + (f", audit={item.audit_rows_redacted}" if not report.dry_run else "")
            )
        for sweep in report.sweeps:
            for line in sweep.lines:
                self.stdout.write(f"{sweep.rule}: {line}")
        if report.dry_run:
            message = _("Proefdraai op %(day)s: %(count)s dossier(s) zouden worden verwijderd.")
        else:
            message = _("%(day)s: %(count)s dossier(s) verwijderd.")
        self.stdout.write(message % {"day": report.today.isoformat(), "count": len(report.items)})
        totals = {sweep.rule: sweep.total for sweep in report.sweeps}
        if report.dry_run:
            message = _(
                "Zouden worden gewist: %(imports)s import(s). Zouden worden afgeschermd: "
                "%(audit)s auditregel(s)."
            )
        else:
            message = _("Gewist: %(imports)s import(s). Afgeschermd: %(audit)s auditregel(s).")
        self.stdout.write(
            message
            % {
                "imports": totals.get(IMPORT_FILE.code, 0),
                "audit": totals.get(AUDIT_ROWS.code, 0),
            }
        )
