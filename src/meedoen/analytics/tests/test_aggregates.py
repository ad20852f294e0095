"""Small-cell suppression: no count from 1 to 9 is shown, and none can be computed back from the
totals on the table (secondary suppression). Pure Python, no database."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pytest

from meedoen.analytics.aggregates import (
    HIDDEN,
    SMALL,
    Category,
    Cell,
    Dimension,
    Table,
    count_table,
    suppress,
)
from meedoen.analytics.constants import HIDDEN_CELL_LABEL, MIN_CELL, SMALL_CELL_LABEL


@dataclass(frozen=True)
class Item:
    wijk: str
    band: str


WIJK = Dimension(title="Wijk", key=lambda item: item.wijk)
BAND = Dimension(
    title="Klasse",
    key=lambda item: item.band,
    categories=[Category("a", "A"), Category("b", "B"), Category("c", "C")],
)


def items(counts: dict[tuple[str, str], int]) -> list[Item]:
    return [Item(w, b) for (w, b), n in counts.items() for _ in range(n)]


def lines_of(table: Table) -> list[list[Cell]]:
    """Every additive line of the table, the total last."""
    rows = [r.code for r in table.rows]
    columns = [c.code for c in table.columns]
    lines = [[*(table.row_totals[r] for r in rows), table.total]]
    if columns:
        lines.append([*(table.column_totals[c] for c in columns), table.total])
        for r in rows:
            lines.append([*(table.cells[r, c] for c in columns), table.row_totals[r]])
        for c in columns:
            lines.append([*(table.cells[r, c] for r in rows), table.column_totals[c]])
    return lines


def shown_counts(table: Table) -> list[Cell]:
    return [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values()]


def assert_protected(table: Table) -> None:
    for cell in [*shown_counts(table), table.total]:
        if cell.value is not None:
            assert not 0 < cell.value < MIN_CELL, cell
    for line in lines_of(table):
        assert sum(cell.hidden for cell in line) != 1, line


def test_one_dimension_shows_large_counts_and_hides_small_ones():
    counts = {("Laak", ""): 25, ("Escamp", ""): 3, ("Centrum", ""): 12}
    table = count_table(items(counts), rows=WIJK)
    assert [r.code for r in table.rows] == ["Centrum", "Escamp", "Laak"]
    assert table.row_totals["Escamp"] == Cell(None, SMALL)
    assert table.row_totals["Escamp"].label == SMALL_CELL_LABEL == "< 10"
    # The total 40 minus 12 and 25 would give Escamp's 3: one more is hidden, as "x". Laak (25)
    # rather than Centrum (12): with Laak ≥ 10 and 28 together, Escamp may still be 1 to 9.
    assert table.row_totals["Laak"] == Cell(None, HIDDEN)
    assert table.row_totals["Laak"].label == HIDDEN_CELL_LABEL == "x"
    assert table.row_totals["Centrum"] == Cell(12)
    assert table.total == Cell(40)
    assert_protected(table)


def test_zero_is_shown_and_not_suppressed():
    table = count_table(items({("Laak", "a"): 20, ("Laak", "b"): 15}), rows=WIJK, columns=BAND)
    assert table.cells["Laak", "c"] == Cell(0)
    assert not table.has_suppressed
    assert table.cells["Laak", "c"].label == "0"


def test_thousands_are_grouped_in_dutch():
    table = count_table([Item("Laak", "a")] * 27_000, rows=WIJK)
    assert table.total.label == "27.000"


def test_secondary_suppression_in_a_row_hides_a_second_cell_that_is_not_small():
    # Laak: a=4 (small), b=30, c=12. Row total 46 minus 30 and 12 would give 4.
    counts = {
        ("Laak", "a"): 4,
        ("Laak", "b"): 30,
        ("Laak", "c"): 12,
        ("Escamp", "a"): 40,
        ("Escamp", "b"): 50,
        ("Escamp", "c"): 60,
    }
    table = count_table(items(counts), rows=WIJK, columns=BAND)
    assert table.cells["Laak", "a"].suppressed == SMALL
    # Laak's second hidden cell: the largest, since none gives the small one its whole range
    # (30 ≥ 19 does: it is the smallest of those, so 30 is hidden, not 12).
    assert table.cells["Laak", "b"].suppressed == HIDDEN
    assert table.cells["Laak", "c"] == Cell(12)
    # The columns a and b now hide one each: Escamp's a and b follow.
    assert table.cells["Escamp", "a"].suppressed == HIDDEN
    assert table.cells["Escamp", "b"].suppressed == HIDDEN
    # Totals stay visible: no line hides exactly one.
    assert table.row_totals["Laak"] == Cell(46)
    assert table.total == Cell(196)
    assert_protected(table)


def test_a_hidden_value_is_never_a_zero_or_a_small_count_in_disguise():
    counts = {("Laak", "a"): 3, ("Laak", "b"): 0, ("Laak", "c"): 25, ("Escamp", "a"): 11}
    counts |= {("Escamp", "b"): 0, ("Escamp", "c"): 19}
    table = count_table(items(counts), rows=WIJK, columns=BAND)
    for cell_key, cell in table.cells.items():
        if cell.suppressed == HIDDEN:
            assert counts.get(cell_key, 0) >= MIN_CELL
    assert table.cells["Laak", "b"] == Cell(0)
    assert_protected(table)


def test_small_total_is_hidden_and_its_line_protected():
    counts = {("Laak", "a"): 2, ("Laak", "b"): 3, ("Escamp", "a"): 30, ("Escamp", "b"): 40}
    counts |= {("Centrum", "a"): 25, ("Centrum", "b"): 20}
    table = count_table(items(counts), rows=WIJK, columns=BAND)
    assert table.row_totals["Laak"].suppressed == SMALL
    assert_protected(table)


def test_suppress_hides_nothing_when_nothing_is_small():
    assert suppress({"a": 10, "b": 0, "t": 10}, [["a", "b", "t"]]) == {}


def test_suppress_picks_the_smallest_value_that_protects_fully():
    counts = {"small": 4, "x": 12, "y": 19, "z": 50, "t": 85}
    assert suppress(counts, [["small", "x", "y", "z", "t"]]) == {"small": SMALL, "y": HIDDEN}


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_never_reveal_a_small_count(seed):
    """Property: for random sparse tables, no shown value is small and no line hides exactly
    one value, so no hidden value equals a shown total minus shown cells."""
    rng = random.Random(seed)
    wijken = [f"W{n}" for n in range(rng.randint(1, 6))]
    counts = {
        (w, b): rng.choice([0, 0, 1, 2, 5, 9, 10, 11, 15, 18, 19, 25, 60])
        for w, b in itertools.product(wijken, "abc")
    }
    table = count_table(items(counts), rows=WIJK, columns=BAND)
    assert_protected(table)
    # What is shown is the truth.
    for (w, b), n in counts.items():
        if (w, b) in table.cells and table.cells[w, b].value is not None:
            assert table.cells[w, b].value == n
    one_dimension = count_table(items(counts), rows=WIJK)
    assert_protected(one_dimension)


def test_listed_categories_without_items_are_kept_in_order():
    table = count_table(items({("Laak", "c"): 12}), rows=WIJK, columns=BAND)
    assert [c.code for c in table.columns] == ["a", "b", "c"]
    assert table.cells["Laak", "a"] == Cell(0)
    assert table.column_totals["c"] == Cell(12)
