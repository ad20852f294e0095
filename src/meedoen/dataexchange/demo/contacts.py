"""Demo contact history: years of contact moments, appointments and relapses per household.

For every household with a contact person (demo/caseloads.py), from the assignment's start — the
household's earliest running benefit, at most HISTORY_YEARS back — up to today:

- about 1% of households new in the caseload (assigned in the last two weeks, no contact yet);
- an intensity on the open assignment (20% high, 60% normal, 20% low), and a two-way contact
  rhythm that keeps within the team's weeks for it (on average ~3/4 of the allowed gap), with
  now and then a longer pause; for about STALE_SHARE of households the last contact is longer
  ago than allowed today, so the missing-contact signal shows for a realistic share;
- one-way contacts (messages, letters) in between; kinds, durations, practical help, other
  participants by role and short Dutch summaries from templates — no real persons;
- household members as participants; about 1% of contacts corrected by a later row;
- a planned appointment for ~60% of households (a few today or overdue), a relapse for ~5%;
- a CoachProfile per demo coach (languages, hours) and a CaseloadPolicy per team.

About 37 contact moments per client: ~100k at the default 2,700 clients, ~1 million at 27,000.
Written with COPY on PostgreSQL and executemany on SQLite (dataexchange/bulk.py), in one
transaction with one audit row. The same seed and today give the same history (ids aside).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Municipality, Team, User
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.constants import (
    DEFAULT_CONTACT_WEEKS,
    AppointmentStatus,
    ContactKind,
    ContactPurpose,
    Intensity,
    OtherParticipant,
    PracticalHelp,
)
from meedoen.caseload.models import (
    Appointment,
    Assignment,
    CaseloadPolicy,
    CoachProfile,
    ContactMoment,
    ContactParticipant,
    Relapse,
)
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.dataexchange.bulk import BulkWriter

HISTORY_YEARS = 4
STALE_SHARE = 0.10
NEW_SHARE = 0.01
APPOINTMENT_SHARE = 0.60
RELAPSE_SHARE = 0.05
CORRECTION_SHARE = 0.01
ONE_WAY_SHARE = 0.15
CHUNK_HOUSEHOLDS = 1000
# Weighted (low ½, normal 1, high 2) this puts a caseload of ~47 households at ~48 against the
# target of 50: some coaches just under it, part-timers over it, as in a real team.
INTENSITIES = ((Intensity.HIGH, 0.15), (Intensity.NORMAL, 0.6), (Intensity.LOW, 0.25))
TWO_WAY_KINDS = (
    (ContactKind.HOME_VISIT, 30),
    (ContactKind.PHONE, 35),
    (ContactKind.OFFICE, 20),
    (ContactKind.NEIGHBOURHOOD, 8),
    (ContactKind.VIDEO, 7),
)
ONE_WAY_KINDS = ((ContactKind.MESSAGE, 70), (ContactKind.LETTER, 30))
DURATIONS = {
    ContactKind.HOME_VISIT: (45, 90),
    ContactKind.PHONE: (5, 30),
    ContactKind.OFFICE: (30, 60),
    ContactKind.NEIGHBOURHOOD: (30, 60),
    ContactKind.VIDEO: (20, 45),
}
SUMMARIES = (
    "Besproken hoe de afgelopen weken zijn gegaan; het gaat redelijk.",
    "Samen de post doorgenomen en twee brieven beantwoord.",
    "Gesproken over vrijwilligerswerk in de wijk; cliënt denkt erover na.",
    "Stand van zaken rond de betalingsregeling met de schuldhulpverlening.",
    "Cliënt heeft een sollicitatiegesprek gehad; samen voorbereid op het vervolg.",
    "Zorgen over de gezondheid besproken; huisarts wordt gebeld.",
    "Taalcursus loopt; cliënt gaat twee keer per week.",
    "Afspraken uit het vorige gesprek nagelopen; de meeste zijn gedaan.",
    "Kinderopvang geregeld zodat de cliënt de training kan volgen.",
    "Gesprek over dagstructuur en een vaste ochtendroutine.",
    "Toeslagen gecontroleerd en een wijziging doorgegeven.",
    "Cliënt was gespannen over de woonsituatie; contact met de corporatie afgesproken.",
    "Kort telefonisch contact: alles loopt volgens plan.",
    "Bezoek aan het werkgeversservicepunt voorbereid.",
    "Cliënt meldt dat het beter gaat sinds de start bij het buurthuis.",
)
ONE_WAY_SUMMARIES = (
    "Herinnering voor de afspraak gestuurd.",
    "Brief met de gemaakte afspraken verstuurd.",
    "Bericht gestuurd; nog geen reactie.",
    "Informatie over de taalcursus toegestuurd.",
)
AGREEMENTS = (
    "Cliënt belt zelf de schuldhulpverlening.",
    "Volgende keer samen het formulier invullen.",
    "Klantregisseur vraagt na hoe het met de aanvraag staat.",
    "Cliënt gaat naar de informatiebijeenkomst.",
)
RELAPSE_NOTES = (
    "Terugval na het verlies van een tijdelijke baan.",
    "Nieuwe schulden ontstaan; betalingsregeling liep vast.",
    "Gezondheid verslechterd; activiteiten tijdelijk gestopt.",
)
LOCATIONS = ("Thuis", "Wijkcentrum", "Stadskantoor", "Bibliotheek")
# Languages of demo coaches besides Dutch, with their share: roughly the city's largest groups.
COACH_LANGUAGES = (
    ("en", 0.35),
    ("ar", 0.08),
    ("tr", 0.08),
    ("pl", 0.03),
    ("so", 0.02),
    ("ti", 0.02),
)
# Demo caseloads are shared out equally, so mostly full-time coaches: a 0.6 coach with 47
# households would show as 170% of target.
HOURS = ((1.0, 0.8), (0.9, 0.2))


@dataclass
class ContactStats:
    households: int = 0
    contacts: int = 0
    participants: int = 0
    corrections: int = 0
    appointments: int = 0
    relapses: int = 0
    coach_profiles: int = 0
    policies: int = 0


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    roll = rng.random() * sum(weight for _, weight in weighted)
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


@transaction.atomic
def demo_contacts_create(*, municipality: Municipality, seed: int, today: dt.date) -> ContactStats:
    """The contact history of every assigned household of the municipality (run once, right after
    the caseloads are assigned; households that already have contacts are skipped)."""
    rng = random.Random(f"contacts:{seed}")  # noqa: S311 - demo data, reproducible
    db = BulkWriter(connection)
    stats = ContactStats()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    oldest = today - dt.timedelta(days=int(HISTORY_YEARS * 365.25))

    stats.policies = _policies(municipality)
    # Own stream: the number of coaches must not shift the households' history.
    stats.coach_profiles = _coach_profiles(municipality, random.Random(f"coaches:{seed}"))  # noqa: S311
    weeks = _weeks_by_team(municipality)

    rows = list(
        Assignment.objects.open()
        .filter(household__municipality=municipality)
        .exclude(Exists(ContactMoment.objects.filter(household_id=OuterRef("household_id"))))
        .order_by("household__reference")
        .values_list(
            "id",
            "household_id",
            "coach_id",
            "coach__first_name",
            "coach__last_name",
            "coach__username",
            "coach__team_id",
        )
    )
    members: dict[Any, list[Any]] = defaultdict(list)
    for client_id, household_id in (
        Client.objects.filter(municipality=municipality, household__isnull=False)
        .order_by("sort_name", "client_number")
        .values_list("id", "household_id")
    ):
        members[household_id].append(client_id)
    starts: dict[Any, dt.date] = {}
    for household_id, start in BenefitPeriod.objects.filter(
        client__municipality=municipality, client__household__isnull=False, end_date__isnull=True
    ).values_list("client__household_id", "start_date"):
        if household_id not in starts or start < starts[household_id]:
            starts[household_id] = start

    def at(day: dt.date, hour: int, minute: int) -> str:
        moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        if db.is_postgresql:
            return moment.isoformat()
        return str(connection.ops.adapt_datetimefield_value(moment))

    def hex_id(value: Any) -> str:
        return value.hex

    now = db.now_db
    assignment_rows: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    participants: list[tuple[Any, ...]] = []
    appointments: list[tuple[Any, ...]] = []
    relapses: list[tuple[Any, ...]] = []

    def flush() -> None:
        db.update(Assignment, ("start_date", "intensity"), assignment_rows)
        db.insert(ContactMoment, CONTACT_FIELDS, contacts)
        db.insert(ContactParticipant, ("contact_id", "client_id"), participants)
        db.insert(Appointment, APPOINTMENT_FIELDS, appointments)
        db.insert(Relapse, RELAPSE_FIELDS, relapses)
        for batch in (assignment_rows, contacts, participants, appointments, relapses):
            batch.clear()

    municipality_id = hex_id(municipality.pk)
    for index, (assignment_id, household_id, coach_id, first, last, username, team_id) in enumerate(
        rows
    ):
        household_members = members.get(household_id, [])
        if not household_members:
            continue
        stats.households += 1
        coach_name = f"{first} {last}".strip() or username
        intensity = _pick(rng, INTENSITIES)
        start = max(oldest, starts.get(household_id, oldest))
        start = min(start, today)
        if rng.random() < NEW_SHARE:
            # New in the caseload within the last two weeks: not spoken to yet.
            start = today - dt.timedelta(days=rng.randint(0, 13))
        assignment_rows.append((hex_id(assignment_id), start.isoformat(), str(intensity)))
        allowed = weeks.get(team_id, DEFAULT_CONTACT_WEEKS)[intensity] * 7
        household = hex_id(household_id)
        member_ids = [hex_id(m) for m in household_members]

        # Two-way rhythm: gaps of half to the whole allowed period, sometimes a longer pause.
        stale = rng.random() < STALE_SHARE
        if start > today - dt.timedelta(days=14):
            stale, allowed_new = False, True
        else:
            allowed_new = False
        # A stale household's last contact is well past its limit: stop the rhythm earlier.
        until = today - dt.timedelta(days=int(allowed * rng.uniform(1.15, 3.0))) if stale else today
        day = start + dt.timedelta(days=rng.randint(1, max(1, allowed // 2)))
        if allowed_new:
            day = today + dt.timedelta(days=1)
        history: list[tuple[str, dt.date, str]] = []
        first_contact = True
        while day <= until:
            kind = _pick(rng, TWO_WAY_KINDS)
            contact_id = db.new_id()
            low, high = DURATIONS[kind]
            purpose = (
                ContactPurpose.OUTREACH
                if first_contact
                else (
                    ContactPurpose.CONVERSATION if rng.random() < 0.05 else ContactPurpose.REGULAR
                )
            )
            help_codes = (
                json.dumps(rng.sample(HELP_CODES, rng.choice((1, 1, 2))))
                if rng.random() < 0.3
                else "[]"
            )
            others = json.dumps([rng.choice(OTHER_CODES)]) if rng.random() < 0.05 else "[]"
            occurred = at(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
            contacts.append(
                (
                    contact_id, now, now, municipality_id, household, occurred, str(kind),
                    str(purpose), rng.randint(low, high), others, rng.choice(SUMMARIES),
                    help_codes, rng.choice(AGREEMENTS) if rng.random() < 0.4 else "",
                    coach_id, coach_name, None, "", None, "",
                )
            )  # fmt: skip
            participants.append((contact_id, member_ids[0]))
            if len(member_ids) > 1 and rng.random() < 0.3:
                participants.append((contact_id, member_ids[1]))
            history.append((contact_id, day, str(kind)))
            first_contact = False
            if rng.random() < ONE_WAY_SHARE:
                later = day + dt.timedelta(days=rng.randint(1, 6))
                if later <= today:
                    contacts.append(
                        (
                            db.new_id(), now, now, municipality_id, household,
                            at(later, rng.randint(9, 16), 0), str(_pick(rng, ONE_WAY_KINDS)),
                            str(ContactPurpose.REGULAR), None, "[]", rng.choice(ONE_WAY_SUMMARIES),
                            "[]", "", coach_id, coach_name, None, "", None, "",
                        )
                    )  # fmt: skip
            gap = allowed * rng.uniform(0.5, 1.0)
            if rng.random() < 0.03:
                gap *= rng.uniform(1.5, 3.0)  # holidays, illness, a client out of reach
            day += dt.timedelta(days=max(1, int(gap)))

        # About 1%: a later row corrects an older one (wrong date, wrong kind).
        for contact_id, day, kind in history:
            if rng.random() >= CORRECTION_SHARE:
                continue
            fixed_day = max(start, day - dt.timedelta(days=1))
            contacts.append(
                (
                    db.new_id(), now, now, municipality_id, household,
                    at(fixed_day, rng.randint(9, 16), 0), kind, str(ContactPurpose.REGULAR),
                    30, "[]", rng.choice(SUMMARIES), "[]", "", coach_id,
                    coach_name, None, "", contact_id, "Verkeerde datum ingevuld.",
                )
            )  # fmt: skip
            stats.corrections += 1

        if rng.random() < APPOINTMENT_SHARE:
            roll = rng.random()
            # Mostly in the coming weeks; a few today, a few overdue (still marked planned).
            ahead = (
                0 if roll < 0.05 else (-rng.randint(1, 10) if roll < 0.08 else rng.randint(1, 21))
            )
            day = today + dt.timedelta(days=ahead)
            hour = rng.randint(9, 16)
            appointments.append(
                (
                    db.new_id(), now, now, 1, municipality_id, household, coach_id,
                    None, at(day, hour, 0), str(_pick(rng, TWO_WAY_KINDS)),
                    str(ContactPurpose.REGULAR), rng.choice(LOCATIONS), "",
                    str(AppointmentStatus.PLANNED), None,
                )
            )  # fmt: skip
        if rng.random() < RELAPSE_SHARE and start < today:
            day = start + dt.timedelta(days=rng.randint(0, (today - start).days))
            relapses.append(
                (
                    db.new_id(), now, now, household, member_ids[0], day.isoformat(),
                    rng.choice(RELAPSE_NOTES), coach_id, coach_name,
                )
            )  # fmt: skip
        if (index + 1) % CHUNK_HOUSEHOLDS == 0:
            _count(stats, contacts, participants, appointments, relapses)
            flush()
    _count(stats, contacts, participants, appointments, relapses)
    flush()
    audit_record(
        actor=None,
        action="caseload.contact.bulk_create",
        origin=Origin(channel="command"),
        purpose="casework",
        municipality_code=municipality.code,
        detail={"households": stats.households, "contacts": stats.contacts, "demo": True},
    )
    return stats


def _count(stats: ContactStats, *batches: list[tuple[Any, ...]]) -> None:
    contacts, participants, appointments, relapses = batches
    stats.contacts += len(contacts)
    stats.participants += len(participants)
    stats.appointments += len(appointments)
    stats.relapses += len(relapses)


HELP_CODES = [code for code, _ in PracticalHelp.choices]
OTHER_CODES = [code for code, _ in OtherParticipant.choices]
CONTACT_FIELDS = (
    "id", "created_at", "updated_at", "municipality_id", "household_id", "occurred_at", "kind",
    "purpose", "duration_minutes", "other_participants", "summary", "practical_help",
    "agreements", "coach_id", "coach_name", "second_coach_id", "second_coach_name",
    "corrects_id", "correction_reason",
)  # fmt: skip
APPOINTMENT_FIELDS = (
    "id", "created_at", "updated_at", "version", "municipality_id", "household_id", "coach_id",
    "second_coach_id", "starts_at", "kind", "purpose", "location", "note", "status",
    "contact_id",
)  # fmt: skip
RELAPSE_FIELDS = (
    "id", "created_at", "updated_at", "household_id", "client_id", "date", "note",
    "recorded_by_id", "recorded_by_name",
)  # fmt: skip


def _policies(municipality: Municipality) -> int:
    """A CaseloadPolicy per team with the defaults, so the team lead has something to change."""
    created = 0
    for team in Team.objects.filter(municipality=municipality, policy__isnull=True):
        CaseloadPolicy.objects.create(team=team)
        created += 1
    return created


def _weeks_by_team(municipality: Municipality) -> dict[Any, dict[str, int]]:
    return {
        policy.team_id: {i: policy.contact_weeks(i) for i in Intensity}
        for policy in CaseloadPolicy.objects.filter(team__municipality=municipality)
    }


def _coach_profiles(municipality: Municipality, rng: random.Random) -> int:
    coaches = (
        User.objects.filter(
            municipality=municipality, role__in=(Role.COACH, Role.TEAM_LEAD), coach_profile=None
        )
        .order_by("username")
        .only("pk")
    )
    profiles = []
    for coach in coaches:
        languages = ["nl"] + [code for code, share in COACH_LANGUAGES if rng.random() < share]
        profiles.append(
            CoachProfile(coach=coach, languages=languages, hours_factor=_pick(rng, HOURS))
        )
    CoachProfile.objects.bulk_create(profiles, batch_size=1000)
    return len(profiles)
