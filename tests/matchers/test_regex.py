"""``type: regex``: patterns on normalised text, with a time budget."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from auditor.document import understand
from auditor.engine import evaluate_rule
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import evaluate, make_rule, regex, spec


def test_met_gap_and_hits() -> None:
    out = evaluate(regex(r"亲自(部署|过问|协调|督办)"), "对重要工作亲自部署、重大问题亲自过问。")
    assert out.status == "met"
    assert len(out.hits) == 2
    assert evaluate(regex(r"亲自(部署|过问)"), "主要领导带头抓。").status == "gap"


def test_patterns_see_normalised_text() -> None:
    # half-width punctuation and digits in the pattern, full-width in the report
    assert evaluate(regex(r"\(一\)加强"), "（一）加强组织领导").status == "met"
    assert evaluate(regex(r"\d+次"), "开展执法检查１２次。").status == "met"
    assert evaluate(regex(r"出庭应诉率\d+%"), "出庭应诉率１００％。").status == "met"
    assert evaluate(regex(r'"三项制度"'), "落实“三项制度”。").status == "met"


def test_negation_and_exclude() -> None:
    assert evaluate(regex("述法"), "我镇尚未开展述法工作。").status == "gap"
    assert evaluate(regex("述法", negation=False), "我镇尚未开展述法工作。").status == "met"
    assert evaluate(regex("述法", exclude=["论述法"]), "论述法治建设的重要意义。").status == "gap"


def test_any_of_several_patterns() -> None:
    data = regex("年终述法", "述职述法")
    assert evaluate(data, "开展述职述法。").status == "met"


@pytest.mark.parametrize("pattern", ["(未闭合", "[a-", "a{2,1}"])
def test_invalid_regex_is_rejected(pattern: str) -> None:
    with pytest.raises(ValidationError, match="有误"):
        spec(regex(pattern))


@pytest.mark.parametrize("pattern", ["a*", "(普法)?", "x|", "^"])
def test_regex_matching_the_empty_string_is_rejected(pattern: str) -> None:
    with pytest.raises(ValidationError, match="能匹配空字符串"):
        spec(regex(pattern))


def test_literals_are_plain_top_level_alternatives() -> None:
    s = spec(regex(r"出庭应诉|出庭率\d+|负责人(出庭|应诉)|法治政府建设"))
    assert s.literals() == ["出庭应诉", "法治政府建设"]


def test_catastrophic_pattern_becomes_an_error_finding() -> None:
    rule = make_rule(regex(r"(a+)+$"))
    doc = understand("a" * 5000 + "b")
    started = time.monotonic()
    finding, outcome = evaluate_rule(rule, doc, PhraseIndex.build([]).for_text(doc.text), 1.0)
    elapsed = time.monotonic() - started
    assert finding.status == "error"
    assert outcome is None
    assert "时间限制" in finding.message
    assert elapsed < 8, elapsed
