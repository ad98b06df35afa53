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

__all__ = ["CategoryScore", "ScoreResult", "Scored", "Scorer", "grade_for", "rule_points", "score"]


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


def _category_score(
    members: Sequence[tuple[int, float]], statuses: Sequence[Status], credits: Mapping[Status, float | None]
) -> float | None:
    """``members``: (index in ``statuses``, weight) of the category's rules, in order; ``credits``:
    ``credit_for`` of each status."""
    counted = []
    for k, weight in members:
        status = statuses[k]
        credit = credits[status]
        if credit is not None and weight > 0:
            counted.append((weight, credit))
        elif status == Status.error:
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


def _apply_caps(
    grade: str, ids: Sequence[str], statuses: Sequence[Status], scoring: Scoring
) -> tuple[str, tuple[str, ...]]:
    order = [g.name for g in scoring.grades]
    capped_by: list[str] = []
    status = dict(zip(ids, statuses, strict=True))
    for cap in scoring.caps:
        hit = [r for r in cap.rules if status.get(r) in cap.status]
        if hit and order.index(grade) < order.index(cap.max_grade):
            grade = cap.max_grade
            capped_by.extend(r for r in hit if r not in capped_by)
    return grade, tuple(capped_by)


def score(items: Sequence[Scored], categories: Sequence[Category], scoring: Scoring) -> ScoreResult:
    return Scorer.of(items, categories, scoring)([i.status for i in items])


@dataclass(frozen=True)
class Scorer:
    """``score`` made ready once for a list of rules (their ids, categories and weights: a checklist's),
    then called with each report's statuses, in the rules' order."""

    ids: tuple[str, ...]
    categories: tuple[tuple[Category, tuple[tuple[int, float], ...]], ...]  # (index, weight) of its rules
    credits: Mapping[Status, float | None]
    scoring: Scoring

    @classmethod
    def of(cls, items: Sequence[Scored], categories: Sequence[Category], scoring: Scoring) -> Scorer:
        """``items``: the rules (their statuses are not read)."""
        members: dict[str, list[tuple[int, float]]] = {c.id: [] for c in categories}
        for k, i in enumerate(items):
            if i.category in members:
                members[i.category].append((k, i.weight))
        return cls(
            tuple(i.rule_id for i in items),
            tuple((c, tuple(members[c.id])) for c in categories),
            {status: credit_for(status, scoring) for status in Status},
            scoring,
        )

    def __call__(self, statuses: Sequence[Status]) -> ScoreResult:
        credits = self.credits
        cats = tuple(
            CategoryScore(c.id, c.title, c.weight, _category_score(members, statuses, credits))
            for c, members in self.categories
        )
        if Status.error in statuses:
            return ScoreResult(None, None, cats, ())
        scored = [c for c in cats if c.score is not None and c.weight > 0]
        total_weight = sum(c.weight for c in scored)
        if total_weight == 0:
            return ScoreResult(None, None, cats, ())
        overall = round(sum(c.weight * (c.score or 0.0) for c in scored) / total_weight, 1)
        grade, capped_by = _apply_caps(grade_for(overall, self.scoring), self.ids, statuses, self.scoring)
        return ScoreResult(overall, grade, cats, capped_by)
