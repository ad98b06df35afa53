"""Shortcuts of understanding (round 7) never change what is found.

A line holding a 。 but no chrome word is prose: ``is_chrome_line`` answers False for it
before the menu and breadcrumb tests, which cannot hold for it (a menu has no sentence mark,
a breadcrumb no 。, and a line of only ``|[] `` holds no 。). A heading marker is tried only
with the patterns that can start with the character at hand (``_MARKERS_AT``): the headings
found equal those of trying every pattern in turn.
"""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.document.layout import CHROME_TOKENS, _is_breadcrumb, _is_menu, is_chrome_line
from auditor.document.normalize import NormText, _drop_run, _space_runs, normalize
from auditor.document.patterns import WHITE
from auditor.document.sections import _LOST_ITEM, _MARKERS, _WHITE_CHARS, Heading, _heading_at, _title_at
from auditor.document.sentences import _PROTECTED, _PROTECTED_START

_PIECES = st.sampled_from(
    [
        "。",
        " ",
        "  ",
        "|",
        "[",
        "]",
        ">",
        ">>",
        "›",
        "首页",
        "新闻",
        "1",
        "法治政府建设",
        "工作",
        ",",
        ";",
        "\t",
        "打印本页",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_a_line_with_a_full_stop_and_no_chrome_word_is_no_menu_nor_breadcrumb(line: str) -> None:
    t = line.strip()
    if "。" in t and CHROME_TOKENS.search(t) is None:
        assert t.strip("|[] ") != ""
        assert not _is_menu(t)
        assert not _is_breadcrumb(t)
        assert not is_chrome_line(line)


def _heading_at_by_definition(text: str, pos: int, limit: int, line_start: bool) -> Heading | None:
    for level, pattern in _MARKERS:
        m = pattern.match(text, pos, limit)
        if m is None:
            continue
        if level == 3 and not line_start and text[pos - 1 : pos] not in ("。", ";", ""):
            continue
        end = _title_at(text, m.end(), min(limit, m.end() + 40) if level == 4 else limit)
        title = text[m.end() : end].strip()
        if title:
            return Heading(level, m.group(1), title, m.start(1), end)
    if line_start and _LOST_ITEM.match(text, pos, limit):
        end = _title_at(text, pos + 1, min(limit, pos + 41))
        return Heading(4, "", text[pos + 1 : end].strip(), pos, end)
    return None


_MARKER_PIECES = st.sampled_from(
    [
        "一、",
        "二.",
        "第三部分",
        "(一)",
        "(二)、",
        "1、",
        "12.",
        "(3)",
        "①",
        "⑩",
        "一是",
        "是",
        "[tag]",
        "[",
        "]",
        "(",
        ")",
        "第",
        "十",
        "5",
        "٣",
        "、",
        ".",
        "%",
        "加强",
        "法治",
        "。",
        ";",
        " ",
        "\n",
        '"',
        "否",
    ]
)


@settings(max_examples=4000, deadline=None)
@given(st.lists(_MARKER_PIECES, max_size=12).map("".join), st.integers(0, 6), st.booleans())
def test_headings_are_those_of_trying_every_marker_pattern(text: str, pos: int, line_start: bool) -> None:
    pos = min(pos, len(text))
    assert _heading_at(text, pos, len(text), line_start) == _heading_at_by_definition(text, pos, len(text), line_start)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="《》\"「」'。;\n 法治ab", max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_a_region_without_an_opening_mark_holds_no_protected_span(text: str, start: int, end: int) -> None:
    if _PROTECTED_START.search(text, start, end) is None:
        assert _PROTECTED.search(text, start, end) is None


_SPACES = re.compile(r"[ ]+")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \n法a。\t\u30001,", max_size=80))
def test_space_runs_are_the_runs_normalisation_may_change(text: str) -> None:
    """Every run of spaces but a lone space that _drop_run keeps (left as it is), in order."""
    every = [m.span() for m in _SPACES.finditer(text)]
    assert list(_space_runs(text)) == [(a, b) for a, b in every if b - a > 1 or _drop_run(text, a, b)]


def _normalize_by_definition(source: str) -> tuple[str, list[int]]:
    """normalize as defined: every run of spaces (not only the changing ones) weighed; the text and
    the source offset of each of its characters."""
    from auditor.document.normalize import _ends_heading, fold

    src = source.replace("\r\n", " \n").replace("\r", "\n") if "\r" in source else source
    folded = fold(src)
    text, offsets, cursor = [], [], 0
    for start, end in ((m.start(), m.end()) for m in _SPACES.finditer(folded)):
        drop = _drop_run(folded, start, end) and not (start > 0 and _ends_heading(folded, start, end))
        keep_until = start if drop else start + 1
        text.append(folded[cursor:keep_until])
        offsets.extend(range(cursor, max(cursor, keep_until)))
        cursor = end
    text.append(folded[cursor:])
    offsets.extend(range(cursor, len(folded)))
    return "".join(text), offsets


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["一、", "加强组织领导", " ", "  ", "\n", "法", "a", "1", "。", ",", "\u3000", "\r\n"]),
        max_size=30,
    ).map("".join)
)
@example("一、加强组织领导\n   各单位认真落实，")
@example("二、存在的问题 执法人员不足,人员少。")
def test_normalize_weighs_only_the_changing_runs(source: str) -> None:
    norm: NormText = normalize(source)
    text, offsets = _normalize_by_definition(source)
    assert norm.text == text
    assert [norm.to_source(i) for i in range(len(text))] == offsets


