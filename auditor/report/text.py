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
from typing import TYPE_CHECKING, Final, assert_never

from auditor import printable
from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.labels import format_score, level_label, severity_label, text_or_dash
from auditor.report.reviewed import review_label, reviewed_line
from auditor.report.sanitize import shorten, terminal_safe
from auditor.report.yoy import TITLE as YOY_TITLE
from auditor.report.yoy import comparison_lines
from auditor.result import AnyReport, Batch, ErrorReport, Report
from auditor.vocabulary import Status

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

PLAIN_WIDTH: Final = 110
DETAILED: Final = (Status.gap, Status.needs_review, Status.error)
EVIDENCE_LIMIT: Final = 160


def status_style(status: Status) -> str:
    match status:
        case Status.met:
            return "green"
        case Status.gap:
            return "bold red"
        case Status.needs_review:
            return "yellow"
        case Status.not_applicable:
            return "dim"
        case Status.error:
            return "bold magenta"
        case _:
            assert_never(status)


def render_text(batch: Batch, *, color: bool = False, width: int | None = None) -> str:
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
    for report in batch.reports:
        _print_report(console, report)
    _print_skipped(console, batch)
    _print_footer(console, batch)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(terminal_safe(value), style=style)


def _status(state: Status) -> Text:
    return _text(f"{state.mark} {state.label}", status_style(state))


def _print_report(console: Console, report: AnyReport) -> None:
    from rich.rule import Rule

    console.print(Rule(_text(access.unit(report), "bold"), characters="═"))
    note = f"，{access.read_note(report)}" if access.read_note(report) else ""
    console.print(_text(f"来源：{printable.one_line(report.source)}{note}"))
    if isinstance(report, ErrorReport):
        console.print(_text(f"! 无法审核：{report.error}", status_style(Status.error)))
        console.print()
        return
    console.print(_header(report))
    _print_additions(console, report)
    console.print(_findings_table(report))
    if any(f.status in DETAILED for f in report.findings):
        console.print(_text("需要处理的事项", "bold"))
    for finding in report.findings:
        if finding.status in DETAILED:
            console.print(_details(finding))
    console.print()


def _header(report: Report) -> RenderableType:
    from rich.text import Text

    meta = report.metadata
    header = Text()
    if meta.title:
        header.append(terminal_safe(f"{meta.title}\n"), style="bold")
    note = functools.partial(access.source_note, report)
    if note("unit"):
        header.append(terminal_safe(f"单位：{access.unit(report)}{note('unit')}\n"))
    header.append(
        terminal_safe(f"年度：{text_or_dash(meta.year)}{note('year')}  层级：{level_label(meta.level)}{note('level')}")
    )
    header.append(terminal_safe(f"  发布日期：{text_or_dash(meta.published)}{note('published')}"))
    header.append(terminal_safe(f"  核查清单：{access.checklist_line(report)}\n"))
    header.append(f"得分：{format_score(report.score)}  ", style="bold")
    header.append(f"等级：{text_or_dash(report.grade)}", style="bold")
    if report.grade_capped_by:
        header.append(f"（等级受 {'、'.join(report.grade_capped_by)} 限制）")
    header.append("\n")
    for state, count in access.counts(report).items():
        header.append(f"{state.mark} {state.label} {count}  ", status_style(state))
    return header


def _findings_table(report: Report) -> RenderableType:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True, width=8)
    table.add_column("规则", no_wrap=True)
    table.add_column("要求", ratio=2, overflow="fold")
    table.add_column("核查结果", ratio=3, overflow="fold")
    for finding in report.findings:
        table.add_row(
            _status(finding.status),
            _text(finding.rule_id),
            _text(access.headline(finding)),
            _text(shorten(finding.message, 120) + _review_suffix(finding)),
        )
    return table


def _review_suffix(finding: Finding) -> str:
    return f"\n{review_label(finding.review)}" if finding.review is not None else ""


def _print_additions(console: Console, report: Report) -> None:
    """What a person or last year's report adds: the reviewed score, the 与上年度对比 block."""
    if reviewed_line(report):
        console.print(_text(reviewed_line(report), "bold"))
    lines = comparison_lines(report)
    if lines:
        console.print(_text(YOY_TITLE, "bold"))
        for line in lines:
            console.print(_text(f"  {line}"))


def _details(finding: Finding) -> RenderableType:
    from rich.console import Group
    from rich.padding import Padding

    state = finding.status
    head = _text(
        f"{state.mark} {finding.rule_id} {access.headline(finding)}"
        f"（{state.label}，{severity_label(finding.severity)}）",
        status_style(state),
    )
    lines: list[RenderableType] = [head]
    if finding.review is not None:
        lines.append(_text(f"  {review_label(finding.review)}", "cyan"))
    if finding.message:
        lines.append(_text(f"  核查结果：{finding.message}"))
    lines += [_quote("证据", ev) for ev in finding.evidence]
    near = access.near_miss(finding)
    if near:
        lines.append(_quote(f"近似内容（相似度 {format_score(near.score)}）", near))
        if near.reason:
            lines.append(_text(f"  说明：{near.reason}", "dim"))
    if state is Status.gap and finding.remediation:
        lines.append(_text(f"  整改建议：{finding.remediation}", "cyan"))
    if state is Status.gap and finding.references:
        lines.append(_text("  依据：" + "；".join(finding.references), "dim"))
    return Padding(Group(*lines), (0, 0, 1, 2))


def _quote(label: str, evidence: Evidence | NearMiss) -> Text:
    where = f"第{evidence.line}行" if evidence.line else ""
    before, match, after = access.context_parts(evidence)
    shown = f"{before}【{match}】{after}" if before or after else match
    return _text(f"  {label}{where}：「{shorten(shown, EVIDENCE_LIMIT)}」", "italic")


def _print_skipped(console: Console, batch: Batch) -> None:
    if not batch.skipped:
        return
    console.print(_text("未处理的文件", "bold"))
    for entry in batch.skipped:
        console.print(_text(f"  – {printable.one_line(entry.source)}：{entry.reason}"))
    console.print()


def _print_footer(console: Console, batch: Batch) -> None:
    entries = batch.reports
    failed = len(batch.failed)
    line = f"共 {len(entries)} 份报告，已审核 {len(entries) - failed} 份"
    if failed:
        line += f"，无法审核 {failed} 份"
    groups = access.by_checklist(batch)
    if len(groups) > 1 or (groups and len(entries) > 1):
        for group in groups:  # one summary per checklist: report types are never averaged together
            scores = [r.score for r in group.batch.audited if r.score is not None]
            mean = format_score(sum(scores) / len(scores)) if scores else "—"
            console.print(_text(f"{group.title}：{len(group.batch.reports)} 份，平均分 {mean}"))
    console.print(_text(f"{line}。由 {batch.tool.line} 生成。", "dim"))
