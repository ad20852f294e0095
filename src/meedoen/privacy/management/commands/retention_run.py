"""`meedoen retention_run [--dry-run] [--today YYYY-MM-DD]`: erase files past their term."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.privacy.services import retention_run


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Verwijder dossiers waarvan de bewaartermijn is verstreken (eerst met --dry-run)."
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
        if report.dry_run:
            message = _("Proefdraai op %(day)s: %(count)s dossier(s) zouden worden verwijderd.")
        else:
            message = _("%(day)s: %(count)s dossier(s) verwijderd.")
        self.stdout.write(message % {"day": report.today.isoformat(), "count": len(report.items)})
