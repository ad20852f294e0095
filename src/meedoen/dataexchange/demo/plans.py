"""Demo plans, reviews and enrolments: "één gezin, één plan", with a planted effect per instrument.

For about PLAN_SHARE of the assigned households whose members had a conversation, a plan starts
two to ten weeks after the household's first conversation. Everything follows from the *first*
profile of each member (the situation before the plan: what issue 7 may use as covariates):

- **Goals** (1 to 3 per member) in the ZRM domains where the obstacles and the low scores
  are, linked to the obstacle that led to them; **steps** (2 to 5 per goal) for the client, the
  coach or a partner organisation (the one involved with the household for that topic, else
  the registry's organisation of that kind); statuses consistent with the dates.
- **Enrolments** in the demo catalogue for members with a goal in the instrument's domains.
  Selection depends on the member: the instrument must fit (language obstacle → taalcursus,
  debts → schuldhulp, work-ready → jobcoach …, target groups such as 50-plus) and younger
  members, higher on the ladder, with better ZRM scores are enrolled more often — the selection
  bias that the effect evaluation (issue 7) must correct for. Each instrument's places are shared
  first come, first served: at no moment have more than `capacity` started, and the rest waits.
- **Reviews** every three months: per running goal achieved / partly / not / adjusted. The chance
  of "achieved" at a review depends on the ladder rung, the ZRM scores, age and severe obstacles,
  and on a **planted effect** (PLANTED_EFFECTS, added to the log-odds) once the member has started
  in an instrument for that goal's domain. `Sport en bewegen` has no effect: a placebo for the
  estimators. The true effect on the treated (with the same random draws, the instrument's effect
  taken away) is returned per instrument.
- **Versions**: version 1 is the plan as made (every goal and step open), version 2 the plan as it
  stands now, at its last change; the JSON is the one `plans.services._goal_json` writes (tested).

Written with COPY on PostgreSQL and executemany on SQLite (dataexchange/bulk.py) in one
transaction with one audit row. Deterministic with the seed and today (ids aside). Run once, after
the instrument catalogue; a second run adds nothing. Relapses are the contact history's.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
import random
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.models import Assignment
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import HouseholdMembership
from meedoen.dataexchange.bulk import BulkWriter
from meedoen.instruments.constants import EnrolmentResult as R
from meedoen.instruments.constants import EnrolmentStatus as E
from meedoen.instruments.constants import InstrumentKind as K
from meedoen.instruments.constants import StopReason as S
from meedoen.instruments.constants import TargetGroup as T
from meedoen.instruments.models import Enrolment, Instrument, InstrumentTargetGroup
from meedoen.partners.constants import InvolvementTopic, OrganisationKind
from meedoen.partners.models import Involvement, Organisation
from meedoen.plans.constants import (
    DEFAULT_REVIEW_INTERVAL_MONTHS,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    PlanChange,
    StepStatus,
)
from meedoen.plans.models import (
    Goal,
    Plan,
    PlanVersion,
    PlanVersionMember,
    Review,
    ReviewOutcome,
    Step,
)
from meedoen.plans.services import months_after
from meedoen.profiles.models import Conversation, Obstacle, ZrmAssessment

PLAN_SHARE = 0.80  # of the assigned households with a conversation
SKIPPED_REVIEW_SHARE = 0.12  # the last review is not held yet: overdue on the start page
MAX_ENROLMENTS = 3  # per member
# Chance of a second resp. third instrument for a member who is enrolled and has more that fit.
EXTRA_ENROLMENT = (0.6, 0.3)
WITHDRAWN_SHARE = 0.06  # of requests: "afgezien" before the start
# Selection into an instrument that fits (log-odds): younger, higher on the ladder, better ZRM.
# A municipality that runs a programme enrols most members for whom something fits (about
# three in five): with fewer, most instruments have too few participants for an effect report.
# Much higher, and nearly everyone is enrolled: the selection on characteristics fades.
SELECTION_BASE = 0.8
# Requests lie in the plan's first REQUEST_DAYS, most of them early (at the start or after the
# first reviews): the day is REQUEST_DAYS * u**REQUEST_SKEW for a uniform u.
REQUEST_DAYS = 540
REQUEST_SKEW = 2.0
# Achieving a goal at one review (log-odds), before the planted effect.
ACHIEVE_BASE = -1.75

# The planted effect of having started in an instrument, added to the log-odds of achieving a
# goal in one of its domains at each later review (ground truth for issue 7, demo-data.md).
PLANTED_EFFECTS: dict[str, float] = {
    K.JOB_APPLICATION_TRAINING: 0.5,
    K.JOB_COACH: 0.9,
    K.EDUCATION: 0.7,
    K.LANGUAGE_COURSE: 0.8,
    K.WORK_EXPERIENCE: 0.7,
    K.VOLUNTEERING: 0.3,
    K.PARTICIPATION_PLACEMENT: 0.5,
    K.DEBT_COUNSELLING: 0.9,
    K.BUDGET_COURSE: 0.4,
    K.MENTAL_HEALTH: 0.6,
    K.SPORT: 0.0,  # a placebo: an estimator that finds an effect here is biased
    K.OTHER: 0.5,
}
WORK = "werk_opleiding"
DOMAINS_BY_KIND: dict[str, frozenset[str]] = {
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
# The ZRM domain a goal about an obstacle lies in.
DOMAIN_OF_OBSTACLE = {
    "schulden": "financien",
    "psychische_gezondheid": "geestelijke_gezondheid",
    "lichamelijke_gezondheid": "lichamelijke_gezondheid",
    "taal": WORK,
    "kinderopvang": "huiselijke_relaties",
    "mantelzorg": "huiselijke_relaties",
    "huisvesting": "huisvesting",
    "mobiliteit": "maatschappelijke_participatie",
    "verslaving": "middelengebruik",
    "justitie": "justitie",
    "zelfvertrouwen": "geestelijke_gezondheid",
    "wantrouwen": "maatschappelijke_participatie",
    "digitale_vaardigheden": "instrumentele_adl",
}
# Which involvement topic, and else which kind of registry organisation, takes a partner step.
PARTNER_OF_DOMAIN: dict[str, tuple[str, str]] = {
    "financien": (InvolvementTopic.DEBTS, OrganisationKind.DEBT_COUNSELLING),
    "geestelijke_gezondheid": (InvolvementTopic.MENTAL_HEALTH, OrganisationKind.MENTAL_HEALTH),
    "huisvesting": (InvolvementTopic.HOUSING, OrganisationKind.HOUSING_CORPORATION),
    WORK: (InvolvementTopic.WORK, OrganisationKind.REINTEGRATION),
    "middelengebruik": (InvolvementTopic.ADDICTION, OrganisationKind.ADDICTION_CARE),
}

# Goal texts per domain: (text, obstacle it suits or "" for any).
GOALS: dict[str, list[tuple[str, str]]] = {
    "financien": [
        ("Een stabiele betalingsregeling voor alle schulden.", "schulden"),
        ("Overzicht over inkomsten en uitgaven, zonder nieuwe achterstanden.", ""),
    ],
    WORK: [
        ("Nederlands op niveau A2 halen.", "taal"),
        ("Een betaalde baan van minstens 16 uur per week.", ""),
        ("Een werkervaringsplek of een opleiding vinden die past.", ""),
    ],
    "tijdsbesteding": [("Een vaste dagbesteding, drie dagdelen per week.", "")],
    "huisvesting": [("Een betaalbare, passende woning zonder huurachterstand.", "")],
    "huiselijke_relaties": [
        ("Kinderopvang geregeld, zodat er tijd is voor werk of scholing.", "kinderopvang"),
        ("De zorg voor familie beter verdeeld.", "mantelzorg"),
        ("Meer rust in huis.", ""),
    ],
    "geestelijke_gezondheid": [
        ("Grip op spanning en stemming, met hulp die past.", ""),
        ("Meer zelfvertrouwen om nieuwe dingen te proberen.", "zelfvertrouwen"),
    ],
    "lichamelijke_gezondheid": [("Fitter worden: twee keer per week bewegen.", "")],
    "middelengebruik": [("Minder gebruiken, met steun van de verslavingszorg.", "")],
    "basale_adl": [("De dagelijkse zelfzorg weer op orde.", "")],
    "instrumentele_adl": [
        ("Zelf DigiD, mail en online formulieren gebruiken.", "digitale_vaardigheden"),
        ("Zelf de post en de afspraken bijhouden.", ""),
    ],
    "sociaal_netwerk": [("Meer mensen om op terug te vallen.", "")],
    "maatschappelijke_participatie": [
        ("Vrijwilligerswerk of een vaste activiteit in de wijk.", ""),
        ("Zelfstandig met fiets of ov naar afspraken.", "mobiliteit"),
    ],
    "justitie": [("Afspraken met de reclassering nakomen.", "")],
}
# Steps per domain: (text, owner). A partner step without a fitting organisation is the coach's.
C, M, P = OwnerKind.CLIENT, OwnerKind.COACH, OwnerKind.PARTNER
STEPS: dict[str, list[tuple[str, str]]] = {
    "financien": [
        ("Alle post over geld in één map verzamelen.", C),
        ("Samen een overzicht van inkomsten en vaste lasten maken.", M),
        ("Aanmelden bij de schuldhulpverlening.", M),
        ("Intakegesprek over de schulden en een betalingsregeling.", P),
        ("Toeslagen controleren en wijzigingen doorgeven.", C),
    ],
    WORK: [
        ("Cv bijwerken.", C),
        ("Drie vacatures uitzoeken die passen.", C),
        ("Gesprek met het werkgeversservicepunt voorbereiden.", M),
        ("Kennismaken bij het re-integratiebedrijf.", P),
        ("Proefplaatsing of meeloopdag regelen.", P),
        ("Kinderopvang of reistijd regelen voor de werkdagen.", C),
    ],
    "tijdsbesteding": [
        ("Een weekrooster maken met vaste momenten.", C),
        ("Kennismaken bij het buurthuis.", M),
        ("Twee weken lang het rooster volgen.", C),
    ],
    "huisvesting": [
        ("Inschrijven als woningzoekende.", C),
        ("Huurachterstand bespreken met de corporatie.", P),
        ("Urgentie navragen bij de gemeente.", M),
    ],
    "huiselijke_relaties": [
        ("Opvang of naschoolse opvang uitzoeken.", C),
        ("Kinderopvangtoeslag aanvragen.", C),
        ("Gesprek met het wijkteam over de zorg thuis.", M),
    ],
    "geestelijke_gezondheid": [
        ("Naar de huisarts voor een verwijzing.", C),
        ("Intakegesprek bij de GGZ.", P),
        ("Samen bespreken wat helpt bij spanning.", M),
        ("Wekelijks een wandeling of ander rustmoment.", C),
    ],
    "lichamelijke_gezondheid": [
        ("Afspraak bij de huisarts maken.", C),
        ("Sportpas aanvragen.", M),
        ("Twee keer per week bewegen, vier weken lang.", C),
    ],
    "middelengebruik": [
        ("Gesprek over gebruik en wat de cliënt wil.", M),
        ("Intake bij de verslavingszorg.", P),
        ("Een dagboek bijhouden van gebruik.", C),
    ],
    "basale_adl": [
        ("Vaste tijden voor opstaan en eten.", C),
        ("Thuiszorg of wijkteam inschakelen.", M),
    ],
    "instrumentele_adl": [
        ("DigiD aanvragen en activeren.", C),
        ("Cursus digitale vaardigheden zoeken.", M),
        ("Samen een afsprakenkalender inrichten.", M),
    ],
    "sociaal_netwerk": [
        ("Drie mensen noemen om hulp te vragen.", C),
        ("Meedoen aan een activiteit van het buurthuis.", C),
        ("Contact leggen met een maatjesproject.", M),
    ],
    "maatschappelijke_participatie": [
        ("Gesprek bij de vrijwilligerscentrale.", M),
        ("Een plek uitkiezen en kennismaken.", C),
        ("Na een maand samen terugkijken.", M),
    ],
    "justitie": [
        ("Afspraken met de reclassering op een rij zetten.", M),
        ("Elke afspraak met de reclassering nakomen.", C),
    ],
}
REVIEW_NOTES = (
    "",
    "",
    "Het gaat stap voor stap vooruit.",
    "Doelen besproken; de cliënt wil door met dezelfde aanpak.",
    "Een moeilijke periode gehad; doelen aangepast aan wat nu haalbaar is.",
)
OUTCOME_NOTES: dict[str, str] = {
    GoalStatus.ACHIEVED: "Behaald; de cliënt is er trots op.",
    GoalStatus.PARTLY: "Een deel is gelukt.",
    GoalStatus.NOT_ACHIEVED: "Nog niet gelukt.",
    GoalStatus.ADJUSTED: "Het doel is kleiner gemaakt.",
}
WORK_KINDS = frozenset(
    {K.JOB_APPLICATION_TRAINING, K.JOB_COACH, K.EDUCATION, K.WORK_EXPERIENCE, K.OTHER}
)
LOW_DUTCH = frozenset({"geen", "A1", "A2"})
HIGH_EDUCATION = frozenset({"havo_vwo", "hbo", "wo", "buitenland_onbekend"})
LOW_EDUCATION = frozenset({"geen", "basisonderwijs", "praktijkonderwijs"})
STEP_HAS_ENROLMENT = any(f.name == "enrolment" for f in Step._meta.concrete_fields)


@dataclass
class _Member:
    client_id: Any
    number: str
    date_of_birth: dt.date
    first_day: dt.date
    ladder: int
    potential: int
    readiness: str
    dutch: str
    education: str
    zrm: dict[str, int] = field(default_factory=dict)
    obstacles: dict[str, int] = field(default_factory=dict)
    single_parent: bool = False

    def age(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def zrm_mean(self) -> float:
        return sum(self.zrm.values()) / len(self.zrm) if self.zrm else 3.0

    @property
    def severe(self) -> int:
        return sum(1 for severity in self.obstacles.values() if severity >= 2)


@dataclass
class _Instrument:
    id: Any
    name: str
    kind: str
    capacity: int | None
    weeks: int
    groups: frozenset[str]
    domains: frozenset[str]


@dataclass
class _Enrolment:
    id: str
    instrument: _Instrument
    member: _Member
    household_id: Any
    coach_id: Any
    coach_name: str
    requested_on: dt.date
    requested_minute: int
    status: str = E.REQUESTED
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    stop_reason: str = ""
    result: str = ""
    end_note: str = ""
    linked: bool = False  # a plan step points at it


@dataclass
class _Goal:
    id: str
    member: _Member
    domain: str
    what: str
    obstacle: str
    author_kind: str
    position: int
    due_on: dt.date
    draws: list[tuple[float, float]] = field(default_factory=list)
    # Filled by the review simulation.
    status: str = GoalStatus.OPEN
    achieved_on: dt.date | None = None
    closed_on: dt.date | None = None
    results: dict[int, str] = field(default_factory=dict)


@dataclass
class PlanStats:
    plans: int = 0
    members: int = 0
    goals: int = 0
    steps: int = 0
    reviews: int = 0
    outcomes: int = 0
    versions: int = 0
    enrolments: int = 0
    achieved_goals: int = 0
    members_achieved: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    # Per instrument name: started members, and the true effect on the treated (share with a
    # goal achieved, minus the share without the instrument's effect, same random draws).
    truth: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plans": self.plans,
            "members": self.members,
            "goals": self.goals,
            "steps": self.steps,
            "reviews": self.reviews,
            "outcomes": self.outcomes,
            "versions": self.versions,
            "enrolments": self.enrolments,
        }


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _hyphenated(hex_id: str) -> str:
    """The id as str(uuid.UUID(...)) writes it, the form of the ids in a plan version's JSON."""
    h = hex_id
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Reading what the plans follow from -----------------------------------------------------------


