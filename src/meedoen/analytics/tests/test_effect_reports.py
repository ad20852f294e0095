"""Effect evaluations (issue 7): request → background job → report page, PDF and catalogue."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meedoen.analytics import services_effects
from meedoen.analytics.aggregates import Cell
from meedoen.analytics.charts import histogram, love_plot
from meedoen.analytics.constants import EvaluationStatus
from meedoen.analytics.models import EffectEvaluation
from meedoen.analytics.services_effects import (
    EvaluationInput,
    effect_evaluation_create,
    effect_evaluation_run,
)
from meedoen.analytics.tests.effect_world import effect_world
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.core.testing import pdf_inflated
from meedoen.outcomes.models import PlantedEffect

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")
PDFTOTEXT = shutil.which("pdftotext")
OUTCOME = "job_started_12m"


@pytest.fixture
def run_worker(monkeypatch):
    """The real worker of the database task backend (`meedoen db_worker --batch`); its closing
    of "old" connections would close the test's own connection on PostgreSQL."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def _run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
        failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
        assert not failed.exists(), list(failed.values("task_path", "status"))

    return _run


def _evaluate(municipality, instrument, **kwargs) -> EffectEvaluation:
    """Recorded and run synchronously, as the console command does."""
    data = EvaluationInput(instrument_id=instrument.pk, outcome=OUTCOME, bootstrap=50, **kwargs)
    evaluation = effect_evaluation_create(
        actor=None, municipality=municipality, data=data, origin=ORIGIN, enqueue=False
    )
    result = effect_evaluation_run(evaluation_id=evaluation.pk)
    assert result is not None
    return result


@pytest.fixture
def finished(municipality):
    world = effect_world(municipality, members=150)
    PlantedEffect.objects.create(
        municipality=municipality,
        instrument=world.instrument,
        outcome=OUTCOME,
        effect=0.3,
        n_treated=world.treated,
    )
    return _evaluate(municipality, world.instrument)


def test_analyst_requests_an_evaluation_and_the_worker_runs_it(
    client, analyst, municipality, django_capture_on_commit_callbacks, run_worker
):
    world = effect_world(municipality, members=120)
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            reverse("analytics:effect_list"),
            {
                "instrument": str(world.instrument.pk),
                "outcome": OUTCOME,
                "methods": ["matching", "aipw"],
                "bootstrap": "50",
            },
        )
    assert response.status_code == 303
    assert len(queued) == 1
    evaluation = EffectEvaluation.objects.get()
    assert response["Location"] == reverse("analytics:effect_detail", args=[evaluation.pk])
    assert evaluation.status == EvaluationStatus.QUEUED
    assert evaluation.methods == ["matching", "aipw"]
    assert evaluation.requested_by == analyst

    # Queued: a progress bar that refreshes itself without JavaScript.
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page
    assert 'http-equiv="refresh"' in page

    run_worker()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DONE
    assert evaluation.progress == 100
    assert set(evaluation.result) >= {"matching", "aipw", "naive_difference", "balance", "dataset"}
    assert "ipw" not in evaluation.result
    assert evaluation.headline_method == "aipw"
    assert evaluation.estimate == evaluation.result["aipw"]["estimate"]
    assert evaluation.verdict in {"credible", "doubtful", "not_credible"}
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "analytics.effect_evaluation.request" in actions
    assert "analytics.effect_evaluation.run" in actions


def test_progress_is_written_to_the_row_while_it_runs(municipality, monkeypatch):
    monkeypatch.setattr(services_effects, "PROGRESS_INTERVAL", 0.0)
    world = effect_world(municipality, members=60, name="Jobcoach Klein")
    evaluation = effect_evaluation_create(
        actor=None,
        municipality=municipality,
        data=EvaluationInput(instrument_id=world.instrument.pk, outcome=OUTCOME, bootstrap=50),
        origin=ORIGIN,
        enqueue=False,
    )
    EffectEvaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.RUNNING)
    report = services_effects._Progress(evaluation.pk)
    report(25, 100)
    assert EffectEvaluation.objects.get(pk=evaluation.pk).progress == 32
    report(10, 100)  # never backwards
    assert EffectEvaluation.objects.get(pk=evaluation.pk).progress == 32
    report(100, 100)
    assert EffectEvaluation.objects.get(pk=evaluation.pk).progress == 99


