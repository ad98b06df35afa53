"""Review decisions on real reports: fingerprints, what a decision does, stale decisions, the
reviewed score."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.checklist import Checklist
from auditor.findings import Evidence, Finding, Review
from auditor.loader import load_checklist
from auditor.pipeline import Options, audit_source
from auditor.result import Report, dumps, report_from_json
from auditor.review import (
    ReviewError,
    apply_reviews,
    decide,
    fingerprint,
    normalise_evidence,
    reviewed_score,
    reviewed_status,
    with_reviews,
)
from auditor.vocabulary import Decision, Status

SEEDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))


@cache
def fazhi() -> Checklist:
    return load_checklist("fazhi")


@cache
def audited(path: Path) -> Report:
    report = audit_source(str(path), Options(), (fazhi(),))
    assert isinstance(report, Report)
    return report


def _first(report: Report, status: Status) -> Finding:
    found = [f for f in report.findings if f.status == status]
    if not found:
        pytest.skip(f"no {status} finding in {report.source}")
    return found[0]


def test_fingerprint_ignores_width_space_and_punctuation_but_not_words() -> None:
    base = Finding(
        "FR-01",
        Status.met,
        "t",
        "m",
        "major",
        1.0,
        "c",
        False,
        "",
        (),
        evidence=(Evidence("法治 政府，建设", 0, 7, 1, None),),
    )
    same = replace(base, evidence=(Evidence("法治政府建设。", 10, 17, 3, "x"),))
    other_words = replace(base, evidence=(Evidence("法治乡村建设", 0, 6, 1, None),))
    other_status = replace(base, status=Status.needs_review)
    assert fingerprint(base) == fingerprint(same)
    assert fingerprint(base) != fingerprint(other_words)
    assert fingerprint(base) != fingerprint(other_status)
    assert len(fingerprint(base)) == 16


@given(st.text())
def test_normalised_evidence_is_idempotent_and_spaceless(text: str) -> None:
    once = normalise_evidence(text)
    assert normalise_evidence(once) == once
    assert not any(ch.isspace() for ch in once)


@pytest.mark.parametrize(
    ("status", "decision", "new", "expected"),
    [
        (Status.gap, Decision.confirmed, None, Status.gap),
        (Status.needs_review, Decision.confirmed, None, Status.gap),
        (Status.gap, Decision.dismissed, None, Status.met),
        (Status.needs_review, Decision.dismissed, None, Status.met),
        (Status.met, Decision.changed, Status.gap, Status.gap),
        (Status.gap, Decision.changed, Status.not_applicable, Status.not_applicable),
    ],
)
def test_what_a_decision_does(status: Status, decision: Decision, new: Status | None, expected: Status) -> None:
    assert reviewed_status(status, decision, new) == expected


@pytest.mark.parametrize(
    ("status", "decision", "new"),
    [
        (Status.met, Decision.dismissed, None),
        (Status.not_applicable, Decision.dismissed, None),
        (Status.gap, Decision.changed, None),
        (Status.gap, Decision.changed, Status.error),
        (Status.gap, Decision.confirmed, Status.met),
    ],
)
def test_decisions_that_cannot_apply_say_why_in_chinese(status: Status, decision: Decision, new: Status | None) -> None:
    with pytest.raises(ReviewError, match=r"[\u4e00-\u9fff]"):
        reviewed_status(status, decision, new)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:12])
def test_dismissing_a_charge_raises_the_reviewed_score_and_survives_json(path: Path) -> None:
    report = audited(path)
    open_items = [f for f in report.findings if f.status in (Status.gap, Status.needs_review)]
    if not open_items:
        pytest.skip("nothing open")
    reviews = {f.rule_id: decide(f, Decision.dismissed, comment="已核实", reviewer="王五") for f in open_items}
    reviewed = apply_reviews(report, reviews)
    assert reviewed.reviews == reviews and not reviewed.stale
    after = reviewed_score(reviewed, fazhi())
    nobody = reviewed_score(apply_reviews(report, {}), fazhi())
    assert nobody.score == report.score and nobody.grade == report.grade
    assert after.score is not None and report.score is not None and after.score > report.score
    # the decision travels in the JSON and back
    shown = replace(report, findings=with_reviews(report.findings, reviews))
    back = report_from_json(orjson.loads(dumps(shown)))
    assert isinstance(back, Report)
    assert {f.rule_id: f.review for f in back.findings if f.review} == reviews


def test_a_decision_on_a_changed_finding_is_stale_not_applied() -> None:
    report = audited(SEEDS[0])
    met = _first(report, Status.met)
    review = decide(met, Decision.changed, status=Status.gap, comment="证据不足")
    revised_finding = replace(met, evidence=(Evidence("另一段完全不同的文字", 0, 10, 1, None),))
    revised = replace(report, findings=tuple(revised_finding if f is met else f for f in report.findings))
    kept = apply_reviews(report, {met.rule_id: review})
    moved = apply_reviews(revised, {met.rule_id: review})
    assert met.rule_id in kept.reviews and not kept.stale
    assert met.rule_id in moved.stale and not moved.reviews
    assert reviewed_score(moved, fazhi()).score == report.score


def test_hand_written_decision_without_fingerprint_applies_and_unknown_rules_are_listed() -> None:
    report = audited(SEEDS[0])
    finding = report.findings[0]
    hand = Review(Decision.changed, Status.not_applicable, "本年度不适用")
    result = apply_reviews(report, {finding.rule_id: hand, "NO-SUCH-RULE": hand})
    assert result.status(finding) == Status.not_applicable
    assert result.unknown == ("NO-SUCH-RULE",)
