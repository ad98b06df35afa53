"""``auditor check``: options → inputs → audit (parallel) → outputs → exit code."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from auditor.config import Config, available_cores, bounded_jobs, card_settings, load_config
from auditor.errors import AuditorError, ExitCode, UsageError
from auditor.pipeline import (
    Options,
    Workers,
    load_for,
    paced_collector,
    run_ahead,
    run_encoded,
    run_with,
    terminated_as_interrupted,
    tool_info,
)
from auditor.readers.source import read_stdin
from auditor.report.atomic import output_error, writing_stdout
from auditor.report.encode import (
    Ahead,
    Brief,
    Encoded,
    EncodedBatch,
    TextSink,
    brief,
    comparison_view,
    write_lines,
)
from auditor.report.formats import Format, as_format
from auditor.report.spool import Piece, Spool
from auditor.report.stream import JsonlTarget, open_jsonl
from auditor.report.text import RenderedText, Tally, batch_end, comparison_text, report_parts, tally, terminal_width
from auditor.result import AnyReport, Batch, Report, Skipped
from auditor.selection import chosen_name, chosen_paths
from auditor.vocabulary import LEVELS, Status

if TYPE_CHECKING:
    from auditor.commands.yoy import Reported
    from auditor.report.draft import JsonDraft


@dataclass
class CheckArgs:
    paths: list[str]
    rules: list[str] = field(default_factory=list)
    checklist: str | None = None
    formats: list[Format] = field(default_factory=list)
    output: str | None = None
    fail_under: float | None = None
    fail_on: list[Status] = field(default_factory=list)
    year: int | None = None
    level: str | None = None
    published: str | None = None
    jobs: int | None = None
    max_chars: int | None = None
    resume: bool = False
    progress: bool | None = None
    config: str | None = None
    no_config: bool = False
    debug: bool = False
    decisions: str | None = None  # a reviewers' decisions file (YAML/JSON)
    strict_decisions: bool = False  # stale or unusable decisions fail the run (exit 1)
    previous: str | None = None  # a folder with last year's reports
    compare: bool = True  # compare each report with last year's when it is known (batch, --previous)


def _options(args: CheckArgs, config: Config) -> Options:
    from_config = tuple(k for k in ("year", "level") if getattr(args, k) is None and config.get(k) is not None)
    if from_config:  # the configuration's year/level, recorded as coming from it
        args = replace(
            args,
            year=args.year if args.year is not None else _config_int(config, "year"),
            level=args.level if args.level is not None else config.get("level"),
        )
    if args.level is not None and args.level not in LEVELS:
        raise UsageError(f"未知的层级 {args.level}", hint=f"可用的层级：{', '.join(LEVELS)}")
    published = None
    if args.published is not None:
        try:
            published = date.fromisoformat(args.published)
        except ValueError as exc:
            raise UsageError(
                f"--published {args.published} 不是日期", hint="格式为 YYYY-MM-DD，例如 2024-03-01"
            ) from exc
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise UsageError(f"--year {args.year} 超出范围", hint="写报告所述的年度，例如 2023")
    rules = chosen_paths(args.rules, config)
    max_chars = args.max_chars or int(config.get("max_chars", 20_000_000))
    if max_chars <= 0:
        raise UsageError("--max-chars 应为正整数", hint="例如 --max-chars 20000000")
    stdin = read_stdin(sys.stdin.buffer, max_chars) if "-" in args.paths else None
    return Options(
        rules=tuple(rules),
        checklist=chosen_name(args.checklist, config),
        year=args.year,
        level=args.level,
        published=published,
        max_chars=max_chars,
        config=config,
        stdin=stdin,
        from_config=from_config,
        debug=args.debug,
        report_timeout=_report_timeout(),
    )


def _report_timeout() -> float:
    """Seconds one report may take: ``AUDITOR_REPORT_TIMEOUT`` (0: no limit), else the default."""
    from auditor.deadline import DEFAULT_SECONDS, ENV, parse_seconds

    value = os.environ.get(ENV)
    try:
        seconds = parse_seconds(value)
    except ValueError:
        raise UsageError(f"环境变量 {ENV}={value} 不是秒数", hint=f"例如 {ENV}=300；0 表示不限时") from None
    return DEFAULT_SECONDS if seconds is None else seconds


def _config_int(config: Config, key: str) -> int | None:
    value = config.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UsageError(f"{config.path}: {key} = {value!r} 不是整数", hint=f"例如 {key} = 2023")


def _formats(args: CheckArgs, config: Config) -> list[Format]:
    """The chosen formats, each once: ``--format``, else the configuration's, else text."""
    chosen = args.formats or [as_format(str(name)) for name in config.get("formats", [])] or [Format.text]
    return list(dict.fromkeys(chosen))


