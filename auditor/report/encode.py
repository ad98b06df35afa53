"""The one place results become JSON bytes: a report for ``--format json`` (indented, spliced
into the batch document as it is) or a JSON line, and the lines streamed by ``--format jsonl``.

Workers encode their report here (bytes are far cheaper to pass between processes than
objects), so the main process splices bytes and never decodes and re-encodes a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from auditor.result import AnyReport, ErrorReport, Skipped, ToolInfo, dumps

#: (brief, JSON bytes) of one report
Encoded = tuple[dict[str, Any], bytes]


def brief(report: AnyReport) -> dict[str, Any]:
    """What a run needs of a report besides writing it: source, error, score, statuses."""
    out: dict[str, Any] = {
        "source": report.source,
        "score": report.score,
        "findings": [{"status": f.status, "blocking": f.blocking} for f in report.findings],
    }
    if isinstance(report, ErrorReport):
        out["error"] = report.error
        out["error_code"] = report.error_code
    else:  # what pairing a report with last year's reads (auditor.compare.pairing)
        out["checklist"] = {"id": report.checklist.id}
        out["metadata"] = {"unit": report.metadata.unit, "year": report.metadata.year}
        out["metadata_sources"] = {k: v.to_json() for k, v in report.metadata_sources.items() if k in ("unit", "year")}
    if any(f.error_code == "internal" for f in report.findings):
        out["internal"] = True
    return out


def encode(report: AnyReport, indent: bool) -> Encoded:
    """A report as (brief, JSON bytes): indented as inside the "reports" list of ``--format
    json`` (so the bytes can be spliced in as they are), or compact for a JSON line."""
    if not indent:
        return brief(report), dumps(report)
    return brief(report), dumps(report, indent=True).replace(b"\n", b"\n    ")


class Sink(Protocol):
    def write(self, data: bytes, /) -> Any: ...

    def flush(self) -> Any: ...


class TextSink:
    """Bytes written to a text stream that has no binary buffer (e.g. a StringIO)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def write_lines(
    out: Sink, tool: ToolInfo, results: Iterable[Encoded], skipped: Iterable[Skipped], on_report: Any
) -> None:
    """``{"tool": …, "report": …}`` per line, the report's bytes as the worker encoded them, then
    ``{"tool": …, "skipped": …}`` per skipped file; each line flushed as it is written."""
    from auditor.report.jsonl import escape_separators, jsonl_line

    head = b'{"tool":' + dumps(tool) + b',"report":'
    for report_brief, body in results:
        on_report(report_brief)
        out.write(head + escape_separators(body) + b"}\n")
        out.flush()
    for s in skipped:
        out.write(jsonl_line({"tool": tool.to_json(), "skipped": s.to_json()}).encode("utf-8"))
    out.flush()
