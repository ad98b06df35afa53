"""The one place results become JSON bytes: a report for ``--format json`` (indented, spliced
into the batch document as it is) or a JSON line, and the lines streamed by ``--format jsonl``.

Workers encode their report here (bytes are far cheaper to pass between processes than
objects), so the main process splices bytes and never decodes and re-encodes a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.result import AnyReport, Batch, ErrorReport, Report, Skipped, ToolInfo, dumps
from auditor.vocabulary import Status


@dataclass(frozen=True)
class Brief:
    """What a run needs of a report besides writing it (exit code, gate, progress)."""

    source: str
    score: float | None
    findings: tuple[tuple[str, Status, bool], ...]  # (rule id, status, blocking) per finding, in order
    error: str | None = None
    error_code: str | None = None
    internal: bool = False  # some rule hit a bug
    reviewed: bool = False  # score and statuses are the reviewed ones (check --decisions)
    #: what pairing the report with last year's reads (auditor.compare.pairing), as in the JSON
    pairing: Mapping[str, Any] = field(default_factory=dict)
    #: its comparison with last year's report, made where both were audited (:class:`Ahead`)
    ahead: Ahead | None = None


@dataclass(frozen=True)
class Ahead:
    """A report's comparison with last year's report of its unit, made where both were audited (one worker's
    chunk held both: ``auditor.compare.ahead``), or why it failed. The run uses it when its own pairing of the
    whole batch chooses the same report of last year on the same grounds; else it compares them as usual."""

    last: str  # last year's report: its source as shown
    inferred: tuple[str, ...]  # what the pairing rests on that was not stated (compare.pairing.Pair.inferred)
    outcome: dict[str, Any] | str  # the ``comparison`` entry, or why comparing failed


#: (brief, JSON bytes) of one report
Encoded = tuple[Brief, bytes]


def brief(report: AnyReport) -> Brief:
    """The :class:`Brief` of a report; with reviewers' decisions applied, the reviewed score and
    statuses (the gates use them: docs/decisions.md)."""
    failed = report if isinstance(report, ErrorReport) else None
    reviewed = None if isinstance(report, ErrorReport) else report.reviewed
    findings = report.findings
    return Brief(
        source=report.source,
        score=reviewed.get("score") if reviewed is not None else report.score,
        findings=tuple([(f.rule_id, f.status if f.review is None else f.review.status, f.blocking) for f in findings]),
        error=failed.error if failed else None,
        error_code=failed.error_code if failed else None,
        internal="internal" in [f.error_code for f in findings],
        reviewed=reviewed is not None,
        pairing=pairing_view(report),
    )


def pairing_view(report: AnyReport) -> dict[str, Any]:
    """What pairing a report with last year's reads of it (:mod:`auditor.compare.pairing`), as in its JSON."""
    pairing: dict[str, Any] = {"source": report.source}
    if isinstance(report, Report):
        pairing |= {
            "checklist": {"id": report.checklist.id},
            "metadata": {"unit": report.metadata.unit, "year": report.metadata.year, "title": report.metadata.title},
            "metadata_sources": {k: v.to_json() for k, v in report.metadata_sources.items() if k in ("unit", "year")},
        }
    else:
        pairing["error"] = report.error
    return pairing


def comparison_view(report: AnyReport) -> bytes:
    """The compact JSON of what comparing a report with last year's reads of it: the :attr:`Brief.pairing`
    view, its score and grade, its categories' id, title and score, its findings' rule id, title and status
    (:mod:`auditor.compare`: ``comparison.side``, ``deltas``, ``paired.compare_pair``), each as in its JSON.
    A few kB instead of the whole report's ≈ 40 kB, for a batch that compares only a few of its reports."""
    view = pairing_view(report)
    if isinstance(report, Report):
        view |= {
            "score": report.score,
            "grade": report.grade,
            "categories": [{"id": c.id, "title": c.title, "score": c.score} for c in report.categories],
            "findings": [{"rule_id": f.rule_id, "title": f.title, "status": f.status} for f in report.findings],
        }
    return dumps(view)


#: a report indented inside a list inside a list is indented as inside the "reports" list of
#: ``--format json``: its bytes are those of the whole minus this head and tail
_NESTED_HEAD = b"[\n  [\n    "
_NESTED_TAIL = b"\n  ]\n]"


def encode(report: AnyReport, indent: bool) -> Encoded:
    """A report as (brief, JSON bytes): indented as inside the "reports" list of ``--format
    json`` (so the bytes can be spliced in as they are), or compact for a JSON line. The
    indented bytes are cut out of the report written two lists deep (no pass that indents
    every line again)."""
    if not indent:
        return brief(report), dumps(report)
    nested = dumps([[report]], indent=True)
    return brief(report), nested[len(_NESTED_HEAD) : -len(_NESTED_TAIL)]


