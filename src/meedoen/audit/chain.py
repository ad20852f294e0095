"""The hash chain of the audit trail: canonical serialisation and hashes. Pure, no ORM.

Each event's ``hash`` is SHA-256 over a canonical JSON serialisation (sorted keys, no spaces,
UTF-8) of its non-personal fields, the ``content_hash`` of its personal fields and the previous
event's ``hash``. The personal fields (IP address, user agent, detail) are hashed separately with
a random per-row salt, so that they can be redacted later while the chain still verifies: a
redacted row keeps its ``content_hash`` and loses the salt, which also stops anyone from
recovering a low-entropy value (an IPv4 address) by trying all candidates against the hash.

The serialisation is versioned (``"v"``); change it only by adding a new version that the verifier
also understands, or existing chains stop verifying. See docs/privacy/audit.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

CHAIN_VERSION = 1
GENESIS_HASH = ""  # the prev_hash of the first event of every chain


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def normalise_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as plain JSON types, so the stored value and the hashed value are the same."""
    loaded: dict[str, Any] = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))
    return loaded


def normalise_ip(value: str | None) -> str | None:
    """A valid IP address as text, or None. An invalid REMOTE_ADDR is not stored."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _ip_for_hash(value: str | None) -> str | None:
    # The packed bytes, not the text: how an IPv6 address is written differs between databases
    # and Python versions, its bytes do not.
    return ipaddress.ip_address(value).packed.hex() if value else None


def content_hash(*, salt: str, ip_address: str | None, user_agent: str, detail: Any) -> str:
    payload = {
        "salt": salt,
        "ip": _ip_for_hash(ip_address),
        "user_agent": user_agent,
        "detail": detail,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _timestamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    chain: str,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    actor_role: str,
    action: str,
    object_type: str,
    object_id: str,
    subject_pseudonym: str,
    purpose: str,
    result: str,
    content_hash: str,
    prev_hash: str,
) -> str:
    payload = {
        "v": CHAIN_VERSION,
        "chain": chain,
        "seq": seq,
        "at": _timestamp(at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "actor_role": actor_role,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "subject_pseudonym": subject_pseudonym,
        "purpose": purpose,
        "result": result,
        "content_hash": content_hash,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


# The fields event_hash covers, in the order verification reads them from the database.
HASHED_FIELDS = (
    "municipality_code",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "subject_pseudonym",
    "purpose",
    "result",
    "content_hash",
    "prev_hash",
)
