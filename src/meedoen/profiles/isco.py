"""ISCO-08 occupations: the 436 unit groups (4-digit codes) of the ILO classification.

`data/isco08.csv` holds the code, the ILO's English title and, for all 436 unit groups, a Dutch
title written for Meedoen (our own translations of the ILO titles; no complete Dutch ISCO-08 list is
available offline under a licence we can ship). Should a row lack a Dutch title, the English one is
shown (docs/profiles.md). Matching (ESCO) can refine these codes later.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation

DATA = Path(__file__).with_name("data") / "isco08.csv"


@dataclass(frozen=True)
class Occupation:
    code: str
    title_en: str
    title_nl: str

    @property
    def major_group(self) -> str:
        return self.code[0]

    @property
    def title(self) -> str:
        """The title in the active language: Dutch where we have one, else the ILO's English."""
        if (translation.get_language() or "nl").startswith("nl") and self.title_nl:
            return self.title_nl
        return self.title_en


@cache
def occupations() -> dict[str, Occupation]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return {
            row["code"]: Occupation(row["code"], row["title_en"], row["title_nl"]) for row in rows
        }


def isco_is_valid(code: str) -> bool:
    return code in occupations()


def isco_title(code: str) -> str:
    """The title of a unit group in the active language; the code itself when it is unknown."""
    occupation = occupations().get(code)
    return occupation.title if occupation else code


def isco_choices() -> list[tuple[str, str]]:
    """(code, "code title") for every unit group, ordered by code, for forms."""
    return [(code, f"{code} {o.title}") for code, o in occupations().items()]
