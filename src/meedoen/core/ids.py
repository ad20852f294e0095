"""Primary keys: time-ordered UUIDs (version 7, RFC 9562) from uuid-utils.

Rows created together get neighbouring keys, so B-tree indexes on ids and foreign keys fill at
their right-hand end instead of at random pages (ADR 0003). A key reveals the millisecond it was
made, nothing more. One generator for the ORM default and the bulk import.
"""

import uuid

import uuid_utils
import uuid_utils.compat


def new_uuid() -> uuid.UUID:
    return uuid_utils.compat.uuid7()


def new_uuid_hex() -> str:
    """The same, as 32 hex characters: cheaper for bulk writes, and both databases accept it."""
    return uuid_utils.uuid7().hex
