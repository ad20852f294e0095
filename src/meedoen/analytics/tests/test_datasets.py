"""The analysts' dataset on a generated demo: no direct identifier in the CSV or XLSX, keyed
pseudonyms that a brute force over the 11-proef space does not recover, one key per purpose.

The demo (generate_demo --clients 300 --seed 1) is loaded through the real import. What every
person's identifiers are comes from the delivery files the same command writes with --out: the
attacker's best knowledge.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Municipality, User
from meedoen.analytics.constants import (
    AgeBand,
    BenefitDurationBand,
    HouseholdSizeBand,
    HouseholdType,
    OriginGroup,
    Purpose,
    YesNo,
)
from meedoen.analytics.datasets import DATASET_COLUMNS, UNKNOWN, dataset_rows
from meedoen.analytics.services import dataset_export
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.caseload.access import analysis_population
from meedoen.clients.constants import Gender, HouseholdRole
from meedoen.clients.models import Address, Client, Household
from meedoen.core.pseudonyms import pseudonym_cache_clear, pseudonym_for

TODAY = dt.date(2025, 6, 30)
DEMO = ["--clients", "300", "--seed", "1", "--today", TODAY.isoformat()]
PURPOSE = Purpose.DATASET.value
NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
WORDS = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def eleven_proof(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def range_bsns() -> list[str]:
    """Every BSN of the 9999xxxxx test range: the attacker's dictionary."""
    return [str(n) for n in range(999_900_000, 1_000_000_000) if eleven_proof(str(n))]


@dataclass
class Demo:
    people: list[dict[str, str]]  # every row of every delivery file
    analyst: User
    clients: list[Client]


@pytest.fixture
def demo(tmp_path, db) -> Demo:
    out = tmp_path / "leveringen"
    call_command("generate_demo", *DEMO, "--out", str(out), stdout=io.StringIO())
    people = []
    for path in sorted(out.glob("*.csv")):
        people += csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter=";")
    call_command("generate_demo", *DEMO, "--force", stdout=io.StringIO())
    municipality = Municipality.objects.get(code="0518")
    analyst = User.objects.create_user(
        username="analist-demo",
        password="correct-horse-battery-staple",
        municipality=municipality,
        role=Role.ANALYST,
    )
    clients = list(Client.objects.filter(municipality=municipality))
    assert len(clients) >= 300
    return Demo(people=people, analyst=analyst, clients=clients)


