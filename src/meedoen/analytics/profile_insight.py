"""What the conversations tell the municipality about its target group (issue 4), for analysts:
which obstacles are most common per wijk and per doelgroep, and how the ZRM scores are
distributed. Counts only, with small cells suppressed (aggregates.py); no person, no pseudonym.

The unit is the client. Obstacles come from each client's latest conversation (what stands in the
way now); ZRM scores from each client's latest complete assessment. The two obstacle tables share
their row totals (clients per obstacle) and are therefore suppressed in one pass
(aggregates.count_tables_sharing_rows). Three queries whatever the size of the population: the
clients spoken to (a count), the obstacles with their client's wijk and date of birth, and the
ZRM scores counted per domain and score in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter

from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meedoen.analytics import classification
from meedoen.analytics.aggregates import (
    SMALL,
    Category,
    Cell,
    Dimension,
    Table,
    count_table,
    count_tables_sharing_rows,
)
from meedoen.analytics.charts import BarChart, bar_chart
from meedoen.analytics.constants import MIN_CELL, TargetGroup
from meedoen.analytics.selectors import district_categories
from meedoen.clients.models import Client
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain, ZrmScore
from meedoen.profiles.selectors import latest_complete_zrm, latest_obstacles, spoken_condition

_CLIENT = "profile__conversation__client__"


@dataclass(frozen=True, slots=True)
class _Mention:
    """One obstacle of one client, in the dimensions counted here. Internal; never shown."""

    code: str  # the obstacle category
    district_code: str
    district_name: str
    target_group: str


@dataclass(frozen=True)
class ProfileInsight:
    reference_date: dt.date
    clients_spoken: Cell  # clients with at least one conversation
    obstacles_by_district: Table
    obstacles_by_target_group: Table
    obstacles_chart: BarChart
    zrm: Table
    zrm_chart: BarChart


def _choices(choices: type[ObstacleCategory | ZrmDomain | TargetGroup]) -> list[Category]:
    return [Category(value, label) for value, label in choices.choices]


def profile_insight(*, population: QuerySet[Client], reference_date: dt.date) -> ProfileInsight:
    """Obstacles per wijk and per doelgroep, and the ZRM distribution, all suppressed."""
    spoken = population.filter(spoken_condition()).count()
    rows = latest_obstacles(clients=population).values_list(
        "category",
        _CLIENT + "date_of_birth",
        _CLIENT + "household__address__district_code",
        _CLIENT + "household__address__district_name",
    )
    # Fetched whole, not through .iterator(): the mentions are kept in a list anyway, and
    # PostgreSQL plans a server-side cursor for its first rows (merge joins over index scans),
    # which took 0.8 s instead of 0.45 s at 27,000 clients (docs/benchmarks.md).
    obstacles = [
        _Mention(
            code=category,
            district_code=code or "",
            district_name=name or "",
            target_group=classification.target_group(born, reference_date).value,
        )
        for category, born, code, name in rows
    ]
    # The ZRM table needs no person at all: counted in the database, one row per domain and score.
    score_counts = (
        latest_complete_zrm(clients=population)
        .filter(score__isnull=False)
        .values_list("domain", "score")
        .annotate(n=Count("pk"))
    )
    scores = chain.from_iterable(
        repeat((domain, str(score)), n) for domain, score, n in score_counts
    )

    wijken = district_categories(obstacles)
    by_district, by_group = count_tables_sharing_rows(
        obstacles,
        rows=Dimension(
            title=_("Belemmering"), key=lambda m: m.code, categories=_choices(ObstacleCategory)
        ),
        columns=[
            Dimension(title=_("Wijk"), key=lambda m: m.district_code, categories=wijken),
            Dimension(
                title=_("Doelgroep"),
                key=lambda m: m.target_group,
                categories=_choices(TargetGroup),
            ),
        ],
    )
    zrm = count_table(
        scores,
        rows=Dimension(title=_("Leefgebied"), key=itemgetter(0), categories=_choices(ZrmDomain)),
        columns=Dimension(
            title=_("Score"),
            key=itemgetter(1),
            categories=[Category(str(value), label) for value, label in ZrmScore.choices],
        ),
    )
    date = date_format(reference_date, "j F Y")
    return ProfileInsight(
        reference_date=reference_date,
        clients_spoken=_small_suppressed(spoken),
        obstacles_by_district=by_district,
        obstacles_by_target_group=by_group,
        obstacles_chart=bar_chart(
            chart_id="grafiek-belemmeringen",
            title=_("Cliënten per belemmering"),
            description=_(
                "Staafdiagram van het aantal cliënten met elke belemmering in hun laatste "
                "gesprek, alle wijken samen, op %(date)s. De aantallen per wijk en per doelgroep "
                "staan in de tabellen onder het diagram."
            )
            % {"date": date},
            items=[(str(c.label), by_district.row_totals[c.code]) for c in by_district.rows],
        ),
        zrm=zrm,
        zrm_chart=bar_chart(
            chart_id="grafiek-zrm",
            title=_("ZRM-scores, alle leefgebieden samen"),
            description=_(
                "Staafdiagram van hoe vaak elke ZRM-score (1 tot en met 5) is gegeven in de "
                "laatste volledige ZRM van elke cliënt, alle 13 leefgebieden samen, op %(date)s. "
                "De aantallen per leefgebied staan in de tabel onder het diagram."
            )
            % {"date": date},
            items=[(str(c.label), zrm.column_totals[c.code]) for c in zrm.columns],
        ),
    )


def _small_suppressed(count: int) -> Cell:
    # A count on its own: only the primary rule applies (no line to compute it back from).
    return Cell(value=None, suppressed=SMALL) if 0 < count < MIN_CELL else Cell(value=count)