def _members(municipality: Municipality) -> dict[Any, list[_Member]]:
    """Per household, its current members with their first profile (the situation before the
    plan), in client number order. Four queries."""
    earlier = Conversation.objects.filter(
        client_id=OuterRef("client_id"), date__lt=OuterRef("date")
    )
    first = Conversation.objects.filter(
        municipality=municipality, client__household__isnull=False
    ).exclude(Exists(earlier))
    current = dict(
        HouseholdMembership.objects.filter(
            household__municipality=municipality, end_date__isnull=True
        ).values_list("client_id", "household_id")
    )
    by_profile: dict[Any, _Member] = {}
    households: dict[Any, list[_Member]] = defaultdict(list)
    rows = first.order_by("client__client_number").values_list(
        "client_id",
        "client__client_number",
        "client__date_of_birth",
        "date",
        "profile__id",
        "profile__ladder_current",
        "profile__ladder_potential",
        "profile__work_readiness",
        "profile__dutch_level",
        "profile__education_level",
    )
    for client_id, number, born, day, profile_id, ladder, potential, ready, dutch, edu in rows:
        household_id = current.get(client_id)
        if household_id is None or profile_id is None:
            continue
        member = _Member(
            client_id, number, born, day, ladder or 1, potential or 1, ready, dutch, edu
        )
        by_profile[profile_id] = member
        households[household_id].append(member)
    for profile_id, domain, score in ZrmAssessment.objects.filter(
        profile__conversation__in=first, score__isnull=False
    ).values_list("profile_id", "domain", "score"):
        if profile_id in by_profile and score is not None:
            by_profile[profile_id].zrm[domain] = score
    for profile_id, category, severity in Obstacle.objects.filter(
        profile__conversation__in=first
    ).values_list("profile_id", "category", "severity"):
        if profile_id in by_profile:
            by_profile[profile_id].obstacles[category] = severity
    # A single parent: one adult with children in the household.
    roles: dict[Any, Counter[str]] = defaultdict(Counter)
    for household_id, role in HouseholdMembership.objects.filter(
        household__municipality=municipality, end_date__isnull=True
    ).values_list("household_id", "role"):
        roles[household_id][role] += 1
    for household_id, members in households.items():
        count = roles[household_id]
        adults = count[HouseholdRole.APPLICANT] + count[HouseholdRole.PARTNER]
        if adults == 1 and count[HouseholdRole.CHILD]:
            for member in members:
                member.single_parent = True
    return households


