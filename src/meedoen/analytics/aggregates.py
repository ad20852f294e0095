"""Counts by one or two dimensions, with small cells suppressed.

Primary suppression: a count from 1 to MIN_CELL - 1 is never shown; it reads "< 10". Zero is
shown: it is not a small group of people.

Secondary suppression: a table has totals, and a hidden cell is the total minus the rest of its
line. So every line — a row with its row total, a column with its column total, the row totals
with the grand total, the column totals with the grand total — must hide either nothing or at
least two values. Where a line hides exactly one, one more value of that line is hidden and shown
as "x"; this repeats until no line hides exactly one. The value hidden second is one that is not
small (it is MIN_CELL or more, so "x" never stands for 0 or for a small count), an inner cell
before a total. Among those it is the smallest that still leaves the small one its whole range
(the pair then sums to ≥ MIN_CELL + (MIN_CELL - 1), so "< 10" and the line total together say no
more than "1 to 9"); failing that, the largest.

What this does not do (docs/privacy/analytics.md): it does not solve the full cell-suppression
problem across a set of linked tables. Two tables that share a total must therefore come from one
call (one cross table whose margins are reused), never from two calls, or the hidden cells of one
can be computed from the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise

from meedoen.analytics.constants import HIDDEN_CELL_LABEL, MIN_CELL, SMALL_CELL_LABEL

SMALL = "small"  # primary: a count from 1 to MIN_CELL - 1
HIDDEN = "hidden"  # secondary: hidden so that a small count cannot be computed back


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: `value` is None when the count is hidden."""

    value: int | None
    suppressed: str = ""  # "", SMALL or HIDDEN

    @property
    def label(self) -> str:
        if self.suppressed == SMALL:
            return SMALL_CELL_LABEL
        if self.suppressed == HIDDEN:
            return HIDDEN_CELL_LABEL
        if self.value is None:
            return ""
        # 27.000 in Dutch, 27,000 in English.
        return number_format(self.value, force_grouping=True)

    @property
    def hidden(self) -> bool:
        return bool(self.suppressed)


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Dimension:
    """What to count by: `key` gives a row's category code; `categories` fixes the order and the
    labels (codes found that are not listed follow, sorted, labelled by their code)."""

    title: str | Promise
    key: Callable[[Any], str]
    categories: Sequence[Category] = ()


@dataclass(frozen=True)
class TableRow:
    category: Category
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Table:
    """Counts by `rows` (and `columns`, for a cross table), after suppression.

    For a table by one dimension `columns` is empty and each row's count is its `total`.
    """

    row_title: str | Promise
    column_title: str | Promise
    rows: list[Category]
    columns: list[Category]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    total: Cell

    @property
    def body(self) -> list[TableRow]:
        return [
            TableRow(
                category=row,
                cells=[self.cells[row.code, column.code] for column in self.columns],
                total=self.row_totals[row.code],
            )
            for row in self.rows
        ]

    @property
    def footer(self) -> list[Cell]:
        return [self.column_totals[column.code] for column in self.columns]

    @property
    def has_suppressed(self) -> bool:
        every = [*self.cells.values(), *self.row_totals.values(), *self.column_totals.values()]
        return any(cell.hidden for cell in [*every, self.total])


def suppress(
    counts: dict[Hashable, int], lines: Iterable[Sequence[Hashable]], *, min_cell: int = MIN_CELL
) -> dict[Hashable, str]:
    """Which values to hide: SMALL or HIDDEN per key of `counts`.

    `lines` are the additive lines of the table: in each, the last key is the total of the others.
    """
    line_keys = [list(line) for line in lines]
    hidden: dict[Hashable, str] = {k: SMALL for k, n in counts.items() if 0 < n < min_cell}
    changed = True
    while changed:
        changed = False
        for line in line_keys:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            hidden[_second(line, hidden, counts, min_cell)] = HIDDEN
            changed = True
    return hidden


def _second(
    line: list[Hashable],
    hidden: dict[Hashable, str],
    counts: dict[Hashable, int],
    min_cell: int,
) -> Hashable:
    """The value of `line` to hide besides the one hidden already."""
    inner = [k for k in line[:-1] if k not in hidden and counts[k] >= min_cell]
    # A line that hides one value always has another value ≥ min_cell: the visible values are 0
    # or ≥ min_cell, and they cannot all be 0 when the line's total is not small, nor sum to a
    # small total. Failing inner cells, that value is the total.
    assert inner or line[-1] not in hidden, line
    candidates = inner or [line[-1]]
    protective = [k for k in candidates if counts[k] >= 2 * min_cell - 1]
    if protective:
        return min(protective, key=lambda k: counts[k])
    return max(candidates, key=lambda k: counts[k])


def _categories(dimension: Dimension, found: Iterable[str]) -> list[Category]:
    listed = list(dimension.categories)
    known = {c.code for c in listed}
    extra = sorted(set(found) - known)
    return listed + [Category(code, code) for code in extra]


