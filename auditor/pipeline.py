"""The audit pipeline for one input file: read → understand → pick checklist → audit → result.

``audit_source`` is what a worker runs; ``run`` feeds it every input (in parallel with
``jobs`` > 1, the output order always equal to the input order). Results are typed
(:mod:`auditor.result`); workers send them back as JSON bytes, read back with
``report_from_json``.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple, TypeVar

from auditor import __version__
from auditor.checklist import Checklist
from auditor.config import Config, effective
from auditor.deadline import DEFAULT_SECONDS, ReportTimeout, report_deadline
from auditor.document import Document, understand
from auditor.engine import ReportAudit, audit, audit_many, split_phrase, unread_phrase
from auditor.errors import AuditorError, ReadError
from auditor.findings import located
from auditor.readers.model import Extracted
from auditor.report.encode import Ahead, Brief, Encoded, brief, encode
from auditor.result import (
    AnyReport,
    CategoryResult,
    ChecklistInfo,
    ErrorReport,
    Metadata,
    ReadInfo,
    Report,
    ToolInfo,
    dumps,
    report_from_json,
)

MIN_BODY_CHARS = 30

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line (or in auditor.toml)."""

    rules: tuple[str, ...] = ()  # --rules paths: one custom checklist
    checklist: str | None = None  # --checklist NAME (bundled or path)
    year: int | None = None
    level: str | None = None
    published: date | None = None
    from_config: tuple[str, ...] = ()  # which of year/level came from the configuration file (else the command line)
    max_chars: int = 20_000_000
    config: Config = field(default_factory=Config)
    stdin: bytes | None = None
    debug: bool = False  # print the traceback of an internal error (the batch still goes on)
    report_timeout: float = DEFAULT_SECONDS  # seconds one report may take (0: no limit; auditor.deadline)
    in_worker: bool = False  # audited in a worker process, which a report stuck in C code may end (auditor.deadline)
    #: effective checklists per (checklist, level), so the configuration is applied once per run
    memo: dict[tuple[int, str], Checklist] = field(default_factory=dict, compare=False, repr=False)


def tool_info() -> ToolInfo:
    return ToolInfo("auditor", __version__)


def checklist_info(c: Checklist) -> ChecklistInfo:
    return ChecklistInfo(c.id, c.header.version, c.header.title)


def load_for(options: Options) -> list[Checklist]:
    """The checklists a run may use: the chosen one, or every bundled one for auto-selection."""
    from auditor.selection import checklists_for

    return checklists_for(options.rules, options.checklist, options.config)


def _metadata(doc: Document) -> Metadata:
    m = doc.metadata
    return Metadata(
        m.title,
        m.unit,
        m.year,
        m.level,
        m.published.isoformat() if m.published else None,
        m.signed.isoformat() if m.signed else None,
    )


def report_of(
    source: str, read: ReadInfo, doc: Document, checklist: Checklist, result: ReportAudit, reason: str | None = None
) -> Report:
    """The typed result of one audited report."""
    from auditor.document.provenance import FIELDS

    return Report(
        source=source,
        checklist=checklist_info(checklist),
        read=read,
        metadata=_metadata(doc),
        metadata_sources={name: doc.metadata.source(name) for name in FIELDS},
        checklist_reason=reason,
        score=result.score.score,
        grade=result.score.grade,
        grade_capped_by=tuple(result.score.capped_by),
        categories=tuple(
            CategoryResult(c.id, c.title, None if c.score is None else round(c.score, 1), c.weight)
            for c in result.score.categories
        ),
        findings=tuple(result.findings),
    )


def error_report(
    source: str, message: str, checklist: Checklist | None, code: str = "unreadable", exception: str | None = None
) -> ErrorReport:
    """A report that could not be audited: its reason (Chinese, for people) and a stable
    ``error_code`` for tools (``unreadable``, ``internal`` …; ``exception`` for a bug)."""
    return ErrorReport(source, message, code, checklist_info(checklist) if checklist else None, exception)


