"""meedoen generate_demo: deterministic demo data for a city like Den Haag, via the import."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from meedoen.dataexchange.demo.caseloads import demo_caseloads_assign
from meedoen.dataexchange.demo.contacts import demo_contacts_create
from meedoen.dataexchange.demo.conversations import demo_conversations_create
from meedoen.dataexchange.demo.deliveries import Delivery
from meedoen.dataexchange.demo.instruments import demo_instruments_create
from meedoen.dataexchange.demo.outcomes import demo_outcomes_create
from meedoen.dataexchange.demo.partners import demo_partners_create
from meedoen.dataexchange.demo.plans import demo_plans_create
from meedoen.dataexchange.demo.services import (
    DemoError,
    demo_deliveries_load,
    demo_deliveries_write,
    demo_municipality_get_or_create,
    demo_municipality_has_clients,
    demo_world_generate,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--today verwacht een datum als JJJJ-MM-DD, niet '%(value)s'.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = _(
        "Maakt demodata voor een stad als Den Haag: drie leveringen uit de uitkeringsadministratie "
        "(twee jaar geleden, een jaar geleden, vandaag) en leest ze in via de gewone import. "
        "Dezelfde --seed en --today geven precies dezelfde bestanden."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients",
            type=int,
            default=2700,
            help=_(
                "Aantal personen in de laatste levering met een lopende uitkering (standaard 2700)."
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("Startwaarde van het toeval."))
        parser.add_argument(
            "--municipality",
            default=None,
            help=_("CBS-gemeentecode (standaard MEEDOEN_DEFAULT_MUNICIPALITY, 0518)."),
        )
        parser.add_argument(
            "--today",
            default=None,
            help=_("Peildatum van de laatste levering, JJJJ-MM-DD (standaard vandaag)."),
        )
        parser.add_argument(
            "--skip-if-present",
            action="store_true",
            help=_("Niets doen als de gemeente al cliënten heeft."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Ook zonder DEBUG in de database schrijven. Nooit in productie: demodata tussen "
                "echte cliënten is niet meer te scheiden."
            ),
        )
        parser.add_argument(
            "--out",
            default=None,
            help=_(
                "Alleen de bestanden schrijven: een map, of een .csv-bestand (laatste levering)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["municipality"] or settings.DEFAULT_MUNICIPALITY_CODE
        today = _date(options["today"]) if options["today"] else dt.date.today()  # noqa: DTZ011
        try:
            self._run(code, today, options)
        except DemoError as error:
            raise CommandError(str(error)) from error

    def _run(self, code: str, today: dt.date, options: dict[str, Any]) -> None:
        municipality = None
        if not options["out"] and not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Geweigerd: demodata hoort niet in een database met echte cliënten. Zet "
                    "MEEDOEN_DEBUG=1 voor een ontwikkelomgeving, gebruik --out om alleen "
                    "bestanden te schrijven, of --force als u zeker weet dat dit geen productie is."
                )
            )
        if not options["out"]:
            municipality = demo_municipality_get_or_create(code=code)
            if options["skip_if_present"] and demo_municipality_has_clients(
                municipality=municipality
            ):
                self.stdout.write(
                    _("%(name)s heeft al cliënten; demodata overgeslagen.")
                    % {"name": municipality.name}
                )
                return

        started = time.perf_counter()
        deliveries, traits = demo_world_generate(
            clients=options["clients"], seed=options["seed"], today=today, municipality_code=code
        )
        self.stdout.write(
            _("Demodata gemaakt in %(seconds).1f s: %(rows)s regels in %(count)s leveringen.")
            % {
                "seconds": time.perf_counter() - started,
                "rows": sum(d.rows for d in deliveries),
                "count": len(deliveries),
            }
        )

        if options["out"]:
            for path in demo_deliveries_write(deliveries=deliveries, out=Path(options["out"])):
                self.stdout.write(_("Geschreven: %(path)s") % {"path": path})
            return

        assert municipality is not None
        verbose = options["verbosity"] >= 1
        last_step: dict[int, int] = {}

        def progress(index: int, delivery: Delivery, done: int, total: int) -> None:
            step = (10 * done // total) if total else 10
            if verbose and last_step.get(index) != step:
                last_step[index] = step
                self.stdout.write(
                    _("  levering %(index)s (%(date)s): %(done)s/%(total)s")
                    % {
                        "index": index,
                        "date": delivery.reference_date,
                        "done": done,
                        "total": total,
                    }
                )

        loading = time.perf_counter()
        runs = demo_deliveries_load(
            municipality=municipality, deliveries=deliveries, progress=progress
        )
        for delivery, run in zip(deliveries, runs, strict=True):
            self.stdout.write(
                _(
                    "Levering %(date)s: %(new)s nieuw, %(changed)s gewijzigd, "
                    "%(unchanged)s ongewijzigd, %(ended)s beëindigd."
                )
                % {
                    "date": delivery.reference_date,
                    "new": run.new_count,
                    "changed": run.changed_count,
                    "unchanged": run.unchanged_count,
                    "ended": run.ended_count,
                }
            )
        assigned = demo_caseloads_assign(municipality=municipality, today=today)
        self.stdout.write(
            _("%(count)s huishoudens toegewezen aan een klantregisseur.") % {"count": assigned}
        )
        talking = time.perf_counter()
        conversations = demo_conversations_create(
            municipality=municipality, traits=traits, seed=options["seed"], today=today
        )
        self.stdout.write(
            _("%(count)s gesprekken met profiel vastgelegd in %(seconds).1f s.")
            % {"count": conversations, "seconds": time.perf_counter() - talking}
        )
        # Contact history, appointments, relapses, coach profiles and policies (part H4).
        contacting = time.perf_counter()
        contact_stats = demo_contacts_create(
            municipality=municipality, seed=options["seed"], today=today
        )
        self.stdout.write(
            _(
                "%(contacts)s contactmomenten, %(appointments)s afspraken en %(relapses)s "
                "terugvallen voor %(households)s huishoudens vastgelegd in %(seconds).1f s."
            )
            % {
                "contacts": contact_stats.contacts,
                "appointments": contact_stats.appointments,
                "relapses": contact_stats.relapses,
                "households": contact_stats.households,
                "seconds": time.perf_counter() - contacting,
            }
        )
        # Partner organisations, involvements and sharing consents (part H3).
        partnering = time.perf_counter()
        partner_counts = demo_partners_create(
            municipality=municipality, seed=options["seed"], today=today
        )
        self.stdout.write(
            _(
                "%(organisations)s partnerorganisaties, betrokken bij %(households)s huishoudens, "
                "vastgelegd in %(seconds).1f s."
            )
            % {
                "organisations": partner_counts.get("organisations", 0),
                "households": partner_counts.get("households", 0),
                "seconds": time.perf_counter() - partnering,
            }
        )
        # The instrument catalogue (issue 6), after the partners it names as providers.
        count = demo_instruments_create(municipality=municipality).get("instruments", 0)
        self.stdout.write(_("%(count)s instrumenten in de catalogus.") % {"count": count})
        # Plans, reviews and enrolments (issue 6), after the catalogue they enrol in.
        planning = time.perf_counter()
        plan_stats = demo_plans_create(municipality=municipality, seed=options["seed"], today=today)
        self.stdout.write(
            _(
                "%(plans)s plannen met %(goals)s doelen, %(reviews)s evaluaties en "
                "%(enrolments)s deelnames aan instrumenten vastgelegd in %(seconds).1f s."
            )
            % {
                "plans": plan_stats.plans,
                "goals": plan_stats.goals,
                "reviews": plan_stats.reviews,
                "enrolments": plan_stats.enrolments,
                "seconds": time.perf_counter() - planning,
            }
        )
        # Outcomes (jobs, education, volunteering) and the planted effects (issue 7).
        outcoming = time.perf_counter()
        outcome_stats = demo_outcomes_create(
            municipality=municipality,
            seed=options["seed"],
            today=today,
            plan_truth=plan_stats.truth,
        )
        self.stdout.write(
            _(
                "%(jobs)s banen, %(education)s opleidingen en %(planted)s geplante effecten "
                "vastgelegd in %(seconds).1f s."
            )
            % {
                "jobs": outcome_stats.jobs,
                "education": outcome_stats.education_started,
                "planted": outcome_stats.planted,
                "seconds": time.perf_counter() - outcoming,
            }
        )
        if connection.vendor == "postgresql":
            # Hundreds of thousands of rows just arrived by COPY: fresh planner statistics now,
            # not whenever autovacuum gets round to it (a planner that still believes the
            # municipality has 12 clients made the monitor's queries 30 times slower).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demodata voor %(name)s ingelezen in %(seconds).1f s.")
                % {"name": municipality.name, "seconds": time.perf_counter() - loading}
            )
        )