def count_table(
    items: Iterable[Any],
    *,
    rows: Dimension,
    columns: Dimension | None = None,
    min_cell: int = MIN_CELL,
    keep_empty: bool = True,
) -> Table:
    """Count `items` by one dimension (`rows`) or two (`rows` by `columns`), suppressed.

    `keep_empty` keeps listed categories without items (shown as 0); found categories are
    always shown.
    """
    counter: Counter[tuple[str, str]] = Counter()
    for item in items:
        counter[rows.key(item), columns.key(item) if columns else ""] += 1

    row_categories = _categories(rows, (r for r, _ in counter))
    column_categories = _categories(columns, (c for _, c in counter)) if columns else []
    if not keep_empty:
        used_rows = {r for r, _ in counter}
        row_categories = [c for c in row_categories if c.code in used_rows]
    row_codes = [c.code for c in row_categories]
    column_codes = [c.code for c in column_categories]

    # Keys: ("cell", r, c), ("row", r), ("column", c), ("total",).
    counts: dict[Hashable, int] = {}
    for r in row_codes:
        counts["row", r] = sum(counter[r, c] for c in column_codes) if columns else counter[r, ""]
        for c in column_codes:
            counts["cell", r, c] = counter[r, c]
    for c in column_codes:
        counts["column", c] = sum(counter[r, c] for r in row_codes)
    counts["total",] = sum(counts["row", r] for r in row_codes)

    lines: list[list[Hashable]] = [[*(("row", r) for r in row_codes), ("total",)]]
    if columns:
        lines.append([*(("column", c) for c in column_codes), ("total",)])
        lines += [[*(("cell", r, c) for c in column_codes), ("row", r)] for r in row_codes]
        lines += [[*(("cell", r, c) for r in row_codes), ("column", c)] for c in column_codes]
    hidden = suppress(counts, lines, min_cell=min_cell)

    def cell(key: Hashable) -> Cell:
        if key in hidden:
            return Cell(value=None, suppressed=hidden[key])
        return Cell(value=counts[key])

    return Table(
        row_title=rows.title,
        column_title=columns.title if columns else "",
        rows=row_categories,
        columns=column_categories,
        cells={(r, c): cell(("cell", r, c)) for r in row_codes for c in column_codes},
        row_totals={r: cell(("row", r)) for r in row_codes},
        column_totals={c: cell(("column", c)) for c in column_codes},
        total=cell(("total",)),
    )


def count_tables_sharing_rows(
    items: Iterable[Any],
    *,
    rows: Dimension,
    columns: Sequence[Dimension],
    min_cell: int = MIN_CELL,
) -> list[Table]:
    """The same `items` counted by `rows` against each of `columns`: one cross table per column
    dimension, suppressed in ONE pass, so that the row totals and the grand total they share
    are hidden in all of them or in none.

    Two calls of count_table could hide a shared row total in one table (as the second value of
    a row line) and show it in the other, which gives the hidden cells back. Here the shared
    totals are one key in one suppression problem (see the module's docstring).
    """
    items = list(items)
    counters: list[Counter[tuple[str, str]]] = []
    for dimension in columns:
        counter: Counter[tuple[str, str]] = Counter()
        for item in items:
            counter[rows.key(item), dimension.key(item)] += 1
        counters.append(counter)
    row_categories = _categories(rows, (rows.key(item) for item in items))
    row_codes = [c.code for c in row_categories]
    column_categories = [
        _categories(dimension, (c for _, c in counter))
        for dimension, counter in zip(columns, counters, strict=True)
    ]

    # Keys: ("cell", t, r, c), ("column", t, c) per table t; ("row", r) and ("total",) shared.
    counts: dict[Hashable, int] = {}
    for r in row_codes:
        counts["row", r] = sum(1 for item in items if rows.key(item) == r)
    counts["total",] = len(items)
    lines: list[list[Hashable]] = [[*(("row", r) for r in row_codes), ("total",)]]
    for t, (counter, categories) in enumerate(zip(counters, column_categories, strict=True)):
        codes = [c.code for c in categories]
        for r in row_codes:
            for c in codes:
                counts["cell", t, r, c] = counter[r, c]
        for c in codes:
            counts["column", t, c] = sum(counter[r, c] for r in row_codes)
        lines.append([*(("column", t, c) for c in codes), ("total",)])
        lines += [[*(("cell", t, r, c) for c in codes), ("row", r)] for r in row_codes]
        lines += [[*(("cell", t, r, c) for r in row_codes), ("column", t, c)] for c in codes]
    hidden = suppress(counts, lines, min_cell=min_cell)

    def cell(key: Hashable) -> Cell:
        if key in hidden:
            return Cell(value=None, suppressed=hidden[key])
        return Cell(value=counts[key])

    return [
        Table(
            row_title=rows.title,
            column_title=dimension.title,
            rows=row_categories,
            columns=categories,
            cells={
                (r, c.code): cell(("cell", t, r, c.code)) for r in row_codes for c in categories
            },
            row_totals={r: cell(("row", r)) for r in row_codes},
            column_totals={c.code: cell(("column", t, c.code)) for c in categories},
            total=cell(("total",)),
        )
        for t, (dimension, categories) in enumerate(zip(columns, column_categories, strict=True))
    ]
