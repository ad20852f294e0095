"""Reads of the instrument catalogue, of enrolments and of waiting lists.

Who may read the catalogue: the casework roles (coach, team lead) and the functional admin of the
instrument's municipality (`actor_may_read_catalogue`); who may change it: the functional admin
and the team lead (`actor_may_manage_instruments`) — the same split as the partner registry. Staff
of another municipality never see its instruments: one they may not see is a 404
(`InstrumentNotVisible`). The catalogue holds no personal data; its usage figures are counts.

Enrolments are client data. `enrolments_for_household` trusts its caller to have obtained the
household through the door (caseload.access) and to audit the read, like the other household
sections. `enrolment_get_for_actor` passes the door itself (the enrolment's client) and audits
the read or the refusal. `waiting_list` shows everyone's place in line, but names only the
clients the actor may see through the door; the others are a position and a date.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from meedoen.accounts.constants import Role
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.clients.models import Household
from meedoen.instruments.constants import EnrolmentStatus, TargetGroup
from meedoen.instruments.models import Category, Enrolment, Instrument, InstrumentTargetGroup

READ_ROLES = frozenset({Role.COACH, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN})
MANAGE_ROLES = frozenset({Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN})

S = EnrolmentStatus
PURPOSE = "casework"


class InstrumentNotVisible(Http404):
    """An instrument that does not exist or is another municipality's (indistinguishable)."""


def _staff_of_municipality(actor: Any) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "municipality_id", None) is not None
    )


def actor_may_read_catalogue(actor: Any) -> bool:
    return _staff_of_municipality(actor) and actor.role in READ_ROLES


def actor_may_manage_instruments(actor: Any) -> bool:
    return _staff_of_municipality(actor) and actor.role in MANAGE_ROLES


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def instruments_visible_to(*, actor: Any) -> QuerySet[Instrument]:
    if not actor_may_read_catalogue(actor):
        return Instrument.objects.none()
    return Instrument.objects.filter(municipality_id=actor.municipality_id)


def categories_visible_to(*, actor: Any) -> QuerySet[Category]:
    if not actor_may_read_catalogue(actor):
        return Category.objects.none()
    return Category.objects.filter(municipality_id=actor.municipality_id).order_by("name")


def instrument_get_for_actor(*, actor: Any, instrument_id: object) -> Instrument:
    pk = _as_uuid(instrument_id)
    instrument = (
        _with_details(instruments_visible_to(actor=actor)).filter(pk=pk).first() if pk else None
    )
    if instrument is None:
        raise InstrumentNotVisible
    return instrument


def _with_details(instruments: QuerySet[Instrument]) -> QuerySet[Instrument]:
    return instruments.select_related("provider").prefetch_related(
        Prefetch("target_group_rows", queryset=InstrumentTargetGroup.objects.order_by("code")),
        Prefetch("categories", queryset=Category.objects.order_by("name")),
    )


# Catalogue -------------------------------------------------------------------------------------


@dataclass
class CatalogueEntry:
    """One instrument with its usage now: places taken and the waiting list, and finished so far."""

    instrument: Instrument
    target_groups: list[str]
    categories: list[Category]
    started: int
    requested: int
    waiting: int
    finished: int
    stopped_early: int

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(code, code)) for code in self.target_groups]

    @property
    def places_taken(self) -> int:
        return self.started + self.requested

    @property
    def places_free(self) -> int | None:
        """None: unlimited."""
        capacity = self.instrument.capacity
        return None if capacity is None else max(capacity - self.places_taken, 0)


