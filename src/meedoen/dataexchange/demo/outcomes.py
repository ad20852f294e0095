"""Demo outcome events: jobs, education and volunteer work, with a planted effect per instrument
on finding a job — and the ground truth written down as `outcomes.PlantedEffect`.

Everything follows from each client's *first* profile (the situation before the plan, as in the
plans demo) and the enrolments the plans demo made:

- **Jobs.** Month by month over the last three years, a client finds paid work with a chance
  (JOB_BASE on the log-odds) that rises with the ladder rung, the ZRM scores, work readiness and
  Dutch, and falls with age and severe obstacles — the same characteristics the coaches select
  on for instruments, so the naive difference between participants and others is biased
  upwards. A member of a plan can find a job before the plan (the placebo of the evaluation) and
  after it; after the start of an instrument its planted effect (JOB_EFFECTS, per kind, on the
  log-odds, from the start month on) is added. `Sport en bewegen` has none: a placebo instrument.
  A benefit that ended with reason "werk" or "zelfstandige" gets its job too (a few days before
  the end), so registry and outcomes agree there.
- **Exits and re-entries** (own stream `random.Random("outcome-exits:<seed>")`, drawn after the
  jobs, so the jobs and the ground truth are the same as without them). A job found on benefit
  (after the first conversation; for plan members after the plan's start) ends the open benefit
  a month or two later (reason "werk", only up to today): with one adult on benefit by hours
  (EXIT_SINGLE, mostly from 16 hours), in a couple only when the job carries the household
  (EXIT_COUPLE, from 24 hours) — the partner's period ends with "inkomen_partner". REENTRY of
  them come back some months later: the job ends (`ended_on`) and a new period of the same kind
  starts. A young single starting a funded education (mbo, entree) leaves now and then with
  reason "opleiding". One exit per household. Demo only: a later real delivery would reopen
  these periods; a run without demo events first takes back the exits of an earlier run.
- **Education and volunteering**: started at an education or volunteering enrolment's start
  (70% resp. 80%), finished for most finished education enrolments, and now and then without one
  (more often for the young and those low on the ladder).
- **Ground truth**: per instrument, the true effect on the treated (same monthly draws, that
  instrument's effect taken away) for `job_started` and `job_started_12m`, with exactly the
  population, index date and treatment the evaluation uses (analytics/effect_dataset.py; the
  codes are its EFFECT_OUTCOMES codes), and for `goal_achieved` the plans demo's own
  `PlanStats.truth`, passed through.

Bulk writes (COPY on PostgreSQL, executemany on SQLite) in one transaction with one audit row.
Deterministic with the seed and today (ids aside). Run once, after the plans; a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.dataexchange.bulk import BulkWriter
from meedoen.dataexchange.demo.plans import _Member, _members
from meedoen.dataexchange.models import ImportRun
from meedoen.instruments.constants import EnrolmentStatus as E
from meedoen.instruments.constants import InstrumentKind as K
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.outcomes.constants import ContractType, OutcomeKind, OutcomeSource
from meedoen.outcomes.models import OutcomeEvent, PlantedEffect
from meedoen.plans.models import Goal
from meedoen.plans.services import months_after
from meedoen.profiles.constants import Sector
from meedoen.profiles.models import Conversation

HISTORY_MONTHS = 36
# Finding a job in one month (log-odds), before the characteristics and any instrument:
# about 1% a month for an average member, 5-6% for the work-ready high on the ladder.
JOB_BASE = -4.7
# Without a profile (never had a conversation): by age only.
JOB_BASE_NO_PROFILE = -5.3
# The planted effect of having started in an instrument on the monthly log-odds of finding a
# job, from the month of the start on. Large on purpose: at 2,700 demo clients an instrument has
# at most a few dozen participants, and the effect must stand out of the noise there.
JOB_EFFECTS: dict[str, float] = {
    K.JOB_COACH: 3.2,
    K.WORK_EXPERIENCE: 3.0,
    K.MENTAL_HEALTH: 3.0,  # "werk als medicijn": individual placement and support works
    K.JOB_APPLICATION_TRAINING: 2.5,
    K.EDUCATION: 2.0,
    K.OTHER: 2.0,
    K.LANGUAGE_COURSE: 1.0,
    K.PARTICIPATION_PLACEMENT: 1.0,
    K.VOLUNTEERING: 0.5,
    K.DEBT_COUNSELLING: 0.5,
    K.BUDGET_COURSE: 0.0,
    K.SPORT: 0.0,  # a placebo: an estimator that finds an effect here is biased
}
EDUCATION_KINDS = frozenset({K.EDUCATION, K.LANGUAGE_COURSE})
VOLUNTEER_KINDS = frozenset({K.VOLUNTEERING, K.PARTICIPATION_PLACEMENT})
WORK_EXITS = frozenset({BenefitEndReason.WORK, BenefitEndReason.SELF_EMPLOYED})
# Ending the benefit after a job (chance per job found on benefit). One adult on benefit in the
# household: by hours (under 24 hours a supplementary benefit often remains); a couple needs a
# bigger income, so from 24 hours on only.
EXIT_SINGLE = ((24, 0.9), (16, 0.8), (12, 0.05))  # (minimum hours, chance), first match
EXIT_COUPLE = ((32, 0.9), (24, 0.6))
EXIT_DELAY_DAYS = (25, 70)  # job start → last day of benefit: a month or two
REENTRY = 0.2  # of the exits, back on benefit later (the job ended)
REENTRY_AFTER_DAYS = (90, 540)  # exit → new benefit period
# Funded education (studiefinanciering): a young single may leave the bijstand for it.
EDUCATION_EXIT = 0.3
EDUCATION_EXIT_MAX_AGE = 30
FUNDED_EDUCATION = ("mbo ", "entreeopleiding")
DEMO_EXIT_REASONS = (
    BenefitEndReason.WORK, BenefitEndReason.EDUCATION, BenefitEndReason.PARTNER_INCOME,
)  # fmt: skip
# (contract type, weight)
CONTRACTS = (
    (ContractType.FIXED_TERM, 40),
    (ContractType.AGENCY, 20),
    (ContractType.ON_CALL, 12),
    (ContractType.PERMANENT, 10),
    (ContractType.SHELTERED, 6),
    (ContractType.SELF_EMPLOYED, 4),
    (ContractType.OTHER, 3),
)
SECTORS = (
    (Sector.CARE, 16), (Sector.LOGISTICS, 14), (Sector.CLEANING, 13), (Sector.HOSPITALITY, 12),
    (Sector.RETAIL, 11), (Sector.CONSTRUCTION, 8), (Sector.MANUFACTURING, 7),
    (Sector.OFFICE, 6), (Sector.AGRICULTURE, 4), (Sector.SECURITY, 4),
    (Sector.EDUCATION_CHILDCARE, 3), (Sector.ICT, 2),
)  # fmt: skip
EMPLOYERS = (
    "Haagse Zorggroep (demo)", "Logistiek Centrum Haaglanden (demo)", "Schoonmaak Hofstad (demo)",
    "Strandpaviljoen De Pier (demo)", "Supermarkt Laak (demo)", "Bouwbedrijf Ypenburg (demo)",
    "Uitzendbureau Werkt! (demo)", "Gemeente Den Haag (demo)",
)  # fmt: skip
EDUCATIONS = (
    "mbo 2 logistiek", "mbo 2 helpende zorg en welzijn", "entreeopleiding", "mbo 3 administratie",
    "vakcursus heftruckchauffeur", "mbo 2 horeca", "inburgering en NT2",
)  # fmt: skip
VOLUNTEERING = (
    "Buurthuis De Mussen (demo)", "Voedselbank Haaglanden (demo)", "Kringloop Hofstad (demo)",
    "Sportclub Moerwijk (demo)", "Taalhuis (vrijwilliger) (demo)",
)  # fmt: skip

OUTCOME_FIELDS = (
    "id", "created_at", "updated_at", "version", "municipality_id", "client_id", "kind",
    "occurred_on", "hours_per_week", "contract_type", "sector", "employer_name", "description",
    "ended_on", "note", "source", "enrolment_id", "created_by_id", "created_by_name",
)  # fmt: skip
JOB_CODES = ("job_started", "job_started_12m")
JOB_DEFINITION = (
    "Echt effect op de deelnemers (ATT): het aandeel dat betaald werk vond {window}, minus het "
    "aandeel bij dezelfde toevalstrekkingen zonder het effect van dit instrument. Deelnemers: "
    "leden van een plan die {started} in het instrument begonnen; startdatum = start van het plan."
)
GOAL_DEFINITION = (
    "Echt effect op de deelnemers (ATT) uit de demoplannen: het aandeel met minstens één behaald "
    "doel tot de peildatum, minus het aandeel bij dezelfde toevalstrekkingen zonder het effect "
    "van dit instrument."
)


@dataclass
class OutcomeStats:
    jobs: int = 0
    substantial_jobs: int = 0
    education_started: int = 0
    education_finished: int = 0
    volunteering: int = 0
    planted: int = 0
    exits_work: int = 0
    exits_education: int = 0
    exits_partner: int = 0
    reentries: int = 0
    # Per instrument name and outcome code: {"treated": n, "effect": ATT}.
    truth: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "substantial_jobs": self.substantial_jobs,
            "education_started": self.education_started,
            "education_finished": self.education_finished,
            "volunteering": self.volunteering,
            "planted": self.planted,
            "exits_work": self.exits_work,
            "exits_education": self.exits_education,
            "exits_partner": self.exits_partner,
            "reentries": self.reentries,
        }


@dataclass
class _Start:
    enrolment_id: Any
    instrument_id: Any
    kind: str
    started_on: dt.date
    status: str
    ended_on: dt.date | None


@dataclass
class _Exit:
    """A recorded outcome that may end the benefit: its row in `rows`, client, day, hours."""

    row: int
    client_id: Any
    day: dt.date
    hours: float | None
    ended: dt.date | None
    reason: str
    age: int = 0
    text: str = ""


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def job_logit(m: _Member, age: int) -> float:
    """Log-odds of finding a job in one month, without any instrument."""
    readiness = {"werkfit": 0.7, "met_ondersteuning": 0.2, "nog_niet": -0.7}.get(m.readiness, 0.0)
    dutch = 0.3 if m.dutch in {"B1", "B2", "C1", "C2"} else 0.0
    return (
        JOB_BASE
        + 0.9 * (m.ladder - 3)
        + 0.8 * (m.zrm_mean - 3)
        + readiness
        + dutch
        - 0.06 * (age - 40)
        - 0.35 * m.severe
    )


def _months(start: dt.date, today: dt.date) -> list[dt.date]:
    """Month starts from `start` up to today."""
    out, k = [], 0
    while (day := months_after(start, k)) <= today:
        out.append(day)
        k += 1
    return out


def _first_job(
    months: list[dt.date],
    draws: list[tuple[float, float]],
    logit: float,
    boosts: list[tuple[dt.date, float]],
    today: dt.date,
) -> dt.date | None:
    """The day of the first job over `months` (month starts) with fixed draws per month; the
    boosts (start, effect) count from the month in which the instrument started."""
    for index, start in enumerate(months):
        end = months[index + 1] if index + 1 < len(months) else months_after(start, 1)
        u_job, u_day = draws[index]
        effect = sum(e for s, e in boosts if s < end)
        if u_job < _sigmoid(logit + effect):
            day = start + dt.timedelta(days=int(u_day * (end - start).days))
            return day if day <= today else None
    return None


@transaction.atomic
def demo_outcomes_create(
    *,
    municipality: Municipality,
    seed: int,
    today: dt.date,
    plan_truth: dict[str, dict[str, float]] | None = None,
) -> OutcomeStats:
    """Outcome events and planted effects for the municipality (run once, after the plans;
    nothing when it has demo outcomes). `plan_truth`: `PlanStats.truth` of the plans demo."""
    stats = OutcomeStats()
    if OutcomeEvent.objects.filter(municipality=municipality, source=OutcomeSource.DEMO).exists():
        return stats
    rng = random.Random(f"outcomes:{seed}")  # noqa: S311 - demo data, reproducible
    # Exits an earlier run made (its events deleted since) would read as the registry's and
    # change the draws below: take them back first.
    demo_benefit_exits_undo(municipality)
    db = BulkWriter(connection)
    now = db.now_db
    municipality_id = municipality.pk.hex

    profiles = {m.client_id: m for members in _members(municipality).values() for m in members}
    index: dict[Any, dt.date] = {}
    for member_id, created in (
        Goal.objects.filter(plan__municipality=municipality)
        .order_by("plan__created_at", "plan_id")
        .values_list("member_id", "plan__created_at")
    ):
        index.setdefault(member_id, timezone.localtime(created).date())
    starts: dict[Any, list[_Start]] = defaultdict(list)
    for enrolment_id, client_id, instrument_id, kind, started, status, ended in (
        Enrolment.objects.filter(
            instrument__municipality=municipality, started_on__isnull=False
        )
        .order_by("started_on", "id")
        .values_list(
            "id", "client_id", "instrument_id", "instrument__kind", "started_on", "status",
            "ended_on",
        )
    ):  # fmt: skip
        if started is not None:
            starts[client_id].append(
                _Start(enrolment_id, instrument_id, kind, started, status, ended)
            )
    work_exits: dict[Any, list[dt.date]] = defaultdict(list)
    for client_id, end in (
        BenefitPeriod.objects.filter(
            client__municipality=municipality, end_date__isnull=False, end_reason__in=WORK_EXITS
        )
        .order_by("client_id", "end_date")
        .values_list("client_id", "end_date")
    ):
        if end is not None:
            work_exits[client_id].append(end)
    names = dict(Instrument.objects.filter(municipality=municipality).values_list("id", "name"))

    window = months_after(today, -HISTORY_MONTHS)
    rows: list[tuple[Any, ...]] = []
    # instrument id → code → [treated, effect sum]
    truth: dict[Any, dict[str, list[float]]] = defaultdict(
        lambda: {code: [0, 0.0] for code in JOB_CODES}
    )

    # Jobs and education that may end the benefit (decided after all jobs, on their own stream).
    candidates: list[_Exit] = []

    def job(client_id: Any, day: dt.date, ended: dt.date | None, *, enrolment: Any = None,
            substantial: float = 0.55, may_exit: bool = False) -> None:  # fmt: skip
        hours = rng.choice((32, 36, 24, 20, 16, 16, 38)) if rng.random() < substantial else (
            rng.choice((8, 12, 12, 14, 6, 10))
        )  # fmt: skip
        contract = rng.choices([c for c, _w in CONTRACTS], weights=[w for _c, w in CONTRACTS])[0]
        sector = rng.choices([s for s, _w in SECTORS], weights=[w for _s, w in SECTORS])[0]
        employer = rng.choice(EMPLOYERS) if rng.random() < 0.5 else ""
        rows.append(
            (
                db.new_id(), now, now, 1, municipality_id, client_id.hex, OutcomeKind.JOB_STARTED,
                day.isoformat(), float(hours), contract, sector, employer, "",
                ended.isoformat() if ended else None, "", OutcomeSource.DEMO,
                enrolment.hex if enrolment else None, None, "",
            )
        )  # fmt: skip
        stats.jobs += 1
        stats.substantial_jobs += hours >= 16
        if may_exit:
            candidates.append(
                _Exit(len(rows) - 1, client_id, day, float(hours), ended, BenefitEndReason.WORK)
            )

    def other(client_id: Any, kind: str, day: dt.date, text: str, *, ended: Any = None,
              enrolment: Any = None) -> None:  # fmt: skip
        rows.append(
            (
                db.new_id(), now, now, 1, municipality_id, client_id.hex, kind, day.isoformat(),
                None, "", "", "", text, ended.isoformat() if ended else None, "",
                OutcomeSource.DEMO, enrolment.hex if enrolment else None, None, "",
            )
        )  # fmt: skip
        member = profiles.get(client_id)
        if kind == OutcomeKind.EDUCATION_STARTED and member and day >= member.first_day:
            candidates.append(
                _Exit(len(rows) - 1, client_id, day, None, ended, BenefitEndReason.EDUCATION,
                      age=member.age(day), text=text)
            )  # fmt: skip

    clients = Client.objects.filter(municipality=municipality).order_by("client_number")
    for client_id, born in clients.values_list("id", "date_of_birth"):
        m = profiles.get(client_id)
        first_month = window
        age = (today - born).days // 365
        fixed_jobs = sorted(
            d - dt.timedelta(days=rng.randint(3, 20)) for d in work_exits[client_id]
        )
        for day in fixed_jobs:
            job(client_id, day, None, substantial=0.85)
        if m is None:
            months = _months(first_month, today)
            draws = [(rng.random(), rng.random()) for _ in months]
            logit = JOB_BASE_NO_PROFILE - 0.04 * (age - 40)
            found = _first_job(months, draws, logit, [], today)
            if found and not fixed_jobs:
                job(client_id, found, _ended(found, today, rng), may_exit=True)
            continue
        start = index.get(client_id)
        age = m.age(start or m.first_day)
        logit = job_logit(m, age)
        if start is None:
            months = _months(first_month, today)
            draws = [(rng.random(), rng.random()) for _ in months]
            found = _first_job(months, draws, logit, [], today)
            if found and not fixed_jobs:
                job(client_id, found, _ended(found, today, rng), may_exit=found >= m.first_day)
        else:
            # Before the plan: a job that ended again (else they would not be in a plan).
            before = [d for d in _months(first_month, today) if d < start]
            draws = [(rng.random(), rng.random()) for _ in before]
            found = _first_job(before, draws, logit, [], start - dt.timedelta(days=1))
            if found and (start - found).days > 20:
                ended = found + dt.timedelta(days=rng.randint(14, (start - found).days - 1))
                job(client_id, found, ended)
            # After the plan's start: with the instruments' effects.
            after = _months(start, today)
            draws = [(rng.random(), rng.random()) for _ in after]
            mine = [s for s in starts.get(client_id, []) if s.started_on >= start]
            boosts = [(s.started_on, JOB_EFFECTS.get(s.kind, 0.0)) for s in mine]
            found = _first_job(after, draws, logit, boosts, today)
            if found:
                helped = [s for s in mine if s.started_on <= found and JOB_EFFECTS.get(s.kind)]
                job(
                    client_id, found, _ended(found, today, rng, share_ongoing=0.7),
                    enrolment=helped[-1].enrolment_id if helped else None, may_exit=True,
                )  # fmt: skip
            fixed_after = [d for d in fixed_jobs if d >= start]
            for s in mine:
                counterfactual = found
                if JOB_EFFECTS.get(s.kind, 0.0):
                    without = [
                        (o.started_on, JOB_EFFECTS.get(o.kind, 0.0)) for o in mine if o is not s
                    ]
                    counterfactual = _first_job(after, draws, logit, without, today)
                for code, end in (
                    ("job_started", today + dt.timedelta(days=1)),
                    ("job_started_12m", months_after(start, 12)),
                ):
                    if end > today + dt.timedelta(days=1) or s.started_on >= end:
                        continue  # not followed long enough, or not treated in the window
                    fixed = any(d < end for d in fixed_after)
                    treated = fixed or (found is not None and found < end)
                    untreated = fixed or (counterfactual is not None and counterfactual < end)
                    tally = truth[s.instrument_id][code]
                    tally[0] += 1
                    tally[1] += float(treated) - float(untreated)
            _education_and_volunteering(m, mine, today, rng, other, stats, age)

    _benefit_exits(
        municipality=municipality, seed=seed, today=today, db=db, rows=rows,
        candidates=candidates, stats=stats,
    )  # fmt: skip
    db.insert(OutcomeEvent, OUTCOME_FIELDS, rows)

    # The ground truth.
    planted: list[PlantedEffect] = []
    for instrument_id, codes in sorted(truth.items(), key=lambda item: names.get(item[0], "")):
        for code, (count, total) in codes.items():
            if not count:
                continue
            window_text = (
                "tussen de start van het plan en de peildatum"
                if code == "job_started"
                else "binnen 12 maanden na de start van het plan"
            )
            started_text = "vóór de peildatum" if code == "job_started" else "binnen die 12 maanden"
            planted.append(
                PlantedEffect(
                    municipality=municipality,
                    instrument_id=instrument_id,
                    outcome=code,
                    effect=total / count,
                    n_treated=int(count),
                    definition=JOB_DEFINITION.format(window=window_text, started=started_text),
                )
            )
            stats.truth.setdefault(names[instrument_id], {})[code] = {
                "treated": count,
                "effect": total / count,
            }
    by_name = {name: pk for pk, name in names.items()}
    for name, plan_cell in sorted((plan_truth or {}).items()):
        if name in by_name and plan_cell.get("treated"):
            effect = plan_cell.get("effect", plan_cell["effect_sum"] / plan_cell["treated"])
            planted.append(
                PlantedEffect(
                    municipality=municipality,
                    instrument_id=by_name[name],
                    outcome="goal_achieved",
                    effect=effect,
                    n_treated=int(plan_cell["treated"]),
                    definition=GOAL_DEFINITION,
                )
            )
            stats.truth.setdefault(name, {})["goal_achieved"] = {
                "treated": plan_cell["treated"],
                "effect": effect,
            }
    existing = set(
        PlantedEffect.objects.filter(municipality=municipality).values_list(
            "instrument_id", "outcome"
        )
    )
    planted = [p for p in planted if (p.instrument_id, p.outcome) not in existing]
    PlantedEffect.objects.bulk_create(planted)
    stats.planted = len(planted)
    audit_record(
        actor=None,
        action="outcomes.demo.create",
        origin=Origin(channel="command"),
        purpose="demo",
        detail={**stats.as_dict(), "demo": True},
        municipality_code=municipality.code,
    )
    return stats


def _ended(
    day: dt.date, today: dt.date, rng: random.Random, share_ongoing: float = 0.5
) -> dt.date | None:
    if rng.random() < share_ongoing:
        return None
    ended = day + dt.timedelta(days=rng.randint(30, 400))
    return ended if ended <= today else None


def _education_and_volunteering(
    m: _Member,
    mine: list[_Start],
    today: dt.date,
    rng: random.Random,
    other: Any,
    stats: OutcomeStats,
    age: int,
) -> None:
    for s in mine:
        if s.kind in EDUCATION_KINDS and rng.random() < 0.7:
            finished = s.ended_on if s.status == E.FINISHED and rng.random() < 0.8 else None
            other(m.client_id, OutcomeKind.EDUCATION_STARTED, s.started_on,
                  rng.choice(EDUCATIONS), ended=finished, enrolment=s.enrolment_id)  # fmt: skip
            stats.education_started += 1
            if finished:
                other(m.client_id, OutcomeKind.EDUCATION_FINISHED, finished,
                      "diploma of certificaat behaald", enrolment=s.enrolment_id)  # fmt: skip
                stats.education_finished += 1
        elif s.kind in VOLUNTEER_KINDS and rng.random() < 0.8:
            other(m.client_id, OutcomeKind.VOLUNTEERING_STARTED, s.started_on,
                  rng.choice(VOLUNTEERING), ended=s.ended_on, enrolment=s.enrolment_id)  # fmt: skip
            stats.volunteering += 1
    # Without an instrument: now and then, more for the young and those low on the ladder.
    if rng.random() < 0.04 + (0.05 if age < 27 else 0.0):
        day = today - dt.timedelta(days=rng.randint(20, 700))
        other(m.client_id, OutcomeKind.EDUCATION_STARTED, day, rng.choice(EDUCATIONS))
        stats.education_started += 1
    if rng.random() < (0.07 if m.ladder <= 2 else 0.03):
        day = today - dt.timedelta(days=rng.randint(20, 700))
        other(m.client_id, OutcomeKind.VOLUNTEERING_STARTED, day, rng.choice(VOLUNTEERING))
        stats.volunteering += 1


BENEFIT_FIELDS = (
    "id", "created_at", "updated_at", "client_id", "benefit_type", "start_date", "end_date",
    "end_reason",
)  # fmt: skip
ENDED_ON = OUTCOME_FIELDS.index("ended_on")


def demo_benefit_exits_undo(municipality: Municipality) -> None:
    """Reopen the periods this demo ended and drop the ones it opened: every change to a benefit
    period after the last import was the demo's (nothing else writes them)."""
    last_import = ImportRun.objects.filter(
        municipality=municipality, applied_at__isnull=False
    ).aggregate(last=Max("applied_at"))["last"]
    if last_import is None:
        return
    periods = BenefitPeriod.objects.filter(client__municipality=municipality)
    periods.filter(created_at__gt=last_import).delete()
    periods.filter(updated_at__gt=last_import, end_reason__in=DEMO_EXIT_REASONS).update(
        end_date=None, end_reason=""
    )


