"""``type: section``: a part with a role or heading exists, with size and item checks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import REPORT, evaluate, spec

TEXT = """一、主要举措和成效
全年开展执法检查12次,办理案件20件。
二、存在的问题和不足
一是执法人员数量不足,全镇专职执法人员仅有6名,难以满足执法需要。二是普法宣传形式单一,主要依靠发放传单和悬挂横幅。三是有待加强。
三、2024年工作安排
继续加强执法队伍建设。"""


def section(**kw) -> dict:
    return {"type": "section", **kw}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("measures", "met"),
        ("shortcomings", "met"),
        ("next_year", "met"),
        ("first_responsible", "gap"),
        ("other", "gap"),
    ],
)
def test_roles(role: str, status: str) -> None:
    assert evaluate(section(role=role), TEXT).status == status


def test_evidence_is_the_heading_sentence() -> None:
    out = evaluate(section(role="shortcomings"), TEXT)
    (hit,) = out.hits
    assert hit.label == "二、存在的问题和不足"
    assert TEXT[hit.start : hit.end] == "二、存在的问题和不足"


def test_heading_regex() -> None:
    assert evaluate(section(heading="工作安排$"), TEXT).status == "met"
    assert evaluate(section(heading="第一责任人"), TEXT).status == "gap"


def test_min_chars() -> None:
    data = section(role="shortcomings", min_chars=50, value_prefix="s_")
    out = evaluate(data, TEXT)
    assert out.status == "met"
    assert out.values["s_chars"] == 75  # non-space characters, heading included
    assert evaluate(section(role="shortcomings", min_chars=500), TEXT).status == "gap"


def test_min_items_drops_generic_items() -> None:
    out = evaluate(section(role="shortcomings", min_items=2, value_prefix="s_"), TEXT)
    assert out.status == "met"
    assert out.values["s_items"] == 2  # 三是有待加强 is generic
    assert evaluate(section(role="shortcomings", min_items=3), TEXT).status == "gap"


def test_generic_only_shortcomings() -> None:
    text = """一、主要举措和成效
全年开展执法检查12次,办理案件20件。
二、存在的问题和不足
一是执法工作有待加强。二是普法宣传有待提高。三是队伍建设不够到位。
"""
    out = evaluate(section(role="shortcomings", min_items=1, value_prefix=""), text)
    assert out.status == "gap"
    assert out.values == {"chars": 43.0, "items": 0.0}


def test_custom_generic_patterns() -> None:
    text = """一、主要举措和成效
全年开展执法检查12次,办理案件20件。
二、存在的问题和不足
一是执法工作的规范化水平有待加强。二是普法宣传的覆盖面有待提高。三是队伍建设的各项措施不够到位。
"""
    assert evaluate(section(role="shortcomings", min_items=1), text).status == "gap"
    assert evaluate(section(role="shortcomings", min_items=3, generic=["^$"]), text).status == "met"


def test_items_without_markers_are_sentences_minus_the_opening_one() -> None:
    text = (
        "一、主要举措和成效\n全年开展执法检查12次,办理案件20件。\n"
        "二、存在的问题\n"
        "我镇法治政府建设还存在一些不足。执法人员数量不足,难以满足执法需要。"
        "普法宣传形式单一,群众参与度不高。\n"
    )
    out = evaluate(section(role="shortcomings", min_items=2, value_prefix=""), text)
    assert out.values["items"] == 2
    assert out.status == "met"


def test_cue_opened_part_counts_as_a_section() -> None:
    text = (
        "2023年,我镇全年开展执法检查12次,办理案件20件。在肯定成绩的同时,我镇还存在一些问题和不足。"
        "一是执法力量薄弱,专职执法人员仅有6名;二是普法形式单一,群众参与度不高。下一步,我镇将加强执法队伍建设。"
    )
    assert evaluate(section(role="shortcomings", min_items=2), text).status == "met"
    assert evaluate(section(role="next_year"), text).status == "met"


def test_first_responsible_in_report() -> None:
    out = evaluate(section(role="first_responsible", value_prefix="fr_"), REPORT)
    assert out.status == "met"
    assert out.values["fr_chars"] > 40


def test_invalid() -> None:
    with pytest.raises(ValidationError):
        spec(section(role="plans"))
    with pytest.raises(ValidationError):
        spec(section(heading="(未闭合"))
    with pytest.raises(ValidationError):
        spec(section(role="measures", min_chars=-1))
