"""Writes: record a conversation with its profile, correct it, and load many at once (demo).

Every write checks that the actor may see the client (caseload.access, the one door) and leaves
an audit row without free text: codes, counts and the names of changed fields only. A write is one
transaction: the conversation, its snapshot and the snapshot's rows are written whole or not at
all. Corrections use optimistic concurrency (core.concurrency): a stale version raises
ConflictError and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.caseload.contacts import contact_moment_for_conversation
from meedoen.clients.models import Client
from meedoen.core.concurrency import version_check, versioned_update
from meedoen.core.ids import new_uuid
from meedoen.profiles.constants import WorkPreferenceKind
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.measures import profile_completeness, zrm_is_complete
from meedoen.profiles.models import (
    Conversation,
    HelpNeed,
    Obstacle,
    ProfileSnapshot,
    WorkExperience,
    WorkPreference,
    ZrmAssessment,
)
from meedoen.profiles.selectors import profile_input_for
from meedoen.profiles.validation import Errors, validate_conversation, validate_profile

PURPOSE = "casework"
CONVERSATION_FIELDS = ("date", "place", "participants", "notes")
# The snapshot's own columns, filled from ProfileInput (child rows are written separately).
SNAPSHOT_FIELDS = (
    "talents",
    "skills",
    "wishes",
    "ambition_short",
    "ambition_long",
    "no_obstacles",
    "ladder_current",
    "ladder_potential",
    "work_readiness",
    "work_readiness_reason",
    "education_level",
    "diplomas",
    "hours_per_week",
    "travel_radius_km",
    "travel_means",
    "driving_licences",
    "dutch_level",
    "other_languages",
    "available_from",
)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def _check_visible(*, actor: Any, client_id: uuid.UUID, action: str, origin: Origin) -> None:
    """The door's rule, checked again at the write: a caller cannot write for a client it got
    some other way. A refusal is audited and looks like "does not exist" (404)."""
    if clients_visible_to(actor=actor).filter(pk=client_id).exists():
        return
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        subject_id=client_id,
        purpose=PURPOSE,
        result=Result.DENIED,
    )
    raise ClientNotVisible


def _is_first(*, client_id: uuid.UUID, date: dt.date, conversation_id: uuid.UUID) -> bool:
    """No other conversation of the client lies before this one (date, then creation order)."""
    earlier = Q(date__lt=date) | Q(date=date, id__lt=conversation_id)
    return not (
        Conversation.objects.filter(client_id=client_id)
        .exclude(pk=conversation_id)
        .filter(earlier)
        .exists()
    )


def _snapshot_values(profile: ProfileInput) -> dict[str, Any]:
    completeness = profile_completeness(
        talents=profile.talents,
        skills=profile.skills,
        wishes=profile.wishes,
        ambition_short=profile.ambition_short,
        ambition_long=profile.ambition_long,
        obstacle_count=len(profile.obstacles),
        no_obstacles=profile.no_obstacles,
        zrm=profile.zrm,
        ladder_current=profile.ladder_current,
        ladder_potential=profile.ladder_potential,
        work_readiness=profile.work_readiness,
        education_level=profile.education_level,
        dutch_level=profile.dutch_level,
    )
    values = {name: getattr(profile, name) for name in SNAPSHOT_FIELDS}
    values.update(
        skills=[s.strip() for s in profile.skills],
        diplomas=[d.strip() for d in profile.diplomas],
        complete_parts=list(completeness.filled),
        completeness=completeness.percent,
        is_complete=completeness.is_complete,
        zrm_complete=zrm_is_complete(profile.zrm),
    )
    return values


# The snapshot's rows go in with plain executemany: they are many (13 ZRM scores a snapshot) and
# model instances would cost more than the insert itself at demo and migration volumes.
_CHILD_COLUMNS: dict[type, tuple[str, ...]] = {
    ZrmAssessment: ("profile_id", "domain", "score"),
    Obstacle: ("profile_id", "category", "severity", "addressed", "note"),
    HelpNeed: ("profile_id", "category", "note"),
    WorkExperience: ("profile_id", "isco_code", "description", "years", "last_year", "position"),
    WorkPreference: ("profile_id", "kind", "code", "position"),
}


@dataclass
class _ChildRows:
    rows: dict[type, list[tuple[Any, ...]]]

    @classmethod
    def empty(cls) -> _ChildRows:
        return cls({model: [] for model in _CHILD_COLUMNS})

    def extend(self, other: _ChildRows) -> None:
        for model, rows in other.rows.items():
            self.rows[model].extend(rows)

    def write(self) -> None:
        for model, columns in _CHILD_COLUMNS.items():
            _insert(model, columns, self.rows[model])


# Values that both databases take as they are; anything else goes through the field's own
# conversion (UUIDs, dates, timestamps, JSON), as the ORM would do.
_PLAIN = (str, int, type(None))


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows with executemany, without model instances or the ORM's compiler."""
    if not rows:
        return
    fields = [model._meta.get_field(column) for column in columns]
    # The connection itself, not the thread-local proxy: looked up once instead of per value.
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608 - names come from the models
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def prepared(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            value if isinstance(value, _PLAIN) else field.get_db_prep_save(value, db)
            for field, value in zip(fields, row, strict=True)
        )

    with db.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[start : start + _BATCH]])


