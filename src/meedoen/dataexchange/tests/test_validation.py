"""Every check on a delivery, with the Dutch message that names row and column."""

from __future__ import annotations

import pytest

from meedoen.dataexchange.columns import COLUMN_NAMES
from meedoen.dataexchange.parsing import read_table
from meedoen.dataexchange.tests.delivery import REFERENCE_DATE, csv_bytes, member, person
from meedoen.dataexchange.validation import RowError, format_error, validate_table


def check(rows, **kwargs) -> list[RowError]:
    table = read_table(file_name="levering.csv", content=csv_bytes(rows, **kwargs))
    return validate_table(table, reference_date=REFERENCE_DATE).errors


def only_error(rows, **kwargs) -> RowError:
    errors = check(rows, **kwargs)
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"klantnummer": ""}, "klantnummer", "is verplicht maar leeg."),
        ({"voornamen": " "}, "voornamen", "is verplicht maar leeg."),
        ({"achternaam": "x" * 201}, "achternaam", "is te lang (maximaal 200 tekens)."),
        (
            {"bsn": "999999991"},
            "bsn",
            "geen geldig BSN: verwacht 9 cijfers die voldoen aan de 11-proef.",
        ),
        ({"bsn": "12345"}, "bsn", "geen geldig BSN"),
        ({"bsn": "000000000"}, "bsn", "geen geldig BSN"),
        ({"bsn": "99999abc9"}, "bsn", "geen geldig BSN"),
        (
            {"geboortedatum": "23/04/1978"},
            "geboortedatum",
            "geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ.",
        ),
        ({"geboortedatum": "1978-02-30"}, "geboortedatum", "geen geldige datum"),
        (
            {"geboortedatum": "2025-02-01"},
            "geboortedatum",
            "de datum ligt na de peildatum (31-01-2025).",
        ),
        ({"geboortedatum": "1899-12-31"}, "geboortedatum", "de geboortedatum ligt voor 1900."),
        ({"geslacht": "Q"}, "geslacht", "onbekend geslacht 'Q'; gebruik M, V of X."),
        ({"geboorteland": "XX"}, "geboorteland", "onbekende landcode 'XX'"),
        ({"email": "geen-adres"}, "email", "geen geldig e-mailadres."),
        ({"telefoon": "bel me"}, "telefoon", "geen geldig telefoonnummer"),
        ({"talen": "nl xx"}, "talen", "onbekende taalcode 'xx'"),
        ({"rol": "opa"}, "rol", "onbekende rol 'opa'; kies uit aanvrager, partner, kind, overig."),
        (
            {"postcode": "2526"},
            "postcode",
            "geen geldige postcode; verwacht 4 cijfers en 2 letters",
        ),
        ({"postcode": "0526 AB"}, "postcode", "geen geldige postcode"),
        ({"huisnummer": "12a"}, "huisnummer", "geen geldig huisnummer"),
        ({"huisnummer": "0"}, "huisnummer", "geen geldig huisnummer"),
        ({"toevoeging": "verdieping 3"}, "toevoeging", "is te lang (maximaal 8 tekens)."),
        ({"adres_sinds": "2026-01-01"}, "adres_sinds", "de datum ligt na de peildatum"),
        ({"uitkering_soort": "wia"}, "uitkering_soort", "onbekende soort uitkering 'wia'"),
        (
            {"uitkering_ingang": ""},
            "uitkering_ingang",
            "is verplicht als uitkering_soort is ingevuld.",
        ),
        ({"uitkering_ingang": "2025-03-01"}, "uitkering_ingang", "de datum ligt na de peildatum"),
        (
            {"uitkering_einde": "2015-12-31", "reden_einde": "werk"},
            "uitkering_einde",
            "de einddatum ligt voor de ingangsdatum.",
        ),
        (
            {"uitkering_einde": "2024-06-30"},
            "reden_einde",
            "is verplicht als uitkering_einde is ingevuld.",
        ),
        (
            {"reden_einde": "werk"},
            "reden_einde",
            "alleen invullen als uitkering_einde is ingevuld.",
        ),
        (
            {"uitkering_einde": "2024-06-30", "reden_einde": "loterij"},
            "reden_einde",
            "onbekende reden 'loterij'",
        ),
        (
            {"uitkering_soort": "", "uitkering_ingang": ""},
            None,
            None,
        ),
        (
            {"uitkering_soort": "", "uitkering_ingang": "2016-01-01"},
            "uitkering_ingang",
            "alleen invullen als uitkering_soort is ingevuld.",
        ),
    ],
)
def test_row_checks(values, column, message):
    errors = check([person(1), person(2, **values)])
    if column is None:
        assert errors == []
        return
    assert len(errors) == 1, errors
    error = errors[0]
    assert (error.row, error.column) == (3, column)
    assert error.message.startswith(message)
    assert str(error) == f"Rij 3, kolom {column}: {error.message}"