def _instruments(municipality: Municipality) -> list[_Instrument]:
    groups: dict[Any, set[str]] = defaultdict(set)
    for instrument_id, code in InstrumentTargetGroup.objects.filter(
        instrument__municipality=municipality
    ).values_list("instrument_id", "code"):
        groups[instrument_id].add(code)
    return [
        _Instrument(
            id=pk,
            name=name,
            kind=kind,
            capacity=capacity,
            weeks=weeks or 26,
            groups=frozenset(groups[pk]),
            domains=DOMAINS_BY_KIND.get(kind, frozenset()),
        )
        for pk, name, kind, capacity, weeks in Instrument.objects.filter(
            municipality=municipality, is_active=True
        )
        .order_by("name")
        .values_list("id", "name", "kind", "capacity", "usual_duration_weeks")
    ]


def _partners(municipality: Municipality) -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    """Per household the organisation involved per topic, and the registry's first active
    organisation per kind (by name)."""
    involved: dict[Any, dict[str, Any]] = defaultdict(dict)
    for household_id, topic, organisation_id in (
        Involvement.objects.filter(household__municipality=municipality, end_date__isnull=True)
        .order_by("start_date", "id")
        .values_list("household_id", "topic", "organisation_id")
    ):
        involved[household_id].setdefault(topic, organisation_id)
    by_kind: dict[str, Any] = {}
    for pk, kind in (
        Organisation.objects.filter(municipality=municipality, is_active=True)
        .order_by("name")
        .values_list("id", "kind")
    ):
        by_kind.setdefault(kind, pk)
    return involved, by_kind


