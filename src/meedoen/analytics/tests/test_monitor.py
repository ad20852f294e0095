"""The programme monitor (issue 7): indicator arithmetic on a hand-built cohort, censoring of
recent cohorts, suppression, breakdowns, exports, the yearly target, access and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meedoen.analytics.models import MonitorTarget
from meedoen.analytics.monitor import (
    INDICATORS,
    MonitorDimension,
    add_months,
    monitor,
    to_work_counts,
)
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.caseload.access import analysis_population
from meedoen.caseload.tests.factories import assign
from meedoen.clients.constants import BenefitEndReason, BenefitType
from meedoen.clients.models import BenefitPeriod
from meedoen.clients.tests.factories import ClientFactory
from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.models import Category
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.plans.tests.factories import make_goal, make_plan
from meedoen.profiles.models import Conversation, ProfileSnapshot

pytestmark = pytest.mark.django_db

MONITOR = reverse("analytics:monitor")
TARGET = reverse("analytics:monitor_target")
CSV = reverse("analytics:monitor_export", args=["csv"])
XLSX = reverse("analytics:monitor_export", args=["xlsx"])
PERIOD = {"van": "2024-01-01", "tot": "2024-12-31"}
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
REFERENCE = dt.date(2025, 12, 31)
COLUMN = {indicator.code: number for number, indicator in enumerate(INDICATORS)}


def talk(client, day, rung=None):
    conversation = Conversation.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        date=day,
        place="kantoor",
        conducted_by_name="Klantregisseur (test)",
    )
    ProfileSnapshot.objects.create(conversation=conversation, ladder_current=rung)
    return conversation


def outcome(client, kind, day, hours=None):
    return OutcomeEvent.objects.create(
        municipality_id=client.municipality_id,
        client=client,
        kind=kind,
        occurred_on=day,
        hours_per_week=hours,
    )


def end_benefit(client, day, reason):
    BenefitPeriod.objects.filter(client=client, end_date__isnull=True).update(
        end_date=day, end_reason=reason
    )


def reenter(client, day):
    BenefitPeriod.objects.create(client=client, benefit_type=BenefitType.SINGLE, start_date=day)


def run(analyst, dimension=MonitorDimension.TOTAL, horizon=6, min_cell=1, **kw):
    return monitor(
        population=analysis_population(actor=analyst),
        municipality_id=analyst.municipality_id,
        period_start=kw.get("start", START),
        period_end=kw.get("end", END),
        dimension=dimension,
        horizon=horizon,
        reference_date=kw.get("reference", REFERENCE),
        targets=kw.get("targets"),
        min_cell=min_cell,
    )


def value(row, code):
    cell = row.indicators[COLUMN[code]]
    return cell.count.value, cell.base.value


@pytest.fixture
def cohort(client_factory, other_municipality):
    """Five clients reached in 2024 and three who are not (see each line)."""
    a = client_factory()  # job of 20 h, a rung up, left the bijstand for work: stayed out
    talk(a, dt.date(2024, 1, 10), rung=2)
    talk(a, dt.date(2024, 5, 1), rung=3)
    outcome(a, OutcomeKind.JOB_STARTED, dt.date(2024, 3, 1), hours=20)
    end_benefit(a, dt.date(2024, 3, 31), BenefitEndReason.WORK)

    b = client_factory()  # a job of 10 h after 8 months; an own goal achieved after 2 months
    talk(b, dt.date(2024, 2, 1), rung=3)
    talk(b, dt.date(2024, 6, 1), rung=2)  # a step back is no step forward
    outcome(b, OutcomeKind.JOB_STARTED, dt.date(2024, 10, 1), hours=10)
    make_goal(make_plan(b.household), b, achieved_on=dt.date(2024, 4, 1), status="achieved")

    c = client_factory()  # education; moved away and came back within 6 months
    talk(c, dt.date(2024, 3, 1))
    outcome(c, OutcomeKind.EDUCATION_STARTED, dt.date(2024, 4, 1))
    end_benefit(c, dt.date(2024, 5, 1), BenefitEndReason.MOVED)
    reenter(c, dt.date(2024, 9, 1))

    d = client_factory()  # reached late in 2024: 24 months not yet passed
    talk(d, dt.date(2024, 11, 1))

    f = client_factory()  # an own goal not achieved; no benefit of their own
    talk(f, dt.date(2024, 6, 1))
    make_goal(make_plan(f.household), f)
    BenefitPeriod.objects.filter(client=f).delete()

    e = client_factory()  # first spoken to in 2023: not reached in 2024
    talk(e, dt.date(2023, 12, 1))
    talk(e, dt.date(2024, 2, 1))
    outcome(e, OutcomeKind.JOB_STARTED, dt.date(2024, 3, 1), hours=30)
    g = client_factory()  # first spoken to in 2025
    talk(g, dt.date(2025, 2, 1))
    elsewhere = ClientFactory(other_municipality)()
    talk(elsewhere, dt.date(2024, 2, 1))
    outcome(elsewhere, OutcomeKind.JOB_STARTED, dt.date(2024, 3, 1), hours=30)
    return {"a": a, "b": b, "c": c, "d": d, "f": f}


def test_the_indicators_of_a_hand_built_cohort(analyst, cohort):
    result = run(analyst, horizon=6)
    assert result.rows == []
    total = result.total
    assert total.reach.value == 5
    assert total.participants.value == 2  # b and f have an own goal
    assert total.measurable.value == 5
    assert value(total, "betaald_werk") == (1, 5)  # a; b's job came after 8 months
    assert value(total, "werk_16_uur") == (1, 5)
    assert value(total, "opleiding") == (1, 5)
    assert value(total, "grote_stap") == (1, 5)  # a went from rung 2 to 3; b went down
    assert value(total, "doel_behaald") == (1, 2)  # of the two with an own goal
    assert value(total, "uitstroom") == (2, 4)  # a and c, of the four on bijstand
    # Durable: 6 + 12 months passed for a, b and c, not yet for d; c came back.
    assert value(total, "duurzame_uitstroom") == (1, 3)
    assert value(total, "herinstroom") == (1, 4)
    cell = total.indicators[COLUMN["uitstroom"]]
    assert cell.percent == 50
    assert cell.text == "50%"
    assert cell.detail == "2 van 4"

    twelve = run(analyst, horizon=12).total
    assert value(twelve, "betaald_werk") == (2, 5)  # now b's job too
    assert value(twelve, "werk_16_uur") == (1, 5)  # but it was 10 hours


def test_a_horizon_that_has_not_passed_is_not_yet_measurable(analyst, cohort):
    total = run(analyst, horizon=24).total
    assert total.reach.value == 5
    assert total.measurable.value == 0
    assert all(cell.not_yet for cell in total.indicators)
    assert {cell.text for cell in total.indicators} == {"nog niet te meten"}
    # On a later day the early ones count; d (reached November 2024) only from November 2026.
    later = run(analyst, horizon=24, reference=dt.date(2026, 6, 30)).total
    assert later.measurable.value == 4
    assert value(later, "betaald_werk") == (2, 4)


def test_horizon_arithmetic():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 1), 12) == dt.date(2025, 11, 1)
    assert add_months(dt.date(2024, 3, 31), -6) == dt.date(2023, 9, 30)


def test_breakdowns_by_wijk_team_and_doelgroep(
    analyst, client_factory, colleague, other_team_coach
):
    young = dt.date(2004, 1, 1)
    for _ in range(3):
        talk(client_factory(district_code="WK051801", district_name="Centrum"), dt.date(2024, 3, 1))
    for _ in range(2):
        person = client_factory(
            district_code="WK051802",
            district_name="Laak",
            coach=other_team_coach,
            date_of_birth=young,
        )
        talk(person, dt.date(2024, 4, 1))
    unassigned = client_factory(coach=None, district_code="WK051802", district_name="Laak")
    talk(unassigned, dt.date(2024, 4, 1))

    by_wijk = run(analyst, MonitorDimension.WIJK)
    assert [(str(r.category.label), r.reach.value) for r in by_wijk.rows] == [
        ("Centrum", 3),
        ("Laak", 3),
    ]
    assert by_wijk.total.reach.value == 6

    by_team = run(analyst, MonitorDimension.TEAM)
    assert [(str(r.category.label), r.reach.value) for r in by_team.rows] == [
        ("Team Laak", 2),
        ("Team Schilderswijk", 3),
        ("Geen klantregisseur op de indexdatum", 1),
    ]

    by_group = run(analyst, MonitorDimension.TARGET_GROUP)
    assert {r.category.code: r.reach.value for r in by_group.rows} == {
        "jonger_dan_27": 2,
        "27_tot_50": 0,
        "50_plus": 4,
    }


def test_the_team_is_the_one_on_the_index_date(analyst, client_factory, other_team_coach):
    person = client_factory()  # the coach's team from 2020
    assign(household=person.household, coach=other_team_coach, start_date=dt.date(2024, 6, 1))
    talk(person, dt.date(2024, 3, 1))
    rows = run(analyst, MonitorDimension.TEAM).rows
    assert [str(r.category.label) for r in rows] == ["Team Schilderswijk"]


def test_breakdowns_by_instrument_and_programme(analyst, municipality, client_factory):
    werk = Category.objects.create(municipality=municipality, name="Werkoffensief")
    training = instrument_factory(municipality, name="Sollicitatietraining")
    training.categories.add(werk)
    taal = instrument_factory(municipality, name="Taalcursus")
    both = client_factory()
    enrolment_factory(
        training, both, status=EnrolmentStatus.STARTED, started_on=dt.date(2024, 2, 1)
    )
    enrolment_factory(taal, both, status=EnrolmentStatus.STARTED, started_on=dt.date(2024, 5, 1))
    outcome(both, OutcomeKind.JOB_STARTED, dt.date(2024, 7, 1), hours=24)
    late = client_factory()
    enrolment_factory(taal, late, status=EnrolmentStatus.STARTED, started_on=dt.date(2025, 2, 1))

    by_instrument = run(analyst, MonitorDimension.INSTRUMENT)
    rows = {str(r.category.label): r for r in by_instrument.rows}
    assert set(rows) == {"Sollicitatietraining", "Taalcursus"}
    # Index = the start: the job came 5 months after the training, 2 after the course.
    assert value(rows["Sollicitatietraining"], "betaald_werk") == (1, 1)
    assert value(rows["Taalcursus"], "betaald_werk") == (1, 1)
    assert rows["Taalcursus"].participants.value == 1
    assert by_instrument.total.reach.value == 1  # one client, counted once

    by_programme = run(analyst, MonitorDimension.PROGRAMME)
    assert [(str(r.category.label), r.reach.value) for r in by_programme.rows] == [
        ("Werkoffensief", 1)
    ]


def test_small_cells_are_suppressed_and_cannot_be_computed_back(analyst, client_factory):
    for _ in range(12):
        person = client_factory(district_code="WK051801", district_name="Centrum")
        talk(person, dt.date(2024, 3, 1))
        outcome(person, OutcomeKind.JOB_STARTED, dt.date(2024, 4, 1), hours=20)
    for _ in range(3):
        person = client_factory(district_code="WK051802", district_name="Laak")
        talk(person, dt.date(2024, 3, 1))
    result = run(analyst, MonitorDimension.WIJK, min_cell=10)
    centrum, laak = result.rows
    assert laak.reach.label == "< 10"
    assert laak.reach.value is None
    # Centrum's 12 and the total 15 would give Laak's 3: one of them is hidden too.
    assert centrum.reach.label == "x" or result.total.reach.label == "x"
    job = centrum.indicators[COLUMN["betaald_werk"]]
    assert job.percent is None
    assert job.text == "verborgen"
    assert result.has_suppressed


def test_the_page_shows_the_indicators_with_the_benchmarks(client, analyst, cohort):
    client.force_login(analyst)
    response = client.get(MONITOR, {**PERIOD, "indeling": "totaal", "termijn": "6"})
    assert response.status_code == 200
    body = response.content.decode()
    result = response.context["monitor"]
    assert result.total.reach.label == "< 10"  # five: shown as a small count
    for benchmark in (
        "praktijk 5%",
        "praktijk 15%",
        "praktijk 10%",
        "praktijk 25%",
        "praktijk 40%",
    ):
        assert benchmark in body
    assert '<title id="grafiek-monitor-titel">' in body
    assert '<title id="grafiek-naar-werk-titel">' in body
    assert body.count('role="img"') == 2
    assert "<progress" not in body  # no target set yet
    for marker in ("Achternaam", "Voornaam", "K00", "H00"):
        assert marker not in body
    assert AuditEvent.objects.get(action="analytics.monitor.read").detail | {"channel": ""} == {
        "channel": "",
        "van": "2024-01-01",
        "tot": "2024-12-31",
        "indeling": "totaal",
        "termijn": 6,
    }


def test_a_bad_filter_gets_a_dutch_message(client, analyst):
    client.force_login(analyst)
    response = client.get(MONITOR, {"van": "2024-12-31", "tot": "2024-01-01", "termijn": "7"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tot en met: die datum ligt vóór de datum vanaf." in body
    assert "Termijn: kies 6, 12 of 24 maanden." in body
    assert response.context["monitor"] is None


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_exports_hold_exactly_what_is_shown(client, analyst, client_factory):
    for _ in range(12):
        talk(client_factory(district_code="WK051801", district_name="Centrum"), dt.date(2024, 3, 1))
    for _ in range(3):
        talk(client_factory(district_code="WK051802", district_name="Laak"), dt.date(2024, 3, 1))
    client.force_login(analyst)
    query = {**PERIOD, "indeling": "wijk", "termijn": "12"}
    page = client.get(MONITOR, query).context["monitor"]
    response = client.get(CSV, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "meedoen-monitor-0518-wijk-12m-" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == ["Indicatoren"]
    header = rows[1]
    assert header[:4] == ["Wijk", "Cohort", "Deelnemers", "Te meten na 12 maanden"]
    assert "Betaald werk (praktijk: 5%)" in header
    by_name = {row[0]: row for row in rows[2:5]}
    assert by_name["Laak"][1] == "< 10"
    assert by_name["Centrum"][1] == page.rows[0].reach.label
    assert by_name["Alle bereikte cliënten"][1] == page.total.reach.label
    assert not any(value == "3" for row in rows for value in row)
    assert ["Naar werk"] in rows

    workbook = load_workbook(io.BytesIO(client.get(XLSX, query).content), read_only=True)
    assert workbook.sheetnames == ["Indicatoren", "Naar werk", "Toelichting"]
    sheet = [list(r) for r in workbook["Indicatoren"].values]
    assert [[v or "" for v in r] for r in sheet] == rows[1:5]
    formats = set(
        AuditEvent.objects.filter(action="analytics.monitor.export").values_list(
            "detail__format", flat=True
        )
    )
    assert formats == {"csv", "xlsx"}


def test_to_work_per_year_against_the_target(client, analyst, client_factory):
    this_year = dt.date.today().year
    for n in range(11):
        end_benefit(client_factory(), dt.date(this_year - 1, 3, 1 + n), BenefitEndReason.WORK)
    end_benefit(client_factory(), dt.date(this_year - 1, 4, 1), BenefitEndReason.MOVED)
    end_benefit(client_factory(), dt.date(this_year - 2, 4, 1), BenefitEndReason.SELF_EMPLOYED)
    client.force_login(analyst)
    response = client.post(TARGET, {"jaar": this_year - 1, "doel": 20})
    assert response.status_code == 303
    assert response["Location"].endswith(MONITOR + "#naar-werk")
    target = MonitorTarget.objects.get()
    assert (target.year, target.to_work_target, target.set_by) == (this_year - 1, 20, analyst)
    event = AuditEvent.objects.get(action="analytics.monitor_target.update")
    assert event.detail | {"channel": ""} == {
        "channel": "",
        "jaar": this_year - 1,
        "oud": None,
        "nieuw": 20,
    }

    response = client.get(MONITOR)
    years = {y.year: y for y in response.context["monitor"].to_work}
    assert len(years) == 5
    assert years[this_year - 1].count.value == 11  # moving away is not work
    assert years[this_year - 1].target == 20
    assert years[this_year - 1].difference == -9
    assert years[this_year - 2].count.label == "< 10"
    assert years[this_year - 2].difference is None
    assert years[this_year].partial
    body = response.content.decode()
    assert '<progress max="20" value="11"' in body

    # Changing it keeps one row per year.
    client.post(TARGET, {"jaar": this_year - 1, "doel": 25})
    assert MonitorTarget.objects.get().to_work_target == 25


def test_to_work_counts_every_client_once_a_year_not_only_the_cohort(
    analyst, client_factory, other_municipality
):
    never_spoken_to = client_factory()  # in no cohort: still counts
    end_benefit(never_spoken_to, dt.date(2025, 2, 1), BenefitEndReason.WORK)
    twice = client_factory()  # two ends for work in one year: once
    talk(twice, dt.date(2024, 3, 1))
    end_benefit(twice, dt.date(2025, 3, 1), BenefitEndReason.WORK)
    reenter(twice, dt.date(2025, 5, 1))
    end_benefit(twice, dt.date(2025, 9, 1), BenefitEndReason.SELF_EMPLOYED)
    end_benefit(client_factory(), dt.date(2023, 6, 1), BenefitEndReason.SELF_EMPLOYED)
    end_benefit(client_factory(), dt.date(2025, 6, 1), BenefitEndReason.MOVED)
    end_benefit(client_factory(), dt.date(2020, 6, 1), BenefitEndReason.WORK)  # too long ago
    end_benefit(client_factory(), dt.date(2026, 1, 5), BenefitEndReason.WORK)  # after the day
    end_benefit(ClientFactory(other_municipality)(), dt.date(2025, 2, 1), BenefitEndReason.WORK)

    counts = to_work_counts(
        population=analysis_population(actor=analyst),
        municipality_id=analyst.municipality_id,
        reference_date=REFERENCE,
    )
    assert counts == {2025: 2, 2023: 1}
    result = run(analyst, reference=REFERENCE)
    assert [y.year for y in result.to_work] == [2021, 2022, 2023, 2024, 2025]
    assert [y.count.value for y in result.to_work][:3] == [0, 0, None]  # 1 is hidden: < 10


def test_a_bad_target_is_refused_with_a_dutch_message(client, analyst):
    client.force_login(analyst)
    response = client.post(TARGET, {"jaar": "twintig", "doel": "-5"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Jaar: vul een jaar in cijfers in, bijvoorbeeld 2026." in body
    assert "Doel: vul een aantal in van 0 tot 1.000.000." in body
    assert not MonitorTarget.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["coach", "team_lead", "privacy_officer", "functional_admin", "other_municipality_coach"],
)
def test_only_the_analyst_sees_the_monitor(request, client, client_factory, persona):
    talk(client_factory(), dt.date(2024, 3, 1))
    actor = request.getfixturevalue(persona)
    client.force_login(actor)
    for url in (MONITOR, CSV):
        response = client.get(url)
        assert response.status_code == 404
    response = client.post(TARGET, {"jaar": 2025, "doel": 10})
    assert response.status_code == 404
    assert not MonitorTarget.objects.exists()
    denied = AuditEvent.objects.filter(actor_id=actor.pk, action__startswith="analytics.monitor")
    assert denied.count() == 3
    assert {e.result for e in denied} == {Result.DENIED}


def test_anonymous_goes_to_the_login_page(client):
    for url in (MONITOR, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))
    assert client.post(TARGET, {"jaar": 2025, "doel": 10}).status_code == 302
    assert not MonitorTarget.objects.exists()


def test_the_analyst_finds_the_monitor(client, analyst):
    client.force_login(analyst)
    assert f'href="{MONITOR}"' in client.get(reverse("analytics:overview")).content.decode()
    assert f'href="{MONITOR}"' in client.get(reverse("web:home")).content.decode()


def _grow(client_factory, municipality, n):
    training = instrument_factory(municipality)
    programme, _ = Category.objects.get_or_create(municipality=municipality, name="Werkoffensief")
    training.categories.add(programme)
    for i in range(n):
        person = client_factory(district_code=f"WK0518{i % 5:02d}", district_name=f"Wijk {i % 5}")
        talk(person, dt.date(2024, 1 + i % 12, 1), rung=2)
        talk(person, dt.date(2024, 1 + i % 12, 20), rung=3)
        outcome(person, OutcomeKind.JOB_STARTED, dt.date(2024, 12, 1), hours=20)
        end_benefit(person, dt.date(2025, 1, 1), BenefitEndReason.WORK)
        make_goal(
            make_plan(person.household),
            person,
            achieved_on=dt.date(2024, 12, 1),
            status="achieved",
        )
        enrolment_factory(
            training, person, status=EnrolmentStatus.STARTED, started_on=dt.date(2024, 6, 1)
        )


@pytest.mark.parametrize("dimension", ["team", "programma"])
def test_query_counts_do_not_grow_with_the_number_of_clients(
    client, analyst, client_factory, municipality, dimension, django_assert_max_num_queries
):
    client.force_login(analyst)
    query = {**PERIOD, "indeling": dimension, "termijn": "12"}
    _grow(client_factory, municipality, 3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(MONITOR, query).status_code == 200
    _grow(client_factory, municipality, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MONITOR, query)
    assert response.status_code == 200
    assert response.context["monitor"].total.reach.value == 28
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(CSV, query).status_code == 200


def test_the_chart_has_no_small_number_in_it(client, analyst, cohort):
    client.force_login(analyst)
    body = client.get(MONITOR, {**PERIOD, "indeling": "totaal", "termijn": "6"}).content.decode()
    svg = body[body.index('<svg class="meedoen-chart"') :]
    svg = svg[: svg.index("</svg>")]
    # Percentages of a cohort of five would give the count away: every measured bar is hidden;
    # only the seeds' figures have a percentage.
    assert svg.count(">verborgen<") == len(INDICATORS)
    assert re.findall(r">(\d+)%<", svg) == ["5", "15", "10", "25", "40"]
