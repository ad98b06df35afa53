"""Deltas: score, categories and rule statuses from two report dicts of the JSON contract."""

from __future__ import annotations

from auditor.compare.deltas import category_deltas, rule_deltas


def _report(score: float | None, cats: dict[str, float | None], rules: dict[str, str]) -> dict[str, object]:
    return {
        "score": score,
        "categories": [{"id": k, "title": f"类{k}", "score": v} for k, v in cats.items()],
        "findings": [{"rule_id": k, "title": f"规则{k}", "status": v} for k, v in rules.items()],
    }


def test_every_category_and_rule_of_either_report_is_listed_once() -> None:
    last = _report(60.0, {"A": 50.0, "B": 70.0}, {"R-1": "gap", "R-2": "met", "R-OLD": "met"})
    this = _report(75.0, {"A": 80.0, "C": None}, {"R-1": "met", "R-2": "met", "R-NEW": "needs_review"})
    cats = {d.id: (d.last, d.this) for d in category_deltas(last, this)}
    assert cats == {"A": (50.0, 80.0), "C": (None, None), "B": (70.0, None)}
    rules = {d.rule_id: (d.last, d.this) for d in rule_deltas(last, this)}
    assert rules == {
        "R-1": ("gap", "met"),
        "R-2": ("met", "met"),
        "R-NEW": (None, "needs_review"),
        "R-OLD": ("met", None),
    }


def test_an_error_report_has_no_categories_or_findings() -> None:
    assert category_deltas({"error": "x"}, {"error": "y"}) == []
    assert rule_deltas({"error": "x", "findings": None}, {}) == []
