"""Unit tests of the pure helpers: line joining/cleaning, encoding choice, format sniffing."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.document.location import Location
from auditor.readers.encoding import decode_bytes
from auditor.readers.paragraphs import (
    _TITLE_LINES,
    LayoutLine,
    _continues,
    _full_width,
    _joined,
    _joint,
    _margins,
    clean_pages,
    join_lines,
    pages_to_located,
    pages_to_text,
)
from auditor.readers.textnorm import normalize_newlines


def _lines(*texts: str) -> list[LayoutLine]:
    return [LayoutLine(text) for text in texts]


def test_punctuation_rule_without_geometry() -> None:
    text = join_lines(
        _lines(
            "一、总体情况",
            "2023年，我镇坚持依法行政，不断完善",
            "制度体系，取得明显成效。",
            "（一）加强领导",
            "一是健全机制",
            "二是强化督查；",
            "1. 完善制度，严格执行行政执法三项制度，规范",
            "行政裁量权。",
        )
    )
    assert text.split("\n") == [
        "一、总体情况",
        "2023年，我镇坚持依法行政，不断完善制度体系，取得明显成效。",
        "（一）加强领导",
        "一是健全机制",
        "二是强化督查；",
        "1. 完善制度，严格执行行政执法三项制度，规范行政裁量权。",
    ]


def test_latin_words_keep_their_space() -> None:
    lines = _lines("The government shall act strictly within the", "law and order.")
    assert join_lines(lines) == "The government shall act strictly within the law and order."


def _geo(text: str, x0: float, x1: float) -> LayoutLine:
    return LayoutLine(text, x0, x1)


def test_geometry_rule_with_indented_paragraphs() -> None:
    # 12pt characters, body from x=72 to x=516; paragraphs start indented by two characters.
    lines = [
        _geo("法治政府建设情况报告", 200, 320),  # centred title: short line
        _geo("今年以来，我镇认真贯彻落实各项部署。全面推进", 96, 516),
        _geo("依法行政。这一行在句号处恰好到达右边界结束。", 72, 516),
        _geo("下一行仍属同一段落，因为它没有缩进，结束。", 72, 400),
        _geo("新段落以缩进开始，这一行到达了右边界的位置", 96, 515),
        _geo("并在此结束", 72, 150),
    ]
    assert join_lines(lines).split("\n") == [
        "法治政府建设情况报告",
        "今年以来，我镇认真贯彻落实各项部署。全面推进依法行政。这一行在句号处恰好到达右边界结束。"
        "下一行仍属同一段落，因为它没有缩进，结束。",
        "新段落以缩进开始，这一行到达了右边界的位置并在此结束",
    ]


def test_geometry_rule_short_heading_is_not_joined() -> None:
    lines = [
        _geo("一、党政主要负责人履职情况", 72, 240),
        _geo("是深入学习贯彻习近平法治思想，健全完善中心组", 72, 516),
        _geo("学法制度。", 72, 130),
        _geo("这是另一段（文档不使用缩进）", 72, 516),
    ]
    assert join_lines(lines).split("\n") == [
        "一、党政主要负责人履职情况",
        "是深入学习贯彻习近平法治思想，健全完善中心组学法制度。",
        "这是另一段（文档不使用缩进）",
    ]


_BODY = [  # 16 pt characters, body from x=90 to x=522, paragraphs indented by two characters
    _geo("2022年以来，双塔镇在县委县政府的坚强领导下，以习近", 122, 522),
    _geo("平新时代中国特色社会主义思想为指导，深入贯彻习近平法", 90, 522),
    _geo("治思想，进一步推进法治政府建设。", 90, 346),
    _geo("现将我镇2022年以来法治政府建设工作报告如下，请审阅", 122, 522),
    _geo("并提出意见。", 90, 186),
]


def _first_paragraphs(head: list[LayoutLine], body: list[LayoutLine] | None = None) -> list[str]:
    return join_lines([*head, *(_BODY if body is None else body)]).split("\n")[: len(head)]


def test_a_title_wrapped_over_two_centred_lines_is_one_paragraph() -> None:
    """A long title in a larger font, centred and wrapped: before, its two halves were two paragraphs
    and no title was found."""
    title = [_geo("民权县双塔镇人民政府关于2022年度法治", 95, 517), _geo("政府建设情况的报告", 207, 405)]
    assert _first_paragraphs(title)[0] == "民权县双塔镇人民政府关于2022年度法治政府建设情况的报告"
    red_head = [_geo("民权县双塔镇人民政府文件", 174, 438), _geo("双政〔2023〕5号", 250, 362), *title]
    assert _first_paragraphs(red_head)[:3] == [
        "民权县双塔镇人民政府文件",
        "双政〔2023〕5号",
        "民权县双塔镇人民政府关于2022年度法治政府建设情况的报告",
    ]


def test_centred_lines_that_are_not_one_title_stay_apart() -> None:
    whole = _geo("民权县双塔镇人民政府2022年度法治政府建设情况报告", 95, 517)
    assert _first_paragraphs([whole, _geo("民权县双塔镇人民政府", 226, 386)])[1] == "民权县双塔镇人民政府"
    wrapped = _geo("民权县双塔镇人民政府关于2022年度法治", 95, 517)
    assert _first_paragraphs([wrapped, _geo("（2023年2月23日）", 226, 386)])[1] == "（2023年2月23日）"
    sentence = _geo("民权县双塔镇人民政府关于2022年度法治工作。", 90, 522)  # a sentence ends there
    assert _first_paragraphs([sentence, _geo("政府建设情况的报告", 226, 386)])[1] == "政府建设情况的报告"
    red_head = _geo("民权县双塔镇人民政府关于法治政府建设的", 95, 517)
    assert _first_paragraphs([red_head, _geo("双政〔2023〕5号", 250, 362)])[1] == "双政〔2023〕5号"
    # further down, two centred lines are left as they are
    down = [*_BODY, _geo("民权县双塔镇人民政府关于2022年度法治", 95, 517), _geo("政府建设情况的报告", 207, 405)]
    assert join_lines(down).split("\n")[-2:] == ["民权县双塔镇人民政府关于2022年度法治", "政府建设情况的报告"]


def _row(cells: list[str], lefts: tuple[float, ...]) -> LayoutLine:
    from auditor.readers.tablerows import row_line

    return LayoutLine(row_line(cells), lefts[0], 520, keep=True, cells=lefts)


_LEFTS = (72.0, 160.0, 250.0, 300.0, 350.0)


def _across_pages(last: LayoutLine, first: LayoutLine) -> list[str]:
    from auditor.readers.paragraphs import pages_to_text

    before = [_geo("表格之前的一段正文，说明办理情况。", 72, 400), last]
    after = [first, _row(["（二）部分公开", "0", "0", "0"], (160.0, 250.0, 300.0, 350.0))]
    return pages_to_text([before, after]).split("\n")


def test_a_table_row_split_by_a_page_break_is_whole_again() -> None:
    """Word lets a row break across pages: the labels' ends open the next page's table."""
    last = _row(["三、", "（一）予以公", "2", "0", "2"], _LEFTS)
    first = _row(["本年度办理结果", "开", "", "", ""], _LEFTS)
    assert _across_pages(last, first)[1:] == [
        "三、本年度办理结果 | （一）予以公开 | 2 | 0 | 2",
        "（二）部分公开 | 0 | 0 | 0",
    ]
    # a cell covered by a merged cell on one page is blank on the next: it is not a label's end
    last = _row(["（六", "1.申", "0", "0"], _LEFTS[1:])
    first = _row(["", "）其他处理", "请人逾期不补正", "", ""], _LEFTS)
    assert _across_pages(last, first)[1] == "（六）其他处理 | 1.申请人逾期不补正 | 0 | 0"


@pytest.mark.parametrize(
    ("first", "why"),
    [
        (["本年度办理结果", "开", "3", "", ""], "the next row holds a figure: a row of its own"),
        (["本年度办理结果", "", "", "", "4"], "a text under a figure"),
        (["", "", "备注", "", ""], "a text under a figure's column"),
    ],
)
def test_a_next_pages_row_that_is_not_a_continuation_stays(first: list[str], why: str) -> None:
    last = _row(["三、", "（一）予以公", "2", "0", "2"], _LEFTS)
    assert _across_pages(last, _row(first, _LEFTS))[1:3] == [last.text, _row(first, _LEFTS).text.strip()], why


def test_a_header_row_at_a_page_end_is_not_joined() -> None:
    last = _row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", ""], _LEFTS)
    first = _row(["规章", "", "", "", ""], _LEFTS)
    assert _across_pages(last, first)[1:3] == [last.text, first.text]


def test_page_numbers_and_running_headers_are_dropped() -> None:
    pages = [
        _lines("某某市法治政府建设报告", "某某市法治政府建设报告", "正文第一页。", "- 1 -"),
        _lines("某某市法治政府建设报告", "正文第二页。", "第 2 页 共 3 页"),
        _lines("某某市法治政府建设报告", "正文第三页。", "3/3"),
    ]
    cleaned = clean_pages(pages)
    assert [[line.text for line in page] for page in cleaned] == [
        ["某某市法治政府建设报告", "正文第一页。"],  # the title under the header on page 1 stays
        ["正文第二页。"],
        ["正文第三页。"],
    ]


def test_numbers_inside_the_body_are_kept() -> None:
    pages = [_lines("开头。", "2023", "中间一行。", "12", "结尾。")]
    assert [line.text for line in clean_pages(pages)[0]] == [
        "开头。",
        "2023",
        "中间一行。",
        "12",
        "结尾。",
    ]


def test_single_page_running_text_is_kept() -> None:
    assert pages_to_text([_lines("标题", "正文。")]) == "标题\n正文。"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        ("法治政府建设".encode(), "utf-8"),
        ("法治政府建设".encode("gbk"), "gb18030"),
        ("法治政府建設報告，依法行政。".encode("big5"), "big5"),
        ("\ufeff法治".encode(), "utf-8-sig"),
        ("法治政府\n".encode("utf-16-be"), "utf-16-be"),
        ("法治政府建设年度报告。".encode("gbk")[:-1], "gb18030"),  # truncated mid-character
    ],
)
def test_encoding_choice(data: bytes, codec: str) -> None:
    assert decode_bytes(data)[1] == codec


def test_damaged_gbk_keeps_the_rest() -> None:
    data = bytearray(("法治政府建设年度报告。" * 50).encode("gbk"))
    data[101] = 0xFF
    text, codec = decode_bytes(bytes(data))
    assert codec == "gb18030"
    assert 1 <= text.count("\ufffd") <= 2 and "法治政府建设年度报告" in text


def test_newline_normalization() -> None:
    assert normalize_newlines("a\r\nb\rc\u2029d\x85e") == "a\nb\nc\nd\ne"
    assert "x\x1cy".splitlines() == normalize_newlines("x\x1cy").split("\n")


def _wrapped_by_count(paragraphs: list[str], per_line: int, size: float, left: float = 72.0) -> list[LayoutLine]:
    """Lines as a generator that wraps by character count draws them: ``per_line`` characters a
    line (``size`` points wide, ASCII half as wide), each paragraph's first line indented by two
    characters, so it runs past the right end of the full lines below it by the indent."""
    lines = []
    for paragraph in paragraphs:
        for start in range(0, len(paragraph), per_line):
            piece = paragraph[start : start + per_line]
            x0 = left + (2 * size if start == 0 else 0.0)
            lines.append(LayoutLine(piece, x0, x0 + size * sum(0.5 if ch.isascii() else 1.0 for ch in piece)))
    return lines


def test_indented_first_lines_that_overrun_do_not_move_the_right_margin() -> None:
    # As s00359 of the benchmark corpus: indented first lines run past the full lines below them
    # by the indent, and half-width digits make a character narrower than the indent's half. A
    # right margin at the 90th percentile of all line ends (an overrun first line) left the full
    # lines short of reaching it by more than two characters: every paragraph stayed broken.
    paragraphs = [
        f"第{n}季度开展法治宣传活动1{n}次，组织学法考试{n}次，" * (3 + n % 2) + "全年完成。" for n in range(1, 6)
    ]
    lines = _wrapped_by_count(paragraphs, 37, 12.0)
    assert sum(line.x0 == 72.0 for line in lines) >= 5
    assert join_lines(lines).split("\n") == paragraphs


@given(
    st.lists(
        st.text(alphabet="法治政府建设依法行政工作推进年度报告", min_size=1, max_size=120), min_size=3, max_size=8
    ),
    st.integers(min_value=20, max_value=40),
    st.sampled_from([10.5, 12.0, 14.0]),
)
def test_paragraphs_wrapped_by_count_are_joined_whole(bodies: list[str], per_line: int, size: float) -> None:
    paragraphs = [body * (per_line // len(body) + 2) + "。" for body in bodies]  # each over a line long
    assert join_lines(_wrapped_by_count(paragraphs, per_line, size)).split("\n") == paragraphs


# ------------------------------------------------------------------------------ joining: text and marks


_LAYOUT_LINES = st.builds(
    LayoutLine,
    st.text(alphabet="ab1 。，法治第一章", max_size=12),
    st.one_of(st.none(), st.sampled_from([0.0, 10.0, 50.0, 400.0, 500.0])),
    st.one_of(st.none(), st.sampled_from([0.0, 10.0, 50.0, 400.0, 500.0])),
    st.booleans(),
)


@given(st.lists(_LAYOUT_LINES, max_size=30), st.integers(1, 4))
def test_joined_text_and_marks_equal_gluing_each_line_on(lines: list[LayoutLine], per_page: int) -> None:
    """The reference glues each continuing line onto its paragraph's text; every kept line's
    mark is where its text starts in the joined text, on its page. A line among the first
    ``_TITLE_LINES`` of the first page with text may continue a wrapped title (``at_top``)."""
    pages = [number // per_page + 1 for number in range(len(lines))]
    text, marks = _joined(lines, pages)
    body = [(line.text.strip(), line, page) for line, page in zip(lines, pages, strict=True) if line.text.strip()]
    stripped = [LayoutLine(t, line.x0, line.x1, line.keep) for t, line, _ in body]
    margins = _margins([line for line in stripped if not line.keep])
    full_width = _full_width(stripped) if margins is None else 0.0
    paragraphs: list[str] = []
    for index, line in enumerate(stripped):
        at_top = index < _TITLE_LINES and body[index][2] == body[0][2]
        if index and _continues(stripped[index - 1], line, margins, full_width, at_top=at_top):
            paragraphs[-1] += _joint(paragraphs[-1], line.text) + line.text
        else:
            paragraphs.append(line.text)
    assert text == "\n".join(paragraphs)
    assert [location for _, location in marks] == [Location(page=page) for _, _, page in body]
    assert all(text[at : at + len(line.text)] == line.text for (at, _), line in zip(marks, stripped, strict=True))


def test_a_paragraph_of_many_lines_is_joined_in_linear_time() -> None:
    """One paragraph wrapped over 20,000 full lines (1.28 million characters, under the PDF
    reader's cap): gluing each line onto the paragraph copied it again for every line (≈ 10 s)."""
    line = "没有句号的很长的段落文字内容测试" * 4  # longer than a running header
    pages = [[LayoutLine(line, 50.0, 500.0)] * 40 for _ in range(500)]
    started = time.process_time()
    text, places = pages_to_located(pages)
    assert time.process_time() - started < 3.0
    assert text == line * 20_000
    assert places.at(len(text) - 1) == Location(page=500)


@given(st.text(alphabet="结果维持本机关不掌握相关政府信息", min_size=1, max_size=30), st.data())
def test_a_wrapped_cell_joins_back_into_its_label(label: str, data: st.DataObject) -> None:
    """A PDF table cell wrapped one character a line (结/果/维/持) reads as its label again."""
    from auditor.readers.paragraphs import join_pieces

    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(label) - 1)), max_size=len(label))))
    pieces = [label[a:b] for a, b in zip([0, *cuts], [*cuts, len(label)], strict=True) if label[a:b]]
    assert join_pieces(pieces) == label
    assert join_pieces(["Word", "Excel"]) == "Word Excel"
