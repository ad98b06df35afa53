"""``auditor check``: options → inputs → audit (parallel) → outputs → exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from auditor.config import LEVELS, Config, load_config
from auditor.errors import ExitCode, UsageError
from auditor.pipeline import Options, default_jobs, load_for, run, run_encoded, tool_info

FORMATS = ("text", "json", "jsonl", "markdown", "sarif", "junit", "csv", "xlsx", "html", "pdf")


@dataclass
class CheckArgs:
    paths: list[str]
    rules: list[str] = field(default_factory=list)
    checklist: str | None = None
    formats: list[str] = field(default_factory=list)
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


def _options(args: CheckArgs, config: Config) -> Options:
    from_config = tuple(k for k in ("year", "level") if getattr(args, k) is None and config.get(k) is not None)
    if from_config:  # the configuration's year/level, recorded as coming from it
        args = replace(args, year=args.year if args.year is not None else _config_int(config, "year"),
                       level=args.level if args.level is not None else config.get("level"))
    if args.level is not None and args.level not in LEVELS:
        raise UsageError(f"unknown level {args.level!r}", hint=f"use one of: {', '.join(LEVELS)}")
    published = None
    if args.published is not None:
        try:
            published = date.fromisoformat(args.published)
        except ValueError as exc:
            raise UsageError(f"--published {args.published!r} is not a date", hint="write it as YYYY-MM-DD") from exc
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise UsageError(f"--year {args.year} is out of range", hint="the year reported on, e.g. 2023")
    rules = args.rules or list(config.get("rules_paths", []))
    max_chars = args.max_chars or int(config.get("max_chars", 20_000_000))
    if max_chars <= 0:
        raise UsageError("--max-chars must be positive")
    stdin = sys.stdin.buffer.read() if "-" in args.paths else None
    return Options(rules=tuple(rules), checklist=args.checklist or config.get("checklist"), year=args.year,
                   level=args.level, published=published, max_chars=max_chars, config=config, stdin=stdin,
                   from_config=from_config)


def _config_int(config: Config, key: str) -> int | None:
    value = config.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UsageError(f"{config.path}: {key} = {value!r} is not a whole number", hint=f"e.g. {key} = 2023")


def _formats(args: CheckArgs, config: Config) -> list[str]:
    formats = args.formats or list(config.get("formats", [])) or ["text"]
    for f in formats:
        if f not in FORMATS:
            raise UsageError(f"unknown format {f!r}", hint=f"use one of: {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def _gate(reports: list[dict[str, Any]], fail_under: float | None, fail_on: list[str]) -> bool:
    """True when a gate fails: a score below the threshold, a status in fail_on, a blocking gap."""
    for r in reports:
        if "error" in r:
            continue
        if fail_under is not None and (r["score"] is None or r["score"] < fail_under):
            return True
        for f in r["findings"]:
            if f["status"] in fail_on or (f.get("blocking") and f["status"] == "gap"):
                return True
    return False


def _already_done(output: str | None) -> set[str]:
    if not output or not Path(output).is_file():
        return set()
    done = set()
    with Path(output).open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by an interruption is audited again
            if "report" in rec:
                done.add(rec["report"]["source"])
    return done


Encoded = tuple[dict[str, Any], bytes]  # (brief, JSON bytes) of one report: see pipeline.encode


def _stream_jsonl(results: Iterable[Encoded], skipped: list[Any], output: str | None, resume: bool,
                  on_report: Any) -> None:
    """Write one line per report as it is produced (bounded memory, resumable)."""
    if output is None:
        sys.stdout.flush()
        _write_lines(getattr(sys.stdout, "buffer", None) or _TextSink(sys.stdout), results, skipped, on_report)
        return
    target = Path(output)
    needs_newline = resume and target.is_file() and target.stat().st_size > 0 and not _ends_with_newline(target)
    with target.open("ab" if resume else "wb") as out:
        if needs_newline:
            out.write(b"\n")  # the last line was cut by an interruption; it is audited again
        _write_lines(out, results, skipped, on_report)


class _TextSink:
    """Bytes written to a text stream that has no binary buffer (e.g. a StringIO)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def _write_lines(out: Any, results: Iterable[Encoded], skipped: list[Any], on_report: Any) -> None:
    """``{"tool": …, "report": …}`` per line, the report's bytes as the worker encoded them."""
    import orjson

    from auditor.report.jsonl import escape_separators, jsonl_line

    head = b'{"tool":' + orjson.dumps(tool_info()) + b',"report":'
    for brief, body in results:
        on_report(brief)
        out.write(head + escape_separators(body) + b"}\n")
        out.flush()
    for s in skipped:
        out.write(jsonl_line({"tool": tool_info(), "skipped": {"source": s.source, "reason": s.reason}}).encode("utf-8"))


def _ends_with_newline(p: Path) -> bool:
    with p.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) == b"\n"


class _Summary:
    """What the exit code needs, kept small while reports stream past."""

    def __init__(self, fail_under: float | None, fail_on: list[str]) -> None:
        self.errors = 0
        self.gate_failed = False
        self.fail_under, self.fail_on = fail_under, fail_on

    def __call__(self, report: dict[str, Any]) -> None:
        if "error" in report:
            self.errors += 1
            sys.stderr.write(f"auditor: error: {report['source']}: {report['error']}\n")
        elif _gate([report], self.fail_under, self.fail_on):
            self.gate_failed = True


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
    if args.resume and not (formats == ["jsonl"] and output):
        raise UsageError("--resume works with --format jsonl --output FILE", hint="the file is read to skip finished reports")
    checklists = load_for(options)
    exclude = [output] if output else []
    sources, skipped = collect_inputs(args.paths, exclude=exclude)
    done = _already_done(output) if args.resume else set()
    sources = [s for s in sources if s not in done]
    jobs = args.jobs or int(config.get("jobs", 0)) or default_jobs()
    machine_stdout = output is None and formats != ["text"]
    show = bool(args.progress if args.progress is not None else (sys.stderr.isatty() and not machine_stdout))
    show = show and len(sources) > 1
    summary = _Summary(fail_under, fail_on)
    skipped_list = [{"source": s.source, "reason": s.reason} for s in skipped]
    if formats == ["jsonl"]:
        encoded = run_encoded(sources, options, checklists, jobs, indent=False)
        _stream_jsonl(_with_progress(encoded, len(sources), show), skipped, output, args.resume, summary)
    else:
        from auditor.report import write_outputs

        written: list[str] | None = None  # sources of pre-encoded reports
        reports: list[Any] = []
        if formats == ["json"] and not (output and Path(output).is_dir()):
            # JSON alone: the workers' bytes are spliced into the document, never decoded here
            import orjson

            written = []
            for brief, body in _with_progress(run_encoded(sources, options, checklists, jobs, indent=True),
                                              len(sources), show):
                summary(brief)
                written.append(brief["source"])
                reports.append(orjson.Fragment(body))
        else:
            for r in _with_progress(run(sources, options, checklists, jobs), len(sources), show):
                summary(r)
                reports.append(r)
        result = {"tool": tool_info(), "reports": reports, "skipped": skipped_list}
        write_outputs(result, formats, output, stdout=sys.stdout, stdout_is_tty=sys.stdout.isatty(), sources=written)
    if summary.errors:
        return ExitCode.USER_ERROR
    return ExitCode.GATE_FAILED if summary.gate_failed else ExitCode.OK
