"""A CSV table turned into the arrays the estimators take (docs/effects.md, "Input").

Rules a user can rely on:
- UTF-8 with or without a byte-order mark (Windows-1252 as a fallback, for Excel exports);
  `,` or `;` as the delimiter, taken from the header line; with `;` a decimal comma is read too.
- Treatment: two values only, 0/1 (also true/false, ja/nee, yes/no).
- Outcome and placebo: numbers (true/false, ja/nee count as 1/0).
- Covariates: a column of numbers is used as it is; any other column is a category, one-hot
  encoded with its first level (in sorted order) left out, named `column=level`.
- Missing values (empty, NA, NaN, null) are an error naming the column and the first rows, for
  every column: an automatic "missing indicator" would quietly assume the values are missing
  for reasons unrelated to the outcome, which is exactly what an analyst must decide.
- A covariate with a single value carries no information: it is dropped with a warning.

Every problem raises `EffectInputError` with a Dutch message that says what and where; no other
exception escapes for bad input.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
from django.utils.translation import gettext as _

# Fewer than this many treated or controls give no meaningful comparison.
MIN_GROUP = 20
# A text covariate with more levels than this is most likely an identifier or free text.
MAX_LEVELS = 50
# Rows the error messages list before "…".
SHOWN_ROWS = 5

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/b", "#n/a"})
TRUE_WORDS = frozenset({"1", "true", "ja", "yes", "waar", "j", "y"})
FALSE_WORDS = frozenset({"0", "false", "nee", "no", "onwaar", "n"})


class EffectInputError(ValueError):
    """Bad input for an effect evaluation: `message` is Dutch and says what and where; `field`
    names the parameter it is about (csv, treatment, outcome, covariates, placebo) when known."""

    def __init__(self, message: str, *, field: str = "csv") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Table:
    X: np.ndarray
    t: np.ndarray
    y: np.ndarray
    placebo: np.ndarray | None
    covariate_names: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return int(self.t.shape[0])


def _rows_text(rows: Sequence[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:SHOWN_ROWS])
    return shown + (", …" if len(rows) > SHOWN_ROWS else "")


def _read_text(source: str | os.PathLike[str] | IO[Any] | bytes) -> str:
    try:
        if isinstance(source, bytes):
            raw = source
        elif isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as handle:
                raw = handle.read()
        else:
            raw = source.read()
    except OSError as error:
        raise EffectInputError(
            _("Het bestand kan niet worden gelezen: %(reason)s.") % {"reason": error.strerror}
        ) from None
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV as Windows-1252; every byte sequence decodes.
        return raw.decode("cp1252", errors="replace")


def _parse_number(value: str, *, decimal_comma: bool) -> float | None:
    """The value as a float, or None when it is not a number."""
    text = value.strip()
    lowered = text.lower()
    if lowered in TRUE_WORDS - {"1"}:
        return 1.0
    if lowered in FALSE_WORDS - {"0"}:
        return 0.0
    try:
        number = float(text)
    except ValueError:
        if not decimal_comma or "," not in text:
            return None
        try:
            number = float(text.replace(".", "").replace(",", "."))
        except ValueError:
            return None
    if not np.isfinite(number):
        return None
    return number


def load_table(
    path_or_file: str | os.PathLike[str] | IO[Any] | bytes,
    *,
    treatment: str,
    outcome: str,
    covariates: list[str],
    placebo: str | None = None,
) -> Table:
    text = _read_text(path_or_file)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise EffectInputError(_("Het bestand is leeg."))
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise EffectInputError(
            _("Het bestand is geen geldige CSV (regel %(line)d): %(reason)s.")
            % {"line": reader.line_num, "reason": error}
        ) from None
    header = [name.strip() for name in rows[0]]
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(row)]
    if not body:
        raise EffectInputError(_("Het bestand heeft een kopregel maar geen gegevens."))
    ragged = [number for number, row in body if len(row) != len(header)]
    if ragged:
        raise EffectInputError(
            _(
                "Regel %(rows)s heeft een ander aantal kolommen (%(found)d verwacht); "
                "is het scheidingsteken (%(delimiter)s) juist?"
            )
            % {"rows": _rows_text(ragged), "found": len(header), "delimiter": delimiter}
        )

    _check_names(
        header, treatment=treatment, outcome=outcome, covariates=covariates, placebo=placebo
    )
    index = {name: header.index(name) for name in header}
    decimal_comma = delimiter == ";"
    row_numbers = [number for number, _row in body]

    def column(name: str) -> list[str]:
        position = index[name]
        return [row[position].strip() for _number, row in body]

    def missing_rows(values: list[str]) -> list[int]:
        return [n for n, v in zip(row_numbers, values, strict=True) if v.lower() in MISSING]

    def require_complete(name: str, values: list[str], field_name: str) -> None:
        gaps = missing_rows(values)
        if gaps:
            raise EffectInputError(
                _("Kolom '%(column)s' heeft lege waarden, op regel %(rows)s (%(count)d in totaal).")
                % {"column": name, "rows": _rows_text(gaps), "count": len(gaps)},
                field=field_name,
            )

    def numeric(name: str, field_name: str) -> np.ndarray:
        values = column(name)
        require_complete(name, values, field_name)
        parsed = [_parse_number(v, decimal_comma=decimal_comma) for v in values]
        bad = [n for n, p in zip(row_numbers, parsed, strict=True) if p is None]
        if bad:
            raise EffectInputError(
                _(
                    "Kolom '%(column)s' moet getallen bevatten; regel %(rows)s heeft een andere "
                    "waarde (bijvoorbeeld '%(example)s')."
                )
                % {
                    "column": name,
                    "rows": _rows_text(bad),
                    "example": values[row_numbers.index(bad[0])][:40],
                },
                field=field_name,
            )
        return np.asarray(parsed, dtype=float)

    # Treatment: exactly two values that read as 0 and 1.
    raw_t = column(treatment)
    require_complete(treatment, raw_t, "treatment")
    t_values = []
    for value in raw_t:
        lowered = value.lower()
        if lowered in TRUE_WORDS or _parse_number(value, decimal_comma=decimal_comma) == 1.0:
            t_values.append(1.0)
        elif lowered in FALSE_WORDS or _parse_number(value, decimal_comma=decimal_comma) == 0.0:
            t_values.append(0.0)
        else:
            found = sorted(set(raw_t))
            shown = ", ".join(f"'{v[:20]}'" for v in found[:10]) + (
                ", …" if len(found) > 10 else ""
            )
            raise EffectInputError(
                _(
                    "De behandelkolom '%(column)s' moet 0 of 1 zijn (deelnemer ja/nee); "
                    "gevonden waarden: %(values)s."
                )
                % {"column": treatment, "values": shown},
                field="treatment",
            )
    t = np.asarray(t_values)
    y = numeric(outcome, "outcome")
    placebo_values = numeric(placebo, "placebo") if placebo else None

    columns: list[np.ndarray] = []
    names: list[str] = []
    warnings: list[str] = []
    for name in covariates:
        values = column(name)
        require_complete(name, values, "covariates")
        parsed = [_parse_number(v, decimal_comma=decimal_comma) for v in values]
        if all(p is not None for p in parsed):
            columns.append(np.asarray(parsed, dtype=float))
            names.append(name)
            continue
        levels = sorted(set(values))
        if len(levels) > MAX_LEVELS:
            raise EffectInputError(
                _(
                    "Kolom '%(column)s' heeft %(count)d verschillende tekstwaarden; als categorie "
                    "zijn hoogstens %(max)d mogelijk. Is het een nummer of vrije tekst?"
                )
                % {"column": name, "count": len(levels), "max": MAX_LEVELS},
                field="covariates",
            )
        codes = np.asarray([levels.index(v) for v in values])
        for level_number, level in enumerate(levels[1:], start=1):
            columns.append((codes == level_number).astype(float))
            names.append(f"{name}={level}")
        if len(levels) == 1:
            columns.append(np.zeros(len(values)))
            names.append(name)

    X = np.column_stack(columns) if columns else np.empty((len(body), 0))
    X, names, dropped = drop_constant(X, names)
    for name in dropped:
        warnings.append(
            _("Kenmerk '%(column)s' heeft overal dezelfde waarde en is weggelaten.")
            % {"column": name}
        )
    validate_arrays(X, t, y)
    return Table(X=X, t=t, y=y, placebo=placebo_values, covariate_names=names, warnings=warnings)


def _check_names(
    header: list[str],
    *,
    treatment: str,
    outcome: str,
    covariates: list[str],
    placebo: str | None,
) -> None:
    if not covariates:
        raise EffectInputError(
            _("Geef ten minste één kenmerk op (covariates)."), field="covariates"
        )
    wanted = [("treatment", treatment), ("outcome", outcome)]
    wanted += [("covariates", c) for c in covariates]
    if placebo:
        wanted.append(("placebo", placebo))
    absent = [(f, n) for f, n in wanted if n not in header]
    if absent:
        raise EffectInputError(
            _("Kolom %(missing)s ontbreekt in het bestand. Aanwezige kolommen: %(present)s.")
            % {
                "missing": ", ".join(f"'{n}'" for _f, n in absent),
                "present": ", ".join(f"'{h}'" for h in header) or "-",
            },
            field=absent[0][0],
        )
    duplicates = sorted({c for c in covariates if covariates.count(c) > 1})
    if duplicates:
        raise EffectInputError(
            _("Kenmerk %(names)s staat meer dan eens in de lijst.")
            % {"names": ", ".join(f"'{n}'" for n in duplicates)},
            field="covariates",
        )
    for field_name, name in (("treatment", treatment), ("outcome", outcome), ("placebo", placebo)):
        if name and name in covariates:
            raise EffectInputError(
                _("Kolom '%(column)s' kan niet tegelijk kenmerk en %(role)s zijn.")
                % {"column": name, "role": _role_label(field_name)},
                field="covariates",
            )
    if treatment == outcome or (placebo and placebo in (treatment, outcome)):
        raise EffectInputError(
            _("Behandeling, uitkomst en placebo-uitkomst moeten verschillende kolommen zijn."),
            field="outcome",
        )


def _role_label(field_name: str) -> str:
    labels = {
        "treatment": _("behandeling"),
        "outcome": _("uitkomst"),
        "placebo": _("placebo-uitkomst"),
    }
    return labels[field_name]


def drop_constant(X: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Leave out columns with a single value (they carry no information and make the
    standardisation divide by zero)."""
    if X.shape[1] == 0:
        return X, names, []
    constant = np.ptp(X, axis=0) == 0
    dropped = [n for n, c in zip(names, constant, strict=True) if c]
    keep = [n for n, c in zip(names, constant, strict=True) if not c]
    return X[:, ~constant], keep, dropped


