"""Reads for user management: the staff accounts and teams a functional admin manages.

Only an active functional admin of a municipality manages staff, and only that municipality's;
for anyone else these accounts do not exist (404, like a client one may not see). Installation
administrators (superuser, or Django-admin staff) are never managed here: they belong to /beheer/.
The guide for functional admins: docs/admin.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.constants import STAFF_ADMIN_ROLES, Role
from meedoen.accounts.models import Team, User
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record


class StaffNotManageable(Http404):
    """A staff account or team that does not exist or that the actor may not manage."""


def actor_may_manage_staff(actor: Any) -> bool:
    """An active functional admin of a municipality (not the installation superuser)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if getattr(actor, "municipality_id", None) is None:
        return False
    return getattr(actor, "role", "") in STAFF_ADMIN_ROLES


def staff_manageable_by(*, actor: Any) -> QuerySet[User]:
    """Every account the actor manages: staff of their own municipality, active or not, except
    installation administrators."""
    if not actor_may_manage_staff(actor):
        return User.objects.none()
    # Clients' portal accounts are not staff (ADR 0015): they are not listed or managed here.
    return User.objects.filter(
        municipality_id=actor.municipality_id, is_superuser=False, is_staff=False
    ).exclude(role=Role.CLIENT)


@dataclass(frozen=True)
class StaffFilter:
    role: str = ""
    team_id: uuid.UUID | None = None
    without_team: bool = False
    active: bool | None = None

    def names(self) -> list[str]:
        """The filters in use, by name only (for the audit row)."""
        used = {
            "role": bool(self.role),
            "team": self.team_id is not None or self.without_team,
            "active": self.active is not None,
        }
        return sorted(name for name, on in used.items() if on)


def staff_list(*, users: QuerySet[User], filters: StaffFilter | None = None) -> QuerySet[User]:
    """The list page: one query per page whatever the number of staff (team joined, whether an
    authenticator app is set up as a subquery), sorted by surname."""
    filters = filters or StaffFilter()
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.without_team:
        users = users.filter(team__isnull=True)
    elif filters.team_id is not None:
        users = users.filter(team_id=filters.team_id)
    if filters.active is not None:
        users = users.filter(is_active=filters.active)
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    return (
        users.select_related("team")
        .annotate(has_totp=Exists(confirmed))
        .order_by("last_name", "first_name", "username", "pk")
    )


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def staff_get_for_actor(
    *, actor: Any, user_id: object, origin: Origin, record_read: bool = False
) -> User:
    """One account the actor manages, or StaffNotManageable (a 404). A functional admin asking
    for an account outside their municipality is audited as a denied read; with `record_read`
    the page that shows the account is audited as a read (`accounts.user.read`)."""
    pk = _as_int(user_id)
    user = None
    if pk is not None:
        confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
        user = (
            staff_manageable_by(actor=actor)
            .select_related("team")
            .annotate(has_totp=Exists(confirmed))
            .filter(pk=pk)
            .first()
        )
    if user is None:
        if actor_may_manage_staff(actor):
            audit_record(
                actor=actor,
                action="accounts.user.read",
                origin=origin,
                result=Result.DENIED,
                detail={"user_id": str(user_id)[:40]},
            )
        raise StaffNotManageable
    if record_read:
        audit_record(actor=actor, action="accounts.user.read", origin=origin, obj=user)
    return user


def teams_manageable_by(*, actor: Any) -> QuerySet[Team]:
    if not actor_may_manage_staff(actor):
        return Team.objects.none()
    return Team.objects.filter(municipality_id=actor.municipality_id)


def team_list(*, teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams by name with their number of active members (one query)."""
    return teams.annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    ).order_by("name")


def team_get_for_actor(*, actor: Any, team_id: object) -> Team:
    try:
        pk = uuid.UUID(str(team_id))
    except ValueError:
        raise StaffNotManageable from None
    team = teams_manageable_by(actor=actor).filter(pk=pk).first()
    if team is None:
        raise StaffNotManageable
    return team


# Work that a colleague must take over before an account stops -------------------------------


@dataclass(frozen=True)
class OpenWork:
    """Something a staff member still holds that a colleague must take over before the account
    is deactivated or leaves casework, such as a caseload. Apps above accounts register it in
    their AppConfig.ready() (accounts may not import them): `staff_open_work_register`."""

    code: str
    # count(*, user) -> how many items the user holds now.
    count: Callable[..., int]
    # A short Dutch description for n items, e.g. "12 huishoudens in caseload".
    summary: Callable[[int], str]
    # A Dutch sentence for n items saying why the change is refused and what to do first.
    refusal: Callable[[int], str]


_OPEN_WORK: dict[str, OpenWork] = {}


def staff_open_work_register(work: OpenWork) -> None:
    """Hand in a kind of open work; registering a code again replaces the earlier one."""
    _OPEN_WORK[work.code] = work


def staff_open_work(*, user: Any) -> list[tuple[OpenWork, int]]:
    """The kinds of work `user` still holds, with their counts (only those above zero)."""
    held = []
    for work in _OPEN_WORK.values():
        count = work.count(user=user)
        if count:
            held.append((work, count))
    return held
