"""Output formats for audit results.

Everything here reads the typed result (:class:`auditor.result.Batch`); a result read
from a file (the JSON contract) is typed first. Importing this package is cheap: rich,
jinja2, openpyxl and WeasyPrint are imported by the formats that need them, when they render.

The CLI calls :func:`write_outputs`; :func:`render` returns one single-file
format as text (bytes for json, jsonl and xlsx).
"""

from __future__ import annotations

from auditor.report.formats import FORMATTERS, MULTI_FILE, Format, render
from auditor.report.naming import FIXED_NAMES, report_stems
from auditor.report.progress import progress
from auditor.report.writer import write_outputs

__all__ = [
    "FIXED_NAMES",
    "FORMATTERS",
    "MULTI_FILE",
    "Format",
    "progress",
    "render",
    "report_stems",
    "write_outputs",
]