def internal_message(exc: BaseException, what: str) -> str:
    """The Chinese reason of a bug hit while handling one report (or rule)."""
    return (
        f"{what}时发生内部错误（{type(exc).__name__}），其他报告不受影响；"
        "请加 --debug 重新运行以查看详细信息，并报告此问题"
    )


def debug_trace(source: str, trace: str) -> None:
    """With ``--debug``: the traceback of one report's internal error, on stderr."""
    import sys

    from auditor.printable import one_line

    sys.stderr.write(f"auditor: debug: {one_line(source)}:\n{trace}")
    sys.stderr.flush()


def audit_source(source: str, options: Options, checklists: Sequence[Checklist]) -> AnyReport:
    """Audit one input. A file that cannot be read, and any bug met while reading,
    understanding or auditing it, becomes this report's own entry with an ``error``:
    one bad report costs only itself."""
    return _guarded(source, options, checklists, _audit)


def _guarded(
    source: str,
    options: Options,
    checklists: Sequence[Checklist],
    step: Callable[[str, str, Options, Sequence[Checklist]], tuple[T, list[tuple[str, str]]]],
) -> T | ErrorReport:
    """``step(source, shown, options, checklists)`` under the report's time limit, its (rule,
    traceback) pairs shown with ``--debug``; a file that cannot be read, and any bug met on the way,
    made this report's own error entry."""
    from auditor.printable import display_path

    shown = display_path(source)
    fallback = checklists[0] if len(checklists) == 1 else None
    try:
        with report_deadline(options.report_timeout, kill=options.in_worker):
            done, traces = step(source, shown, options, checklists)
    except ReportTimeout as exc:
        return error_report(
            shown,
            f"本报告处理超过 {exc.seconds:g} 秒仍未完成，已停止（文件可能损坏或被恶意构造）；其他报告不受影响",
            fallback,
            "timeout",
        )
    except ReadError as exc:
        return error_report(shown, str(exc), fallback, exc.code)
    except AuditorError:
        raise  # a fault of the run (configuration, rule files), not of this report: the run stops, exit 2
    except RecursionError as exc:  # a pathologically nested document: this report's problem, not a bug
        return error_report(
            shown,
            "报告结构嵌套过深，无法解析（可能是损坏或被恶意构造的文件）",
            fallback,
            "unreadable",
            type(exc).__name__,
        )
    except MemoryError as exc:
        return error_report(shown, "报告过大，解析时内存不足", fallback, "unreadable", type(exc).__name__)
    except Exception as exc:
        if options.debug:
            import traceback

            debug_trace(shown, traceback.format_exc())
        return error_report(shown, internal_message(exc, "审核本报告"), fallback, "internal", type(exc).__name__)
    if options.debug:
        for rule_id, trace in traces:
            debug_trace(f"{shown} [{rule_id}]", trace)
    return done


@dataclass(frozen=True)
class _Ready:
    """A report read, understood and recognised, its rules still to run."""

    shown: str
    read: ReadInfo
    doc: Document
    checklist: Checklist
    reason: str | None
    locations: Any
    understood: Document  # the document before the checklist's level rules (as comparing reads it again)


def _audit(
    source: str, shown: str, options: Options, checklists: Sequence[Checklist]
) -> tuple[AnyReport, list[tuple[str, str]]]:
    """The report, and the (rule, traceback) of every rule that hit a bug."""
    ready, _ = _prepared(source, shown, options, checklists)
    return _finished(ready, audit(ready.doc, ready.checklist)) if isinstance(ready, _Ready) else (ready, [])