def validate_arrays(X: np.ndarray, t: np.ndarray, y: np.ndarray) -> None:
    """What every estimator needs, whoever built the arrays (CSV or the database)."""
    if X.ndim != 2 or t.ndim != 1 or y.ndim != 1 or not (X.shape[0] == t.shape[0] == y.shape[0]):
        raise EffectInputError(_("Kenmerken, behandeling en uitkomst hebben niet even veel rijen."))
    if X.shape[1] == 0:
        raise EffectInputError(
            _("Er blijft geen bruikbaar kenmerk over om groepen mee te vergelijken."),
            field="covariates",
        )
    values = set(np.unique(t).tolist())
    if not values <= {0.0, 1.0}:
        shown = ", ".join(f"{v:g}" for v in sorted(values)[:10])
        raise EffectInputError(
            _("De behandeling moet 0 of 1 zijn; gevonden waarden: %(values)s.") % {"values": shown},
            field="treatment",
        )
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise EffectInputError(_("De gegevens bevatten lege of oneindige waarden."))
    n_treated = int((t == 1).sum())
    n_control = int((t == 0).sum())
    if n_treated < MIN_GROUP or n_control < MIN_GROUP:
        raise EffectInputError(
            _(
                "Te weinig gegevens: %(treated)d deelnemers en %(control)d niet-deelnemers; "
                "van beide zijn er minstens %(min)d nodig."
            )
            % {"treated": n_treated, "control": n_control, "min": MIN_GROUP},
            field="treatment",
        )
