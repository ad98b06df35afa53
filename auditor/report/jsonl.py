"""JSON Lines: one report per line (``{"tool", "report"}``), then skipped files.

U+2028/U+2029 are escaped so that line splitters that honour them (for example
Python's ``str.splitlines``) still see one record per line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from auditor.report.access import Result, reports, skipped


def jsonl_line(record: Mapping[str, Any]) -> str:
    """One record as one JSON line (also used when the CLI streams reports)."""
    return _line(record)


def escape_separators(data: bytes) -> bytes:
    """U+2028/U+2029 escaped in UTF-8 JSON bytes (see the module docstring)."""
    return data.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def _line(record: Mapping[str, Any]) -> str:
    text = orjson.dumps(record).decode("utf-8")  # compact, UTF-8, like json.dumps(ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def render_jsonl(result: Result) -> str:
    tool_info = result.get("tool", {})
    lines = [_line({"tool": tool_info, "report": report}) for report in reports(result)]
    lines += [_line({"tool": tool_info, "skipped": entry}) for entry in skipped(result)]
    return "".join(lines)
