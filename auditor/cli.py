"""Command line: ``auditor check``, ``auditor text``, ``auditor rules …``, ``auditor config``.

This module imports only typer at start-up; every command imports what it needs, so
``auditor --help`` stays fast. User errors (:class:`~auditor.errors.AuditorError`) are
printed as one line each with no traceback and a distinct exit code; anything else is
an internal error (exit 3) whose traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer

from auditor import __version__
from auditor.errors import AuditorError, ExitCode

app = typer.Typer(
    name="auditor",
    help="Audit 法治政府建设年度报告 (and other mandated reports) against declarative YAML checklists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="Write, test and document checklists.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")

_STATE: dict[str, bool] = {"debug": False}


class FailOn(StrEnum):
    gap = "gap"
    needs_review = "needs_review"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
) -> None:
    _STATE["debug"] = debug
    if ctx.invoked_subcommand != "check":
        gc.enable()  # paused by main for the start-up; `check` resumes it once its own start-up is done


def _err(line: str) -> None:
    sys.stderr.write(line.rstrip("\n") + "\n")


# ---------------------------------------------------------------------------- check


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Report files or folders (recursed); '-' reads standard input.")],
    rules: Annotated[
        list[str] | None, typer.Option("--rules", help="Rule files/folders replacing the default checklist.")
    ] = None,
    checklist: Annotated[
        str | None, typer.Option("--checklist", help="A bundled checklist (fazhi, gov-info-disclosure) or a path.")
    ] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format", "-f", help="text, json, jsonl, markdown, sarif, junit, csv, xlsx, html, pdf (repeatable)."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="File (one single-file format) or folder (html/pdf or several formats)."),
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option("--fail-under", help="Exit 1 if a report scores below this (a null score counts as below)."),
    ] = None,
    fail_on: Annotated[
        list[FailOn] | None, typer.Option("--fail-on", help="Exit 1 if any finding has this status.")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Override the report year Y.")] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="Override the level: township, county, city, province, department.")
    ] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Override the publication date (YYYY-MM-DD).")
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Parallel workers (default: all cores).")] = None,
    max_chars: Annotated[
        int | None,
        typer.Option("--max-chars", help="Refuse reports whose extracted text is longer (default 20,000,000)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="With --format jsonl --output FILE: skip reports already in FILE.")
    ] = False,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: on a terminal).")
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="Use this auditor.toml instead of discovering one.")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any auditor.toml / [tool.auditor].")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Print the traceback of an internal error (the batch goes on).")
    ] = False,
    decisions: Annotated[
        str | None,
        typer.Option("--decisions", help="Apply reviewers' decisions (YAML/JSON, see docs/decisions.md)."),
    ] = None,
    strict_decisions: Annotated[
        bool, typer.Option("--strict-decisions", help="Exit 1 when a decision is stale or names no finding.")
    ] = False,
    previous: Annotated[
        str | None, typer.Option("--previous", help="Folder of last year's reports: compare each unit's pair.")
    ] = None,
    compare: Annotated[
        bool,
        typer.Option("--compare/--no-compare", help="Compare reports with last year's of the same unit (default on)."),
    ] = True,
) -> None:
    """Audit reports against a checklist and print or write the gap report."""
    from auditor.commands.check import CheckArgs, run_check
    from auditor.report.formats import as_format
    from auditor.vocabulary import Status

    code = run_check(
        CheckArgs(
            paths=paths,
            rules=rules or [],
            checklist=checklist,
            formats=[as_format(name) for name in fmt or []],
            output=output,
            fail_under=fail_under,
            fail_on=[Status(f.value) for f in fail_on or []],
            year=year,
            level=level,
            published=published,
            jobs=jobs,
            max_chars=max_chars,
            resume=resume,
            progress=progress,
            config=config,
            no_config=no_config,
            debug=debug or _STATE["debug"],
            decisions=decisions,
            strict_decisions=strict_decisions,
            previous=previous,
            compare=compare,
        )
    )
    raise typer.Exit(int(code))


@app.command()
def compare(
    last: Annotated[str, typer.Argument(help="Last year's report of the unit.")],
    this: Annotated[str, typer.Argument(help="This year's report of the same unit.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, html or markdown.")] = "text",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file (atomically).")] = None,
    copy_share: Annotated[
        float | None,
        typer.Option("--copy-share", help="Flag a copy above this share (default 0.3, or [compare] copy_share)."),
    ] = None,
    checklist: Annotated[
        str | None, typer.Option("--checklist", help="A bundled checklist (fazhi, gov-info-disclosure) or a path.")
    ] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="Use this auditor.toml instead of discovering one.")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any auditor.toml / [tool.auditor].")] = False,
) -> None:
    """Compare a report with the unit's previous one: plans carried out, text copied, score deltas."""
    from auditor.commands.compare import CompareArgs, run_compare

    raise typer.Exit(run_compare(CompareArgs(last, this, fmt, output, copy_share, checklist, config, no_config)))


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (beyond loopback a token is required).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    data: Annotated[
        str | None, typer.Option("--data", help="Data folder: database and uploaded files (default ./auditor-data).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL, e.g. postgresql://user@host/db (default SQLite in --data)."),
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="Access token (or AUDITOR_TOKEN); required beyond loopback.")
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes auditing uploads.")] = None,
    max_file_mb: Annotated[int, typer.Option("--max-file-mb", help="Largest upload accepted, per file.")] = 50,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the workbench in a browser.")] = False,
) -> None:
    """Start the workbench: a local web app to audit a season's reports and keep review decisions."""
    from auditor.commands.serve import ServeArgs, run_serve

    raise typer.Exit(run_serve(ServeArgs(host, port, data, db, token, jobs, open_browser, max_file_mb)))


