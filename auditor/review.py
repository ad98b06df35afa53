"""A person's review of findings: fingerprints, decisions and the reviewed score.

The workbench stores decisions and ``auditor check --decisions`` applies them; both use these
pure functions, so a decision means the same everywhere.

- A finding's **fingerprint** is its rule, its status and its evidence, normalised (width,
  case, spaces and punctuation folded): a revised report keeps a decision exactly when the
  finding it was made on is unchanged; otherwise the decision is *stale* and shown as such,
  never silently applied.
- A **decision** is ``confirmed`` (the tool's verdict stands; on a 待复核 item the doubt is
  confirmed as a gap), ``dismissed`` (the charge or doubt is withdrawn: the finding counts as
  met) or ``changed`` (the reviewer gives the status).
- The **reviewed score** is the checklist's own scoring over the reviewed statuses.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import assert_never

from auditor.checklist import Checklist
from auditor.findings import Finding, Review
from auditor.result import Report
from auditor.scoring import Scored, ScoreResult, score
from auditor.vocabulary import Decision, Status

__all__ = [
    "Review",
    "ReviewError",
    "Reviewed",
    "apply_reviews",
    "decide",
    "fingerprint",
    "normalise_evidence",
    "reviewed_score",
    "reviewed_status",
    "with_reviews",
]

#: the statuses a reviewer may set with ``changed`` (``error`` is the tool's, not a verdict)
SETTABLE: tuple[Status, ...] = (Status.met, Status.gap, Status.needs_review, Status.not_applicable)


class ReviewError(ValueError):
    """A decision that cannot apply to its finding (the message is Chinese, for the reviewer)."""


def normalise_evidence(text: str) -> str:
    """Evidence as compared across versions: NFKC, case folded, without spaces, punctuation,
    symbols and control characters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")
    return unicodedata.normalize("NFC", kept)


def fingerprint(finding: Finding) -> str:
    """16 hex digits naming this finding: rule, status and normalised evidence texts."""
    parts = [finding.rule_id, str(finding.status), *(normalise_evidence(e.text) for e in finding.evidence)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def reviewed_status(status: Status, decision: Decision, new: Status | None = None) -> Status:
    """The status a finding has after a decision; :class:`ReviewError` when it cannot apply."""
    match decision:
        case Decision.confirmed:
            if new is not None and new != status and not (status == Status.needs_review and new == Status.gap):
                raise ReviewError(f"“确认”保持原结论（{status.label}），要改为“{new.label}”请用“改判”")
            return Status.gap if status == Status.needs_review else status
        case Decision.dismissed:
            if status not in (Status.gap, Status.needs_review, Status.error):
                raise ReviewError(f"只能撤销“缺失”“待复核”或“出错”的结论，此项为“{status.label}”（提示：请用“改判”）")
            return Status.met
        case Decision.changed:
            if new is None or new not in SETTABLE:
                allowed = "、".join(s.label for s in SETTABLE)
                raise ReviewError(f"“改判”须给出新结论：{allowed}")
            return new
        case _:
            assert_never(decision)


def decide(
    finding: Finding,
    decision: Decision,
    *,
    status: Status | None = None,
    comment: str = "",
    reviewer: str = "",
    at: str = "",
) -> Review:
    """The review of ``finding`` (raises :class:`ReviewError` when the decision cannot apply)."""
    return Review(
        decision, reviewed_status(finding.status, decision, status), comment, reviewer, at, fingerprint(finding)
    )


@dataclass(frozen=True)
class Reviewed:
    """A report's findings paired with the decisions that still apply, and the stale ones."""

    report: Report
    reviews: Mapping[str, Review]  # rule id -> decision whose fingerprint matches the finding now
    stale: Mapping[str, Review]  # rule id -> decision made on a finding that has since changed
    unknown: Sequence[str] = ()  # rule ids decided that the report has no finding for

    def status(self, finding: Finding) -> Status:
        review = self.reviews.get(finding.rule_id)
        return review.status if review is not None else finding.status


def apply_reviews(report: Report, reviews: Mapping[str, Review]) -> Reviewed:
    """Pair a report with decisions by rule id: a decision applies when its fingerprint is the
    finding's (or it has none: a hand-written decision for the rule, whatever the evidence)."""
    by_rule = {f.rule_id: f for f in report.findings}
    current: dict[str, Review] = {}
    stale: dict[str, Review] = {}
    unknown: list[str] = []
    for rule_id, review in reviews.items():
        finding = by_rule.get(rule_id)
        if finding is None:
            unknown.append(rule_id)
        elif not review.fingerprint or review.fingerprint == fingerprint(finding):
            current[rule_id] = review
        else:
            stale[rule_id] = review
    return Reviewed(report, current, stale, tuple(unknown))


def reviewed_score(reviewed: Reviewed, checklist: Checklist) -> ScoreResult:
    """The checklist's scoring over the reviewed statuses (the tool's where nobody decided)."""
    weights = {r.id: r.weight for r in checklist.rules}
    items = [
        Scored(f.rule_id, f.category, weights.get(f.rule_id, 0.0), reviewed.status(f)) for f in reviewed.report.findings
    ]
    return score(items, checklist.categories, checklist.scoring)


def with_reviews(findings: Iterable[Finding], reviews: Mapping[str, Review]) -> tuple[Finding, ...]:
    """The findings with their decision attached (``Finding.review``), for outputs."""
    return tuple(replace(f, review=reviews[f.rule_id]) if f.rule_id in reviews else f for f in findings)
