"""meedoen import_clients FILE [--dry-run] [--municipality CODE] [--reference-date YYYY-MM-DD]

Reads a delivery from the benefit administration synchronously: the same checks and writes as the
upload page (dataexchange.services.import_file), with a progress bar on stderr. Exit status 0 when
the file was applied (or, with --dry-run, checked and found valid); 1 with the Dutch messages per
row when it was not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.services import import_file, reference_date_problem
from meedoen.dataexchange.validation import format_error

# Only the configured default municipality is created when it is missing (a fresh installation);
# any other code must exist, so that a typo cannot load a city's clients into a new municipality.
KNOWN_NAMES = {"0518": "'s-Gravenhage", "0599": "Rotterdam"}
ERRORS_PRINTED = 100


class ProgressBar:
    """A plain text bar, redrawn in place when the percentage changes."""

    def __init__(self, stream: OutputWrapper, width: int = 40) -> None:
        self.stream = stream
        self.width = width
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.last:
            return
        self.last = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}% {done}/{total}", ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.last >= 0:
            self.stream.write("")


class Command(BaseCommand):
    help = "Leest een levering uit de uitkeringsadministratie in (CSV of XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("CSV- of XLSX-bestand"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Alleen controleren en tonen wat er zou veranderen; niets opslaan."),
        )
        parser.add_argument(
            "--municipality",
            default=None,
            help=_("CBS-gemeentecode (standaard MEEDOEN_DEFAULT_MUNICIPALITY, nu %(code)s).")
            % {"code": settings.DEFAULT_MUNICIPALITY_CODE},
        )
        parser.add_argument(
            "--reference-date",
            default=None,
            help=_("Peildatum JJJJ-MM-DD (standaard vandaag)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Kan %(file)s niet lezen.") % {"file": path}) from exc
        reference_date = None
        if options["reference_date"]:
            try:
                reference_date = dt.date.fromisoformat(options["reference_date"])
            except ValueError as exc:
                raise CommandError(_("De peildatum moet de vorm JJJJ-MM-DD hebben.")) from exc
            problem = reference_date_problem(reference_date)
            if problem:
                raise CommandError(problem)
        municipality = self._municipality(options["municipality"])

        bar = ProgressBar(self.stderr)
        try:
            run = import_file(
                actor=None,
                municipality=municipality,
                file_name=path.name,
                content=content,
                reference_date=reference_date,
                dry_run=options["dry_run"],
                origin=Origin(channel="command"),
                progress=bar,
            )
        finally:
            bar.close()

        if run.status == ImportStatus.INVALID:
            for error in run.errors[:ERRORS_PRINTED]:
                self.stderr.write(format_error(error["row"], error["column"], error["message"]))
            if run.error_count > ERRORS_PRINTED:
                self.stderr.write(
                    _("… en nog %(count)s fouten.") % {"count": run.error_count - ERRORS_PRINTED}
                )
            raise CommandError(
                ngettext(
                    "Bestand afgekeurd: %(count)s fout. Er is niets opgeslagen.",
                    "Bestand afgekeurd: %(count)s fouten. Er is niets opgeslagen.",
                    run.error_count,
                )
                % {"count": run.error_count}
            )
        if run.status == ImportStatus.FAILED:
            raise CommandError(
                _("De import is mislukt (%(cause)s). Er is niets opgeslagen.")
                % {"cause": run.failure}
            )
        self.stdout.write(
            _(
                "%(municipality)s, peildatum %(date)s, %(rows)s regels: %(new)s nieuw, %(changed)s "
                "gewijzigd, %(unchanged)s ongewijzigd, %(ended)s uitkeringen beëindigd."
            )
            % {
                "municipality": municipality.name,
                "date": run.reference_date.isoformat(),
                "rows": run.rows_total,
                "new": run.new_count,
                "changed": run.changed_count,
                "unchanged": run.unchanged_count,
                "ended": run.ended_count,
            }
        )
        if run.status == ImportStatus.READY:
            self.stdout.write(
                _("Proefrun: niets opgeslagen. Toepassen kan op de importpagina (run %(id)s).")
                % {"id": run.pk}
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Toegepast (run %(id)s).") % {"id": run.pk}))

    def _municipality(self, code: str | None) -> Municipality:
        default = settings.DEFAULT_MUNICIPALITY_CODE
        code = code or default
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is not None:
            return municipality
        if code != default:
            raise CommandError(_("Gemeente %(code)s bestaat niet in Meedoen.") % {"code": code})
        municipality = Municipality.objects.create(
            code=code, name=KNOWN_NAMES.get(code, _("Gemeente %(code)s") % {"code": code})
        )
        self.stderr.write(
            _("Gemeente %(code)s (%(name)s) aangemaakt.")
            % {"code": code, "name": municipality.name}
        )
        return municipality
