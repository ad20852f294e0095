"""Rule import_file_30d: the retention job erases an import's file and per-row data after 30 days
and keeps who, when and the counts (dataexchange/retention.py, run by privacy's retention_run)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.audit.verification import audit_chain_verify
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.services import import_run_create, import_run_discard
from meedoen.dataexchange.tests.delivery import csv_bytes, person
from meedoen.privacy.retention import import_files_cutoff
from meedoen.privacy.services import retention_run

pytestmark = pytest.mark.django_db

ORIGIN = Origin(channel="test")


def age(run: ImportRun) -> ImportRun:
    """Pretend the run last changed state just over 30 whole days ago: an hour before the cut-off
    ("31 days ago" is not always before it: late in the evening across a DST change it is not)."""
    cutoff = import_files_cutoff(today=timezone.localdate())
    ImportRun.objects.filter(pk=run.pk).update(updated_at=cutoff - dt.timedelta(hours=1))
    run.refresh_from_db()
    return run


def sweep(report):
    (outcome,) = [s for s in report.sweeps if s.rule == "import_file_30d"]
    return outcome


@pytest.fixture
def runs(run_import, functional_admin, municipality):
    """One run in every state, all last changed 31 days ago, and one recent applied run."""
    applied = run_import([person(1), person(2)], actor=functional_admin)
    invalid = run_import([person(3, bsn="123456789")])
    ready = run_import([person(4)], dry_run=True)
    discarded = import_run_discard(
        run=run_import([person(5)], dry_run=True), actor=functional_admin, origin=ORIGIN
    )
    stuck = import_run_create(
        actor=functional_admin,
        municipality=municipality,
        file_name="vastgelopen.csv",
        content=csv_bytes([person(6)]),
        origin=ORIGIN,
    )
    old = {
        "applied": age(applied),
        "invalid": age(invalid),
        "ready": age(ready),
        "discarded": age(discarded),
        "stuck": age(stuck),
    }
    recent = run_import([person(7)], actor=functional_admin)
    return old, recent


def test_expired_runs_lose_file_and_rows_but_keep_who_when_and_counts(runs, municipality):
    old, recent = runs
    assert old["applied"].changes["new"], "the sample names client numbers"
    assert old["invalid"].errors
    assert old["ready"].content is not None
    assert old["stuck"].content is not None
    kept = {
        name: (r.uploaded_by_name, r.applied_by_name, r.created_at, r.rows_total, r.new_count)
        for name, r in old.items()
    }

    report = retention_run(dry_run=False)

    assert sweep(report).per_municipality == {municipality.code: 5}
    for name, run in old.items():
        run.refresh_from_db()
        assert run.file_erased_at is not None, name
        assert run.content is None, name
        assert run.changes == {}, name
        assert run.errors == [], name
        assert (
            run.uploaded_by_name,
            run.applied_by_name,
            run.created_at,
            run.rows_total,
            run.new_count,
        ) == kept[name], name
    assert old["applied"].status == ImportStatus.APPLIED
    assert old["applied"].new_count == 2
    assert old["invalid"].status == ImportStatus.INVALID
    assert old["invalid"].error_count >= 1
    # A preview nobody applied in 30 days, and a run whose worker never finished: discarded.
    assert old["ready"].status == ImportStatus.DISCARDED
    assert old["stuck"].status == ImportStatus.DISCARDED

    recent.refresh_from_db()
    assert recent.file_erased_at is None
    assert recent.changes["new"]

    rows = AuditEvent.objects.filter(action="dataexchange.import.erase")
    assert rows.count() == 5
    assert {r.object_id for r in rows} == {str(r.pk) for r in old.values()}
    for row in rows:
        assert row.municipality_code == municipality.code
        assert row.detail["rule"] == "import_file_30d"
        assert "K000000" not in str(row.detail)  # no client number
    assert audit_chain_verify(municipality_code=municipality.code).intact

    # Nothing left to do the next day.
    assert sweep(retention_run(dry_run=False)).total == 0


def test_dry_run_lists_and_writes_nothing(runs, municipality):
    old, _recent = runs
    audit_rows = AuditEvent.objects.count()

    outcome = sweep(retention_run(dry_run=True))

    assert outcome.total == 5
    assert len(outcome.lines) == 5
    assert any(f"{old['ready'].pk} ready -> discarded" in line for line in outcome.lines)
    assert not ImportRun.objects.filter(file_erased_at__isnull=False).exists()
    assert ImportRun.objects.get(pk=old["ready"].pk).content is not None
    assert AuditEvent.objects.count() == audit_rows


def test_the_term_is_thirty_whole_days(run_import):
    today = timezone.localdate()
    cutoff = import_files_cutoff(today=today)
    on_the_edge = run_import([person(1)])
    just_over = run_import([person(2)], reference_date=dt.date(2025, 2, 28))
    ImportRun.objects.filter(pk=on_the_edge.pk).update(updated_at=cutoff)
    ImportRun.objects.filter(pk=just_over.pk).update(updated_at=cutoff - dt.timedelta(seconds=1))

    retention_run(dry_run=False, today=today)

    assert ImportRun.objects.get(pk=on_the_edge.pk).file_erased_at is None
    assert ImportRun.objects.get(pk=just_over.pk).file_erased_at is not None
    assert timezone.localtime(cutoff).time() == dt.time.min
    assert timezone.localdate(cutoff) == today - dt.timedelta(days=30)


def test_a_run_that_moved_on_meanwhile_is_left_alone(run_import):
    run = age(run_import([person(1)], dry_run=True))
    # The functional admin clicks "Toepassen" after the job read the list: state and time change.
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.APPLYING, updated_at=timezone.now()
    )
    from meedoen.dataexchange.retention import _erase

    assert _erase(run, discard=True, actor=None, origin=ORIGIN) is False
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLYING
    assert run.content is not None
    assert not AuditEvent.objects.filter(action="dataexchange.import.erase").exists()


def test_pages_and_api_say_the_file_was_erased(runs, client, functional_admin):
    old, _recent = runs
    retention_run(dry_run=False)
    client.force_login(functional_admin)

    page = client.get(reverse("dataexchange:run_detail", args=[old["invalid"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "zijn het bestand en de gegevens per regel gewist" in html
    assert "Fouten per regel" not in html  # the table is gone, the count stays
    assert "Het bestand is afgekeurd" in html

    applied = client.get(reverse("dataexchange:run_detail", args=[old["applied"].pk])).content
    assert b"K0000001" not in applied
    assert b"Wat er is veranderd" in applied

    api = client.get(f"/api/v1/imports/{old['applied'].pk}/")
    assert api.status_code == 200
    assert api.json()["file_erased_at"] is not None
    assert api.json()["counts"]["new"] == 2


def test_command_prints_ids_not_content(runs):
    old, _recent = runs
    out = io.StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"import_file_30d: {old['applied'].municipality.code} {old['applied'].pk}" in text
    assert "Zouden worden gewist: 5 import(s)" in text
    assert "K000000" not in text
    assert ImportRun.objects.filter(file_erased_at__isnull=True).count() == 6

    call_command("retention_run", stdout=out)
    assert "Gewist: 5 import(s)" in out.getvalue()
