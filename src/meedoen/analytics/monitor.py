"""The programme monitor ("weet wat werkt", issue 7): the seeds' indicators for a cohort.

Who is counted (docs/monitor.md):

- For the breakdowns by wijk, team and doelgroep (and "alle cliënten"), the cohort is every client
  *reached* in the chosen period: their first conversation ever (profiles.Conversation) falls in
  it. The index date is that first conversation: from then on the guidance could make a
  difference.
- For the breakdowns by instrument and by programme, the cohort is the *participants*: clients
  whose enrolment in the instrument (or in an instrument of the programme) started in the period;
  the index date is that start. Meedoen has no campaign model yet (the roadmap's outreach
  campaigns bring one); a "programme" here is the municipality's own grouping of instruments
  (instruments.Category, e.g. "Werkoffensief"). A client can be in several of these rows, so their
  total is of distinct clients, not a sum.

An indicator at horizon H counts whether the outcome happened between the index date and H months
later (both inclusive), among the clients whose H months have fully passed on the reference date:
a cohort too recent is "nog niet te meten", never a low percentage. Each indicator has its own
denominator (`Indicator.base`). Every count — numerators, denominators, and what they leave (the
complement) — is suppressed with the rule of analytics.aggregates in ONE pass over the whole
monitor (all horizons), so no hidden value can be computed back from what is shown elsewhere on
the page or from another horizon.

Queries: a fixed number whatever the number of clients — the clients, their first conversations,
assignments, benefit periods, own goals, started enrolments, instruments and categories, and the
outcome events (meedoen.outcomes.selectors: one query per source). Only the cohort's clients are
read (their ids as a subquery, `_cohort_ids`): at 27,000 clients a year's cohort is an eighth of the
municipality, and reading everyone's benefit periods and ladder snapshots cost most of the time.
The yearly "naar werk" ends are about every client, so the database counts them (one query).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Min, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meedoen.analytics import classification
from meedoen.analytics.aggregates import SMALL, Category, Cell, suppress
from meedoen.analytics.charts import BarChart, bar_chart
from meedoen.analytics.constants import MIN_CELL, TargetGroup
from meedoen.caseload.models import Assignment
from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.selectors import Event, outcome_events
from meedoen.plans.models import Goal
from meedoen.profiles.measures import BIG_STEP_MIN_RUNGS
from meedoen.profiles.models import Conversation

HORIZONS = (6, 12, 24)
# A durable exit: no re-entry into the bijstand within this many months after the exit.
DURABLE_MONTHS = 12
# "Naar werk uit de bijstand": a benefit that ended because of work or an own business.
TO_WORK_REASONS = frozenset({BenefitEndReason.WORK.value, BenefitEndReason.SELF_EMPLOYED.value})
TO_WORK_YEARS = 5  # the current year and the four before it

TOTAL = "__totaal__"
NO_TEAM = ""
UNKNOWN_WIJK = ""


class MonitorDimension(models.TextChoices):
    TOTAL = "totaal", _("Alle cliënten samen")
    WIJK = "wijk", _("Wijk")
    TEAM = "team", _("Team")
    TARGET_GROUP = "doelgroep", _("Doelgroep (leeftijd)")
    INSTRUMENT = "instrument", _("Instrument")
    PROGRAMME = "programma", _("Programma (categorie van instrumenten)")


# Breakdowns whose rows split one cohort: a row total is the sum of the rows.
PARTITIONS = frozenset(
    {
        MonitorDimension.TOTAL,
        MonitorDimension.WIJK,
        MonitorDimension.TEAM,
        MonitorDimension.TARGET_GROUP,
    }
)


# Denominators: who can have the outcome at all, among the clients whose horizon has passed.
MEASURABLE = "measurable"  # every client of the cohort
WITH_GOAL = "with_goal"  # with at least one individual goal in the household plan
ON_BENEFIT = "on_benefit"  # on bijstand on the index date (only they can leave it)
ON_BENEFIT_DURABLE = "on_benefit_durable"  # the same, with DURABLE_MONTHS more passed
BASES = (MEASURABLE, WITH_GOAL, ON_BENEFIT, ON_BENEFIT_DURABLE)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    base: str
    definition: str | Promise
    # The seeds' figure (a fraction) and where it comes from; None: no figure in the seeds.
    benchmark: float | None = None
    source: str | Promise = ""
    # The horizon the seed's figure refers to (months), when it says so.
    benchmark_months: int | None = None

    @property
    def benchmark_percent(self) -> int | None:
        return None if self.benchmark is None else round(100 * self.benchmark)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "betaald_werk",
        _("Betaald werk"),
        MEASURABLE,
        _("Begon aan betaald werk (vastgelegd door de klantregisseur), elk aantal uren."),
        0.05,
        _("Huis-aan-huis aan het werk, Den Haag (Trimbos): 5% vond een betaalde baan."),
    ),
    Indicator(
        "werk_16_uur",
        _("Baan van 16 uur of meer"),
        MEASURABLE,
        _("Begon aan betaald werk van minstens 16 uur per week."),
        0.15,
        _("Arnhem en Leeuwarden (TNO): bijna 15% vond een betaalde baan van minstens 16 uur."),
    ),
    Indicator(
        "opleiding",
        _("Opleiding begonnen"),
        MEASURABLE,
        _("Begon aan een opleiding."),
        0.10,
        _("Arnhem en Leeuwarden (TNO): 10% ging een opleiding volgen."),
    ),
    Indicator(
        "grote_stap",
        _("Grote stap vooruit"),
        MEASURABLE,
        _(
            "Stond bij een later gesprek minstens één trede hoger op de participatieladder dan "
            "op de indexdatum."
        ),
        0.25,
        _(
            "Arnhem (TNO): één op de vier zette binnen een half jaar een flinke stap vooruit. "
            "Vergelijk met de termijn van 6 maanden."
        ),
        6,
    ),
    Indicator(
        "doel_behaald",
        _("Individueel doel behaald"),
        WITH_GOAL,
        _("Behaalde een eigen doel uit het plan; van wie een eigen doel in het plan heeft."),
        0.40,
        _("Tilburg: veertig procent heeft het individuele doel behaald."),
    ),
    Indicator(
        "uitstroom",
        _("Uit de bijstand"),
        ON_BENEFIT,
        _("De uitkering eindigde, om welke reden ook; van wie op de indexdatum bijstand had."),
    ),
    Indicator(
        "duurzame_uitstroom",
        _("Duurzaam uit de bijstand"),
        ON_BENEFIT_DURABLE,
        _(
            "De uitkering eindigde en de cliënt kwam binnen 12 maanden daarna niet terug in de "
            "bijstand. Pas te meten als ook die 12 maanden voorbij zijn."
        ),
    ),
    Indicator(
        "herinstroom",
        _("Herinstroom"),
        ON_BENEFIT,
        _(
            "Ging uit de bijstand en kwam er binnen de termijn weer in; van wie op de "
            "indexdatum bijstand had."
        ),
        None,
        _("Wat werkt écht (Divosa): nazorg is nodig om herinstroom te voorkomen."),
    ),
)
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- what is shown ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown(Cell):
    """A cell whose text is not a count (a percentage, "nog niet te meten"); for the charts."""

    text: str = ""

    @property
    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class IndicatorCell:
    count: Cell
    base: Cell
    not_yet: bool  # nobody's horizon has passed: "nog niet te meten"

    @property
    def percent(self) -> int | None:
        if self.count.hidden or self.base.hidden or not self.base.value:
            return None
        return round(100 * (self.count.value or 0) / self.base.value)

    @property
    def text(self) -> str:
        if self.not_yet:
            return str(_("nog niet te meten"))
        if self.percent is not None:
            return f"{self.percent}%"
        if self.base.value == 0:
            return "\N{EN DASH}"
        return str(_("verborgen"))

    @property
    def detail(self) -> str:
        """ "12 van 250": the count and its denominator, as shown (suppressed)."""
        if self.not_yet or (self.base.value == 0 and not self.base.hidden):
            return ""
        return str(
            _("%(count)s van %(base)s") % {"count": self.count.label, "base": self.base.label}
        )


@dataclass(frozen=True)
class MonitorRow:
    category: Category
    reach: Cell
    participants: Cell
    measurable: Cell  # clients whose horizon has passed (the usual denominator)
    indicators: list[IndicatorCell]


@dataclass(frozen=True)
class ToWorkYear:
    year: int
    count: Cell
    target: int | None
    partial: bool  # the current year: counted up to the reference date

    @property
    def difference(self) -> int | None:
        if self.target is None or self.count.hidden or self.count.value is None:
            return None
        return self.count.value - self.target

    @property
    def progress_max(self) -> int | None:
        return self.target if self.target else None

    @property
    def progress_value(self) -> int | None:
        if self.progress_max is None or self.count.value is None:
            return None
        return min(self.count.value, self.progress_max)


@dataclass(frozen=True)
class Monitor:
    period_start: dt.date
    period_end: dt.date
    dimension: str
    horizon: int
    reference_date: dt.date
    rows: list[MonitorRow]
    total: MonitorRow
    indicators: tuple[Indicator, ...]
    chart: BarChart
    to_work: list[ToWorkYear]
    to_work_chart: BarChart
    measurable_from: dt.date  # index dates up to this one have a passed horizon
    has_suppressed: bool = False
    dimension_label: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def partition(self) -> bool:
        return self.dimension in PARTITIONS

    @property
    def summary(self) -> list[tuple[Indicator, IndicatorCell]]:
        """The total row's indicators beside their definitions: the chart's data table."""
        return list(zip(self.indicators, self.total.indicators, strict=True))


# --- the cohort ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """One client in one row of the monitor. Internal; never shown."""

    client_id: uuid.UUID
    cell: str
    index: dt.date


@dataclass(frozen=True)
class _Clients:
    born: dict[uuid.UUID, dt.date]
    household: dict[uuid.UUID, uuid.UUID | None]
    wijk: dict[uuid.UUID, tuple[str, str]]


def _clients(population: QuerySet[Client]) -> _Clients:
    born: dict[uuid.UUID, dt.date] = {}
    household: dict[uuid.UUID, uuid.UUID | None] = {}
    wijk: dict[uuid.UUID, tuple[str, str]] = {}
    rows = population.order_by().values_list(
        "pk",
        "date_of_birth",
        "household_id",
        "household__address__district_code",
        "household__address__district_name",
    )
    for pk, date_of_birth, household_id, code, name in rows:
        born[pk] = date_of_birth
        household[pk] = household_id
        wijk[pk] = (code or "", name or code or "")
    return _Clients(born, household, wijk)


def _reached(population: QuerySet[Client], start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Clients whose first conversation ever is in [start, end], grouped per client."""
    return (
        Conversation.objects.filter(client_id__in=population.values("pk"))
        .order_by()
        .values("client_id")
        .annotate(first=Min("date"))
        .filter(first__gte=start, first__lte=end)
    )


