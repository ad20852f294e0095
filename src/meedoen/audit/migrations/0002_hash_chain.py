"""The hash chain (seq, prev_hash, hash, content_hash), redaction fields, the chain head and triggers.

Existing rows are chained in id order, one chain per municipality, before the constraints and the
triggers arrive. Triggers (see docs/privacy/audit.md):

- both databases: after an insert into the audit table, move the chain head on;
- PostgreSQL only: refuse DELETE, and UPDATE except the one-time redaction that only blanks the
  personal fields. (SQLite has no roles or session settings to tell the test suite's flush apart,
  and is the single-user demo database; the model and queryset guards apply there.)
"""

import secrets

from django.db import migrations, models

from meedoen.audit import chain

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_chain_head_advance AFTER INSERT ON audit_auditevent
    BEGIN
        UPDATE audit_auditchainhead SET last_seq = NEW.seq, last_hash = NEW.hash
        WHERE municipality_code = NEW.municipality_code;
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_chain_head_advance"]

_KEPT = (
    "id, at, actor_id, actor_name, actor_role, municipality_code, action, object_type, "
    "object_id, subject_pseudonym, purpose, result, seq, prev_hash, hash, content_hash"
)
_NEW = ", ".join(f"NEW.{c.strip()}" for c in _KEPT.split(","))
_OLD = ", ".join(f"OLD.{c.strip()}" for c in _KEPT.split(","))

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION audit_chain_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE audit_auditchainhead SET last_seq = NEW.seq, last_hash = NEW.hash
        WHERE municipality_code = NEW.municipality_code;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER audit_chain_head_advance AFTER INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_advance()
    """,
    f"""
    CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit_auditevent is append-only: DELETE refused';
        END IF;
        IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
           AND NEW.redaction_reason <> ''
           AND NEW.ip_address IS NULL AND NEW.user_agent = '' AND NEW.content_salt = ''
           AND ROW({_NEW}) IS NOT DISTINCT FROM ROW({_OLD})
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_auditevent is append-only: only a one-time redaction may change a row';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP TRIGGER IF EXISTS audit_chain_head_advance ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_chain_head_advance()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    heads: dict[str, tuple[int, str]] = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        code = event.municipality_code
        last_seq, last_hash = heads.get(code, (0, chain.GENESIS_HASH))
        salt = secrets.token_hex(16)
        ip_address = chain.normalise_ip(event.ip_address)
        detail = chain.normalise_detail(event.detail)
        content = chain.content_hash(
            salt=salt, ip_address=ip_address, user_agent=event.user_agent, detail=detail
        )
        fields = {
            "seq": last_seq + 1,
            "prev_hash": last_hash,
            "content_salt": salt,
            "content_hash": content,
            "ip_address": ip_address,
            "detail": detail,
        }
        fields["hash"] = chain.event_hash(
            chain=code,
            seq=fields["seq"],
            at=event.at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            actor_role=event.actor_role,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            subject_pseudonym=event.subject_pseudonym,
            purpose=event.purpose,
            result=event.result,
            content_hash=content,
            prev_hash=last_hash,
        )
        AuditEvent.objects.filter(pk=event.pk).update(**fields)
        heads[code] = (fields["seq"], fields["hash"])
    AuditChainHead.objects.bulk_create(
        AuditChainHead(municipality_code=code, last_seq=seq, last_hash=last)
        for code, (seq, last) in heads.items()
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "municipality_code",
                    models.CharField(blank=True, max_length=4, primary_key=True, serialize=False),
                ),
                ("last_seq", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "verbose_name": "kop van de auditketen",
                "verbose_name_plural": "koppen van de auditketens",
            },
        ),
        migrations.AddField(
            model_name="auditevent", name="seq", field=models.BigIntegerField(null=True)
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="content_salt",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="content_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redaction_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent", name="seq", field=models.BigIntegerField()
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("municipality_code", "seq"), name="audit_chain_seq"
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
