"""Markdown: a gap report to paste into a ticket.

Per report: a heading, score and grade, a table of the gaps and the items that
need review (with remediation and references), then the quoted evidence. All
report text is escaped: HTML is neutralised and Markdown punctuation (``|`` in
particular) is backslash-escaped so it cannot break the tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.labels import format_score, level_label, text_or_dash
from auditor.report.location import quote_place
from auditor.report.reviewed import review_label, reviewed_line
from auditor.report.sanitize import xml_safe
from auditor.report.yoy import TITLE as YOY_TITLE
from auditor.report.yoy import comparison_lines
from auditor.result import AnyReport, Batch, ErrorReport, Report, Skipped
from auditor.vocabulary import Status

_MD_PUNCT: Final = re.compile(r"([\\`*_\[\]|~])")
LISTED: Final = (Status.gap, Status.needs_review)


def escape(value: object) -> str:
    """Report text made inert for Markdown/HTML, newlines kept as ``<br>``."""
    text = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.splitlines() if line.strip())


def _cell(value: object) -> str:
    return escape(value) or "—"


def render_markdown(batch: Batch) -> str:
    entries = batch.reports
    groups = access.by_checklist(batch)
    title = "、".join(g.title for g in groups) or "年度报告"
    lines = [
        f"# {escape(title)}核查：缺失与待复核事项",
        "",
        f"> 由 {escape(batch.tool.line)} 生成，共 {len(entries)} 份报告。",
        "",
    ]
    if len(groups) > 1:  # a folder mixing report types: one part per checklist, never one list
        for group in groups:
            lines += [f"## {escape(group.title)}（{len(group.batch.reports)} 份）", ""]
            for report in group.batch.reports:
                lines += _report_section(report, "###")
        failed = batch.failed
        if failed:
            lines += ["## 无法审核的报告", ""]
            for report in failed:
                lines += _report_section(report, "###")
    else:
        for report in entries:
            lines += _report_section(report)
    lines += _skipped_section(batch.skipped)
    return "\n".join(lines).rstrip("\n") + "\n"


def _report_section(report: AnyReport, level: str = "##") -> list[str]:
    lines = [f"{level} {escape(access.unit(report))}", ""]
    if access.title(report):
        lines += [f"**{escape(access.title(report))}**", ""]
    note = f"，{escape(access.read_note(report))}" if access.read_note(report) else ""
    lines.append(f"- 来源：{escape(report.source)}{note}")
    if isinstance(report, ErrorReport):
        return [*lines, f"- **无法审核**：{escape(report.error)}", ""]
    lines += _facts(report)
    listed = [f for f in report.findings if f.status in LISTED]
    if not listed:
        return [*lines, "", "未发现缺失或待复核事项。", ""]
    return [*lines, "", *_table(listed), "", *_evidence(listed)]


def _facts(report: Report) -> list[str]:
    meta = report.metadata
    grade = text_or_dash(report.grade)
    capped = report.grade_capped_by
    cap = f"（等级受 {escape('、'.join(capped))} 限制）" if capped else ""
    tally = " · ".join(f"{s.label} {n}" for s, n in access.counts(report).items())
    return [
        f"- 年度：{escape(text_or_dash(meta.year))}{access.source_note(report, 'year')}"
        f" · 层级：{level_label(meta.level)}{access.source_note(report, 'level')}"
        f" · 核查清单：{escape(access.checklist_line(report))}",
        f"- **得分：{format_score(report.score)} · 等级：{escape(grade)}**{cap}",
        *([f"- **{escape(reviewed_line(report))}**"] if reviewed_line(report) else []),
        f"- {tally}",
        *([f"- {YOY_TITLE}："] if comparison_lines(report) else []),
        *[f"  - {escape(line)}" for line in comparison_lines(report)],
    ]


def _table(listed: list[Finding]) -> list[str]:
    rows = [
        "| 状态 | 规则 | 要求 | 核查结果 | 整改建议 | 依据 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for finding in listed:
        cells = [
            f"{finding.status.mark} {finding.status.label}",
            _cell(finding.rule_id),
            _cell(access.headline(finding)),
            _cell(finding.message) + _review_suffix(finding),
            _cell(finding.remediation),
            _cell("；".join(finding.references)),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _review_suffix(finding: Finding) -> str:
    return f"<br>{escape(review_label(finding.review))}" if finding.review is not None else ""


def _evidence(listed: list[Finding]) -> list[str]:
    lines = ["### 证据与检索情况", ""]
    for finding in listed:
        lines.append(f"- **{escape(finding.rule_id)} {escape(access.headline(finding))}**（{finding.status.label}）")
        if finding.review is not None:
            lines.append(f"  - {escape(review_label(finding.review))}")
        lines += [f"  > {_quote(ev)}" for ev in finding.evidence]
        near = access.near_miss(finding)
        if near:
            lines.append(f"  > 近似内容（相似度 {format_score(near.score)}）：{_quote(near)}")
            if near.reason:
                lines.append(f"  - 说明：{escape(near.reason)}")
        if finding.searched:
            lines.append(f"  - 检索内容：{escape(finding.searched)}")
        if not finding.evidence and not near:
            lines.append("  - 报告中未找到相关内容。")
    return [*lines, ""]


def _quote(evidence: Evidence | NearMiss) -> str:
    where = escape(place) + "：" if (place := quote_place(evidence)) else ""
    before, match, after = access.context_parts(evidence)
    if before or after:
        return where + escape(before) + "**" + escape(match) + "**" + escape(after)
    return where + escape(match)


def _skipped_section(entries: Sequence[Skipped]) -> list[str]:
    if not entries:
        return []
    lines = ["## 未处理的文件", ""]
    lines += [f"- {escape(e.source)}：{escape(e.reason)}" for e in entries]
    return [*lines, ""]
