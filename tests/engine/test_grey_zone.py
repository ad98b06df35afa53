"""The grey zone (rule key `concepts`): a gap only when the concept is absent where it counts.
When the patterns find nothing but a concept term occurs — not negated, not in a heading — in
the rule's scope, the verdict is needs_review with the sentence as evidence."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from auditor.checklist import concept_spec
from auditor.commands.explain import explain_text
from auditor.document import understand
from auditor.engine import evaluate_rule
from auditor.loader import load_checklist
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import ROOT, make_rule, regex

STUDY = regex("集体学法|会前学法")
CONCEPT = ["学法|学习[^。;]{0,10}法律"]
SCOPED = {"exclude_roles": ["next_year", "shortcomings"]}


def _judge(rule: Any, text: str) -> Any:
    doc = understand(text, year=2023)
    index = PhraseIndex.build(
        [*rule.match.literals(), *concept_spec(tuple(rule.concepts)).literals()]
        if rule.concepts
        else rule.match.literals()
    )
    finding, _ = evaluate_rule(rule, doc, index.for_text(doc.text), 1.0)
    return finding


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("全年组织机关干部集体学法6次。", "met"),
        ("全年组织机关干部集中学法6次，效果良好。", "needs_review"),  # a wording the pattern lacks
        ("今年未开展干部学法。", "gap"),  # negated: no evidence of anything
        ("全年开展普法宣传活动20余次。", "gap"),  # the concept is absent
        ("一、主要举措和成效\n全年办理案件5件。\n二、下一年度工作安排\n组织干部集中学法。", "gap"),  # out of scope
    ],
)
def test_concept_in_scope_means_review(text: str, status: str) -> None:
    rule = make_rule(STUDY, concepts=CONCEPT, scope=SCOPED)
    assert _judge(rule, text).status == status


def test_review_shows_the_sentence_and_the_term() -> None:
    rule = make_rule(STUDY, concepts=CONCEPT)
    finding = _judge(rule, "2023年，我局工作有序推进。组织干部职工开展集中学法，全员参加。全年办理案件5件。")
    assert finding.status == "needs_review"
    assert [e.text for e in finding.evidence] == ["组织干部职工开展集中学法，全员参加。"]
    assert "学法" in finding.message


def test_without_concepts_a_miss_stays_a_gap() -> None:
    assert _judge(make_rule(STUDY), "全年组织机关干部集中学法6次。").status == "gap"


def test_a_heading_naming_the_concept_is_not_a_statement() -> None:
    rule = make_rule(regex("原因是"), concepts=["原因"], scope={"roles": ["shortcomings"]})
    text = "一、主要举措和成效\n全年办理案件5件。\n二、存在的不足和原因\n一是执法人员不足。二是普法形式单一。\n"
    assert _judge(rule, text).status == "gap"


def test_concept_scope_replaces_the_rule_scope() -> None:
    text = "一、主要举措和成效\n全年办理案件5件。\n二、下一年度工作安排\n组织干部集中学法。"
    rule = make_rule(STUDY, concepts=CONCEPT, scope=SCOPED, concept_scope={"roles": ["next_year"]})
    assert _judge(rule, text).status == "needs_review"


def test_concepts_are_validated() -> None:
    with pytest.raises(ValidationError, match="能匹配空字符串"):
        make_rule(STUDY, concepts=["学?"])
    with pytest.raises(ValidationError, match="有误"):
        make_rule(STUDY, concepts=["学法["])
    with pytest.raises(ValidationError, match="只用于"):
        make_rule({"type": "absent", "of": regex("法制办")}, concepts=["法制"])


def test_explain_lists_concepts_and_where_they_occur() -> None:
    checklist = load_checklist("fazhi")
    text = (ROOT / "fixtures" / "field" / "fazhi_pingtan-shehuishiyeju_2022.txt").read_text(encoding="utf-8")
    out = explain_text(checklist, "FR-04", understand(text))
    assert "关键概念" in out and "考核述职" in out and "待复核" in out


def test_every_presence_rule_of_the_default_checklist_declares_concepts_or_counts() -> None:
    """Presence rules name their concept; rules without are count thresholds, absences, dates, structure."""
    exempt_types = {"absent", "at_least", "date", "year", "section", "count", "cases"}
    for rule in load_checklist("fazhi").rules:
        if not rule.concepts:
            assert rule.match.type in exempt_types, rule.id  # type: ignore[union-attr]