def test_white_is_the_white_space_of_re() -> None:
    """The spelt-out class (patterns.WHITE) holds exactly the characters ``\\s`` matches, which are
    those of ``str.isspace`` — over every code point."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    spelt = set(re.findall(f"[{WHITE}]", every))
    assert spelt == set(re.findall(r"\s", every)) == {ch for ch in every if ch.isspace()} == _WHITE_CHARS
    assert len(spelt) == 29


def _masked_by_definition(text: str, regions: list[tuple[int, int]]) -> str:
    """Every character outside the body regions a line break (the masking before round 11)."""
    out, cursor = [], 0
    for start, end in regions:
        out += ["\n" * (start - cursor), text[start:end]]
        cursor = end
    return "".join(out) + "\n" * (len(text) - cursor)


_PAGE_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "首页 > 新闻 > 通知",
        "【打印本页】【关闭窗口】",
        "一、主要举措",
        "我局坚持依法行政,推进法治政府建设。",
        "2023年12月30日",
        "某某县人民政府",
        "扫一扫在手机打开当前页",
        "x" * 301,
        "发布时间:2023-01-05",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PAGE_PIECES, max_size=16).map("".join))
def test_the_masked_text_is_the_body_regions_and_line_breaks(text: str) -> None:
    """Round 11 masks the front and back matter whole and the body's chrome lines one by one."""
    from auditor.document import _body_regions, _masked
    from auditor.document.layout import analyse

    layout = analyse(text)
    regions = _body_regions(layout)
    by_line = [(ln.start, ln.end) for i, ln in enumerate(layout.lines) if layout.is_body(i) and ln.end > ln.start]
    assert regions == by_line
    assert _masked(text, layout) == _masked_by_definition(text, regions)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="存在问题不足下一步2023年我镇将其他报告相比差距,。 ", max_size=60))
def test_the_cues_led_by_a_caret_match_where_they_search(sentence: str) -> None:
    """Round 11 tries the role patterns that start with ^ by ``match``: ``search`` finds the same."""
    from auditor.document.sections import _CUE_NEXT, _CUE_SHORT, _OPEN_GAP, _OPEN_NEXT, _R_OTHER

    for pattern in (_CUE_SHORT, _CUE_NEXT, _OPEN_GAP, _OPEN_NEXT, _R_OTHER):
        assert not pattern.flags & re.MULTILINE
        found, searched = pattern.match(sentence), pattern.search(sentence)
        assert (found and found.span()) == (searched and searched.span())


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["存在", "不足之处", "还有", "问题", "相比", "仍", "差距", "工作", "我镇", "\n", ","]),
        max_size=30,
    )
)
@example(["工作"] * 20 + ["不足之处", "问题"])
@example(["工作"] * 30 + ["相比", "仍", "存在", "差距"])
@example(["我镇", "存在", "问题"])
def test_the_cue_words_are_looked_for_where_the_cues_need_them(pieces: list[str]) -> None:
    """Round 11 tries _CUE_SHORT and _OPEN_GAP only when a word they need starts early enough."""
    from auditor.document.sections import _CUE_SHORT, _CUE_SHORT_WORD, _OPEN_GAP, _OPEN_GAP_WORD

    sentence = "".join(pieces)
    if _CUE_SHORT.match(sentence):
        assert _CUE_SHORT_WORD.search(sentence, 0, 44)
    if _OPEN_GAP.match(sentence):
        assert _OPEN_GAP_WORD.search(sentence, 0, 62)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 6)), max_size=12), st.lists(st.integers(0, 60), max_size=8))
def test_runs_are_the_paragraphs_joined_where_they_do_not_touch(
    steps: list[tuple[int, int]], starts: list[int]
) -> None:
    """``_paragraphs``' runs: consecutive paragraphs joined unless one ends just where the next starts."""
    from auditor.document import Section, _paragraphs
    from auditor.document.sections import Heading

    regions, pos = [], 0
    for gap, size in steps:
        regions.append((pos + gap, pos + gap + size + 1))
        pos += gap + size + 1
    sections = [Section(Heading(1, "一、", "标题", p, p + 2), p + 3, "measures", None) for p in starts]
    paragraphs, runs = _paragraphs(regions, sections)
    joined: list[tuple[int, int]] = []
    for start, end in paragraphs:
        if joined and joined[-1][1] < start:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    assert runs == joined
    assert [p for p in paragraphs if p[1] > p[0]] == paragraphs


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from(["intro", "measures", "shortcomings", "next_year", "other"])),
        max_size=12,
    )
)
def test_without_cues_each_bound_is_a_point_as_it_is(raw: list[tuple[int, str]]) -> None:
    """``_merge`` takes the bounds as its points when no sentence cue is found (most reports): the same
    points as ordering and weighing them with an empty list of cues."""
    from auditor.document.sections import _points

    bounds: list[tuple[int, str, int | None]] = sorted(
        ((p, r, i if i % 3 else None) for i, (p, r) in enumerate(raw)), key=lambda b: b[0]
    )
    assert _points(bounds, []) == bounds