def test_too_few_participants_fails_with_a_dutch_message_and_nothing_else(
    client, analyst, municipality
):
    world = effect_world(municipality, members=30, name="Jobcoach Klein")
    evaluation = _evaluate(municipality, world.instrument)
    assert evaluation.status == EvaluationStatus.FAILED
    assert evaluation.result is None
    assert evaluation.estimate is None
    assert evaluation.progress < 100
    assert "deelnemers" in evaluation.error.lower() or "minstens" in evaluation.error.lower()
    client.force_login(analyst)
    page = client.get(reverse("analytics:effect_detail", args=[evaluation.pk])).content.decode()
    assert "Deze effectmeting kon niet worden berekend." in page
    assert evaluation.error.split(" ")[0] in page
    assert "<progress" not in page
    # No PDF of a failed evaluation.
    pdf = client.get(reverse("analytics:effect_pdf", args=[evaluation.pk]))
    assert pdf.status_code == 409


def test_an_instrument_without_population_fails_with_the_datasets_message(municipality):
    world = effect_world(municipality, members=0, name="Leeg instrument")
    evaluation = _evaluate(municipality, world.instrument)
    assert evaluation.status == EvaluationStatus.FAILED
    assert "Leeg instrument" in evaluation.error


def test_bad_requests_are_refused_with_dutch_messages(client, analyst, municipality):
    client.force_login(analyst)
    response = client.post(
        reverse("analytics:effect_list"),
        {"instrument": "", "outcome": "onzin", "bootstrap": "5"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een instrument." in page
    assert "Kies minstens één methode." in page
    assert "Vul minstens 50 in." in page
    assert not EffectEvaluation.objects.exists()


def test_the_report_page_in_plain_dutch(client, analyst, finished, django_assert_max_num_queries):
    assert finished.status == EvaluationStatus.DONE
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("analytics:effect_detail", args=[finished.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit is geen experiment." in page
    assert "Naïef verschil" in page
    assert "Dubbel robuust (AIPW)" in page
    assert "Matching" in page
    assert "Weging (IPW)" in page
    assert "Geplant effect (demogegevens)" in page
    assert "+30,0 procentpunt" in page  # the planted 0.3
    verdict = {"credible": "betrouwbaar", "doubtful": "twijfelachtig"}.get(
        finished.verdict, "niet betrouwbaar"
    )
    assert f"Oordeel over de betrouwbaarheid: {verdict}" in page
    # The love plot and the histograms, each with its table.
    assert 'id="grafiek-balans-titel"' in page
    assert 'id="tabel-balans"' in page
    assert 'id="grafiek-overlap-titel"' in page
    assert 'id="tabel-overlap"' in page
    assert "Placebotoets" in page
    assert "Kleinste effect dat te zien is" in page
    assert "<progress" not in page
    assert AuditEvent.objects.filter(action="analytics.effect_evaluation.read").exists()


def test_small_counts_are_never_shown(client, analyst, finished):
    client.force_login(analyst)
    page = client.get(reverse("analytics:effect_detail", args=[finished.pk])).content.decode()
    table = page.split('id="tabel-overlap"', 1)[1].split("</table>", 1)[0]
    cells = [
        c.split(">", 1)[1].split("<", 1)[0]
        for c in table.split('<td class="utrecht-table__cell utrecht-table__cell--numeric-data')[1:]
    ]
    assert cells
    for cell in cells:
        assert cell in ("&lt; 10", "x", "0") or int(cell.replace(".", "")) >= 10, cell


def test_the_pdf_has_the_estimate_and_the_verdict(client, analyst, finished):
    client.force_login(analyst)
    response = client.get(reverse("analytics:effect_pdf", args=[finished.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    objects = pdf_inflated(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (nl)" in objects or b"/Lang(nl)" in objects
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: text extraction not checked")
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    headline = finished.result["aipw"]["estimate"] * 100
    expected = f"{headline:+.1f}".replace(".", ",")
    assert expected in flat
    assert "Oordeel over de betrouwbaarheid" in flat
    assert "Dit is geen experiment." in flat
    assert "Jobcoach Test" in flat


def test_the_catalogue_shows_the_latest_effect_in_one_query(
    client, coach, municipality, finished, django_assert_max_num_queries
):
    client.force_login(coach)
    url = reverse("web:instrument_list")
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    # Counted now: the connection's query log is a bounded deque, so the slice goes stale.
    queries = len(one.captured_queries)
    assert queries <= 20
    assert "Gemeten effect" in page
    estimate = f"{finished.estimate * 100:+.1f}".replace(".", ",")
    assert estimate in page
    # Coaches do not open the analysts' reports.
    assert reverse("analytics:effect_detail", args=[finished.pk]) not in page
    detail = client.get(reverse("web:instrument_detail", args=[finished.instrument_id]))
    assert estimate in detail.content.decode()
    # More instruments with evaluations: not one query more.
    for n in range(2):
        world = effect_world(municipality, members=0, name=f"Ander instrument {n}")
        EffectEvaluation.objects.create(
            municipality=municipality,
            instrument=world.instrument,
            outcome=OUTCOME,
            methods=["aipw"],
            status=EvaluationStatus.DONE,
            estimate=0.05,
            ci_low=-0.01,
            ci_high=0.11,
            verdict="doubtful",
            requested_at=finished.requested_at,
            finished_at=finished.finished_at,
        )
    with django_assert_max_num_queries(queries):
        page = client.get(url).content.decode()
    assert "+5,0 procentpunt" in page
    assert "twijfelachtig" in page


def test_the_list_is_a_fixed_number_of_queries(
    client, analyst, finished, django_assert_max_num_queries
):
    client.force_login(analyst)
    url = reverse("analytics:effect_list")
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    queries = len(first.captured_queries)
    assert queries <= 15
    assert "Jobcoach Test" in page
    for _n in range(3):
        EffectEvaluation.objects.create(
            municipality=finished.municipality,
            instrument=finished.instrument,
            outcome=OUTCOME,
            methods=["aipw"],
            requested_at=finished.requested_at,
        )
    with django_assert_max_num_queries(queries):
        page = client.get(url).content.decode()
    assert "in de wachtrij" in page.lower()


def test_only_the_municipalitys_analysts_see_reports(
    client, coach, functional_admin, analyst, other_municipality, finished
):
    urls = [
        reverse("analytics:effect_list"),
        reverse("analytics:effect_detail", args=[finished.pk]),
        reverse("analytics:effect_pdf", args=[finished.pk]),
    ]
    for user in (coach, functional_admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(
            urls[0],
            {"instrument": str(finished.instrument_id), "outcome": OUTCOME, "methods": ["aipw"]},
        )
        assert response.status_code == 404
    assert EffectEvaluation.objects.count() == 1
    # The other municipality's evaluation does not exist for this analyst.
    EffectEvaluation.objects.filter(pk=finished.pk).update(municipality=other_municipality)
    client.force_login(analyst)
    assert client.get(urls[1]).status_code == 404
    assert urls[1] not in client.get(urls[0]).content.decode()


def test_the_command_evaluates_every_instrument(municipality, capsys):
    world = effect_world(municipality, members=120)
    effect_world(municipality, members=0, name="Leeg instrument")
    call_command(
        "evaluate_instruments",
        municipality=municipality.code,
        outcome=OUTCOME,
        bootstrap=50,
    )
    out = capsys.readouterr().out
    assert world.instrument.name in out
    assert "Leeg instrument" in out
    statuses = dict(EffectEvaluation.objects.values_list("instrument__name", "status"))
    assert statuses == {world.instrument.name: "done", "Leeg instrument": "failed"}


@pytest.mark.django_db(databases=[])
def test_love_plot_and_histogram_geometry():
    plot = love_plot(
        chart_id="x",
        title="t",
        description="d",
        rows=[("leeftijd", 0.5, 0.1, None), ("wijk", -0.05, None, 0.02)],
    )
    first, second = plot.rows
    assert first.after is not None
    assert first.after.x == plot.good_x  # |0.1| sits on the 0.1 line
    assert first.diamond == ""  # not weighted: no marker
    assert second.before is not None
    assert second.before.value == pytest.approx(0.05)  # absolute differences
    assert second.square is None
    assert plot.plot_left < plot.good_x < plot.bad_x < plot.plot_right
    chart = histogram(
        chart_id="h",
        title="t",
        description="d",
        edges=[0.0, 0.5, 1.0],
        groups=[("a", [Cell(30), Cell(None, "small")]), ("b", [Cell(10), Cell(20)])],
    )
    assert [len(p.bars) for p in chart.panels] == [1, 2]
    assert chart.panels[0].hidden == 1
    # Heights are shares of the group: b's larger bin is the full panel height.
    assert chart.panels[1].bars[1].height == pytest.approx(120)
    assert chart.panels[1].bars[0].height == pytest.approx(60)