def _stream_jsonl(
    results: Iterable[Encoded], skipped: list[Skipped], target: JsonlTarget | None, on_report: _Summary
) -> None:
    """Write one line per report as it is produced (bounded memory, resumable)."""
    if target is None:
        with writing_stdout():
            sys.stdout.flush()
            out = getattr(sys.stdout, "buffer", None) or TextSink(sys.stdout)
            write_lines(out, tool_info(), results, skipped, on_report)
        return
    try:
        write_lines(
            target.handle, tool_info(), results, [s for s in skipped if s.source not in target.skipped], on_report
        )
    except OSError as exc:
        raise output_error(target.path, exc) from exc


class _Summary:
    """What the exit code needs, kept small while reports stream past."""

    def __init__(self, fail_under: float | None, fail_on: list[Status], strict_decisions: bool = False) -> None:
        self.errors = 0
        self.internal = 0
        self.gate_failed = False
        self.fail_under, self.fail_on = fail_under, fail_on
        self.strict_decisions = strict_decisions
        self.unused_decisions = 0  # stale, unknown rule, not applicable: each warned about on stderr

    def __call__(self, report: Brief) -> None:
        from auditor.printable import one_line

        source = one_line(report.source)
        if report.error is not None:
            self.errors += 1
            if report.error_code == "internal":
                self.internal += 1
            sys.stderr.write(f"auditor: error: {source}: {one_line(report.error)}\n")
            return
        if report.internal:
            self.internal += 1
            sys.stderr.write(f"auditor: error: {source}: 有检查项发生内部错误（见该报告中状态为 error 的项）\n")
        reason = _gate_reason(report, self.fail_under, self.fail_on)
        if reason is not None:
            self.gate_failed = True
            sys.stderr.write(f"auditor: 未通过门槛：{source}：{reason}\n")

    def exit_code(self) -> ExitCode:
        if self.internal:
            return ExitCode.INTERNAL  # a bug wins over a user error and a failed gate
        if self.errors:
            return ExitCode.USER_ERROR
        failed = self.gate_failed or (self.strict_decisions and self.unused_decisions > 0)
        return ExitCode.GATE_FAILED if failed else ExitCode.OK


def _gate_reason(report: Brief, fail_under: float | None, fail_on: list[Status]) -> str | None:
    """Which threshold one report fails (in Chinese, naming the rules), or None. With reviewers'
    decisions the brief holds the reviewed score and statuses (a dismissed gap no longer fails)."""
    score = report.score
    prefix = "复核后" if report.reviewed else ""
    if fail_under is not None and (score is None or score < fail_under):
        shown = "无得分" if score is None else f"得分 {score:g}"
        return f"{prefix}{shown}，低于 --fail-under {fail_under:g}"
    for status in fail_on:
        rules = [rule_id for rule_id, state, _ in report.findings if state is status]
        if rules:
            return f"有 {len(rules)} 项{prefix}“{status.label}”（{'、'.join(rules)}），触发 --fail-on {status.value}"
    blocking = [rule_id for rule_id, state, veto in report.findings if veto and state is Status.gap]
    if blocking:
        return f"一票否决项缺失（{'、'.join(blocking)}）"
    return None


def _load_decisions(path: str) -> list[Any]:
    from auditor.decisions import load_decisions

    return list(load_decisions(path))


