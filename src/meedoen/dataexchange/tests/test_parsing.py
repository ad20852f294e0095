"""Reading a delivery: encodings, delimiters, XLSX, and the downloadable templates."""

from __future__ import annotations

import datetime as dt

import pytest

from meedoen.dataexchange.columns import COLUMN_NAMES, template_csv, template_xlsx
from meedoen.dataexchange.parsing import FileFormatError, read_table, sniff_delimiter
from meedoen.dataexchange.tests.delivery import REFERENCE_DATE, csv_bytes, person, xlsx_bytes
from meedoen.dataexchange.validation import validate_table

ROWS = [person(1, achternaam="Öztürk", voornamen="Zoë"), person(2, tussenvoegsel="van 't")]


def _valid(content: bytes, name: str = "levering.csv"):
    table = read_table(file_name=name, content=content)
    result = validate_table(table, reference_date=REFERENCE_DATE)
    assert result.errors == []
    return table, result


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", False, ";"),
        ("utf-8", True, ";"),
        ("utf-8", False, ","),
        ("utf-8", True, ","),
        ("cp1252", False, ";"),
        ("cp1252", False, ","),
    ],
)
def test_csv_encodings_and_delimiters(encoding, bom, delimiter):
    content = csv_bytes(ROWS, encoding=encoding, bom=bom, delimiter=delimiter)
    table, result = _valid(content)
    assert table.header == list(COLUMN_NAMES)
    assert [p.surname for p in result.persons] == ["Öztürk", "Achternaam2"]
    assert result.persons[0].first_names == "Zoë"
    assert result.persons[1].name_prefix == "van 't"


def test_header_names_are_case_insensitive_and_in_any_order():
    columns = list(reversed([name.upper() for name in COLUMN_NAMES]))
    rows = [{name.upper(): value for name, value in person(1).items()}]
    _, result = _valid(csv_bytes(rows, columns=columns))
    assert result.persons[0].client_number == "K0000001"


def test_extra_columns_are_ignored_and_optional_ones_may_be_missing():
    optional = ("email", "telefoon", "talen", "wijkcode", "buurtnaam", "adres_sinds", "toevoeging")
    columns = [name for name in COLUMN_NAMES if name not in optional] + ["opmerking"]
    _, result = _valid(csv_bytes([person(1, opmerking="extra")], columns=columns))
    assert result.persons[0].email == ""
    assert result.persons[0].address_since is None


def test_blank_lines_are_skipped_and_row_numbers_follow_the_file():
    content = csv_bytes([person(1)]) + b";;;\r\n\r\n" + csv_bytes([person(2)]).split(b"\r\n", 1)[1]
    table = read_table(file_name="levering.csv", content=content)
    assert [number for number, _ in table.rows] == [2, 5]


def test_quoted_fields_with_the_delimiter_inside():
    content = csv_bytes([person(1, straat='"Laan van Meerdervoort; zijde"')])
    _, result = _valid(content)
    assert result.persons[0].street == "Laan van Meerdervoort; zijde"


def test_xlsx_with_numbers_and_dates_in_cells():
    row = person(1)
    row.update(
        bsn=int(row["bsn"]),
        huisnummer=12,
        geboortedatum=dt.datetime(1978, 4, 23),
        uitkering_ingang=dt.date(2016, 1, 1),
        postcode="2526AB",
    )
    _, result = _valid(xlsx_bytes([row, person(2)]), name="levering.xlsx")
    first = result.persons[0]
    assert first.house_number == 12
    assert first.date_of_birth == dt.date(1978, 4, 23)
    assert first.benefit_start == dt.date(2016, 1, 1)
    assert first.bsn == person(1)["bsn"]


def test_xlsx_bsn_with_a_leading_zero_lost_in_excel():
    # Excel shows 012345672 as the number 12345672; the 11-proef still holds with the zero.
    row = person(1, bsn=12345672)  # type: ignore[arg-type]
    _, result = _valid(xlsx_bytes([row]), name="levering.xlsx")
    assert result.persons[0].bsn == "012345672"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "leeg.csv"),
        (b"\x00\x01\x02\x03binary", "data.csv"),
        (b"PK\x03\x04 not really a workbook", "levering.xlsx"),
        (b"\xef\xbb\xbfklantnummer;bsn\r\n\xff\xfe", "kapot.csv"),
    ],
)
def test_unreadable_files(content, name):
    def read_all():
        return list(read_table(file_name=name, content=content).rows)

    with pytest.raises(FileFormatError) as raised:
        read_all()
    assert str(raised.value)


def test_delimiter_sniffing():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("klantnummer") == ","


def test_templates_are_readable_and_hold_every_column():
    for name, content in (("sjabloon.csv", template_csv()), ("sjabloon.xlsx", template_xlsx())):
        table = read_table(file_name=name, content=content)
        assert table.header == list(COLUMN_NAMES)
        result = validate_table(table, reference_date=REFERENCE_DATE)
        # Only a header: the one complaint is that there are no rows.
        assert [e.message for e in result.errors] == [
            "het bestand bevat geen gegevensregels, alleen een kopregel."
        ]
    assert template_csv().startswith(b"\xef\xbb\xbf")