def export(demo: Demo, file_format: str) -> bytes:
    return dataset_export(
        actor=demo.analyst,
        file_format=file_format,
        origin=Origin(channel="test"),
        reference_date=TODAY,
    ).content


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_text(content: bytes) -> str:
    """Every XML part of the workbook as text: what is in the file, whatever sheet or string
    table it is stored in."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def xlsx_rows(content: bytes) -> list[dict[str, str]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *rows = [[str(v) if v is not None else "" for v in row] for row in sheet.values]
    return [dict(zip(header, row, strict=True)) for row in rows]


def identifiers(demo: Demo) -> dict[str, set[str]]:
    """Everything that identifies a demo person or household, per kind, as the file could hold
    it."""
    found: dict[str, set[str]] = {
        kind: set()
        for kind in (
            "bsn",
            "client number",
            "household reference",
            "name",
            "date of birth",
            "postcode",
            "street",
            "email",
            "phone",
            "database id",
        )
    }
    for person in demo.people:
        found["bsn"].add(person["bsn"])
        found["client number"].add(person["klantnummer"])
        found["household reference"].add(person["huishoudnummer"])
        full = " ".join(
            p for p in (person["voornamen"], person["tussenvoegsel"], person["achternaam"]) if p
        )
        found["name"].add(full)
        born = dt.date.fromisoformat(person["geboortedatum"])
        found["date of birth"] |= {born.isoformat(), born.strftime("%d-%m-%Y")}
        found["date of birth"].add(born.strftime("%d/%m/%Y"))
        postcode = person["postcode"]
        found["postcode"] |= {postcode, f"{postcode[:4]} {postcode[4:]}"}
        found["street"].add(person["straat"])
        for kind, column in (("email", "email"), ("phone", "telefoon")):
            if person[column]:
                found[kind].add(person[column])
    ids: list[Any] = [c.pk for c in demo.clients]
    ids += list(Household.objects.values_list("pk", flat=True))
    ids += list(Address.objects.values_list("pk", flat=True))
    found["database id"] = {str(i) for i in ids} | {i.hex for i in ids}
    return found


def surname_words(demo: Demo) -> set[str]:
    """The words of every surname ("El Amrani", "Meijer-de Vries"), less particles such as
    "de" and "El" that are words of the language too."""
    return {
        word
        for p in demo.people
        for word in WORDS.findall(p["achternaam"])
        if word[:1].isupper() and len(word) > 2
    }


def assert_no_identifiers(
    demo: Demo, text: str, rows: list[dict[str, str]], where: str, extra_text: str = ""
) -> None:
    known = identifiers(demo)
    # Exact identifiers anywhere in the file.
    for kind, values in known.items():
        leaked = sorted(v for v in values if v and v in text)
        assert not leaked, f"{where}: {kind} found: {leaked[:5]}"
    # No 9-digit number that passes the 11-proef outside the pseudonyms (a pseudonym is random
    # hex: a run of nine digits in one is chance, and it is checked against the real BSNs above).
    pseudonyms = {row["pseudoniem"] for row in rows}
    without_pseudonyms = text
    for pseudonym in pseudonyms:
        without_pseudonyms = without_pseudonyms.replace(pseudonym, "")
    bsn_like = [n for n in NINE_DIGITS.findall(without_pseudonyms) if eleven_proof(n)]
    assert not bsn_like, f"{where}: BSN-like numbers {bsn_like[:5]}"
    # No surname, as a word, outside the wijk names (which are place names, not people).
    wijk_names = {row["wijknaam"] for row in rows}
    for name in wijk_names:
        without_pseudonyms = without_pseudonyms.replace(name, "")
    surnames = surname_words(demo)
    words = set(WORDS.findall(without_pseudonyms + extra_text))
    assert not words & surnames, f"{where}: surnames {sorted(words & surnames)[:5]}"


def assert_values_allowed(rows: list[dict[str, str]], where: str) -> None:
    """Every cell is one of the column's codes: nothing else can be in the file."""
    wijken = dict(Address.objects.values_list("district_code", "district_name"))
    allowed: dict[str, Callable[[str], bool]] = {
        "pseudoniem": lambda v: bool(HEX32.match(v)),
        "doel": lambda v: v == PURPOSE,
        "leeftijdsklasse": lambda v: v in AgeBand.values,
        "geslacht": lambda v: v in Gender.values,
        "wijkcode": lambda v: v == "" or v in wijken,
        "wijknaam": lambda v: v == "" or v in wijken.values(),
        "rol_in_huishouden": lambda v: v in [*HouseholdRole.values, UNKNOWN],
        "huishoudtype": lambda v: v in HouseholdType.values,
        "huishoudgrootte": lambda v: v in HouseholdSizeBand.values,
        "lopende_uitkering": lambda v: v in YesNo.values,
        "uitkeringsduur": lambda v: v in BenefitDurationBand.values,
        "herkomstgroep": lambda v: v in OriginGroup.values,
    }
    assert list(rows[0]) == [c.name for c in DATASET_COLUMNS] == list(allowed)
    for row in rows:
        for column, value in row.items():
            assert allowed[column](value), f"{where}: {column}={value!r}"
        assert wijken.get(row["wijkcode"], "") == row["wijknaam"]


def test_the_exports_hold_no_direct_identifier(demo):
    csv_content = export(demo, "csv")
    rows = csv_rows(csv_content)
    assert len(rows) == len(demo.clients)
    assert len({row["pseudoniem"] for row in rows}) == len(rows)
    assert_values_allowed(rows, "CSV")
    assert_no_identifiers(demo, csv_content.decode("utf-8-sig"), rows, "CSV")

    xlsx_content = export(demo, "xlsx")
    workbook_rows = xlsx_rows(xlsx_content)
    assert workbook_rows == rows  # the same data in both formats
    assert_no_identifiers(demo, xlsx_text(xlsx_content), workbook_rows, "XLSX")

    # The demo is varied enough for the whitelist to mean something.
    for column in ("huishoudtype", "herkomstgroep", "uitkeringsduur", "leeftijdsklasse"):
        assert len({row[column] for row in rows}) >= 3, column
    assert {row["lopende_uitkering"] for row in rows} == {"ja", "nee"}