_BATCH = 5000
_UUID_FIELD = ProfileSnapshot._meta.pk


def _child_rows(snapshot_id: object, profile: ProfileInput) -> _ChildRows:
    key = _UUID_FIELD.get_db_prep_value(snapshot_id, connection)
    preferences = [
        (key, WorkPreferenceKind.OCCUPATION.value, code, i)
        for i, code in enumerate(profile.preferred_occupations)
    ] + [
        (key, WorkPreferenceKind.SECTOR.value, code, i)
        for i, code in enumerate(profile.preferred_sectors)
    ]
    return _ChildRows(
        {
            ZrmAssessment: [(key, domain, score) for domain, score in profile.zrm.items()],
            Obstacle: [
                (key, o.category, o.severity, o.addressed, o.note.strip())
                for o in profile.obstacles
            ],
            HelpNeed: [(key, h.category, h.note.strip()) for h in profile.help_needs],
            WorkExperience: [
                (key, w.isco_code, w.description.strip(), w.years, w.last_year, position)
                for position, w in enumerate(profile.work_experience)
            ],
            WorkPreference: preferences,
        }
    )


def _audit_detail(conversation: Conversation, snapshot: ProfileSnapshot, first: bool) -> dict:
    # Codes and counts only: never notes, talents, wishes or any other free text.
    return {
        "place": conversation.place,
        "first": first,
        "parts": list(snapshot.complete_parts),
        "zrm_complete": snapshot.zrm_complete,
    }


def conversation_record(
    *,
    actor: Any,
    client: Client,
    conversation: ConversationInput,
    profile: ProfileInput,
    origin: Origin,
) -> Conversation:
    """Record a conversation with `client` and the profile captured in it.

    Raises ClientNotVisible (404) when the actor may not see the client, ValidationError with
    Dutch messages per field path when the input is wrong; nothing is written then.
    """
    action = "profiles.conversation.create"
    _check_visible(actor=actor, client_id=client.pk, action=action, origin=origin)
    # The denial above is audited outside the transaction: it must survive the 404.
    with transaction.atomic():
        errors = Errors()
        validate_conversation(errors, conversation, born=client.date_of_birth)
        conversation_id = new_uuid()
        first = "date" in errors.messages or _is_first(
            client_id=client.pk, date=conversation.date, conversation_id=conversation_id
        )
        validate_profile(errors, profile, first=first)
        errors.raise_if_any()

        record = Conversation(
            id=conversation_id,
            municipality_id=client.municipality_id,
            client=client,
            date=conversation.date,
            place=conversation.place,
            participants=list(conversation.participants),
            notes=conversation.notes.strip(),
            conducted_by=actor,
            conducted_by_name=_actor_name(actor),
        )
        # The conversation counts as contact with the household (the contact log, issue 5).
        record.contact = contact_moment_for_conversation(
            actor=actor,
            client=client,
            conversation_id=conversation_id,
            date=record.date,
            place=record.place,
            participants=record.participants,
            origin=origin,
        )
        record.save(force_insert=True)
        snapshot = ProfileSnapshot(conversation=record, **_snapshot_values(profile))
        snapshot.save(force_insert=True)
        _child_rows(snapshot.pk, profile).write()
        record.profile = snapshot
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=record,
            subject_id=client.pk,
            purpose=PURPOSE,
            detail=_audit_detail(record, snapshot, first),
        )
    return record


