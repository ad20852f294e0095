"""Permissions for API endpoints outside the client door."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meedoen.accounts.constants import IMPORT_ROLES


def actor_may_import(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if actor.municipality_id is None:
        return False
    return actor.role in IMPORT_ROLES


class MayImport(BasePermission):
    """Only the functional admin loads files. For everyone else the endpoint does not exist: a 404,
    as for a client they may not see, so a role's reach cannot be probed (403 would confirm it).
    Put it after IsAuthenticated, so an anonymous caller still gets the usual 401/403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not actor_may_import(request.user):
            raise NotFound
        return True
