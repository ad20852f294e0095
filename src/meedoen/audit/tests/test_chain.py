"""The audit trail: hash chain, append-only guards, verification, redaction."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from meedoen.audit.constants import Result
from meedoen.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from meedoen.audit.services import Origin, audit_record, audit_redact, subject_pseudonym
from meedoen.audit.verification import audit_chain_verify

ORIGIN = Origin(channel="web", ip_address="192.0.2.10", user_agent="Firefox/140")


def record(actor=None, n=1, **kwargs):
    kwargs.setdefault("municipality_code", "0518")
    return [
        audit_record(actor=actor, action="clients.client.read", origin=ORIGIN, **kwargs)
        for _ in range(n)
    ]


def tamper(sql, params=()):
    """Change the table behind the guards' back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Transactional DDL: the test's rollback switches the trigger back on.
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_guard")
        cursor.execute(sql, params)


def verify(code="0518"):
    return audit_chain_verify(municipality_code=code)


# --- the chain ----------------------------------------------------------------------------------


def test_events_form_a_gapless_chain_per_municipality(db):
    first, second = record(n=2)
    other = record(municipality_code="0599")[0]
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert other.prev_hash == ""
    assert AuditChainHead.objects.get(municipality_code="0518").last_hash == second.hash
    assert verify().intact
    assert verify().count == 2


def test_the_municipality_comes_from_the_actor(coach):
    event = audit_record(actor=coach, action="clients.client.read", origin=ORIGIN)
    assert (event.municipality_code, event.actor_name, event.actor_role) == (
        "0518",
        "coach",
        "coach",
    )
    assert audit_record(actor=None, action="audit.log.read", origin=ORIGIN).municipality_code == ""


def test_an_append_costs_one_query_beyond_the_insert(db, django_assert_num_queries):
    record()
    with django_assert_num_queries(2):
        record()


def test_an_invalid_ip_address_is_not_stored(db):
    event = audit_record(actor=None, action="audit.log.read", origin=Origin("web", "not-an-ip"))
    assert event.ip_address is None
    assert verify("").intact


def test_detail_is_stored_as_plain_json_and_still_verifies(db):
    import datetime as dt
    import uuid

    record(detail={"when": dt.date(2025, 1, 31), "id": uuid.UUID(int=1), "n": 0.1, "é": "ü"})
    assert verify().intact


# --- append-only --------------------------------------------------------------------------------


def test_a_saved_row_cannot_be_changed_or_deleted(db):
    (event,) = record()
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="x")])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(action="x", seq=9, content_hash="x")  # outside the chain
    assert verify().intact


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the guard trigger exists on PostgreSQL only (SQLite: Python guards; see audit.md)",
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'x'",
        "UPDATE audit_auditevent SET ip_address = NULL",
        "DELETE FROM audit_auditevent",
        # A redaction that also changes who did it:
        "UPDATE audit_auditevent SET redacted_at = now(), redaction_reason = 'r', "
        "ip_address = NULL, user_agent = '', content_salt = '', actor_name = 'iemand'",
    ],
)
def test_postgresql_refuses_changes_outside_redaction(db, sql):
    record()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert verify().intact


# --- verification -------------------------------------------------------------------------------


def _ids():
    return list(
        AuditEvent.objects.filter(municipality_code="0518")
        .order_by("seq")
        .values_list("id", flat=True)
    )


def test_a_changed_row_is_detected(db):
    record(n=3)
    tamper("UPDATE audit_auditevent SET action = 'clients.client.list' WHERE seq = 2")
    report = verify()
    assert not report.intact
    assert "regel 2 " in report.problem
    assert "inhoud van de regel is gewijzigd" in report.problem


def test_a_changed_origin_is_detected(db):
    record(n=3)
    tamper("UPDATE audit_auditevent SET ip_address = '198.51.100.1' WHERE seq = 3")
    assert "IP-adres" in verify().problem


def test_a_deleted_row_is_detected(db):
    record(n=4)
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    report = verify()
    assert "volgnummer 2 verwacht" in report.problem
    assert report.count == 1


def test_a_deleted_last_row_is_detected(db):
    record(n=3)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    assert "eindigt bij regel 2" in verify().problem


