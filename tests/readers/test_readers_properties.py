"""Property tests: whatever the bytes, read_document returns text or raises ReadError only."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import ReadError
from auditor.readers import Extracted, html_reader, read_document
from auditor.readers.textnorm import _LINE_BREAKS, normalize_newlines

from .builders import (
    build_docx,
    build_html,
    build_ofd,
    build_pdf,
    paragraphs,
    seed_paths,
    seed_text,
)

SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf", ".ofd", ".doc", ".wps", ""]
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("READERS_EXAMPLES", "100")),  # raise it for a deeper hunt
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


@pytest.fixture(scope="module", autouse=True)
def no_libreoffice() -> Iterator[None]:
    """Garbage .doc files would each cost a LibreOffice run (seconds): pretend it is absent."""
    import auditor.readers.legacy_word as legacy

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legacy, "find_converter", lambda: None)
        yield


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hypothesis")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Small real documents (two seed paragraphs each) to truncate and corrupt."""
    root = tmp_path_factory.mktemp("samples")
    paras = paragraphs(seed_text(seed_paths()[0]))[5:8]
    build_docx(paras, root / "s.docx", table=(1, 2))
    build_pdf(paras, root / "s.pdf")
    build_ofd(paras, root / "s.ofd")
    found = {suffix: (root / f"s{suffix}").read_bytes() for suffix in (".docx", ".pdf", ".ofd")}
    found[".html"] = build_html(paras, "gbk")
    return found


def read_bytes_as(scratch: Path, data: bytes, suffix: str) -> Extracted | None:
    """Write ``data`` to a fresh file and read it; None when a ReadError was raised."""
    path = scratch / f"case{next(_counter)}{suffix}"
    path.write_bytes(data)
    try:
        result = read_document(str(path))
    except ReadError as exc:
        assert exc.message
        return None
    finally:
        assert path.read_bytes() == data
        path.unlink()
    assert "\r" not in result.text and not result.text.startswith("\ufeff")
    assert result.text.strip()
    return result


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(scratch: Path, data: bytes, suffix: str) -> None:
    read_bytes_as(scratch, data, suffix)


@PROPERTY_SETTINGS
@given(
    prefix=st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"\xff\xfe"]),
    data=st.binary(max_size=2000),
)
def test_random_bytes_behind_a_magic_number(scratch: Path, prefix: bytes, data: bytes) -> None:
    read_bytes_as(scratch, prefix + data, ".txt")


