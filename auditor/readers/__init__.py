"""The input layer: turn any file a supervisor receives into plain text.

* :func:`read_document` reads one report (plain text in any common Chinese/Unicode encoding,
  Markdown, .docx, legacy .doc/.wps via LibreOffice, PDF with a text layer, saved web pages,
  OFD) into an :class:`Extracted`; every bad input raises :class:`auditor.errors.ReadError`.
* :func:`collect_inputs` expands files and folders into the report files to read, listing
  what it skipped (:class:`Skipped`) and why.

Formats are recognized by content; the extension is only a hint. Heavy parsing libraries are
imported only when a file of their format is read.
"""

from __future__ import annotations

from auditor.readers.collect import collect_inputs
from auditor.readers.dispatch import DEFAULT_MAX_CHARS, read_document
from auditor.readers.model import Extracted, Skipped

__all__ = ["DEFAULT_MAX_CHARS", "Extracted", "Skipped", "collect_inputs", "read_document"]
