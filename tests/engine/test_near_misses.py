"""Near misses that help (issue 17.6): on every seed and field report, a near miss is never a
fragment shorter than its rule's shortest phrase, and it comes with the sentence it sits in
(``context``) and the part of the report (``part``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from auditor.document.normalize import normalize
from auditor.engine import near_miss
from auditor.loader import load_bundled
from auditor.pipeline import Options, audit_source
from auditor.result import Report

ROOT = Path(__file__).resolve().parents[2] / "fixtures"
REPORTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "field").glob("*.txt"))


@cache
def _checklists() -> tuple[Any, ...]:
    return tuple(load_bundled())


@cache
def _shortest() -> dict[str, int]:
    return {
        rule.id: min((len(p) for p in rule.match.literals()), default=1)
        for checklist in _checklists()
        for rule in checklist.rules
    }


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem[:12] for p in REPORTS])
def test_near_misses_are_whole_phrases_in_their_sentence(path: Path) -> None:
    report = audit_source(str(path), Options(), _checklists())
    assert isinstance(report, Report)
    for finding in report.findings:
        near = finding.near_miss
        if near is None:
            continue
        assert len(normalize(near.text).text.strip()) >= _shortest()[finding.rule_id], (finding.rule_id, near.text)
        assert _squash(near.text) in _squash(near.context), (finding.rule_id, near)
        assert len(near.context) > len(near.text) or near.context == near.text
        assert near.part, (finding.rule_id, near)
        assert near.reason


def test_all_reports_together_offer_near_misses() -> None:
    """The check above is not vacuous: the reports do offer near misses."""
    count = 0
    for path in REPORTS:
        report = audit_source(str(path), Options(), _checklists())
        assert isinstance(report, Report)
        count += sum(f.near_miss is not None for f in report.findings)
    assert count >= 5


def test_a_too_short_rejected_candidate_is_not_offered() -> None:
    """The rejected two-character hit (造成, out of scope) of a rule whose phrases are longer is left out."""
    from auditor.document import understand
    from auditor.matchers.base import Candidate, Context, Outcome
    from auditor.vocabulary import Status, Verdict

    checklist = next(c for c in _checklists() if any(r.id == "STR-02B" for r in c.rules))
    rule = next(r for r in checklist.rules if r.id == "STR-02B")
    doc = understand("一、主要举措\n今年工作造成了很大影响，究其原因是经费不足。\n二、存在的不足\n人手不够。\n")
    ctx = Context(doc, checklist.index.for_text(doc.text))
    short = doc.text.index("造成")
    longer = doc.text.index("究其原因")
    only_short = Outcome(Status.gap, candidates=(Candidate(short, short + 2, 100.0, Verdict.out_of_scope),))
    assert near_miss(rule, ctx, only_short) is None or near_miss(rule, ctx, only_short).text != "造成"
    both = Outcome(
        Status.gap,
        candidates=(
            Candidate(short, short + 2, 100.0, Verdict.out_of_scope),
            Candidate(longer, longer + 4, 100.0, Verdict.out_of_scope),
        ),
    )
    found = near_miss(rule, ctx, both)
    assert found is not None and found.text == "究其原因"
    assert "经费不足" in found.context and "主要举措" in found.part
