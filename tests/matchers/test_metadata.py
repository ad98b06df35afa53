"""``type: metadata``: conditions on level, year, title and unit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, spec

TEXT = (
    "张渚镇人民政府2023年法治政府建设情况报告\n"
    "2023年,我镇全年开展普法活动30余场次,发放宣传资料5000余份,组织学法6次。\n"
    "张渚镇人民政府\n2024年3月1日\n"
)


def meta(**kw) -> dict:
    return {"type": "metadata", **kw}


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (meta(field="level", **{"in": ["township"]}), "met"),
        (meta(field="level", **{"in": ["county", "city"]}), "gap"),
        (meta(field="year", min=2021), "met"),
        (meta(field="year", min=2024), "gap"),
        (meta(field="year", max=2023), "met"),
        (meta(field="year", max=2020), "gap"),
        (meta(field="year", min=2020, max=2025), "met"),
        (meta(field="title", matches="法治政府建设"), "met"),
        (meta(field="title", matches="^关于"), "gap"),
        (meta(field="unit", matches="^张渚镇"), "met"),
        (meta(field="unit", **{"in": ["张渚镇人民政府"]}), "met"),
        (meta(field="unit", **{"in": ["宜兴市人民政府"]}), "gap"),
    ],
)
def test_conditions(data: dict, status: str) -> None:
    assert evaluate(data, TEXT, year=None).status == status


def test_overrides_are_seen() -> None:
    assert evaluate(meta(field="level", **{"in": ["county"]}), TEXT, level="county").status == "met"
    assert evaluate(meta(field="year", max=2020), TEXT, year=2019).status == "met"


def test_missing_field_is_a_gap() -> None:
    out = evaluate(meta(field="title", matches="报告"), "全年开展普法活动30余场次,发放宣传资料5000余份。", year=None)
    assert out.status == "gap"
    assert out.missing == ("title",)


def test_needs_a_condition() -> None:
    with pytest.raises(ValidationError, match="至少要给一个"):
        spec(meta(field="level"))
    with pytest.raises(ValidationError):
        spec(meta(field="published", min=1))
    with pytest.raises(ValidationError):
        spec(meta(field="title", matches="(未闭合"))
