"""Reading a CSV: every kind of bad input gives its Dutch message."""

from __future__ import annotations

import io

import pytest

from meedoen.effects.synthetic import CSV_COVARIATES, make_synthetic
from meedoen.effects.table import EffectInputError, load_table


@pytest.fixture(scope="module")
def csv_text():
    return make_synthetic(300, seed=1).to_csv()


def _load(text, **kwargs):
    params = {
        "treatment": "deelname",
        "outcome": "uitkomst",
        "covariates": CSV_COVARIATES,
        "placebo": "voormeting",
    }
    return load_table(io.BytesIO(text.encode("utf-8")), **{**params, **kwargs})


def test_reads_comma_and_semicolon_with_bom_and_one_hot_encodes_text():
    data = make_synthetic(300, seed=1)
    comma = _load(data.to_csv())
    semicolon = load_table(
        ("\ufeff" + data.to_csv(delimiter=";")).encode("utf-8"),
        treatment="deelname",
        outcome="uitkomst",
        covariates=CSV_COVARIATES,
    )
    assert comma.covariate_names == semicolon.covariate_names
    assert "wijk=Laak" in comma.covariate_names
    assert "wijk=Centrum" not in comma.covariate_names
    assert comma.n_rows == 300
    assert comma.placebo is not None
    assert (comma.t == data.t).all()


def test_decimal_comma_with_semicolons():
    rows = ["d;u;x"] + [f"{i % 2};{i},5;{i % 7},25" for i in range(60)]
    table = load_table("\n".join(rows).encode(), treatment="d", outcome="u", covariates=["x"])
    assert table.y[1] == 1.5
    assert table.X[1, 0] == 1.25


@pytest.mark.parametrize(
    ("change", "kwargs", "message", "field"),
    [
        (None, {"covariates": ["leeftijd", "opleiding"]}, "'opleiding' ontbreekt", "covariates"),
        (
            None,
            {"treatment": "trede", "covariates": ["leeftijd"]},
            "gevonden waarden: '1', '2'",
            "treatment",
        ),
        (None, {"outcome": "wijk", "covariates": ["zrm"]}, "moet getallen bevatten", "outcome"),
        (("uitkomst", 3, ""), {}, "lege waarden, op regel 5", "outcome"),
        (("zrm", 0, "NA"), {}, "'zrm' heeft lege waarden, op regel 2", "covariates"),
        (None, {"covariates": ["leeftijd", "deelname"]}, "tegelijk kenmerk", "covariates"),
        (None, {"covariates": []}, "ten minste één kenmerk", "covariates"),
    ],
)
def test_bad_input_names_what_and_where(csv_text, change, kwargs, message, field):
    text = csv_text
    if change:
        lines = text.splitlines()
        header = lines[0].split(",")
        column, row, value = change
        cells = lines[row + 1].split(",")
        cells[header.index(column)] = value
        lines[row + 1] = ",".join(cells)
        text = "\n".join(lines)
    with pytest.raises(EffectInputError) as caught:
        _load(text, **kwargs)
    assert message in caught.value.message
    assert caught.value.field == field


def test_missing_column_lists_the_columns_that_are_there(csv_text):
    with pytest.raises(EffectInputError, match="Aanwezige kolommen: 'deelname', 'uitkomst'"):
        _load(csv_text, outcome="werk")


def test_empty_and_header_only_files():
    with pytest.raises(EffectInputError, match="leeg"):
        load_table(b"", treatment="d", outcome="u", covariates=["x"])
    with pytest.raises(EffectInputError, match="geen gegevens"):
        load_table(b"d,u,x\n", treatment="d", outcome="u", covariates=["x"])


def test_unreadable_file():
    with pytest.raises(EffectInputError, match="kan niet worden gelezen"):
        load_table("/nonexistent/file.csv", treatment="d", outcome="u", covariates=["x"])


def test_too_few_treated():
    rows = ["d,u,x"] + [f"{1 if i < 5 else 0},{i},{i % 3}" for i in range(100)]
    with pytest.raises(EffectInputError, match="5 deelnemers en 95 niet-deelnemers"):
        load_table("\n".join(rows).encode(), treatment="d", outcome="u", covariates=["x"])


def test_constant_covariate_is_dropped_with_a_warning():
    rows = ["d,u,x,c"] + [f"{i % 2},{i},{i % 5},7" for i in range(100)]
    table = load_table("\n".join(rows).encode(), treatment="d", outcome="u", covariates=["x", "c"])
    assert table.covariate_names == ["x"]
    assert "'c'" in table.warnings[0]


def test_ragged_rows_are_named():
    rows = ["d,u,x", "1,2,3", "0,2"] + ["1,2,3"] * 50
    with pytest.raises(EffectInputError, match="Regel 3 heeft een ander aantal kolommen"):
        load_table("\n".join(rows).encode(), treatment="d", outcome="u", covariates=["x"])