# The causal model ------------------------------------------------------------------------------


def _fits(instrument: _Instrument, m: _Member, age: int) -> tuple[bool, bool]:
    """Whether the instrument suits the member at all, and whether a specific target group of
    it (not "everyone") matches them."""
    kind, o = instrument.kind, m.obstacles
    needs: dict[str, bool] = {
        K.JOB_APPLICATION_TRAINING: m.readiness in {"werkfit", "met_ondersteuning"},
        K.JOB_COACH: m.readiness in {"werkfit", "met_ondersteuning"} and m.ladder >= 3,
        K.EDUCATION: m.readiness != "nog_niet" or "digitale_vaardigheden" in o,
        K.LANGUAGE_COURSE: "taal" in o,
        K.WORK_EXPERIENCE: 2 <= m.ladder <= 4,
        K.VOLUNTEERING: m.ladder <= 3 or "taal" in o,
        K.PARTICIPATION_PLACEMENT: m.ladder <= 3,
        K.DEBT_COUNSELLING: "schulden" in o,
        K.BUDGET_COURSE: "schulden" in o,
        K.MENTAL_HEALTH: "psychische_gezondheid" in o or "zelfvertrouwen" in o,
        K.SPORT: "lichamelijke_gezondheid" in o or m.zrm.get("lichamelijke_gezondheid", 5) <= 3,
        K.OTHER: True,
    }
    need = needs.get(kind, False)
    if not need:
        return False, False
    match: dict[str, bool] = {
        T.REFUGEES: "taal" in o or m.education == "buitenland_onbekend",
        T.HIGHLY_EDUCATED: m.education in HIGH_EDUCATION,
        T.MENTAL_HEALTH: "psychische_gezondheid" in o,
        T.OVER_50: age >= 50,
        T.YOUNG_PEOPLE: age < 30,
        T.SINGLE_PARENTS: m.single_parent,
        T.LOW_LITERACY: m.dutch in LOW_DUTCH or m.education in LOW_EDUCATION,
        T.DISABILITY: "lichamelijke_gezondheid" in o,
        T.DEBTS: "schulden" in o,
    }
    specific = any(match.get(group, False) for group in instrument.groups)
    open_to_all = bool(instrument.groups & {T.EVERYONE, T.LONG_TERM})
    return specific or open_to_all, specific


def selection_logit(m: _Member, age: int, specific: bool) -> float:
    """Log-odds that a member for whom an instrument fits is enrolled in it: the coach's
    choice, which favours the young, those higher on the ladder and with better ZRM scores."""
    return (
        SELECTION_BASE
        + 0.045 * (40 - age)
        + 0.6 * (m.ladder - 3)
        + 0.45 * (m.zrm_mean - 3)
        + (0.6 if specific else 0.0)
    )


def achieve_logit(m: _Member, age: int, domain: str) -> float:
    """Log-odds of achieving a goal at one review, without any instrument."""
    score = m.zrm.get(domain)
    return (
        ACHIEVE_BASE
        + 0.35 * (m.ladder - 3)
        + 0.45 * (m.zrm_mean - 3)
        + (0.25 * (score - 3) if score is not None else 0.0)
        - 0.02 * (age - 40)
        - 0.3 * m.severe
    )


def _simulate_goal(
    goal: _Goal, base: float, review_days: list[dt.date], boosts: list[tuple[dt.date, float]]
) -> tuple[str, int | None, dict[int, str]]:
    """A goal's review outcomes: (final status, index of the closing review, results by review
    index). `boosts`: (start date, effect) of each instrument for the goal's domain. The draws
    are fixed per goal and review, so the same goal can be replayed without an instrument."""
    results: dict[int, str] = {}
    misses = 0
    for index, day in enumerate(review_days):
        u_achieve, u_kind = goal.draws[index]
        logit = base + sum(effect for start, effect in boosts if start < day)
        if u_achieve < _sigmoid(logit):
            results[index] = GoalStatus.ACHIEVED
            return GoalStatus.ACHIEVED, index, results
        if u_kind < 0.45:
            result, misses = GoalStatus.PARTLY, 0
        elif u_kind < 0.8:
            result, misses = GoalStatus.NOT_ACHIEVED, misses + 1
        else:
            result, misses = GoalStatus.ADJUSTED, 0
        results[index] = result
        if misses >= 2 and u_kind > 0.7:
            # Twice not achieved: the coach drops the goal right after this review.
            return GoalStatus.DROPPED, index, results
    last = results[len(review_days) - 1] if review_days else GoalStatus.OPEN
    return last, None, results


def _goal_domains(m: _Member, rng: random.Random) -> list[tuple[str, str]]:
    """One to three (domain, obstacle) pairs: obstacles first by severity, then low ZRM scores, then
    work when the member is (nearly) work-ready or has room on the ladder."""
    scored: dict[str, tuple[float, str]] = {}
    for category, severity in m.obstacles.items():
        domain = DOMAIN_OF_OBSTACLE.get(category)
        if domain is None:
            continue
        score = severity + rng.random()
        if domain not in scored or scored[domain][0] < score:
            scored[domain] = (score, category)
    for domain, value in m.zrm.items():
        if value <= 2 and domain in GOALS:
            scored.setdefault(domain, (3 - value + rng.random() * 0.8, ""))
    if m.readiness in {"werkfit", "met_ondersteuning"} or m.potential > m.ladder:
        scored.setdefault(WORK, (1.2 + rng.random(), ""))
    if not scored:
        scored["maatschappelijke_participatie"] = (1.0, "")
    wanted = rng.choices((1, 2, 3), weights=(35, 45, 20))[0]
    ranked = sorted(scored.items(), key=lambda item: -item[1][0])[:wanted]
    return [(domain, obstacle) for domain, (_score, obstacle) in ranked]


