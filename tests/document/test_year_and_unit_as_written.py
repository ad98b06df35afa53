"""The report year and unit as real titles and sign-offs write them (levels: test_document.py).

Shapes found in the field: a title citing 《法治政府建设实施纲要（2021—2025年）》, a title naming
next year's plans before the year reported on, a year in Chinese numerals, a publication date
before the year it reports on could have ended, share buttons glued to a flattened page's title, a
地区行政公署, a 林场. Each was a stated year or level that was wrong, so a verdict rested on it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.document.metadata import plain_years, title_year
from tests.helpers import SEED_FILES


@pytest.mark.parametrize(
    "title,year",
    [
        ("张渚镇人民政府2022年法治政府建设情况报告", 2022),
        ("关于2023年法治政府建设情况和2024年工作安排的报告", 2023),
        ("2024年工作思路暨2023年法治政府建设工作总结", 2023),
        ("关于2022年法治工作情况暨2023年工作要点的报告", 2022),
        ("某县2023年度法治政府建设工作总结及2024年工作计划", 2023),
        ("安澜县人民政府二〇二三年度法治政府建设情况报告", 2023),
        ("关于贯彻落实《法治政府建设实施纲要(2021-2025年)》情况的报告", None),
        ("关于贯彻落实《纲要(2021-2025年)》2023年度情况的报告", 2023),
        ("法治政府建设年度报告(2024年3月)", None),  # the date it was written, not the year
        ("某市2021年至2025年法治政府建设规划", None),
        ("到2025年基本建成法治政府的报告", None),
        ("法治政府建设情况报告", None),
    ],
)
def test_the_year_a_title_reports_on(title: str, year: int | None) -> None:
    assert title_year(title) == year


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(2015, 2030),
    span=st.tuples(st.integers(2000, 2040), st.integers(0, 10)),
    before=st.booleans(),
    dash=st.sampled_from(["-", "—", "至", "~"]),
)
def test_a_cited_title_or_a_range_never_becomes_the_year(
    year: int, span: tuple[int, int], before: bool, dash: str
) -> None:
    cited = f"《法治政府建设实施纲要({span[0]}{dash}{span[0] + span[1]}年)》"
    ranged = f"{span[0]}年{dash}{span[0] + span[1]}年"
    own = f"{year}年度法治政府建设情况"
    for extra in (cited, ranged):
        title = f"关于贯彻{extra}{own}的报告" if before else f"关于{own}暨贯彻{extra}的报告"
        assert title_year(title) == year, title
        assert [m.group(1) for m in plain_years(title)] == [str(year)], title


def _seed_with(title: str, published: str | None = None) -> str:
    """Seed 0 (张渚镇, 2023) under another title, its own title and 现将2023年度… sentence left out."""
    text = SEED_FILES[0].read_text(encoding="utf-8")
    own = understand(text).metadata.title
    assert own
    text = "\n".join(line for line in text.splitlines() if line.strip() != own)
    text = re.sub(r"现将2023年度[^。:：]*[。:：]", "", text)
    head = f"{title}\n发布时间：{published}\n" if published else f"{title}\n"
    return head + text


def test_a_year_in_chinese_numerals_in_the_title_is_stated() -> None:
    meta = understand(_seed_with("安澜县人民政府二〇二三年度法治政府建设情况报告", "2024-04-15")).metadata
    assert meta.year == 2023 and meta.source("year").source == "title" and meta.source("year").sure


def test_a_title_year_the_publication_date_is_too_early_for_is_contradicted() -> None:
    moved = _seed_with("安澜县司法局2025年法治政府建设情况报告", "2024-04-20").replace("2023年", "2025年")
    meta = understand(moved).metadata
    conflict = meta.source("year").conflict or ""
    assert meta.year == 2025 and meta.source("year").stated and not meta.source("year").sure
    assert "发布日期为2024年4月20日" in conflict and "早于2025年度结束" in conflict
    fine = understand(_seed_with("安澜县司法局2023年法治政府建设情况报告", "2024-03-20")).metadata
    assert fine.year == 2023 and fine.source("year").sure
    december = understand(_seed_with("安澜县司法局2023年法治政府建设情况报告", "2023-12-20")).metadata
    assert december.source("year").sure  # a year's report may be out in its December


def test_a_cited_plan_in_the_title_leaves_the_year_to_the_text_and_dates() -> None:
    title = "安澜县司法局关于贯彻落实《法治政府建设实施纲要(2021—2025年)》情况的报告"
    meta = understand(_seed_with(title, "2024-03-20")).metadata
    assert meta.year != 2025 and meta.year is not None


def test_share_buttons_glued_to_a_flattened_title_are_not_the_unit() -> None:
    text = _seed_with("标题: 桃广镇关于2023年度法治政府建设情况的报告")
    glued = "QQ空间重庆市开州区桃广镇人民政府关于2023年度法治政府建设情况的报告"
    text = text.replace("\n", f"\n时间:2024-01-26 09:13 微信微博\n{glued}\n", 1)
    meta = understand(text).metadata
    assert meta.title is not None and "QQ" not in meta.title
    assert meta.unit is not None and not re.search("QQ|微信|微博", meta.unit)


@pytest.mark.parametrize("unit", ["安澜县国有林场", "红星农场"])
def test_a_forest_farm_or_state_farm_signing_its_report_is_its_unit(unit: str) -> None:
    text = SEED_FILES[0].read_text(encoding="utf-8").rstrip() + f"\n{unit}\n2024年3月20日\n"
    lines = text.splitlines()
    signoff = [i for i, line in enumerate(lines) if line.strip().endswith("人民政府")]
    for i in signoff[-1:]:
        lines[i] = ""
    assert understand("\n".join(lines)).metadata.unit == unit