class _Decisions:
    """Reviewers' decisions (``--decisions``) applied to each report in this process, after
    auditing and before the gates; every decision not used is one warning line on stderr."""

    def __init__(self, decided: list[Any], options: Options, checklists: list[Any], sources: list[str]) -> None:
        from auditor.printable import display_path

        self.decided = decided
        self.hashed = any(d.entry.sha256 for d in self.decided)  # only then is each file hashed
        self.options, self.checklists = options, checklists
        self.paths = {display_path(s): s for s in sources}

    def _sha256(self, source: str) -> str | None:
        import hashlib

        if not self.hashed or source not in self.paths:
            return None
        path = self.paths[source]
        try:
            data = self.options.stdin if path == "-" else Path(path).read_bytes()
        except OSError:
            return None
        return hashlib.sha256(data or b"").hexdigest()

    def _checklist(self, report: Report) -> Any:
        """The checklist the report was audited with (the configuration applied, as the workers did)."""
        from auditor.config import effective

        chosen = next((c for c in self.checklists if c.id == report.checklist.id), None)
        if chosen is None:
            return None
        level = str(report.metadata.level or "unknown")
        key = (id(chosen), level)
        if key not in self.options.memo:
            self.options.memo[key] = effective(chosen, self.options.config, level)
        return self.options.memo[key]

    def __call__(self, report: AnyReport, summary: _Summary) -> AnyReport:
        import orjson

        from auditor.decisions import apply_decisions, matching
        from auditor.printable import one_line
        from auditor.result import dumps, report_from_json

        if not isinstance(report, Report):
            return report
        data = orjson.loads(dumps(report))
        mine = matching(self.decided, data, self._sha256(report.source))
        checklist = self._checklist(report) if mine else None
        if checklist is None:
            return report  # decisions for reports not in this run are ignored
        applied = apply_decisions(data, mine, checklist)
        for warning in applied.warnings:
            sys.stderr.write(f"auditor: 警告：{one_line(warning)}\n")
        summary.unused_decisions += len(applied.warnings)
        return report_from_json(applied.report)


def _annotated(
    encoded: Iterator[Encoded],
    decisions: _Decisions | None,
    previous: Any,
    paths: dict[str, str],
    options: Options,
    checklists: list[Any],
    summary: _Summary,
) -> Iterator[Encoded]:
    """Streamed reports with their decisions and their comparison with ``--previous`` (a
    stream is never held back: pairs inside the batch are not made in JSON Lines)."""
    import orjson

    from auditor.commands.yoy import comparisons
    from auditor.report.encode import encode
    from auditor.result import report_from_json

    for _, body in encoded:
        report = report_from_json(orjson.loads(body))
        if decisions is not None:
            report = decisions(report, summary)
        if previous is not None and isinstance(report, Report):
            data = orjson.loads(body)
            found = next(
                comparisons(
                    [brief(report).pairing], [data].__getitem__, paths, previous, options, checklists, batch=False
                ),
                None,
            )
            if found is not None:
                report = replace(report, comparison=found[1])
        yield encode(report, False)


#: what the worker that audited a report makes of it for the text format: what comparing it with last
#: year's reads (:func:`comparison_view`), its text (UTF-8) without the 与上年度对比 block, where in those
#: bytes the block goes (:func:`report_parts`), what the footer reads of it
Rendered = tuple[bytes, bytes, int, Tally]

R = TypeVar("R", AnyReport, Encoded, tuple[Brief, Rendered], tuple[AnyReport, Ahead | None])


def _indented(report: Reported, comparison: dict[str, Any]) -> bytes:
    """A report's bytes in ``--format json`` with its comparison, from its bytes without (made where its
    comparison is, for :func:`_spliced`)."""
    from auditor.report.encode import with_comparison

    if not isinstance(report, bytes):
        raise TypeError("a report's indented JSON bytes are needed")
    return with_comparison(report, comparison)


def _rendered(report: AnyReport, *, color: bool, width: int | None) -> Rendered:
    """A report's :data:`Rendered` (in the worker that audited it)."""
    head, tail = report_parts(report, color=color, width=width)
    start = head.encode("utf-8")
    return comparison_view(report), start + tail.encode("utf-8"), len(start), tally(report)


