"""The comparison of two reports and its JSON form.

JSON keys may be added, never renamed or removed (like the report contract):

``{"last": {"source","unit","year","checklist"}, "this": {…},
   "follow_through": {"applicable", "done", "open", "missing", "needs_review", "reason",
                      "items": [{"plan": {"text","start","end","line","section"}, "status",
                                 "evidence": [...], "reason", "similarity"}]},
   "copied": {"share", "threshold", "flagged", "chars", "copied_chars",
              "passages": [{"this": {…}, "last": {…}, "similarity"}]},
   "score": {"last", "this", "delta"}, "grade": {"last", "this"},
   "categories": [{"id", "title", "last", "this", "delta"}],
   "rules": [{"rule_id", "title", "last", "this", "changed"}],
   "notes": ["两份报告的单位不同…"]}``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("done", "open", "missing", "needs_review")


@dataclass(frozen=True)
class Located:
    text: str
    start: int  # offsets in the extracted text (``auditor text FILE``)
    end: int
    line: int
    section: str | None


@dataclass(frozen=True)
class ItemVerdict:
    plan: Located
    status: str  # done | open | missing | needs_review
    evidence: list[Located]
    reason: str
    similarity: float


@dataclass(frozen=True)
class FollowThrough:
    applicable: bool
    items: list[ItemVerdict]
    reason: str  # why not applicable ("" when applicable)

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)


@dataclass(frozen=True)
class Passage:
    this: Located
    last: Located
    similarity: float


@dataclass(frozen=True)
class Copied:
    share: float
    threshold: float
    chars: int  # content characters of this year's report text (boilerplate excluded)
    copied_chars: int
    passages: list[Passage]

    @property
    def flagged(self) -> bool:
        return self.share > self.threshold


@dataclass(frozen=True)
class Side:
    source: str
    unit: str | None
    year: int | None
    checklist: str | None
    score: float | None
    grade: str | None


@dataclass(frozen=True)
class CategoryDelta:
    id: str
    title: str
    last: float | None
    this: float | None


@dataclass(frozen=True)
class RuleDelta:
    rule_id: str
    title: str
    last: str | None  # None: the rule is not in that report
    this: str | None


@dataclass(frozen=True)
class Comparison:
    last: Side
    this: Side
    follow_through: FollowThrough
    copied: Copied
    categories: list[CategoryDelta] = field(default_factory=list)
    rules: list[RuleDelta] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. 两份报告的单位不同 (Chinese, for people)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def _side(s: Side) -> dict[str, Any]:
    return {"source": s.source, "unit": s.unit, "year": s.year, "checklist": s.checklist}


def _located(x: Located) -> dict[str, Any]:
    return {"text": x.text, "start": x.start, "end": x.end, "line": x.line, "section": x.section}


def _item(i: ItemVerdict) -> dict[str, Any]:
    """``dataclasses.asdict`` of the verdict, built directly (``asdict`` deep-copies every value)."""
    return {
        "plan": _located(i.plan),
        "status": i.status,
        "evidence": [_located(e) for e in i.evidence],
        "reason": i.reason,
        "similarity": i.similarity,
    }


def to_dict(c: Comparison) -> dict[str, Any]:
    ft = c.follow_through
    return {
        "last": _side(c.last),
        "this": _side(c.this),
        "follow_through": {
            "applicable": ft.applicable,
            **{s: ft.count(s) for s in STATUSES},
            "reason": ft.reason,
            "items": [_item(i) for i in ft.items],
        },
        "copied": {
            "share": round(c.copied.share, 3),
            "threshold": c.copied.threshold,
            "flagged": c.copied.flagged,
            "chars": c.copied.chars,
            "copied_chars": c.copied.copied_chars,
            "passages": [
                {"this": _located(p.this), "last": _located(p.last), "similarity": p.similarity}
                for p in c.copied.passages
            ],
        },
        "score": {"last": c.last.score, "this": c.this.score, "delta": _delta(c.last.score, c.this.score)},
        "grade": {"last": c.last.grade, "this": c.this.grade},
        "categories": [
            {"id": d.id, "title": d.title, "last": d.last, "this": d.this, "delta": _delta(d.last, d.this)}
            for d in c.categories
        ],
        "rules": [
            {"rule_id": r.rule_id, "title": r.title, "last": r.last, "this": r.this, "changed": r.last != r.this}
            for r in c.rules
        ],
        "notes": list(c.notes),
    }
