"""The dataset of one effect evaluation: members of a plan, who started in an instrument or not,
their situation before the start, and an outcome after it.

The design (docs/development/demo-data.md, "Planted effects", holds the demo's ground truth that
it targets):

- **Population**: every member of a household plan with, at the plan's start, a goal in one of
  the ZRM domains the instrument serves (POPULATION_DOMAINS; all members for a kind without
  domains), with a profile (conversation) to describe them. Those who started in the instrument
  before the plan began are left out: their "before" is not before.
- **Index date**: the start of the member's (first) plan, the day the goals were set. Every
  covariate is known on that day; the instrument starts later.
- **Treated**: started in the instrument on or after the index date and within the outcome's
  horizon (by the reference date when the outcome has no horizon); everyone else is a control.
- **Covariates**: the member's first profile (the situation before the plan, as the plans demo
  draws it: age, sex, education, Dutch, work readiness, ZRM per domain, ladder rung, obstacles,
  work experience), the household type, wijk and benefit duration at the index date, the goals
  set at the start, earlier outcomes, and the months of follow-up (time to the reference date).
- **Placebo**: a paid job in the twelve months before the index date — measured before any
  start, so an instrument cannot have changed it; deliberately not among the covariates.

Pseudonymous by construction: arrays and covariate names only, no client id, name, BSN or date.
A fixed number of queries whatever the size (values_list, one pass each).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meedoen.analytics import classification
from meedoen.clients.constants import BenefitEndReason, Gender
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership, Residence
from meedoen.instruments.constants import InstrumentKind as K
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.outcomes.constants import SUBSTANTIAL_JOB_HOURS, OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.plans.models import Goal
from meedoen.plans.services import months_after
from meedoen.profiles.constants import ZrmDomain
from meedoen.profiles.models import Conversation, Obstacle, WorkExperience, ZrmAssessment

# The ZRM domains an instrument of each kind serves: its population is the members with a goal
# in one of them. The same table the plans demo enrols by (dataexchange/demo/plans.py
# DOMAINS_BY_KIND; a test keeps them equal).
WORK = "werk_opleiding"
POPULATION_DOMAINS: dict[str, frozenset[str]] = {
    K.JOB_APPLICATION_TRAINING: frozenset({WORK}),
    K.JOB_COACH: frozenset({WORK}),
    K.EDUCATION: frozenset({WORK, "instrumentele_adl"}),
    K.LANGUAGE_COURSE: frozenset({WORK}),
    K.WORK_EXPERIENCE: frozenset({WORK, "tijdsbesteding"}),
    K.VOLUNTEERING: frozenset(
        {"maatschappelijke_participatie", "sociaal_netwerk", "tijdsbesteding"}
    ),
    K.PARTICIPATION_PLACEMENT: frozenset({"tijdsbesteding", "maatschappelijke_participatie"}),
    K.DEBT_COUNSELLING: frozenset({"financien"}),
    K.BUDGET_COURSE: frozenset({"financien"}),
    K.MENTAL_HEALTH: frozenset({"geestelijke_gezondheid"}),
    K.SPORT: frozenset({"lichamelijke_gezondheid", "tijdsbesteding"}),
    K.OTHER: frozenset({WORK, "sociaal_netwerk"}),
}

# The outcomes an evaluation can use: code → (label, definition). The codes are those of
# outcomes.PlantedEffect (the demo's ground truth), so a report can put the two side by side.
EFFECT_OUTCOMES: dict[str, tuple[Any, Any]] = {
    "goal_achieved": (
        gettext_lazy("Doel behaald"),
        gettext_lazy(
            "De deelnemer heeft na de start van het plan minstens één doel uit het plan behaald "
            "(bij een evaluatie), tot de peildatum."
        ),
    ),
    "job_started": (
        gettext_lazy("Betaald werk"),
        gettext_lazy(
            "De deelnemer is na de start van het plan begonnen met betaald werk, tot de peildatum."
        ),
    ),
    "job_started_12m": (
        gettext_lazy("Betaald werk binnen 12 maanden"),
        gettext_lazy(
            "De deelnemer is binnen 12 maanden na de start van het plan betaald gaan werken."
        ),
    ),
    "job_16h_12m": (
        gettext_lazy("Werk van 16 uur of meer binnen 12 maanden"),
        gettext_lazy(
            "De deelnemer is binnen 12 maanden na de start van het plan begonnen met betaald werk "
            "van minstens 16 uur per week."
        ),
    ),
    "education_started_12m": (
        gettext_lazy("Opleiding begonnen binnen 12 maanden"),
        gettext_lazy(
            "De deelnemer is binnen 12 maanden na de start van het plan met een opleiding begonnen."
        ),
    ),
    "benefit_ended_12m": (
        gettext_lazy("Uitstroom uit de bijstand binnen 12 maanden"),
        gettext_lazy(
            "De uitkering van de deelnemer is binnen 12 maanden na de start van het plan "
            "beëindigd (niet door verhuizing of overlijden)."
        ),
    ),
}
# Months after the index date an outcome counts; None: up to the reference date.
DEFAULT_HORIZONS: dict[str, int | None] = {
    "goal_achieved": None,
    "job_started": None,
    "job_started_12m": 12,
    "job_16h_12m": 12,
    "education_started_12m": 12,
    "benefit_ended_12m": 12,
}
PLACEBO_NAME = "betaald werk in de 12 maanden voor de start"
# Goals set within this many days of the plan's start count as set at the start.
GOALS_AT_START_DAYS = 7
# Benefit ends that are no exit from the bijstand in the sense of the seeds' indicators.
NOT_AN_EXIT = frozenset(
    {BenefitEndReason.MOVED, BenefitEndReason.DECEASED, BenefitEndReason.NOT_DELIVERED}
)


# Coarse groups: an evaluation has a few dozen participants per instrument, and a dummy per
# level would let the propensity model separate them from everyone else by chance.
EDUCATION_GROUPS = {
    "geen": "laag", "basisonderwijs": "laag", "praktijkonderwijs": "laag", "vmbo": "laag",
    "mbo1": "laag", "mbo2": "midden", "mbo3": "midden", "mbo4": "midden", "havo_vwo": "hoog",
    "hbo": "hoog", "wo": "hoog", "buitenland_onbekend": "buitenlands diploma",
}  # fmt: skip
DUTCH_GROUPS = {
    "geen": "laag (tot A2)", "A1": "laag (tot A2)", "A2": "laag (tot A2)", "B1": "B1 of hoger",
    "B2": "B1 of hoger", "C1": "B1 of hoger", "C2": "B1 of hoger", "moedertaal": "B1 of hoger",
}  # fmt: skip
# A level of a category or a yes/no covariate held by fewer members than this (either way) is
# lumped ("overig") or left out: too rare to compare on.
MIN_CELL = 10
# The covariates in detail (wijk, each obstacle, each goal's domain) only from this many
# participants: with a few dozen, ~60 columns let the propensity model tell participants apart
# by chance and nothing overlaps; the compact set keeps what selection and outcomes depend on
# (age, ladder, ZRM, readiness, education, Dutch, household, severe obstacles, goals, history).
DETAIL_MIN_TREATED = 150
DETAIL_PREFIXES = ("obstakel=", "doel=")
DETAIL_CATEGORIES = frozenset({"wijk"})
MIN_CELL_SHARE = 0.03


class EffectDatasetError(ValueError):
    """An evaluation that cannot be built; the message is Dutch, fit for the page."""


@dataclass
class EffectDataset:
    X: np.ndarray  # float, n by k
    covariate_names: list[str]
    treatment: np.ndarray  # 0/1, n
    outcome: np.ndarray  # 0/1 (float), n
    placebo: np.ndarray | None
    placebo_name: str
    n_population: int
    population_definition: str
    outcome_definition: str
    index_date_rule: str
    reference_date: dt.date | None = None
    horizon_months: int | None = None
    n_treated: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_treated = int(self.treatment.sum())


@dataclass
class _Member:
    index: dt.date
    household_id: Any = None
    goals_at_start: set[str] = field(default_factory=set)
    goal_count: int = 0
    achieved: list[dt.date] = field(default_factory=list)
    started: dt.date | None = None
    started_before_index: bool = False


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def build_dataset(
    *,
    municipality: Any,
    instrument: Instrument,
    outcome: str,
    horizon_months: int | None = None,
    reference_date: dt.date | None = None,
    population: QuerySet[Client] | None = None,
) -> EffectDataset:
    """The evaluation dataset of `instrument` on `outcome` (an EFFECT_OUTCOMES code).

    `horizon_months` overrides the outcome's default horizon; `reference_date` is the last day
    with data (default today); `population` limits the clients (the analyst's
    `caseload.access.analysis_population`); None takes the municipality's clients.
    Raises EffectDatasetError (Dutch message) for an unknown outcome or an empty population."""
    if outcome not in EFFECT_OUTCOMES:
        raise EffectDatasetError(
            _("Onbekende uitkomst '%(code)s'; kies uit: %(codes)s.")
            % {"code": outcome, "codes": ", ".join(EFFECT_OUTCOMES)}
        )
    if horizon_months is None:
        horizon_months = DEFAULT_HORIZONS[outcome]
    if horizon_months is not None and horizon_months < 1:
        raise EffectDatasetError(_("De termijn moet minstens 1 maand zijn."))
    today = reference_date or timezone.localdate()
    municipality_id = getattr(municipality, "pk", municipality)
    domains = POPULATION_DOMAINS.get(instrument.kind, frozenset())

    clients = Client.objects.filter(municipality_id=municipality_id)
    if population is not None:
        clients = clients.filter(pk__in=population.values("pk"))
    goals = Goal.objects.filter(plan__municipality_id=municipality_id, member__in=clients)

    # 1. Goals: the index date (the first plan's start), goals set at the start, achievements.
    members: dict[uuid.UUID, _Member] = {}
    plan_of: dict[uuid.UUID, Any] = {}
    rows = goals.order_by("plan__created_at", "plan_id", "position").values_list(
        "member_id", "plan_id", "plan__created_at", "plan__household_id", "created_at",
        "domain", "achieved_on",
    )  # fmt: skip
    for member_id, plan_id, plan_created, household_id, created, domain, achieved in rows:
        m = members.get(member_id)
        if m is None:
            m = members[member_id] = _Member(_local_date(plan_created), household_id)
            plan_of[member_id] = plan_id
        elif plan_of[member_id] != plan_id:
            continue  # a later plan (another household): its goals came after the index
        if (_local_date(created) - m.index).days <= GOALS_AT_START_DAYS:
            m.goals_at_start.add(domain)
            m.goal_count += 1
        if achieved is not None:
            m.achieved.append(achieved)

    # 2. The instrument's starts.
    for client_id, started in (
        Enrolment.objects.filter(instrument=instrument, started_on__isnull=False)
        .order_by("started_on")
        .values_list("client_id", "started_on")
    ):
        m = members.get(client_id)
        if m is None or started is None:
            continue
        if started < m.index:
            m.started_before_index = True
        elif m.started is None:
            m.started = started

    end_of = (
        (lambda m: months_after(m.index, horizon_months))  # exclusive
        if horizon_months is not None
        else (lambda m: today + dt.timedelta(days=1))
    )
    chosen = {
        client_id: m
        for client_id, m in members.items()
        if (not domains or m.goals_at_start & domains)
        and not m.started_before_index
        and m.index <= today
        and (horizon_months is None or end_of(m) <= today + dt.timedelta(days=1))
    }

    # 3. The first profile (the situation before the plan) of each member.
    earlier = Conversation.objects.filter(
        client_id=OuterRef("client_id"), date__lt=OuterRef("date")
    )
    first = Conversation.objects.filter(
        municipality_id=municipality_id, client__in=goals.values("member_id")
    ).exclude(Exists(earlier))
    profile_of: dict[Any, uuid.UUID] = {}
    profile_rows: dict[uuid.UUID, tuple[Any, ...]] = {}
    for client_id, profile_id, *values in first.order_by("client_id", "created_at").values_list(
        "client_id", "profile__id", "client__date_of_birth", "client__gender",
        "profile__ladder_current", "profile__ladder_potential", "profile__work_readiness",
        "profile__dutch_level", "profile__education_level",
    ):  # fmt: skip
        if client_id in chosen and profile_id is not None and client_id not in profile_rows:
            profile_of[profile_id] = client_id
            profile_rows[client_id] = tuple(values)
    chosen = {k: m for k, m in chosen.items() if k in profile_rows}
    if not chosen:
        raise EffectDatasetError(
            _("Er zijn geen deelnemers aan een plan met een doel waarvoor %(name)s bedoeld is.")
            % {"name": instrument.name}
        )
    # The chosen members' first profiles by id: the "first conversation" subquery again in
    # each of the three reads below made PostgreSQL take ~20 s each at 27,000 clients.
    first_profiles = list(profile_of)
    zrm: dict[Any, dict[str, int]] = defaultdict(dict)
    for profile_id, domain, score in ZrmAssessment.objects.filter(
        profile_id__in=first_profiles, score__isnull=False
    ).values_list("profile_id", "domain", "score"):
        if profile_id in profile_of and score is not None:
            zrm[profile_of[profile_id]][domain] = score
    obstacles: dict[Any, dict[str, int]] = defaultdict(dict)
    for profile_id, category, severity in Obstacle.objects.filter(
        profile_id__in=first_profiles
    ).values_list("profile_id", "category", "severity"):
        if profile_id in profile_of:
            obstacles[profile_of[profile_id]][category] = severity
    work: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for profile_id, years in WorkExperience.objects.filter(
        profile_id__in=first_profiles
    ).values_list("profile_id", "years"):
        if profile_id in profile_of:
            cell = work[profile_of[profile_id]]
            cell[0] += 1
            cell[1] += years or 0

    # 4. Household type and wijk at the index date.
    member_households = HouseholdMembership.objects.filter(client__in=goals.values("member_id"))
    roles_at: dict[Any, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for household_id, role, start, end in HouseholdMembership.objects.filter(
        household__in=member_households.values("household_id")
    ).values_list("household_id", "role", "start_date", "end_date"):
        roles_at[household_id].append((role, start, end))
    residences: dict[Any, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for household_id, start, end, wijk in Residence.objects.filter(
        household__in=member_households.values("household_id")
    ).values_list("household_id", "start_date", "end_date", "address__district_name"):
        residences[household_id].append((start, end, wijk))

    # 5. Benefit periods (duration at the index, earlier exits, the outcome "exit").
    periods: dict[Any, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for client_id, start, end, reason in (
        BenefitPeriod.objects.filter(client__in=goals.values("member_id"))
        .order_by("start_date")
        .values_list("client_id", "start_date", "end_date", "end_reason")
    ):
        periods[client_id].append((start, end, reason))

    # 6. Recorded outcomes: jobs and education, before (placebo, history) and after the index.
    events: dict[Any, list[tuple[str, dt.date, float | None]]] = defaultdict(list)
    for client_id, kind, on, hours in OutcomeEvent.objects.filter(
        municipality_id=municipality_id,
        client__in=goals.values("member_id"),
        kind__in=[OutcomeKind.JOB_STARTED, OutcomeKind.EDUCATION_STARTED],
    ).values_list("client_id", "kind", "occurred_on", "hours_per_week"):
        events[client_id].append((kind, on, float(hours) if hours is not None else None))

    # One row per member, in a stable order that carries no identity (index date, then a
    # counter): the arrays leave this function without any id.
    order = sorted(chosen, key=lambda k: (chosen[k].index, str(k)))
    rows_out: list[dict[str, float]] = []
    categorical: list[dict[str, str]] = []
    treatment = np.zeros(len(order))
    y = np.zeros(len(order))
    placebo = np.zeros(len(order))
    for i, client_id in enumerate(order):
        m = chosen[client_id]
        end = end_of(m)
        born, gender, ladder, potential, readiness, dutch, education = profile_rows[client_id]
        treatment[i] = float(m.started is not None and m.started < end and m.started <= today)
        y[i] = float(_outcome(outcome, m, end, events[client_id], periods[client_id]))
        year_before = months_after(m.index, -12)
        placebo[i] = float(
            any(
                kind == OutcomeKind.JOB_STARTED and year_before <= on < m.index
                for kind, on, _h in events[client_id]
            )
        )
        scores = zrm.get(client_id, {})
        member_obstacles = obstacles.get(client_id, {})
        history = periods[client_id]
        current = [p for p in history if p[0] <= m.index and (p[1] is None or p[1] >= m.index)]
        benefit_start = current[-1][0] if current else None
        row: dict[str, float] = {
            _("leeftijd"): float(classification.age_on(born, m.index)),
            _("vrouw"): float(gender == Gender.FEMALE),
            _("uitkeringsduur (maanden)"): (
                (m.index - benefit_start).days / 30.44 if benefit_start else 0.0
            ),
            _("eerder uit de bijstand gegaan"): float(
                any(end_ is not None and end_ < m.index for _s, end_, _r in history)
            ),
            _("trede participatieladder"): float(ladder or 1),
            _("trede potentieel"): float(potential or ladder or 1),
            _("aantal beroepen werkervaring"): float(work[client_id][0]),
            _("jaren werkervaring"): float(work[client_id][1]),
            _("zware obstakels"): float(sum(1 for s in member_obstacles.values() if s >= 2)),
            _("aantal doelen bij start"): float(m.goal_count),
            _("opleiding eerder begonnen"): float(
                any(
                    kind == OutcomeKind.EDUCATION_STARTED and on < m.index
                    for kind, on, _h in events[client_id]
                )
            ),
            _("maanden tot peildatum"): (today - m.index).days / 30.44,
            _("ZRM ontbreekt"): float(len(ZrmDomain.values) - len(scores)),
        }
        known = [v for v in scores.values() if v is not None]
        row[_("ZRM gemiddeld")] = sum(known) / len(known) if known else 3.0
        for domain in sorted(domains) or ZrmDomain.values:
            # A missing score as "3" (neither), with the count of missing beside it.
            row[f"zrm={domain}"] = float(scores.get(domain, 3))
        for category in member_obstacles:
            row[f"obstakel={category}"] = 1.0
        for domain in m.goals_at_start:
            row[f"doel={domain}"] = 1.0
        rows_out.append(row)
        categorical.append(
            {
                "huishouden": _household_type(roles_at.get(m.household_id, []), m.index),
                "wijk": _wijk(residences.get(m.household_id, []), m.index),
                "opleiding": EDUCATION_GROUPS.get(education or "", "onbekend"),
                "taalniveau": DUTCH_GROUPS.get(dutch or "", "onbekend"),
                "werkfit": readiness or "onbekend",
            }
        )

    X, names = _matrix(rows_out, categorical, detailed=treatment.sum() >= DETAIL_MIN_TREATED)
    horizon_text = (
        _("binnen %(months)s maanden na de startdatum") % {"months": horizon_months}
        if horizon_months is not None
        else _("tussen de startdatum en de peildatum (%(date)s)") % {"date": f"{today:%d-%m-%Y}"}
    )
    label, definition = EFFECT_OUTCOMES[outcome]
    domain_text = ", ".join(sorted(domains)) if domains else _("elk leefgebied")
    return EffectDataset(
        X=X,
        covariate_names=names,
        treatment=treatment,
        outcome=y,
        placebo=placebo,
        placebo_name=PLACEBO_NAME,
        n_population=len(order),
        population_definition=_(
            "Leden van een huishoudplan met bij de start van het plan een doel in een leefgebied "
            "waarvoor %(name)s bedoeld is (%(domains)s), met een profiel uit het eerste gesprek. "
            "Deelnemers: gestart %(horizon)s. Vergelijkingsgroep: de anderen. Wie al vóór de "
            "start van het plan in het instrument begon, telt niet mee."
        )
        % {"name": instrument.name, "domains": domain_text, "horizon": horizon_text}
        + (
            " "
            + _("Alleen plannen die op de peildatum al %(months)s maanden liepen.")
            % {"months": horizon_months}
            if horizon_months is not None
            else ""
        ),
        outcome_definition=f"{label}: {definition} "
        + _("Gemeten %(horizon)s.") % {"horizon": horizon_text},
        index_date_rule=_(
            "De startdatum is de dag waarop het (eerste) plan van het huishouden begon en de "
            "doelen zijn vastgelegd. Kenmerken komen uit het eerste gesprek en van die dag; het "
            "instrument begint later."
        ),
        reference_date=today,
        horizon_months=horizon_months,
    )


def _outcome(
    code: str,
    m: _Member,
    end: dt.date,
    events: list[tuple[str, dt.date, float | None]],
    periods: list[tuple[dt.date, dt.date | None, str]],
) -> bool:
    """Whether the outcome happened in [index, end)."""

    def within(day: dt.date) -> bool:
        return m.index <= day < end

    if code == "goal_achieved":
        return any(within(day) for day in m.achieved)
    if code in {"job_started", "job_started_12m"}:
        return any(k == OutcomeKind.JOB_STARTED and within(on) for k, on, _h in events)
    if code == "job_16h_12m":
        return any(
            k == OutcomeKind.JOB_STARTED and within(on) and (h or 0) >= SUBSTANTIAL_JOB_HOURS
            for k, on, h in events
        )
    if code == "education_started_12m":
        return any(k == OutcomeKind.EDUCATION_STARTED and within(on) for k, on, _h in events)
    if code == "benefit_ended_12m":
        return any(
            e is not None and within(e) and reason not in NOT_AN_EXIT for _s, e, reason in periods
        )
    raise AssertionError(code)


def _household_type(members: list[tuple[str, dt.date, dt.date | None]], day: dt.date) -> str:
    roles = [role for role, start, end in members if start <= day and (end is None or end >= day)]
    return str(classification.household_type(roles))


def _wijk(history: list[tuple[dt.date, dt.date | None, str]], day: dt.date) -> str:
    for start, end, wijk in sorted(history, reverse=True):
        if start <= day and (end is None or end >= day):
            return wijk or "onbekend"
    return history[0][2] or "onbekend" if history else "onbekend"


def _matrix(
    rows: list[dict[str, float]], categorical: list[dict[str, str]], *, detailed: bool
) -> tuple[np.ndarray, list[str]]:
    """Numeric columns as they are (absent = 0), categorical ones one-hot without their most
    common level (the reference), rare levels lumped as "overig"; constant columns and yes/no
    columns with fewer than MIN_CELL members on either side are left out."""
    n = len(rows)
    minimum = max(MIN_CELL, int(MIN_CELL_SHARE * n))
    numeric = sorted(
        {name for row in rows for name in row if detailed or not name.startswith(DETAIL_PREFIXES)},
        key=_column_order,
    )
    X = np.array([[row.get(name, 0.0) for name in numeric] for row in rows]).reshape(
        n, len(numeric)
    )
    blocks, names = [X], list(numeric)
    for variable in ("huishouden", "wijk", "opleiding", "taalniveau", "werkfit"):
        if variable in DETAIL_CATEGORIES and not detailed:
            continue
        counts = Counter(row[variable] for row in categorical)
        lumped = [
            value if counts[value] >= minimum else _("overig") for value in
            (row[variable] for row in categorical)
        ]  # fmt: skip
        levels = Counter(lumped)
        reference = max(sorted(levels), key=lambda level: levels[level])
        for level in sorted(levels):
            if level != reference:
                blocks.append(np.array([[float(v == level)] for v in lumped]).reshape(n, 1))
                names.append(f"{variable}={level}")
    X = np.hstack(blocks) if n else np.zeros((0, len(names)))
    keep = []
    for j in range(X.shape[1]):
        column = X[:, j]
        if n == 0 or np.ptp(column) == 0:
            continue
        if np.isin(column, (0.0, 1.0)).all():
            ones = int(column.sum())
            if min(ones, n - ones) < minimum:
                continue
        keep.append(j)
    return X[:, keep], [names[j] for j in keep]


def _column_order(name: str) -> tuple[int, str]:
    prefix = name.split("=", 1)[0] if "=" in name else ""
    return ({"": 0, "zrm": 1, "obstakel": 2, "doel": 3}.get(prefix, 4), name)
