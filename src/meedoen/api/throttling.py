"""A limit on searching by BSN (POST /api/v1/clients/search/): docs/privacy/authentication.md.

A search by BSN answers whether a person is a client one may see. Without a limit, a stolen or
curious account could try BSNs one after another; the 11-proef leaves about 90 million candidates,
so a limit per user makes such a walk take years and leaves a trail of denied rows in the audit log.

The counter is the one the web search uses too (clients/throttling.py), so a user has one budget.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import Throttled

from meedoen.clients.throttling import BsnSearchThrottle

__all__ = ["THROTTLED", "BsnSearchThrottle", "BsnSearchThrottled"]

THROTTLED = OpenApiResponse(
    description=_(
        "Te veel zoekopdrachten op BSN in korte tijd. De header Retry-After zegt na hoeveel "
        "seconden u weer kunt zoeken."
    )
)


class BsnSearchThrottled(Throttled):
    """429 with a Dutch message; DRF's exception handler adds the Retry-After header."""

    default_code = "throttled"

    def __init__(self, wait: float | None) -> None:
        seconds = math.ceil(wait) if wait is not None else None
        if seconds is None:
            detail: Any = _("Te veel zoekopdrachten op BSN. Probeer het later opnieuw.")
        else:
            detail = ngettext(
                "Te veel zoekopdrachten op BSN. Probeer het over %(wait)s seconde opnieuw.",
                "Te veel zoekopdrachten op BSN. Probeer het over %(wait)s seconden opnieuw.",
                seconds,
            ) % {"wait": seconds}
        super().__init__(detail=str(detail))
        self.wait = seconds
