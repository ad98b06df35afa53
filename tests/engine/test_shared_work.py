"""Work shared between rules (per-report cache) changes no finding, and evidence is never repeated."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import understand
from auditor.engine import audit, evaluate_rule
from auditor.loader import load_checklist
from auditor.scoring import Scored, rule_points

ROOT = Path(__file__).resolve().parents[2]
REPORTS = sorted(ROOT.glob("fixtures/seeds/*.txt")) + sorted(ROOT.glob("fixtures/unseen/*.txt"))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_shared_cache_gives_the_findings_of_rules_run_alone(path: Path) -> None:
    """``audit`` shares a cache between rules and evaluates them lean (``Context.lean``); a
    rule run alone, in full, gives the same finding."""
    checklist = load_checklist("fazhi")
    doc = understand(path.read_text(encoding="utf-8"))
    together = audit(doc, checklist).findings
    points = rule_points([Scored(r.id, r.category, r.weight, "met") for r in checklist.rules], checklist.categories)
    index = checklist.index.for_text(doc.text)
    alone = [evaluate_rule(r, doc, index, points.get(r.id, 0.0), checklist.header.params)[0] for r in checklist.rules]
    assert [f.to_dict() for f in together] == [f.to_dict() for f in alone]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_evidence_never_quotes_a_span_twice(path: Path) -> None:
    for finding in audit(understand(path.read_text(encoding="utf-8")), load_checklist("fazhi")).findings:
        spans = [(e.start, e.end) for e in finding.evidence]
        assert len(spans) == len(set(spans)), finding.rule_id


def test_a_span_found_by_two_children_is_one_hit() -> None:
    """`any` of two regexes that both find 三项制度 quotes it once (it used to be listed per pattern)."""
    from tests.helpers import evaluate

    data = {
        "type": "any",
        "of": [
            {"type": "regex", "patterns": ["执法公示|三项制度"]},
            {"type": "regex", "patterns": ["法制审核|三项制度"]},
        ],
    }
    out = evaluate(data, "全面落实“三项制度”，促进严格规范公正文明执法。")
    assert out.status == "met"
    assert [(h.start, h.end) for h in out.hits] == [(5, 9)]
