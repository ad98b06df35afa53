"""``type: value``: a number after an anchor, in the same clause, with units and comparisons."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, phrases, spec

RATE = {"type": "value", "name": "rate", "kind": "percent", "anchor": phrases("出庭应诉率")}
COUNT = {"type": "value", "name": "count", "kind": "count", "anchor": phrases("集体学法")}


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("负责人出庭应诉率达100%。", 100.0),
        ("负责人出庭应诉率达百分之百。", 100.0),
        ("负责人出庭应诉率达１００％。", 100.0),
        ("负责人出庭应诉率100 %。", 100.0),
        ("负责人出庭应诉率达百分之九十五。", 95.0),
        ("负责人出庭应诉率为53.8%。", 53.8),
    ],
)
def test_percent(text: str, rate: float) -> None:
    out = evaluate(RATE, text)
    assert out.status == "met"
    assert out.values == {"rate": rate}


def test_percent_ignores_counts_and_other_clauses() -> None:
    out = evaluate(RATE, "负责人出庭应诉率较高,全年100%办结。")
    assert out.status == "gap"
    assert out.values == {}
    assert out.missing == ("rate",)
    assert evaluate(RATE, "负责人出庭应诉率达标,出庭12次。").values == {}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("中心组集体学法6次。", 6.0),
        ("中心组集体学法20余次。", 20.0),
        ("中心组集体学法十余次。", 10.0),
        ("中心组集体学法二十余次。", 20.0),
        ("中心组集体学法１２次。", 12.0),
        ("中心组集体学法共计3场。", 3.0),
        ("中心组集体学法6次,专题讲座3次。", 6.0),  # the first figure stated
    ],
)
def test_count(text: str, count: float) -> None:
    assert evaluate(COUNT, text).values == {"count": count}


def test_count_units() -> None:
    assert evaluate(COUNT, "集体学法,参加100人。").values == {}  # 人 is not a count unit by default
    assert evaluate({**COUNT, "units": ["人"]}, "集体学法,参加100人。").values == {}  # another clause
    assert evaluate({**COUNT, "units": ["人"]}, "集体学法参加100人。").values == {"count": 100.0}
    assert evaluate({**COUNT, "units": ["场"]}, "集体学法6次。").values == {}
    assert evaluate(COUNT, "集体学法时间为2023年3月,共6次。").values == {}  # years are not counts


def test_window_limits_the_distance() -> None:
    text = "集体学法形式多样内容丰富效果良好共6次。"
    assert evaluate({**COUNT, "window": 5}, text).values == {}
    assert evaluate({**COUNT, "window": 30}, text).values == {"count": 6.0}


AMOUNT = {"type": "value", "name": "amount", "kind": "number", "anchor": phrases("投入资金")}


def test_number_kind_accepts_any_non_percent() -> None:
    assert evaluate(AMOUNT, "投入资金560余万元。").values == {"amount": 5_600_000.0}  # in 元
    assert evaluate(AMOUNT, "投入资金增长15%。").values == {"amount": 15.0}
    assert evaluate({**AMOUNT, "units": ["元"]}, "投入资金增长15%。").values == {}


@pytest.mark.parametrize(
    ("data", "text", "expected"),
    [
        (AMOUNT, "投入资金1,560余万元。", {"amount": 15_600_000.0}),
        ({**AMOUNT, "units": ["万元"]}, "投入资金1,560余万元。", {"amount": 1560.0}),
        ({**AMOUNT, "units": ["万元"]}, "投入资金一千五百六十万元。", {"amount": 1560.0}),
        (COUNT, "集体学法共计1,200人次。", {"count": 1200.0}),
    ],
)
def test_thousands_separator_is_not_a_clause_end(data: dict, text: str, expected: dict) -> None:
    assert evaluate(data, text).values == expected


@pytest.mark.parametrize(
    ("op", "than", "status"),
    [
        (">=", 90, "gap"),
        (">=", 85, "met"),
        (">", 85, "gap"),
        ("<", 90, "met"),
        ("<=", 85, "met"),
        ("==", 85, "met"),
        ("!=", 85, "gap"),
    ],
)
def test_comparisons(op: str, than: float, status: str) -> None:
    out = evaluate({**RATE, "op": op, "than": than}, "负责人出庭应诉率达85%。")
    assert out.status == status
    assert out.values == {"rate": 85.0}  # the value is reported either way


def test_evidence_spans_anchor_to_number() -> None:
    out = evaluate(RATE, "负责人出庭应诉率达100%。")
    (hit,) = out.hits
    assert (hit.start, hit.end) == (3, 13)  # 出庭应诉率达100%
    assert hit.label == "rate"


def test_anchor_in_scope_only() -> None:
    text = "一、主要举措和成效\n全年开展执法检查12次。\n二、下一年度工作安排\n中心组集体学法12次。\n"
    assert evaluate(COUNT, text).values == {"count": 12.0}
    assert evaluate({**COUNT, "scope": {"exclude_roles": ["next_year"]}}, text).values == {}


def test_invalid() -> None:
    with pytest.raises(ValidationError):
        spec({**RATE, "name": "Rate"})
    with pytest.raises(ValidationError):
        spec({**RATE, "window": 0})
    with pytest.raises(ValidationError):
        spec({**RATE, "op": "=>"})
    with pytest.raises(ValidationError):
        spec({**RATE, "kind": "ratio"})
