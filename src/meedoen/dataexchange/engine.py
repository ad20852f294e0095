"""Comparing a validated delivery with the registry, and planning the writes.

The registry of one municipality is loaded in six queries into dictionaries, and the file is
compared with it in Python, chunk by chunk (``Planner``). Each chunk yields the rows to insert and
update, table by table, as bulk.Step lists that bulk.py writes in a handful of statements; counts,
a sample for the preview and errors collect on a ``Plan``. No query runs per row.

The rules (docs/development/import.md has the full story):

- A person is found by the keyed hash of the BSN, else by client number.
- The file is a full delivery at a reference date: an open benefit of a client who is not in the
  file, or who is in it without a benefit, ends on the reference date ("niet_geleverd").
- A benefit period is recognised by its start date. Another start date than the open period's
  closes that one (the day before) and opens a new period: that is also how a person who comes
  back (re-entry) gets a new period. An earlier start date corrects the open period.
- A household that moves gets its current residence closed (the day before ``adres_sinds``, or
  the reference date) and a new one opened; a person who changes household gets the membership
  closed and a new one opened. ``Client.household`` and ``Household.address`` follow.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import models
from django.utils.translation import gettext as _

from meedoen.clients.bsn import bsn_encrypt, bsn_hash
from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
    Residence,
)
from meedoen.dataexchange.bulk import BulkWriter, Step
from meedoen.dataexchange.columns import COLUMN_NAMES
from meedoen.dataexchange.validation import Person, RowError

SAMPLE_SIZE = 25
_DAY = dt.timedelta(days=1)

# Client columns compared with the file, in this order, and the file column each comes from.
_CLIENT_FIELDS = (
    "client_number",
    "first_names",
    "name_prefix",
    "surname",
    "sort_name",
    "date_of_birth",
    "gender",
    "country_of_birth",
    "email",
    "phone",
    "languages",
    "household_id",
    # What this delivery said, kept to recognise news from the administration next time.
    "delivered_email",
    "delivered_phone",
    "delivered_languages",
)
_EMAIL = _CLIENT_FIELDS.index("email")
_PHONE = _CLIENT_FIELDS.index("phone")
_LANGUAGES = _CLIENT_FIELDS.index("languages")
_DELIVERED_EMAIL = _CLIENT_FIELDS.index("delivered_email")
_DELIVERED_PHONE = _CLIENT_FIELDS.index("delivered_phone")
_DELIVERED_LANGUAGES = _CLIENT_FIELDS.index("delivered_languages")
_JSON_FIELDS = (_LANGUAGES, _DELIVERED_LANGUAGES)
_CLIENT_LABELS = (
    "klantnummer",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "",  # sort_name follows achternaam
    "geboortedatum",
    "geslacht",
    "geboorteland",
    "email",
    "telefoon",
    "talen",
    "huishoudnummer",
    "",  # the delivered_* columns are bookkeeping, not a change anyone sees
    "",
    "",
)
_ADDRESS_FIELDS = (
    "street",
    "city",
    "district_code",
    "district_name",
    "neighbourhood_code",
    "neighbourhood_name",
)
_ADDRESS_LABELS = ("straat", "woonplaats", "wijkcode", "wijknaam", "buurtcode", "buurtnaam")
# "adres" in a sample stands for the address columns together (a move).
_LABEL_ORDER = {name: i for i, name in enumerate(COLUMN_NAMES)} | {
    "adres": COLUMN_NAMES.index("postcode")
}


class _Client(NamedTuple):
    id: Any
    bsn_hash: str
    values: tuple[Any, ...]  # in the order of _CLIENT_FIELDS


class _Period(NamedTuple):
    id: Any
    client_id: Any
    benefit_type: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str


class _Span(NamedTuple):
    """An open residence (household → address) or membership (client → household)."""

    id: Any
    owner_id: Any
    target_id: Any
    start_date: dt.date
    role: str = ""


@dataclass
class _State:
    clients: list[_Client] = field(default_factory=list)
    by_hash: dict[str, _Client] = field(default_factory=dict)
    by_number: dict[str, _Client] = field(default_factory=dict)
    households: dict[str, tuple[Any, Any]] = field(
        default_factory=dict
    )  # reference → (id, address_id)
    addresses: dict[tuple[str, int, str], tuple[Any, tuple[str, ...]]] = field(default_factory=dict)
    open_residences: dict[Any, _Span] = field(default_factory=dict)  # household_id →
    open_memberships: dict[Any, _Span] = field(default_factory=dict)  # client_id →
    periods: dict[Any, list[_Period]] = field(default_factory=dict)  # client_id →


@dataclass
class Plan:
    new_count: int = 0
    changed_count: int = 0
    unchanged_count: int = 0
    ended_count: int = 0
    samples: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"new": [], "changed": [], "ended": []}
    )
    errors: list[RowError] = field(default_factory=list)

    def sample(self, kind: str, client_number: str, labels: Sequence[str] = ()) -> None:
        bucket = self.samples[kind]
        if len(bucket) < SAMPLE_SIZE:
            bucket.append({"client_number": client_number, "fields": list(labels)})


def _load_state(db: BulkWriter, municipality_id: Any) -> _State:
    # The f-strings below hold only fixed column names and the driver's id/JSON casts; the
    # municipality id is a bound parameter (hence nosec B608 / noqa S608).
    state = _State()
    mid = db.id_param(municipality_id)
    json_value = db.json_value
    ident = db.id_column
    client_columns = ", ".join(
        ident(f"c.{name}")
        if name == "household_id"
        else db.json_column(f"c.{name}")
        if name in ("languages", "delivered_languages")
        else f"c.{name}"
        for name in _CLIENT_FIELDS
    )
    for row in db.fetch(
        f"SELECT {ident('c.id')}, c.bsn_hash, {client_columns} FROM clients_client c "  # noqa: S608  # nosec B608
        "WHERE c.municipality_id = %s",
        [mid],
    ):
        values = list(row[2:])
        for index in _JSON_FIELDS:
            values[index] = json_value(values[index])
        client = _Client(row[0], row[1], tuple(values))
        state.clients.append(client)
        state.by_hash[client.bsn_hash] = client
        state.by_number[values[0]] = client
    for household_id, reference, address_id in db.fetch(
        f"SELECT {ident('id')}, reference, {ident('address_id')} "  # noqa: S608  # nosec B608
        "FROM clients_household WHERE municipality_id = %s",
        [mid],
    ):
        state.households[reference] = (household_id, address_id)
    address_columns = ", ".join(_ADDRESS_FIELDS)
    for row in db.fetch(
        f"SELECT {ident('id')}, postcode, house_number, house_number_addition, {address_columns} "  # noqa: S608  # nosec B608
        "FROM clients_address WHERE municipality_id = %s",
        [mid],
    ):
        state.addresses[(row[1], row[2], row[3])] = (row[0], tuple(row[4:]))
    for residence_id, household_id, address_id, start in db.fetch(
        f"SELECT {ident('r.id')}, {ident('r.household_id')}, {ident('r.address_id')}, "  # noqa: S608  # nosec B608
        "r.start_date FROM clients_residence r "
        "JOIN clients_household h ON h.id = r.household_id "
        "WHERE h.municipality_id = %s AND r.end_date IS NULL",
        [mid],
    ):
        state.open_residences[household_id] = _Span(residence_id, household_id, address_id, start)
    for membership_id, client_id, household_id, start, role in db.fetch(
        f"SELECT {ident('m.id')}, {ident('m.client_id')}, {ident('m.household_id')}, "  # noqa: S608  # nosec B608
        "m.start_date, m.role "
        "FROM clients_householdmembership m JOIN clients_client c ON c.id = m.client_id "
        "WHERE c.municipality_id = %s AND m.end_date IS NULL",
        [mid],
    ):
        state.open_memberships[client_id] = _Span(
            membership_id, client_id, household_id, start, role
        )
    for row in db.fetch(
        f"SELECT {ident('b.id')}, {ident('b.client_id')}, b.benefit_type, b.start_date, "  # noqa: S608  # nosec B608
        "b.end_date, b.end_reason "
        "FROM clients_benefitperiod b JOIN clients_client c ON c.id = b.client_id "
        "WHERE c.municipality_id = %s",
        [mid],
    ):
        period = _Period(*row)
        state.periods.setdefault(period.client_id, []).append(period)
    return state


class _Writes:
    """Rows to write, per table and kind, collected while comparing.

    Rows are tuples in the order of the field lists in ``steps()``; inserts start with the new
    id, updates with the id of the row to change. ``steps()`` adds the timestamps.
    """

    def __init__(self, new_id: Callable[[], Any], now: Any) -> None:
        self.new_id = new_id
        self.inserted = (now, now)  # created_at, updated_at
        self.updated = (now,)  # updated_at
        self.address_inserts: list[tuple[Any, ...]] = []
        self.address_updates: list[tuple[Any, ...]] = []
        self.household_inserts: list[tuple[Any, ...]] = []
        self.household_updates: list[tuple[Any, ...]] = []
        self.residence_inserts: list[tuple[Any, ...]] = []
        self.residence_updates: list[tuple[Any, ...]] = []  # (id, start_date, end_date)
        self.client_inserts: list[tuple[Any, ...]] = []
        self.client_updates: list[tuple[Any, ...]] = []
        self.client_bsn_updates: list[tuple[Any, ...]] = []
        self.membership_inserts: list[tuple[Any, ...]] = []
        self.membership_updates: list[tuple[Any, ...]] = []  # (id, role, end_date)
        self.benefit_inserts: list[tuple[Any, ...]] = []
        self.benefit_updates: list[tuple[Any, ...]] = []  # (id, type, start, end, reason)

    def steps(self) -> list[Step]:
        steps: list[Step] = []
        order = iter(range(100))

        def insert(
            model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]
        ) -> None:
            position = next(order)
            if rows:
                stamp = self.inserted
                fields = (*fields, "created_at", "updated_at")
                steps.append(Step(position, "insert", model, fields, [r + stamp for r in rows]))

        def update(
            model: type[models.Model],
            fields: tuple[str, ...],
            rows: list[tuple[Any, ...]],
            end: int = 0,
        ) -> None:
            # A period that is closed must be closed before another one opens: one open period
            # per client or household is a partial unique constraint.
            groups = (
                [[r for r in rows if r[end] is not None], [r for r in rows if r[end] is None]]
                if end
                else [rows]
            )
            stamp = self.updated
            fields = (*fields, "updated_at")
            for group in groups:
                position = next(order)
                if group:
                    steps.append(
                        Step(position, "update", model, fields, [r + stamp for r in group])
                    )

        insert(
            Address,
            (
                "id",
                "municipality_id",
                "postcode",
                "house_number",
                "house_number_addition",
                *_ADDRESS_FIELDS,
            ),
            self.address_inserts,
        )
        update(Address, _ADDRESS_FIELDS, self.address_updates)
        insert(
            Household, ("id", "municipality_id", "reference", "address_id"), self.household_inserts
        )
        update(Household, ("address_id",), self.household_updates)
        update(Residence, ("start_date", "end_date"), self.residence_updates, end=2)
        insert(
            Residence,
            ("id", "household_id", "address_id", "start_date", "end_date"),
            self.residence_inserts,
        )
        insert(
            Client,
            ("id", "municipality_id", "bsn_hash", "bsn_encrypted", *_CLIENT_FIELDS),
            self.client_inserts,
        )
        update(Client, _CLIENT_FIELDS, self.client_updates)
        update(Client, ("bsn_hash", "bsn_encrypted"), self.client_bsn_updates)
        update(HouseholdMembership, ("role", "end_date"), self.membership_updates, end=2)
        insert(
            HouseholdMembership,
            ("id", "household_id", "client_id", "role", "start_date", "end_date"),
            self.membership_inserts,
        )
        update(
            BenefitPeriod,
            ("benefit_type", "start_date", "end_date", "end_reason"),
            self.benefit_updates,
            end=3,
        )
        insert(
            BenefitPeriod,
            ("id", "client_id", "benefit_type", "start_date", "end_date", "end_reason"),
            self.benefit_inserts,
        )
        return steps


def _ordered(labels: list[str]) -> list[str]:
    unique = list(dict.fromkeys(label for label in labels if label))
    return sorted(unique, key=lambda label: _LABEL_ORDER.get(label, len(_LABEL_ORDER)))


class Planner:
    """Compares persons with the registry, chunk by chunk, and says what to write for each chunk.

    ``add(persons)`` returns the write steps for those persons (and for their household and
    address, the first time one is seen); ``finish()`` returns the steps for the clients that
    were not in the file. Counts, samples and errors collect on ``plan``. Nothing is written
    here; the caller writes the steps in order (bulk.StepWriter or BulkWriter.write_steps).
    """

    def __init__(self, *, db: BulkWriter, municipality_id: Any, reference_date: dt.date) -> None:
        self.db = db
        self.state = _load_state(db, municipality_id)
        self.plan = Plan()
        self.reference_date = reference_date
        self.mid = db.id_param(municipality_id)
        self.address_ids: dict[tuple[str, int, str], Any] = {}
        self.address_labels: dict[tuple[str, int, str], list[str]] = {}
        self.household_ids: dict[str, Any] = {}
        self.household_labels: dict[str, list[str]] = {}
        self.matched: dict[Any, int] = {}  # existing client id → the row that matched it
        self.json_texts: dict[tuple[str, ...], str] = {}

    def add(self, persons: list[Person]) -> list[Step]:
        writes = _Writes(self.db.new_id, self.db.now_db)
        for person in persons:
            if person.household_reference not in self.household_ids:
                self._household(writes, person)
            self._person(writes, person)
        return writes.steps()

    def finish(self) -> list[Step]:
        """Full delivery: whoever is not in the file has no benefit any more."""
        writes = _Writes(self.db.new_id, self.db.now_db)
        state, plan = self.state, self.plan
        for client in state.clients:
            if client.id in self.matched:
                continue
            open_period = _open_period(state.periods.get(client.id, ()))
            if open_period is None:
                continue
            end = max(open_period.start_date, self.reference_date)
            _close(writes, open_period, end, BenefitEndReason.NOT_DELIVERED)
            plan.ended_count += 1
            plan.sample("ended", client.values[0], ["uitkering_einde", "reden_einde"])
        return writes.steps()

    def _json_text(self, languages: list[str]) -> str:
        key = tuple(languages)
        text = self.json_texts.get(key)
        if text is None:
            text = self.json_texts[key] = json.dumps(languages)
        return text

    def _stored(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """Client values as written: the language lists as JSON text (few distinct, cached).
        Per row of the file, so spelled out for the two positions rather than looped."""
        return (
            *values[:_LANGUAGES],
            self._json_text(values[_LANGUAGES]),
            *values[_LANGUAGES + 1 : _DELIVERED_LANGUAGES],
            self._json_text(values[_DELIVERED_LANGUAGES]),
            *values[_DELIVERED_LANGUAGES + 1 :],
        )

    def _address(self, writes: _Writes, person: Person) -> Any:
        key = person.address_key
        address_id = self.address_ids.get(key)
        if address_id is not None:
            return address_id
        attributes = (
            person.street,
            person.city,
            person.district_code,
            person.district_name,
            person.neighbourhood_code,
            person.neighbourhood_name,
        )
        known = self.state.addresses.get(key)
        if known is None:
            address_id = writes.new_id()
            writes.address_inserts.append((address_id, self.mid, *key, *attributes))
        else:
            address_id, old = known
            if old != attributes:
                writes.address_updates.append((address_id, *attributes))
                self.address_labels[key] = [
                    label
                    for label, a, b in zip(_ADDRESS_LABELS, old, attributes, strict=True)
                    if a != b
                ]
        self.address_ids[key] = address_id
        return address_id

    def _household(self, writes: _Writes, person: Person) -> None:
        """The household and its residence, from the first row of the household (validation made
        sure that every row of a household has the same address)."""
        reference = person.household_reference
        address_id = self._address(writes, person)
        since = person.address_since or self.reference_date
        known = self.state.households.get(reference)
        labels: list[str] = []
        if known is None:
            household_id = writes.new_id()
            writes.household_inserts.append((household_id, self.mid, reference, address_id))
            writes.residence_inserts.append(
                (writes.new_id(), household_id, address_id, since, None)
            )
        else:
            household_id, old_address_id = known
            residence = self.state.open_residences.get(household_id)
            if residence is None or residence.target_id != address_id:
                if residence is not None:
                    end = max(residence.start_date, since - _DAY)
                    writes.residence_updates.append((residence.id, residence.start_date, end))
                writes.residence_inserts.append(
                    (writes.new_id(), household_id, address_id, since, None)
                )
                labels.append("adres")
            else:
                labels += self.address_labels.get(person.address_key, [])
                if (
                    person.address_since is not None
                    and person.address_since != residence.start_date
                ):
                    writes.residence_updates.append((residence.id, person.address_since, None))
                    labels.append("adres_sinds")
            if old_address_id != address_id:
                writes.household_updates.append((household_id, address_id))
                labels.append("adres")
        self.household_ids[reference] = household_id
        self.household_labels[reference] = labels

    def _person(self, writes: _Writes, person: Person) -> None:
        state, plan = self.state, self.plan
        hashed = bsn_hash(person.bsn)
        client = state.by_hash.get(hashed)
        same_number = state.by_number.get(person.client_number)
        bsn_changed = False
        if client is None and same_number is not None:
            # Same client number, other BSN: the BSN was corrected in the administration.
            client = same_number
            bsn_changed = True
        elif client is not None and same_number is not None and same_number is not client:
            plan.errors.append(
                RowError(
                    person.row,
                    "klantnummer",
                    _("dit klantnummer is in Meedoen al van een andere cliënt."),
                )
            )
            return
        if client is not None:
            first = self.matched.setdefault(client.id, person.row)
            if first != person.row:
                plan.errors.append(
                    RowError(
                        person.row,
                        "klantnummer" if bsn_changed else "bsn",
                        _("deze persoon is in Meedoen dezelfde cliënt als die van rij %(row)s.")
                        % {"row": first},
                    )
                )
                return

        household_id = self.household_ids[person.household_reference]
        email, phone, languages = person.email, person.phone, person.languages
        if client is not None:
            known = client.values
            email = _contact(email, known[_EMAIL], known[_DELIVERED_EMAIL])
            phone = _contact(phone, known[_PHONE], known[_DELIVERED_PHONE])
            languages = _contact(languages, known[_LANGUAGES], known[_DELIVERED_LANGUAGES])
        values = (
            person.client_number,
            person.first_names,
            person.name_prefix,
            person.surname,
            person.surname.lower(),
            person.date_of_birth,
            person.gender,
            person.country_of_birth,
            email,
            phone,
            languages,
            household_id,
            person.email,
            person.phone,
            person.languages,
        )
        reference_date = self.reference_date
        if client is None:
            client_id = writes.new_id()
            writes.client_inserts.append(
                (client_id, self.mid, hashed, bsn_encrypt(person.bsn), *self._stored(values))
            )
            writes.membership_inserts.append(
                (writes.new_id(), household_id, client_id, person.role, reference_date, None)
            )
            if person.benefit_type:
                writes.benefit_inserts.append(
                    (
                        writes.new_id(),
                        client_id,
                        person.benefit_type,
                        person.benefit_start,
                        person.benefit_end,
                        person.end_reason,
                    )
                )
            plan.new_count += 1
            plan.sample("new", person.client_number)
            return

        labels = list(self.household_labels[person.household_reference])
        if values != client.values:
            writes.client_updates.append((client.id, *self._stored(values)))
            labels += [
                label
                for label, old, new in zip(_CLIENT_LABELS, client.values, values, strict=True)
                if label and old != new
            ]
        if bsn_changed:
            writes.client_bsn_updates.append((client.id, hashed, bsn_encrypt(person.bsn)))
            labels.append("bsn")
        labels += _plan_membership(
            writes, client.id, household_id, person.role, reference_date, state
        )
        labels += _plan_benefit(writes, client.id, person, reference_date, state)
        if labels:
            plan.changed_count += 1
            plan.sample("changed", person.client_number, _ordered(labels))
        else:
            plan.unchanged_count += 1


def _contact(delivered: Any, stored: Any, delivered_before: Any) -> Any:
    """A contact detail after this delivery (telephone, e-mail, languages).

    Staff may have corrected what the administration delivered (clients.services). The delivery
    overwrites the stored value only with news: a value that differs from what the previous
    delivery said. The same value again means the administration has nothing new, so a coach's
    correction stays; an empty cell never blanks a value.
    """
    if delivered and delivered != delivered_before:
        return delivered
    return stored


def _plan_membership(
    writes: _Writes,
    client_id: Any,
    household_id: Any,
    role: str,
    reference_date: dt.date,
    state: _State,
) -> list[str]:
    membership = state.open_memberships.get(client_id)
    if membership is not None and membership.target_id == household_id:
        if membership.role == role:
            return []
        writes.membership_updates.append((membership.id, role, None))
        return ["rol"]
    if membership is not None:
        end = max(membership.start_date, reference_date - _DAY)
        writes.membership_updates.append((membership.id, membership.role, end))
    writes.membership_inserts.append(
        (writes.new_id(), household_id, client_id, role, reference_date, None)
    )
    return ["huishoudnummer"]


def _open_period(periods: Sequence[_Period]) -> _Period | None:
    for period in periods:
        if period.end_date is None:
            return period
    return None


def _close(writes: _Writes, period: _Period, end: dt.date, reason: str) -> None:
    writes.benefit_updates.append((period.id, period.benefit_type, period.start_date, end, reason))


def _plan_benefit(
    writes: _Writes, client_id: Any, person: Person, reference_date: dt.date, state: _State
) -> list[str]:
    periods = state.periods.get(client_id, ())
    open_period = _open_period(periods)
    if not person.benefit_type:
        if open_period is None:
            return []
        # In the file, but without a benefit of their own any more.
        _close(
            writes,
            open_period,
            max(open_period.start_date, reference_date),
            BenefitEndReason.NOT_DELIVERED,
        )
        return ["uitkering_einde"]

    start = person.benefit_start
    assert start is not None  # validation requires it with a type
    desired = (person.benefit_type, start, person.benefit_end, person.end_reason)
    match = next((p for p in periods if p.start_date == start), None)
    if match is None and open_period is not None and start < open_period.start_date:
        match = open_period  # an earlier start date corrects the open period
    if match is not None:
        current = (match.benefit_type, match.start_date, match.end_date, match.end_reason)
        if current == desired:
            return []
        if person.benefit_end is None and open_period is not None and open_period is not match:
            _close(
                writes,
                open_period,
                max(open_period.start_date, reference_date),
                BenefitEndReason.OTHER,
            )
        writes.benefit_updates.append((match.id, *desired))
        return [
            label
            for label, old, new in zip(
                ("uitkering_soort", "uitkering_ingang", "uitkering_einde", "reden_einde"),
                current,
                desired,
                strict=True,
            )
            if old != new
        ]
    labels = ["uitkering_soort", "uitkering_ingang"]
    if open_period is not None:
        _close(
            writes, open_period, max(open_period.start_date, start - _DAY), BenefitEndReason.OTHER
        )
        labels.append("uitkering_einde")
    writes.benefit_inserts.append((writes.new_id(), client_id, *desired))
    return labels
