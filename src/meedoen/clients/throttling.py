"""One limit on searching by BSN per user, shared by the web search and the API
(docs/privacy/authentication.md).

A search by BSN answers whether a person is a client one may see. Without a limit, a stolen or
curious account could try BSNs one after another; the 11-proef leaves about 90 million candidates,
so a limit per user makes such a walk take years and leaves a trail of denied rows in the audit log.

The counters live in the cache (settings.CACHES, MEEDOEN_CACHE_URL), keyed by user id: no BSN.
DRF's throttle works on a plain Django request too, which is how the web view uses it.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class BsnSearchThrottle(UserRateThrottle):
    """Searches by BSN per user, at settings.API_BSN_SEARCH_RATE (MEEDOEN_API_BSN_SEARCH_RATE)."""

    scope = "bsn_search"

    def get_rate(self) -> str:
        # Read at each request rather than from REST_FRAMEWORK at import, so a changed setting
        # (a test, a reload) takes effect.
        return str(settings.API_BSN_SEARCH_RATE)