def _prepared(
    source: str, shown: str, options: Options, checklists: Sequence[Checklist]
) -> tuple[_Ready | ErrorReport, list[tuple[str, str]]]:
    """The report read, understood and recognised; or its entry when no checklist fits."""
    extracted, doc = read_understood(source, options)
    if doc.body_chars() < MIN_BODY_CHARS:
        raise ReadError("未找到报告正文（文件为空，或只有网页导航等内容）", hint="请确认文件是报告本身")
    from auditor.doctype import recognise, unrecognized_message

    understood = doc
    doc, choice = recognise(doc, checklists, source)
    if choice.checklist is None:  # no checklist fits with confidence: not scored
        return ErrorReport(
            shown,
            unrecognized_message(checklists, choice.reason),
            "unrecognized",
            checklist_reason=choice.reason,
            with_reason=True,
        ), []
    chosen = choice.checklist
    key = (id(chosen), doc.metadata.level)
    if key not in options.memo:
        options.memo[key] = effective(chosen, options.config, doc.metadata.level)
    read = ReadInfo(extracted.format, extracted.encoding, extracted.pages, _read_note(extracted, doc.split_pages))
    return _Ready(shown, read, doc, options.memo[key], choice.reason, extracted.locations, understood), []


def _read_note(extracted: Extracted, split_pages: int = 0) -> str | None:
    """How the file was read, for a person: its format note, the pages without readable text, and a
    web article's pages that the file does not hold (``Document.split_pages``)."""
    notes = [
        extracted.note,
        unread_phrase(extracted.unread) if extracted.unread else None,
        split_phrase(split_pages) if split_pages else None,
    ]
    return "；".join(n for n in notes if n) or None


def read_understood(source: str, options: Options) -> tuple[Extracted, Document]:
    """A report file read and understood as its audit reads it: with the run's ``--year``, ``--level`` and
    ``--published`` and the file's name (which stands in for a missing title or year). Comparing a report
    with last year's reads it through here too, so both see the same year and the same parts."""
    from auditor.readers import read_document

    extracted = read_document(source, max_chars=options.max_chars, stdin_bytes=options.stdin)
    doc = understand(
        extracted.text,
        year=options.year,
        level=options.level,
        published=options.published,
        from_config=frozenset(options.from_config),
        file_name=source,
        unread=extracted.unread,
    )
    return extracted, doc


def _finished(ready: _Ready, result: ReportAudit) -> tuple[Report, list[tuple[str, str]]]:
    """The report of ``ready`` audited (``result``), and the (rule, traceback) of every rule that hit a bug."""
    if ready.locations is not None:
        result = replace(result, findings=located(result.findings, ready.locations.at))
    traces = [(f.rule_id, f.trace) for f in result.findings if f.trace]
    return report_of(ready.shown, ready.read, ready.doc, ready.checklist, result, ready.reason), traces


def audit_sources(sources: Sequence[str], options: Options, checklists: Sequence[Checklist]) -> list[AnyReport]:
    """:func:`audit_source` of each source (:func:`audit_chunk`)."""
    return audit_chunk(sources, options, checklists, ahead=False).reports


class Chunk(NamedTuple):
    """The reports of a worker's chunk, in order, and the comparisons made ahead among them, by index."""

    reports: list[AnyReport]
    ahead: dict[int, Ahead]


