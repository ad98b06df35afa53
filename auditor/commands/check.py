"""``auditor check``: options → inputs → audit (parallel) → outputs → exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from auditor.config import Config, available_cores, bounded_jobs, card_settings, load_config
from auditor.errors import ExitCode, UsageError
from auditor.pipeline import Options, load_for, run, run_encoded, tool_info
from auditor.report.atomic import output_error
from auditor.report.encode import Encoded, TextSink, write_lines
from auditor.report.formats import Format, as_format
from auditor.report.stream import JsonlTarget, open_jsonl
from auditor.result import Skipped
from auditor.selection import chosen_name, chosen_paths
from auditor.vocabulary import LEVELS

FORMATS = tuple(f.value for f in Format)


@dataclass
class CheckArgs:
    paths: list[str]
    rules: list[str] = field(default_factory=list)
    checklist: str | None = None
    formats: list[str] = field(default_factory=list)  # as typed; checked and made Format by _formats
    output: str | None = None
    fail_under: float | None = None
    fail_on: list[str] = field(default_factory=list)
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
    stdin = sys.stdin.buffer.read() if "-" in args.paths else None
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
    )


def _config_int(config: Config, key: str) -> int | None:
    value = config.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UsageError(f"{config.path}: {key} = {value!r} 不是整数", hint=f"例如 {key} = 2023")


def _formats(args: CheckArgs, config: Config) -> list[Format]:
    """The chosen formats, typed, each once: ``--format``, else the configuration's, else text."""
    names = args.formats or list(config.get("formats", [])) or ["text"]
    for name in names:
        if name not in FORMATS:
            raise UsageError(f"未知的输出格式 {name}", hint=f"可用的格式：{', '.join(FORMATS)}")
    return list(dict.fromkeys(as_format(name) for name in names))


def _stream_jsonl(results: Iterable[Encoded], skipped: list[Any], target: JsonlTarget | None, on_report: Any) -> None:
    """Write one line per report as it is produced (bounded memory, resumable)."""
    from auditor.printable import display_path

    entries = [(s.source, Skipped(display_path(s.source), s.reason)) for s in skipped]
    if target is None:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None) or TextSink(sys.stdout)
        write_lines(out, tool_info(), results, [e for _, e in entries], on_report)
        return
    try:
        write_lines(
            target.handle, tool_info(), results, [e for src, e in entries if src not in target.skipped], on_report
        )
    except OSError as exc:
        raise output_error(target.handle.name, exc) from exc


class _Summary:
    """What the exit code needs, kept small while reports stream past."""

    def __init__(self, fail_under: float | None, fail_on: list[str]) -> None:
        self.errors = 0
        self.internal = 0
        self.gate_failed = False
        self.fail_under, self.fail_on = fail_under, fail_on

    def __call__(self, report: dict[str, Any]) -> None:
        from auditor.printable import one_line

        source = one_line(str(report["source"]))
        if "error" in report:
            self.errors += 1
            if report.get("error_code") == "internal":
                self.internal += 1
            sys.stderr.write(f"auditor: error: {source}: {one_line(str(report['error']))}\n")
            return
        if report.get("internal"):
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
        return ExitCode.GATE_FAILED if self.gate_failed else ExitCode.OK


def _gate_reason(report: dict[str, Any], fail_under: float | None, fail_on: list[str]) -> str | None:
    """Why one report fails a gate (in Chinese), or None."""
    from auditor.report.labels import status_label

    score = report["score"]
    if fail_under is not None and (score is None or score < fail_under):
        shown = "无得分" if score is None else f"得分 {score:g}"
        return f"{shown}，低于 --fail-under {fail_under:g}"
    for f in report["findings"]:
        if f["status"] in fail_on:
            label = status_label(f["status"])
            return f"有状态为“{label}”的检查项（--fail-on {f['status']}）"
        if f.get("blocking") and f["status"] == "gap":
            return "有一票否决项缺失"
    return None


R = TypeVar("R", dict[str, Any], Encoded)


def _with_progress(results: Iterator[R], total: int, enabled: bool) -> Iterator[R]:
    from auditor.report import progress

    with progress(total, enabled) as bar:
        for r in results:
            bar.advance((r[0] if isinstance(r, tuple) else r)["source"])
            yield r


def run_check(args: CheckArgs) -> ExitCode:
    from auditor.readers import collect_inputs

    config = Config() if args.no_config else load_config(args.config)
    options = _options(args, config)
    formats = _formats(args, config)
    output = args.output or config.get("output")
    fail_under = args.fail_under if args.fail_under is not None else config.get("fail_under")
    fail_on = args.fail_on or list(config.get("fail_on", []))
    if args.resume and not (formats == [Format.jsonl] and output):
        raise UsageError("--resume 只能与 --format jsonl --output 文件 一起使用", hint="读取该文件，跳过已完成的报告")
    jobs = bounded_jobs(args.jobs if args.jobs is not None else config.get("jobs"), available_cores())
    checklists = load_for(options)
    exclude = [output] if output else []
    sources, skipped = collect_inputs(args.paths, exclude=exclude)
    inputs = sources + [s.source for s in skipped]
    stream = _open_stream(output, args.resume, inputs) if formats == [Format.jsonl] and output else None
    try:
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
            jobs,
            _Summary(fail_under, fail_on),
        )
    finally:
        if stream is not None:
            stream.close()


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
    jobs: int,
    summary: _Summary,
) -> ExitCode:
    from auditor.printable import display_path

    if stream is not None and stream.done:
        sources = [s for s in sources if display_path(s) not in stream.done]
    machine_stdout = output is None and formats != [Format.text]
    show = bool(args.progress if args.progress is not None else (sys.stderr.isatty() and not machine_stdout))
    show = show and len(sources) > 1
    skipped_list = [{"source": display_path(s.source), "reason": s.reason} for s in skipped]
    if formats == [Format.jsonl]:
        encoded = run_encoded(sources, options, checklists, jobs, indent=False)
        _stream_jsonl(_with_progress(encoded, len(sources), show), skipped, stream, summary)
        return summary.exit_code()
    from auditor.report import write_outputs

    reports: list[Any] = []
    if formats == [Format.json] and not (output and Path(output).is_dir()):
        # JSON alone: the workers' bytes are spliced into the document, never decoded here
        import orjson

        for brief, body in _with_progress(
            run_encoded(sources, options, checklists, jobs, indent=True), len(sources), show
        ):
            summary(brief)
            reports.append(orjson.Fragment(body))
    else:
        for r in _with_progress(run(sources, options, checklists, jobs), len(sources), show):
            summary(r)
            reports.append(r)
    result = {"tool": tool_info().to_json(), "reports": reports, "skipped": skipped_list}
    write_outputs(
        result,
        formats,
        output,
        stdout=sys.stdout,
        stdout_is_tty=sys.stdout.isatty(),
        sources=inputs,
        card=card_settings(options.config),
    )
    return summary.exit_code()