def test_a_deleted_and_renumbered_row_is_detected(db):
    record(n=3)
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    tamper("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    assert "verwijzing naar de vorige regel" in verify().problem


def test_an_inserted_row_is_detected(db):
    (event,) = record()
    tamper(
        "INSERT INTO audit_auditevent (at, actor_name, actor_role, municipality_code, action,"
        " object_type, object_id, subject_pseudonym, purpose, result, user_agent, detail, seq,"
        " prev_hash, hash, content_salt, content_hash, redaction_reason)"
        " VALUES (%s, 'x', '', '0518', 'x', '', '', '', '', 'allowed', '', '{}', 2, %s,"
        " 'forged', '', 'forged', '')",
        [event.at, event.hash],
    )
    assert "regel 2 " in verify().problem


def test_reordered_rows_are_detected(db):
    record(n=3)
    tamper("UPDATE audit_auditevent SET seq = -2 WHERE seq = 2")
    tamper("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    tamper("UPDATE audit_auditevent SET seq = 3 WHERE seq = -2")
    assert "verwijzing naar de vorige regel" in verify().problem


def test_swapped_ids_are_detected(db):
    record(n=3)
    _first, second, third = _ids()
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [-1, second])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [second, third])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [third, -1])
    # Same seq order, but the row written third now carries a lower id than the second one:
    # with ids swapped, seq 2 has id `third` and seq 3 id `second`.
    assert "andere plaats" in verify().problem


def test_verify_command_exits_zero_with_the_count(db, capsys):
    record(n=3)
    record(municipality_code="0599")
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Auditspoor intact: 4 regels gecontroleerd." in out
    assert "gemeente 0518: 3 regels in orde" in out


def test_verify_command_fails_naming_the_broken_link(db, capsys):
    record(n=3)
    record(municipality_code="0599")
    tamper("DELETE FROM audit_auditevent WHERE seq = 2 AND municipality_code = '0518'")
    with pytest.raises(CommandError, match="niet intact: 1 keten is verbroken"):
        call_command("audit_verify")
    assert "gemeente 0518, regel 3" in capsys.readouterr().err
    call_command("audit_verify", "--municipality", "0599")


def test_verify_of_an_empty_trail_is_intact(db, capsys):
    call_command("audit_verify")
    assert "0 regels" in capsys.readouterr().out


# --- redaction ----------------------------------------------------------------------------------


def test_redaction_blanks_personal_fields_and_the_chain_still_verifies(db):
    record(n=2, subject_id="client-a", detail={"count": 1})
    (other,) = record(subject_id="client-b")
    count = audit_redact(subject_pseudonym=subject_pseudonym("client-a"), reason="bewaartermijn")
    assert count == 2
    redacted = AuditEvent.objects.filter(subject_pseudonym=subject_pseudonym("client-a"))
    for event in redacted:
        assert (event.ip_address, event.user_agent, event.content_salt) == (None, "", "")
        assert event.detail == {"channel": "web", "count": "[verwijderd]"}
        assert event.redaction_reason == "bewaartermijn"
        assert event.redacted_at is not None
    assert AuditEvent.objects.get(pk=other.pk).ip_address == "192.0.2.10"
    assert verify().intact
    # Once is enough.
    assert audit_redact(subject_pseudonym=subject_pseudonym("client-a"), reason="x") == 0


def test_a_redacted_row_still_protects_who_did_what(db):
    record(n=2, subject_id="client-a")
    audit_redact(subject_pseudonym=subject_pseudonym("client-a"), reason="bewaartermijn")
    tamper("UPDATE audit_auditevent SET actor_name = 'iemand anders' WHERE seq = 1")
    assert "inhoud van de regel is gewijzigd" in verify().problem


def test_redaction_needs_a_subject_and_a_reason(db):
    with pytest.raises(ValueError, match="subject"):
        audit_redact(subject_pseudonym="", reason="x")
    with pytest.raises(ValueError, match="reason"):
        audit_redact(subject_pseudonym="abc", reason="")


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrent writers need PostgreSQL; SQLite serialises writers by design",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def worker():
        try:
            for _ in range(25):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action="clients.client.read",
                        origin=ORIGIN,
                        municipality_code="0518",
                        result=Result.ALLOWED,
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify()
    assert report.intact, report.problem
    assert report.count == 150


def test_an_unknown_action_code_is_refused_and_nothing_is_written(db):
    # A typo would otherwise split one action into two in the officer's filters, and show a bare
    # code in a person's access log.
    with pytest.raises(ValueError, match=r"clients\.client\.raed"):
        audit_record(actor=None, action="clients.client.raed", origin=ORIGIN)
    assert not AuditEvent.objects.exists()


def test_every_action_has_a_dutch_label_and_a_namespaced_code():
    from meedoen.audit.actions import AUDIT_ACTIONS

    for code, action in AUDIT_ACTIONS.items():
        app, _entity, verb = code.split(".")
        assert app, code
        assert verb, code
        assert str(action.label), code
