"""Small deliveries for tests, written the way the benefit administration sends them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from functools import cache
from typing import Any

from meedoen.clients.tests.factories import test_bsn
from meedoen.dataexchange.columns import COLUMN_NAMES

REFERENCE_DATE = dt.date(2025, 1, 31)


@cache
def bsn(n: int) -> str:
    """A valid BSN in the 9999xxxxx test range, distinct per n."""
    return test_bsn(n)


def person(n: int, **values: str) -> dict[str, str]:
    """Person n, by default the applicant of household n, with an open benefit."""
    row = {
        "klantnummer": f"K{n:07d}",
        "bsn": bsn(n),
        "voornamen": f"Voornaam{n}",
        "tussenvoegsel": "",
        "achternaam": f"Achternaam{n}",
        "geboortedatum": "1978-04-23",
        "geslacht": "V",
        "geboorteland": "NL",
        "email": "",
        "telefoon": "",
        "talen": "nl",
        "huishoudnummer": f"H{n:07d}",
        "rol": "aanvrager",
        "postcode": "2526 AB",
        "huisnummer": str(n),
        "toevoeging": "",
        "straat": "Hoefkade",
        "woonplaats": "'s-Gravenhage",
        "wijkcode": "WK051828",
        "wijknaam": "Schilderswijk",
        "buurtcode": "BU05182801",
        "buurtnaam": "Schilderswijk-Noord",
        "adres_sinds": "2015-09-01",
        "uitkering_soort": "alleenstaande",
        "uitkering_ingang": "2016-01-01",
        "uitkering_einde": "",
        "reden_einde": "",
    }
    row.update(values)
    return row


def member(n: int, of: dict[str, str], role: str = "kind", **values: str) -> dict[str, str]:
    """Person n in the household (and at the address) of `of`."""
    shared = {
        name: of[name]
        for name in COLUMN_NAMES
        if name
        in (
            "huishoudnummer",
            "postcode",
            "huisnummer",
            "toevoeging",
            "straat",
            "woonplaats",
            "wijkcode",
            "wijknaam",
            "buurtcode",
            "buurtnaam",
            "adres_sinds",
        )
    }
    no_benefit = {"uitkering_soort": "", "uitkering_ingang": ""} if role == "kind" else {}
    return person(n, **{"rol": role, **shared, **no_benefit, **values})


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    columns: Iterable[str] = COLUMN_NAMES,
    delimiter: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    columns = list(columns)
    lines = [delimiter.join(columns)]
    for row in rows:
        lines.append(delimiter.join(str(row.get(name, "")) for name in columns))
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMN_NAMES) -> bytes:
    from openpyxl import Workbook

    columns = list(columns)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name, "") for name in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