@PROPERTY_SETTINGS
@given(text=st.text(min_size=1, max_size=400), codec=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_text_in_any_encoding(scratch: Path, text: str, codec: str) -> None:
    data = text.encode(codec)
    result = read_bytes_as(scratch, data, ".txt")
    if result is None or result.format != "txt" or result.encoding not in ("utf-8", "utf-16"):
        return
    # short byte strings can be valid in two encodings ('襽' in GB18030 is 'Ҁ' in UTF-8): the text is
    # the bytes decoded as the encoding claimed, and the original whenever that is the one written
    meant = text if result.encoding == codec else data.decode(result.encoding)
    assert result.text == normalize_newlines(meant.removeprefix("\ufeff"))


@PROPERTY_SETTINGS
@given(kind=st.sampled_from([".docx", ".pdf", ".ofd", ".html"]), cut=st.floats(0.0, 1.0))
def test_truncated_real_documents(scratch: Path, samples: dict[str, bytes], kind: str, cut: float) -> None:
    data = samples[kind]
    read_bytes_as(scratch, data[: int(len(data) * cut)], kind)


@PROPERTY_SETTINGS
@given(
    kind=st.sampled_from([".docx", ".pdf", ".ofd", ".html"]),
    edits=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_corrupted_real_documents(
    scratch: Path, samples: dict[str, bytes], kind: str, edits: list[tuple[float, int]]
) -> None:
    data = bytearray(samples[kind])
    for where, value in edits:
        data[int(where * len(data))] = value
    read_bytes_as(scratch, bytes(data), kind)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u2027a报 ", max_size=30))
def test_newlines_left_alone_only_when_there_are_none(text: str) -> None:
    # normalize_newlines skips the substitution when no break character is present
    assert normalize_newlines(text) == _LINE_BREAKS.sub("\n", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="\n\x00 \t\u3000法治a1。", max_size=30))
def test_web_paragraphs_without_a_line_break_skip_the_break_pattern(flow: str) -> None:
    # html_reader._paragraphs runs the CJK line-break pattern only over a flow with a line break
    joined = html_reader._SPACES.sub(" ", html_reader._CJK_BREAK.sub("", flow))
    assert html_reader._paragraphs(flow) == [line.strip() for line in joined.split("\x00") if line.strip()]


_TAGS = ["div", "p", "span", "article", "header", "nav", "td", "th", "table", "tr", "section", "b", "h1", "li"]
_TAGS += ["a", "font"]
_WORDS = ["法治", "政府", " ", "\n", "a b", "\u3000", "。", "\n报告\n", " 12 ", "&nbsp;", "7"]
_WORDS += ["<!-- 注 -->", "<img src=x>"]


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.integers(0, 5)) == 0:  # a table: cells exist only in one
            cells = "".join(f"<td>{draw(_markup(depth + 1))}</td>" for _ in range(draw(st.integers(1, 4))))
            parts.append(f"<table><tr>{cells}</tr><tr><td>{draw(st.sampled_from(_WORDS))}</td></tr></table>")
        elif depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attrs = draw(st.sampled_from(["", ' id="content"', ' class="article"', ' id="zoom"']))
            parts.append(f"<{tag}{attrs}>{draw(_markup(depth + 1))}</{tag}>")
        else:
            parts.append(draw(st.sampled_from([*_WORDS, "<br>", "<script>var a = 1;</script>"])))
    return "".join(parts)


def _rows_by_definition(table: Any, in_article: bool) -> list[list[str]] | None:
    """html_reader._data_rows as defined: every cell rendered, then is_data_table asked."""
    from auditor.readers.tablerows import is_data_table

    if len(table.css("table")) > 1:
        return None
    cells = [[c for c in tr.iter() if c.tag in ("td", "th")] for tr in table.css("tr")]
    rows = [[" ".join(html_reader.render(c, in_article)) for c in row] for row in cells if row]
    return rows if is_data_table(rows) else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_a_container_read_from_the_page_walk_renders_as_alone(markup: str) -> None:
    # read_html walks the page once and reads a chosen container's lines from that walk
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(f"<html><body>{markup}</body></html>").body
    assert body is not None
    page = html_reader._walk(body, False)
    assert html_reader._paragraphs("".join(page.pieces)) == html_reader.render(body)
    for node in body.css("*"):
        assert html_reader._lines_of(node, page) == html_reader.render(node)
    for cell in body.css("td, th"):  # a cell of text and inline elements is read without the walk
        for in_article in (False, True):
            assert html_reader._cell_text(cell, in_article) == " ".join(html_reader.render(cell, in_article))
    for table in body.css("table"):  # rows of under 3 cells are refused before their cells are rendered
        for in_article in (False, True):
            assert html_reader._data_rows(table, in_article) == _rows_by_definition(table, in_article)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" \t\u3000\xa0\n法a。", max_size=8), max_size=5))
def test_web_text_size_counts_the_characters_that_are_not_spaces(lines: list[str]) -> None:
    assert html_reader._size(lines) == sum(len("".join(line.split())) for line in lines)


