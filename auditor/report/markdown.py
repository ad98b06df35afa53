"""Markdown: a gap report to paste into a ticket.

Per report: a heading, score and grade, a table of the gaps and the items that
need review (with remediation and references), then the quoted evidence. All
report text is escaped: HTML is neutralised and Markdown punctuation (``|`` in
particular) is backslash-escaped so it cannot break the tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from auditor.report import access
from auditor.report.access import Finding, Report, Result
from auditor.report.labels import (
    format_score,
    level_label,
    status_label,
    status_mark,
    text_or_dash,
)
from auditor.report.location import quote_place
from auditor.report.sanitize import xml_safe

_MD_PUNCT: Final = re.compile(r"([\\`*_\[\]|~])")
LISTED: Final = ("gap", "needs_review")


def escape(value: object) -> str:
    """Report text made inert for Markdown/HTML, newlines kept as ``<br>``."""
    text = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.splitlines() if line.strip())


def _cell(value: object) -> str:
    return escape(value) or "—"


def render_markdown(result: Result) -> str:
    entries = access.reports(result)
    batches = access.by_checklist(result)
    title = "、".join(b.title for b in batches) or "年度报告"
    lines = [
        f"# {escape(title)}核查：缺失与待复核事项",
        "",
        f"> 由 {escape(access.tool_line(result))} 生成，共 {len(entries)} 份报告。",
        "",
    ]
    if len(batches) > 1:  # a folder mixing report types: one part per checklist, never one list
        for batch in batches:
            lines += [f"## {escape(batch.title)}（{len(access.reports(batch.result))} 份）", ""]
            for report in access.reports(batch.result):
                lines += _report_section(report, "###")
        failed = [r for r in entries if access.error(r)]
        if failed:
            lines += ["## 无法审核的报告", ""]
            for report in failed:
                lines += _report_section(report, "###")
    else:
        for report in entries:
            lines += _report_section(report)
    lines += _skipped_section(access.skipped(result))
    return "\n".join(lines).rstrip("\n") + "\n"


def _report_section(report: Report, level: str = "##") -> list[str]:
    lines = [f"{level} {escape(access.unit(report))}", ""]
    if access.title(report):
        lines += [f"**{escape(access.title(report))}**", ""]
    note = f"，{escape(access.read_note(report))}" if access.read_note(report) else ""
    lines.append(f"- 来源：{escape(access.source(report))}{note}")
    failure = access.error(report)
    if failure:
        return [*lines, f"- **无法审核**：{escape(failure)}", ""]
    lines += _facts(report)
    listed = [f for f in access.findings(report) if access.status(f) in LISTED]
    if not listed:
        return [*lines, "", "未发现缺失或待复核事项。", ""]
    return [*lines, "", *_table(listed), "", *_evidence(listed)]


def _facts(report: Report) -> list[str]:
    meta = access.metadata(report)
    counts = access.counts(report)
    grade = text_or_dash(report.get("grade"))
    capped = access.capped_by(report)
    cap = f"（等级受 {escape('、'.join(capped))} 限制）" if capped else ""
    tally = " · ".join(f"{status_label(s)} {n}" for s, n in counts.items())
    return [
        f"- 年度：{escape(text_or_dash(meta.get('year')))}{access.source_note(report, 'year')}"
        f" · 层级：{level_label(meta.get('level'))}{access.source_note(report, 'level')}"
        f" · 核查清单：{escape(access.checklist_line(report))}",
        f"- **得分：{format_score(report.get('score'))} · 等级：{escape(grade)}**{cap}",
        f"- {tally}",
    ]


def _table(listed: list[Finding]) -> list[str]:
    rows = [
        "| 状态 | 规则 | 要求 | 核查结果 | 整改建议 | 依据 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for finding in listed:
        cells = [
            f"{status_mark(access.status(finding))} {status_label(access.status(finding))}",
            _cell(finding.get("rule_id")),
            _cell(access.headline(finding)),
            _cell(finding.get("message")),
            _cell(finding.get("remediation")),
            _cell("；".join(access.references(finding))),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _evidence(listed: list[Finding]) -> list[str]:
    lines = ["### 证据与检索情况", ""]
    for finding in listed:
        lines.append(
            f"- **{escape(finding.get('rule_id'))} {escape(access.headline(finding))}**"
            f"（{status_label(access.status(finding))}）"
        )
        lines += [f"  > {_quote(ev)}" for ev in access.evidence(finding)]
        near = access.near_miss(finding)
        if near:
            lines.append(f"  > 近似内容（相似度 {format_score(near.get('score'))}）：{_quote(near)}")
            if near.get("reason"):
                lines.append(f"  - 说明：{escape(near['reason'])}")
        if finding.get("searched"):
            lines.append(f"  - 检索内容：{escape(finding.get('searched'))}")
        if not access.evidence(finding) and not near:
            lines.append("  - 报告中未找到相关内容。")
    return [*lines, ""]


def _quote(evidence: Mapping[str, Any]) -> str:
    where = escape(place) + "：" if (place := quote_place(evidence)) else ""
    before, match, after = access.context_parts(evidence)
    if before or after:
        return where + escape(before) + "**" + escape(match) + "**" + escape(after)
    return where + escape(match)


def _skipped_section(entries: list[Mapping[str, Any]]) -> list[str]:
    if not entries:
        return []
    lines = ["## 未处理的文件", ""]
    lines += [f"- {escape(e.get('source'))}：{escape(e.get('reason'))}" for e in entries]
    return [*lines, ""]
