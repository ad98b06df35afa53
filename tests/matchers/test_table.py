"""``type: table``: a national statistics table is there and readable, on real reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import evaluate

GIA = Path(__file__).resolve().parents[2] / "fixtures" / "gov-info-disclosure"


def table(**kw: object) -> dict[str, object]:
    return {"type": "table", **kw}


@pytest.fixture(scope="module")
def county() -> str:
    return (GIA / "county-anlan-2023.txt").read_text(encoding="utf-8")


def test_a_readable_table_is_met(county: str) -> None:
    out = evaluate(table(table="application"), county)
    assert out.status == "met"
    assert out.hits


def test_a_named_row_that_is_not_there_is_a_gap(county: str) -> None:
    out = evaluate(table(table="application", rows=["总计", "没有这一行的标签"]), county)
    assert out.status == "gap"
    assert out.missing == ("没有这一行的标签",)


def test_no_table_is_a_gap() -> None:
    out = evaluate(
        table(table="review"), "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度无统计表。\n"
    )
    assert out.status == "gap"


def test_unreadable_is_met_only_when_a_row_cannot_be_read(county: str) -> None:
    assert evaluate(table(table="application", check="unreadable"), county).status == "gap"