def _hmac(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def attacker_guesses() -> dict[str, Callable[[str], str]]:
    """What someone with the file, the source code and the database — but without
    MEEDOEN_PSEUDONYM_KEY — would try on a BSN or a client number."""
    development_key = b"dev-only-pseudonym-key"
    return {
        "sha256": lambda v: hashlib.sha256(v.encode()).hexdigest(),
        "sha1": lambda v: hashlib.sha1(v.encode()).hexdigest(),  # noqa: S324
        "md5": lambda v: hashlib.md5(v.encode()).hexdigest(),  # noqa: S324
        "sha256 with purpose": lambda v: hashlib.sha256(f"{PURPOSE}:{v}".encode()).hexdigest(),
        "hmac-sha256, empty key": lambda v: _hmac(b"", v),
        "hmac-sha256, key 'meedoen'": lambda v: _hmac(b"meedoen", v),
        "hmac-sha256, development key": lambda v: _hmac(development_key, v),
        "our scheme, development key": lambda v: _hmac(
            hmac.new(development_key, f"meedoen-pseudonym:{PURPOSE}".encode(), "sha256").digest(),
            v,
        ),
        "hmac-sha256, SECRET_KEY": lambda v: _hmac(settings.SECRET_KEY.encode(), v),
        # The pseudonym function itself, with the real key, on the identifiers people know.
        "pseudonym_for under the real key": lambda v: pseudonym_for(client_id=v, purpose=PURPOSE),
    }


def recovered(
    pseudonyms: set[str], candidates: Iterable[str], *, with_real_key: bool = True
) -> set[str]:
    width = len(next(iter(pseudonyms)))
    guesses = [
        guess
        for name, guess in attacker_guesses().items()
        if with_real_key or "real key" not in name
    ]
    return {
        guess(value)[:width]
        for value in candidates
        for guess in guesses
        if guess(value)[:width] in pseudonyms
    }


@pytest.fixture
def production_key(settings):
    """A key as production has one: random, not the development fallback the attacker knows."""
    settings.PSEUDONYM_KEY = secrets.token_urlsafe(32)
    pseudonym_cache_clear()
    yield settings.PSEUDONYM_KEY
    pseudonym_cache_clear()


def test_a_brute_force_over_the_11_proef_space_recovers_no_pseudonym(production_key, demo):
    rows = csv_rows(export(demo, "csv"))
    pseudonyms = {row["pseudoniem"] for row in rows}
    known = identifiers(demo)
    dictionary = range_bsns()
    assert len(dictionary) == 9_091
    candidates = set(dictionary) | known["bsn"] | known["client number"]
    assert known["bsn"] <= candidates

    # Control: the same attack on a file of unkeyed hashes of the BSN recovers every one.
    naive = {hashlib.sha256(b.encode()).hexdigest()[:32] for b in known["bsn"]}
    assert recovered(naive, candidates) == naive

    hits = recovered(pseudonyms, candidates)
    assert len(hits) / len(pseudonyms) == 0.0, f"{len(hits)} pseudonyms recovered"
    # Nor, without the key, from what the database and the audit trail show: client ids and the
    # audit rows' pseudonyms. (With the key and the database one can: that is what the key is.)
    client_ids = {str(c.pk) for c in demo.clients} | {c.pk.hex for c in demo.clients}
    assert not recovered(pseudonyms, client_ids, with_real_key=False)
    assert not pseudonyms & {subject_pseudonym(c.pk) for c in demo.clients}


def test_pseudonyms_are_stable_for_a_purpose_and_unlinkable_across_purposes(demo):
    first = csv_rows(export(demo, "csv"))
    second = csv_rows(export(demo, "csv"))
    assert first == second  # the same file twice: the same pseudonyms, the same order

    population = analysis_population(actor=demo.analyst)
    this_purpose = {c.pk: pseudonym_for(client_id=c.pk, purpose=PURPOSE) for c in demo.clients}
    assert {row["pseudoniem"] for row in first} == set(this_purpose.values())
    rows = dataset_rows(population=population, purpose=PURPOSE, reference_date=TODAY)
    assert [r.pseudonym for r in rows] == [row["pseudoniem"] for row in first]

    # Another purpose (issue 7's monitor) gets another key: every client's pseudonym differs,
    # and no pseudonym of one file occurs in the other.
    other = {c.pk: pseudonym_for(client_id=c.pk, purpose="analytics.monitor") for c in demo.clients}
    assert all(this_purpose[pk] != other[pk] for pk in this_purpose)
    assert not set(this_purpose.values()) & set(other.values())


def test_an_unknown_purpose_is_refused(demo):
    population = analysis_population(actor=demo.analyst)
    with pytest.raises(ValueError, match="not a valid Purpose"):
        dataset_rows(population=population, purpose="ad-hoc", reference_date=TODAY)