@app.command()
def text(
    path: Annotated[str, typer.Argument(help="A report file ('-' for standard input).")],
    max_chars: Annotated[int, typer.Option("--max-chars")] = 20_000_000,
    tables: Annotated[bool, typer.Option("--tables", help="Show the statistics tables as read, row by row.")] = False,
) -> None:
    """Print the extracted text that evidence offsets and line numbers refer to."""
    from auditor.errors import Location, ReadError
    from auditor.readers import read_document
    from auditor.readers.source import read_stdin

    stdin = read_stdin(sys.stdin.buffer, max_chars) if path == "-" else None
    try:
        extracted = read_document(path, max_chars=max_chars, stdin_bytes=stdin)
    except ReadError as exc:
        raise ReadError(exc.message, location=Location(path), hint=exc.hint) from exc
    if tables:
        from auditor.commands.text_tables import tables_report

        sys.stdout.write(tables_report(extracted.text))
        return
    sys.stdout.write(extracted.text)
    if not extracted.text.endswith("\n"):
        sys.stdout.write("\n")


@app.command("config")
def config_cmd(
    config: Annotated[
        str | None, typer.Option("--config", help="Use this auditor.toml instead of discovering one.")
    ] = None,
) -> None:
    """Print the effective configuration and where each value came from."""
    from auditor.commands.config_cmd import show_config

    show_config(config)


# ---------------------------------------------------------------------------- rules

RulesOpt = Annotated[
    list[str] | None, typer.Option("--rules", help="Rule files/folders (default: the bundled checklists).")
]
ChecklistOpt = Annotated[str | None, typer.Option("--checklist", help="A bundled checklist name or a path.")]


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, checklist: ChecklistOpt = None) -> None:
    """List the rules of a checklist."""
    from auditor.commands.rules import list_rules

    list_rules(rules or [], checklist)


@rules_app.command("test")
def rules_test(
    path: Annotated[
        list[str] | None, typer.Argument(help="Rule files/folders (default: every bundled checklist).")
    ] = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Only these rule ids.")] = None,
) -> None:
    """Run every rule's met/gap/review/not_applicable examples; exit 1 if any fails."""
    from auditor.commands.rules import test_rules

    raise typer.Exit(test_rules(path or [], set(rule or [])))


@rules_app.command("schema")
def rules_schema(output: Annotated[str | None, typer.Option("--output", "-o")] = None) -> None:
    """Print the JSON Schema of rule files (for editors)."""
    from auditor.commands.rules import schema

    schema(output)


