"""Rule evaluation: applicability, scope, messages, evidence, near misses, errors."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.document import understand
from auditor.engine import audit, evaluate_rule
from auditor.findings import Finding
from auditor.loader import load_checklist
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import REPORT, make_rule, phrases, seed_text


def run(
    rule_match: dict[str, Any], text: str, *, year: int | None = 2023, level: str | None = None, **kw: Any
) -> Finding:
    rule = make_rule(rule_match, **kw)
    doc = understand(text, year=year, level=level)
    index = PhraseIndex.build(rule.match.literals()).for_text(doc.text)
    finding, _ = evaluate_rule(rule, doc, index, 1.0)
    return finding


EXCLUDE = {"exclude_roles": ["next_year", "shortcomings"]}


def test_rule_scope_ignores_plans_and_shortcomings() -> None:
    finding = run(phrases("述法"), REPORT, scope=EXCLUDE)
    assert finding.status == "gap"
    assert finding.near_miss is not None
    assert "不计为证据" in finding.near_miss.reason
    assert finding.near_miss.text == "述法"
    assert run(phrases("述法"), REPORT).status == "met"


def test_scope_on_the_top_level_match_is_applied() -> None:
    finding = run({**phrases("述法"), "scope": EXCLUDE}, REPORT)
    assert finding.status == "gap"


def test_scope_on_a_nested_match_is_applied() -> None:
    nested = {"type": "any", "of": [{**phrases("述法"), "scope": EXCLUDE}]}
    assert run(nested, REPORT).status == "gap"


@pytest.mark.parametrize(
    ("applies", "year", "level", "status", "reason"),
    [
        ({"year": {"min": 2021}}, 2020, None, "not_applicable", "报告年度 2020 早于 2021 年"),
        ({"year": {"min": 2021}}, 2021, None, "met", None),
        ({"year": {"max": 2020}}, 2021, None, "not_applicable", "晚于 2020 年"),
        ({"year": {"min": 2021}}, None, None, "not_applicable", "未能识别报告年度"),
        ({"levels": ["county"]}, 2023, "township", "not_applicable", "报告层级（township）"),
        ({"levels": ["county", "township"]}, 2023, "township", "met", None),
    ],
)
def test_applicability(applies: dict, year: int | None, level: str | None, status: str, reason: str | None) -> None:
    text = "全年开展年终述法3次。"
    finding = run(phrases("述法"), text, year=year, level=level, applies=applies)
    assert finding.status == status
    if reason:
        assert reason in finding.message


def test_applies_when() -> None:
    applies = {"when": phrases("行政诉讼")}
    finding = run(phrases("出庭应诉"), "全年开展普法。", applies=applies, na_message="全年无行政诉讼。")
    assert (finding.status, finding.message) == ("not_applicable", "全年无行政诉讼。")
    assert run(phrases("出庭应诉"), "发生行政诉讼5件,负责人出庭应诉5次。", applies=applies).status == "met"


def test_messages_are_formatted() -> None:
    match = {
        "type": "at_least",
        "n": 2,
        "of": [phrases("公众参与", label="公众参与"), phrases("专家论证", label="专家论证")],
    }
    finding = run(match, "重大决策经公众参与。", gap_message="缺少：{missing}；已写：{found}；{Y}年，{Y+1}年")
    assert finding.status == "gap"
    assert finding.message == "缺少：专家论证；已写：公众参与；2023年，2024年"
    assert finding.remediation == "在2024年3月31日前补充。"
    unknown = run(match, "重大决策经公众参与。", year=None, gap_message="{Y+1}年", remediation="{Y}年")
    assert (unknown.message, unknown.remediation) == ("Y+1年", "Y年")


def test_value_placeholders_and_default_messages() -> None:
    value = {
        "type": "value",
        "name": "rate",
        "kind": "percent",
        "anchor": phrases("出庭应诉率"),
        "op": ">=",
        "than": 90,
    }
    gap = run(value, "负责人出庭应诉率达85%。", gap_message="出庭应诉率仅{rate}%")
    assert (gap.status, gap.message, gap.values) == ("gap", "出庭应诉率仅85%", {"rate": 85.0})
    met = run(value, "负责人出庭应诉率达95%。")
    assert met.message == "已找到相关内容。"


def test_rule_values_are_extracted_for_the_output() -> None:
    finding = run(
        phrases("集体学法"),
        "中心组集体学法6次。",
        values=[{"type": "value", "name": "count", "kind": "count", "anchor": phrases("集体学法")}],
    )
    assert finding.status == "met"
    assert finding.values == {"count": 6.0}
    finding = run(
        phrases("集体学法"),
        "中心组集体学法。",
        values=[{"type": "value", "name": "count", "kind": "count", "anchor": phrases("集体学法")}],
    )
    assert finding.values == {}  # absent, never 0


def test_evidence_is_capped_and_located() -> None:
    text = "\n".join(f"第{i}次开展年终述法。" for i in range(1, 9))
    finding = run(phrases("述法"), text)
    assert len(finding.evidence) == 5
    for i, e in enumerate(finding.evidence):
        assert e.text == "述法"
        assert e.line == i + 1
        assert text[e.start : e.end] == "述法"


def test_near_miss_for_a_negated_statement() -> None:
    finding = run(phrases("述法"), "全年开展普法活动。我镇尚未开展述法工作。")
    assert finding.status == "gap"
    assert finding.near_miss is not None
    assert finding.near_miss.reason.startswith("否定表述")
    assert finding.near_miss.text == "述法"


def test_near_miss_for_a_look_alike() -> None:
    finding = run(phrases("述法", exclude=["论述法"]), "论述法治建设的重要意义。")
    assert finding.near_miss is not None
    assert "形近词" in finding.near_miss.reason


def test_near_miss_from_fuzzy_search_when_nothing_was_rejected() -> None:
    finding = run(phrases("行政执法公示制度"), "全面落实行政执法公开制度,全年公开信息12条。")
    assert finding.status == "gap"
    assert finding.near_miss is not None
    assert 60 <= finding.near_miss.score < 100
    assert finding.near_miss.reason == "最接近的表述，但未达到匹配要求"


def test_no_near_miss_when_met_or_far() -> None:
    assert run(phrases("述法"), "全年开展年终述法3次。").near_miss is None
    assert run(phrases("行政执法公示制度"), "今年天气很好。").near_miss is None


def test_audit_report_with_the_default_checklist() -> None:
    checklist = load_checklist("fazhi")
    result = audit(understand(REPORT), checklist)
    status = {f.rule_id: f.status for f in result.findings}
    values = {f.rule_id: f.values for f in result.findings}
    assert status["STR-01"] == "met"
    assert status["STR-02A"] == "met"
    assert status["STR-02B"] == "met"  # 主要原因是编制所限
    assert status["STR-03"] == "met"
    assert status["STR-04"] == "met"
    assert status["STR-05"] == "not_applicable"
    assert status["FR-01"] == "met"  # 亲自部署、亲自过问
    assert status["FR-04"] == "gap"  # 述法 only in the shortcomings and the plans
    assert values["FR-03"].get("count") == 6.0
    assert status["YR-02"] == "met"
    assert status["DL-01"] == "needs_review"  # only a sign-off date, on time
    assert result.score.score is not None
    assert [c.id for c in result.score.categories] == [c.id for c in checklist.categories]


def test_audit_is_deterministic_on_a_seed() -> None:
    checklist = load_checklist("fazhi")
    doc = understand(seed_text("003"))
    first = audit(doc, checklist)
    second = audit(understand(seed_text("003")), checklist)
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert first.score == second.score
