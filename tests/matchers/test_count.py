"""``type: count``: the number of hits, or hits per N report characters."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from auditor.document import understand
from tests.helpers import evaluate, regex, spec

FIGURES = regex(r"\d+(次|件|人次)", negation=False)
TEXT = "开展执法检查12次,办理案件20件,培训30人次。" * 3


def test_count_of_hits() -> None:
    out = evaluate({"type": "count", "of": FIGURES, "min": 5, "value": "n"}, TEXT)
    assert out.status == "met"
    assert out.values == {"n": 9.0}
    assert len(out.hits) == 5  # evidence is capped


def test_below_min_is_a_gap() -> None:
    out = evaluate({"type": "count", "of": FIGURES, "min": 10, "value": "n"}, TEXT)
    assert out.status == "gap"
    assert out.values == {"n": 9.0}


def test_density_per_chars() -> None:
    doc = understand(TEXT, year=2023)
    assert doc.body_chars() == 75
    out = evaluate({"type": "count", "of": FIGURES, "per_chars": 1000, "min": 3, "value": "density"}, TEXT)
    assert out.values == {"density": round(9 * 1000 / 75, 2)}
    assert out.status == "met"


def test_density_ignores_chrome_and_spaces() -> None:
    page = "网站首页 政府信息公开 互动交流\n索引号 | 123 | 发布机构 | 张渚镇 |\n" + TEXT + "\n扫一扫在手机打开当前页\n"
    out = evaluate({"type": "count", "of": FIGURES, "per_chars": 1000, "min": 3, "value": "density"}, page)
    assert out.values == {"density": 120.0}


def test_low_density_is_a_gap() -> None:
    text = "全面加强法治政府建设,不断提升依法行政水平,营造良好法治氛围。" * 20 + "开展执法检查12次。"
    out = evaluate({"type": "count", "of": FIGURES, "per_chars": 1000, "min": 3, "value": "density"}, text)
    assert out.status == "gap"
    assert 0 < out.values["density"] < 3


def test_grey_hits_are_not_counted() -> None:
    grey = {"type": "fuzzy", "phrases": ["行政执法公示"], "threshold": 95, "review_threshold": 60}
    out = evaluate({"type": "count", "of": grey, "value": "n"}, "全面落实行政执法公开制度。")
    assert out.status == "gap"
    assert out.values == {"n": 0.0}


def test_no_value_name_no_value() -> None:
    assert evaluate({"type": "count", "of": FIGURES}, TEXT).values == {}


def test_invalid() -> None:
    with pytest.raises(ValidationError):
        spec({"type": "count", "of": FIGURES, "per_chars": 0})
    with pytest.raises(ValidationError):
        spec({"type": "count", "of": FIGURES, "min": -1})