@rules_app.command("docs")
def rules_docs(
    rules: RulesOpt = None,
    checklist: ChecklistOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the Markdown page here.")] = None,
) -> None:
    """Generate the reference page of a checklist's rules (Markdown)."""
    from auditor.commands.rules import docs

    docs(rules or [], checklist, output)


@rules_app.command("lint")
def rules_lint(
    path: Annotated[list[str] | None, typer.Argument(help="Rule files/folders (default: bundled).")] = None,
) -> None:
    """Find rules that can never match, overlapping rules and other authoring mistakes."""
    from auditor.commands.lint import lint

    raise typer.Exit(lint(path or []))


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. FR-04.")],
    path: Annotated[str, typer.Argument(help="A report file.")],
    rules: RulesOpt = None,
    checklist: ChecklistOpt = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    level: Annotated[str | None, typer.Option("--level")] = None,
    published: Annotated[str | None, typer.Option("--published")] = None,
    config: Annotated[
        str | None, typer.Option("--config", help="Use this auditor.toml instead of discovering one.")
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any auditor.toml / [tool.auditor].")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also show the regular expressions and raw status names.")
    ] = False,
) -> None:
    """Show what one rule searched in one report, every candidate, and why the verdict came out."""
    from auditor.commands.explain import explain

    explain(rule_id, path, rules or [], checklist, year, level, published, config, no_config, verbose)


# ---------------------------------------------------------------------------- entry


def _fail(message: str, code: ExitCode) -> NoReturn:
    _err(message)
    raise SystemExit(int(code))


def _interrupted() -> NoReturn:
    """Ctrl-C: one line, exit 130. Every output file is written atomically, so none is left
    half-written (their temp files are already removed); the exit skips the interpreter's
    clean-up, where Python 3.11's process pool prints tracebacks about its killed workers."""
    _err("auditor: 已中断 / interrupted")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(int(ExitCode.INTERRUPTED))


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: run the app, turn errors into one-line messages and exit codes."""
    # the start-up (imports, parsing the options, then for `check` the checklists and the inputs) makes
    # objects that live all run: looking for garbage among them is wasted (≈ 35 ms of a `check`'s start).
    # Every command but `check` resumes the collector before it starts (_root); `check` when its
    # start-up is done (commands.check.run_check)
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: list[str] | None) -> Any:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    # the CLI uses no pydantic plugins; looking for them scans every installed package (~30 ms a start)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        # not standalone: usage errors come here, to be said in one Chinese line (auditor.usage)
        code = app(args=argv, prog_name="auditor", standalone_mode=False)
    except SystemExit as exc:
        if exc.code == ExitCode.INTERRUPTED:
            _interrupted()
        raise
    except AuditorError as exc:
        from auditor.printable import one_line

        _fail("\n".join(f"auditor: error: {one_line(line)}" for line in str(exc).splitlines()), exc.exit_code)
    except KeyboardInterrupt:
        _interrupted()
    except BrokenPipeError:
        # the reader of our standard output went away (e.g. `| head`): nothing more to say to it
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(int(ExitCode.USER_ERROR)) from None
    except Exception as exc:
        from auditor import usage

        if usage.is_usage_error(exc):
            if usage.shows_help(exc):  # `auditor` or `auditor rules` alone: the help, exit 2 as before
                _fail(str(getattr(exc, "message", "")).rstrip("\n"), ExitCode.USER_ERROR)
            from auditor.printable import one_line

            _fail(one_line(usage.usage_message(exc)), ExitCode.USER_ERROR)
        if type(exc).__name__ == "Abort":  # end of input at a prompt: exit 1, as click's "Aborted!"
            _fail("auditor: 已中止", ExitCode.GATE_FAILED)
        if debug:
            raise
        from auditor.printable import one_line

        _fail(
            one_line(
                f"auditor: 内部错误（{type(exc).__name__}: {exc}）；这是程序缺陷，请加 --debug 重新运行以查看详细信息"
            ),
            ExitCode.INTERNAL,
        )
    if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
        _interrupted()
    raise SystemExit(code if isinstance(code, int) else 0)  # every command returns None or exits with its code


if __name__ == "__main__":  # pragma: no cover
    main()
