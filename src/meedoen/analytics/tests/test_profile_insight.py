"""Profile figures for analysts (issue 4): obstacles per wijk and doelgroep from each client's
latest conversation, the ZRM distribution from each client's latest complete assessment; small
cells suppressed consistently across the tables that share totals; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meedoen.analytics.aggregates import (
    HIDDEN,
    SMALL,
    Dimension,
    count_table,
    count_tables_sharing_rows,
)
from meedoen.analytics.classification import target_group
from meedoen.analytics.constants import TargetGroup
from meedoen.analytics.profile_insight import profile_insight
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import analysis_population
from meedoen.profiles.inputs import ObstacleInput
from meedoen.profiles.services import conversation_record
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 30)
OVERVIEW = reverse("analytics:overview")


def record(actor, client, date, **profile):
    return conversation_record(
        actor=actor,
        client=client,
        conversation=conversation_input(date=date),
        profile=full_profile(**profile),
        origin=Origin(channel="test"),
    )


def test_target_group_by_age():
    assert target_group(dt.date(1999, 7, 1), DAY) == TargetGroup.YOUNG  # 25
    assert target_group(dt.date(1998, 6, 30), DAY) == TargetGroup.MIDDLE  # 27 today
    assert target_group(dt.date(1975, 7, 1), DAY) == TargetGroup.MIDDLE  # 49
    assert target_group(dt.date(1975, 6, 30), DAY) == TargetGroup.OLDER  # 50 today


def test_obstacles_come_from_the_latest_conversation_and_zrm_from_the_latest_complete(
    analyst, coach, client_factory
):
    clients = [client_factory(date_of_birth=dt.date(1980, 1, 1)) for _ in range(12)]
    for client in clients:
        # Debts then; language now. A later short conversation without a ZRM.
        record(coach, client, dt.date(2024, 1, 1), obstacles=[ObstacleInput("schulden", 2)])
        record(
            coach,
            client,
            dt.date(2024, 6, 1),
            obstacles=[ObstacleInput("taal", 1)],
            zrm=zrm(4, financien=2),
        )
        record(coach, client, dt.date(2025, 1, 1), obstacles=[ObstacleInput("taal", 1)], zrm={})
    insight = profile_insight(population=analysis_population(actor=analyst), reference_date=DAY)
    totals = insight.obstacles_by_district.row_totals
    assert totals["taal"].value == 12
    assert totals["schulden"].value == 0
    cells = insight.zrm.cells
    assert cells["financien", "2"].value == 12
    assert cells["financien", "4"].value == 0
    assert cells["justitie", "4"].value == 12
    assert insight.zrm.column_totals["4"].value == 12 * 12
    assert insight.clients_spoken.value == 12
    group = insight.obstacles_by_target_group
    assert group.cells["taal", TargetGroup.MIDDLE].value == 12


def test_small_groups_are_suppressed_and_shared_totals_agree(analyst, coach, client_factory):
    # Schilderswijk: 12 with debts. Laak: 3 with debts, of whom 2 young (small cells).
    for _ in range(12):
        c = client_factory(district_code="WK1", district_name="Schilderswijk")
        record(coach, c, dt.date(2025, 1, 1), obstacles=[ObstacleInput("schulden", 2)])
    for n in range(3):
        born = dt.date(2003, 1, 1) if n < 2 else dt.date(1970, 1, 1)
        c = client_factory(district_code="WK2", district_name="Laak", date_of_birth=born)
        record(coach, c, dt.date(2025, 1, 1), obstacles=[ObstacleInput("schulden", 2)])
    insight = profile_insight(population=analysis_population(actor=analyst), reference_date=DAY)
    by_district = insight.obstacles_by_district
    assert by_district.cells["schulden", "WK2"].suppressed == SMALL
    assert by_district.cells["schulden", "WK1"].suppressed == HIDDEN  # else 15 - 12 = 3
    # The row totals are one and the same in both obstacle tables.
    for code in by_district.row_totals:
        assert (
            by_district.row_totals[code].label
            == insight.obstacles_by_target_group.row_totals[code].label
        )
    assert insight.obstacles_by_target_group.cells["schulden", TargetGroup.YOUNG].suppressed


def test_linked_tables_hide_a_shared_total_in_both():
    """A row total that one table must hide (as the second value of its row) is hidden in the
    other table too, where it would otherwise give the hidden cells back."""
    items = [("a", "x", "p")] * 15 + [("b", "x", "p")] * 5 + [("b", "y", "p")] * 12
    rows = Dimension(title="r", key=lambda i: i[0])
    first = Dimension(title="c1", key=lambda i: i[1])
    second = Dimension(title="c2", key=lambda i: i[2])
    # Counted apart, the first table hides the total of "a" (its row is [hidden 15, 0]) and the
    # second shows it: 15 - 0 gives the hidden cell back, and with it the small 5 of column x.
    apart = (
        count_table(items, rows=rows, columns=first),
        count_table(items, rows=rows, columns=second),
    )
    assert apart[0].row_totals["a"].hidden
    assert not apart[1].row_totals["a"].hidden
    one, two = count_tables_sharing_rows(items, rows=rows, columns=[first, second])
    assert one.cells["a", "x"].hidden
    assert one.row_totals["a"].hidden
    assert two.row_totals["a"].hidden
    for code in ("a", "b"):
        assert one.row_totals[code].label == two.row_totals[code].label
    assert one.total.label == two.total.label
    # The second table stays consistent on its own lines: no line hides exactly one value.
    assert two.cells["a", "p"].hidden
    assert two.cells["b", "p"].hidden


def test_the_analyst_page_shows_them_audited_with_fixed_queries(
    client, analyst, coach, client_factory, django_assert_max_num_queries
):
    c = client_factory()
    record(coach, c, dt.date(2025, 1, 1))
    client.force_login(analyst)
    with django_assert_max_num_queries(20) as few:
        response = client.get(OVERVIEW)
    body = response.content.decode()
    assert "Belemmeringen per wijk en doelgroep" in body
    assert "Cliënten per belemmering en wijk" in body
    assert "Cliënten per leefgebied en ZRM-score" in body
    assert '<title id="grafiek-belemmeringen-titel">' in body
    assert '<title id="grafiek-zrm-titel">' in body
    # One client: every count is small.
    assert "&lt; 10" in body
    assert c.surname not in body
    assert AuditEvent.objects.filter(action="analytics.profiles.read").count() == 1
    for n in range(15):
        other = client_factory(district_code=f"WK{n % 4}", district_name=f"Wijk {n % 4}")
        record(coach, other, dt.date(2024, 1, 1) + dt.timedelta(days=n))
        record(coach, other, dt.date(2025, 1, 1) + dt.timedelta(days=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(OVERVIEW).status_code == 200


def test_other_roles_do_not_get_them(client, coach):
    from meedoen.analytics.services import AnalysisNotAllowed, profile_insight_read

    with pytest.raises(AnalysisNotAllowed):
        profile_insight_read(actor=coach, origin=Origin(channel="test"))
    assert AuditEvent.objects.get(action="analytics.profiles.read").result == "denied"