#: a report's comparison as :func:`encode` indents it (the report's last key), cut out of its entry alone
_KEY = b'\n      "comparison": '
_ENTRY_HEAD = b"[\n  [\n    {" + _KEY
_ENTRY_TAIL = b"\n    }\n  ]\n]"
_REPORT_END = b"\n    }"


def with_comparison(indented: bytes, comparison: Mapping[str, Any]) -> bytes:
    """The indented bytes :func:`encode` makes of a report given its ``comparison``, made from the report's
    indented bytes without one: the comparison's bytes go in before the closing brace (it is the last key of
    a report's JSON), nothing is decoded or encoded again."""
    if not indented.endswith(_REPORT_END) or _KEY in indented:
        raise ValueError("not the indented bytes of a report without a comparison")
    entry = dumps([[{"comparison": comparison}]], indent=True)
    value = entry[len(_ENTRY_HEAD) : -len(_ENTRY_TAIL)]
    return b"".join((indented[: -len(_REPORT_END)], b",", _KEY, value, _REPORT_END))


@dataclass(frozen=True)
class EncodedBatch:
    """A run whose reports the workers already encoded (indented, for ``--format json`` alone):
    the document is written by splicing their bytes, never decoding them. ``reports`` is read
    once, in order, as the document is written (it may still be finishing the last ones)."""

    tool: ToolInfo
    reports: Iterable[bytes]
    skipped: Sequence[Skipped]
    sources: Sequence[str]  # of the reports: an output never overwrites an input


def json_document(batch: Batch | EncodedBatch) -> bytes:
    """The ``--format json`` document of a run (UTF-8, indented, with a final newline)."""
    if isinstance(batch, Batch):
        return dumps(batch, indent=True) + b"\n"
    return b"".join(json_pieces(batch))


#: what stands for the reports in the frame of the document (orjson never writes a raw NUL)
_REPORTS = b"\x00"
#: between two reports of the "reports" list, as orjson indents a list two levels deep
_BETWEEN = b",\n    "


def json_frame(tool: ToolInfo, skipped: Sequence[Skipped]) -> tuple[bytes, bytes, bytes, bytes]:
    """The frame of a ``--format json`` document with reports: (head, between two reports, tail), and
    the whole document of a run without reports; the reports' indented bytes go between head and tail."""
    import orjson

    def document(reports: list[Any]) -> bytes:
        frame = {"tool": tool.to_json(), "reports": reports, "skipped": [s.to_json() for s in skipped]}
        return orjson.dumps(frame, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)

    head, tail = document([orjson.Fragment(_REPORTS)]).split(_REPORTS)
    return head, _BETWEEN, tail, document([])


def json_pieces(batch: EncodedBatch) -> Iterator[bytes]:
    """The ``--format json`` document of an encoded batch in pieces, each report's bytes as they
    come (nothing joined): the document orjson writes with the reports spliced in, byte for byte."""
    head, between, tail, empty = json_frame(batch.tool, batch.skipped)
    reports = iter(batch.reports)
    first = next(reports, None)
    if first is None:
        yield empty
        return
    yield head
    yield first
    for body in reports:
        yield between
        yield body
    yield tail


def escape_separators(data: bytes) -> bytes:
    """U+2028/U+2029 escaped in UTF-8 JSON bytes: line splitters that honour them (for example
    Python's ``str.splitlines``) still see one JSON Lines record per line."""
    return data.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def report_line(tool: ToolInfo, body: bytes) -> bytes:
    """``{"tool": …, "report": …}`` with a report's compact bytes."""
    return b'{"tool":' + dumps(tool) + b',"report":' + escape_separators(body) + b"}\n"


def skipped_line(tool: ToolInfo, skipped: Skipped) -> bytes:
    """``{"tool": …, "skipped": …}``."""
    return escape_separators(dumps({"tool": tool, "skipped": skipped})) + b"\n"


def jsonl_document(batch: Batch) -> bytes:
    """Every report, then every skipped file, one JSON line each."""
    lines = [report_line(batch.tool, dumps(r)) for r in batch.reports]
    lines += [skipped_line(batch.tool, s) for s in batch.skipped]
    return b"".join(lines)


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
    out: Sink,
    tool: ToolInfo,
    results: Iterable[Encoded],
    skipped: Iterable[Skipped],
    on_report: Callable[[Brief], object],
) -> None:
    """``{"tool": …, "report": …}`` per line, the report's bytes as the worker encoded them, then
    ``{"tool": …, "skipped": …}`` per skipped file; each line flushed as it is written."""
    for report_brief, body in results:
        on_report(report_brief)
        out.write(report_line(tool, body))
        out.flush()
    for s in skipped:
        out.write(skipped_line(tool, s))
    out.flush()
