"""The output formats and the renderers of the single-file ones.

Every renderer reads the typed result (:class:`auditor.result.Batch`); a result read from a
file (the JSON contract) is typed first by :func:`as_batch`. A renderer's module is imported
when that format is first rendered, so a run that writes JSON never imports the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final, cast

from auditor.errors import UsageError
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

FORMATTERS: Final[Mapping[Format, tuple[str, str]]] = {
    Format.text: ("auditor.report.text", "render_text"),
    Format.json: ("auditor.report.encode", "json_document"),
    Format.jsonl: ("auditor.report.encode", "jsonl_document"),
    Format.markdown: ("auditor.report.markdown", "render_markdown"),
    Format.sarif: ("auditor.report.sarif", "render_sarif"),
    Format.junit: ("auditor.report.junit", "render_junit"),
    Format.csv: ("auditor.report.csvfile", "render_csv"),
    Format.xlsx: ("auditor.report.xlsx", "render_xlsx"),
}
"""The renderer (module, function) of each single-file format; html, pdf and the cards are written as folders."""

MULTI_FILE: Final = frozenset({Format.html, Format.pdf, Format.card, Format.card_pdf})


def renderer(fmt: Format) -> Renderer:
    """The renderer of a single-file format (its module imported now)."""
    module, name = FORMATTERS[fmt]
    return cast(Renderer, getattr(importlib.import_module(module), name))


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
    return renderer(fmt)(as_batch(result))