def _with_block(text: bytes, cut: int, comparison: Mapping[str, Any], *, color: bool, width: int | None) -> bytes:
    """A report's text with the 与上年度对比 block of its ``comparison`` put in at ``cut`` (:data:`Rendered`)."""
    block = comparison_text(comparison, color=color, width=width).encode("utf-8")
    return text[:cut] + block + text[cut:]


def _source_of(result: AnyReport | Encoded | tuple[Brief, Rendered] | tuple[AnyReport, Ahead | None]) -> str:
    """The source of a result as the pipeline yields it (a report, or a tuple led by its brief or report)."""
    first: Any = result
    while isinstance(first, tuple):
        first = first[0]
    return str(first.source)


def _with_progress(results: Iterator[R], total: int, enabled: bool) -> Iterator[R]:
    from auditor.report import progress

    with progress(total, enabled) as bar:
        for r in results:
            bar.advance(_source_of(r))
            yield r


def run_check(args: CheckArgs) -> ExitCode:
    from auditor.readers import collect_inputs

    config = Config() if args.no_config else load_config(args.config)
    options = _options(args, config)
    formats = _formats(args, config)
    output = args.output or config.get("output")
    fail_under = args.fail_under if args.fail_under is not None else config.get("fail_under")
    fail_on = args.fail_on or [Status(name) for name in config.get("fail_on", [])]  # checked by config.py
    if args.resume and not (formats == [Format.jsonl] and output):
        raise UsageError("--resume 只能与 --format jsonl --output 文件 一起使用", hint="读取该文件，跳过已完成的报告")
    jobs = bounded_jobs(args.jobs if args.jobs is not None else config.get("jobs"), available_cores())
    checklists = load_for(options)
    decided = _load_decisions(args.decisions) if args.decisions else None  # a bad file stops the run here (exit 2)
    if args.previous:
        from auditor.commands.yoy import require_folder

        require_folder(args.previous)  # before any output is opened
    exclude = [output] if output else []
    _refuse_inputs_in_output(args.paths, output)
    sources, skipped = collect_inputs(args.paths, exclude=exclude)
    inputs = sources + [s.source for s in skipped]
    stream = _open_stream(output, args.resume, inputs) if formats == [Format.jsonl] and output else None
    # the collector, paused for the start-up by cli.main, resumes at a run's pace; what the start-up made lives
    # all run (modules, checklists, inputs) and is frozen out of its scans (as before a fork, pipeline.Workers)
    gc.freeze()
    gc.enable()
    try:
        # forked once, for the batch and its comparisons; the spool holds the reports' bytes until written,
        # or a JSON document is written into its file as the reports come (the draft)
        with (
            terminated_as_interrupted(),
            paced_collector(),
            Workers(jobs, options, checklists) as workers,
            Spool() as spool,
            _draft(formats, output, decided, inputs, skipped) as draft,
        ):
            return _run(
                args,
                options,
                formats,
                output,
                stream,
                sources,
                skipped,
                inputs,
                checklists,
                workers,
                _Summary(fail_under, fail_on, args.strict_decisions),
                spool,
                draft,
                decided,
            )
    finally:
        if stream is not None:
            stream.close()


def _refuse_inputs_in_output(paths: list[str], output: str | None) -> None:
    """An input given in the output folder (or that folder) would be skipped whole as our own output:
    the run audited nothing and exited 0."""
    from auditor.readers.collect import in_output
    from auditor.readers.source import STDIN_PATH

    inside = next((p for p in paths if output and p != STDIN_PATH and in_output(p, output)), None)
    if inside is not None:
        raise UsageError(
            f"要核查的 {inside} 在输出位置 {output} 之内，其中的报告都会被当作输出而跳过",
            hint="请把 --output 指到报告所在的文件夹之外，例如 --output 核查结果",
        )


def _open_stream(output: str, resume: bool, inputs: list[str]) -> JsonlTarget:
    from auditor.report.naming import FIXED_NAMES
    from auditor.report.writer import refuse_inputs

    target = Path(output)
    if target.is_dir():
        target = target / FIXED_NAMES["jsonl"]  # like --format json: a folder gets report.jsonl
    refuse_inputs(inputs, [target])
    return open_jsonl(target, resume)


