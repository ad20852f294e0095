"""Keyed pseudonyms — for analysts' datasets and for the audit trail's subject — one key per
purpose, derived from a key outside the database (settings.PSEUDONYM_KEY, env
MEEDOEN_PSEUDONYM_KEY).

A pseudonym is HMAC-SHA256(purpose key, client id). Without the key nobody can compute it from a
client id or a BSN — not even by trying every valid BSN — and pseudonyms of two purposes cannot
be linked to each other (different keys), so two datasets cannot be joined on them.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from django.conf import settings

# 128 bits: collisions are out of reach for any number of clients a municipality has.
_PSEUDONYM_HEX_CHARS = 32


@cache
def _purpose_key(purpose: str) -> bytes:
    # HKDF-like derivation: the master key never signs anything itself.
    master = settings.PSEUDONYM_KEY.encode()
    return hmac.new(master, b"meedoen-pseudonym:" + purpose.encode(), hashlib.sha256).digest()


def pseudonym_for(*, client_id: object, purpose: str) -> str:
    """The pseudonym of a client for one purpose (e.g. "analytics.monitor")."""
    if not purpose:
        raise ValueError("A pseudonym needs a purpose.")
    message = str(client_id).encode()
    return hmac.new(_purpose_key(purpose), message, hashlib.sha256).hexdigest()[
        :_PSEUDONYM_HEX_CHARS
    ]


def pseudonym_cache_clear() -> None:
    """Forget derived keys (tests that change settings.PSEUDONYM_KEY call this)."""
    _purpose_key.cache_clear()
