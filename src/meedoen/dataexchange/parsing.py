"""Reading a delivery: CSV (UTF-8 with or without BOM, or Windows-1252; `;`, `,` or tab) or XLSX.

The result is a plain table: normalised header names and the data rows with their row number as
a spreadsheet shows it (the header is row 1). What the values mean is validation.py's business.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

Cell = str | dt.date

_XLSX_MAGIC = b"PK\x03\x04"
_DELIMITERS = (";", ",", "\t")


class FileFormatError(Exception):
    """The file cannot be read as a table at all. The message is Dutch and safe to show."""


Row = tuple[int, list[Cell]]


@dataclass
class Table:
    """The header and the data rows: (row number as in a spreadsheet, cells).

    ``rows`` is read lazily, so that checking can start before the whole file is parsed; read it
    once. Fully empty rows are left out. ``rows_estimate`` is for progress bars only (a CSV
    field may hold a line break). A problem found while reading raises FileFormatError.
    """

    header: list[str]
    rows: Iterator[Row]
    rows_estimate: int
    file_format: str = "csv"


def normalise_header(name: object) -> str:
    text = "" if name is None else str(name)
    return text.replace("\ufeff", "").strip().lower().replace(" ", "_").replace("-", "_")


def read_table(*, file_name: str, content: bytes) -> Table:
    if content.startswith(_XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    return _read_csv(content)


def decode_text(content: bytes) -> str:
    """UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileFormatError(
                _("Het bestand begint als UTF-8 maar bevat tekens die geen UTF-8 zijn.")
            ) from exc
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            _("De tekens in het bestand zijn geen UTF-8 en geen Windows-1252.")
        ) from exc


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:4096]:
        raise FileFormatError(_("Het bestand is geen CSV- of XLSX-bestand."))
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    header = next(reader, None)
    if header is None:
        raise FileFormatError(_("Het bestand is leeg."))
    estimate = text.count("\n") - (1 if text.endswith("\n") else 0)
    return Table(
        header=[normalise_header(name) for name in header],
        rows=_csv_rows(reader),
        rows_estimate=max(0, estimate),
        file_format="csv",
    )


def _csv_rows(reader: Any) -> Iterator[Row]:
    number = 1
    try:
        for record in reader:
            number += 1
            for value in record:
                if value.strip():
                    yield number, record
                    break
    except csv.Error as exc:
        raise FileFormatError(
            _("Het CSV-bestand is niet goed gevormd (regel %(line)s).") % {"line": reader.line_num}
        ) from exc


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header_cells = next(rows_iter, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise FileFormatError(_("Het XLSX-bestand kan niet worden gelezen.")) from exc
    if header_cells is None:
        workbook.close()
        raise FileFormatError(_("Het bestand is leeg."))
    return Table(
        header=[normalise_header(name) for name in header_cells],
        rows=_xlsx_rows(workbook, rows_iter),
        rows_estimate=max(0, (sheet.max_row or 1) - 1),
        file_format="xlsx",
    )


def _xlsx_rows(workbook: Any, rows_iter: Iterator[tuple[object, ...]]) -> Iterator[Row]:
    try:
        for number, cells in enumerate(rows_iter, start=2):
            record = [_xlsx_cell(value) for value in cells]
            for value in record:
                if value if isinstance(value, dt.date) else value.strip():
                    yield number, record
                    break
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(_("Het XLSX-bestand kan niet worden gelezen.")) from exc
    finally:
        workbook.close()