def _first_conversations(
    population: QuerySet[Client], start: dt.date, end: dt.date
) -> dict[uuid.UUID, dt.date]:
    """Clients whose first conversation ever is in [start, end], with its date."""
    return dict(_reached(population, start, end).values_list("client_id", "first"))


def _cohort_ids(
    *, dimension: str, population: QuerySet[Client], start: dt.date, end: dt.date
) -> QuerySet[Any]:
    """Who can be in a row, as a one-column subquery: the reached clients, or those who started
    an enrolment in the period (a few more than a programme's participants: `_cohort` decides)."""
    if dimension in (MonitorDimension.INSTRUMENT, MonitorDimension.PROGRAMME):
        return (
            Enrolment.objects.filter(
                client_id__in=population.values("pk"), started_on__gte=start, started_on__lte=end
            )
            .order_by()
            .values("client_id")
        )
    return _reached(population, start, end).values("client_id")


def _teams_on(
    population: QuerySet[Client],
) -> dict[uuid.UUID, list[tuple[dt.date, dt.date | None, str, str]]]:
    """Per household: its assignments (start, end, team id, team name)."""
    by_household: dict[uuid.UUID, list[tuple[dt.date, dt.date | None, str, str]]] = defaultdict(
        list
    )
    rows = (
        Assignment.objects.filter(household_id__in=population.values("household_id"))
        .order_by()
        .values_list(
            "household_id", "start_date", "end_date", "coach__team_id", "coach__team__name"
        )
    )
    for household_id, start, end, team_id, team_name in rows:
        by_household[household_id].append(
            (start, end, str(team_id) if team_id else NO_TEAM, team_name or "")
        )
    return by_household


