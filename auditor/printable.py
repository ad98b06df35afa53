"""Text from reports and file names made safe to print on a terminal or a log line.

A file name or a report may contain newlines, ESC/CSI sequences, C1 controls, Unicode
direction overrides or (on Linux) bytes that are not UTF-8. Printed as they are, they could
forge extra stderr lines, recolour or clear the terminal, or crash an encoder. Every such
character is shown as a visible escape (``\\x1b``, ``\\u202e``, ``\\xff`` for a raw byte).
"""

from __future__ import annotations

import re

# C0 controls but tab/newline, DEL, C1 controls, bidi embeddings/overrides/isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\t\n]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every unsafe character escaped; newlines and tabs kept."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` for a single log line: newlines and tabs escaped as well."""
    return _UNSAFE_LINE.sub(_escape, text)


def display_path(path: str) -> str:
    """A path that can be encoded as UTF-8 (JSON, HTML): raw bytes shown as ``\\xff``; the
    rest, newlines included, kept (JSON and HTML escape them; terminals use :func:`one_line`)."""
    try:
        path.encode("utf-8")  # fails exactly when the path holds a surrogate (checked in C, once per report)
    except UnicodeEncodeError:
        return _SURROGATE.sub(_escape, path)
    return path
