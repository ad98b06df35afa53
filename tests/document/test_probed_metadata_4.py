"""Metadata of report shapes probed in a fourth round (法治政府建设年度报告 for 2025, published in 2026).

A sign-off dated in figures alone (2026.3.20, 2026-03-20, 2026/3/20, full-width ２０２６．３．２０) was no
sign-off date: the report had no date signed, so the deadline rule said nothing (not_applicable) even of a
report signed 2026.4.15, past the deadline."""

from __future__ import annotations

import pytest

from auditor.document import understand

BODY = (
    "2025年，青山镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）规范行政决策。全年作出重大行政决策3项，均履行公众参与、专家论证、风险评估和集体讨论决定程序。\n"
    "二、存在的不足和原因\n"
    "一是法治人才短缺，合法性审查力量薄弱；二是行政执法数字化水平有待提升。究其原因，主要是受编制所限。\n"
    "三、2026年工作安排\n"
    "2026年，我镇将重点加强法治人才队伍建设，推进数字法治政府建设。\n"
)
TITLE = "青山镇人民政府关于2025年度法治政府建设工作情况的报告\n\n县人民政府：\n"


@pytest.mark.parametrize(
    "written", ["2026.3.20", "2026-03-20", "2026/3/20", "２０２６．３．２０", "2026. 3. 20", "二〇二六年三月二十日"]
)
def test_a_signoff_date_in_figures_is_the_date_signed(written: str) -> None:
    meta = understand(f"{TITLE}{BODY}\n青山镇人民政府\n{written}\n").metadata
    assert meta.signed is not None and meta.signed.isoformat() == "2026-03-20"
    assert meta.unit == "青山镇人民政府"
    assert meta.source("signed").stated


def test_a_figure_line_in_the_body_is_no_signoff() -> None:
    """A report without a sign-off whose body holds a bare figure line is not dated by it."""
    body = BODY.replace("三、2026年工作安排", "2026.3.20\n三、2026年工作安排")
    meta = understand(f"{TITLE}{body}").metadata
    assert meta.signed is None


@pytest.mark.parametrize("unit", ["青山司法所", "城关派出所"])
def test_a_township_office_of_a_department_is_the_unit(unit: str) -> None:
    """A 司法所 (or 派出所) reporting on its own, named in its title and sign-off: the unit was none."""
    title = f"{unit}2025年度法治建设工作情况的报告\n\n"
    meta = understand(f"{title}{BODY}\n{unit}\n2026年1月10日\n").metadata
    assert meta.unit == unit
    assert str(meta.signed) == "2026-01-10"


def test_a_place_ending_in_suo_is_no_unit() -> None:
    """Only the offices named (司法所, 派出所, …): a line ending in 场所 is no issuer."""
    meta = understand(f"{TITLE}{BODY}\n公共场所\n2026年3月20日\n").metadata
    assert meta.unit == "青山镇人民政府"


@pytest.mark.parametrize("gap", [" ", "    ", "\u3000\u3000"])
def test_the_issuer_and_the_date_on_one_line(gap: str) -> None:
    """城东街道办事处 2026年4月2日 on one line (the date was none, and the unit, when the title names none)."""
    title = "2025年度法治政府建设情况报告\n\n"
    meta = understand(f"{title}{BODY}\n城东街道办事处{gap}2026年4月2日\n").metadata
    assert meta.unit == "城东街道办事处"
    assert str(meta.signed) == "2026-04-02"


def test_a_body_line_ending_in_a_date_is_no_signoff() -> None:
    """A sentence of the body that ends on a date is no sign-off line: the sign-off after it is."""
    body = BODY.replace("三、2026年工作安排", "县司法局于2025年6月30日\n三、2026年工作安排")
    meta = understand(f"{TITLE}{body}\n青山镇人民政府\n2026年3月20日\n").metadata
    assert str(meta.signed) == "2026-03-20"


@pytest.mark.parametrize(
    "written,signed",
    [
        ("2026年元月20日", "2026-01-20"),
        ("二〇二六年元月二十日", "2026-01-20"),
        ("2026年3月20日（此件公开发布）", "2026-03-20"),
        ("2026 年 3 月 20 日", "2026-03-20"),
    ],
)
def test_a_signoff_date_as_clerks_write_it(written: str, signed: str) -> None:
    """元月 for January, and a note after the date on its line (（此件公开发布）): the date was none."""
    meta = understand(f"{TITLE}{BODY}\n青山镇人民政府\n{written}\n").metadata
    assert str(meta.signed) == signed
    assert meta.unit == "青山镇人民政府"
