"""The coach's work list ("Mijn werk"): which households need attention now.

Reads only. The scope is the actor's work, taken from the one door (caseload/access.py
``casework_coaches``: the same set of coaches its rule is made of), in the actor's municipality:

- a coach: their own caseload, and the caseloads of colleagues they cover for today;
- a team lead: the same, plus the caseloads of their team's coaches (optionally one coach).

Per household, from annotations (a fixed number of queries, whatever the caseload size): the last
two-way contact that is not superseded by a correction (the newest version counts), the first
planned appointment (to tell "due today" and "overdue"), the next planned appointment from today,
the open assignment's start and intensity. The signals follow from those:

- ``geen_contact``: the last contact — or the assignment's start if there was none — is longer ago
  than the team's CaseloadPolicy allows for the household's intensity (defaults in constants);
- ``afspraak``: a planned appointment today, or one in the past still marked as planned;
- ``nieuw``: the assignment started within NEW_ASSIGNMENT_DAYS and nobody spoke to the household
  since.

Each annotation is a correlated subquery on an index range: (household, -occurred_at) for
contacts, (household, starts_at) for appointments, the unique corrects_id for "superseded". That
query runs once per page: the signals, counts, filter and order are then worked out in Python over
its small rows (a coach has ~50 households), and only the rows shown are fetched with their
members and address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateTimeField, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.access import actor_may_do_casework, casework_coaches
from meedoen.caseload.constants import (
    DEFAULT_CONTACT_WEEKS,
    TWO_WAY_CONTACT_KINDS,
    AppointmentStatus,
    Intensity,
)
from meedoen.caseload.models import Appointment, Assignment, ContactMoment
from meedoen.clients.models import Client

NEW_ASSIGNMENT_DAYS = 14
UPCOMING_DAYS = 7


class Signal:
    """Codes used in URLs (`?signaal=`) and the API (`?signal=`)."""

    NO_CONTACT = "geen_contact"
    APPOINTMENT = "afspraak"
    NEW = "nieuw"

    ALL = (NO_CONTACT, APPOINTMENT, NEW)
    LABELS = {
        NO_CONTACT: _("Geen contact"),
        APPOINTMENT: _("Afspraak vandaag of verlopen"),
        NEW: _("Nieuw toegewezen"),
    }


class Sort:
    OLDEST_CONTACT = "contact"
    NEWEST_CONTACT = "-contact"
    ALL = (OLDEST_CONTACT, NEWEST_CONTACT)


@dataclass(frozen=True)
class Moment:
    """ "Now" as the work list sees it: one instant, so every row is judged at the same time."""

    now: dt.datetime
    today: dt.date
    start_of_today: dt.datetime
    start_of_tomorrow: dt.datetime

    @classmethod
    def current(cls, now: dt.datetime | None = None) -> Moment:
        now = now or timezone.now()
        today = timezone.localdate(now)
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        tomorrow = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)
        )
        return cls(now=now, today=today, start_of_today=start, start_of_tomorrow=tomorrow)


@dataclass(frozen=True)
class Entry:
    """One household of the work list, as the single annotated query returns it."""

    assignment_id: Any
    household_id: Any
    coach_id: int
    start_date: dt.date
    intensity: str
    last_contact: dt.datetime | None
    first_planned: dt.datetime | None
    next_appointment: dt.datetime | None
    signals: tuple[str, ...]
    # Weeks allowed without contact for this household (team policy, intensity).
    allowed_weeks: int


@dataclass
class Worklist:
    entries: list[Entry]
    moment: Moment

    @property
    def household_ids(self) -> list[Any]:
        return [entry.household_id for entry in self.entries]

    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.entries), **{code: 0 for code in Signal.ALL}}
        for entry in self.entries:
            for code in entry.signals:
                counts[code] += 1
        return counts

    def filtered(self, *, signal: str | None = None, sort: str | None = None) -> list[Entry]:
        entries = [e for e in self.entries if signal in e.signals] if signal else self.entries
        never = dt.datetime.min.replace(tzinfo=dt.UTC)
        if sort == Sort.NEWEST_CONTACT:
            # Most recent first; never spoken to last, then by start and id.
            ordered = sorted(entries, key=lambda e: (e.start_date, str(e.assignment_id)))
            return sorted(
                ordered,
                key=lambda e: (e.last_contact is not None, e.last_contact or never),
                reverse=True,
            )
        # Longest without contact first; never spoken to counts as longest.
        return sorted(
            entries,
            key=lambda e: (
                e.last_contact is not None,
                e.last_contact or never,
                e.start_date,
                str(e.assignment_id),
            ),
        )


@dataclass
class SignalBadge:
    code: str
    text: str


@dataclass(frozen=True)
class Member:
    id: Any
    name: str


@dataclass
class WorklistRow:
    """One household as a list shows it: plain values, no model instances (building ~280 of
    them for a page of 50 rows was a fifth of the caseload page's time)."""

    entry: Entry
    reference: str
    district: str
    coach_name: str
    members: list[Member]
    signals: list[SignalBadge] = field(default_factory=list)
    weeks_since_contact: int | None = None
    # Ready texts, filled by the page that shows the row (web.views_worklist): rendering 50 rows
    # from plain strings is several times cheaper than template lookups and filters per cell.
    url: str = ""
    names: str = ""
    intensity_label: str = ""
    last_contact_text: str = ""
    weeks_ago_text: str = ""
    next_appointment_text: str = ""

    @property
    def household_id(self) -> Any:
        return self.entry.household_id

    @property
    def coach_id(self) -> int:
        return self.entry.coach_id

    @property
    def intensity(self) -> str:
        return self.entry.intensity

    @property
    def start_date(self) -> dt.date:
        return self.entry.start_date

    @property
    def last_contact(self) -> dt.datetime | None:
        return self.entry.last_contact

    @property
    def next_appointment(self) -> dt.datetime | None:
        return self.entry.next_appointment

    @property
    def signal_codes(self) -> list[str]:
        return [badge.code for badge in self.signals]


def team_coaches(*, actor: Any) -> QuerySet[User]:
    """The coaches a team lead may pick in the work list: the active casework staff of the team."""
    if not actor_may_do_casework(actor) or actor.role != Role.TEAM_LEAD or actor.team_id is None:
        return User.objects.none()
    return User.objects.filter(
        team_id=actor.team_id,
        municipality_id=actor.municipality_id,
        is_active=True,
        role__in=(Role.COACH, Role.TEAM_LEAD),
    ).order_by("first_name", "last_name", "username")


def _scope_coaches(*, actor: Any) -> dict[int, dict[str, int]]:
    """Whose caseloads are the actor's work (the door's casework_coaches, in the actor's
    municipality), each with the weeks without contact their team allows per intensity: one query
    (the team's policy joined in). An explicit list of ids lets the database use the
    open-assignment index by coach."""
    rows = (
        casework_coaches(actor)
        .filter(municipality_id=actor.municipality_id)
        .values_list(
            "pk",
            "team__policy__contact_weeks_low",
            "team__policy__contact_weeks_normal",
            "team__policy__contact_weeks_high",
        )
    )
    weeks: dict[int, dict[str, int]] = {}
    for pk, low, normal, high in rows:
        # A team without a policy (or a coach without a team) uses the defaults.
        weeks[pk] = (
            {Intensity.LOW: low, Intensity.NORMAL: normal, Intensity.HIGH: high}
            if low is not None
            else DEFAULT_CONTACT_WEEKS
        )
    return weeks


def worklist_assignments(
    *, actor: Any, coach_ids: Iterable[int], moment: Moment
) -> QuerySet[Assignment, Any]:
    """The open assignments of these coaches (a subset of the door's casework coaches), annotated
    with the last two-way contact and the planned appointments."""
    superseded = ContactMoment.objects.filter(corrects_id=OuterRef("pk"))
    contacts = ContactMoment.objects.filter(
        household_id=OuterRef("household_id"), kind__in=sorted(TWO_WAY_CONTACT_KINDS)
    ).filter(~Exists(superseded))
    planned = Appointment.objects.filter(
        household_id=OuterRef("household_id"), status=AppointmentStatus.PLANNED
    )
    # One filter() call: every chained call clones the whole query, the door's nested
    # subqueries included, and that cloning was a visible part of the page's time.
    return Assignment.objects.filter(
        end_date__isnull=True,
        # The one door's rule itself: open assignments to the door's casework coaches
        # (_scope_coaches), of households in the actor's municipality.
        coach_id__in=list(coach_ids),
        household__municipality_id=actor.municipality_id,
    ).annotate(
        last_contact=Subquery(
            contacts.order_by("-occurred_at").values("occurred_at")[:1],
            output_field=DateTimeField(),
        ),
        first_planned=Subquery(
            planned.order_by("starts_at").values("starts_at")[:1],
            output_field=DateTimeField(),
        ),
        next_appointment=Subquery(
            planned.filter(starts_at__gte=moment.start_of_today)
            .order_by("starts_at")
            .values("starts_at")[:1],
            output_field=DateTimeField(),
        ),
    )


def worklist_build(
    *, actor: Any, coach_id: int | None = None, moment: Moment | None = None
) -> Worklist:
    """The actor's work list: three queries (scope, policies, the annotated assignments).

    `coach_id` narrows a team lead's list to one coach of the scope (an id outside it gives an
    empty list, never more). Roles without casework get an empty list and no query.
    """
    moment = moment or Moment.current()
    if not actor_may_do_casework(actor):
        return Worklist(entries=[], moment=moment)
    coaches = _scope_coaches(actor=actor)
    if coach_id is not None:
        coaches = {coach_id: coaches[coach_id]} if coach_id in coaches else {}
    if not coaches:
        return Worklist(entries=[], moment=moment)
    # django-stubs cannot see the annotations through values_list.
    rows = worklist_assignments(actor=actor, coach_ids=coaches, moment=moment).values_list(  # type: ignore[misc]
        "id",
        "household_id",
        "coach_id",
        "start_date",
        "intensity",
        "last_contact",
        "first_planned",
        "next_appointment",
    )
    new_since = moment.today - dt.timedelta(days=NEW_ASSIGNMENT_DAYS)
    entries = []
    for pk, household_id, coach, start, intensity, last, first_planned, next_planned in rows:
        allowed = coaches[coach][intensity]
        cutoff = moment.now - dt.timedelta(weeks=allowed)
        signals = []
        if (last < cutoff) if last is not None else (start < timezone.localdate(cutoff)):
            signals.append(Signal.NO_CONTACT)
        if first_planned is not None and first_planned < moment.start_of_tomorrow:
            signals.append(Signal.APPOINTMENT)
        if start >= new_since and (last is None or timezone.localdate(last) < start):
            signals.append(Signal.NEW)
        entries.append(
            Entry(
                pk,
                household_id,
                coach,
                start,
                intensity,
                last,
                first_planned,
                next_planned,
                tuple(signals),
                allowed,
            )
        )
    return Worklist(entries=entries, moment=moment)


def _full_name(first_names: str, name_prefix: str, surname: str) -> str:
    # Client.full_name, on values instead of instances.
    return " ".join(part for part in (first_names, name_prefix, surname) if part)


def members_by_household(household_ids: Iterable[Any]) -> dict[Any, list[Member]]:
    """The current members of these households, in list order: one query."""
    members: dict[Any, list[Member]] = {}
    rows = (
        Client.objects.filter(household_id__in=list(household_ids))
        .order_by("sort_name", "first_names")
        .values_list("household_id", "id", "first_names", "name_prefix", "surname")
    )
    for household_id, pk, first_names, name_prefix, surname in rows:
        members.setdefault(household_id, []).append(
            Member(pk, _full_name(first_names, name_prefix, surname))
        )
    return members


def worklist_rows(entries: list[Entry], *, moment: Moment) -> list[WorklistRow]:
    """The rows shown, in the entries' order: one query for what the assignments show (reference,
    district, coach) and one for the members — values, not model instances."""
    if not entries:
        return []
    shown = {
        pk: rest
        for pk, *rest in Assignment.objects.filter(
            pk__in=[e.assignment_id for e in entries]
        ).values_list(
            "id",
            "household__reference",
            "household__address__district_name",
            "coach__first_name",
            "coach__last_name",
            "coach__username",
        )
    }
    members = members_by_household(e.household_id for e in entries)
    rows = []
    for entry in entries:
        if entry.assignment_id not in shown:
            continue
        reference, district, first_name, last_name, username = shown[entry.assignment_id]
        row = WorklistRow(
            entry=entry,
            reference=reference,
            district=district or "",
            # User.display_name, on values.
            coach_name=f"{first_name} {last_name}".strip() or username,
            members=members.get(entry.household_id, []),
        )
        if entry.last_contact is not None:
            row.weeks_since_contact = max(0, (moment.now - entry.last_contact).days // 7)
        row.signals = _badges(entry, moment)
        rows.append(row)
    return rows


def _badges(entry: Entry, moment: Moment) -> list[SignalBadge]:
    badges = []
    if Signal.NO_CONTACT in entry.signals:
        since = entry.last_contact or timezone.make_aware(
            dt.datetime.combine(entry.start_date, dt.time.min)
        )
        weeks = max(0, (moment.now - since).days // 7)
        text = (
            ngettext(
                "Geen contact sinds %(weeks)d week",
                "Geen contact sinds %(weeks)d weken",
                weeks,
            )
            if entry.last_contact
            else ngettext(
                "Geen contact sinds toewijzing, %(weeks)d week",
                "Geen contact sinds toewijzing, %(weeks)d weken",
                weeks,
            )
        ) % {"weeks": weeks}
        badges.append(SignalBadge(Signal.NO_CONTACT, text))
    if Signal.APPOINTMENT in entry.signals:
        overdue = entry.first_planned is not None and entry.first_planned < moment.start_of_today
        badges.append(
            SignalBadge(
                Signal.APPOINTMENT,
                str(_("Afspraak verlopen") if overdue else _("Afspraak vandaag")),
            )
        )
    if Signal.NEW in entry.signals:
        badges.append(SignalBadge(Signal.NEW, str(_("Nieuw toegewezen"))))
    return badges


@dataclass
class UpcomingAppointment:
    id: Any
    household_id: Any
    reference: str
    starts_at: dt.datetime
    kind: str
    location: str
    members: list[Member]


def upcoming_appointments(
    *, worklist: Worklist, days: int = UPCOMING_DAYS, limit: int = 50
) -> list[UpcomingAppointment]:
    """Planned appointments of the work list's households from today up to and including `days`
    ahead (the households already passed the door in worklist_build): two queries."""
    if not worklist.entries:
        return []
    moment = worklist.moment
    until = moment.start_of_tomorrow + dt.timedelta(days=days)
    found = list(
        Appointment.objects.filter(
            status=AppointmentStatus.PLANNED,
            starts_at__gte=moment.start_of_today,
            starts_at__lt=until,
            household_id__in=worklist.household_ids,
        )
        .order_by("starts_at", "pk")
        .values_list("id", "household_id", "household__reference", "starts_at", "kind", "location")[
            :limit
        ]
    )
    members = members_by_household({row[1] for row in found})
    return [
        UpcomingAppointment(
            pk,
            household_id,
            reference,
            starts_at,
            kind,
            location or "",
            members.get(household_id, []),
        )
        for pk, household_id, reference, starts_at, kind, location in found
    ]
