"""Helpers for tests that look inside generated files."""

from __future__ import annotations

import re
import zlib


def pdf_inflated(pdf: bytes) -> bytes:
    """The PDF with every compressed stream inflated appended, so a test can look for the
    structure tree, /Lang and /MarkInfo even when WeasyPrint puts the catalogue in an object
    stream. A decompressobj stops at the end of the zlib data by itself: cutting the stream at
    "endstream" instead loses a last byte that happens to be a line break, now and then."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"".join(out)
