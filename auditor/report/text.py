"""Text: a terminal report ordered for action, rendered with rich.

Per report: the summary first (unit, title, year, level, score, grade, the count per status
and the score of each category), then the items to fix — every gap, 待复核 and error item
with its message, evidence (line numbers), near miss, remediation and references — and last
the passed and not-applicable rules, collapsed into one line per category. Colours only when
asked for (a TTY); report text is always passed as ``Text`` objects, never as rich markup,
so brackets in a report cannot restyle the output.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Final, assert_never

from auditor import printable
from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.labels import format_score, level_label, severity_label, text_or_dash
from auditor.report.location import quote_place
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
OTHER_CATEGORY: Final = "其他"
_SETTLED: Final = {Status.met: "已通过", Status.not_applicable: "不适用"}


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
    to_fix = [f for f in report.findings if f.status in DETAILED]
    console.print(_text(f"需要处理的事项（{len(to_fix)} 项）" if to_fix else "需要处理的事项：无", "bold"))
    for finding in to_fix:
        console.print(_details(finding))
    settled = _settled(report)
    if settled:
        console.print(_text("已通过与不适用", "bold"))
        for line in settled:
            console.print(_text(f"  {line}"))
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
    if report.categories:
        scores = " · ".join(f"{c.title or c.id} {format_score(c.score)}" for c in report.categories)
        header.append(terminal_safe(f"\n分类得分：{scores}"))
    return header


def _settled(report: Report) -> list[str]:
    """One line per category: the rules met (已通过 N 项：…) and those that do not apply (with why)."""
    titles = {c.id: c.title or c.id for c in report.categories}
    groups: dict[str, dict[Status, list[str]]] = {}
    for finding in report.findings:
        if finding.status in (Status.met, Status.not_applicable):
            by_status = groups.setdefault(finding.category, {})
            why = (
                f"（{finding.message.rstrip('。')}）"
                if finding.status is Status.not_applicable and finding.message
                else ""
            )
            by_status.setdefault(finding.status, []).append(finding.rule_id + why)
    order = [c.id for c in report.categories if c.id in groups] + [k for k in groups if k not in titles]
    lines = []
    for key in order:
        parts = [
            f"{_SETTLED[state]} {len(ids)} 项：{'、'.join(ids)}"
            for state in (Status.met, Status.not_applicable)
            if (ids := groups[key].get(state))
        ]
        lines.append(f"{titles.get(key) or key or OTHER_CATEGORY}：{'；'.join(parts)}")
    return lines


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
    if state in (Status.gap, Status.needs_review) and finding.remediation:
        lines.append(_text(f"  整改建议：{finding.remediation}", "cyan"))
    if state is Status.gap and finding.references:
        lines.append(_text("  依据：" + "；".join(finding.references), "dim"))
    return Padding(Group(*lines), (0, 0, 1, 2))


def _quote(label: str, evidence: Evidence | NearMiss) -> Text:
    where = quote_place(evidence)
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
