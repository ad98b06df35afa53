"""Text clean-up shared by formats with strict character sets (XML, XLSX)."""

from __future__ import annotations

import re
from typing import Final

# Characters XML 1.0 (and so JUnit, XLSX and HTML parsers) cannot carry.
_ILLEGAL_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: object) -> str:
    """``str(value)`` without the characters XML 1.0 forbids."""
    return _ILLEGAL_XML.sub("\ufffd", "" if value is None else str(value))


def one_line(value: object) -> str:
    """Collapse all whitespace runs (newlines included) into single spaces."""
    return " ".join(xml_safe(value).split())


def shorten(value: object, limit: int) -> str:
    """One line, at most ``limit`` characters, with an ellipsis when cut."""
    text = one_line(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def terminal_safe(value: object) -> str:
    """Text whose control characters (ESC included), direction overrides and raw bytes are shown
    as visible escapes, so that it cannot drive a terminal (see :mod:`auditor.printable`)."""
    from auditor.printable import terminal_text

    return terminal_text("" if value is None else str(value))
