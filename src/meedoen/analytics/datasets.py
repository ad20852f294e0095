"""Pseudonymised datasets for analysts: one row per client, in coarse bands, under a keyed
pseudonym of one purpose.

What a row holds is listed in DATASET_COLUMNS and nothing else: never a BSN, client number, name,
date of birth, address, postcode, e-mail, phone, household reference or database id
(docs/privacy/analytics.md). The population comes from the access door
(``caseload.access.analysis_population``); a dataset costs three queries whatever its size.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meedoen.analytics import classification
from meedoen.analytics.constants import (
    AgeBand,
    BenefitDurationBand,
    HouseholdSizeBand,
    HouseholdType,
    OriginGroup,
    Purpose,
    YesNo,
)
from meedoen.clients.constants import Gender, HouseholdRole
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership
from meedoen.core.pseudonyms import pseudonym_for

UNKNOWN = "onbekend"
_CHUNK = 4000


@dataclass(frozen=True, slots=True)
class Profile:
    """One client in bands. Internal: it still carries database ids, to derive the pseudonym and
    to count households. Never written to a file as it is; a file gets DatasetRow."""

    client_id: uuid.UUID
    household_id: uuid.UUID | None
    age_band: str
    gender: str
    district_code: str
    district_name: str
    household_role: str
    household_type: str
    household_size: str
    on_benefit: str
    benefit_duration: str
    origin_group: str


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """One row of an analysts' file. The field order is the column order."""

    pseudonym: str
    purpose: str
    age_band: str
    gender: str
    district_code: str
    district_name: str
    household_role: str
    household_type: str
    household_size: str
    on_benefit: str
    benefit_duration: str
    origin_group: str


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file: fixed, not translated, like the import's columns
    description: Promise
    values: Promise | str = ""  # the codes that may occur, for the explanation sheet


DATASET_COLUMNS: tuple[Column, ...] = (
    Column(
        "pseudoniem",
        _(
            "Sleutel-pseudoniem van de cliënt voor dit doel. Hetzelfde in elke download voor dit "
            "doel; niet te koppelen aan andere doelen, het BSN of het klantnummer."
        ),
        _("32 hexadecimale tekens"),
    ),
    Column("doel", _("Het doel waarvoor de dataset en het pseudoniem zijn gemaakt."), ""),
    Column(
        "leeftijdsklasse",
        _("Leeftijd op de peildatum, in klassen van vijf jaar."),
        ", ".join(AgeBand.values),
    ),
    Column("geslacht", _("v = vrouw, m = man, x = anders of onbekend."), ", ".join(Gender.values)),
    Column("wijkcode", _("CBS-wijkcode van het huidige adres; leeg als onbekend."), ""),
    Column("wijknaam", _("Naam van de wijk; leeg als onbekend."), ""),
    Column(
        "rol_in_huishouden",
        _("Rol in het huidige huishouden."),
        ", ".join([*HouseholdRole.values, UNKNOWN]),
    ),
    Column(
        "huishoudtype",
        _("Samenstelling van het huidige huishouden, afgeleid uit de rollen van de leden."),
        ", ".join(HouseholdType.values),
    ),
    Column(
        "huishoudgrootte",
        _("Aantal leden van het huidige huishouden."),
        ", ".join(HouseholdSizeBand.values),
    ),
    Column(
        "lopende_uitkering",
        _("Heeft de cliënt op de peildatum een lopende uitkering op eigen naam?"),
        ", ".join(YesNo.values),
    ),
    Column(
        "uitkeringsduur",
        _(
            "Duur van de lopende uitkering op de peildatum; zonder lopende uitkering de duur van "
            "de laatste."
        ),
        ", ".join(BenefitDurationBand.values),
    ),
    Column(
        "herkomstgroep",
        _("Geboorteland in de CBS-indeling Nederland, westers, niet-westers."),
        ", ".join(OriginGroup.values),
    ),
)

assert len(DATASET_COLUMNS) == len(fields(DatasetRow))