def audit_chunk(sources: Sequence[str], options: Options, checklists: Sequence[Checklist], ahead: bool) -> Chunk:
    """:func:`audit_source` of each source, the rules of the reports that share a checklist evaluated
    rule by rule across them (:func:`auditor.engine.audit_many`: ≈ −9 % of the rules' CPU on a worker's
    chunk). Each report is read, understood and finished under its own time limit and error handling;
    the rules of a group run under one report's limit, and should that pass, or anything go wrong
    there, each report of the group is audited again alone (as :func:`audit_source`): one bad report
    still costs only itself. With ``ahead``, each report paired with last year's report of its unit in the
    chunk is compared with it here, with the documents just read (:mod:`auditor.compare.ahead`)."""
    out: list[AnyReport | None] = [None] * len(sources)
    understood: dict[int, Document] = {}
    groups: dict[int, list[tuple[int, _Ready]]] = {}
    for k, source in enumerate(sources):
        got = _guarded(source, options, checklists, _prepared)
        if isinstance(got, _Ready):
            groups.setdefault(id(got.checklist), []).append((k, got))
        else:
            out[k] = got
    for members in groups.values():
        try:
            with report_deadline(options.report_timeout, kill=options.in_worker):
                audits = audit_many([ready.doc for _, ready in members], members[0][1].checklist)
        except (ReportTimeout, Exception):
            audits = None
        for n, (k, ready) in enumerate(members):
            if audits is None:
                out[k] = audit_source(sources[k], options, checklists)
            else:
                out[k] = _guarded(sources[k], options, checklists, functools.partial(_finish, ready, audits[n]))
                understood[k] = ready.understood
    reports = [_filled(report) for report in out]
    if not ahead or len(understood) < 2:
        return Chunk(reports, {})
    from auditor.compare.ahead import compared_ahead

    try:
        made = compared_ahead(
            reports, understood, checklists, options.config, options.report_timeout, options.in_worker
        )
    except Exception:  # (each comparison's own failure is its outcome) the pairs are compared as usual, later
        made = {}
    return Chunk(reports, made)


def _finish(
    ready: _Ready, result: ReportAudit, source: str, shown: str, options: Options, checklists: Sequence[Checklist]
) -> tuple[Report, list[tuple[str, str]]]:
    return _finished(ready, result)


def _filled(report: AnyReport | None) -> AnyReport:
    if report is None:  # every source's slot is filled above
        raise AssertionError("a report of the chunk was left out")
    return report


# ------------------------------------------------------------------ parallel runs

_WORKER: dict[str, Any] = {}


#: how many objects (net of those freed) a run's process makes before the garbage collector looks for cycles
#: among them (CPython's default: 700). An audit holds a few thousand objects of its report at its peak and
#: frees them by reference counting when it ends: at 700 the collector walked them about once a report to free
#: nothing (≈ 5 % of a worker's CPU); at 10,000 it seldom does, and a report that keeps many objects alive is
#: still looked through as it goes, so its cyclic garbage stays bounded (docs/performance.md, item 69).
YOUNG_GENERATION = 10_000


