"""The output formats and the renderers of the single-file ones.

Every renderer reads the typed result (:class:`auditor.result.Batch`); a result read from a
file (the JSON contract) is typed first by :func:`as_batch`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

from auditor.errors import UsageError
from auditor.report.csvfile import render_csv
from auditor.report.encode import json_document, jsonl_document
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.sarif import render_sarif
from auditor.report.text import render_text
from auditor.report.xlsx import render_xlsx
from auditor.result import Batch, batch_from_json


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"
    pdf = "pdf"
    card = "card"  # the one-page card per report (report/card.py), HTML
    card_pdf = "card-pdf"  # the same cards as PDF


Renderer = Callable[[Batch], str | bytes]

FORMATTERS: Final[Mapping[Format, Renderer]] = {
    Format.text: render_text,
    Format.json: json_document,
    Format.jsonl: jsonl_document,
    Format.markdown: render_markdown,
    Format.sarif: render_sarif,
    Format.junit: render_junit,
    Format.csv: render_csv,
    Format.xlsx: render_xlsx,
}
"""Renderers of the single-file formats; html, pdf and the cards are written as folders."""

MULTI_FILE: Final = frozenset({Format.html, Format.pdf, Format.card, Format.card_pdf})


def as_format(value: Format | str) -> Format:
    """A :class:`Format` from its name, or a UsageError listing the valid names."""
    try:
        return Format(value)
    except ValueError:
        names = ", ".join(f.value for f in Format)
        raise UsageError(f"未知的输出格式 {value}", hint=f"可用的格式：{names}") from None


def as_batch(result: Batch | Mapping[str, Any]) -> Batch:
    """The typed result; a ``--format json`` document (read from a file) is typed first."""
    return result if isinstance(result, Batch) else batch_from_json(result)


def render(result: Batch | Mapping[str, Any], fmt: Format) -> str | bytes:
    """One single-file format as text (UTF-8 bytes for json and jsonl, bytes for xlsx); html/pdf
    need :func:`write_outputs`."""
    if fmt in MULTI_FILE:
        raise UsageError(
            f"{fmt.value} 格式输出的是一个文件夹（多个文件）",
            hint=f"用 --output 文件夹 配合 --format {fmt.value}",
        )
    return FORMATTERS[fmt](as_batch(result))
