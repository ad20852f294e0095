"""The columns of a delivery from the benefit administration: one list, used by the parser, the
validation, the downloadable templates and the documentation (docs/development/import.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: Promise | str
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "klantnummer", True, _("Nummer van de persoon in de uitkeringsadministratie."), "K0012345"
    ),
    Column(
        "bsn", True, _("Burgerservicenummer, 9 cijfers, moet voldoen aan de 11-proef."), "999990019"
    ),
    Column("voornamen", True, _("Alle voornamen."), "Fatima Zohra"),
    Column("tussenvoegsel", False, _("Bijvoorbeeld 'van den'."), "van den"),
    Column("achternaam", True, _("Achternaam zonder tussenvoegsel."), "Berg"),
    Column("geboortedatum", True, _("JJJJ-MM-DD of DD-MM-JJJJ."), "1978-04-23"),
    Column("geslacht", False, _("M, V of X (leeg = X)."), "V"),
    Column("geboorteland", False, _("Landcode, ISO 3166-1 alpha-2 (NL, MA, TR …)."), "MA"),
    Column("email", False, _("E-mailadres."), "f.berg@example.org"),
    Column(
        "telefoon", False, _("Telefoonnummer: cijfers, spaties, +, - en haakjes."), "06 12345678"
    ),
    Column("talen", False, _("Gesproken talen, ISO 639-1, gescheiden door spaties."), "nl ar"),
    Column(
        "huishoudnummer",
        True,
        _("Nummer van het huishouden in de uitkeringsadministratie."),
        "H0004567",
    ),
    Column(
        "rol",
        True,
        _("aanvrager, partner, kind of overig; één aanvrager per huishouden."),
        "aanvrager",
    ),
    Column("postcode", True, _("4 cijfers en 2 letters, spatie mag."), "2526 AB"),
    Column("huisnummer", True, _("Huisnummer, alleen cijfers."), "12"),
    Column("toevoeging", False, _("Huisletter of toevoeging."), "A"),
    Column("straat", True, _("Straatnaam."), "Hoefkade"),
    Column("woonplaats", True, _("Woonplaats."), "'s-Gravenhage"),
    Column("wijkcode", False, _("CBS-wijkcode."), "WK051828"),
    Column("wijknaam", False, _("Naam van de wijk."), "Schilderswijk"),
    Column("buurtcode", False, _("CBS-buurtcode."), "BU05182804"),
    Column("buurtnaam", False, _("Naam van de buurt."), "Schilderswijk-Noord"),
    Column(
        "adres_sinds",
        False,
        _("Datum waarop het huishouden op dit adres woont (leeg = peildatum)."),
        "2015-09-01",
    ),
    Column(
        "uitkering_soort",
        False,
        _("Soort uitkering; leeg voor leden zonder eigen uitkering."),
        "alleenstaande_ouder",
    ),
    Column(
        "uitkering_ingang",
        False,
        _("Ingangsdatum van de uitkering; verplicht bij een soort."),
        "2016-01-01",
    ),
    Column("uitkering_einde", False, _("Einddatum, alleen als de uitkering is beëindigd."), ""),
    Column("reden_einde", False, _("Reden van beëindiging; verplicht bij een einddatum."), ""),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: frozenset[str] = frozenset(c.name for c in COLUMNS if c.required)


def template_csv() -> bytes:
    """An empty delivery: the header row, UTF-8 with BOM (Excel opens it correctly), `;`."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(COLUMN_NAMES)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """An empty delivery as a workbook, with a second sheet that explains every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Levering"))
    sheet.append(list(COLUMN_NAMES))
    for position, name in enumerate(COLUMN_NAMES, start=1):
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(position)].width = max(12, len(name) + 2)
    help_sheet = workbook.create_sheet(str(_("Toelichting")))
    help_sheet.append(
        [str(_("Kolom")), str(_("Verplicht")), str(_("Betekenis")), str(_("Voorbeeld"))]
    )
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append(
            [
                column.name,
                str(_("ja")) if column.required else str(_("nee")),
                str(column.description),
                column.example,
            ]
        )
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 80
    help_sheet.column_dimensions["D"].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
