"""Reads of the audit trail, for the privacy officer's pages and the data-subject export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import subject_pseudonym

# What a list shows; the personal origin fields (IP, user agent) only on request.
LIST_FIELDS = (
    "id",
    "at",
    "actor_name",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "subject_pseudonym",
    "purpose",
    "result",
    "detail",
    "redacted_at",
)


@dataclass(frozen=True)
class AuditFilter:
    """The privacy officer's filters. Empty values do not filter."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor_name: str = ""
    action_prefix: str = ""
    result: str = ""
    subject_pseudonym: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_for_subject(
    *, subject_id: object, municipality_code: str | None = None
) -> QuerySet[AuditEvent]:
    """Every audit row about one client, newest first: "who looked at this file".

    For the privacy officer's page and the data-subject export. `municipality_code` narrows it to
    that municipality's chain (an attempt by another municipality's staff is in theirs).
    """
    events = AuditEvent.objects.filter(subject_pseudonym=subject_pseudonym(subject_id))
    if municipality_code is not None:
        events = events.filter(municipality_code=municipality_code)
    return events.order_by("-id")


def audit_event_list(
    *, municipality_code: str, filters: AuditFilter, before_id: int | None = None, limit: int
) -> list[AuditEvent]:
    """One page of a municipality's audit rows, newest first, keyset-paged on id.

    Keyset paging (`before_id`), not OFFSET and COUNT: a page costs one indexed query however
    many million rows the trail holds. Returns up to `limit + 1` rows; the extra one tells the
    caller there is a next page.
    """
    events = AuditEvent.objects.filter(municipality_code=municipality_code)
    # Whole days in the local time zone, as a range on `at` (an index can serve it; __date cannot).
    if filters.date_from:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.actor_name:
        events = events.filter(actor_name=filters.actor_name)
    if filters.action_prefix:
        events = events.filter(action__startswith=filters.action_prefix)
    if filters.result:
        events = events.filter(result=filters.result)
    if filters.subject_pseudonym:
        events = events.filter(subject_pseudonym=filters.subject_pseudonym)
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    return list(events.only(*LIST_FIELDS).order_by("-id")[: limit + 1])


def audit_rows_unredacted_before(*, before: dt.datetime) -> dict[str, int]:
    """How many rows written before `before` are not redacted yet, per chain (one query).

    What `audit_redact_before` would redact: the dry run of the retention job shows it.
    """
    rows = (
        AuditEvent.objects.filter(at__lt=before, redacted_at__isnull=True)
        .order_by()
        .values_list("municipality_code")
        .annotate(count=Count("id"))
    )
    return {code: count for code, count in rows}
