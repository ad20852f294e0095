"""Checking a delivery row by row, and across rows, without touching the database.

Every problem becomes a ``RowError`` with the row number (the header is row 1), the column and a
Dutch message. Messages never repeat a BSN, a name, a date or an address from the file: the import
is run by a functional admin who does no casework. They may repeat a code that was not recognised
(a role, a benefit type, a country code), which is no personal data and helps to fix the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.nl.bsn import checksum as bsn_checksum

from meedoen.clients.constants import BenefitEndReason, BenefitType, Gender, HouseholdRole
from meedoen.dataexchange.codes import COUNTRY_CODES, LANGUAGE_CODES
from meedoen.dataexchange.columns import COLUMN_NAMES, REQUIRED_COLUMNS
from meedoen.dataexchange.parsing import Cell, Row, Table

# Keep the first this-many errors; count the rest.
MAX_ERRORS = 10_000

_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
_HOUSE_NUMBER = re.compile(r"^[0-9]{1,5}$")
_PHONE = re.compile(r"^[0-9+\-() ]{6,20}$")
_BSN_DIGITS = re.compile(r"^[0-9]{8,9}$")
_DMY = re.compile(r"^([0-9]{2})-([0-9]{2})-([0-9]{4})$")
_LANGUAGE_SPLIT = re.compile(r"[\s,;]+")

_GENDERS = {
    "m": Gender.MALE.value,
    "v": Gender.FEMALE.value,
    "x": Gender.OTHER.value,
    "": Gender.OTHER.value,
}
_ROLES = frozenset(HouseholdRole.values)
_BENEFIT_TYPES = frozenset(BenefitType.values)
_END_REASONS = frozenset(BenefitEndReason.values)
_OLDEST_BIRTH = dt.date(1900, 1, 1)

# Maximum lengths, from the model fields they end up in.
_MAX_LENGTH = {
    "klantnummer": 32,
    "voornamen": 200,
    "tussenvoegsel": 20,
    "achternaam": 200,
    "email": 254,
    "huishoudnummer": 32,
    "toevoeging": 8,
    "straat": 120,
    "woonplaats": 80,
    "wijkcode": 8,
    "wijknaam": 80,
    "buurtcode": 10,
    "buurtnaam": 80,
}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return format_error(self.row, self.column, self.message)


def format_error(row: int, column: str, message: str) -> str:
    """How an error reads on screen and on the command line. Row 0 is the file as a whole."""
    if not row:
        return message
    if column:
        return _("Rij %(row)s, kolom %(column)s: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Rij %(row)s: %(message)s") % {"row": row, "message": message}


@dataclass(slots=True)
class Person:
    """One valid row of the delivery, normalised."""

    row: int
    client_number: str
    bsn: str
    first_names: str
    name_prefix: str
    surname: str
    date_of_birth: dt.date
    gender: str
    country_of_birth: str
    email: str
    phone: str
    languages: list[str]
    household_reference: str
    role: str
    postcode: str
    house_number: int
    house_number_addition: str
    street: str
    city: str
    district_code: str
    district_name: str
    neighbourhood_code: str
    neighbourhood_name: str
    address_since: dt.date | None
    benefit_type: str
    benefit_start: dt.date | None
    benefit_end: dt.date | None
    end_reason: str

    @property
    def address_key(self) -> tuple[str, int, str]:
        return (self.postcode, self.house_number, self.house_number_addition)


@dataclass
class Validated:
    persons: list[Person] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows_total: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0


class _Messages:
    """The Dutch messages, translated once per run rather than once per row."""

    def __init__(self, reference_date: dt.date) -> None:
        self.required = _("is verplicht maar leeg.")
        self.too_long = _("is te lang (maximaal %(max)s tekens).")
        self.bsn = _("geen geldig BSN: verwacht 9 cijfers die voldoen aan de 11-proef.")
        self.date = _("geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ.")
        self.future = _("de datum ligt na de peildatum (%(date)s).") % {
            "date": reference_date.strftime("%d-%m-%Y")
        }
        self.birth_too_old = _("de geboortedatum ligt voor 1900.")
        self.gender = _("onbekend geslacht '%(value)s'; gebruik M, V of X.")
        self.country = _(
            "onbekende landcode '%(value)s'; gebruik ISO 3166-1 alpha-2, bijvoorbeeld NL."
        )
        self.email = _("geen geldig e-mailadres.")
        self.phone = _("geen geldig telefoonnummer; alleen cijfers, spaties, +, - en haakjes.")
        self.language = _(
            "onbekende taalcode '%(value)s'; gebruik ISO 639-1, bijvoorbeeld nl of ar."
        )
        self.role = _("onbekende rol '%(value)s'; kies uit %(choices)s.") % {
            "value": "%(value)s",
            "choices": ", ".join(HouseholdRole.values),
        }
        self.postcode = _(
            "geen geldige postcode; verwacht 4 cijfers en 2 letters, bijvoorbeeld 2526 AB."
        )
        self.house_number = _("geen geldig huisnummer; alleen cijfers, zonder toevoeging.")
        self.benefit_type = _("onbekende soort uitkering '%(value)s'; kies uit %(choices)s.") % {
            "value": "%(value)s",
            "choices": ", ".join(BenefitType.values),
        }
        self.end_reason = _("onbekende reden '%(value)s'; kies uit %(choices)s.") % {
            "value": "%(value)s",
            "choices": ", ".join(BenefitEndReason.values),
        }
        self.needs_benefit_type = _("alleen invullen als uitkering_soort is ingevuld.")
        self.needs_start = _("is verplicht als uitkering_soort is ingevuld.")
        self.end_before_start = _("de einddatum ligt voor de ingangsdatum.")
        self.needs_reason = _("is verplicht als uitkering_einde is ingevuld.")
        self.reason_without_end = _("alleen invullen als uitkering_einde is ingevuld.")


def _echo(value: str) -> str:
    """A code from the file, shortened, for a message (never used for personal data)."""
    value = value.strip()
    return value if len(value) <= 20 else value[:20] + "…"


class Validator:
    """Checks a delivery in chunks, so that the import can compare and write while it reads.

    ``check(rows)`` returns the persons of those rows that passed every check so far; rules that
    span rows (the same person twice, one applicant and one address per household) are applied as
    the rows come by, against the rows before them. ``finish()`` applies what can only be known
    at the end (a household without an applicant). A file is valid when, after ``finish()``,
    ``result.error_count`` is 0; persons returned earlier from an invalid file must not be kept.
    """

    def __init__(self, header: list[str], *, reference_date: dt.date) -> None:
        self.result = Validated()
        index = _check_header(header, self.result)
        self.checker = (
            _RowChecker(index, len(header), reference_date, self.result)
            if index is not None
            else None
        )
        self.first_bsn: dict[str, int] = {}
        self.first_number: dict[str, int] = {}
        self.household_head: dict[str, Person] = {}  # first valid row of each household
        self.household_rows: dict[str, list[int]] = {}

    @property
    def header_ok(self) -> bool:
        return self.checker is not None

    def check(self, rows: Iterable[Row]) -> list[Person]:
        checker = self.checker
        persons: list[Person] = []
        if checker is None:
            self.result.rows_total += sum(1 for _ in rows)
            return persons
        for row, cells in rows:
            self.result.rows_total += 1
            person = checker(row, cells)
            if person is not None and self._fits(person):
                persons.append(person)
        return persons

    def _fits(self, person: Person) -> bool:
        """The rules between rows, against the rows before this one."""
        add = self.result.add
        row = person.row
        fits = True
        first = self.first_bsn.setdefault(person.bsn, row)
        if first != row:
            add(row, "bsn", _("dezelfde persoon (BSN) staat ook in rij %(row)s.") % {"row": first})
            fits = False
        first = self.first_number.setdefault(person.client_number, row)
        if first != row:
            add(row, "klantnummer", _("dit klantnummer staat ook in rij %(row)s.") % {"row": first})
            fits = False
        reference = person.household_reference
        if person.role == HouseholdRole.APPLICANT:
            # The row checker noted every applicant row, also those with errors of their own.
            first = self.checker.applicant_row[reference]  # type: ignore[union-attr]
            if first != row:
                add(
                    row,
                    "rol",
                    _("het huishouden heeft al een aanvrager in rij %(row)s.") % {"row": first},
                )
                fits = False
        head = self.household_head.setdefault(reference, person)
        if head is not person:
            for column, mine, theirs in (
                ("postcode", person.postcode, head.postcode),
                ("huisnummer", person.house_number, head.house_number),
                ("toevoeging", person.house_number_addition, head.house_number_addition),
                ("straat", person.street, head.street),
                ("woonplaats", person.city, head.city),
                ("wijkcode", person.district_code, head.district_code),
                ("wijknaam", person.district_name, head.district_name),
                ("buurtcode", person.neighbourhood_code, head.neighbourhood_code),
                ("buurtnaam", person.neighbourhood_name, head.neighbourhood_name),
                ("adres_sinds", person.address_since, head.address_since),
            ):
                if mine != theirs:
                    add(
                        row,
                        column,
                        _("een ander adres dan rij %(row)s van hetzelfde huishouden.")
                        % {"row": head.row},
                    )
                    fits = False
                    break
        if fits:
            self.household_rows.setdefault(reference, []).append(row)
        return fits

    def finish(self) -> Validated:
        if self.checker is not None and not self.result.rows_total:
            self.result.add(1, "", _("het bestand bevat geen gegevensregels, alleen een kopregel."))
        applicants = self.checker.applicant_row if self.checker is not None else {}
        for reference, rows in self.household_rows.items():
            if reference in applicants:
                continue
            for row in rows:
                self.result.add(
                    row,
                    "huishoudnummer",
                    _("het huishouden %(reference)s heeft geen rij met rol aanvrager.")
                    % {"reference": _echo(reference)},
                )
        return self.result


def validate_table(
    table: Table,
    *,
    reference_date: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Validated:
    """Check a whole table at once; ``result.persons`` holds the valid persons."""
    validator = Validator(table.header, reference_date=reference_date)
    persons = validator.check(table.rows)
    result = validator.finish()
    result.persons = persons if result.is_valid else []
    if progress is not None:
        progress(result.rows_total, result.rows_total)
    return result


def _check_header(header: list[str], result: Validated) -> dict[str, int] | None:
    index: dict[str, int] = {}
    known = set(COLUMN_NAMES)
    for position, name in enumerate(header):
        if name not in known:
            continue  # extra columns are allowed and ignored
        if name in index:
            result.add(1, name, _("de kolom staat twee keer in de kopregel."))
            continue
        index[name] = position
    for name in COLUMN_NAMES:
        if name in REQUIRED_COLUMNS and name not in index:
            result.add(1, name, _("verplichte kolom ontbreekt in de kopregel."))
    return None if result.error_count else index


_DATE_COLUMNS = ("geboortedatum", "adres_sinds", "uitkering_ingang", "uitkering_einde")
_MISSING = object()


class _RowChecker:
    """Checks one row at a time. Built once per file: column positions, messages, a date cache.

    Written for speed (27,000 rows in a fraction of a second): every cell is stripped once, a
    column that is not in the file points at an always-empty cell, and dates are parsed once per
    distinct value.
    """

    def __init__(
        self, index: dict[str, int], width: int, reference_date: dt.date, result: Validated
    ) -> None:
        self.width = width
        self.padding = [""] * (width + 1)
        # A column that is not in the header reads the empty cell at position `width`.
        self.pos = {name: index.get(name, width) for name in COLUMN_NAMES}
        self.required = [
            (name, self.pos[name])
            for name in COLUMN_NAMES
            if name in REQUIRED_COLUMNS and name not in _DATE_COLUMNS
        ]
        self.lengths = [(name, self.pos[name], limit) for name, limit in _MAX_LENGTH.items()]
        self.reference_date = reference_date
        self.result = result
        self.msg = _Messages(reference_date)
        self.dates: dict[str, dt.date | None] = {}
        # Every row in role "aanvrager", also one with errors: {huishoudnummer: first row}.
        self.applicant_row: dict[str, int] = {}

    def date(self, row: int, column: str, raw: str, required: bool = False) -> dt.date | None:
        if not raw:
            if required:
                self.result.add(row, column, self.msg.required)
            return None
        value = self.dates.get(raw, _MISSING)
        if value is _MISSING:
            value = self.dates[raw] = _parse_date(raw)
        if value is None:
            self.result.add(row, column, self.msg.date)
            return None
        if value > self.reference_date:  # type: ignore[operator]
            self.result.add(row, column, self.msg.future)
            return None
        return value  # type: ignore[return-value]

    def __call__(self, row: int, cells: list[Cell]) -> Person | None:
        result = self.result
        add = result.add
        msg = self.msg
        errors_before = result.error_count
        width = self.width
        v = [c.strip() if c.__class__ is str else c.isoformat() for c in cells]  # type: ignore[union-attr]
        if len(v) > width:
            del v[width:]
        v += self.padding[len(v) :]
        pos = self.pos

        for column, position in self.required:
            if not v[position]:
                add(row, column, msg.required)
        for column, position, limit in self.lengths:
            if len(v[position]) > limit:
                add(row, column, msg.too_long % {"max": limit})

        bsn = v[pos["bsn"]].replace(" ", "").replace(".", "")
        if bsn:
            # The 11-proef of python-stdnum, without its generic clean-up (stdnum's validate()
            # costs about five times as much and is a third of the validation time).
            bsn = bsn.zfill(9) if _BSN_DIGITS.match(bsn) else ""
            if not bsn or bsn == "000000000" or bsn_checksum(bsn) != 0:
                bsn = ""
                add(row, "bsn", msg.bsn)
        date_of_birth = self.date(row, "geboortedatum", v[pos["geboortedatum"]], required=True)
        if date_of_birth is not None and date_of_birth < _OLDEST_BIRTH:
            add(row, "geboortedatum", msg.birth_too_old)
        gender_raw = v[pos["geslacht"]]
        gender = _GENDERS.get(gender_raw.lower())
        if gender is None:
            add(row, "geslacht", msg.gender % {"value": _echo(gender_raw)})
        country = v[pos["geboorteland"]].upper()
        if country and country not in COUNTRY_CODES:
            add(row, "geboorteland", msg.country % {"value": _echo(country)})
        email = v[pos["email"]]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                add(row, "email", msg.email)
        phone = v[pos["telefoon"]]
        if phone and not _PHONE.match(phone):
            add(row, "telefoon", msg.phone)
        languages: list[str] = []
        languages_raw = v[pos["talen"]]
        if languages_raw:
            for code in _LANGUAGE_SPLIT.split(languages_raw.lower()):
                if not code or code in languages:
                    continue
                if code not in LANGUAGE_CODES:
                    add(row, "talen", msg.language % {"value": _echo(code)})
                languages.append(code)
        household_reference = v[pos["huishoudnummer"]]
        role = v[pos["rol"]].lower()
        if role and role not in _ROLES:
            add(row, "rol", msg.role % {"value": _echo(role)})
        if role == HouseholdRole.APPLICANT:
            self.applicant_row.setdefault(household_reference, row)
        postcode_raw = v[pos["postcode"]]
        postcode = ""
        if postcode_raw:
            match = _POSTCODE.match(postcode_raw.upper())
            if match is None:
                add(row, "postcode", msg.postcode)
            else:
                postcode = match.group(1) + match.group(2)
        house_number_raw = v[pos["huisnummer"]]
        house_number = 0
        if house_number_raw:
            if _HOUSE_NUMBER.match(house_number_raw) and int(house_number_raw) > 0:
                house_number = int(house_number_raw)
            else:
                add(row, "huisnummer", msg.house_number)
        address_since = self.date(row, "adres_sinds", v[pos["adres_sinds"]])

        benefit_type = v[pos["uitkering_soort"]].lower()
        start_raw = v[pos["uitkering_ingang"]]
        end_raw = v[pos["uitkering_einde"]]
        end_reason = v[pos["reden_einde"]].lower()
        benefit_start = benefit_end = None
        if benefit_type:
            if benefit_type not in _BENEFIT_TYPES:
                add(row, "uitkering_soort", msg.benefit_type % {"value": _echo(benefit_type)})
            if not start_raw:
                add(row, "uitkering_ingang", msg.needs_start)
            benefit_start = self.date(row, "uitkering_ingang", start_raw)
            benefit_end = self.date(row, "uitkering_einde", end_raw)
            if benefit_start and benefit_end and benefit_end < benefit_start:
                add(row, "uitkering_einde", msg.end_before_start)
            if end_raw and not end_reason:
                add(row, "reden_einde", msg.needs_reason)
            if end_reason:
                if end_reason not in _END_REASONS:
                    add(row, "reden_einde", msg.end_reason % {"value": _echo(end_reason)})
                elif not end_raw:
                    add(row, "reden_einde", msg.reason_without_end)
        else:
            for column, raw in (
                ("uitkering_ingang", start_raw),
                ("uitkering_einde", end_raw),
                ("reden_einde", end_reason),
            ):
                if raw:
                    add(row, column, msg.needs_benefit_type)

        if result.error_count != errors_before:
            return None
        return Person(
            row,
            v[pos["klantnummer"]],
            bsn,
            v[pos["voornamen"]],
            v[pos["tussenvoegsel"]],
            v[pos["achternaam"]],
            date_of_birth,  # type: ignore[arg-type]
            gender,  # type: ignore[arg-type]
            country,
            email,
            phone,
            languages,
            household_reference,
            role,
            postcode,
            house_number,
            v[pos["toevoeging"]].upper(),
            v[pos["straat"]],
            v[pos["woonplaats"]],
            v[pos["wijkcode"]],
            v[pos["wijknaam"]],
            v[pos["buurtcode"]],
            v[pos["buurtnaam"]],
            address_since,
            benefit_type,
            benefit_start,
            benefit_end,
            end_reason,
        )


def _parse_date(raw: str) -> dt.date | None:
    try:
        if len(raw) == 10 and raw[4] == "-":
            return dt.date.fromisoformat(raw)
        match = _DMY.match(raw)
        if match:
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None
