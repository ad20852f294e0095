"""BSN handling: validation (11-proef), keyed lookup hash, encryption at rest, masking.

The BSN is stored only encrypted, and found only through a keyed HMAC. Both keys come from the
environment (settings.BSN_ENCRYPTION_KEY / BSN_HASH_KEY), never from the database, so a database
dump alone reveals no BSN, and nobody can rebuild the lookup hashes by trying all 9-digit numbers
without the key. Never log, print or put a BSN in a URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

_NONCE_BYTES = 12


def bsn_normalise(value: str) -> str | None:
    """The 9-digit BSN for `value`, or None when it is not a valid BSN (11-proef)."""
    try:
        return str(stdnum_bsn.validate(value))
    except StdnumValidationError:
        return None


def bsn_from_query(query: str) -> str | None:
    """The BSN a search query stands for, or None when the query is not a BSN.

    At least 8 digits (spaces and dots ignored): python-stdnum zero-pads shorter numbers, so the
    postcode digits 2525 would otherwise pass the 11-proef as BSN 000002525.
    """
    digits = query.replace(" ", "").replace(".", "")
    if not digits.isdigit() or len(digits) < 8:
        return None
    return bsn_normalise(digits)


@cache
def _hash_key() -> bytes:
    return hashlib.sha256(b"meedoen-bsn-hash:" + settings.BSN_HASH_KEY.encode()).digest()


@cache
def _aead() -> AESGCM:
    key = hashlib.sha256(b"meedoen-bsn-enc:" + settings.BSN_ENCRYPTION_KEY.encode()).digest()
    return AESGCM(key)


def bsn_hash(bsn: str) -> str:
    """Keyed lookup hash of a normalised BSN: equal BSNs hash alike, and only with the key."""
    return hmac.new(_hash_key(), bsn.encode(), hashlib.sha256).hexdigest()


def bsn_encrypt(bsn: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    return base64.b64encode(nonce + _aead().encrypt(nonce, bsn.encode(), None)).decode()


def bsn_decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return _aead().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()


def bsn_mask(bsn: str) -> str:
    """Show only the last three digits, as on Dutch letters: *****·123."""
    return "•••••" + bsn[-3:] if len(bsn) >= 3 else "•••"


def bsn_cache_clear() -> None:
    """Forget derived keys (tests that change the key settings call this)."""
    _hash_key.cache_clear()
    _aead.cache_clear()
