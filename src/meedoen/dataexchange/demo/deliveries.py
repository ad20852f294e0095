"""The demo world written as deliveries from the benefit administration (the import's CSV format).

A delivery is the full state on its reference date: every member of every household on benefit,
plus the households whose benefit ended since the previous delivery (with end date and reason).
Households that left earlier are absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from meedoen.clients.constants import HouseholdRole
from meedoen.dataexchange.demo.geography import CITY
from meedoen.dataexchange.demo.world import Household, Membership, Spell, World

# The agreed column order of a delivery (see dataexchange/columns.py).
COLUMNS = (
    "klantnummer", "bsn", "voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "geslacht",
    "geboorteland", "email", "telefoon", "talen", "huishoudnummer", "rol", "postcode",
    "huisnummer", "toevoeging", "straat", "woonplaats", "wijkcode", "wijknaam", "buurtcode",
    "buurtnaam", "adres_sinds", "uitkering_soort", "uitkering_ingang", "uitkering_einde",
    "reden_einde",
)  # fmt: skip

ROLE_ORDER: dict[str, int] = {
    HouseholdRole.APPLICANT: 0,
    HouseholdRole.PARTNER: 1,
    HouseholdRole.CHILD: 2,
    HouseholdRole.OTHER: 3,
}
BENEFIT_ROLES = frozenset({HouseholdRole.APPLICANT, HouseholdRole.PARTNER})


@dataclass(frozen=True)
class Delivery:
    reference_date: dt.date
    file_name: str
    content: bytes
    rows: int


def client_number(number: int) -> str:
    return f"K{number:07d}"


def household_number(number: int) -> str:
    return f"H{number:07d}"


def _state_on(
    household: Household, day: dt.date, previous: dt.date | None
) -> tuple[Spell, dt.date] | None:
    """The spell to report on `day` and the day whose members and address are reported."""
    spell = household.spell_on(day)
    if spell is not None:
        return spell, day
    started = [s for s in household.spells if s.start <= day]
    if not started:
        return None
    last = started[-1]
    assert last.end is not None
    if previous is None or last.end > previous:
        return last, last.end  # ended since the previous delivery: report end and reason
    return None


def _rows(world: World, day: dt.date, previous: dt.date | None) -> list[list[str]]:
    rows: list[list[str]] = []
    for household in world.households:
        state = _state_on(household, day, previous)
        if state is None:
            continue
        spell, on = state
        # The world knows the future; a delivery only what has happened by its reference date.
        ended = spell.end is not None and spell.end <= day
        residence = household.residence_on(on)
        address = residence.address
        members: list[Membership] = sorted(
            household.members_on(on), key=lambda m: (ROLE_ORDER[m.role], m.person.number)
        )
        for membership in members:
            person = membership.person
            own_benefit = membership.role in BENEFIT_ROLES
            rows.append(
                [
                    client_number(person.number),
                    person.bsn,
                    person.first_names,
                    person.name_prefix,
                    person.surname,
                    person.birth_date.isoformat(),
                    person.gender,
                    person.country_of_birth,
                    person.email,
                    person.phone,
                    " ".join(person.languages),
                    household_number(household.number),
                    str(membership.role),
                    address.postcode,
                    str(address.house_number),
                    address.addition,
                    address.street,
                    CITY,
                    address.wijk.code,
                    address.wijk.name,
                    address.buurt.code,
                    address.buurt.name,
                    residence.start.isoformat(),
                    spell.benefit_type if own_benefit else "",
                    spell.start.isoformat() if own_benefit else "",
                    spell.end.isoformat() if own_benefit and spell.end and ended else "",
                    spell.reason if own_benefit and ended else "",
                ]
            )
    return rows


def deliveries_render(*, world: World, municipality_code: str) -> list[Delivery]:
    """One CSV file (UTF-8, `;`) per reference date, oldest first."""
    result = []
    previous: dt.date | None = None
    for index, day in enumerate(world.reference_dates, start=1):
        rows = _rows(world, day, previous)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        name = f"demo-{municipality_code}-seed{world.seed}-levering{index}-{day.isoformat()}.csv"
        result.append(Delivery(day, name, buffer.getvalue().encode("utf-8"), len(rows)))
        previous = day
    return result
