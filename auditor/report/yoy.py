"""The short 「与上年度对比」 block of a report paired with last year's (``Report.comparison``,
the JSON of ``auditor compare``): follow-through counts, the copied share and its flag, the score
delta. Every human format shows these lines; the full comparison is ``auditor compare``'s.
"""

from __future__ import annotations

from collections.abc import Mapping

from auditor.report.labels import format_score
from auditor.result import AnyReport, Report

TITLE = "与上年度对比"


def _num(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def comparison_lines(report: AnyReport) -> list[str]:
    """The block's lines (without its title), or [] when the report was not paired."""
    return block_lines(report.comparison if isinstance(report, Report) else None)


def block_lines(c: object) -> list[str]:
    """The block's lines of a report's ``comparison`` entry (None: not paired, [])."""
    if not isinstance(c, Mapping):
        return []
    last = c.get("last") or {}
    lines = [f"上年度报告：{last.get('source') or '—'}（{last.get('year') or '年度未知'}）"]
    ft = c.get("follow_through") or {}
    if ft.get("applicable"):
        review = _num(ft.get("needs_review"))
        lines.append(
            f"上年度安排：共 {len(ft.get('items') or ())} 项，已落实 {_num(ft.get('done'))} 项，"
            f"未落实 {_num(ft.get('open'))} 项，未提及 {_num(ft.get('missing'))} 项"
            + (f"，待复核 {review} 项" if review else "")
        )
    else:
        lines.append(f"上年度安排：不适用（{ft.get('reason') or '上年度报告没有下一年度安排'}）")
    copied = c.get("copied") or {}
    share = copied.get("share")
    shown = f"{share:.1%}" if isinstance(share, int | float) else "—"
    flag = ""
    if copied.get("flagged"):
        threshold = copied.get("threshold")
        above = f"超过 {threshold:.0%}" if isinstance(threshold, int | float) else "超过阈值"
        inferred = (c.get("pairing") or {}).get("inferred")
        flag = f"，{above}，" + ("配对系推断，是否照抄待复核" if inferred else "疑似照抄上年度报告")
    lines.append(f"与上年度报告重复的文字：{shown}（{len(copied.get('passages') or ())} 段{flag}）")
    score = c.get("score") or {}
    delta = score.get("delta")
    change = f"（{delta:+.1f}）" if isinstance(delta, int | float) else ""
    changed = sum(1 for r in c.get("rules") or () if isinstance(r, Mapping) and r.get("changed"))
    scores = f"{format_score(score.get('last'))} → {format_score(score.get('this'))}{change}"
    lines.append(f"得分：{scores}；结论变化的规则 {changed} 条")
    lines += [f"注意：{n}" for n in c.get("notes") or ()]
    return lines
