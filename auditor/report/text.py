"""Text: a readable terminal report rendered with rich.

Per report a header (unit, title, year, level, score, grade), a findings table
with status marks, then the details of every gap, needs_review and error item
(message, evidence with line numbers, remediation, references). Colours only
when asked for (a TTY); report text is always passed as ``Text`` objects, never
as rich markup, so brackets in a report cannot restyle the output.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from auditor import printable
from auditor.report import access
from auditor.report.access import Finding, Report, Result
from auditor.report.labels import (
    format_score,
    level_label,
    severity_label,
    status_label,
    status_mark,
    text_or_dash,
)
from auditor.report.location import quote_place
from auditor.report.sanitize import shorten, terminal_safe

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

PLAIN_WIDTH: Final = 110
STATUS_STYLES: Final = {
    "met": "green",
    "gap": "bold red",
    "needs_review": "yellow",
    "not_applicable": "dim",
    "error": "bold magenta",
}
DETAILED: Final = ("gap", "needs_review", "error")
EVIDENCE_LIMIT: Final = 160


def render_text(result: Result, *, color: bool = False, width: int | None = None) -> str:
    """The whole batch as terminal text (ANSI colours only if ``color``)."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or PLAIN_WIDTH,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    for report in access.reports(result):
        _print_report(console, report)
    _print_skipped(console, result)
    _print_footer(console, result)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(terminal_safe(value), style=style)


def _status(state: str) -> Text:
    return _text(f"{status_mark(state)} {status_label(state)}", STATUS_STYLES.get(state, ""))


def _print_report(console: Console, report: Report) -> None:
    from rich.rule import Rule

    console.print(Rule(_text(access.unit(report), "bold"), characters="═"))
    note = f"，{access.read_note(report)}" if access.read_note(report) else ""
    console.print(_text(f"来源：{printable.one_line(access.source(report))}{note}"))
    failure = access.error(report)
    if failure:
        console.print(_text(f"! 无法审核：{failure}", STATUS_STYLES["error"]))
        console.print()
        return
    console.print(_header(report))
    console.print(_findings_table(report))
    if any(access.status(f) in DETAILED for f in access.findings(report)):
        console.print(_text("需要处理的事项", "bold"))
    for finding in access.findings(report):
        if access.status(finding) in DETAILED:
            console.print(_details(finding))
    console.print()


def _header(report: Report) -> RenderableType:
    from rich.text import Text

    meta = access.metadata(report)
    counts = access.counts(report)
    header = Text()
    if access.title(report):
        header.append(terminal_safe(f"{access.title(report)}\n"), style="bold")
    note = functools.partial(access.source_note, report)
    if note("unit"):
        header.append(terminal_safe(f"单位：{access.unit(report)}{note('unit')}\n"))
    header.append(
        terminal_safe(
            f"年度：{text_or_dash(meta.get('year'))}{note('year')}"
            f"  层级：{level_label(meta.get('level'))}{note('level')}"
        )
    )
    header.append(terminal_safe(f"  发布日期：{text_or_dash(meta.get('published'))}{note('published')}"))
    header.append(terminal_safe(f"  核查清单：{access.checklist_line(report)}\n"))
    header.append(f"得分：{format_score(report.get('score'))}  ", style="bold")
    header.append(f"等级：{text_or_dash(report.get('grade'))}", style="bold")
    if access.capped_by(report):
        header.append(f"（等级受 {'、'.join(access.capped_by(report))} 限制）")
    header.append("\n")
    for state, count in counts.items():
        header.append(f"{status_mark(state)} {status_label(state)} {count}  ", STATUS_STYLES[state])
    return header


def _findings_table(report: Report) -> RenderableType:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True, width=8)
    table.add_column("规则", no_wrap=True)
    table.add_column("要求", ratio=2, overflow="fold")
    table.add_column("核查结果", ratio=3, overflow="fold")
    for finding in access.findings(report):
        table.add_row(
            _status(access.status(finding)),
            _text(finding.get("rule_id") or ""),
            _text(access.headline(finding)),
            _text(shorten(finding.get("message") or "", 120)),
        )
    return table


def _details(finding: Finding) -> RenderableType:
    from rich.console import Group
    from rich.padding import Padding

    state = access.status(finding)
    head = _text(
        f"{status_mark(state)} {finding.get('rule_id') or ''} {access.headline(finding)}"
        f"（{status_label(state)}，{severity_label(finding.get('severity'))}）",
        STATUS_STYLES.get(state, ""),
    )
    lines: list[RenderableType] = [head]
    if finding.get("message"):
        lines.append(_text(f"  核查结果：{finding['message']}"))
    lines += [_quote("证据", ev) for ev in access.evidence(finding)]
    near = access.near_miss(finding)
    if near:
        lines.append(_quote(f"近似内容（相似度 {format_score(near.get('score'))}）", near))
        if near.get("reason"):
            lines.append(_text(f"  说明：{near['reason']}", "dim"))
    if state == "gap" and finding.get("remediation"):
        lines.append(_text(f"  整改建议：{finding['remediation']}", "cyan"))
    if state == "gap" and access.references(finding):
        lines.append(_text("  依据：" + "；".join(access.references(finding)), "dim"))
    return Padding(Group(*lines), (0, 0, 1, 2))


def _quote(label: str, evidence: Mapping[str, Any]) -> Text:
    where = quote_place(evidence)
    before, match, after = access.context_parts(evidence)
    shown = f"{before}【{match}】{after}" if before or after else match
    return _text(f"  {label}{where}：「{shorten(shown, EVIDENCE_LIMIT)}」", "italic")


def _print_skipped(console: Console, result: Result) -> None:
    entries = access.skipped(result)
    if not entries:
        return
    console.print(_text("未处理的文件", "bold"))
    for entry in entries:
        source = printable.one_line(str(entry.get("source") or ""))
        console.print(_text(f"  – {source}：{entry.get('reason') or ''}"))
    console.print()


def _print_footer(console: Console, result: Result) -> None:
    entries = access.reports(result)
    failed = sum(1 for r in entries if access.error(r))
    line = f"共 {len(entries)} 份报告，已审核 {len(entries) - failed} 份"
    if failed:
        line += f"，无法审核 {failed} 份"
    batches = access.by_checklist(result)
    if len(batches) > 1 or (batches and len(entries) > 1):
        for batch in batches:  # one summary per checklist: report types are never averaged together
            scores = [s for r in access.reports(batch.result) if (s := access.score(r)) is not None]
            mean = format_score(sum(scores) / len(scores)) if scores else "—"
            console.print(_text(f"{batch.title}：{len(access.reports(batch.result))} 份，平均分 {mean}"))
    console.print(_text(f"{line}。由 {access.tool_line(result)} 生成。", "dim"))