def _changed_fields(
    conversation: Conversation,
    data: ConversationInput,
    before: ProfileInput,
    after: ProfileInput,
) -> list[str]:
    changed = [
        name for name in CONVERSATION_FIELDS if getattr(conversation, name) != getattr(data, name)
    ]
    old, new = before.as_dict(), after.as_dict()
    changed += [f"profile.{name}" for name in new if old.get(name) != new[name]]
    return changed


def conversation_update(
    *,
    actor: Any,
    conversation: Conversation,
    expected_version: int,
    data: ConversationInput,
    profile: ProfileInput,
    origin: Origin,
) -> Conversation:
    """Correct a recorded conversation and its profile, if nobody changed it since
    `expected_version` was read. The profile is replaced whole (it is a snapshot).

    Raises ClientNotVisible, ConflictError (stale version: nothing written) or ValidationError.
    """
    action = "profiles.conversation.update"
    _check_visible(actor=actor, client_id=conversation.client_id, action=action, origin=origin)
    with transaction.atomic():
        version_check(conversation, expected_version)
        client = Client.objects.only("date_of_birth", "municipality_id", "household_id").get(
            pk=conversation.client_id
        )
        errors = Errors()
        validate_conversation(errors, data, born=client.date_of_birth)
        first = "date" in errors.messages or _is_first(
            client_id=conversation.client_id, date=data.date, conversation_id=conversation.pk
        )
        validate_profile(errors, profile, first=first)
        errors.raise_if_any()

        snapshot = ProfileSnapshot.objects.get(conversation_id=conversation.pk)
        before = profile_input_for(snapshot)
        changed = _changed_fields(conversation, data, before, profile)
        # The guarded UPDATE is the first write: a stale version stops here with nothing
        # written, and on PostgreSQL it holds the row lock until commit, so two corrections
        # do not interleave.
        conversation_values = {
            "date": data.date,
            "place": data.place,
            "participants": list(data.participants),
            "notes": data.notes.strip(),
        }
        versioned_update(
            conversation, expected_version=expected_version, values=conversation_values
        )
        contact = conversation.contact
        if (
            contact is not None
            # After a move the old household's log keeps what happened there.
            and contact.household_id == client.household_id
            and {"date", "place", "participants"} & set(changed)
        ):
            # The log is append-only: the conversation's contact moment gets a correction.
            contact = contact_moment_for_conversation(
                actor=actor,
                client=client,
                conversation_id=conversation.pk,
                date=data.date,
                place=data.place,
                participants=data.participants,
                origin=origin,
                corrects=contact,
            )
            Conversation.objects.filter(pk=conversation.pk).update(contact=contact)
            conversation.contact = contact
        values = _snapshot_values(profile)
        for name, value in values.items():
            setattr(snapshot, name, value)
        snapshot.save(update_fields=[*values, "updated_at"])
        for model in (ZrmAssessment, Obstacle, HelpNeed, WorkExperience, WorkPreference):
            model.objects.filter(profile_id=snapshot.pk).delete()
        _child_rows(snapshot.pk, profile).write()
        conversation.profile = snapshot
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=conversation,
            subject_id=conversation.client_id,
            purpose=PURPOSE,
            detail={**_audit_detail(conversation, snapshot, first), "fields": changed},
        )
    return conversation


