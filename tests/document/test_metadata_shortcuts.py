"""Shortcuts of reading metadata (round 11) never change what is found.

A title candidate line is cleaned only when it holds 报告, 总结 or 情况 (every title ends in one,
and cleaning only blanks brackets and cuts a field label, so it never makes one); the lines are
searched for a 成文日期 date only when the text holds that word, and for a publication date only
when it holds 时间 or 日期 (every line is a piece of the text); township names are found from their
place words (镇, 乡, 街道), the same names the one pattern over the whole body finds; a first
measures heading (一、2023年度主要举措) is found at the start or after a line break by two patterns led
by what they match, as the one pattern led by ``(?:^|\n)`` finds it; a place ends in a county-level
city's name when one of its suffixes (one per name length) is one.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.document.layout import analyse
from auditor.document.metadata import (
    _TITLE,
    _TITLE_WORD,
    _clean,
    _ends_in_county_level_city,
    _measures_heading,
    county_level_cities,
    place_names,
    published_date,
    signed_date,
    unit_from_body,
)
from auditor.document.patterns import PUBLISHED, WRITTEN

#: the township names of a body, as the pattern found them before (the oracle)
_PLACE = re.compile(r"[\u4e00-\u9fa5]{2,3}(?:镇|乡|街道)(?=[\u4e00-\u9fa5])")

_PIECES = st.sampled_from(
    ["镇", "乡", "街道", "街", "道", "我", "周铁", "张渚", "中心", "村", " ", "。", ",", "a", "1", "\n", "報", "〇"]
)
_TEXT = st.lists(_PIECES, max_size=30).map("".join)
_LINE_PIECES = st.sampled_from(
    [
        "报",
        "告",
        "报告",
        "总",
        "结",
        "情况",
        "况",
        "情",
        "|",
        "【",
        "】",
        "[",
        "]",
        " ",
        "  ",
        "标题:",
        "发布机构:",
        "关于",
    ]
)
_LINE = st.lists(_LINE_PIECES, max_size=12).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
def test_place_names_are_what_the_one_pattern_finds(body: str) -> None:
    assert place_names(body) == [m.group(0) for m in _PLACE.finditer(body)]


@settings(max_examples=500, deadline=None)
@given(_LINE)
def test_a_cleaned_title_line_holds_a_title_word_before_cleaning(line: str) -> None:
    t = _clean(line).split("  ")[0].strip()
    if _TITLE.search(t):
        assert _TITLE_WORD.search(line)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["成文日期", "成文", "日期", ":", "2023", "年", "3", "月", "1", "日", " "]), max_size=10)
)
def test_a_written_date_holds_its_word(pieces: list[str]) -> None:
    line = "".join(pieces)
    if WRITTEN.search(line):
        assert "成文日期" in line


def test_the_township_named_most_often_stands_in_for_the_unit() -> None:
    body = "周铁镇开展普法。周铁镇建立法律顾问制度,我镇各村居落实。张渚镇学习。"
    assert unit_from_body(body) == "周铁镇"
    assert place_names("街道街道办事处") == [m.group(0) for m in _PLACE.finditer("街道街道办事处")]


_PAGE_PIECES = st.sampled_from(
    [
        "发布时间:2023-01-05",
        "成文日期:2022年12月30日",
        "日期",
        "时间",
        "\n",
        " ",
        "。" * 3,
        "x" * 310,
        "扫一扫",
        "一、",
        "工作",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PAGE_PIECES, max_size=14).map("".join))
def test_every_line_is_a_piece_of_the_text(text: str) -> None:
    layout = analyse(text)
    assert all(text[line.start : line.end] == line.text for line in layout.lines)
    published = next((m for line in layout.lines if (m := PUBLISHED.search(line.text))), None)
    if published is None:
        assert published_date(text, layout) is None
    if all(WRITTEN.search(line.text) is None for line in layout.lines) and not layout.signoff:
        assert signed_date(layout, text) is None


def test_a_page_dump_keeps_its_dates() -> None:
    text = (
        "首页 > 政务公开\n发布时间:2023-01-05 浏览次数:12\n成文日期:2022年12月30日\n"
        "一、主要举措\n我局坚持依法行政,推进各项工作。"
    )
    layout = analyse(text)
    assert published_date(text, layout) is not None
    assert str(signed_date(layout, text)) == "2022-12-30"


#: the first measures heading of an opening, as the one pattern found it (the oracle)
_MEASURES = re.compile(r"(?:^|\n)\s*一\s*[、.．]\s*(20\d\d)\s*年度?[^\n。]{0,30}?(举措|成效|情况|做法)")
_OPENING_PIECES = st.sampled_from(
    ["\n", " ", "一", "、", ".", "2023", "年", "度", "主要举措", "成效", "。", "工作", "\t"]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_OPENING_PIECES, max_size=20).map("".join))
@example("一、2023年主要成效")
@example("\n 一、2023年度主要举措")
@example("工作。\n一.2023年度工作情况\n一、2022年度主要举措")
def test_the_measures_heading_is_what_the_one_pattern_finds(head: str) -> None:
    found, expected = _measures_heading(head), _MEASURES.search(head)
    assert (found.span(), found.groups()) == (expected.span(), expected.groups()) if expected else found is None


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["", "浙江省", "某", "湖州", "省"]),
    st.sampled_from([*sorted(county_level_cities())[:40], "市", "州市", "某市", "北京市"]),
    st.sampled_from(["", "市", "x"]),
)
def test_a_county_level_city_is_found_by_its_suffix(before: str, name: str, after: str) -> None:
    place = before + name + after
    assert _ends_in_county_level_city(place) == any(place.endswith(c) for c in county_level_cities())