@contextlib.contextmanager
def paced_collector() -> Iterator[None]:
    """The garbage collector at :data:`YOUNG_GENERATION` for a run (its older generations' thresholds as they
    were), as before afterwards."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (``kill``, ``timeout``, a cancelled CI job) ends a run as Ctrl-C does: a
    KeyboardInterrupt, so the workers are stopped (:class:`Workers`), no output is left
    half-written, one line, exit 130. By default it killed the main process alone: the forked
    workers, each holding the pipe of their tasks open for the others, waited for work for ever,
    and with them whoever read the run's output. (Only the main thread may set a handler.)"""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _init_worker(options: Options, checklists: Sequence[Checklist] | None) -> None:
    """Worker set-up: forked workers get the parent's checklists; spawned ones load them. The collector runs
    at the pace of a run (:func:`paced_collector`: a forked worker has it from its parent already)."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: one line, no tracebacks
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent turns it into Ctrl-C (cli): a worker just ends
    gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])
    _WORKER["options"] = replace(options, in_worker=True)
    _WORKER["checklists"] = checklists if checklists is not None else load_for(options)


def _warm(checklists: Sequence[Checklist]) -> None:
    """Compile every rule regex once in the parent, so forked workers inherit them (the
    workbench's long-lived pool; a batch's workers compile what they meet)."""
    from auditor.matchers.pattern import compile_for_scan
    from auditor.spectree import rule_specs

    for c in checklists:
        for rule in c.rules:
            for _, spec, _ in rule_specs(rule):
                for p in spec.indexed_patterns() + spec.heading_patterns():
                    compile_for_scan(p, c.index)


def safe_encode(source: str, report: AnyReport, indent: bool) -> Encoded:
    """:func:`encode`, but a report that cannot be encoded becomes its own internal error."""
    try:
        return encode(report, indent)
    except Exception as exc:
        return encode(_unencodable(source, exc), indent)


def encodable(source: str, report: AnyReport) -> AnyReport:
    """The report, or its internal error when it cannot be written as JSON (so that writing the
    batch later never fails because of one report)."""
    try:
        dumps(report)
    except Exception as exc:
        return _unencodable(source, exc)
    return report


def _unencodable(source: str, exc: Exception) -> ErrorReport:
    from auditor.printable import display_path

    return error_report(display_path(source), internal_message(exc, "输出本报告"), None, "internal", type(exc).__name__)


def audit_encoded(source: str, options: Options, checklists: Sequence[Checklist], indent: bool) -> Encoded:
    """One report audited and encoded: JSON bytes are far cheaper to pass between processes than
    the pickled dict."""
    return safe_encode(source, audit_source(source, options, checklists), indent)


def audit_encoded_many(
    sources: Sequence[str], options: Options, checklists: Sequence[Checklist], indent: bool, ahead: bool = False
) -> list[Encoded]:
    """:func:`audit_encoded` of each source (a worker's chunk: :func:`audit_chunk`), each brief with its
    comparison made ahead (``ahead``)."""
    chunk = audit_chunk(sources, options, checklists, ahead)
    encoded = [safe_encode(s, r, indent) for s, r in zip(sources, chunk.reports, strict=True)]
    return _with_ahead(encoded, chunk.ahead)


def _with_ahead(results: list[tuple[Brief, T]], ahead: dict[int, Ahead]) -> list[tuple[Brief, T]]:
    """The results, the briefs of those compared ahead with their comparison."""
    for k, made in ahead.items():
        summary, rest = results[k]
        if summary.error is None:  # (a report that could not be encoded is its own error now)
            results[k] = (replace(summary, ahead=made), rest)
    return results


def audit_with(
    source: str, options: Options, checklists: Sequence[Checklist], also: Callable[[AnyReport], T]
) -> tuple[Brief, T]:
    """One report audited, its brief and ``also(report)`` (e.g. its text, made in the worker that
    audited it); a report that cannot be written as JSON or given to ``also`` becomes its own
    internal error (as in every format)."""
    return _with(source, audit_source(source, options, checklists), also)


def audit_with_many(
    sources: Sequence[str],
    options: Options,
    checklists: Sequence[Checklist],
    also: Callable[[AnyReport], T],
    ahead: bool = False,
) -> list[tuple[Brief, T]]:
    """:func:`audit_with` of each source (a worker's chunk: :func:`audit_chunk`), each brief with its
    comparison made ahead (``ahead``)."""
    chunk = audit_chunk(sources, options, checklists, ahead)
    return _with_ahead([_with(s, r, also) for s, r in zip(sources, chunk.reports, strict=True)], chunk.ahead)


def _with(source: str, report: AnyReport, also: Callable[[AnyReport], T]) -> tuple[Brief, T]:
    report = encodable(source, report)  # its bytes are not sent: only known to be writable
    try:
        return brief(report), also(report)
    except Exception as exc:
        failed = _unencodable(source, exc)
        return brief(failed), also(failed)


def run_with(
    sources: Sequence[str],
    options: Options,
    checklists: Sequence[Checklist],
    jobs: int | Workers,
    also: Callable[[AnyReport], T],
    ahead: bool = False,
) -> Iterator[tuple[Brief, T]]:
    """Every report's brief with ``also(report)`` computed where it was audited, in input order (as
    :func:`run_encoded`, without the report's bytes; ``also`` is pickled: a module-level function or
    a partial of one)."""
    work = functools.partial(audit_with, also=also)
    crashed = functools.partial(_crashed_with, also=also)
    many = functools.partial(audit_with_many, also=also, ahead=ahead)
    return _batch(work, crashed, sources, options, checklists, jobs, many)


def _call(work: Callable[[T, Options, Sequence[Checklist]], R], item: T) -> R:
    """One item in a worker, with the options and checklists the worker was started with."""
    return work(item, _WORKER["options"], _WORKER["checklists"])


def crashed(source: str, indent: bool) -> Encoded:
    """The entry of a report whose worker process died (killed, out of memory, a crash in a C library)."""
    return encode(_crashed_report(source), indent)


def _crashed_with(source: str, also: Callable[[AnyReport], T]) -> tuple[Brief, T]:
    report = _crashed_report(source)
    return brief(report), also(report)


def _crashed_report(source: str) -> ErrorReport:
    from auditor.printable import display_path

    message = "审核本报告时处理进程意外终止（可能是内存不足、处理时间过长或文件被恶意构造），其他报告不受影响"
    return error_report(display_path(source), message, None, "internal", "BrokenProcessPool")


#: the most reports a worker audits in one call (:func:`audit_sources`: chunks of 8 take ≈ 9 % off the rules)
CHUNK = 8


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _parallel(sources: Sequence[str], jobs: int | Workers) -> bool:
    return _count(jobs) > 1 and len(sources) >= 4 and "-" not in sources


def _count(jobs: int | Workers) -> int:
    """How many worker processes ``jobs`` stands for: a number, or the run's :class:`Workers`."""
    return jobs.jobs if isinstance(jobs, Workers) else jobs


def run(
    sources: Sequence[str],
    options: Options,
    checklists: Sequence[Checklist],
    jobs: int | Workers,
) -> Iterator[AnyReport]:
    """Audit every source, yielding results in input order (from workers: their JSON, typed again).
    ``jobs``: how many worker processes (a pool of the call's own), or the run's :class:`Workers`."""
    return (report for report, _ in run_ahead(sources, options, checklists, jobs, ahead=False))


def run_ahead(
    sources: Sequence[str], options: Options, checklists: Sequence[Checklist], jobs: int | Workers, ahead: bool
) -> Iterator[tuple[AnyReport, Ahead | None]]:
    """:func:`run`, each report with its comparison made where it was audited (``ahead``: :func:`audit_chunk`)."""
    import orjson

    if not _parallel(sources, jobs):
        yield from _in_chunks(functools.partial(_encodable_many, ahead=ahead), sources, options, checklists)
        return
    for summary, body in run_encoded(sources, options, checklists, jobs, indent=False, ahead=ahead):
        yield report_from_json(orjson.loads(body)), summary.ahead


def run_encoded(
    sources: Sequence[str],
    options: Options,
    checklists: Sequence[Checklist],
    jobs: int | Workers,
    indent: bool,
    ahead: bool = False,
) -> Iterator[Encoded]:
    """Like :func:`run`, but each report comes as ``encode(report, indent)``: for JSON and
    JSON Lines output the main process then splices bytes instead of decoding and re-encoding. With
    ``ahead``, a report paired with last year's in its chunk has its comparison in its brief
    (:mod:`auditor.compare.ahead`)."""
    work = functools.partial(audit_encoded, indent=indent)
    many = functools.partial(audit_encoded_many, indent=indent, ahead=ahead)
    return _batch(work, functools.partial(crashed, indent=indent), sources, options, checklists, jobs, many)


def _batch(
    work: Callable[[str, Options, Sequence[Checklist]], R],
    crashed: Callable[[str], R],
    sources: Sequence[str],
    options: Options,
    checklists: Sequence[Checklist],
    jobs: int | Workers,
    many: Callable[[Sequence[str], Options, Sequence[Checklist]], list[R]] | None = None,
) -> Iterator[R]:
    """``work`` of every source in input order: here, or in the run's :class:`Workers` (``jobs``), or
    in ``jobs`` worker processes of its own, in small chunks that keep the workers evenly busy (given
    ``many``, the same for several sources at once, a chunk is done by one call of it)."""
    if not _parallel(sources, jobs):
        if many is None:
            return (work(s, options, checklists) for s in sources)
        return _in_chunks(many, sources, options, checklists)
    chunk = max(1, min(CHUNK, len(sources) // (_count(jobs) * 16) or 1))
    if isinstance(jobs, Workers):
        return jobs.map(work, sources, crashed, chunk, many)
    return pooled(work, sources, options, checklists, jobs, crashed, chunk, many)


def _encodable_many(
    sources: Sequence[str], options: Options, checklists: Sequence[Checklist], ahead: bool
) -> list[tuple[AnyReport, Ahead | None]]:
    """:func:`audit_chunk`, each report :func:`encodable`, with its comparison made ahead (if any)."""
    chunk = audit_chunk(sources, options, checklists, ahead)
    reports = list(map(encodable, sources, chunk.reports))
    return [(r, chunk.ahead.get(k) if r is chunk.reports[k] else None) for k, r in enumerate(reports)]


def _in_chunks(
    many: Callable[[Sequence[T], Options, Sequence[Checklist]], list[R]],
    items: Sequence[T],
    options: Options,
    checklists: Sequence[Checklist],
) -> Iterator[R]:
    """``many`` of every :data:`CHUNK` items in turn, in this process (``--jobs 1``: the rules run rule by
    rule across a chunk's reports, as in a worker; ≈ −4 % CPU a report)."""
    for start in range(0, len(items), CHUNK):
        yield from many(items[start : start + CHUNK], options, checklists)


def pooled(
    work: Callable[[T, Options, Sequence[Checklist]], R],
    items: Sequence[T],
    options: Options,
    checklists: Sequence[Checklist],
    jobs: int,
    crashed: Callable[[T], R],
    chunk: int = 1,
    many: Callable[[Sequence[T], Options, Sequence[Checklist]], list[R]] | None = None,
) -> Iterator[R]:
    """``work(item, options, checklists)`` of every item in ``jobs`` worker processes of their own, in
    input order (:meth:`Workers.map`)."""
    with Workers(jobs, options, checklists) as workers:
        yield from workers.map(work, items, crashed, chunk, many)


class Workers:
    """The worker processes of one run: every map of the run (its reports, then their comparisons
    with last year's) goes to the same processes, which stay warm between maps (imports, compiled
    patterns) and are forked once. Used as a context manager; the processes end with it."""

    def __init__(self, jobs: int, options: Options, checklists: Sequence[Checklist]) -> None:
        import multiprocessing

        self.jobs, self.options = jobs, options
        self._forking = "fork" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if self._forking else "spawn")
        self._inherited = list(checklists) if self._forking else None
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._pool is not None:
            self._stop() if error is not None else self._pool.shutdown()
            self._pool = None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            if self._forking:
                import gc

                # the loaded checklists stay shared with the forked workers instead of being copied; each
                # worker compiles the rule regexes it meets (in parallel: no _warm here, which costs one core
                # ~55 ms before the fork and spares each worker only ~25 ms on the benchmark corpus)
                gc.freeze()
            self._pool = _pool(self.jobs, self._context, self.options, self._inherited)
        return self._pool

    def _stop(self) -> None:
        if self._pool is not None:
            _stop(self._pool)
            self._pool = None

    def map(
        self,
        work: Callable[[T, Options, Sequence[Checklist]], R],
        items: Sequence[T],
        crashed: Callable[[T], R],
        chunk: int = 1,
        many: Callable[[Sequence[T], Options, Sequence[Checklist]], list[R]] | None = None,
    ) -> Iterator[R]:
        """``work(item, options, checklists)`` of every item in the workers, in input order. ``work``
        must be a module-level function (or a partial of one): it is pickled. Given ``many`` (the same
        for several items at once, in their order), a chunk of items is done by one call of it.

        A worker process that dies (a crash in a C library, the kernel's OOM killer) costs only the
        item it was working on: the pool is restarted, the items that were in flight are done again
        one process each, and the one that kills its process again gets ``crashed(item)``.
        The items are handed to the workers now; their results are waited for as they are read."""
        call = functools.partial(_call, work)
        calls = functools.partial(_call, many) if many is not None else None
        first = None
        if items:
            try:
                first = _mapped(self._started(), call, items, self.jobs, chunk, calls)
            except BrokenProcessPool:  # a worker died between two maps: the results start a new pool
                self._stop()
        return self._results(call, items, crashed, chunk, first, calls)

    def _results(
        self,
        call: Callable[[T], R],
        items: Sequence[T],
        crashed: Callable[[T], R],
        chunk: int,
        first: Iterator[R] | None,
        calls: Callable[[Sequence[T]], list[R]] | None = None,
    ) -> Iterator[R]:
        done = 0
        while done < len(items):
            pool = self._started()
            try:
                mapped = first if first is not None else _mapped(pool, call, items[done:], self.jobs, chunk, calls)
                first = None
                for item in mapped:
                    yield item
                    done += 1
            except BrokenProcessPool:
                self._stop()
                # every item that may have been in flight is done again, alone in its own process
                for s in items[done : done + self.jobs * chunk * 2]:
                    yield _isolated(call, s, crashed, self._context, self.options, self._inherited)
                    done += 1
            except BaseException:  # Ctrl-C, or the consumer stopped: don't wait for the items in flight
                self._stop()
                raise


def _mapped(
    pool: ProcessPoolExecutor,
    work: Callable[[T], R],
    sources: Sequence[T],
    jobs: int,
    chunk: int,
    calls: Callable[[Sequence[T]], list[R]] | None = None,
) -> Iterator[R]:
    """``pool.map`` in input order, in chunks (each one call of ``calls`` when given), except the last
    ``jobs * chunk * 2`` reports, which go one at a time: a chunk that holds a few PDFs costs as much as
    dozens of text reports, and at the end of a batch one worker would otherwise sit idle while another
    finishes such a chunk. Both maps are submitted at once, so the workers never wait between them."""
    tail = min(len(sources), jobs * chunk * 2) if chunk > 1 else 0
    body = sources[: len(sources) - tail]
    if calls is not None and chunk > 1:
        chunks = [body[k : k + chunk] for k in range(0, len(body), chunk)]
        head: Iterator[R] = itertools.chain.from_iterable(pool.map(calls, chunks))
    else:
        head = pool.map(work, body, chunksize=chunk)
    return itertools.chain(head, pool.map(work, sources[len(sources) - tail :]))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down now: pending reports cancelled, running workers killed."""
    import threading
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook

    def quiet(args: threading.ExceptHookArgs) -> None:
        # Python 3.11's pool manager thread fails to mark futures that pool.map already
        # cancelled as broken; that is harmless here, and not worth a traceback on the terminal
        if not isinstance(args.exc_value, InvalidStateError):
            previous(args)

    threading.excepthook = quiet
    manager = getattr(pool, "_executor_manager_thread", None)  # taken now: shutdown forgets it
    results = getattr(pool, "_result_queue", None)
    for pid in list(getattr(pool, "_processes", None) or {}):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    # a worker killed halfway through sending a result leaves the manager thread reading the rest for
    # ever (and the interpreter's exit, which joins that thread, with it); with this process's write end
    # of the result pipe closed too, the dead workers' were the last: the read ends (the pool is broken)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    pool.shutdown(wait=False)  # the pending reports fail as a broken pool; nobody waits for them
    # but the pool's manager thread is let finish (it notices the killed workers at once): at exit,
    # Python 3.11 wakes it through a pipe that thread may be closing at that moment (a traceback)
    if manager is not None:
        manager.join(timeout=5)


def _pool(jobs: int, context: Any, options: Options, inherited: list[Checklist] | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(options, inherited)
    )


def _isolated(
    call: Callable[[T], R],
    item: T,
    crashed: Callable[[T], R],
    context: Any,
    options: Options,
    inherited: list[Checklist] | None,
) -> R:
    """One item in a process of its own; its death is that item's ``crashed(item)``."""
    with _pool(1, context, options, inherited) as pool:
        try:
            return pool.submit(call, item).result()
        except BrokenProcessPool:
            return crashed(item)
