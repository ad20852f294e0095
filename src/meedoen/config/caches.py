"""The cache, from one URL (MEEDOEN_CACHE_URL; docs/development/configuration.md).

The cache holds no personal data: today only the API's request counters (the BSN search throttle,
keyed by user id). Those counters must be shared by every web process, or each process counts on
its own and the limit multiplies by the number of processes:

- ``locmem://``  memory of one process: development and the demo (one process);
- ``db://``      a table in the database (``meedoen_cache``, created by core's migration 0001):
                 shared, nothing to install; the production default;
- ``redis://host:6379/0`` or ``rediss://…`` (TLS): Django's Redis cache, shared and fast; needs
                 the Python package ``redis`` (``pip install redis``).
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Also the table core/migrations/0001_cache_table.py creates.
DATABASE_CACHE_TABLE = "meedoen_cache"
KEY_PREFIX = "meedoen"


def cache_from_url(url: str, *, variable: str = "MEEDOEN_CACHE_URL") -> dict[str, Any]:
    """The CACHES["default"] entry for `url`. A bad URL stops start-up with a message that names
    the variable (never a password that the URL may hold)."""
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "meedoen"}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            "KEY_PREFIX": KEY_PREFIX,
        }
    if scheme in ("redis", "rediss"):
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                f"{variable} names a Redis cache, but the Python package 'redis' is not "
                "installed (pip install redis)."
            )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.strip(),
            "KEY_PREFIX": KEY_PREFIX,
        }
    raise ImproperlyConfigured(
        f"{variable} must start with locmem://, db://, redis:// or rediss:// "
        f"(got {scheme + '://' if scheme else 'no scheme'})."
    )
