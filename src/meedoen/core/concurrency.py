"""Optimistic concurrency: a version per row, a guarded update, and HTTP entity tags.

Two people editing the same record must never silently overwrite each other. The pattern every
edit follows (docs/development/concurrency.md):

1. The model inherits ``meedoen.core.models.Versioned`` (``version``, starting at 1).
2. Whatever shows the record for editing hands out the version it showed: a hidden form field on a
   page, an ``ETag`` header in the API (``etag_for``).
3. The service writes with ``versioned_update``: ``UPDATE … SET …, version = version + 1
   WHERE id = %s AND version = %s``. No row updated means someone else was first: it raises
   ``ConflictError`` and nothing is written.
4. The web answers a conflict with 409 and shows the current values beside what the user typed;
   the API answers a missing ``If-Match`` with 428 and a stale one with 412
   (``expected_version_from_if_match``).

Bulk writers (the import) add ``version = version + 1`` to their own UPDATE statements, so a form
opened before an import gets a conflict too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import F
from django.utils import timezone

from meedoen.core.models import Versioned

ANY: Literal["*"] = "*"


class ConflictError(Exception):
    """The row changed since ``expected_version`` was read (or is gone); nothing was written."""

    def __init__(self, *, expected_version: int | None, current_version: int | None) -> None:
        super().__init__(
            f"stale version {expected_version}; the current version is {current_version}"
        )
        # None when the writer named no version of its own (an If-Match tag that did not match).
        self.expected_version = expected_version
        # None when the row no longer exists.
        self.current_version = current_version


class PreconditionRequired(Exception):
    """An API write came without an ``If-Match`` header (HTTP 428)."""


def version_check(instance: Versioned, expected_version: int) -> None:
    """Raise ConflictError when the row as just read is already past ``expected_version``.

    A cheap early answer before validating input; ``versioned_update`` still guards the write
    itself against a change between this read and the UPDATE.
    """
    if instance.version != expected_version:
        raise ConflictError(expected_version=expected_version, current_version=instance.version)


def versioned_update(
    instance: Versioned, *, expected_version: int, values: Mapping[str, Any]
) -> int:
    """Write ``values`` to the row if it is still at ``expected_version``; returns the new version.

    One statement: ``UPDATE … SET <values>, version = version + 1, updated_at = now
    WHERE id = %s AND version = %s``. On PostgreSQL a concurrent writer of the same row waits for
    the row lock and then re-checks the WHERE against the committed row, so of two edits of
    version 3 exactly one succeeds. When no row matched, ConflictError carries the current
    version (None if the row is gone). ``instance`` is updated in memory on success.
    """
    if "version" in values:
        raise ValueError("versioned_update sets version itself")
    model = type(instance)
    changes = dict(values)
    # QuerySet.update() does not apply auto_now: keep updated_at honest by hand.
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changes.setdefault("updated_at", timezone.now())
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        current = (
            model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        )
        raise ConflictError(expected_version=expected_version, current_version=current)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1
    return instance.version


# HTTP entity tags (RFC 9110, section 8.8.3 and 13.1.1) -----------------------------------------


@dataclass(frozen=True)
class EntityTag:
    opaque: str  # without the quotes
    weak: bool = False

    def __str__(self) -> str:
        return f'{"W/" if self.weak else ""}"{self.opaque}"'


def etag_for(instance: Versioned) -> str:
    """A strong ETag for one row at its version, e.g. ``"3-5f1e0c2a9b7d"``.

    The digest binds the tag to the row: a tag read from another record never matches this one,
    even at the same version number. It hides nothing (the id is public) and needs no key.
    """
    digest = hashlib.sha256(
        f"{instance._meta.label_lower}:{instance.pk}:{instance.version}".encode()
    ).hexdigest()[:12]
    return f'"{instance.version}-{digest}"'


# One entity-tag: optional W/, then a quoted string of etagc (%x21 / %x23-7E / obs-text).
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')


def parse_entity_tags(value: str) -> list[EntityTag] | Literal["*"] | None:
    """The value of If-Match (or If-None-Match): ``"*"``, a list of tags, or None when invalid.

    Lists follow RFC 9110's #rule: comma-separated, optional whitespace, empty elements allowed;
    a comma inside a quoted tag belongs to the tag. An empty value is an empty list.
    """
    text = value.strip(" \t")
    if text == ANY:
        return ANY
    tags: list[EntityTag] = []
    position, end = 0, len(text)
    while position < end:
        if text[position] in ", \t":  # separators, whitespace and empty list elements
            position += 1
            continue
        match = _ENTITY_TAG.match(text, position)
        if match is None:
            return None
        tags.append(EntityTag(opaque=match.group(2), weak=bool(match.group(1))))
        position = match.end()
        while position < end and text[position] in " \t":
            position += 1
        if position < end and text[position] != ",":
            return None  # two tags need a comma between them
    return tags


def if_match_passes(value: str, current: str) -> bool:
    """RFC 9110 13.1.1: true for ``*`` (the record exists) or when a listed tag strongly matches.

    Strong comparison: a weak tag (``W/"…"``) never matches, nor does a header that is not
    valid syntax.
    """
    parsed = parse_entity_tags(value)
    if parsed == ANY:
        return True
    current_tags = parse_entity_tags(current)
    if not parsed or not isinstance(current_tags, list) or len(current_tags) != 1:
        return False
    (target,) = current_tags
    return not target.weak and any(not tag.weak and tag.opaque == target.opaque for tag in parsed)


def expected_version_from_if_match(header: str | None, instance: Versioned) -> int:
    """The version an API write may update, vouched for by its If-Match header.

    Raises PreconditionRequired (428) when the header is absent or empty, ConflictError (412)
    when it does not match the row as just read. The caller then writes with
    ``versioned_update(expected_version=…)``, which still catches a change in between.
    """
    if header is None or not header.strip(" \t"):
        raise PreconditionRequired
    if not if_match_passes(header, etag_for(instance)):
        raise ConflictError(expected_version=None, current_version=instance.version)
    return instance.version
