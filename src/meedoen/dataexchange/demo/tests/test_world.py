"""The generated world and its deliveries: determinism, distributions, validity, history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from functools import cache

import pytest

from meedoen.clients.bsn import bsn_normalise
from meedoen.dataexchange.columns import COLUMN_NAMES
from meedoen.dataexchange.demo.deliveries import COLUMNS, Delivery, deliveries_render
from meedoen.dataexchange.demo.names import ORIGINS, split_surname
from meedoen.dataexchange.demo.world import World, bsn_supply, world_build

TODAY = dt.date(2025, 6, 1)
N = 3000


@cache
def _world(clients: int = N, seed: int = 1) -> World:
    return world_build(clients=clients, seed=seed, today=TODAY)


@cache
def _deliveries(clients: int = N, seed: int = 1) -> tuple[Delivery, ...]:
    return tuple(deliveries_render(world=_world(clients, seed), municipality_code="0518"))


def _rows(delivery: Delivery) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(delivery.content.decode("utf-8")), delimiter=";"))


def _current_adults(world: World) -> list:
    last = world.reference_dates[-1]
    adults = []
    for household in world.households:
        spell = household.spell_on(last)
        if spell is None or spell.end is not None:
            continue
        adults += [
            m.person for m in household.members_on(last) if m.role in {"aanvrager", "partner"}
        ]
    return adults


def test_same_seed_gives_identical_bytes_and_another_seed_does_not():
    first = deliveries_render(
        world=world_build(clients=400, seed=7, today=TODAY), municipality_code="0518"
    )
    again = deliveries_render(
        world=world_build(clients=400, seed=7, today=TODAY), municipality_code="0518"
    )
    other = deliveries_render(
        world=world_build(clients=400, seed=8, today=TODAY), municipality_code="0518"
    )
    assert [d.content for d in first] == [d.content for d in again]
    assert [d.content for d in first] != [d.content for d in other]


def test_three_deliveries_a_year_apart_ending_on_today():
    deliveries = _deliveries()
    assert [d.reference_date for d in deliveries] == [
        dt.date(2023, 6, 1),
        dt.date(2024, 6, 1),
        TODAY,
    ]
    assert deliveries[-1].file_name.endswith("2025-06-01.csv")


def test_header_is_the_agreed_import_format():
    assert tuple(COLUMN_NAMES) == COLUMNS
    header = _deliveries()[0].content.decode("utf-8").splitlines()[0]
    assert header.split(";") == list(COLUMNS)


def test_last_delivery_holds_exactly_n_persons_of_households_on_benefit():
    rows = _rows(_deliveries()[-1])
    ended_households = {r["huishoudnummer"] for r in rows if r["uitkering_einde"]}
    on_benefit = [r for r in rows if r["huishoudnummer"] not in ended_households]
    assert len(on_benefit) == N


def test_bsns_are_valid_unique_and_in_the_test_range():
    bsn_of: dict[str, str] = {}
    number_of: dict[str, str] = {}
    for delivery in _deliveries():
        for row in _rows(delivery):
            bsn = row["bsn"]
            assert bsn_normalise(bsn) == bsn
            assert bsn.startswith("9999")
            # A person keeps one BSN over the deliveries, and no two persons share one.
            assert bsn_of.setdefault(row["klantnummer"], bsn) == bsn
            assert number_of.setdefault(bsn, row["klantnummer"]) == row["klantnummer"]


def test_bsn_supply_starts_with_the_whole_9999_range():
    import random

    supply = bsn_supply(random.Random(1))
    first = [next(supply) for _ in range(9091)]
    assert len(set(first)) == 9091
    assert all(b.startswith("9999") and bsn_normalise(b) == b for b in first)
    assert next(supply).startswith("9998")


def test_every_household_has_one_applicant_and_one_address_in_every_delivery():
    for delivery in _deliveries():
        households: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in _rows(delivery):
            households[row["huishoudnummer"]].append(row)
            for column in ("geboortedatum", "adres_sinds", "uitkering_ingang", "uitkering_einde"):
                if row[column]:
                    assert dt.date.fromisoformat(row[column]) <= delivery.reference_date
        for rows in households.values():
            assert [r["rol"] for r in rows].count("aanvrager") == 1
            addresses = {
                (r["postcode"], r["huisnummer"], r["toevoeging"], r["adres_sinds"]) for r in rows
            }
            assert len(addresses) == 1
            for row in rows:
                own_benefit = row["rol"] in {"aanvrager", "partner"}
                assert bool(row["uitkering_soort"]) == own_benefit
                assert bool(row["uitkering_einde"]) == bool(row["reden_einde"])


def test_an_address_key_always_names_the_same_street():
    street_of: dict[tuple[str, str, str], str] = {}
    for delivery in _deliveries():
        for row in _rows(delivery):
            key = (row["postcode"], row["huisnummer"], row["toevoeging"])
            assert street_of.setdefault(key, row["straat"]) == row["straat"]


def test_distributions_are_like_den_haag():
    world = _world()
    adults = _current_adults(world)
    last = world.reference_dates[-1]
    share_50_plus = sum(p.age_on(last) >= 50 for p in adults) / len(adults)
    share_non_western = sum(p.non_western for p in adults) / len(adults)
    born_non_western = sum(
        p.country_of_birth != "NL" and ORIGINS[p.origin].non_western for p in adults
    ) / len(adults)
    assert 0.42 <= share_50_plus <= 0.58
    assert 0.42 <= share_non_western <= 0.6
    assert born_non_western >= 0.35  # the rest is the second generation, born here

    three_years_ago = dt.date(2022, 6, 1)
    current = [h for h in world.households if (s := h.spell_on(last)) and s.end is None]
    long_term = sum(h.spells[-1].start < three_years_ago for h in current) / len(current)
    assert 0.72 <= long_term <= 0.88  # Den Haag: 22,000 of 27,000

    shapes = Counter()
    for household in current:
        roles = Counter(m.role for m in household.members_on(last))
        if roles["overig"]:
            shapes["other"] += 1
        elif roles["partner"]:
            shapes["couple_children" if roles["kind"] else "couple"] += 1
        else:
            shapes["single_parent" if roles["kind"] else "single"] += 1
    share = {k: v / len(current) for k, v in shapes.items()}
    assert 0.45 <= share["single"] <= 0.65
    assert 0.15 <= share["single_parent"] <= 0.3
    assert 0.05 <= share["couple"] <= 0.15
    assert 0.07 <= share["couple_children"] <= 0.16
    assert 0.01 <= share["other"] <= 0.08


def test_wijken_concentrate_where_bijstand_does():
    rows = _rows(_deliveries()[-1])
    per_wijk = Counter(r["wijknaam"] for r in rows)
    assert per_wijk["Schilderswijk"] > per_wijk["Scheveningen"] * 2
    assert per_wijk["Laakkwartier en Spoorwijk"] > per_wijk["Ypenburg"] * 2
    assert all(r["wijkcode"].startswith("WK0518") for r in rows)
    assert all(r["buurtcode"].startswith("BU" + r["wijkcode"][2:]) for r in rows)


def test_history_shows_exit_reentry_moves_and_partners():
    deliveries = _deliveries()
    starts: dict[str, set[str]] = defaultdict(set)
    addresses: dict[str, set[str]] = defaultdict(set)
    partners: dict[str, list[bool]] = defaultdict(list)
    reasons = Counter()
    for delivery in deliveries:
        seen_partner: dict[str, bool] = defaultdict(bool)
        for row in _rows(delivery):
            if row["uitkering_ingang"]:
                starts[row["klantnummer"]].add(row["uitkering_ingang"])
            addresses[row["huishoudnummer"]].add(row["postcode"] + row["huisnummer"])
            if row["reden_einde"]:
                reasons[row["reden_einde"]] += 1
            seen_partner[row["huishoudnummer"]] |= row["rol"] == "partner"
        for household, has_partner in seen_partner.items():
            partners[household].append(has_partner)
    assert sum(len(s) >= 2 for s in starts.values()) >= 20  # re-entry or a new kind of benefit
    assert sum(len(a) >= 2 for a in addresses.values()) >= 50  # moves
    assert reasons["werk"] >= 20
    assert reasons["verhuizing"] >= 5
    assert reasons["andere_uitkering"] >= 5  # among others: reaching the AOW age
    assert any(seq != sorted(seq) for seq in partners.values())  # a partner left
    assert any(seq == sorted(seq) and seq[0] != seq[-1] for seq in partners.values())  # joined


def test_languages_and_countries_are_codes_the_import_accepts():
    from meedoen.dataexchange.codes import COUNTRY_CODES, LANGUAGE_CODES

    for row in _rows(_deliveries()[-1]):
        assert row["geboorteland"] in COUNTRY_CODES
        assert set(row["talen"].split()) <= LANGUAGE_CODES


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("van den Berg", ("van den", "Berg")),
        ("de Jong", ("de", "Jong")),
        ("El Amrani", ("", "El Amrani")),
        ("Molenaar", ("", "Molenaar")),
    ],
)
def test_split_surname_keeps_dutch_prefixes_apart(full, expected):
    assert split_surname(full) == expected