def _run(
    args: CheckArgs,
    options: Options,
    formats: list[Format],
    output: str | None,
    stream: JsonlTarget | None,
    sources: list[str],
    skipped: list[Any],
    inputs: list[str],
    checklists: list[Any],
    workers: Workers,
    summary: _Summary,
    spool: Spool,
    draft: JsonDraft | None = None,
    decided: list[Any] | None = None,
) -> ExitCode:
    from auditor.printable import display_path

    if stream is not None and stream.done:
        sources = [s for s in sources if display_path(s) not in stream.done]
    decisions = _Decisions(decided, options, checklists, sources) if decided is not None else None
    previous = None
    if args.previous and args.compare:
        from auditor.commands.yoy import audit_previous

        previous = audit_previous(args.previous, options, checklists, workers)
    paths = {display_path(s): s for s in sources}
    machine_stdout = output is None and formats != [Format.text]
    show = bool(args.progress if args.progress is not None else (sys.stderr.isatty() and not machine_stdout))
    show = show and len(sources) > 1
    skipped_list = _listed(skipped)
    if formats == [Format.jsonl]:
        encoded = run_encoded(sources, options, checklists, workers, indent=False)
        if decisions is not None or previous is not None:
            encoded = _annotated(encoded, decisions, previous, paths, options, checklists, summary)
        _stream_jsonl(_with_progress(encoded, len(sources), show), skipped_list, stream, summary)
        return summary.exit_code()
    import orjson

    from auditor.commands.yoy import comparisons
    from auditor.report import write_outputs
    from auditor.result import dumps

    views: list[Mapping[str, Any]] = []  # what pairing with last year's report reads of each
    ahead: list[Ahead | None] = []  # each one's comparison made where it was audited (compare.ahead), if any
    result: Batch | EncodedBatch | RenderedText  # what write_outputs writes (not made with a draft)
    comparing: Iterator[Any] = iter(())  # the comparisons still to finish while the reports are written
    if formats == [Format.json] and not (output and Path(output).is_dir()) and decisions is None:
        # JSON alone: the workers' bytes are spliced into the document, never decoded here
        # (only a report paired with last year's is decoded, to add its comparison)
        store = spool if draft is None else draft
        bodies: list[Piece] = []
        for report_brief, body in _with_progress(
            run_encoded(sources, options, checklists, workers, indent=True, ahead=args.compare), len(sources), show
        ):
            summary(report_brief)
            views.append(report_brief.pairing)
            ahead.append(report_brief.ahead)
            bodies.append(store.put(body))
        if args.compare:
            comparing = comparisons(
                views,
                _read(store, bodies),
                paths,
                previous,
                options,
                checklists,
                workers=workers,
                then=_indented,
                ahead=ahead,
            )
        if draft is None:  # (with a draft the reports are in its file already)
            spliced = _spliced(spool, bodies, comparing)  # written as the comparisons come in
            result = EncodedBatch(tool_info(), spliced, skipped_list, inputs)
    elif formats == [Format.text] and not (output and Path(output).is_dir()) and decisions is None:
        # text alone: each report is rendered by the worker that audited it, cut where a 与上年度对比 block
        # goes; a report paired with last year's is compared from what comparing reads of it (its view,
        # not its JSON) and gets the block of its comparison put in here
        color = output is None and sys.stdout.isatty()  # as writer._stdout_text: colours and the width of a terminal
        width = terminal_width() if color else None
        render = functools.partial(_rendered, color=color, width=width)
        blocks: list[Piece] = []  # each report's text (UTF-8)
        cuts: list[int] = []  # where in it a 与上年度对比 block goes
        tallies: list[Tally] = []  # what the footer reads of each
        compared: list[Piece] = []  # what comparing each with last year's reads (comparison_view)
        for report_brief, (view, text, cut, report_tally) in _with_progress(
            run_with(sources, options, checklists, workers, render, ahead=args.compare), len(sources), show
        ):
            summary(report_brief)
            views.append(report_brief.pairing)
            ahead.append(report_brief.ahead)
            compared.append(spool.put(view))
            blocks.append(spool.put(text))
            cuts.append(cut)
            tallies.append(report_tally)
        if args.compare:
            found = comparisons(
                views, _read(spool, compared), paths, previous, options, checklists, workers=workers, ahead=ahead
            )
            comparing = (
                (i, comparison, _with_block(spool.get(blocks[i]), cuts[i], comparison, color=color, width=width))
                for i, comparison, _ in found
            )
        end = batch_end(Batch(tool_info(), (), skipped_list), tallies, color=color, width=width)
        # written as the comparisons come in, each paired report with its block
        result = RenderedText(itertools.chain(_spliced(spool, blocks, comparing), (end.encode("utf-8"),)), inputs)
    else:
        reports: list[AnyReport] = []
        # the comparisons made where the reports were audited read them unreviewed: used without decisions only
        made_ahead = args.compare and decisions is None
        for r, done in _with_progress(run_ahead(sources, options, checklists, workers, made_ahead), len(sources), show):
            r = decisions(r, summary) if decisions is not None else r
            report_brief = brief(r)
            summary(report_brief)
            views.append(report_brief.pairing)
            ahead.append(done)
            reports.append(r)
        if args.compare:
            found = comparisons(
                views,
                lambda i: orjson.loads(dumps(reports[i])),
                paths,
                previous,
                options,
                checklists,
                workers=workers,
                ahead=ahead,
            )
            for i, comparison, _ in found:
                paired = reports[i]
                if isinstance(paired, Report):  # only audited reports are paired
                    reports[i] = replace(paired, comparison=comparison)
        result = Batch(tool_info(), reports, skipped_list)
    try:
        if draft is not None:  # the reports are in the output file already: each paired one is put in place
            draft.publish((bodies[i], made) for i, _, made in comparing)
        else:
            write_outputs(
                result,
                formats,
                output,
                stdout=sys.stdout,
                stdout_is_tty=sys.stdout.isatty(),
                card=card_settings(options.config),
            )
    except AuditorError:
        for _ in comparing:  # the output failed: every comparison is still finished (and its failure said)
            pass
        raise
    return summary.exit_code()


