"""Demo conversations: a first conversation for most recipients, follow-ups for many, over years.

Derived from the same latent traits as the registry (docs/development/demo-data.md): the
distance to the labour market, health, education and Dutch language level set the first ZRM
scores, the ladder rung, the obstacles and the work profile; progress between conversations is
likelier the closer someone is to work, so ZRM and ladder trajectories (and "big steps forward")
follow the causal model. Deterministic with the seed; written in bulk through
profiles.services.conversations_bulk_create, in chunks of clients.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin
from meedoen.caseload.models import Assignment
from meedoen.clients.models import BenefitPeriod, Client
from meedoen.dataexchange.demo import names
from meedoen.dataexchange.demo.deliveries import BENEFIT_ROLES, client_number
from meedoen.dataexchange.demo.world import World
from meedoen.profiles.constants import ZRM_DOMAINS
from meedoen.profiles.inputs import (
    ConversationInput,
    HelpNeedInput,
    ObstacleInput,
    ProfileInput,
    WorkExperienceInput,
)
from meedoen.profiles.services import BulkConversation, conversations_bulk_create

SPOKEN_SHARE = 0.85  # Werkoffensief: everyone spoken within two years; most are by now
FOLLOW_UP_SHARE = 0.72  # chosen for follow-ups; ~60% have one by today (recent firsts not yet)
HISTORY_YEARS = 3  # first conversations from this long ago
CHUNK_CLIENTS = 1500


@dataclass(frozen=True, slots=True)
class Traits:
    """What the conversations need of a person from the world, kept after the world is freed."""

    health: float
    education: int
    language_level: int
    distance: float
    refugee: bool
    born_here: bool
    shape: str


def demo_traits(world: World) -> dict[str, Traits]:
    """Adults with a benefit role (applicant, partner), by client number."""
    traits: dict[str, Traits] = {}
    for household in world.households:
        for membership in household.memberships:
            if membership.role not in BENEFIT_ROLES:
                continue
            person = membership.person
            origin = names.ORIGINS[person.origin]
            traits[client_number(person.number)] = Traits(
                health=person.health,
                education=person.education,
                language_level=person.language_level,
                distance=person.distance,
                refugee=origin.refugee,
                born_here=person.country_of_birth == "NL",
                shape=household.shape,
            )
    return traits


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


# Common occupations of people on bijstand (ISCO-08) and what they look for.
EXPERIENCE = {
    "9112": 14, "5223": 10, "9329": 9, "9412": 8, "9334": 7, "5120": 6, "8322": 5, "9333": 5,
    "5321": 5, "5131": 4, "5230": 4, "4110": 4, "9313": 4, "8332": 3, "5311": 3, "9621": 3,
    "7131": 2, "7115": 2, "5414": 2, "9214": 2, "4222": 2, "8344": 2, "5322": 2, "9111": 2,
}  # fmt: skip
SECTOR_OF = {
    "9112": "schoonmaak", "9111": "schoonmaak", "5223": "detailhandel", "5230": "detailhandel",
    "9334": "detailhandel", "9329": "productie_techniek", "9412": "horeca_toerisme",
    "5120": "horeca_toerisme", "5131": "horeca_toerisme", "8322": "transport_logistiek",
    "8332": "transport_logistiek", "9333": "transport_logistiek", "9621": "transport_logistiek",
    "8344": "transport_logistiek", "5321": "zorg_welzijn", "5322": "zorg_welzijn",
    "5311": "onderwijs_kinderopvang", "4110": "administratie_zakelijk",
    "4222": "administratie_zakelijk", "9313": "bouw_installatie", "7131": "bouw_installatie",
    "7115": "bouw_installatie", "5414": "beveiliging", "9214": "agrarisch_groen",
}  # fmt: skip
TALENTS = (
    "Kan goed met mensen omgaan.", "Handig met de handen.", "Kookt graag en goed.",
    "Zorgzaam voor anderen.", "Spreekt meerdere talen.", "Technisch inzicht.",
    "Betrouwbaar en op tijd.", "Creatief: naait en repareert kleding.", "Sportief.",
    "Goed in regelen en organiseren.",
)  # fmt: skip
SKILLS = (
    "koken", "schoonmaken", "klantcontact", "rijden", "tillen en sjouwen", "computer",
    "kinderen opvangen", "tuinieren", "klussen", "kassawerk", "naaien", "vertalen",
)  # fmt: skip
WISHES = (
    "Werk overdag, als de kinderen op school zijn.", "Werk dicht bij huis.",
    "Eerst de schulden op orde.", "Een vaste baan.", "Iets met mensen doen.",
    "Buiten werken.", "Rust in huis.", "Beter Nederlands leren.",
)  # fmt: skip
AMBITIONS_SHORT = (
    "Taalcursus afmaken.", "Vrijwilligerswerk vinden.", "Een werkervaringsplek.",
    "Rijbewijs halen.", "Administratie op orde krijgen.", "Een cursus volgen.",
)  # fmt: skip
AMBITIONS_LONG = (
    "Een vaste baan in de zorg.", "Eigen bedrijf.", "Werken als chauffeur.",
    "Een diploma halen.", "Uit de bijstand en zelf rondkomen.", "Werken in de horeca.",
)  # fmt: skip
NOT_YET_REASONS = (
    "Eerst gezondheid en rust.", "Eerst de schulden stabiel.", "Eerst de taal.",
    "Zorg voor kinderen of familie gaat nu voor.",
)  # fmt: skip
EDUCATION_LEVELS = {
    0: ("geen", "basisonderwijs"),
    1: ("basisonderwijs", "praktijkonderwijs", "vmbo"),
    2: ("vmbo", "mbo1", "mbo2"),
    3: ("mbo2", "mbo3"),
    4: ("mbo4", "havo_vwo"),
    5: ("hbo", "wo"),
}
DUTCH_LEVELS = {0: "geen", 1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1"}


class ConversationBuilder:
    """One client's conversations: a first one, then follow-ups while progress unfolds."""

    def __init__(self, rng: random.Random, traits: Traits) -> None:
        self.rng = rng
        self.t = traits
        d = traits.distance
        # Latent state that moves between conversations.
        self.progress = 0.0
        self.rung = _clamp(4.2 - 3.2 * d + rng.gauss(0, 0.6), 1, 4)
        self.potential = min(6, self.rung + _clamp(0.5 + 2.5 * (1 - d) + rng.gauss(0, 0.5), 0, 4))
        self.obstacles = self._first_obstacles()
        self.occupations = self._occupations()
        self.licence = rng.random() < (0.12 if traits.refugee else 0.35)

    # --- what holds for the person --------------------------------------------------------

    def _first_obstacles(self) -> dict[str, tuple[int, bool]]:
        rng, t = self.rng, self.t
        found: dict[str, tuple[int, bool]] = {}

        def maybe(category: str, chance: float, severity: float) -> None:
            if rng.random() < chance:
                found[category] = (_clamp(severity + rng.gauss(0, 0.5), 1, 3), False)

        maybe("lichamelijke_gezondheid", 1.1 * (1 - t.health) ** 1.5, 1 + 2.5 * (1 - t.health))
        maybe("psychische_gezondheid", 0.1 + 0.35 * t.distance, 1.2 + 1.5 * t.distance)
        maybe("schulden", 0.2 + 0.35 * t.distance, 1.5 + t.distance)
        if t.language_level <= 2:
            found["taal"] = (3 - t.language_level if t.language_level else 3, False)
        if t.shape in {"single_parent", "couple_children"}:
            maybe("kinderopvang", 0.45, 1.8)
        maybe("mantelzorg", 0.08, 1.8)
        maybe("huisvesting", 0.1, 1.8)
        maybe("mobiliteit", 0.1 + 0.1 * (1 - t.health), 1.5)
        maybe("verslaving", 0.03 + 0.06 * t.distance, 2.0)
        maybe("justitie", 0.03, 1.5)
        maybe("zelfvertrouwen", 0.1 + 0.3 * t.distance, 1.5)
        maybe("wantrouwen", 0.08 + 0.12 * t.distance, 1.5)
        maybe("digitale_vaardigheden", 0.1 + 0.08 * max(0, 3 - t.education), 1.6)
        return found

    def _occupations(self) -> list[str]:
        codes = list(EXPERIENCE)
        count = self.rng.choice((0, 1, 1, 2, 2, 3)) if self.t.distance < 0.9 else 0
        chosen = self.rng.choices(codes, weights=list(EXPERIENCE.values()), k=count)
        return list(dict.fromkeys(chosen))

    # --- how it changes ----------------------------------------------------------------------

    def advance(self, months: float) -> None:
        """Between two conversations: progress, a rung up (or, rarely, down), obstacles tackled."""
        rng, t = self.rng, self.t
        self.progress += rng.gauss(0.06 * months * (1.2 - t.distance), 0.25)
        self.progress = max(-1.5, min(3.0, self.progress))
        up = 0.04 * months * (1.1 - t.distance)
        roll = rng.random()
        if roll < up and self.rung < self.potential:
            self.rung += 1
        elif roll > 0.97 and self.rung > 1:
            self.rung -= 1  # relapse: the plan goes on
        for category, (severity, _addressed) in list(self.obstacles.items()):
            if rng.random() < 0.5:
                self.obstacles[category] = (severity, True)
            if rng.random() < 0.12 * months / 3:
                if severity <= 1:
                    del self.obstacles[category]
                else:
                    self.obstacles[category] = (severity - 1, True)

    def zrm(self, *, first: bool) -> dict[str, int | None]:
        rng, t, p = self.rng, self.t, self.progress
        d = t.distance
        base = {
            "financien": 4.2 - 2.2 * d - (0.8 if "schulden" in self.obstacles else 0),
            "werk_opleiding": 4.0 - 3.0 * d,
            "tijdsbesteding": 4.3 - 2.2 * d,
            "huisvesting": 4.2 - (1.2 if "huisvesting" in self.obstacles else 0),
            "huiselijke_relaties": 4.0,
            "geestelijke_gezondheid": 4.3
            - 1.6 * d
            - (0.9 if "psychische_gezondheid" in self.obstacles else 0),
            "lichamelijke_gezondheid": 1.5 + 3.2 * t.health,
            "middelengebruik": 4.6 - (2.0 if "verslaving" in self.obstacles else 0),
            "basale_adl": 4.2 + 0.8 * t.health,
            "instrumentele_adl": 3.2 + 0.3 * t.language_level + 0.6 * t.health - 0.6 * d,
            "sociaal_netwerk": 3.9 - 1.0 * d - (0.6 if t.refugee else 0),
            "maatschappelijke_participatie": 4.0 - 2.2 * d,
            "justitie": 4.8 - (2.0 if "justitie" in self.obstacles else 0),
        }
        scores: dict[str, int | None] = {}
        for domain in ZRM_DOMAINS:
            lift = 0.6 * p if domain not in {"basale_adl", "justitie", "huisvesting"} else 0.2 * p
            scores[domain] = _clamp(base[domain] + lift + rng.gauss(0, 0.45), 1, 5)
            sensitive = domain in {"middelengebruik", "justitie", "huiselijke_relaties"}
            if first and sensitive and rng.random() < 0.35:
                scores[domain] = None  # not discussed yet in the first conversation
        return scores

    # --- one conversation --------------------------------------------------------------------

    def profile(self, *, first: bool) -> ProfileInput:
        rng, t = self.rng, self.t
        d = t.distance
        # A first conversation does not fill in everything; later ones catch up.
        fill = 0.7 if first else 0.95
        readiness = "werkfit" if d < 0.35 else ("met_ondersteuning" if d < 0.62 else "nog_niet")
        if self.rung >= 5:
            readiness = "werkfit"
        work_filled = rng.random() < fill
        occupations = self.occupations
        wanted = list(dict.fromkeys(occupations[:1] + rng.choices(list(EXPERIENCE), k=1)))
        sectors = list(dict.fromkeys(SECTOR_OF[code] for code in wanted))
        assess_zrm = first or rng.random() < 0.85
        return ProfileInput(
            talents=rng.choice(TALENTS) if rng.random() < fill else "",
            skills=rng.sample(SKILLS, k=rng.randint(1, 3)) if rng.random() < fill else [],
            wishes=rng.choice(WISHES) if rng.random() < fill else "",
            ambition_short=rng.choice(AMBITIONS_SHORT) if rng.random() < fill else "",
            ambition_long=rng.choice(AMBITIONS_LONG) if rng.random() < fill - 0.2 else "",
            obstacles=[
                ObstacleInput(category=c, severity=s, addressed=a)
                for c, (s, a) in sorted(self.obstacles.items())
            ],
            no_obstacles=not self.obstacles,
            help_needs=self._help(first),
            zrm=self.zrm(first=first) if assess_zrm else {},
            ladder_current=self.rung,
            ladder_potential=max(self.rung, self.potential),
            work_readiness=readiness if work_filled else "",
            work_readiness_reason=rng.choice(NOT_YET_REASONS) if readiness == "nog_niet" else "",
            education_level=(
                "buitenland_onbekend"
                if t.refugee and t.education >= 3 and rng.random() < 0.4
                else rng.choice(EDUCATION_LEVELS[t.education])
            )
            if work_filled
            else "",
            work_experience=[
                WorkExperienceInput(isco_code=code, years=rng.randint(1, 8)) for code in occupations
            ],
            preferred_occupations=wanted if work_filled and readiness != "nog_niet" else [],
            preferred_sectors=sectors if work_filled and readiness != "nog_niet" else [],
            hours_per_week=(
                rng.choice((16, 20, 24)) if t.shape == "single_parent" else rng.choice((24, 32, 36))
            )
            if work_filled
            else None,
            travel_radius_km=rng.choice((5, 10, 15, 25)) if work_filled else None,
            travel_means=["fiets", "ov"] + (["auto"] if self.licence else []),
            driving_licences=["B"] if self.licence else [],
            dutch_level=(
                "moedertaal"
                if t.born_here and t.language_level >= 4
                else DUTCH_LEVELS[t.language_level]
            )
            if work_filled
            else "",
        )

    def _help(self, first: bool) -> list[HelpNeedInput]:
        rng = self.rng
        if rng.random() > (0.5 if first else 0.15):
            return []
        pool = ["administratie", "schulden", "inkomen", "digitaal", "vervoer", "basisbehoeften"]
        if "kinderopvang" in self.obstacles:
            pool.append("kinderopvang")
        return [HelpNeedInput(category=c) for c in rng.sample(pool, k=rng.randint(1, 2))]


