"""`meedoen effect --csv FILE --treatment COL --outcome COL --covariates A,B,C [...]`: the effect
of a treatment on the treated for any table (docs/effects.md).

Touches no database: the table comes from the file, the answer goes to standard output (a Dutch
summary, or with --json the object of issue 7). Bad input is a Dutch message on standard error
and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.effects.estimate import METHODS, EffectReport, evaluate
from meedoen.effects.table import EffectInputError, load_table

VERDICT_LABELS = {
    "credible": gettext_lazy("geloofwaardig"),
    "doubtful": gettext_lazy("twijfelachtig"),
    "not_credible": gettext_lazy("niet geloofwaardig"),
}
METHOD_LABELS = {
    "matching": gettext_lazy("Matching (naaste buur op de propensityscore)"),
    "ipw": gettext_lazy("Weging (inverse kansgewichten)"),
    "aipw": gettext_lazy("Dubbel robuust (AIPW)"),
}


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "Schat het effect van deelname op de deelnemers (ATT) uit een CSV-bestand, met "
        "diagnose en oordeel."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, metavar="FILE", help=_("Het CSV-bestand."))
        parser.add_argument(
            "--treatment", required=True, metavar="COL", help=_("Kolom met deelname (0/1).")
        )
        parser.add_argument("--outcome", required=True, metavar="COL", help=_("Uitkomstkolom."))
        parser.add_argument(
            "--covariates",
            required=True,
            metavar="A,B,C",
            help=_("Kenmerken van vóór de start, gescheiden door komma's."),
        )
        parser.add_argument(
            "--method", default="all", choices=[*METHODS, "all"], help=_("Methode (standaard all).")
        )
        parser.add_argument(
            "--placebo-outcome",
            metavar="COL",
            help=_("Uitkomst gemeten vóór de start, voor de placebotoets."),
        )
        parser.add_argument("--bootstrap", type=int, default=200, metavar="N")
        parser.add_argument("--seed", type=int, default=0, metavar="S")
        parser.add_argument("--json", action="store_true", help=_("Uitvoer als JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        covariates = [c.strip() for c in options["covariates"].split(",") if c.strip()]
        methods = METHODS if options["method"] == "all" else (options["method"],)
        try:
            table = load_table(
                options["csv"],
                treatment=options["treatment"],
                outcome=options["outcome"],
                covariates=covariates,
                placebo=options["placebo_outcome"],
            )
            report = evaluate(
                table.X,
                table.t,
                table.y,
                covariate_names=table.covariate_names,
                methods=methods,
                placebo=table.placebo,
                bootstrap=options["bootstrap"],
                seed=options["seed"],
            )
        except EffectInputError as error:
            raise CommandError(error.message, returncode=2) from None
        for warning in table.warnings:
            self.stderr.write(warning)
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False))
            return
        self.stdout.write(summary(report, outcome=options["outcome"]))


def summary(report: EffectReport, *, outcome: str) -> str:
    def interval(low: float, high: float) -> str:
        return _("95%%-interval %(low).4g tot %(high).4g") % {"low": low, "high": high}

    lines = [
        _("Effect van deelname op '%(outcome)s' bij de deelnemers (ATT)") % {"outcome": outcome},
        "",
    ]
    for name, result in report.methods.items():
        lines.append(
            _(
                "%(method)s: %(estimate).4g (%(interval)s; %(treated)d deelnemers, %(control)d "
                "vergelijkingspersonen)"
            )
            % {
                "method": METHOD_LABELS[name],
                "estimate": result.estimate,
                "interval": interval(result.ci_low, result.ci_high),
                "treated": result.n_treated,
                "control": result.n_control,
            }
        )
    naive = report.naive_difference
    lines.append(
        _("Ruw verschil zonder correctie: %(estimate).4g (%(interval)s)")
        % {"estimate": naive.estimate, "interval": interval(naive.ci_low, naive.ci_high)}
    )
    if report.placebo is not None:
        lines.append(
            _("Placebotoets: %(estimate).4g (%(interval)s)%(alarm)s")
            % {
                "estimate": report.placebo.estimate,
                "interval": interval(report.placebo.ci_low, report.placebo.ci_high),
                "alarm": _(" — slaat aan") if report.placebo_flag else "",
            }
        )
    lines.append(_("Kleinste aantoonbare effect (80%% kans): %(mde).4g") % {"mde": report.mde})
    lines += ["", _("Oordeel: %(verdict)s") % {"verdict": VERDICT_LABELS[report.verdict]}]
    lines += [f"- {reason.message}" for reason in report.reasons]
    lines += [
        "",
        _(
            "Dit is geen experiment: het effect is alleen juist als de opgegeven kenmerken alle "
            "belangrijke verschillen tussen deelnemers en niet-deelnemers vangen."
        ),
    ]
    return "\n".join(lines)
