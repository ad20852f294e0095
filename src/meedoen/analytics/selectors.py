"""Reads for the analyst's pages. The population comes through the access door
(``caseload.access.analysis_population``); what leaves here is counts, suppressed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meedoen.analytics.aggregates import Category, Cell, Dimension, Table, count_table
from meedoen.analytics.charts import BarChart, bar_chart
from meedoen.analytics.constants import AgeBand, BenefitDurationBand, YesNo
from meedoen.analytics.datasets import client_profiles
from meedoen.clients.models import Client


@dataclass(frozen=True)
class DistrictRow:
    category: Category
    clients: Cell
    households: Cell


@dataclass(frozen=True)
class Overview:
    reference_date: dt.date
    districts: list[DistrictRow]
    clients_total: Cell
    households_total: Cell
    clients_chart: BarChart
    age: Table
    age_chart: BarChart
    duration: Table
    duration_chart: BarChart


class InWijk(Protocol):
    """Anything counted by wijk: a dataset Profile, or a client in analytics.profile_insight."""

    @property
    def district_code(self) -> str: ...

    @property
    def district_name(self) -> str: ...


def district_categories(profiles: Sequence[InWijk]) -> list[Category]:
    """The wijken found, by name; clients without a known wijk last."""
    names: dict[str, str] = {}
    for profile in profiles:
        names.setdefault(profile.district_code, profile.district_name or profile.district_code)
    known = sorted(
        (Category(code, name) for code, name in names.items() if code),
        key=lambda c: (str(c.label).casefold(), c.code),
    )
    unknown = [Category("", _("Wijk onbekend"))] if "" in names else []
    return known + unknown


def _choices(choices: type[AgeBand] | type[BenefitDurationBand]) -> list[Category]:
    return [Category(value, label) for value, label in choices.choices]


def analysis_overview(*, population: QuerySet[Client], reference_date: dt.date) -> Overview:
    """Clients and households per wijk, age and benefit duration by wijk, all suppressed.

    The number of clients per wijk is the row total of the age table, reused: two tables that
    share a total must share its suppression too (analytics/aggregates.py).
    """
    profiles = list(client_profiles(population=population, reference_date=reference_date))
    wijken = district_categories(profiles)
    by_district = Dimension(title=_("Wijk"), key=lambda item: item.district_code, categories=wijken)

    age = count_table(
        profiles,
        rows=by_district,
        columns=Dimension(
            title=_("Leeftijd"), key=lambda p: p.age_band, categories=_choices(AgeBand)
        ),
    )
    households = count_table(
        list({(p.household_id, p.district_code) for p in profiles if p.household_id}),
        rows=Dimension(title=_("Wijk"), key=lambda pair: pair[1], categories=wijken),
    )
    durations = [c for c in _choices(BenefitDurationBand) if c.code != BenefitDurationBand.NONE]
    duration = count_table(
        [p for p in profiles if p.on_benefit == YesNo.YES],
        rows=by_district,
        columns=Dimension(
            title=_("Duur van de lopende uitkering"),
            key=lambda p: p.benefit_duration,
            categories=durations,
        ),
    )

    date = date_format(reference_date, "j F Y")
    return Overview(
        reference_date=reference_date,
        districts=[
            DistrictRow(w, age.row_totals[w.code], households.row_totals[w.code]) for w in wijken
        ],
        clients_total=age.total,
        households_total=households.total,
        clients_chart=bar_chart(
            chart_id="grafiek-wijken",
            title=_("Cliënten per wijk"),
            description=_(
                "Staafdiagram van het aantal cliënten per wijk op %(date)s. De aantallen, ook "
                "van huishoudens, staan in de tabel onder het diagram."
            )
            % {"date": date},
            items=[(str(w.label), age.row_totals[w.code]) for w in wijken],
        ),
        age=age,
        age_chart=bar_chart(
            chart_id="grafiek-leeftijd",
            title=_("Cliënten naar leeftijd"),
            description=_(
                "Staafdiagram van het aantal cliënten per leeftijdsklasse op %(date)s, alle "
                "wijken samen. De aantallen per wijk staan in de tabel onder het diagram."
            )
            % {"date": date},
            items=[(str(c.label), age.column_totals[c.code]) for c in age.columns],
        ),
        duration=duration,
        duration_chart=bar_chart(
            chart_id="grafiek-uitkeringsduur",
            title=_("Lopende uitkeringen naar duur"),
            description=_(
                "Staafdiagram van het aantal cliënten met een lopende uitkering, naar hoe lang "
                "die uitkering loopt, op %(date)s, alle wijken samen. De aantallen per wijk staan "
                "in de tabel onder het diagram."
            )
            % {"date": date},
            items=[(str(c.label), duration.column_totals[c.code]) for c in duration.columns],
        ),
    )