def _team_at(
    assignments: list[tuple[dt.date, dt.date | None, str, str]], day: dt.date
) -> tuple[str, str]:
    """The team of the coach who held the household on `day` (an assignment ends on the day the
    next one starts)."""
    for start, end, team_id, name in assignments:
        if start <= day and (end is None or end > day):
            return team_id, name
    return NO_TEAM, ""


def _cohort(
    *,
    dimension: str,
    population: QuerySet[Client],
    cohort_clients: QuerySet[Client],
    clients: _Clients,
    start: dt.date,
    end: dt.date,
    starts: list[tuple[uuid.UUID, uuid.UUID, dt.date]],
    instrument_names: dict[uuid.UUID, str],
    categories_of: dict[uuid.UUID, list[tuple[uuid.UUID, str]]],
) -> tuple[list[Member], list[Member], list[Category]]:
    """The members per row, the members of the total row, and the rows' categories."""
    if dimension in (MonitorDimension.INSTRUMENT, MonitorDimension.PROGRAMME):
        first: dict[tuple[uuid.UUID, str], dt.date] = {}
        first_any: dict[uuid.UUID, dt.date] = {}
        labels: dict[str, str] = {}
        for client_id, instrument_id, started in starts:
            if not (start <= started <= end) or client_id not in clients.born:
                continue
            if dimension == MonitorDimension.INSTRUMENT:
                cells = [(str(instrument_id), instrument_names.get(instrument_id, ""))]
            else:
                cells = [(str(pk), name) for pk, name in categories_of.get(instrument_id, [])]
            for code, name in cells:
                labels[code] = name
                known = first.get((client_id, code))
                if known is None or started < known:
                    first[client_id, code] = started
                if client_id not in first_any or started < first_any[client_id]:
                    first_any[client_id] = started
        # A client who started something outside any programme is not a programme's participant.
        in_rows = {client_id for client_id, _ in first}
        members = [Member(c, code, day) for (c, code), day in first.items()]
        total = [Member(c, TOTAL, day) for c, day in first_any.items() if c in in_rows]
        categories = sorted(
            (Category(code, name) for code, name in labels.items()),
            key=lambda c: (str(c.label).casefold(), c.code),
        )
        return members, total, categories

    reached = _first_conversations(population, start, end)
    reached = {c: day for c, day in reached.items() if c in clients.born}
    if dimension == MonitorDimension.WIJK:
        keyed = {c: clients.wijk[c] for c in reached}
        unknown: Category = Category(UNKNOWN_WIJK, _("Wijk onbekend"))
    elif dimension == MonitorDimension.TEAM:
        assignments = _teams_on(cohort_clients)
        keyed = {
            c: _team_at(assignments.get(clients.household[c], []), day)  # type: ignore[arg-type]
            for c, day in reached.items()
        }
        unknown = Category(NO_TEAM, _("Geen klantregisseur op de indexdatum"))
    elif dimension == MonitorDimension.TARGET_GROUP:
        group_labels = dict(TargetGroup.choices)
        keyed = {}
        for c, day in reached.items():
            group = classification.target_group(clients.born[c], day).value
            keyed[c] = (group, str(group_labels[group]))
        unknown = Category("?", "?")
    else:
        keyed = {c: (TOTAL, "") for c in reached}
        unknown = Category("?", "?")
    members = [Member(c, keyed[c][0], day) for c, day in reached.items()]
    total = [Member(c, TOTAL, day) for c, day in reached.items()]
    if dimension == MonitorDimension.TARGET_GROUP:
        categories = [Category(value, label) for value, label in TargetGroup.choices]
    elif dimension == MonitorDimension.TOTAL:
        categories = [Category(TOTAL, _("Alle bereikte cliënten"))]
    else:
        names = {code: name for code, name in keyed.values() if code}
        categories = sorted(
            (Category(code, name or code) for code, name in names.items()),
            key=lambda c: (str(c.label).casefold(), c.code),
        )
        if any(code == unknown.code for code, _ in keyed.values()):
            categories.append(unknown)
    return members, total, categories


