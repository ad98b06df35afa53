"""``type: phrases``: exact phrases after normalisation, negation, look-alikes, scope."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from auditor.document import understand
from auditor.matchers.base import is_negated, negation_patterns_match
from tests.helpers import REPORT, context, evaluate, hit_texts, phrases, spec


def status(data: dict, text: str, **kw) -> str:
    return evaluate(data, text, **kw).status


def test_met_and_gap() -> None:
    out = evaluate(phrases("年终述法", "述职述法"), "全年组织年终述法1次,述职述法全覆盖。")
    assert out.status == "met"
    assert [h.label for h in out.hits] == ["年终述法", "述职述法"]
    assert status(phrases("述法"), "全年开展普法活动30余场次。") == "gap"


def test_hits_are_spans_of_the_normalised_text() -> None:
    text = "全年组织年终述法1次。"
    doc = understand(text, year=2023)
    s = spec(phrases("年终述法"))
    out = s.evaluate(context(doc, s))
    assert hit_texts(out, doc.text) == ["年终述法"]


@pytest.mark.parametrize(
    ("rule_phrase", "report"),
    [
        ("12次", "开展执法检查１２次。"),  # full-width digits in the report
        ("１２次", "开展执法检查12次。"),  # full-width digits in the rule
        ("(一)", "（一）加强组织领导"),
        ("100%", "出庭应诉率１００％。"),
        ("三项制度", "落实“三项制度”。"),
        ("双塔镇", "双  塔  镇人民政府全年开展普法活动。"),
        ("执法全过程记录", "落实执法全过程\u3000记录制度。"),
    ],
)
def test_width_and_space_variants(rule_phrase: str, report: str) -> None:
    assert status(phrases(rule_phrase), report) == "met"


@pytest.mark.parametrize(
    "text",
    [
        "我镇尚未开展述法工作。",
        "未开展述法。",
        "没有开展年终述法。",
        "全年未能组织述法。",
        "主要负责人从未述法。",
        "全年无述法。",
        "述法工作尚未开展。",  # negation after the phrase
        "述法工作未开展。",
        "述法制度还没有建立。",
    ],
)
def test_negated_statements_are_not_evidence(text: str) -> None:
    out = evaluate(phrases("述法"), text)
    assert out.status == "gap"
    assert [c.verdict for c in out.candidates] == ["negated"]


@pytest.mark.parametrize(
    "text",
    [
        "加强未成年人述法教育。",  # 未成年人 is not a negation
        "全年开展述法,确保未来更好。",
        "全面推进无纸化述法。",
        "述法全覆盖。未开展的单位已整改。",  # the negation is in another clause
        "未雨绸缪,扎实开展述法。",
    ],
)
def test_look_alike_negations_are_evidence(text: str) -> None:
    assert status(phrases("述法"), text) == "met"


def test_negation_can_be_switched_off() -> None:
    assert status(phrases("没有行政诉讼"), "全年没有行政诉讼案件。") == "gap"
    assert status(phrases("没有行政诉讼", negation=False), "全年没有行政诉讼案件。") == "met"
    assert status(phrases("述法", negation=False), "我镇尚未开展述法工作。") == "met"


def test_is_negated_directly() -> None:
    text = "我镇尚未开展述法工作"
    i = text.index("述法")
    assert is_negated(text, i, i + 2)
    text = "加强未成年人述法教育"
    i = text.index("述法")
    assert not is_negated(text, i, i + 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("论述法治建设的重要意义。", "gap"),
        ("全年开展年终述法3次。", "met"),
        ("论述法治建设的重要意义,全年开展年终述法3次。", "met"),
    ],
)
def test_exclude_look_alike_substrings(text: str, expected: str) -> None:
    data = phrases("述法", exclude=["论述法"])
    out = evaluate(data, text)
    assert out.status == expected
    if "论述" in text:
        assert "excluded" in [c.verdict for c in out.candidates]
    # without the exclusion, the look-alike is a hit
    assert status(phrases("述法"), text) == "met"


def test_exclude_old_name_of_a_body() -> None:
    data = phrases("法制办", exclude=["原法制办"])
    assert status(data, "原法制办人员已划转至司法局。") == "gap"
    assert status(data, "市法制办指导我镇开展工作。") == "met"


def test_min_hits() -> None:
    data = phrases("述法", min_hits=2)
    assert status(data, "全年开展普法。") == "gap"
    # fewer hits than needed: evidence, but only enough for a human to look at
    assert status(data, "年终述法全覆盖。") == "needs_review"
    assert status(data, "年终述法全覆盖,开展会议述法2次。") == "met"


def test_overlapping_hits_count_once() -> None:
    out = evaluate(phrases("年终述法", "述法", min_hits=2), "开展年终述法。")
    assert out.status == "needs_review"
    assert len(out.hits) == 1


def test_scope_excludes_next_year_and_shortcomings() -> None:
    scoped = phrases("述法", scope={"exclude_roles": ["next_year", "shortcomings"]})
    out = evaluate(scoped, REPORT)
    assert out.status == "gap"
    verdicts = {c.verdict for c in out.candidates}
    assert verdicts == {"out of scope"}
    assert status(phrases("述法"), REPORT) == "met"


def test_scope_roles_and_headings() -> None:
    assert status(phrases("述法", scope={"roles": ["next_year"]}), REPORT) == "met"
    assert status(phrases("述法", scope={"roles": ["measures"]}), REPORT) == "gap"
    assert status(phrases("集体学法", scope={"headings": ["主要举措"]}), REPORT) == "met"
    assert status(phrases("集体学法", scope={"headings": ["第一责任人"]}), REPORT) == "gap"
    # headings match an ancestor too
    assert status(phrases("执法检查", scope={"headings": ["主要举措和成效$"]}), REPORT) == "met"


def test_front_matter_is_out_of_scope() -> None:
    # the title line is front matter: never evidence
    assert status(phrases("张渚镇人民政府2023年"), REPORT) == "gap"
    assert status(phrases("张渚镇人民政府2023年"), "张渚镇人民政府2023年,全年开展普法活动30余场次。") == "met"


def test_invalid_specs() -> None:
    with pytest.raises(ValidationError):
        spec({"type": "phrases", "phrases": []})
    with pytest.raises(ValidationError):
        spec({"type": "phrases", "phrases": ["  "]})
    with pytest.raises(ValidationError):
        spec({"type": "phrases", "phrases": ["x"], "exclude": ["(未闭合"]})
    with pytest.raises(ValidationError):
        spec({"type": "phrases", "phrases": ["x"], "unknown": 1})


def test_literals_are_normalised() -> None:
    assert spec(phrases("（一）", "１２次")).literals() == ["(一)", "12次"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="未没不无有尚能开展建立述法工作。,成年人仍还", max_size=40), st.data())
def test_negation_cue_shortcut_never_changes_the_answer(text: str, data: st.DataObject) -> None:
    """is_negated skips the patterns when no cue character (未没不无) is near: they must need one."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert is_negated(text, start, end) == negation_patterns_match(text, start, end)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("述法工作不是没有开展，而是全面开展。", False),
        ("不是没有开展述法工作。", False),
        ("并非未开展述法工作。", False),
        ("述法工作没有开展。", True),
        ("没有开展述法工作。", True),
        ("尚未开展述法工作。", True),
    ],
)
def test_a_negated_negation_affirms(text: str, negated: bool) -> None:
    from auditor.matchers.base import is_negated

    start = text.index("述法")
    assert is_negated(text, start, start + 2) is negated