# Bulk (demo data, a municipality's migration of earlier conversations) ------------------------


@dataclass
class BulkConversation:
    client_id: object
    municipality_id: object
    conducted_by_id: object
    conducted_by_name: str
    conversation: ConversationInput
    profile: ProfileInput


def conversations_bulk_create(
    *,
    items: Sequence[BulkConversation],
    actor: Any,
    origin: Origin,
    municipality_code: str = "",
    batch_size: int = 2000,
) -> int:
    """Many conversations at once, for clients without any yet (demo data, a migration).

    Validated like single records ("unknown" ZRM scores only in a client's first conversation);
    the whole batch is refused when any item is wrong or any client already has conversations, so
    nothing is half written. The system writes these (no door: there is no person acting); one
    audit row for the batch, with the count.
    """
    errors = Errors()
    today = timezone.localdate()
    order = sorted(
        range(len(items)), key=lambda i: (str(items[i].client_id), items[i].conversation.date)
    )
    seen_clients: set[object] = set()
    for index in order:
        item = items[index]
        first = item.client_id not in seen_clients
        seen_clients.add(item.client_id)
        item_errors = Errors()
        validate_conversation(item_errors, item.conversation, born=None, today=today)
        validate_profile(item_errors, item.profile, first=first, today=today)
        for path, messages in item_errors.messages.items():
            for message in messages:
                errors.add(
                    f"{index}.{path}",
                    _("Gesprek %(number)s: %(message)s")
                    % {"number": index + 1, "message": message},
                )
    errors.raise_if_any()
    client_ids = list(seen_clients)
    for start in range(0, len(client_ids), batch_size):
        if Conversation.objects.filter(
            client_id__in=client_ids[start : start + batch_size]
        ).exists():
            raise ValidationError(
                _("Sommige cliënten hebben al gesprekken; leg die gesprekken één voor één vast.")
            )

    # One timestamp for the batch, converted for the database once.
    now = ProfileSnapshot._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    conversation_columns = (
        "id", "created_at", "updated_at", "version", "municipality_id", "client_id", "date",
        "place", "participants", "conducted_by_id", "conducted_by_name", "notes",
    )  # fmt: skip
    snapshot_columns: tuple[str, ...] = (
        "id", "created_at", "updated_at", "conversation_id", *SNAPSHOT_FIELDS,
        "complete_parts", "completeness", "is_complete", "zrm_complete",
    )  # fmt: skip
    with transaction.atomic():
        conversations: list[tuple[Any, ...]] = []
        snapshots: list[tuple[Any, ...]] = []
        children = _ChildRows.empty()
        for item in _in_date_order(items):
            conversation_id, snapshot_id = new_uuid(), new_uuid()
            c = item.conversation
            conversations.append(
                (
                    conversation_id,
                    now,
                    now,
                    1,
                    item.municipality_id,
                    item.client_id,
                    c.date,
                    c.place,
                    list(c.participants),
                    item.conducted_by_id,
                    item.conducted_by_name[:150],
                    c.notes.strip(),
                )
            )
            values = _snapshot_values(item.profile)
            snapshots.append(
                (snapshot_id, now, now, conversation_id, *(values[n] for n in snapshot_columns[4:]))
            )
            children.extend(_child_rows(snapshot_id, item.profile))
        _insert(Conversation, conversation_columns, conversations)
        _insert(ProfileSnapshot, snapshot_columns, snapshots)
        children.write()
        audit_record(
            actor=actor,
            action="profiles.conversation.bulk_create",
            origin=origin,
            purpose=PURPOSE,
            detail={"count": len(conversations), "clients": len(client_ids)},
            municipality_code=municipality_code or None,
        )
    return len(conversations)


def _in_date_order(items: Iterable[BulkConversation]) -> list[BulkConversation]:
    # Ids are time-ordered (UUIDv7): creating in date order keeps (date, id) consistent with
    # "first conversation" for conversations on the same day.
    return sorted(items, key=lambda item: item.conversation.date)