# --- outcomes per member ------------------------------------------------------------------------


@dataclass
class _History:
    """A client's events, by kind, oldest first."""

    jobs: list[Event] = field(default_factory=list)
    education: list[dt.date] = field(default_factory=list)
    ladder: list[Event] = field(default_factory=list)
    goals: list[dt.date] = field(default_factory=list)
    exits: list[dt.date] = field(default_factory=list)
    reentries: list[dt.date] = field(default_factory=list)


def _histories(events: Iterable[Event]) -> dict[uuid.UUID, _History]:
    histories: dict[uuid.UUID, _History] = defaultdict(_History)
    for event in events:
        history = histories[event.client_id]
        if event.kind == OutcomeKind.JOB_STARTED:
            history.jobs.append(event)
        elif event.kind == OutcomeKind.EDUCATION_STARTED:
            history.education.append(event.on)
        elif event.kind == OutcomeKind.LADDER_CHANGED:
            history.ladder.append(event)
        elif event.kind == OutcomeKind.GOAL_ACHIEVED:
            history.goals.append(event.on)
        elif event.kind == OutcomeKind.BENEFIT_ENDED:
            history.exits.append(event.on)
        elif event.kind == OutcomeKind.BENEFIT_REENTRY:
            history.reentries.append(event.on)
    for history in histories.values():
        history.jobs.sort(key=lambda e: e.on)
        history.ladder.sort(key=lambda e: e.on)
        for dates in (history.education, history.goals, history.exits, history.reentries):
            dates.sort()
    return histories


