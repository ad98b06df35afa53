"""Chinese numerals and the numbers (with units) found in report text."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.normalize import normalize
from auditor.document.numbers import cn_to_int, find_numbers, parse_number


def _numbers(text: str) -> list[tuple[float, str, bool]]:
    return [(n.value, n.unit, n.approx) for n in find_numbers(text)]


# ------------------------------------------------------------------ cn_to_int


@settings(max_examples=250, deadline=None)
@given(st.integers(0, 99_999_999).filter(lambda n: "零" not in cn2an.an2cn(n)))
def test_cn_to_int_agrees_with_cn2an(n: int) -> None:
    assert cn_to_int(cn2an.an2cn(n)) == n


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 99_999_999))
def test_cn_to_int_never_returns_a_wrong_number(n: int) -> None:
    """Whatever it cannot parse yet, it never returns a different number."""
    assert cn_to_int(cn2an.an2cn(n)) in (n, None)


@pytest.mark.parametrize("n", [101, 1001, 1050, 10010, 100_005, 10_000_001, 20_305])
def test_cn_to_int_with_an_inner_zero(n: int) -> None:
    assert cn_to_int(cn2an.an2cn(n)) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("两万", 20_000),
        ("一百二十三", 123),
        ("二〇二三", 2023),
        ("二○二四", 2024),
        ("三千", 3000),
        ("一亿", 100_000_000),
    ],
)
def test_cn_to_int_examples(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "是", "一是", "十二次", "abc", "万"])
def test_cn_to_int_rejects_non_numerals(text: str) -> None:
    assert cn_to_int(text) is None


def test_parse_number() -> None:
    assert parse_number("1,560") == 1560.0
    assert parse_number("53.8") == 53.8
    assert parse_number("百") == 100.0
    assert parse_number("二十") == 20.0
    assert parse_number("是") is None


# ------------------------------------------------------------------ find_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("集体学法6次", [(6.0, "次", False)]),
        ("集体学法20余次", [(20.0, "次", True)]),
        ("集体学法十余次", [(10.0, "次", True)]),
        ("集体学法二十余次", [(20.0, "次", True)]),
        ("参加五十多人", [(50.0, "人", True)]),
        ("出庭应诉率百分之九十五", [(95.0, "%", False)]),
        ("出庭应诉率百分之百", [(100.0, "%", False)]),
        ("出庭应诉率100%", [(100.0, "%", False)]),
        ("出庭应诉率100 %", [(100.0, "%", False)]),
        ("投入资金1,560余万元", [(15_600_000.0, "元", True)]),
        ("化解率53.8%", [(53.8, "%", False)]),
        ("办理一百二十三件", [(123.0, "件", False)]),
        ("培训执法人员100人次", [(100.0, "人次", False)]),
        ("审查合同65份", [(65.0, "份", False)]),
    ],
)
def test_find_numbers(text: str, expected: list[tuple[float, str, bool]]) -> None:
    assert _numbers(text) == expected


def test_find_numbers_offsets() -> None:
    text = "全年开展执法检查12次,办理案件20余件,出庭应诉率100%。"
    found = find_numbers(text)
    assert [text[n.start : n.end] for n in found] == ["12次", "20余件", "100%"]
    assert [n.is_percent for n in found] == [False, False, True]
    # a sub-range only sees its own numbers
    start = text.index("办理")
    assert [n.value for n in find_numbers(text, start, text.index("出庭"))] == [20.0]


def test_full_width_digits_after_normalisation() -> None:
    text = normalize("全年开展执法检查１２次，出庭应诉率１００％，资金１，５６０万元。").text
    assert _numbers(text) == [(12.0, "次", False), (100.0, "%", False), (15_600_000.0, "元", False)]


@pytest.mark.parametrize(
    "text",
    ["一是加强领导", "二是规范执法", "全面落实三项制度", "一体推进", "三项制度全面落实", "一个中心"],
)
def test_lone_numeral_words_are_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_years_and_plain_numbers_have_no_unit() -> None:
    assert _numbers("2023年") == [(2023.0, "", False)]


@pytest.mark.parametrize(
    ("text", "value"), [("召开专题会议三次", 3.0), ("开展集中学法两次", 2.0), ("办理复议案件五件", 5.0)]
)
def test_lone_chinese_digit_with_a_count_unit_is_a_number(text: str, value: float) -> None:
    assert [n.value for n in find_numbers(text)] == [value]


def test_chinese_percent_with_a_decimal() -> None:
    assert _numbers("化解率百分之九十五点五") == [(95.5, "%", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("群众满意度九成五", [(95.0, "%", False)]),
        ("九成以上的案件", [(90.0, "%", False)]),
        ("十成把握", [(100.0, "%", False)]),
        ("投入十二万元", [(120_000.0, "元", False)]),
        ("投入1.2万元", [(12_000.0, "元", False)]),
        ("投入五十余万元", [(500_000.0, "元", True)]),
        ("受众12万人次", [(120_000.0, "人次", False)]),
        ("出庭应诉率百分之九十八点五", [(98.5, "%", False)]),
        ("出庭应诉率提高10个百分点，达到85%", [(10.0, "百分点", False), (85.0, "%", False)]),
    ],
)
def test_numbers_as_authors_write_them(text: str, expected: list[tuple[float, str, bool]]) -> None:
    assert _numbers(text) == expected


@pytest.mark.parametrize("text", ["圆满完成任务", "一成不变", "形成合力", "三成员单位", "九成立了"])
def test_cheng_in_words_is_not_a_share(text: str) -> None:
    assert [n for n in find_numbers(text) if n.unit == "%"] == []


def test_near_a_value_is_marked() -> None:
    (n,) = find_numbers("出庭应诉率近百分之百")
    assert (n.value, n.unit, n.near) == (100.0, "%", True)
    (n,) = find_numbers("出庭应诉率100%")
    assert not n.near


@pytest.mark.parametrize(
    ("sentence", "status", "rate"),
    [
        ("行政机关负责人出庭应诉率提高10个百分点，达到85%。", "gap", 85),
        ("行政机关负责人出庭应诉率达到百分之九十八点五。", "met", 98.5),
        ("行政机关负责人出庭应诉率九成五。", "met", 95),
        ("行政机关负责人出庭应诉率近百分之百。", "needs_review", 100),
        ("行政机关负责人出庭应诉率100%。", "met", 100),
    ],
)
def test_value_rule_reads_the_level_not_the_change(sentence: str, status: str, rate: float) -> None:
    from tests.helpers import evaluate

    outcome = evaluate(
        {
            "type": "value",
            "name": "rate",
            "kind": "percent",
            "op": ">=",
            "than": 90,
            "anchor": {"type": "phrases", "phrases": ["出庭应诉率"]},
        },
        "一、主要工作\n" + sentence,
    )
    assert (outcome.status, outcome.values["rate"]) == (status, rate)
