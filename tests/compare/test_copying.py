"""Copying: the share of this year's text taken from last year's, and its passages."""

from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.compare.copying import copied, table_rows
from auditor.document import understand

from .conftest import YOY, doc, pairs


def test_copied_share_is_within_0_08_of_the_measured_one_and_copies_are_flagged() -> None:
    for pair in pairs():
        result = copied(doc(str(pair["last"])), doc(str(pair["this"])))
        if pair["copied_share"] is not None:
            assert abs(result.share - pair["copied_share"]) <= 0.08, (pair["name"], result.share)
        assert result.flagged is pair["flagged"], (pair["name"], result.share)


def test_passages_are_located_in_both_reports() -> None:
    last_source = (YOY / "zhangzhu-2023.txt").read_text(encoding="utf-8")
    this_source = (YOY / "zhangzhu-2024-lazy.txt").read_text(encoding="utf-8")
    result = copied(doc("zhangzhu-2023.txt"), doc("zhangzhu-2024-lazy.txt"))
    assert result.passages
    for p in result.passages:
        assert this_source[p.this.start : p.this.end] == p.this.text
        assert last_source[p.last.start : p.last.end] == p.last.text
        assert 0.6 <= p.similarity <= 1.0
    assert sum(1 for p in result.passages if p.similarity < 1.0) >= 1  # figures changed: masked, still copied


def test_boilerplate_common_to_all_reports_is_not_copying() -> None:
    common = (
        "根据《中华人民共和国政府信息公开条例》和上级有关要求编制本报告。现将2022年度本县法治政府建设工作情况报告如下："
    )
    last = understand(
        f"某县2022年法治政府建设情况报告\n{common}\n一、主要举措\n全年办理行政处罚案件12件，"
        "组织集体学法4次，邀请律师开展讲座两场，推进法律顾问全覆盖。\n"
    )
    this = understand(
        f"某县2023年法治政府建设情况报告\n{common.replace('2022', '2023')}\n一、主要举措\n"
        "新建村级法治文化广场三处，培育法律明白人八十名，排查调处矛盾纠纷四百余起。\n"
    )
    assert copied(last, this).copied_chars == 0


def test_figures_changed_still_count_as_copied() -> None:
    body = (
        "全镇共排查调处各类矛盾纠纷595起，其中非正常死亡纠纷7起，"
        "调解协议涉及金额共1560余万元，无因调解不当引发突发事件。"
    )
    last = understand("某镇2022年法治政府建设情况报告\n一、主要举措\n" + body + "\n")
    this = understand(
        "某镇2023年法治政府建设情况报告\n一、主要举措\n" + body.replace("595", "612").replace("1560", "1720") + "\n"
    )
    result = copied(last, this)
    assert result.share > 0.9 and result.flagged


_WORDS = st.sampled_from(
    [
        "开展",
        "普法",
        "宣传",
        "活动",
        "执法",
        "案件",
        "12件",
        "2023年",
        "，",
        "。",
        "\n",
        "矛盾纠纷",
        "法律顾问",
        "一、主要举措\n",
        "现将有关情况报告如下：",
        "（一）",
        "一是",
    ]
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=200).map("".join), st.lists(_WORDS, max_size=200).map("".join))
def test_the_share_is_a_share_and_passages_lie_in_the_texts(a: str, b: str) -> None:
    last, this = understand("报告\n" + a), understand("报告\n" + b)
    result = copied(last, this)
    assert 0.0 <= result.share <= 1.0
    assert result.copied_chars <= result.chars
    for p in result.passages:
        assert this.source[p.this.start : p.this.end] == p.this.text
        assert last.source[p.last.start : p.last.end] == p.last.text