def _any_in(dates: Iterable[dt.date], first: dt.date, last: dt.date) -> bool:
    return any(first <= day <= last for day in dates)


def _outcomes(history: _History, index: dt.date, until: dt.date) -> dict[str, bool]:
    """Which indicators' outcomes happened from `index` up to and including `until`."""
    jobs = [e for e in history.jobs if index <= e.on <= until]
    # The rung on the index date: what the first change after it changed from.
    later = [e for e in history.ladder if e.on > index]
    baseline = later[0].previous if later else None
    step = baseline is not None and any(
        e.on <= until and e.value is not None and e.value - baseline >= BIG_STEP_MIN_RUNGS
        for e in later
    )
    exits = [day for day in history.exits if index <= day <= until]
    durable = any(
        not _any_in(history.reentries, day + dt.timedelta(days=1), add_months(day, DURABLE_MONTHS))
        for day in exits
    )
    return {
        "betaald_werk": bool(jobs),
        "werk_16_uur": any(e.is_substantial_job for e in jobs),
        "opleiding": _any_in(history.education, index, until),
        "grote_stap": step,
        "doel_behaald": _any_in(history.goals, index, until),
        "uitstroom": bool(exits),
        "duurzame_uitstroom": durable,
        "herinstroom": _any_in(history.reentries, index + dt.timedelta(days=1), until),
    }