def _goal_text(domain: str, obstacle: str, m: _Member, rng: random.Random) -> str:
    options = GOALS[domain]
    if domain == WORK and obstacle != "taal":
        work_ready = m.readiness == "werkfit" or m.ladder >= 4
        return options[1][0] if work_ready else options[2][0]
    suited = [text for text, fits in options if fits == obstacle]
    return suited[0] if suited else rng.choice([text for text, fits in options if not fits])


# Enrolments and the waiting list ---------------------------------------------------------------


def _place(enrolments: list[_Enrolment], today: dt.date, rng: random.Random) -> None:
    """Per instrument, first come first served: a request takes the first place that frees up
    (a heap of the moments each place is free again); a place that frees only after today
    leaves the request waiting, and everyone after it waits too. Sets status and dates."""
    by_instrument: dict[Any, list[_Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        by_instrument[enrolment.instrument.id].append(enrolment)
    never = dt.date.max
    for instrument_enrolments in by_instrument.values():
        instrument_enrolments.sort(key=lambda e: (e.requested_on, e.requested_minute, e.id))
        capacity = instrument_enrolments[0].instrument.capacity
        free: list[dt.date] = [dt.date.min] * capacity if capacity else []
        for e in instrument_enrolments:
            lead = dt.timedelta(days=rng.randint(7, 28))
            if rng.random() < WITHDRAWN_SHARE:
                ended = e.requested_on + dt.timedelta(days=rng.randint(3, 40))
                if ended <= today:
                    e.status, e.ended_on, e.stop_reason = E.STOPPED_EARLY, ended, S.WITHDRAWN
                    continue
            if capacity:
                slot = heapq.heappop(free)
                start = max(e.requested_on + lead, slot)
            else:
                slot, start = dt.date.min, e.requested_on + lead
            if start > today:
                if slot > today:
                    e.status = E.WAITING  # no place before today: the list is first come
                    heapq.heappush(free, slot)
                else:
                    e.status = E.REQUESTED  # a place set aside, the start is still ahead
                    if capacity:
                        heapq.heappush(free, never)
                continue
            e.started_on = start
            end = _finish(e, rng, today)
            if capacity:
                heapq.heappush(free, end)


def _finish(e: _Enrolment, rng: random.Random, today: dt.date) -> dt.date:
    """A started enrolment: how and when it ends (the end may lie ahead: still started)."""
    assert e.started_on is not None
    m, kind, weeks = e.member, e.instrument.kind, e.instrument.weeks
    e.status = E.STARTED  # until it ends, which may lie after today
    stop_chance = 0.15 + 0.06 * m.severe + (0.05 if m.ladder <= 2 else 0.0)
    if rng.random() < stop_chance:
        end = e.started_on + dt.timedelta(days=int(7 * weeks * rng.uniform(0.1, 0.7)))
        reasons = [(S.MOTIVATION, 3), (S.PERSONAL, 3), (S.NOT_SUITABLE, 2), (S.OTHER, 1)]
        if "lichamelijke_gezondheid" in m.obstacles or "psychische_gezondheid" in m.obstacles:
            reasons.append((S.HEALTH, 4))
        if kind in WORK_KINDS and m.ladder >= 4:
            reasons.append((S.FOUND_WORK, 3))
        reasons.append((S.LEFT_BENEFIT, 1))
        reason = rng.choices([r for r, _ in reasons], weights=[w for _, w in reasons])[0]
        if end <= today:
            e.status, e.ended_on, e.stop_reason = E.STOPPED_EARLY, end, reason
            e.result = R.FOUND_WORK if reason == S.FOUND_WORK else ""
            if reason == S.OTHER:  # the service asks a note for "other"
                e.end_note = "Gestopt om een andere reden; besproken met de cliënt."
        return end
    end = e.started_on + dt.timedelta(days=int(7 * weeks * rng.uniform(0.8, 1.2)))
    if end <= today:
        e.status, e.ended_on = E.FINISHED, end
        e.result = _result(kind, m, rng)
    return end


def _result(kind: str, m: _Member, rng: random.Random) -> str:
    if kind in {K.LANGUAGE_COURSE, K.EDUCATION}:
        return rng.choice((R.CERTIFICATE, R.CERTIFICATE, R.COMPLETED, R.PARTLY))
    if kind in WORK_KINDS:
        found = rng.random() < 0.1 + 0.08 * max(0, m.ladder - 2)
        return R.FOUND_WORK if found else rng.choice((R.COMPLETED, R.CONTINUED_ELSEWHERE))
    if kind in {K.VOLUNTEERING, K.PARTICIPATION_PLACEMENT}:
        return rng.choice((R.VOLUNTEERING, R.COMPLETED, R.NO_RESULT))
    return rng.choice((R.COMPLETED, R.COMPLETED, R.PARTLY, R.NO_RESULT))


# The plans -------------------------------------------------------------------------------------


@dataclass
class _Plan:
    id: str
    household_id: Any
    coach_id: Any
    coach_name: str
    start: dt.date
    members: list[_Member]
    goals: list[_Goal] = field(default_factory=list)
    enrolments: list[_Enrolment] = field(default_factory=list)


def _review_days(start: dt.date, today: dt.date, rng: random.Random) -> list[dt.date]:
    """Every three months after the start (a few days either way), up to today; now and then
    the last one is not held yet."""
    days: list[dt.date] = []
    number = 1
    while True:
        due = months_after(start, DEFAULT_REVIEW_INTERVAL_MONTHS * number)
        day = due + dt.timedelta(days=rng.randint(-7, 10))
        if day > today:
            break
        if not days or day > days[-1]:
            days.append(day)
        number += 1
    if days and rng.random() < SKIPPED_REVIEW_SHARE:
        days.pop()
    return days


def _draft(
    *,
    rng: random.Random,
    plan_id: str,
    household_id: Any,
    coach: tuple[Any, str],
    members: list[_Member],
    instruments: list[_Instrument],
    today: dt.date,
    new_id: Any,
) -> _Plan | None:
    """A plan's goals and its members' requests for instruments (not yet placed)."""
    start = min(m.first_day for m in members) + dt.timedelta(days=rng.randint(14, 70))
    if start >= today:
        return None
    plan = _Plan(plan_id, household_id, coach[0], coach[1], start, members)
    for m in members:
        age = m.age(start)
        domains = _goal_domains(m, rng)
        for position, (domain, obstacle) in enumerate(domains):
            plan.goals.append(
                _Goal(
                    id=new_id(),
                    member=m,
                    domain=domain,
                    what=_goal_text(domain, obstacle, m, rng),
                    obstacle=obstacle,
                    author_kind=AuthorKind.CLIENT if rng.random() < 0.08 else AuthorKind.COACH,
                    position=position,
                    due_on=start + dt.timedelta(days=rng.randint(180, 365)),
                )
            )
        # Instruments serve a goal: only those for one of the member's domains, and that fit.
        wanted = {domain for domain, _obstacle in domains}
        fitting = []
        for instrument in instruments:
            if instrument.domains & wanted:
                fits, specific = _fits(instrument, m, age)
                if fits:
                    fitting.append((instrument, specific))
        if not fitting:
            continue
        specific_match = any(specific for _i, specific in fitting)
        if rng.random() >= _sigmoid(selection_logit(m, age, specific_match)):
            continue
        count = 1
        for chance in EXTRA_ENROLMENT:
            if count < len(fitting) and rng.random() < chance:
                count += 1
        for _ in range(min(count, MAX_ENROLMENTS)):
            weights = [3.0 if specific else 1.0 for _i, specific in fitting]
            index = rng.choices(range(len(fitting)), weights=weights)[0]
            instrument, _specific = fitting.pop(index)
            # In the plan's first eighteen months, mostly early: at the start, or after a review.
            requested = start + dt.timedelta(days=int(REQUEST_DAYS * rng.random() ** REQUEST_SKEW))
            if requested >= today:
                break
            plan.enrolments.append(
                _Enrolment(
                    id=new_id(),
                    instrument=instrument,
                    member=m,
                    household_id=household_id,
                    coach_id=coach[0],
                    coach_name=coach[1],
                    requested_on=requested,
                    requested_minute=rng.randint(0, 7 * 60),
                )
            )
            if not fitting:
                break
    return plan


def _boosts(plan: _Plan, goal: _Goal, without: Any = None) -> list[tuple[dt.date, float]]:
    return [
        (e.started_on, PLANTED_EFFECTS.get(e.instrument.kind, 0.0))
        for e in plan.enrolments
        if e.member is goal.member
        and e.started_on is not None
        and goal.domain in e.instrument.domains
        and e.id != without
    ]


def _simulate(plan: _Plan, review_days: list[dt.date], rng: random.Random, stats: PlanStats) -> int:
    """Review outcomes per goal; returns how many reviews were held (they stop when no goal
    is running any more). Adds the instruments' true effect on the treated to `stats.truth`."""
    for goal in plan.goals:
        goal.draws = [(rng.random(), rng.random()) for _ in review_days]
    held = 0
    for goal in plan.goals:
        base = achieve_logit(goal.member, goal.member.age(plan.start), goal.domain)
        goal.status, closing, goal.results = _simulate_goal(
            goal, base, review_days, _boosts(plan, goal)
        )
        if closing is not None:
            goal.closed_on = review_days[closing]
            if goal.status == GoalStatus.ACHIEVED:
                goal.achieved_on = goal.closed_on
        if goal.results:
            held = max(held, max(goal.results) + 1)
    # Ground truth: each started member's outcome without that instrument, same draws.
    for e in plan.enrolments:
        if e.started_on is None:
            continue
        goals = [g for g in plan.goals if g.member is e.member]
        treated = any(g.status == GoalStatus.ACHIEVED for g in goals)
        untreated = False
        for goal in goals:
            base = achieve_logit(goal.member, goal.member.age(plan.start), goal.domain)
            status, _closing, _results = _simulate_goal(
                goal, base, review_days, _boosts(plan, goal, without=e.id)
            )
            untreated = untreated or status == GoalStatus.ACHIEVED
        cell = stats.truth.setdefault(e.instrument.name, {"treated": 0, "effect_sum": 0.0})
        cell["treated"] += 1
        cell["effect_sum"] += float(treated) - float(untreated)
    return held


@dataclass
class _StepDraft:
    id: str
    goal: _Goal
    description: str
    owner_kind: str
    organisation_id: Any
    due_on: dt.date
    status: str
    done_on: dt.date | None
    author_kind: str
    completed_by_kind: str
    position: int
    enrolment: _Enrolment | None = None
    added_on: dt.date | None = None  # later than the plan's start (an enrolment's step)
    organisation_name: str = ""


def _steps(
    plan: _Plan,
    goal: _Goal,
    *,
    rng: random.Random,
    today: dt.date,
    involved: dict[str, Any],
    registry: dict[str, Any],
    new_id: Any,
) -> list[_StepDraft]:
    m, start = goal.member, plan.start
    templates = STEPS[goal.domain]
    chosen = rng.sample(templates, k=min(len(templates), rng.randint(2, 5)))
    span = max(28, (goal.due_on - start).days)
    steps: list[_StepDraft] = []
    topic, kind = PARTNER_OF_DOMAIN.get(goal.domain, (InvolvementTopic.CARE, ""))
    partner = involved.get(topic) or registry.get(kind) or involved.get(InvolvementTopic.CARE)
    client_author = 0.08 + 0.03 * (m.ladder - 1)
    for position, (text, owner) in enumerate(chosen):
        organisation = partner if owner == P else None
        if owner == P and organisation is None:
            owner = M  # no organisation to name: the coach arranges it
        due = start + dt.timedelta(days=span * (position + 1) // (len(chosen) + 1))
        status, done_on = StepStatus.OPEN, None
        roll = rng.random()
        if goal.status == GoalStatus.ACHIEVED:
            assert goal.achieved_on is not None
            if roll < 0.85:
                status, done_on = StepStatus.DONE, max(start, min(due, goal.achieved_on))
            else:
                status = StepStatus.CANCELLED
        elif goal.status == GoalStatus.DROPPED:
            assert goal.closed_on is not None
            if due <= goal.closed_on and roll < 0.5:
                status, done_on = StepStatus.DONE, due
            else:
                status = StepStatus.CANCELLED
        elif due <= today:
            if roll < 0.6:
                late = due + dt.timedelta(days=rng.randint(-14, 21))
                status, done_on = StepStatus.DONE, max(start, min(late, today))
            elif roll < 0.68:
                status = StepStatus.CANCELLED
        elif roll < 0.15:
            status = StepStatus.DONE
            done_on = start + dt.timedelta(days=rng.randint(0, (today - start).days))
        done = status == StepStatus.DONE
        steps.append(
            _StepDraft(
                id=new_id(),
                goal=goal,
                description=text,
                owner_kind=owner,
                organisation_id=organisation,
                due_on=due,
                status=status,
                done_on=done_on,
                author_kind=AuthorKind.CLIENT if rng.random() < client_author else AuthorKind.COACH,
                completed_by_kind=(
                    (AuthorKind.CLIENT if owner == C and rng.random() < 0.6 else AuthorKind.COACH)
                    if done
                    else ""
                ),
                position=position,
            )
        )
    # The member's enrolment for this domain gets its own step, added when it was requested.
    for e in plan.enrolments:
        if e.member is not m or goal.domain not in e.instrument.domains or e.linked:
            continue
        if goal.closed_on is not None and goal.closed_on < e.requested_on:
            continue  # a closed goal takes no new steps
        e.linked = True
        status, done_on = StepStatus.OPEN, None
        if e.status == E.FINISHED:
            status, done_on = StepStatus.DONE, e.ended_on
        elif e.status == E.STOPPED_EARLY:
            status = StepStatus.CANCELLED
        steps.append(
            _StepDraft(
                id=new_id(),
                goal=goal,
                description=f"Meedoen met {e.instrument.name}.",
                owner_kind=C,
                organisation_id=None,
                due_on=e.started_on or e.requested_on + dt.timedelta(days=30),
                status=status,
                done_on=done_on,
                author_kind=AuthorKind.COACH,
                completed_by_kind=AuthorKind.COACH if done_on else "",
                position=len(steps),
                enrolment=e,
                added_on=e.requested_on,
            )
        )
    return steps


def _goal_json(goal: _Goal, steps: list[_StepDraft], *, initial: bool) -> dict[str, Any]:
    """What plans.services._goal_json writes for this goal: as made (`initial`: open, the steps
    of the start only) or as it stands."""

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    shown = [s for s in steps if not (initial and s.added_on)]
    step_rows = []
    for s in shown:
        row = {
            "id": _hyphenated(s.id),
            "description": s.description,
            "owner_kind": s.owner_kind,
            "organisation_id": str(s.organisation_id) if s.organisation_id else None,
            "organisation": s.organisation_name if s.organisation_id else "",
            "due_on": iso(s.due_on),
            "status": StepStatus.OPEN if initial else s.status,
            "done_on": None if initial else iso(s.done_on),
            "author_kind": s.author_kind,
            "completed_by_kind": "" if initial else s.completed_by_kind,
            "position": s.position,
        }
        if STEP_HAS_ENROLMENT:
            row["enrolment_id"] = _hyphenated(s.enrolment.id) if s.enrolment else None
            row["instrument"] = s.enrolment.instrument.name if s.enrolment else ""
        step_rows.append(row)
    return {
        "id": _hyphenated(goal.id),
        "domain": goal.domain,
        "what": goal.what,
        "due_on": iso(goal.due_on),
        "status": GoalStatus.OPEN if initial else goal.status,
        "achieved_on": None if initial else iso(goal.achieved_on),
        "obstacle": goal.obstacle,
        "ambition": "",
        "author_kind": goal.author_kind,
        "position": goal.position,
        "steps": step_rows,
    }


PLAN_FIELDS = (
    "id", "created_at", "updated_at", "version", "municipality_id", "household_id",
    "review_interval_months", "next_review_on", "created_by_id",
)  # fmt: skip
GOAL_FIELDS = (
    "id", "created_at", "updated_at", "plan_id", "member_id", "domain", "what", "due_on",
    "status", "achieved_on", "obstacle", "ambition", "author_kind", "position",
)  # fmt: skip
STEP_FIELDS = (
    "id", "created_at", "updated_at", "goal_id", "description", "owner_kind", "organisation_id",
    "due_on", "status", "done_on", "author_kind", "completed_by_kind", "position",
) + (("enrolment_id",) if STEP_HAS_ENROLMENT else ())  # fmt: skip
REVIEW_FIELDS = (
    "id", "created_at", "updated_at", "plan_id", "held_on", "note", "recorded_by_id",
    "recorded_by_name",
)  # fmt: skip
OUTCOME_FIELDS = ("id", "created_at", "updated_at", "review_id", "goal_id", "result", "note")
VERSION_FIELDS = (
    "id", "created_at", "updated_at", "plan_id", "number", "at", "change", "actor_name",
    "snapshot",
)  # fmt: skip
VERSION_MEMBER_FIELDS = ("version_id", "member_id", "goals")
ENROLMENT_FIELDS = (
    "id", "created_at", "updated_at", "version", "instrument_id", "client_id", "household_id",
    "status", "requested_at", "started_on", "ended_on", "stop_reason", "result", "note",
    "end_note", "created_by_id", "created_by_name",
)  # fmt: skip
CHUNK_PLANS = 1000


@transaction.atomic
def demo_plans_create(*, municipality: Municipality, seed: int, today: dt.date) -> PlanStats:
    """Plans, reviews and enrolments for the municipality's assigned households (run once,
    after the conversations, partners and instrument catalogue; nothing when it has plans)."""
    stats = PlanStats()
    if Plan.objects.filter(municipality=municipality).exists():
        return stats
    rng = random.Random(f"plans:{seed}")  # noqa: S311 - demo data, reproducible
    db = BulkWriter(connection)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def at(day: dt.date, hour: int, minute: int = 0) -> Any:
        moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        if db.is_postgresql:
            return moment.isoformat()
        return connection.ops.adapt_datetimefield_value(moment)

    households = _members(municipality)
    instruments = _instruments(municipality)
    involved, registry = _partners(municipality)
    names = {
        pk: name
        for pk, name in Organisation.objects.filter(municipality=municipality).values_list(
            "id", "name"
        )
    }
    assignments = (
        Assignment.objects.open()
        .filter(household__municipality=municipality)
        .order_by("household__reference")
        .values_list(
            "household_id", "coach_id", "coach__first_name", "coach__last_name", "coach__username"
        )
    )
    plans: list[_Plan] = []
    for household_id, coach_id, first, last, username in assignments:
        members = households.get(household_id)
        if not members or rng.random() >= PLAN_SHARE:
            continue
        coach = (coach_id, f"{first} {last}".strip() or username)
        plan = _draft(
            rng=rng,
            plan_id=db.new_id(),
            household_id=household_id,
            coach=coach,
            members=members,
            instruments=instruments,
            today=today,
            new_id=db.new_id,
        )
        if plan is not None:
            plans.append(plan)
    # Places are shared over all plans, first come first served: an own stream, so that the
    # number of plans does not shift the enrolments' durations.
    _place(
        [e for plan in plans for e in plan.enrolments],
        today,
        random.Random(f"enrolments:{seed}"),  # noqa: S311 - demo data, reproducible
    )

    municipality_id = municipality.pk.hex
    batches: dict[type, list[tuple[Any, ...]]] = defaultdict(list)

    def flush() -> None:
        for model, fields in (
            (Plan, PLAN_FIELDS),
            (Goal, GOAL_FIELDS),
            (Enrolment, ENROLMENT_FIELDS),
            (Step, STEP_FIELDS),
            (Review, REVIEW_FIELDS),
            (ReviewOutcome, OUTCOME_FIELDS),
            (PlanVersion, VERSION_FIELDS),
            (PlanVersionMember, VERSION_MEMBER_FIELDS),
        ):
            db.insert(model, fields, batches[model])
        batches.clear()

    now = db.now_db
    achieved_members: set[Any] = set()
    for index, plan in enumerate(plans):
        review_days = _review_days(plan.start, today, rng)
        held = _simulate(plan, review_days, rng, stats)
        review_days = review_days[:held]
        created = at(plan.start, 10)
        # Every event after the start, for the plan's last change (its current version).
        events: list[tuple[dt.date, str]] = [(day, PlanChange.REVIEW) for day in review_days]
        steps_of: dict[str, list[_StepDraft]] = {}
        for goal in plan.goals:
            steps = _steps(
                plan,
                goal,
                rng=rng,
                today=today,
                involved=involved.get(plan.household_id, {}),
                registry=registry,
                new_id=db.new_id,
            )
            steps_of[goal.id] = steps
            if goal.status == GoalStatus.DROPPED and goal.closed_on:
                events.append((goal.closed_on, PlanChange.GOAL_UPDATE))
            for s in steps:
                s.organisation_name = names.get(s.organisation_id, "")
                if s.added_on:
                    events.append((s.added_on, PlanChange.STEP_ADD))
                if s.done_on:
                    events.append((s.done_on, PlanChange.STEP_STATUS))
                elif s.status == StepStatus.CANCELLED:
                    events.append((min(today, max(plan.start, s.due_on)), PlanChange.STEP_STATUS))
                batches[Step].append(
                    (
                        s.id, at(s.added_on, 11) if s.added_on else created, now, goal.id,
                        s.description, s.owner_kind,
                        s.organisation_id.hex if s.organisation_id else None,
                        s.due_on.isoformat(), s.status, _iso(s.done_on), s.author_kind,
                        s.completed_by_kind, s.position,
                    )
                    + ((s.enrolment.id if s.enrolment else None,) if STEP_HAS_ENROLMENT else ())
                )  # fmt: skip
            batches[Goal].append(
                (
                    goal.id, created, now, plan.id, goal.member.client_id.hex, goal.domain,
                    goal.what, goal.due_on.isoformat(), goal.status, _iso(goal.achieved_on),
                    goal.obstacle, "", goal.author_kind, goal.position,
                )
            )  # fmt: skip
            stats.goals += 1
            stats.steps += len(steps)
            stats.statuses[goal.status] += 1
            if goal.status == GoalStatus.ACHIEVED:
                stats.achieved_goals += 1
                achieved_members.add(goal.member.client_id)
        for number, day in enumerate(review_days):
            review_id = db.new_id()
            batches[Review].append(
                (
                    review_id, at(day, 15), now, plan.id, day.isoformat(),
                    rng.choice(REVIEW_NOTES), plan.coach_id, plan.coach_name,
                )
            )  # fmt: skip
            for goal in plan.goals:
                result = goal.results.get(number)
                if result is None:
                    continue
                note = OUTCOME_NOTES[result] if rng.random() < 0.3 else ""
                batches[ReviewOutcome].append(
                    (db.new_id(), at(day, 15), now, review_id, goal.id, result, note)
                )
                stats.outcomes += 1
        stats.reviews += len(review_days)
        for e in plan.enrolments:
            minute = e.requested_minute
            batches[Enrolment].append(
                (
                    e.id, at(e.requested_on, 9 + minute // 60, minute % 60), now, 1,
                    e.instrument.id.hex, e.member.client_id.hex, plan.household_id.hex,
                    e.status, at(e.requested_on, 9 + minute // 60, minute % 60),
                    _iso(e.started_on), _iso(e.ended_on), e.stop_reason, e.result, "",
                    e.end_note, plan.coach_id, plan.coach_name,
                )
            )  # fmt: skip
        stats.enrolments += len(plan.enrolments)

        # Versions: as made, and (if anything happened since) as it stands at the last change.
        last_day, last_change = max(events) if events else (plan.start, PlanChange.CREATE)
        versions: list[tuple[int, Any, str, bool]] = [(1, created, PlanChange.CREATE, True)]
        if events:
            versions.append((2, at(last_day, 16), last_change, False))
        next_review = months_after(
            review_days[-1] if review_days else plan.start, DEFAULT_REVIEW_INTERVAL_MONTHS
        )
        snapshot = json.dumps(
            {
                "review_interval_months": DEFAULT_REVIEW_INTERVAL_MONTHS,
                "next_review_on": next_review.isoformat(),
            }
        )
        # The order of plans.selectors.goals_with_steps: by member's birth date and id.
        order = sorted(plan.members, key=lambda m: (m.date_of_birth, m.client_id))
        for number, moment, change, initial in versions:
            version_id = db.new_id()
            batches[PlanVersion].append(
                (
                    version_id, moment, now, plan.id, number, moment, change, plan.coach_name,
                    snapshot,
                )
            )  # fmt: skip
            for m in order:
                goals = [
                    _goal_json(g, steps_of[g.id], initial=initial)
                    for g in plan.goals
                    if g.member is m
                ]
                if goals:
                    batches[PlanVersionMember].append(
                        (version_id, m.client_id.hex, json.dumps(goals))
                    )
        stats.versions += len(versions)
        batches[Plan].append(
            (
                plan.id, created, versions[-1][1], len(versions), municipality_id,
                plan.household_id.hex, DEFAULT_REVIEW_INTERVAL_MONTHS, next_review.isoformat(),
                plan.coach_id,
            )
        )  # fmt: skip
        stats.plans += 1
        stats.members += len({g.member.client_id for g in plan.goals})
        if (index + 1) % CHUNK_PLANS == 0:
            flush()
    flush()
    stats.members_achieved = len(achieved_members)
    for cell in stats.truth.values():
        cell["effect"] = cell["effect_sum"] / cell["treated"]
    audit_record(
        actor=None,
        action="plans.demo.create",
        origin=Origin(channel="command"),
        purpose="demo",
        detail={**stats.as_dict(), "demo": True},
        municipality_code=municipality.code,
    )
    return stats


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