def _places(rng: random.Random, first: bool) -> str:
    if first:
        return rng.choices(("huisbezoek", "kantoor", "wijklocatie"), weights=(6, 3, 1))[0]
    return rng.choices(
        ("huisbezoek", "kantoor", "telefoon", "wijklocatie", "video"), weights=(4, 3, 3, 1, 1)
    )[0]


@dataclass(frozen=True)
class _Recipient:
    id: object
    number: str
    municipality_id: object
    benefit_start: dt.date
    coach_id: object
    coach_name: str


def _recipients(municipality: Municipality) -> Iterator[_Recipient]:
    """Clients on benefit with a current household and a contact person, by client number."""
    coaches = {
        household_id: (coach_id, f"{first} {last}".strip())
        for household_id, coach_id, first, last in Assignment.objects.open()
        .filter(household__municipality=municipality)
        .values_list("household_id", "coach_id", "coach__first_name", "coach__last_name")
    }
    starts = dict(
        BenefitPeriod.objects.filter(
            client__municipality=municipality, end_date__isnull=True
        ).values_list("client_id", "start_date")
    )
    rows = (
        Client.objects.filter(municipality=municipality, household__isnull=False)
        .order_by("client_number")
        .values_list("id", "client_number", "household_id")
    )
    for client_id, number, household_id in rows.iterator(chunk_size=5000):
        if client_id in starts and household_id in coaches:
            coach_id, coach_name = coaches[household_id]
            yield _Recipient(
                client_id, number, municipality.pk, starts[client_id], coach_id, coach_name
            )