def _exit_chance(candidate: _Exit, adults: int) -> float:
    if candidate.reason == BenefitEndReason.EDUCATION:
        funded = candidate.text.startswith(FUNDED_EDUCATION)
        young = candidate.age < EDUCATION_EXIT_MAX_AGE
        return EDUCATION_EXIT if funded and young and adults == 1 else 0.0
    table = EXIT_SINGLE if adults == 1 else EXIT_COUPLE
    hours = candidate.hours or 0.0
    return next((chance for minimum, chance in table if hours >= minimum), 0.0)


def _benefit_exits(
    *,
    municipality: Municipality,
    seed: int,
    today: dt.date,
    db: BulkWriter,
    rows: list[tuple[Any, ...]],
    candidates: list[_Exit],
    stats: OutcomeStats,
) -> None:
    """End the open benefit of some clients after a job or a funded education, and bring a few
    back later (see the module's docstring). Patches the job's `ended_on` in `rows` for those who
    come back; writes the benefit periods (two statements: close, then open)."""
    rng = random.Random(f"outcome-exits:{seed}")  # noqa: S311 - demo data, reproducible
    # The open periods, and per household the adults on benefit (who share it).
    open_of: dict[Any, tuple[Any, dt.date, str, Any]] = {}
    adults: dict[Any, list[Any]] = defaultdict(list)
    for period_id, client_id, start, kind, household_id in (
        BenefitPeriod.objects.filter(client__municipality=municipality, end_date__isnull=True)
        .order_by("client__client_number")
        .values_list("id", "client_id", "start_date", "benefit_type", "client__household_id")
    ):
        open_of[client_id] = (period_id, start, kind, household_id)
        if household_id is not None:
            adults[household_id].append(client_id)

    # Conversations go to people on benefit: an exit comes after every sharer's first one.
    first_conversation = dict(
        Conversation.objects.filter(municipality=municipality)
        .values("client_id")
        .annotate(first=Min("date"))
        .values_list("client_id", "first")
    )
    closed: list[tuple[Any, ...]] = []
    opened: list[tuple[Any, ...]] = []
    done: set[Any] = set()  # households (or clients without one) whose benefit ended
    # Candidates come in client-number order, each client's oldest first: deterministic.
    for candidate in sorted(candidates, key=lambda c: c.row):
        period = open_of.get(candidate.client_id)
        if period is None:
            continue
        period_id, start, kind, household_id = period
        household = household_id or candidate.client_id
        sharing = adults.get(household_id, [candidate.client_id]) if household_id else [
            candidate.client_id
        ]  # fmt: skip
        u_exit, u_delay, u_back, u_after, u_gap = (rng.random() for _ in range(5))
        if household in done or start > candidate.day:
            continue  # ended already, or the job came before this benefit
        if u_exit >= _exit_chance(candidate, len(sharing)):
            continue
        low, high = EXIT_DELAY_DAYS
        end = candidate.day + dt.timedelta(days=low + int(u_delay * (high - low + 1)))
        if end > today or (candidate.ended is not None and candidate.ended <= end):
            continue  # not yet, or the job was over before the benefit would have stopped
        if any(first_conversation.get(c, dt.date.min) >= end for c in sharing):
            continue
        done.add(household)
        back: dt.date | None = None
        if candidate.reason == BenefitEndReason.WORK and u_back < REENTRY:
            low, high = REENTRY_AFTER_DAYS
            back = end + dt.timedelta(days=low + int(u_after * (high - low + 1)))
            if back > today:
                back = None
            else:
                # The job ended one to four weeks before the new application.
                job_end = max(end, back - dt.timedelta(days=7 + int(u_gap * 22)))
                row = rows[candidate.row]
                rows[candidate.row] = (
                    *row[:ENDED_ON], job_end.isoformat(), *row[ENDED_ON + 1 :]
                )  # fmt: skip
        for client_id in sharing:
            period_id, _start, kind, _household = open_of[client_id]
            reason = candidate.reason if client_id == candidate.client_id else (
                BenefitEndReason.PARTNER_INCOME
            )  # fmt: skip
            closed.append((period_id.hex, end.isoformat(), reason, db.now_db))
            if back is not None:
                opened.append(
                    (db.new_id(), db.now_db, db.now_db, client_id.hex, kind, back.isoformat(),
                     None, "")
                )  # fmt: skip
                stats.reentries += 1
            if client_id != candidate.client_id:
                stats.exits_partner += 1
            elif candidate.reason == BenefitEndReason.WORK:
                stats.exits_work += 1
            else:
                stats.exits_education += 1
    db.update(BenefitPeriod, ("end_date", "end_reason", "updated_at"), closed)
    db.insert(BenefitPeriod, BENEFIT_FIELDS, opened)
