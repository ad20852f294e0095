"""Entity tags and If-Match (RFC 9110): formatting, parsing, strong comparison.

The guarded update itself is tested on a real versioned model in clients/tests/test_services.py.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from meedoen.core.concurrency import (
    ANY,
    ConflictError,
    EntityTag,
    PreconditionRequired,
    etag_for,
    expected_version_from_if_match,
    if_match_passes,
    parse_entity_tags,
    version_check,
)


def _row(version: int, pk: uuid.UUID | None = None) -> SimpleNamespace:
    """Enough of a Versioned instance for etag_for: pk, version and _meta.label_lower."""
    return SimpleNamespace(
        pk=pk or uuid.UUID("01900000-0000-7000-8000-000000000001"),
        version=version,
        _meta=SimpleNamespace(label_lower="clients.client"),
    )


def test_etag_is_strong_quoted_and_carries_the_version():
    tag = etag_for(_row(3))
    assert tag.startswith('"3-')
    assert tag.endswith('"')
    assert not tag.startswith("W/")
    assert parse_entity_tags(tag) == [EntityTag(opaque=tag.strip('"'))]


def test_etag_changes_with_the_version_and_differs_per_record():
    pk = uuid.uuid4()
    assert etag_for(_row(3, pk)) == etag_for(_row(3, pk))
    assert etag_for(_row(3, pk)) != etag_for(_row(4, pk))
    # Same version number, another record: the tag of one never fits the other.
    assert etag_for(_row(1, pk)) != etag_for(_row(1, uuid.uuid4()))


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("*", ANY),
        ('"a"', [EntityTag("a")]),
        ('W/"a"', [EntityTag("a", weak=True)]),
        ('"a", W/"b" ,"c"', [EntityTag("a"), EntityTag("b", weak=True), EntityTag("c")]),
        # A comma inside the quotes belongs to the tag; empty list elements are allowed.
        ('"a,b", , "c"', [EntityTag("a,b"), EntityTag("c")]),
        ('""', [EntityTag("")]),
        ("", []),
        ("  ", []),
    ],
)
def test_parse_valid_headers(header, parsed):
    assert parse_entity_tags(header) == parsed


@pytest.mark.parametrize(
    "header",
    ["a", '"a', 'a"', '"a" "b"', 'w/"a"', '"a"b', '"a" ,x', '*, "a"', '"a b"', '"\x7f"'],
)
def test_parse_invalid_headers(header):
    assert parse_entity_tags(header) is None


def test_if_match_uses_strong_comparison():
    current = etag_for(_row(2))
    opaque = current.strip('"')
    assert if_match_passes(current, current)
    assert if_match_passes(f'"other", {current}', current)
    assert if_match_passes("*", current)
    assert not if_match_passes(f"W/{current}", current)  # weak never matches in If-Match
    assert not if_match_passes(etag_for(_row(1)), current)
    assert not if_match_passes(opaque, current)  # unquoted: not an entity-tag
    assert not if_match_passes("", current)


def test_expected_version_from_if_match():
    row = _row(5)
    assert expected_version_from_if_match(etag_for(row), row) == 5
    assert expected_version_from_if_match("*", row) == 5
    with pytest.raises(PreconditionRequired):
        expected_version_from_if_match(None, row)
    with pytest.raises(PreconditionRequired):
        expected_version_from_if_match("  ", row)
    with pytest.raises(ConflictError) as stale:
        expected_version_from_if_match(etag_for(_row(4)), row)
    assert stale.value.current_version == 5
    with pytest.raises(ConflictError):
        expected_version_from_if_match("garbage", row)


def test_version_check():
    version_check(_row(2), 2)
    with pytest.raises(ConflictError) as conflict:
        version_check(_row(3), 2)
    assert (conflict.value.expected_version, conflict.value.current_version) == (2, 3)
