"""The shortcuts that let understanding skip work never change what it finds.

Each shortcut is a necessary condition checked before the full test (a word every sentence cue
or titled role needs; a marker ahead of an inline heading start): these properties check, on
generated text made of the very pieces the patterns look for, that the full test never
succeeds where the shortcut says it cannot, and that the inline heading starts are exactly
those of the original definition (a look-behind at every character).
A page-long line's head is searched for a report title only when it holds 报告 or 总结, which
every title ends in.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.flatparts import _MARKER
from auditor.document.layout import _inline_title, _inline_titles
from auditor.document.patterns import FIRST_RESPONSIBLE_TITLE
from auditor.document.sections import (
    _CAN_START,
    _CUE_WORDS,
    _LOST_ITEM,
    _MARKERS,
    _NAMES_ROLE,
    _R_NEXT_STRONG,
    _R_OTHER,
    _R_PLAN_WORDS,
    _R_SHORT,
    _R_YEAR,
    _TITLE_END,
    _YEAR_LEAD,
    CUE_WINDOW,
    _inline_starts,
    role_of_title,
    sentence_role_cue,
)

# the phrases the cue and role patterns look for ...
_PHRASES = [
    "存在",
    "还存在一些",
    "存在的主要问题",
    "问题和不足",
    "不足之处和原因",
    "薄弱环节",
    "短板和不足",
    "困难",
    "与目标相比,仍存在一定差距",
    "对照要求还有不少短板",
    "下一步",
    "下步",
    "下一年度",
    "下一阶段",
    "今后一个时期",
    "明年",
    "2023年",
    "2021 年",
    "2022年度,我镇将",
    "2024年,全县要",
    "2024年,区政府将",
    "二〇二四年,县委、县政府将",
    "新的一年,我们将",
    "差距和不足",
    "我们将",
    "工作计划",
    "工作思路",
    "打算",
    "设想",
    "展望",
    "任务",
    "目标",
    "工作要点",
    "其他需要报告的",
    "其他",
    "第一责任人",
    "主要负责同志",
    "主要负责人",
    "履行",
    "职责",
    "针对",
    "整改",
    "贯彻",
    "规定",
]
# ... their words in pieces, punctuation, and text that holds none of them, of any length (past the window too)
_PIECES = st.sampled_from(
    [*_PHRASES, *"存在还有仍面临也不足之处问题困难短板差距相比较对照下一步今后计划其他", ":", ",", "。", " "]
)
_FILLER = st.integers(0, 80).map(lambda n: ("开展普法宣传活动依行政工作情况加强、" * 5)[:n])
SENTENCES = st.tuples(
    _FILLER, st.sampled_from(_PHRASES), st.lists(_PIECES, max_size=8).map("".join), _FILLER.map(lambda f: f[:20])
).map("".join)
TITLES = st.tuples(
    _FILLER.map(lambda f: f[:10]), st.lists(_PIECES, min_size=1, max_size=4).map("".join), _FILLER.map(lambda f: f[:10])
).map("".join)
_R_PLANS = re.compile(_R_PLAN_WORDS)
YEARS = st.sampled_from([None, 2021, 2022, 2023])


@settings(max_examples=2500, deadline=None)
@given(SENTENCES, YEARS, st.booleans())
def test_a_sentence_without_a_cue_word_in_its_window_opens_nothing(
    sentence: str, year: int | None, line_start: bool
) -> None:
    skipped = (  # as build_parts skips it
        _CUE_WORDS.search(sentence, 0, CUE_WINDOW) is None
        and not sentence[:1].isspace()
        and _YEAR_LEAD.match(sentence) is None
    )
    if skipped:
        assert sentence_role_cue(sentence, year, line_start) is None


@settings(max_examples=1500, deadline=None)
@given(TITLES, YEARS, st.booleans())
def test_a_title_without_a_role_word_names_no_role(title: str, year: int | None, top_level: bool) -> None:
    if _NAMES_ROLE.search(title) is None:  # then none of the patterns role_of_title decides by can match
        assert not any(
            pattern.search(title)
            for pattern in (_R_OTHER, _R_SHORT, FIRST_RESPONSIBLE_TITLE, _R_NEXT_STRONG, _R_YEAR, _R_PLANS)
        )
        assert role_of_title(title, year, top_level) is None


# the original definition of where an inline heading may start: after 。;!?: and any spaces, or
# after spaces that follow text, at a character that can start a marker, where a marker matches
_LOOK_BEHIND = re.compile(r"(?<=[。;!?:])\s*|(?<=[\u3400-\u9fff\"')%。,])\s+")


def _inline_starts_by_definition(text: str, pos: int, end: int) -> list[int]:
    return [
        m.end()
        for m in _LOOK_BEHIND.finditer(text, pos, end)
        if m.end() < end and text[m.end()] in _CAN_START and any(p.match(text, m.end(), end) for _, p in _MARKERS)
    ]


_LINE_PIECES = st.sampled_from(
    [
        *"。;!?:,、.()[]\"')%是第部分一二三十1２٣0①\u3000 \t\n法治",
        "一、",
        "(一)",
        "1.",
        "12、",
        "一是",
        "[tag]",
        "[书签。一、]",
        "第一部分",
        "  ",
        "加强",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINE_PIECES, max_size=30).map("".join), st.integers(0, 6))
def test_inline_heading_starts_are_those_of_the_look_behind_definition(text: str, cut: int) -> None:
    end = max(0, len(text) - cut)
    for pos in range(1, end + 1):
        assert list(_inline_starts(text, pos, end)) == _inline_starts_by_definition(text, pos, end), pos


@settings(max_examples=1000, deadline=None)
@given(st.lists(_LINE_PIECES, min_size=1, max_size=12).map("".join))
def test_every_heading_marker_starts_with_a_heading_character(text: str) -> None:
    # _heading_at returns at once for any other first character
    if text[0] not in _CAN_START and not text[0].isdecimal():
        assert not any(pattern.match(text) for _, pattern in _MARKERS)
        assert not _LOST_ITEM.match(text)


_HEAD_PIECES = st.sampled_from(
    [
        "报告",
        "总结",
        "报",
        "告",
        "总",
        "2023",
        "2022 ",
        "年",
        "年度",
        "现将",
        "某镇",
        "法治政府建设",
        "工作",
        ",",
        " ",
        ":",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_HEAD_PIECES, max_size=20).map("".join))
def test_a_head_without_report_or_summary_holds_no_inline_title(head: str) -> None:
    # layout._inline_titles runs the title pattern only over a head with 报告 or 总结 in it
    plain = [m.span() for m in _inline_title().finditer(head) if "现将" not in m.group(0)]
    assert [m.span() for m in _inline_titles(head)] == plain
    if "报告" not in head and "总结" not in head:
        assert not _inline_title().search(head)


# the original part-heading marker of flatparts: the look-behind first
_MARKER_BY_DEFINITION = re.compile(r"(?<![一二三四五六七八九十第])([一二三四五六])、")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="一二三四五六七八九十第、总体情况 1", max_size=30), st.integers(0, 5))
def test_part_markers_are_those_of_the_look_behind_definition(text: str, start: int) -> None:
    found = [(m.span(), m.group(1)) for m in _MARKER.finditer(text, start)]
    assert found == [(m.span(), m.group(1)) for m in _MARKER_BY_DEFINITION.finditer(text, start)]


# the original end of a heading's title: zero-width alternatives led by their look-arounds
_TITLE_END_BY_DEFINITION = re.compile(
    r"[。;!?\n]|\s+(?=\(?[一二三四五六七八九十\d]{1,3}(?:[、.)]|是))|(?=[一二三四五六七八九十]是[\u3400-\u9fff])"
    r"|(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])"
    r"|(?<=[\u3400-\u9fff])(?=\([一二三四五六七八九十]{1,3}\)[\u3400-\u9fff])"
)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="。;!?\n \t()、.是一三十1法治党政ab", max_size=25), st.integers(0, 4), st.integers(0, 4))
def test_title_ends_are_those_of_the_look_around_definition(text: str, pos: int, cut: int) -> None:
    limit = max(0, len(text) - cut)
    found, defined = _TITLE_END.search(text, pos, limit), _TITLE_END_BY_DEFINITION.search(text, pos, limit)
    assert (found and found.start()) == (defined and defined.start())