def test_web_page_lines_are_placed_under_the_heading_before_them() -> None:
    from selectolax.lexbor import LexborHTMLParser

    page = "<h1>年度报告</h1><p>前言</p><h2>一、概况</h2><p>甲</p><p>乙</p>"
    page += "<table><tr><td><h3>表内</h3></td></tr></table><h2>二、措施</h2><p>丙</p><p>丁</p>"
    body = LexborHTMLParser(f"<html><body>{page}</body></html>").body
    lines = html_reader.render(body)
    places = html_reader._headings(body, lines, 7)
    offset, found = 7, []
    for line in lines:
        place = places.at(offset)
        found.append((line, place.heading if place else None))
        offset += len(line) + 1
    assert found == [
        ("年度报告", "年度报告"),
        ("前言", "年度报告"),
        ("一、概况", "一、概况"),
        ("甲", "一、概况"),
        ("乙", "一、概况"),
        ("表内", "表内"),
        ("二、措施", "二、措施"),
        ("丙", "二、措施"),
        ("丁", "二、措施"),
    ]
    assert places.at(0) is None  # the text before ``offset`` (a title put back) is in no heading


def _walk_before(root: Any, in_article: bool) -> tuple[str, dict[int, str]]:
    """The page walk as it was before inline elements were read without it (commit feb2038), with
    its table rows and cells: the text and each block's own text (the joined pieces of its span)."""
    from auditor.readers.tablerows import is_data_table, row_line

    def rows_of(table: Any, in_article: bool) -> list[list[str]] | None:
        if len(table.css("table")) > 1:
            return None
        rows = [[cell_text(c, in_article) for c in tr.iter() if c.tag in ("td", "th")] for tr in table.css("tr")]
        rows = [row for row in rows if row]
        return rows if is_data_table(rows) else None

    def cell_text(cell: Any, in_article: bool) -> str:
        return " ".join(html_reader._paragraphs(walk(cell, in_article)[0]))

    def walk(root: Any, in_article: bool) -> tuple[str, dict[int, str]]:
        pieces: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        stack: list[tuple[Any, str, bool, int, int]] = [(iter((root,)), "", in_article, 0, 0)]
        while stack:
            children, closing, in_article, start, node_id = stack[-1]
            node = next(children, None)
            if node is None:
                stack.pop()
                if closing:
                    pieces.append(closing)
                    spans[node_id] = (start, len(pieces))
                continue
            tag = node.tag
            if tag == "-text":
                pieces.append((node.text_content or "").replace("\x00", ""))
            elif tag == "br":
                pieces.append("\x00")
            elif html_reader._skipped(tag, in_article):
                continue
            elif tag == "table" and (rows := rows_of(node, in_article)) is not None:
                pieces.extend(piece for row in rows for piece in ("\x00", row_line(row), "\x00"))
            else:
                block = tag in html_reader._BLOCKS
                if block or tag in html_reader._CELLS:
                    pieces.append("\x00" if block else " ")
                inside = in_article or tag == "article"
                start, node_id = (len(pieces) - 1, node.mem_id) if block else (0, 0)
                stack.append((node.iter(include_text=True), "\x00" if block else "", inside, start, node_id))
        return "".join(pieces), {k: "".join(pieces[a:b]) for k, (a, b) in spans.items()}

    return walk(root, in_article)


_LONG_INLINE = "<span>" + "<b>词</b><!-- c -->" * 40 + "</span>"  # past _MAX_INLINE nodes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup(), st.sampled_from(["", _LONG_INLINE, f"<td>{_LONG_INLINE}</td>", "<p>甲<i>乙</i><br>丙</p>"]))
def test_the_page_walk_gives_what_it_gave_before(markup: str, extra: str) -> None:
    """The same text and the same span (so the same container lines) for every block, whatever
    the walk reads without its iterators."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(f"<html><body>{markup}{extra}<table><tr>{extra}</tr></table></body></html>").body
    assert body is not None
    for in_article in (False, True):
        text, blocks = _walk_before(body, in_article)
        page = html_reader._walk(body, in_article)
        assert "".join(page.pieces) == text
        assert {k: "".join(page.pieces[a:b]) for k, (a, b) in page.spans.items()} == blocks
