"""meedoen evaluate_instruments [--municipality CODE] [--outcome CODE] [--horizon N]
[--methods matching,ipw,aipw] [--bootstrap N] [--seed S]

Evaluates every instrument of a municipality on one outcome, one after another in this process
(no worker needed), and prints a line per instrument. Each evaluation is stored and audited as
when an analyst requests it, and shows on /analyse/effecten/ and in the catalogue. Used by the
benchmark (benchmarks/bench_effect_reports.py); handy for analysts after a new delivery.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from meedoen.accounts.models import Municipality
from meedoen.analytics.effect_dataset import EFFECT_OUTCOMES
from meedoen.analytics.effect_report import Scale
from meedoen.analytics.models import EffectEvaluation
from meedoen.analytics.services_effects import (
    ALL_METHODS,
    DEFAULT_BOOTSTRAP,
    EvaluationInput,
    effect_evaluation_create,
    effect_evaluation_run,
)
from meedoen.audit.services import Origin
from meedoen.instruments.models import Instrument


class Command(BaseCommand):
    help = "Meet het effect van alle instrumenten van een gemeente op één uitkomst."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality",
            default=None,
            help=_("CBS-gemeentecode (standaard MEEDOEN_DEFAULT_MUNICIPALITY, nu %(code)s).")
            % {"code": settings.DEFAULT_MUNICIPALITY_CODE},
        )
        parser.add_argument(
            "--outcome",
            default="job_started_12m",
            help=_("Uitkomst: %(codes)s.") % {"codes": ", ".join(EFFECT_OUTCOMES)},
        )
        parser.add_argument("--horizon", type=int, default=None, help=_("Termijn in maanden."))
        parser.add_argument(
            "--methods", default=",".join(ALL_METHODS), help=_("Methoden, met komma's.")
        )
        parser.add_argument("--bootstrap", type=int, default=DEFAULT_BOOTSTRAP)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--active-only", action="store_true", help=_("Alleen instrumenten die nog lopen.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["municipality"] or settings.DEFAULT_MUNICIPALITY_CODE
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(_("Gemeente %(code)s bestaat niet.") % {"code": code})
        instruments = Instrument.objects.filter(municipality=municipality).order_by("name")
        if options["active_only"]:
            instruments = instruments.filter(is_active=True)
        methods = tuple(m.strip() for m in options["methods"].split(",") if m.strip())
        origin = Origin(channel="command")
        scale = Scale(binary=True)
        started = time.monotonic()
        counts = {"done": 0, "failed": 0}
        for instrument in instruments:
            data = EvaluationInput(
                instrument_id=instrument.pk,
                outcome=options["outcome"],
                methods=methods,
                horizon_months=options["horizon"],
                bootstrap=options["bootstrap"],
                seed=options["seed"],
            )
            try:
                evaluation = effect_evaluation_create(
                    actor=None,
                    municipality=municipality,
                    data=data,
                    origin=origin,
                    enqueue=False,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            began = time.monotonic()
            result = effect_evaluation_run(evaluation_id=evaluation.pk)
            seconds = time.monotonic() - began
            self._report(instrument.name, result, seconds, scale)
            if result is not None:
                counts["done" if result.status == "done" else "failed"] += 1
        self.stdout.write(
            _("%(done)s gemeten, %(failed)s niet te meten, in %(seconds).1f s.")
            % {**counts, "seconds": time.monotonic() - started}
        )

    def _report(
        self, name: str, evaluation: EffectEvaluation | None, seconds: float, scale: Scale
    ) -> None:
        if evaluation is None:
            self.stdout.write(_("%(name)s: al door een ander proces gestart.") % {"name": name})
        elif evaluation.status == "done":
            self.stdout.write(
                _("%(name)s: %(estimate)s (95%%-interval %(interval)s), %(verdict)s [%(s).1f s]")
                % {
                    "name": name,
                    "estimate": scale.with_unit(evaluation.estimate),
                    "interval": scale.interval(evaluation.ci_low, evaluation.ci_high),
                    "verdict": evaluation.verdict_label,
                    "s": seconds,
                }
            )
        else:
            self.stdout.write(
                _("%(name)s: niet te meten: %(error)s") % {"name": name, "error": evaluation.error}
            )