def _draft(
    formats: list[Format], output: str | None, decided: list[Any] | None, inputs: list[str], skipped: list[Any]
) -> contextlib.AbstractContextManager[JsonDraft | None]:
    """The draft of the JSON document when JSON alone goes to one regular file (see :mod:`auditor.report.draft`);
    else None (the spool)."""
    if formats != [Format.json] or not output or Path(output).is_dir() or decided is not None:
        return contextlib.nullcontext()
    from auditor.report.draft import open_draft
    from auditor.report.encode import json_frame
    from auditor.report.writer import refuse_inputs

    target = Path(output)
    refuse_inputs(inputs, [target])
    return open_draft(target, json_frame(tool_info(), _listed(skipped))) or contextlib.nullcontext()


def _listed(skipped: list[Any]) -> list[Skipped]:
    """The inputs skipped (not reports) as the outputs list them."""
    from auditor.printable import display_path

    return [Skipped(display_path(s.source), s.reason) for s in skipped]


def _read(spool: Spool | JsonDraft, pieces: list[Piece]) -> Callable[[int], bytes]:
    """The i-th report's bytes, read back from the spool (or the draft)."""
    return lambda i: spool.get(pieces[i])


def _spliced(
    spool: Spool, bodies: list[Piece], found: Iterator[tuple[int, Mapping[str, Any], bytes]]
) -> Iterator[bytes]:
    """The reports' bytes (JSON or text) in order, read back from the spool, each paired one (``found``: in
    the order of the reports) as it was made again with its comparison, read from ``found`` only when the
    writing reaches it."""
    paired = next(found, None)
    for i, piece in enumerate(bodies):
        if paired is not None and paired[0] == i:
            yield paired[2]
            paired = next(found, None)
        else:
            yield spool.get(piece)