def _on_benefit(periods: list[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in periods)


# --- counting and suppression -------------------------------------------------------------------


def monitor_counts(
    *,
    members: list[Member],
    histories: dict[uuid.UUID, _History],
    periods: dict[uuid.UUID, list[tuple[dt.date, dt.date | None]]],
    with_goal: set[uuid.UUID],
    participants: set[uuid.UUID],
    reference_date: dt.date,
) -> dict[Hashable, int]:
    """Raw counts per key: ("reach", cell), ("part", cell), ("base", base, H, cell),
    ("n", indicator, H, cell). Pure Python, no queries."""
    counts: dict[Hashable, int] = defaultdict(int)
    empty = _History()
    for member in members:
        cell = member.cell
        counts["reach", cell] += 1
        if member.client_id in participants:
            counts["part", cell] += 1
        history = histories.get(member.client_id, empty)
        on_benefit = _on_benefit(periods.get(member.client_id, []), member.index)
        has_goal = member.client_id in with_goal
        for months in HORIZONS:
            until = add_months(member.index, months)
            if until > reference_date:
                continue
            bases = {MEASURABLE: True, WITH_GOAL: has_goal, ON_BENEFIT: on_benefit}
            bases[ON_BENEFIT_DURABLE] = (
                on_benefit and add_months(until, DURABLE_MONTHS) <= reference_date
            )
            for base, member_of in bases.items():
                if member_of:
                    counts["base", base, months, cell] += 1
            happened = _outcomes(history, member.index, until)
            for indicator in INDICATORS:
                if bases[indicator.base] and happened[indicator.code]:
                    counts["n", indicator.code, months, cell] += 1
    return counts


def _keys_of_cell(cell: str) -> list[tuple[Hashable, Hashable, Hashable]]:
    """(part, complement, whole) triples of one row: every count with what it leaves."""
    triples: list[tuple[Hashable, Hashable, Hashable]] = [
        (("part", cell), ("not_part", cell), ("reach", cell))
    ]
    for months in HORIZONS:
        for base in BASES:
            triples.append(
                (("base", base, months, cell), ("not_base", base, months, cell), ("reach", cell))
            )
        for indicator in INDICATORS:
            base_key = ("base", indicator.base, months, cell)
            triples.append(
                (
                    ("n", indicator.code, months, cell),
                    ("not_n", indicator.code, months, cell),
                    base_key,
                )
            )
    return triples


def suppress_monitor(
    raw: dict[Hashable, int], cells: list[str], *, partition: bool, min_cell: int = MIN_CELL
) -> tuple[dict[Hashable, int], dict[Hashable, str]]:
    """Complete the counts (complements, zeros) and decide what to hide, in one pass.

    A count and its complement sum to their whole (the participants and the others make the
    reach); for a partition the rows sum to the total row, for every kind of count.
    """
    counts: dict[Hashable, int] = {}
    lines: list[list[Hashable]] = []
    for cell in [*cells, TOTAL]:
        for part, rest, whole in _keys_of_cell(cell):
            counts[part] = raw.get(part, 0)
            counts[whole] = raw.get(whole, 0)
            counts[rest] = counts[whole] - counts[part]
            lines.append([part, rest, whole])
    if partition and cells:
        families = {key[:-1] for key in counts if isinstance(key, tuple) and key[-1] == TOTAL}
        for family in families:
            lines.append([(*family, cell) for cell in cells] + [(*family, TOTAL)])
    return counts, suppress(counts, lines, min_cell=min_cell)


# --- the monitor --------------------------------------------------------------------------------


def monitor(
    *,
    population: QuerySet[Client],
    municipality_id: Any,
    period_start: dt.date,
    period_end: dt.date,
    dimension: str,
    horizon: int,
    reference_date: dt.date,
    targets: dict[int, int] | None = None,
    min_cell: int = MIN_CELL,
) -> Monitor:
    """The monitor for the analyst's population, suppressed. `targets`: the yearly "naar werk"
    targets (MonitorTarget) by year. `min_cell` is for tests of the arithmetic only."""
    dimension = MonitorDimension(dimension).value
    if horizon not in HORIZONS:
        raise ValueError(horizon)
    cohort_ids = _cohort_ids(
        dimension=dimension, population=population, start=period_start, end=period_end
    )
    cohort_clients = population.filter(pk__in=cohort_ids)
    clients = _clients(cohort_clients)

    starts: list[tuple[uuid.UUID, uuid.UUID, dt.date]] = []
    participants: set[uuid.UUID] = set()
    for client_id, instrument_id, started in (
        Enrolment.objects.filter(client_id__in=cohort_ids, started_on__isnull=False)
        .order_by()
        .values_list("client_id", "instrument_id", "started_on")
    ):
        if started is not None:  # filtered already; for the type checker
            starts.append((client_id, instrument_id, started))
            participants.add(client_id)
    with_goal = set(
        Goal.objects.filter(member_id__in=cohort_ids)
        .order_by()
        .values_list("member_id", flat=True)
        .distinct()
    )
    participants |= with_goal

    instrument_names: dict[uuid.UUID, str] = {}
    categories_of: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = defaultdict(list)
    if dimension == MonitorDimension.INSTRUMENT:
        instrument_names = dict(
            Instrument.objects.filter(municipality_id=municipality_id).values_list("pk", "name")
        )
    elif dimension == MonitorDimension.PROGRAMME:
        through = Instrument.categories.through
        for instrument_id, category_id, name in through.objects.filter(
            instrument__municipality_id=municipality_id
        ).values_list("instrument_id", "category_id", "category__name"):
            categories_of[instrument_id].append((category_id, name))

    members, total_members, categories = _cohort(
        dimension=dimension,
        population=population,
        cohort_clients=cohort_clients,
        clients=clients,
        start=period_start,
        end=period_end,
        starts=starts,
        instrument_names=instrument_names,
        categories_of=categories_of,
    )

    periods: dict[uuid.UUID, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for client_id, start, end in (
        BenefitPeriod.objects.filter(client_id__in=cohort_ids)
        .order_by()
        .values_list("client_id", "start_date", "end_date")
    ):
        periods[client_id].append((start, end))

    # What happened to the cohort since the earliest index date (ladder changes need the rung on
    # the index date: the stream gives each change with the rung before it).
    histories = _histories(
        outcome_events(municipality_id=municipality_id, client_ids=cohort_ids, since=period_start)
    )

    count_args = {
        "histories": histories,
        "periods": periods,
        "with_goal": with_goal,
        "participants": participants,
        "reference_date": reference_date,
    }
    raw = monitor_counts(members=members, **count_args)  # type: ignore[arg-type]
    partition = dimension in PARTITIONS
    if partition:
        # The rows split the cohort: the total row is their sum, no second pass needed.
        raw_total: dict[Hashable, int] = defaultdict(int)
        for key, value in raw.items():
            raw_total[(*key[:-1], TOTAL)] += value  # type: ignore[index]
    else:
        raw_total = monitor_counts(members=total_members, **count_args)  # type: ignore[arg-type]
    for key, value in list(raw_total.items()):
        raw[key] = value  # keys end in TOTAL: no clash with the rows
    codes = [c.code for c in categories]
    if dimension == MonitorDimension.TOTAL:
        codes, categories = [], []
    counts, hidden = suppress_monitor(raw, codes, partition=partition, min_cell=min_cell)

    def cell(key: Hashable) -> Cell:
        if key in hidden:
            return Cell(value=None, suppressed=hidden[key])
        return Cell(value=counts[key])

    def row(category: Category) -> MonitorRow:
        code = category.code
        measurable = cell(("base", MEASURABLE, horizon, code))
        return MonitorRow(
            category=category,
            reach=cell(("reach", code)),
            participants=cell(("part", code)),
            measurable=measurable,
            indicators=[
                IndicatorCell(
                    count=cell(("n", i.code, horizon, code)),
                    base=cell(("base", i.base, horizon, code)),
                    not_yet=_not_yet(counts, i, horizon, code),
                )
                for i in INDICATORS
            ],
        )

    total_label = (
        _("Alle deelnemers (elke cliënt één keer)")
        if not partition
        else _("Alle bereikte cliënten")
    )
    rows = [row(c) for c in categories]
    total = row(Category(TOTAL, total_label))
    shown_hidden = any(
        c.hidden
        for r in [*rows, total]
        for c in [r.reach, r.participants, r.measurable, *(i.count for i in r.indicators)]
    ) or any(i.base.hidden for r in [*rows, total] for i in r.indicators)

    to_work = to_work_years(
        counts=to_work_counts(
            population=population, municipality_id=municipality_id, reference_date=reference_date
        ),
        reference_date=reference_date,
        targets=targets or {},
    )
    return Monitor(
        period_start=period_start,
        period_end=period_end,
        dimension=dimension,
        horizon=horizon,
        reference_date=reference_date,
        rows=rows,
        total=total,
        indicators=INDICATORS,
        chart=_indicator_chart(total, horizon, period_start, period_end),
        to_work=to_work,
        to_work_chart=_to_work_chart(to_work),
        measurable_from=_last_measurable_index(reference_date, horizon),
        has_suppressed=shown_hidden,
        dimension_label=MonitorDimension(dimension).label,
    )


def _not_yet(counts: dict[Hashable, int], indicator: Indicator, horizon: int, code: str) -> bool:
    """Nobody in the row can be measured yet: their horizon (and for a durable exit the 12
    months after it) has not passed. Zero counts are never hidden, so this reveals nothing."""
    if counts["reach", code] == 0 or counts["base", indicator.base, horizon, code] > 0:
        return False
    if counts["base", MEASURABLE, horizon, code] == 0:
        return True
    return indicator.base == ON_BENEFIT_DURABLE and counts["base", ON_BENEFIT, horizon, code] > 0


def _last_measurable_index(reference_date: dt.date, horizon: int) -> dt.date:
    """The latest index date whose horizon has passed on the reference date."""
    day = add_months(reference_date, -horizon)
    while add_months(day + dt.timedelta(days=1), horizon) <= reference_date:
        day += dt.timedelta(days=1)
    return day


def _indicator_chart(total: MonitorRow, horizon: int, start: dt.date, end: dt.date) -> BarChart:
    items: list[tuple[str, Cell]] = []
    for indicator, value in zip(INDICATORS, total.indicators, strict=True):
        items.append(
            (
                f"{indicator.label}: {_('gemeten')}",
                Shown(value=value.percent, text=value.text),
            )
        )
        if indicator.benchmark_percent is not None:
            items.append(
                (
                    f"{indicator.label}: {_('praktijk')}",
                    Shown(
                        value=indicator.benchmark_percent,
                        text=f"{indicator.benchmark_percent}%",
                    ),
                )
            )
    return bar_chart(
        chart_id="grafiek-monitor",
        title=_("Indicatoren binnen %(months)s maanden, naast de praktijkcijfers")
        % {"months": horizon},
        description=_(
            "Staafdiagram: per indicator het gemeten percentage van alle cliënten die tussen "
            "%(start)s en %(end)s zijn bereikt, en waar de praktijkvoorbeelden een cijfer noemen "
            "dat cijfer eronder. De aantallen staan in de tabel naast het diagram."
        )
        % {"start": date_format(start, "j F Y"), "end": date_format(end, "j F Y")},
        items=items,
    )


# --- naar werk uit de bijstand (the +500) -------------------------------------------------------


def _small_suppressed(count: int) -> Cell:
    # A count on its own: only the primary rule applies (no line to compute it back from).
    return Cell(value=None, suppressed=SMALL) if 0 < count < MIN_CELL else Cell(value=count)


def to_work_counts(
    *, population: QuerySet[Client], municipality_id: Any, reference_date: dt.date
) -> dict[int, int]:
    """Clients who left the bijstand for work or an own business, per calendar year of the end
    date (a client counts once a year), for the last TO_WORK_YEARS years up to the reference
    date: the benefit ends of the outcome stream, counted by the database in one query."""
    first_year = reference_date.year - TO_WORK_YEARS + 1
    rows = (
        BenefitPeriod.objects.filter(
            client_id__in=population.filter(municipality_id=municipality_id).values("pk"),
            end_reason__in=TO_WORK_REASONS,
            end_date__gte=dt.date(first_year, 1, 1),
            end_date__lte=reference_date,
        )
        .order_by()
        .annotate(year=ExtractYear("end_date"))
        .values("year")
        .annotate(clients=Count("client_id", distinct=True))
        .values_list("year", "clients")
    )
    return dict(rows)


def to_work_years(
    *, counts: dict[int, int], reference_date: dt.date, targets: dict[int, int]
) -> list[ToWorkYear]:
    """The last TO_WORK_YEARS years' counts (`to_work_counts`), suppressed, with the targets."""
    first_year = reference_date.year - TO_WORK_YEARS + 1
    return [
        ToWorkYear(
            year=year,
            count=_small_suppressed(counts.get(year, 0)),
            target=targets.get(year),
            partial=year == reference_date.year,
        )
        for year in range(first_year, reference_date.year + 1)
    ]


def _to_work_chart(years: list[ToWorkYear]) -> BarChart:
    items: list[tuple[str, Cell]] = []
    for year in years:
        items.append((f"{year.year}: {_('naar werk')}", year.count))
        if year.target is not None:
            items.append((f"{year.year}: {_('doel')}", Cell(value=year.target)))
    return bar_chart(
        chart_id="grafiek-naar-werk",
        title=_("Naar werk uit de bijstand per jaar, naast het doel"),
        description=_(
            "Staafdiagram: per kalenderjaar het aantal cliënten van wie de uitkering eindigde "
            "door werk of een eigen bedrijf, en het doel van dat jaar als het is vastgesteld. "
            "Dezelfde cijfers staan in de tabel naast het diagram."
        ),
        items=items,
    )
