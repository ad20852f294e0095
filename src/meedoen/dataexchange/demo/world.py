"""The demo world: persons with latent traits, households, and their history over the deliveries.

Order of drawing (the causal model, docs/development/demo-data.md):

1. a household's wijk, then its shape (single, single parent, couple with or without children,
   with another member);
2. per adult: origin, age, then the latent traits — health, education, Dutch language level — and
   from those the distance to the labour market;
3. from the distance: how long the current benefit has run (the stock on the first reference date
   is length-biased: people far from work stay longer), the yearly chance of leaving, the reason of
   leaving (work is likelier the closer to the labour market), and the chance of coming back;
4. registry data (names, country of birth, languages, e-mail, phone, address) follows from origin,
   age and wijk.

Later issues derive conversations, plans, instruments and outcomes from the same latent traits, so
planted effects stay consistent with the registry.

Everything random comes from one `random.Random(seed)` and one seeded Faker instance, in a fixed
order: the same seed and reference dates give the same world.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from faker import Faker

from meedoen.clients.constants import BenefitEndReason, BenefitType, HouseholdRole
from meedoen.dataexchange.demo import geography, names

DAYS_PER_YEAR = 365.25
AOW_AGE = 67
OLDEST_START_YEARS = 20  # the benefit administration keeps spells of at most 20 years back


@dataclass(frozen=True, slots=True)
class Address:
    postcode: str
    house_number: int
    addition: str
    street: str
    wijk: geography.Wijk
    buurt: geography.Buurt

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.postcode, self.house_number, self.addition)


@dataclass(slots=True)
class Person:
    number: int
    bsn: str
    first_names: str
    name_prefix: str
    surname: str
    birth_date: dt.date
    gender: str  # M / V / X
    origin: str  # key in names.ORIGINS: the migration background
    country_of_birth: str
    languages: tuple[str, ...]
    email: str = ""
    phone: str = ""
    # Latent traits, 0..1 unless noted. Children carry neutral values.
    health: float = 1.0
    education: int = 2  # 0 none .. 5 hbo/wo
    language_level: int = 5  # Dutch: 0 none, 1 A1, 2 A2, 3 B1, 4 B2, 5 C1 or native
    distance: float = 0.0  # distance to the labour market

    @property
    def non_western(self) -> bool:
        return names.ORIGINS[self.origin].non_western

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


@dataclass(slots=True)
class Membership:
    person: Person
    role: str
    start: dt.date
    end: dt.date | None = None  # first day no longer a member

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(slots=True)
class Spell:
    """A benefit period of the household; the applicant and a partner share it."""

    benefit_type: str
    start: dt.date
    end: dt.date | None = None  # last day with benefit
    reason: str = ""

    def open_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Residence:
    address: Address
    start: dt.date
    end: dt.date | None = None  # first day at the next address


@dataclass(slots=True)
class Household:
    number: int
    shape: str
    memberships: list[Membership] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)
    residences: list[Residence] = field(default_factory=list)

    def members_on(self, day: dt.date) -> list[Membership]:
        return [m for m in self.memberships if m.active_on(day)]

    def applicant(self) -> Person:
        return self.memberships[0].person

    def spell_on(self, day: dt.date) -> Spell | None:
        for spell in reversed(self.spells):
            if spell.open_on(day):
                return spell
        return None

    def residence_on(self, day: dt.date) -> Residence:
        for residence in reversed(self.residences):
            if residence.start <= day:
                return residence
        return self.residences[0]


@dataclass
class World:
    seed: int
    reference_dates: tuple[dt.date, ...]
    households: list[Household]

    def persons(self) -> Iterator[Person]:
        seen: set[int] = set()
        for household in self.households:
            for membership in household.memberships:
                if membership.person.number not in seen:
                    seen.add(membership.person.number)
                    yield membership.person


SHAPES = {  # household shape -> share of bijstand households (Den Haag-like)
    "single": 56,
    "single_parent": 21,
    "couple": 8,
    "couple_children": 11,
    "other": 4,  # applicant with another adult member (adult child, parent, sibling)
}
SHAPE_BENEFIT = {
    "single": BenefitType.SINGLE,
    "single_parent": BenefitType.SINGLE_PARENT,
    "couple": BenefitType.COUPLE,
    "couple_children": BenefitType.COUPLE,
    "other": BenefitType.SINGLE,
}
# Age of the applicant on the last reference date, for the population on that date.
AGE_BANDS = (
    (18, 27, 6),
    (27, 36, 11),
    (36, 50, 28),
    (50, 60, 29),
    (60, AOW_AGE, 24),
    (AOW_AGE, AOW_AGE + 2, 4),  # reach the AOW age between the deliveries and leave
)

# Chance of coming back within a year after leaving, by reason.
REENTRY = {
    BenefitEndReason.WORK: 0.22,
    BenefitEndReason.SELF_EMPLOYED: 0.25,
    BenefitEndReason.EDUCATION: 0.15,
    BenefitEndReason.MOVED: 0.03,
    BenefitEndReason.PARTNER_INCOME: 0.15,
    BenefitEndReason.OTHER_BENEFIT: 0.02,
    BenefitEndReason.DETENTION: 0.5,
    BenefitEndReason.DECEASED: 0.0,
    BenefitEndReason.OTHER: 0.2,
}
MOVE_PER_YEAR = 0.08
# Share of generated households that enter between the first and last reference date; with the
# exit hazards above this keeps the caseload about stable and ~80% long-term (Den Haag: 22k/27k).
INFLOW_SHARE = 0.11
PARTNER_JOINS_PER_YEAR = 0.02
PARTNER_LEAVES_PER_YEAR = 0.03


def exit_hazard(distance: float) -> float:
    """Yearly chance of leaving the benefit for someone at this distance from the labour market."""
    return 0.04 + 0.5 * (1.0 - distance) ** 2


MIN_HAZARD = exit_hazard(1.0)


def duration_factor(years_on_benefit: float) -> float:
    """Duration dependence: the longer on benefit, the smaller the chance of leaving."""
    if years_on_benefit < 1:
        return 1.0
    if years_on_benefit < 3:
        return 0.75
    return 0.5


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def bsn_supply(rng: random.Random) -> Iterator[str]:
    """BSNs that pass the 11-proef: the 9999xxxxx test range first, in random order.

    That range holds only 9,091 valid numbers; larger worlds continue in 9998xxxxx, 9997xxxxx …
    (see docs/development/demo-data.md).
    """
    for block in range(9999, 9900, -1):
        valid = []
        for rest in range(10000):
            prefix = f"{block:04d}{rest:04d}"
            total = sum(int(d) * w for d, w in zip(prefix, range(9, 1, -1), strict=True))
            check = total % 11
            if check < 10:
                valid.append(prefix + str(check))
        rng.shuffle(valid)
        yield from valid


def _ascii(text: str) -> str:
    dotless_i = "\u0131"
    decomposed = unicodedata.normalize("NFKD", text.replace(dotless_i, "i").replace("ł", "l"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


class WorldBuilder:
    def __init__(self, *, seed: int, today: dt.date) -> None:
        # Demo data, not secrets: a seeded, reproducible generator is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(seed)
        self.seed = seed
        self.reference_dates = (years_before(today, 2), years_before(today, 1), today)
        self.bsns = bsn_supply(random.Random(seed))  # noqa: S311
        self.person_count = 0
        self.household_count = 0
        self.used_addresses: set[tuple[str, int, str]] = set()
        self.wijk_weights = [w.weight for w in geography.WIJKEN]
        self.street_letter = self._street_letters()

    # --- drawing helpers -------------------------------------------------------------------

    @staticmethod
    def _street_letters() -> dict[tuple[str, str, str], str]:
        letters: dict[tuple[str, str, str], str] = {}
        per_area: dict[str, int] = {}
        for wijk in geography.WIJKEN:
            for buurt in wijk.buurten:
                for area in buurt.postcode_areas:
                    for street in buurt.streets:
                        index = per_area.get(area, 0)
                        per_area[area] = index + 1
                        letters[(area, buurt.code, street)] = geography.POSTCODE_LETTERS[index]
        return letters

    def _weighted(self, weights: Mapping[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        """A day in [start, end]."""
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def _address(self, wijk: geography.Wijk) -> Address:
        while True:
            buurt = self.rng.choice(wijk.buurten)
            area = self.rng.choice(buurt.postcode_areas)
            street = self.rng.choice(buurt.streets)
            number = self.rng.randint(1, 239)
            addition = self.rng.choice(geography.HOUSE_NUMBER_ADDITIONS)
            second = geography.POSTCODE_LETTERS[number // 13]
            postcode = f"{area}{self.street_letter[(area, buurt.code, street)]}{second}"
            address = Address(postcode, number, addition, street, wijk, buurt)
            if address.key not in self.used_addresses:
                self.used_addresses.add(address.key)
                return address

    def _origin(self, wijk: geography.Wijk) -> str:
        if self.rng.random() < wijk.non_western:
            return self._weighted(names.NON_WESTERN_WEIGHTS)
        return self._weighted(names.WESTERN_WEIGHTS)

    def _name(self, origin: names.Origin, *, female: bool, birth_year: int) -> tuple[str, str]:
        """(first names, full surname)."""
        if origin.key == "NL":
            if birth_year < 1980:
                pool = names.OLDER_DUTCH_FEMALE if female else names.OLDER_DUTCH_MALE
                first = self.rng.choice(pool)
            else:
                first = self.faker.first_name_female() if female else self.faker.first_name_male()
            if self.rng.random() < 0.35:
                second = self.rng.choice(
                    names.OLDER_DUTCH_FEMALE if female else names.OLDER_DUTCH_MALE
                )
                if second != first:
                    first = f"{first} {second}"
            return first, self.faker.last_name()
        first = self.rng.choice(origin.female if female else origin.male)
        surname = names.polish_surname(self.rng.choice(origin.surnames), female=female)
        return first, surname

    def _person(
        self,
        *,
        origin_key: str,
        age: float,
        on: dt.date,
        female: bool,
        surname: str | None = None,
        adult: bool = True,
    ) -> Person:
        rng = self.rng
        origin = names.ORIGINS[origin_key]
        birth_date = on - dt.timedelta(days=int(age * DAYS_PER_YEAR))
        first, full_surname = self._name(origin, female=female, birth_year=birth_date.year)
        if surname is not None:
            full_surname = surname
        prefix, bare_surname = names.split_surname(full_surname)
        # Second generation: born here to parents from elsewhere (refugees mostly arrived recently).
        if not adult:
            born_here = not origin.refugee or rng.random() < 0.5
        else:
            born_here = origin_key == "NL" or (
                not origin.refugee and age < 40 and rng.random() < 0.55
            )
        country = "NL" if born_here else origin.country
        gender = "V" if female else "M"
        if adult and rng.random() < 0.003:
            gender = "X"

        self.person_count += 1
        person = Person(
            number=self.person_count,
            bsn=next(self.bsns),
            first_names=first,
            name_prefix=prefix,
            surname=bare_surname,
            birth_date=birth_date,
            gender=gender,
            origin=origin_key,
            country_of_birth=country,
            languages=(),
        )
        if not adult:
            person.languages = ("nl", *origin.languages[:1])
            return person

        # Latent traits.
        health = min(1.0, max(0.0, rng.betavariate(4, 2) - 0.008 * max(0.0, age - 40)))
        if origin_key == "NL" or born_here:
            education = min(5, max(0, round(rng.gauss(2.3, 1.2))))
            language = 5 if born_here else 4
        elif origin.refugee:
            education = min(5, max(0, round(rng.gauss(2.0, 1.6))))
            language = min(4, max(0, round(rng.gauss(1.6 + 0.3 * education, 0.8))))
        else:
            education = min(5, max(0, round(rng.gauss(1.4, 1.1))))
            language = min(5, max(0, round(rng.gauss(2.2 + 0.3 * education, 1.0))))
            if origin_key in {"SR", "CW"}:
                language = max(language, 4)
        z = (
            2.2 * (1.0 - health)
            + 0.45 * max(0, 3 - language)
            + 0.3 * (2.5 - education)
            + 0.05 * max(0.0, age - 45)
            + rng.gauss(0.0, 0.7)
            - 0.9
        )
        person.health = round(health, 3)
        person.education = education
        person.language_level = language
        person.distance = round(1.0 / (1.0 + math.exp(-z)), 3)

        spoken = ["nl"] if language >= 2 else []
        for code in origin.languages:
            if rng.random() < (0.9 if not born_here else 0.5):
                spoken.append(code)
        if rng.random() < 0.12 + 0.06 * education:
            spoken.append("en")
        person.languages = tuple(dict.fromkeys(spoken)) or ("nl",)

        ascii_first = _ascii(first.split(" ")[0])
        if rng.random() < 0.55 - 0.004 * max(0.0, age - 30):
            domain = rng.choice(("example.com", "example.net", "example.org"))
            person.email = f"{ascii_first}.{_ascii(full_surname)}{rng.randint(1, 99)}@{domain}"
        if rng.random() < 0.8:
            person.phone = f"06 {rng.randint(10000000, 99999999)}"
        return person

    # --- households ------------------------------------------------------------------------

    def _household(self, *, stock: bool) -> Household:
        """A new household, either on benefit on the first reference date (stock) or entering
        between the first and the last reference date (inflow)."""
        rng = self.rng
        first, _, last = self.reference_dates
        wijk = rng.choices(geography.WIJKEN, weights=self.wijk_weights)[0]
        shape = self._weighted(SHAPES)
        origin = self._origin(wijk)

        while True:
            low, high, _w = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
            age_last = rng.uniform(low, high)
            if shape in {"single_parent", "couple_children"} and age_last > 58:
                continue  # parents of minor children are rarely that old
            age_first = age_last - (last - first).days / DAYS_PER_YEAR
            if age_first >= 18:
                break
        female = rng.random() < (0.9 if shape == "single_parent" else 0.5)

        if stock:
            start_on = first
            # The stock is length-biased: people far from the labour market stay longer, so they
            # are overrepresented among those on benefit on a given day.
            while True:
                applicant = self._person(origin_key=origin, age=age_first, on=first, female=female)
                if rng.random() < MIN_HAZARD / exit_hazard(applicant.distance):
                    break
                self.person_count -= 1  # rejected draw: reuse the number, skip the BSN
            elapsed = rng.expovariate(exit_hazard(applicant.distance) * duration_factor(99))
            max_years = min(OLDEST_START_YEARS, age_first - 18)
            if origin_key_is_refugee(origin):
                # Statushouders: on benefit since some time after arriving (mostly 2014 or later).
                arrived = self._date_between(dt.date(2014, 1, 1), first - dt.timedelta(days=60))
                max_years = min(max_years, (first - arrived).days / DAYS_PER_YEAR)
            elapsed = min(max(elapsed, 0.05), max(max_years, 0.05))
            spell_start = first - dt.timedelta(days=int(elapsed * DAYS_PER_YEAR))
        else:
            spell_start = self._date_between(first + dt.timedelta(days=1), last)
            age_start = age_first + (spell_start - first).days / DAYS_PER_YEAR
            applicant = self._person(
                origin_key=origin, age=age_start, on=spell_start, female=female
            )
            start_on = spell_start

        self.household_count += 1
        household = Household(number=self.household_count, shape=shape)
        member_since = spell_start - dt.timedelta(days=rng.randint(0, 400))
        household.memberships.append(Membership(applicant, HouseholdRole.APPLICANT, member_since))
        applicant_age = applicant.age_on(start_on)
        family_surname = (applicant.name_prefix + " " + applicant.surname).strip()

        if shape in {"couple", "couple_children"}:
            partner_age = max(18.0, applicant_age + rng.gauss(-1.5 if not female else 2.0, 4.0))
            partner_origin = origin if rng.random() < 0.85 else self._origin(wijk)
            partner = self._person(
                origin_key=partner_origin, age=partner_age, on=start_on, female=not female
            )
            household.memberships.append(Membership(partner, HouseholdRole.PARTNER, member_since))
        if shape in {"single_parent", "couple_children"}:
            count = rng.choices((1, 2, 3, 4, 5), weights=(38, 34, 17, 8, 3))[0]
            for _i in range(count):
                age = rng.uniform(0.2, min(17.8, max(0.5, applicant_age - 19)))
                child = self._person(
                    origin_key=origin,
                    age=age,
                    on=start_on,
                    female=rng.random() < 0.5,
                    surname=family_surname,
                    adult=False,
                )
                born = child.birth_date
                household.memberships.append(
                    Membership(child, HouseholdRole.CHILD, max(member_since, born))
                )
        if shape == "other":
            other_age = rng.choice((rng.uniform(18, 27), rng.uniform(67, 85)))
            other = self._person(
                origin_key=origin,
                age=other_age,
                on=start_on,
                female=rng.random() < 0.5,
                surname=family_surname if other_age < 30 else None,
            )
            household.memberships.append(Membership(other, HouseholdRole.OTHER, member_since))

        benefit_type = str(SHAPE_BENEFIT[shape])
        if shape == "single" and applicant_age >= 60 and rng.random() < 0.08:
            benefit_type = BenefitType.IOAW
        elif shape == "single" and rng.random() < 0.012:
            benefit_type = BenefitType.BBZ
        household.spells.append(Spell(str(benefit_type), spell_start))
        residence_start = min(member_since, spell_start) - dt.timedelta(days=rng.randint(0, 3000))
        household.residences.append(Residence(self._address(wijk), residence_start))
        return household

    # --- history -----------------------------------------------------------------------------

    def _exit_reason(self, household: Household, person: Person, on: dt.date) -> str:
        age = person.age_on(on)
        couple = any(m.role == HouseholdRole.PARTNER for m in household.members_on(on))
        weights: dict[str, float] = {
            BenefitEndReason.WORK: 0.05 + 0.5 * (1.0 - person.distance),
            BenefitEndReason.SELF_EMPLOYED: 0.03,
            BenefitEndReason.EDUCATION: 0.15 if age < 27 else 0.01,
            BenefitEndReason.MOVED: 0.1,
            BenefitEndReason.PARTNER_INCOME: 0.08 if couple else 0.01,
            BenefitEndReason.OTHER_BENEFIT: 0.04 + (0.08 if person.health < 0.4 else 0.0),
            BenefitEndReason.DETENTION: 0.01,
            BenefitEndReason.DECEASED: 0.005 + (0.05 * (1 - person.health) if age > 60 else 0),
            BenefitEndReason.OTHER: 0.05,
        }
        return str(self._weighted(weights))

    def _new_type(self, household: Household, on: dt.date) -> str:
        members = household.members_on(on)
        roles = {m.role for m in members}
        if HouseholdRole.PARTNER in roles:
            return str(BenefitType.COUPLE)
        if HouseholdRole.CHILD in roles:
            return str(BenefitType.SINGLE_PARENT)
        return str(BenefitType.SINGLE)

    def _simulate(self, household: Household) -> None:
        """Walk through the years between reference dates: exit, re-entry, moves, partners."""
        rng = self.rng
        for previous, current in zip(self.reference_dates, self.reference_dates[1:], strict=False):
            spell = household.spells[-1]
            applicant = household.applicant()
            window_start = max(previous, spell.start) + dt.timedelta(days=1)
            if spell.end is None:
                if window_start > current:
                    continue
                aow_day = years_before(applicant.birth_date, -AOW_AGE)
                if aow_day <= current:
                    spell.end = max(window_start, aow_day) - dt.timedelta(days=1)
                    spell.end = max(spell.end, spell.start)
                    spell.reason = str(BenefitEndReason.OTHER_BENEFIT)
                    continue
                share = (current - window_start).days / DAYS_PER_YEAR
                years_on = (window_start - spell.start).days / DAYS_PER_YEAR
                hazard = exit_hazard(applicant.distance) * duration_factor(years_on)
                if rng.random() < hazard * share:
                    end = self._date_between(window_start, current)
                    spell.end = end
                    spell.reason = self._exit_reason(household, applicant, end)
                    continue
                self._household_change(household, window_start, current)
            else:
                # Left before `previous` (and was reported then): maybe came back this year.
                if spell.end > previous:
                    continue
                if spell.reason == BenefitEndReason.DECEASED:
                    continue
                if rng.random() >= REENTRY.get(BenefitEndReason(spell.reason), 0.1):
                    continue
                start = self._date_between(
                    max(previous, spell.end + dt.timedelta(days=31)) + dt.timedelta(days=1),
                    current,
                )
                if start > current or applicant.age_on(start) >= AOW_AGE:
                    continue
                if rng.random() < 0.4:
                    self._move(household, start)
                household.spells.append(Spell(self._new_type(household, start), start))

    def _move(self, household: Household, on: dt.date) -> None:
        current = household.residences[-1]
        if on <= current.start:
            return
        same_wijk = self.rng.random() < 0.55
        wijk = (
            current.address.wijk
            if same_wijk
            else self.rng.choices(geography.WIJKEN, weights=self.wijk_weights)[0]
        )
        current.end = on
        household.residences.append(Residence(self._address(wijk), on))

    def _household_change(self, household: Household, start: dt.date, end: dt.date) -> None:
        rng = self.rng
        share = (end - start).days / DAYS_PER_YEAR
        if rng.random() < MOVE_PER_YEAR * share:
            self._move(household, self._date_between(start, end))
        members = household.members_on(end)
        roles = {m.role for m in members}
        applicant = household.applicant()
        spell = household.spells[-1]
        day = self._date_between(start, end)
        if day <= spell.start or day <= household.residences[-1].start:
            return
        if HouseholdRole.PARTNER in roles:
            if rng.random() < PARTNER_LEAVES_PER_YEAR * share:
                for membership in members:
                    if membership.role == HouseholdRole.PARTNER:
                        membership.end = day
                self._restart_spell(household, day)
        elif HouseholdRole.OTHER not in roles and rng.random() < PARTNER_JOINS_PER_YEAR * share:
            age = max(18.0, applicant.age_on(day) + rng.gauss(0, 5))
            female = applicant.gender == "M" or (applicant.gender == "X" and rng.random() < 0.5)
            partner = self._person(
                origin_key=applicant.origin if rng.random() < 0.8 else "NL",
                age=age,
                on=day,
                female=female,
            )
            household.memberships.append(Membership(partner, HouseholdRole.PARTNER, day))
            self._restart_spell(household, day)

    def _restart_spell(self, household: Household, day: dt.date) -> None:
        """A partner joining or leaving ends the benefit and starts one of the new kind."""
        spell = household.spells[-1]
        spell.end = day - dt.timedelta(days=1)
        spell.reason = str(BenefitEndReason.OTHER)
        household.spells.append(Spell(self._new_type(household, day), day))

    def build(self, *, clients: int) -> World:
        """Households until the last delivery holds `clients` persons of households on benefit."""
        last = self.reference_dates[-1]
        households: list[Household] = []
        current = 0
        while current < clients:
            household = self._household(stock=self.rng.random() >= INFLOW_SHARE)
            self._simulate(household)
            if household.spell_on(last) is not None:
                size = len(household.members_on(last))
                if size > clients - current:
                    # Too big for the remaining room: leave it out, so N is met exactly (a
                    # single comes along soon).
                    continue
                current += size
            households.append(household)
        return World(seed=self.seed, reference_dates=self.reference_dates, households=households)


def origin_key_is_refugee(origin_key: str) -> bool:
    return names.ORIGINS[origin_key].refugee


def world_build(*, clients: int, seed: int, today: dt.date) -> World:
    """A deterministic demo world whose last delivery (on `today`) holds `clients` persons."""
    return WorldBuilder(seed=seed, today=today).build(clients=clients)
