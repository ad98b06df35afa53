"""What a reviewer decided, as every human format shows it (one wording everywhere).

``review_label`` is the line beside a finding (``已复核：撤销（王五，已在第三部分说明）``);
``reviewed_line`` the reviewed score under a report's own. Both read the JSON contract
(``finding["review"]``, ``report["reviewed"]``) and return "" when there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.report.labels import format_score, status_label
from auditor.vocabulary import Decision

COMMENT_LIMIT = 60


def review_label(review: Mapping[str, Any] | None) -> str:
    """``已复核：撤销（王五，已在第三部分说明）``; a change names the new status."""
    if not isinstance(review, Mapping):
        return ""
    try:
        decision = Decision(str(review.get("decision")))
    except ValueError:
        return ""
    what = decision.label
    if decision == Decision.changed:
        what += f"为“{status_label(review.get('status'))}”"
    comment = " ".join(str(review.get("comment") or "").split())
    if len(comment) > COMMENT_LIMIT:
        comment = comment[: COMMENT_LIMIT - 1] + "…"
    who = "，".join(x for x in (str(review.get("reviewer") or "").strip(), comment) if x)
    return f"已复核：{what}（{who}）" if who else f"已复核：{what}"


def reviewed_line(report: Mapping[str, Any]) -> str:
    """``复核后得分：92.0，等级：优秀（采纳复核决定 3 条，过期 1 条）``, or "" without decisions."""
    reviewed = report.get("reviewed")
    if not isinstance(reviewed, Mapping):
        return ""
    stale = len(reviewed.get("stale") or ())
    tail = f"，过期 {stale} 条" if stale else ""
    return (
        f"复核后得分：{format_score(reviewed.get('score'))}，等级：{reviewed.get('grade') or '—'}"
        f"（采纳复核决定 {reviewed.get('decisions') or 0} 条{tail}）"
    )
