"""A report's evidence is quoted after its rules, every distinct span once (``engine._quoted``): the
findings are those of each rule quoting its own, a failure while quoting stays that rule's ``error``,
and ``located`` places each shared piece of evidence once, where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import Document, understand
from auditor.document.location import Location, SourceMap
from auditor.engine import audit
from auditor.findings import located
from auditor.loader import load_checklist
from auditor.scoring import Scored, Scorer, score
from auditor.vocabulary import Status

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted(ROOT.glob("fixtures/seeds/*.txt"))[0]


def _doc() -> Document:
    return understand(SEED.read_text(encoding="utf-8"))


def test_rules_share_the_evidence_of_a_span() -> None:
    findings = audit(_doc(), load_checklist("fazhi")).findings
    quoted: dict[tuple[int, int], object] = {}
    for finding in findings:
        for e in finding.evidence:
            assert quoted.setdefault((e.start, e.end), e) is e  # one object per span and report
    assert len(quoted) > 10


def test_a_failure_while_quoting_is_the_quoting_rules_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one call for all spans fails: each finding is quoted alone, and only the rules whose
    spans cannot be quoted become ``error`` findings (the others as in a normal audit)."""
    checklist = load_checklist("fazhi")
    doc = _doc()
    normal = audit(doc, checklist).findings
    victim = next(f for f in normal if f.evidence)
    poisoned = victim.evidence[0].start
    quotes = Document.quotes

    def failing(self: Document, spans: list[tuple[int, int]], room: int) -> object:
        if any(self.norm.span_to_source(s, e)[0] == poisoned for s, e in spans):
            raise ValueError("a bug while quoting")
        return quotes(self, spans, room)

    monkeypatch.setattr(Document, "quotes", failing)
    findings = audit(doc, checklist).findings
    failed = [f for f in findings if f.status == "error"]
    assert victim.rule_id in {f.rule_id for f in failed}
    assert all(f.error_code == "internal" and "ValueError" in f.message for f in failed)
    assert all(any(e.start == poisoned for e in n.evidence) for n in normal if n.rule_id in {f.rule_id for f in failed})
    kept = {f.rule_id: f.to_dict() for f in findings if f.status != "error"}
    assert kept == {f.rule_id: f.to_dict() for f in normal if f.rule_id in kept}
    assert len(kept) > len(failed)


def test_shared_evidence_is_located_once_where_it_is() -> None:
    findings = audit(_doc(), load_checklist("fazhi")).findings
    before = [f.evidence for f in findings]
    asked: list[int] = []

    def where(start: int, line: int) -> Location | None:
        asked.append(start)
        return SourceMap.lines().at(start, line)

    assert located(findings, where) is findings
    distinct = {id(e): e for f in findings for e in f.evidence}
    nears = [f.near_miss.start for f in findings if f.near_miss is not None]
    assert sorted(asked) == sorted([e.start for e in distinct.values()] + nears)  # each piece of evidence once
    assert len(distinct) < sum(len(f.evidence) for f in findings)  # (some are shared)
    for f, evidence in zip(findings, before, strict=True):
        assert f.evidence is evidence  # placed where they are, not copied
        assert all(e.location == Location(line=e.line) for e in f.evidence)


def test_one_scorer_scores_every_report_of_its_checklist() -> None:
    """The engine's ``Scorer`` is made once per checklist: reused, it scores each report's statuses
    as ``score`` does with that report's findings."""
    checklist = load_checklist("fazhi")
    rules = [Scored(r.id, r.category, r.weight, Status.met) for r in checklist.rules]
    scorer = Scorer.of(rules, checklist.categories, checklist.scoring)
    statuses = [Status.met, Status.gap, Status.needs_review, Status.not_applicable]
    for turn in range(12):
        these = [statuses[(turn * 7 + k * (turn + 1)) % 4] for k in range(len(rules))]
        items = [r._replace(status=s) for r, s in zip(rules, these, strict=True)]
        assert scorer(these) == score(items, checklist.categories, checklist.scoring)
    assert scorer([Status.error] * len(rules)).score is None