def client_profiles(*, population: QuerySet[Client], reference_date: dt.date) -> Iterator[Profile]:
    """Every client of `population` in bands, on `reference_date`. Three queries, streamed.

    `population` holds whole households, as the door's does (a whole municipality): a household's
    type and size are counted from the current memberships of the population's clients.
    """
    # Current memberships of the population's clients: roles per household, role per client. By
    # client, so that each is one lookup in the unique index of current memberships, whatever
    # the planner believes about the tables (statistics lag behind a large import).
    roles_by_household: dict[Any, list[str]] = defaultdict(list)
    role_of_client: dict[Any, tuple[Any, str]] = {}
    memberships = (
        HouseholdMembership.objects.filter(
            end_date__isnull=True, client_id__in=population.values("pk")
        )
        .order_by()
        .values_list("household_id", "client_id", "role")
    )
    for household_id, client_id, role in memberships.iterator(chunk_size=_CHUNK):
        roles_by_household[household_id].append(role)
        role_of_client[client_id] = (household_id, role)
    # Type and size once per household, not once per member.
    kind_of_household = {
        household_id: (
            classification.household_type(roles).value,
            classification.household_size_band(len(roles)).value,
        )
        for household_id, roles in roles_by_household.items()
    }
    no_household = (HouseholdType.UNKNOWN.value, HouseholdSizeBand.UNKNOWN.value)

    # Per client: the open benefit period, else the latest one that started.
    benefit_of_client: dict[Any, tuple[dt.date, dt.date | None]] = {}
    periods = (
        BenefitPeriod.objects.filter(
            client_id__in=population.values("pk"), start_date__lte=reference_date
        )
        .order_by()
        .values_list("client_id", "start_date", "end_date")
    )
    for client_id, start, end in periods.iterator(chunk_size=_CHUNK):
        known = benefit_of_client.get(client_id)
        if known is None or _later(start, end, known):
            benefit_of_client[client_id] = (start, end)

    clients = population.order_by().values_list(
        "pk",
        "date_of_birth",
        "gender",
        "country_of_birth",
        "household_id",
        "household__address__district_code",
        "household__address__district_name",
    )
    for pk, born, gender, country, household_id, district_code, district_name in clients.iterator(
        chunk_size=_CHUNK
    ):
        kind, size = kind_of_household.get(household_id, no_household)
        member_of, role = role_of_client.get(pk, (None, UNKNOWN))
        if member_of != household_id:
            role = UNKNOWN  # a membership elsewhere than the current household: not current
        on_benefit, duration = _benefit(benefit_of_client.get(pk), reference_date)
        yield Profile(
            client_id=pk,
            household_id=household_id,
            age_band=classification.age_band(born, reference_date).value,
            gender=gender or _GENDER_UNKNOWN,
            district_code=district_code or "",
            district_name=district_name or "",
            household_role=role,
            household_type=kind,
            household_size=size,
            on_benefit=on_benefit,
            benefit_duration=duration,
            origin_group=classification.origin_group(country).value,
        )


def _later(start: dt.date, end: dt.date | None, known: tuple[dt.date, dt.date | None]) -> bool:
    """Whether (start, end) is the period to report rather than `known`: the open one wins."""
    if end is None:
        return True
    if known[1] is None:
        return False
    return start > known[0]


_YES, _NO, _NO_BENEFIT = YesNo.YES.value, YesNo.NO.value, BenefitDurationBand.NONE.value
_GENDER_UNKNOWN = Gender.OTHER.value


def _benefit(
    period: tuple[dt.date, dt.date | None] | None, reference_date: dt.date
) -> tuple[str, str]:
    if period is None:
        return _NO, _NO_BENEFIT
    start, end = period
    running = end is None or end >= reference_date
    until = reference_date if running else end
    return (
        _YES if running else _NO,
        classification.benefit_duration_band(start, until).value,
    )


def dataset_rows(
    *, population: QuerySet[Client], purpose: str, reference_date: dt.date
) -> list[DatasetRow]:
    """The pseudonymised dataset for one purpose, ordered by pseudonym (so the order reveals
    nothing, such as when a client was registered)."""
    purpose = Purpose(purpose).value  # only the purposes that have been agreed
    rows = [
        DatasetRow(
            pseudonym=pseudonym_for(client_id=profile.client_id, purpose=purpose),
            purpose=purpose,
            age_band=profile.age_band,
            gender=profile.gender,
            district_code=profile.district_code,
            district_name=profile.district_name,
            household_role=profile.household_role,
            household_type=profile.household_type,
            household_size=profile.household_size,
            on_benefit=profile.on_benefit,
            benefit_duration=profile.benefit_duration,
            origin_group=profile.origin_group,
        )
        for profile in client_profiles(population=population, reference_date=reference_date)
    ]
    rows.sort(key=lambda row: row.pseudonym)
    return rows


def _values(row: DatasetRow) -> list[str]:
    return [str(getattr(row, f.name)) for f in fields(DatasetRow)]


def dataset_csv(rows: list[DatasetRow]) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly), `;`, like the import's files."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.name for column in DATASET_COLUMNS])
    writer.writerows(_values(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dataset_xlsx(rows: list[DatasetRow], *, purpose: str, reference_date: dt.date) -> bytes:
    """The same rows as a workbook, with a second sheet that explains purpose and columns."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Write-only: rows go to the file as they come, so 27,000 rows stay fast and small.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet = workbook.create_sheet(str(_("Dataset")))
    header = []
    for column in DATASET_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(_values(row))

    about = workbook.create_sheet(str(_("Toelichting")))
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    about.column_dimensions["C"].width = 50
    about.append([str(_("Doel")), purpose])
    about.append([str(_("Peildatum")), reference_date.isoformat()])
    about.append([str(_("Aantal rijen")), len(rows)])
    about.append(
        [
            str(_("Let op")),
            str(
                _(
                    "Gepseudonimiseerde persoonsgegevens: alleen gebruiken voor dit doel, niet "
                    "delen, niet koppelen aan andere bestanden. Publiceer geen aantallen kleiner "
                    "dan 10."
                )
            ),
        ]
    )
    about.append([])
    titles = []
    for title in (_("Kolom"), _("Betekenis"), _("Waarden")):
        cell = WriteOnlyCell(about, value=str(title))
        cell.font = bold
        titles.append(cell)
    about.append(titles)
    for column in DATASET_COLUMNS:
        about.append([column.name, str(column.description), str(column.values)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