def demo_conversations_create(
    *, municipality: Municipality, traits: dict[str, Traits], seed: int, today: dt.date
) -> int:
    """Conversations for the municipality's current recipients; returns how many were written.

    Run once, right after the caseloads are assigned: the service refuses clients that already
    have conversations. Each chunk of clients is one transaction with one audit row.
    """
    rng = random.Random(f"conversations:{seed}")  # noqa: S311 - demo data, reproducible
    origin = Origin(channel="command")
    written = 0
    chunk: list[BulkConversation] = []
    clients_in_chunk = 0
    oldest = today - dt.timedelta(days=int(HISTORY_YEARS * 365.25))
    latest_first = today - dt.timedelta(days=14)
    for recipient in _recipients(municipality):
        person = traits.get(recipient.number)
        if person is None or rng.random() >= SPOKEN_SHARE:
            continue
        start = max(oldest, recipient.benefit_start + dt.timedelta(days=14))
        if start > latest_first:
            continue
        first_day = start + dt.timedelta(days=rng.randint(0, (latest_first - start).days))
        builder = ConversationBuilder(rng, person)
        days = [first_day]
        if rng.random() < FOLLOW_UP_SHARE:
            day = first_day
            while True:
                gap = rng.randint(91, 183)  # every 3 to 6 months
                day = day + dt.timedelta(days=gap)
                if day > today:
                    break
                days.append(day)
        previous = first_day
        for number, day in enumerate(days):
            if number:
                builder.advance((day - previous).days / 30.4)
            previous = day
            chunk.append(
                BulkConversation(
                    client_id=recipient.id,
                    municipality_id=recipient.municipality_id,
                    conducted_by_id=recipient.coach_id,
                    conducted_by_name=recipient.coach_name,
                    conversation=ConversationInput(
                        date=day,
                        place=_places(rng, number == 0),
                        participants=["tolk"] if person.language_level <= 1 else [],
                        notes="",
                    ),
                    profile=builder.profile(first=number == 0),
                )
            )
        clients_in_chunk += 1
        if clients_in_chunk >= CHUNK_CLIENTS:
            written += conversations_bulk_create(
                items=chunk, actor=None, origin=origin, municipality_code=municipality.code
            )
            chunk, clients_in_chunk = [], 0
    if chunk:
        written += conversations_bulk_create(
            items=chunk, actor=None, origin=origin, municipality_code=municipality.code
        )
    return written