@given(st.text(alphabet="a表| \n", max_size=60), st.data())
def test_table_rows_are_what_the_row_regex_finds(text: str, data: st.DataObject) -> None:
    """The lines of the body holding a "|", each whole, as ``[^\\n]*\\|[^\\n]*`` finds them in the body."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]*\|[^\n]*", text[start:end])]
    assert table_rows(text, start, end) == expected


def test_a_one_line_page_dump_is_compacted_in_linear_time() -> None:
    """A page dump's body on one line of 200,000 characters with no "|" (the row regex took
    minutes on it: quadratic); and a row after it is still found whole."""
    line = "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(200_000))
    assert table_rows(line, 0, len(line)) == []
    assert table_rows(line + "\n甲 | 乙\n", 0, len(line) + 7) == [(len(line) + 1, len(line) + 6)]
    this = understand("某县2023年法治政府建设情况报告\n" + line + "\n")
    start = time.process_time()
    assert copied(this, this).share > 0.9
    assert time.process_time() - start < 5.0


_TEXT = st.lists(
    st.sampled_from(["法治", "政府", "建设", "报告", "2023年", "1.5", "3,000", "#", ".", ",", " | ", "\n", "。", "Ab"])
    | st.sampled_from(["一、主要举措\n", "现将有关情况报告如下：", "以习近平新时代中国特色社会主义思想为指导"]),
    max_size=80,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_compact_is_every_content_unit_outside_the_tables(text: str) -> None:
    """The bulk compaction equals its definition unit by unit: each ``_UNIT`` match of the body
    whose start is in no table, "#" for a figure, common when its start is in common text."""
    from auditor.compare.copying import _UNIT, _common, _excluded, compact

    d = understand("某镇2023年法治政府建设情况报告\n" + text)
    cut, common = _excluded(d), _common(d)
    units = [m for m in _UNIT.finditer(d.text, *d.body) if not any(a <= m.start() < b for a, b in cut)]
    c = compact(d)
    assert c.chars == "".join("#" if m.group()[0].isdigit() else m.group() for m in units)
    assert c.pos == [m.start() for m in units]
    assert [c.end(i) for i in range(len(units))] == [m.end() for m in units]
    flags = [False] * len(units)
    for lo, hi in c.common:
        assert lo < hi
        flags[lo:hi] = [True] * (hi - lo)
    assert flags == [any(a <= m.start() < b for a, b in common) for m in units]


_PIECES = st.lists(  # CJK's edges, letters or not, figures and their marks, a surrogate; beyond the BMP or not
    st.sampled_from(["法", "\u3400", "\u33ff", "\u9fff", "\ua000", "a", "Z", "é", "\u0141", "#", " | ", "\n", "\udc80"])
    | st.sampled_from(["0", "9", "12", ".", ",", "1.5", "3,000", "2.", ",7", "..", "4.5.6"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PIECES, st.booleans(), st.data())
def test_unit_starts_from_flags_are_those_of_the_unit_pattern(text: str, wide: bool, data: st.DataObject) -> None:
    """The units' starts computed from flags of the characters' UTF-16 bytes equal ``_UNIT``'s matches:
    the edges of the letter ranges, figures after a digit or a mark, a surrogate; text beyond the BMP."""
    from auditor.compare.copying import _UNIT, _starts

    text = text + "𠀀" if wide else text
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _starts(text, 0, len(text)) == [m.start() for m in _UNIT.finditer(text)]
    assert _starts(text, start, end) == [m.start() for m in _UNIT.finditer(text, start, end)]


def _ranges(flags: list[bool]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer("1+", "".join("1" if f else "0" for f in flags))]


@settings(max_examples=500, deadline=None)
@given(st.text("ab#", max_size=60), st.text("ab#", max_size=60), st.data())
def test_each_character_takes_its_origin_from_the_first_shingle_over_it(
    last: str, this: str, data: st.DataObject
) -> None:
    """Each shingle of ``this`` found in ``last`` (at its first place) gives its characters their
    origin unless an earlier shingle did, or the character is common: the stretches of one
    offset are exactly those characters, in order."""
    from auditor.compare.copying import SHINGLE, copies

    common = data.draw(st.lists(st.booleans(), min_size=len(this), max_size=len(this)))
    expected: list[int | None] = [None] * len(this)
    for i in range(len(this) - SHINGLE + 1):
        j = last.find(this[i : i + SHINGLE])
        if j >= 0:
            for d in range(SHINGLE):
                if expected[i + d] is None and not common[i + d]:
                    expected[i + d] = j + d
    stretches = copies(last, this, _ranges(common))
    origin: list[int | None] = [None] * len(this)
    end = 0
    for a, b, offset in stretches:
        assert end <= a < b
        origin[a:b] = [p + offset for p in range(a, b)]
        end = b
    assert origin == expected


def _stretches_shingle_by_shingle(last: str, this: str) -> list[tuple[int, int, int]]:
    """The stretches of :func:`copies` (no common text) from their definition, one shingle at a
    time: each shingle's first place in ``last``; a stretch starts at a shingle found that is not
    one place further than the one before, and takes in the shingles after it that are."""
    from auditor.compare.copying import SHINGLE

    found = [last.find(this[i : i + SHINGLE]) if len(last) >= SHINGLE else -1 for i in range(len(this) - SHINGLE + 1)]
    out: list[tuple[int, int, int]] = []
    covered = 0
    i = 0
    while i < len(found):
        if found[i] < 0:
            i += 1
            continue
        j = i + 1
        while j < len(found) and found[j] >= 0 and found[j] == found[j - 1] + 1:
            j += 1
        out.append((max(i, covered), j - 1 + SHINGLE, found[i] - i))
        covered = j - 1 + SHINGLE
        i = j
    return out


_REPEATS = st.lists(st.sampled_from(["ab", "abab", "aab", "b", "#", "abaabba", "ba#ab"]), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_REPEATS, _REPEATS, st.data())
def test_stretches_found_whole_are_those_of_one_shingle_at_a_time(last: str, this: str, data: st.DataObject) -> None:
    """A stretch found whole from its first shingle (texts compared in slices, last's shingles at their
    first place) is the one the shingles one by one give, also where last repeats itself."""
    from auditor.compare.copying import copies

    if data.draw(st.booleans()):  # this year's text mostly last year's, a few characters changed
        this = last
        for k in data.draw(st.lists(st.integers(0, max(0, len(last) - 1)), max_size=3)):
            this = this[:k] + "#" + this[k + 1 :]
    assert copies(last, this, []) == _stretches_shingle_by_shingle(last, this)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(1, 6), st.integers(-3, 30)), max_size=12))
def test_passages_join_the_copied_characters_as_one_step_per_character_does(
    steps: list[tuple[int, int, int]],
) -> None:
    """Stretches of one offset joined into passages equal the joining of their characters one by one."""
    from auditor.compare.copying import DRIFT, GAP, MIN_PASSAGE, _runs

    stretches, at = [], 0
    for gap, length, offset in steps:
        at += gap
        stretches.append((at, at + length * 4, offset * 3))
        at += length * 4
    runs: list[tuple[int, int]] = []
    origin: dict[int, int] = {p: p + o for a, b, o in stretches for p in range(a, b)}
    anchor = 0
    for i in sorted(origin):
        o = origin[i]
        if runs and runs[-1][1] >= i - GAP and abs((o - i) - anchor) <= DRIFT:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
        anchor = o - i
    expected = [(s, e, origin[s], origin[e - 1]) for s, e in runs if e - s >= MIN_PASSAGE]
    assert _runs(stretches) == expected


_BOILER = st.lists(
    st.sampled_from(
        [
            "现将",
            "有关情况",
            "报告如下",
            "根据《",
            "条例》",
            "要求",
            "规定",
            "编制",
            "本报告",
            "在",
            "区委",
            "的正确领导下",
            "坚持",
            "以习近平新时代中国特色社会主义思想为指导",
            "深入",
            "学习",
            "贯彻",
            "落实",
            "习近平法治思想",
            "。",
            ",",
            "和",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_BOILER)
def test_the_boilerplate_pattern_finds_what_re_finds(text: str) -> None:
    """The bank is compiled with ``regex`` for speed: it finds exactly the spans ``re`` finds."""
    from auditor.compare.copying import boilerplate

    pattern = boilerplate()
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in re.finditer(pattern.pattern, text)]


def test_the_boilerplate_pattern_finds_what_re_finds_in_the_fixtures() -> None:
    from auditor.compare.copying import boilerplate

    pattern = boilerplate()
    found = 0
    for path in sorted(YOY.glob("*.txt")):
        text = doc(path.name).text
        spans = [m.span() for m in pattern.finditer(text)]
        assert spans == [m.span() for m in re.finditer(pattern.pattern, text)]
        found += len(spans)
    assert found > 0
