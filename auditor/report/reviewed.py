"""What a reviewer decided, as every human format shows it (one wording everywhere).

``review_label`` is the line beside a finding (``已复核：撤销（王五，已在第三部分说明）``);
``reviewed_line`` the reviewed score under a report's own. Both read the typed result
(``Finding.review``, ``Report.reviewed``) and return "" when there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Mapping

from auditor.findings import Review
from auditor.report.labels import format_score
from auditor.result import AnyReport, Report
from auditor.vocabulary import Decision

COMMENT_LIMIT = 60


def review_label(review: Review | None) -> str:
    """``已复核：撤销（王五，已在第三部分说明）``; a change names the new status."""
    if review is None:
        return ""
    what = review.decision.label
    if review.decision == Decision.changed:
        what += f"为“{review.status.label}”"
    comment = " ".join(review.comment.split())
    if len(comment) > COMMENT_LIMIT:
        comment = comment[: COMMENT_LIMIT - 1] + "…"
    who = "，".join(x for x in (review.reviewer.strip(), comment) if x)
    return f"已复核：{what}（{who}）" if who else f"已复核：{what}"


def reviewed_line(report: AnyReport) -> str:
    """``复核后得分：92.0，等级：优秀（采纳复核决定 3 条，过期 1 条）``, or "" without decisions."""
    reviewed = report.reviewed if isinstance(report, Report) else None
    if not isinstance(reviewed, Mapping):
        return ""
    stale = len(reviewed.get("stale") or ())
    tail = f"，过期 {stale} 条" if stale else ""
    return (
        f"复核后得分：{format_score(reviewed.get('score'))}，等级：{reviewed.get('grade') or '—'}"
        f"（采纳复核决定 {reviewed.get('decisions') or 0} 条{tail}）"
    )
