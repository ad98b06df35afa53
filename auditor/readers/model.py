"""Result types of the input layer: what a reader returns and what a folder walk skips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from auditor.document.location import SourceMap


@dataclass(frozen=True)
class Extracted:
    """The plain text of one input report.

    ``text`` has ``"\\n"`` line ends only and no BOM; offsets and line numbers in findings
    refer to this exact string.
    """

    text: str
    format: str  # "txt" | "md" | "docx" | "doc" | "wps" | "pdf" | "html" | "ofd"
    encoding: str | None  # the codec used for text formats; None for docx/pdf/ofd
    pages: int | None  # the page count of a PDF, else None
    note: str | None = None  # how the file was read when its content is not what its extension says
    locations: SourceMap | None = None  # where each offset of ``text`` is in the author's file
    #: pages (1-based) without readable text between pages with text: a scanned page in a PDF
    unread: tuple[int, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input path that :func:`collect_inputs` left out, with a short reason in Chinese (shown to supervisors)."""

    source: str
    reason: str


class RawText(NamedTuple):
    """What a single-format reader hands back before the common clean-up."""

    text: str
    encoding: str | None = None
    pages: int | None = None
    locations: SourceMap | None = None  # offsets of ``text`` → places in the file
    unread: tuple[int, ...] = ()  # pages (1-based) without text between pages with text