def catalogue(
    *,
    actor: Any,
    kind: str = "",
    target_group: str = "",
    category_id: object = None,
    query: str = "",
    active_only: bool = True,
) -> list[CatalogueEntry]:
    """The catalogue page: three queries, whatever the number of instruments and enrolments."""
    instruments = instruments_visible_to(actor=actor)
    if kind:
        instruments = instruments.filter(kind=kind)
    if target_group:
        instruments = instruments.filter(
            Exists(
                InstrumentTargetGroup.objects.filter(
                    instrument_id=OuterRef("pk"), code=target_group
                )
            )
        )
    if category_id:
        pk = _as_uuid(category_id)
        instruments = instruments.filter(
            Exists(
                Instrument.categories.through.objects.filter(
                    instrument_id=OuterRef("pk"), category_id=pk
                )
            )
            if pk
            else Q(pk__in=[])
        )
    if query:
        instruments = instruments.filter(
            Q(name__icontains=query.strip()) | Q(provider_name__icontains=query.strip())
        )
    if active_only:
        instruments = instruments.filter(is_active=True)
    return _entries(instruments)


def catalogue_entry(*, actor: Any, instrument_id: object) -> CatalogueEntry:
    """One instrument with its usage (the instrument's page): three queries."""
    pk = _as_uuid(instrument_id)
    entries = _entries(instruments_visible_to(actor=actor).filter(pk=pk)) if pk else []
    if not entries:
        raise InstrumentNotVisible
    return entries[0]


def _entries(instruments: QuerySet[Instrument]) -> list[CatalogueEntry]:
    # One conditional count per status over the enrolments join: a single GROUP BY query.
    rows = _with_details(instruments).annotate(
        n_started=Count("enrolments", filter=Q(enrolments__status=S.STARTED)),
        n_requested=Count("enrolments", filter=Q(enrolments__status=S.REQUESTED)),
        n_waiting=Count("enrolments", filter=Q(enrolments__status=S.WAITING)),
        n_finished=Count("enrolments", filter=Q(enrolments__status=S.FINISHED)),
        n_stopped=Count("enrolments", filter=Q(enrolments__status=S.STOPPED_EARLY)),
    )
    return [
        CatalogueEntry(
            instrument=i,
            target_groups=[row.code for row in i.target_group_rows.all()],
            categories=list(i.categories.all()),
            started=i.n_started,
            requested=i.n_requested,
            waiting=i.n_waiting,
            finished=i.n_finished,
            stopped_early=i.n_stopped,
        )
        for i in rows.order_by("name")
    ]


# Capacity and the waiting list ----------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    started: int
    requested: int
    waiting: int

    @property
    def places_taken(self) -> int:
        return self.started + self.requested


def instrument_usage(*, instrument: Instrument) -> Usage:
    """How many enrolments hold or wait for a place now: one query."""
    counts = Enrolment.objects.filter(instrument_id=instrument.pk).aggregate(
        started=Count("pk", filter=Q(status=S.STARTED)),
        requested=Count("pk", filter=Q(status=S.REQUESTED)),
        waiting=Count("pk", filter=Q(status=S.WAITING)),
    )
    return Usage(**counts)


def _ahead_in_line() -> Q:
    """Waiting enrolments of the same instrument before OuterRef's: first come, first served by
    the moment of the request; the (time-ordered) id settles a tie."""
    return Q(instrument_id=OuterRef("instrument_id"), status=S.WAITING) & (
        Q(requested_at__lt=OuterRef("requested_at"))
        | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
    )


