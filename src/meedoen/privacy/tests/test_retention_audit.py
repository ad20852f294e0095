"""Rule audit_rows_20y: audit rows older than 20 years are redacted in batches, never deleted, and
every chain still verifies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.selectors import audit_rows_unredacted_before
from meedoen.audit.services import (
    REDACTED,
    Origin,
    audit_record,
    audit_redact,
    audit_redact_before,
    subject_pseudonym,
)
from meedoen.audit.verification import audit_chain_verify
from meedoen.privacy.retention import audit_rows_cutoff, years_before
from meedoen.privacy.services import retention_run

pytestmark = pytest.mark.django_db

ORIGIN = Origin(channel="web", ip_address="10.1.2.3", user_agent="Testbrowser/1.0")


def write(actor, n: int, **detail) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action="clients.client.list",
            origin=ORIGIN,
            detail={"count": i, **detail},
        )
        for i in range(n)
    ]


def audit_sweep(report):
    (outcome,) = [s for s in report.sweeps if s.rule == "audit_rows_20y"]
    return outcome


def test_rows_before_the_cutoff_are_redacted_the_rest_kept(coach, other_municipality_coach):
    old = write(coach, 3, filters=["q"]) + write(other_municipality_coach, 2)
    cutoff = timezone.now()
    young = write(coach, 2)

    counts = audit_redact_before(before=cutoff, reason="retention:audit_rows_20y", batch_rows=2)

    assert counts == {"0518": 3, "0599": 2}
    for row in AuditEvent.objects.filter(pk__in=[e.pk for e in old]):
        assert row.redacted_at is not None
        assert row.redaction_reason == "retention:audit_rows_20y"
        assert row.ip_address is None
        assert row.user_agent == ""
        assert row.content_salt == ""
        assert row.detail["channel"] == "web"
        assert row.detail["count"] == REDACTED
        # Who did what and when stays.
        assert row.actor_name
        assert row.action == "clients.client.list"
    for row in AuditEvent.objects.filter(pk__in=[e.pk for e in young]):
        assert row.redacted_at is None
        assert row.ip_address == "10.1.2.3"
    for code in ("0518", "0599"):
        assert audit_chain_verify(municipality_code=code).intact
    # Again: nothing left before the cutoff.
    assert audit_redact_before(before=cutoff, reason="retention:audit_rows_20y") == {}


def test_rows_redacted_at_erasure_are_left_as_they_are(coach, client_factory):
    client = client_factory()
    audit_record(actor=coach, action="clients.client.read", origin=ORIGIN, subject_id=client.pk)
    audit_redact(subject_pseudonym=subject_pseudonym(client.pk), reason="retention:client_file_7y")
    write(coach, 1)

    counts = audit_redact_before(before=timezone.now(), reason="retention:audit_rows_20y")

    assert counts == {"0518": 1}
    erased = AuditEvent.objects.get(subject_pseudonym=subject_pseudonym(client.pk))
    assert erased.redaction_reason == "retention:client_file_7y"


def test_queries_do_not_grow_with_rows(coach):
    """One read per batch and one UPDATE per kind of detail: no query per row."""
    write(coach, 5)
    with CaptureQueriesContext(connection) as few:
        audit_redact_before(before=timezone.now(), reason="r", batch_rows=1000)
    write(coach, 60)
    with CaptureQueriesContext(connection) as many:
        audit_redact_before(before=timezone.now(), reason="r", batch_rows=1000)
    assert len(many) == len(few)
    # Per batch: savepoint, read, update, release; then savepoint, empty read, release.
    assert len(many) <= 8


def test_batches_cover_every_row(coach):
    write(coach, 23, filters=["q"])
    write(coach, 7)
    with CaptureQueriesContext(connection) as queries:
        counts = audit_redact_before(before=timezone.now(), reason="r", batch_rows=5)
    assert counts == {"0518": 30}
    assert not AuditEvent.objects.filter(redacted_at__isnull=True).exists()
    reads = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 7  # 6 batches of at most 5, and the empty one that ends the walk


def test_retention_run_redacts_after_twenty_years_with_dry_run_first(
    coach, other_municipality_coach
):
    write(coach, 4)
    write(other_municipality_coach, 1)
    # Twenty years and a day from now every row written today is past its term.
    today = timezone.localdate() + dt.timedelta(days=1)
    later = today.replace(year=today.year + 20)
    before = AuditEvent.objects.count()

    preview = audit_sweep(retention_run(dry_run=True, today=later))
    assert preview.per_municipality == {"0518": 4, "0599": 1}
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(redacted_at__isnull=False).exists()

    done = audit_sweep(retention_run(dry_run=False, today=later))
    assert done.per_municipality == {"0518": 4, "0599": 1}
    assert AuditEvent.objects.filter(redacted_at__isnull=False).count() == before
    # One row per chain says what was redacted; it holds counts and the cut-off, nothing personal.
    sweeps = AuditEvent.objects.filter(action="audit.event.redact", redacted_at__isnull=True)
    assert {(r.municipality_code, r.detail["rows"]) for r in sweeps} == {("0518", 4), ("0599", 1)}
    assert all(r.detail["rule"] == "audit_rows_20y" for r in sweeps)
    for code in ("0518", "0599"):
        assert audit_chain_verify(municipality_code=code).intact
    # Left: only the rows this run wrote (in this test's make-believe future they are old too).
    left = audit_rows_unredacted_before(before=audit_rows_cutoff(today=later))
    assert left == {"0518": 1, "0599": 1}


def test_cutoff_is_local_midnight_twenty_years_back():
    cutoff = audit_rows_cutoff(today=dt.date(2046, 2, 28))
    assert timezone.localtime(cutoff).replace(tzinfo=None) == dt.datetime(2026, 2, 28)
    assert years_before(dt.date(2048, 2, 29), 20) == dt.date(2028, 2, 29)
    assert years_before(dt.date(2120, 2, 29), 20) == dt.date(2100, 2, 28)  # 2100 is no leap year
