"""Weighted scoring: per category and overall, 0–100, with grade bands and caps.

Pure and declarative: category weights, per-rule weights, credit per status, grade
bands and caps all come from the checklist. ``not_applicable`` leaves the denominator,
``needs_review`` earns partial credit, an ``error`` makes the score ``None`` (never a
silent 0), and a category whose rules are all not applicable has no score and leaves
the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, assert_never

from auditor.checklist import Category, Scoring, rule_points
from auditor.vocabulary import Status

__all__ = ["CategoryScore", "ScoreResult", "Scored", "grade_for", "rule_points", "score"]


class Scored(NamedTuple):
    """What scoring needs to know about one finding (a tuple: one per rule and report)."""

    rule_id: str
    category: str
    weight: float  # relative weight inside the category
    status: Status


@dataclass(frozen=True)
class CategoryScore:
    id: str
    title: str
    weight: float
    score: float | None


@dataclass(frozen=True)
class ScoreResult:
    score: float | None
    grade: str | None
    categories: tuple[CategoryScore, ...]
    capped_by: tuple[str, ...]


def credit_for(status: Status, scoring: Scoring) -> float | None:
    """The credit a finding earns, or None when it leaves the denominator (not applicable) or
    voids the score (error)."""
    match status:
        case Status.met:
            return scoring.credit.met
        case Status.needs_review:
            return scoring.credit.needs_review
        case Status.gap:
            return scoring.credit.gap
        case Status.not_applicable | Status.error:
            return None
        case _:
            assert_never(status)


def _category_score(members: Sequence[Scored], credits: Mapping[Status, float | None]) -> float | None:
    """``credits``: ``credit_for`` of each status, looked up once per report."""
    counted = []
    for m in members:
        credit = credits[m.status]
        if credit is not None and m.weight > 0:
            counted.append((m.weight, credit))
        elif m.status == Status.error:
            return None
    total = sum(w for w, _ in counted)
    if total == 0:
        return None
    return 100.0 * sum(w * credit for w, credit in counted) / total


def grade_for(score: float, scoring: Scoring) -> str:
    for g in scoring.grades:
        if score >= g.min:
            return g.name
    return scoring.grades[-1].name


def _apply_caps(grade: str, items: Sequence[Scored], scoring: Scoring) -> tuple[str, tuple[str, ...]]:
    order = [g.name for g in scoring.grades]
    capped_by: list[str] = []
    status = {i.rule_id: i.status for i in items}
    for cap in scoring.caps:
        hit = [r for r in cap.rules if status.get(r) in cap.status]
        if hit and order.index(grade) < order.index(cap.max_grade):
            grade = cap.max_grade
            capped_by.extend(r for r in hit if r not in capped_by)
    return grade, tuple(capped_by)


def score(items: Sequence[Scored], categories: Sequence[Category], scoring: Scoring) -> ScoreResult:
    members: dict[str, list[Scored]] = {c.id: [] for c in categories}
    for i in items:  # one pass over the findings, not one per category
        if i.category in members:
            members[i.category].append(i)
    credits = {status: credit_for(status, scoring) for status in Status}
    cats = tuple(CategoryScore(c.id, c.title, c.weight, _category_score(members[c.id], credits)) for c in categories)
    if any(i.status == Status.error for i in items):
        return ScoreResult(None, None, cats, ())
    scored = [c for c in cats if c.score is not None and c.weight > 0]
    total_weight = sum(c.weight for c in scored)
    if total_weight == 0:
        return ScoreResult(None, None, cats, ())
    overall = round(sum(c.weight * (c.score or 0.0) for c in scored) / total_weight, 1)
    grade, capped_by = _apply_caps(grade_for(overall, scoring), items, scoring)
    return ScoreResult(overall, grade, cats, capped_by)