def _waiting_position_annotation() -> Any:
    """1 for the first in line; 0 for an enrolment that is not waiting (annotated as a subquery,
    so a list of enrolments costs no extra query)."""
    ahead = (
        Enrolment.objects.filter(_ahead_in_line())
        .order_by()
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    position = Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1
    return Case(When(status=S.WAITING, then=position), default=Value(0))


def enrolments_with_position() -> QuerySet[Enrolment]:
    """Enrolments with their instrument and `waiting_position` (0 when not waiting), as a
    subquery: for a caller that prefetches enrolments (plans: a step's enrolment) at no extra
    query per row. The caller passed the door for the clients concerned."""
    return Enrolment.objects.select_related("instrument").annotate(
        waiting_position=_waiting_position_annotation()
    )


def waiting_position(*, enrolment: Enrolment) -> int | None:
    """The enrolment's place on the waiting list (1 = next in line), None when not waiting."""
    if enrolment.status != S.WAITING:
        return None
    ahead = Enrolment.objects.filter(
        Q(instrument_id=enrolment.instrument_id, status=S.WAITING)
        & (
            Q(requested_at__lt=enrolment.requested_at)
            | Q(requested_at=enrolment.requested_at, pk__lt=enrolment.pk)
        )
    ).count()
    return ahead + 1


@dataclass
class WaitingRow:
    position: int
    requested_at: Any
    # None for a client the actor may not see: their place in line, not who they are.
    enrolment: Enrolment | None


@dataclass
class WaitingList:
    instrument: Instrument
    usage: Usage
    rows: list[WaitingRow] = field(default_factory=list)

    @property
    def place_free(self) -> bool:
        capacity = self.instrument.capacity
        return capacity is None or self.usage.places_taken < capacity


def waiting_list(*, actor: Any, instrument: Instrument) -> WaitingList:
    """The waiting list of an instrument the actor may read, in order. Three queries.

    The caller audits the read when it shows names (the rows with an enrolment).
    """
    if not instruments_visible_to(actor=actor).filter(pk=instrument.pk).exists():
        raise InstrumentNotVisible
    waiting = list(
        Enrolment.objects.filter(instrument_id=instrument.pk, status=S.WAITING)
        .select_related("client")
        .order_by("requested_at", "pk")
    )
    visible = set(
        clients_visible_to(actor=actor)
        .filter(pk__in=[e.client_id for e in waiting])
        .values_list("pk", flat=True)
        if waiting
        else []
    )
    return WaitingList(
        instrument=instrument,
        usage=instrument_usage(instrument=instrument),
        rows=[
            WaitingRow(
                position=n,
                requested_at=e.requested_at,
                enrolment=e if e.client_id in visible else None,
            )
            for n, e in enumerate(waiting, start=1)
        ],
    )


# Enrolments of a household --------------------------------------------------------------------


def enrolments_for_household(*, household: Household) -> list[Enrolment]:
    """The enrolments of the household's current members (the caller passed the door), newest
    request first, each with `waiting_position` (0 when not waiting). One query.

    Visibility follows the client's current household, as the door does: an enrolment made while
    the client lived elsewhere moves along with them.
    """
    return list(
        Enrolment.objects.filter(client__household_id=household.pk)
        .select_related("instrument", "instrument__provider", "client")
        .annotate(waiting_position=_waiting_position_annotation())
        .order_by("-requested_at", "-pk")
    )


def enrolment_get_for_actor(
    *,
    actor: Any,
    enrolment_id: object,
    origin: Origin,
    action: str = "instruments.enrolment.read",
    audit_allowed: bool = True,
) -> Enrolment:
    """One enrolment of a client the actor may see through the door (the client's current
    household decides, as for the household list), with `waiting_position`; else
    ClientNotVisible, audited as a refusal. Two queries and the audit row."""
    pk = _as_uuid(enrolment_id)
    enrolment = (
        Enrolment.objects.filter(pk=pk, client__in=clients_visible_to(actor=actor).values("pk"))
        .select_related("instrument", "instrument__provider", "client", "client__household")
        .annotate(waiting_position=_waiting_position_annotation())
        .first()
        if pk
        else None
    )
    if enrolment is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=enrolment,
            subject_id=enrolment.client_id,
            purpose=PURPOSE,
            detail={"instrument": str(enrolment.instrument_id), "status": enrolment.status},
        )
    return enrolment


def enrolment_get(*, enrolment_id: object) -> Enrolment | None:
    """An enrolment by id, NOT yet checked: pass the door with its client_id before use."""
    pk = _as_uuid(enrolment_id)
    if pk is None:
        return None
    return Enrolment.objects.select_related("instrument", "client").filter(pk=pk).first()