def test_both_date_formats_are_accepted():
    assert check([person(1, geboortedatum="23-04-1978", uitkering_ingang="01-01-2016")]) == []


def test_a_bsn_is_never_repeated_in_a_message():
    wrong = "123456789"  # fails the 11-proef
    duplicate = person(2, bsn=person(1)["bsn"])
    errors = check([person(1), person(3, bsn=wrong), duplicate])
    assert [(e.row, e.column) for e in errors] == [(3, "bsn"), (4, "bsn")]
    assert errors[1].message == "dezelfde persoon (BSN) staat ook in rij 2."
    for error in errors:
        assert wrong not in str(error)
        assert person(1)["bsn"] not in str(error)


def test_duplicate_client_number():
    error = only_error([person(1), person(2, klantnummer="K0000001")])
    assert (error.row, error.column) == (3, "klantnummer")
    assert error.message == "dit klantnummer staat ook in rij 2."


def test_missing_required_column_in_the_header():
    columns = [name for name in COLUMN_NAMES if name not in ("bsn", "postcode")]
    errors = check([person(1)], columns=columns)
    assert [(e.row, e.column, e.message) for e in errors] == [
        (1, "bsn", "verplichte kolom ontbreekt in de kopregel."),
        (1, "postcode", "verplichte kolom ontbreekt in de kopregel."),
    ]


def test_duplicate_column_in_the_header():
    columns = [*COLUMN_NAMES, "BSN"]
    errors = check([person(1)], columns=columns)
    assert [(e.row, e.column) for e in errors] == [(1, "bsn")]


def test_a_file_with_only_a_header():
    error = only_error([])
    assert (error.row, error.column) == (1, "")
    assert format_error(error.row, error.column, error.message) == (
        "Rij 1: het bestand bevat geen gegevensregels, alleen een kopregel."
    )


def test_household_without_applicant():
    head = person(1)
    child = member(2, head)
    error = only_error([child])
    assert (error.row, error.column) == (2, "huishoudnummer")
    assert error.message == "het huishouden H0000001 heeft geen rij met rol aanvrager."


def test_household_whose_applicant_row_has_errors_of_its_own_reports_only_those():
    head = person(1, geslacht="?")
    errors = check([head, member(2, head)])
    assert [(e.row, e.column) for e in errors] == [(2, "geslacht")]


def test_two_applicants_in_one_household():
    head = person(1)
    error = only_error([head, member(2, head, role="aanvrager")])
    assert (error.row, error.column) == (3, "rol")
    assert error.message == "het huishouden heeft al een aanvrager in rij 2."


@pytest.mark.parametrize(
    ("values", "column"),
    [({"huisnummer": "99"}, "huisnummer"), ({"adres_sinds": "2020-01-01"}, "adres_sinds")],
)
def test_household_members_live_at_one_address(values, column):
    head = person(1)
    error = only_error([head, member(2, head, **values)])
    assert (error.row, error.column) == (3, column)
    assert error.message == "een ander adres dan rij 2 van hetzelfde huishouden."


def test_members_may_come_before_their_applicant():
    head = person(1)
    assert check([member(2, head), member(3, head, role="partner"), head]) == []


def test_every_error_of_a_row_is_reported():
    errors = check([person(1, bsn="1", postcode="x", geslacht="?")])
    assert {e.column for e in errors} == {"bsn", "postcode", "geslacht"}


def test_values_are_normalised():
    table = read_table(
        file_name="levering.csv",
        content=csv_bytes(
            [
                person(
                    1,
                    postcode="2526ab",
                    toevoeging="a",
                    geslacht="m",
                    geboorteland="ma",
                    talen="AR, nl nl",
                    rol="Aanvrager",
                    uitkering_soort="Alleenstaande",
                )
            ]
        ),
    )
    [p] = validate_table(table, reference_date=REFERENCE_DATE).persons
    assert (p.postcode, p.house_number_addition, p.gender, p.country_of_birth) == (
        "2526AB",
        "A",
        "m",
        "MA",
    )
    assert p.languages == ["ar", "nl"]
    assert (p.role, p.benefit_type) == ("aanvrager", "alleenstaande")
