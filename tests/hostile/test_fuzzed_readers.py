"""Fuzzed readers: whatever the bytes, each format's reader returns text or raises ReadError.

Unlike ``tests/readers/test_readers_properties.py`` this calls the readers *without* the
catch-all of :func:`read_document` (which turns any exception into a ReadError), so an
exception a parser lets escape is found here, not hidden.
"""

from __future__ import annotations

import io
import itertools
import os
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor.errors import ReadError
from auditor.readers import dispatch

from ..readers.builders import (
    build_docx,
    build_html,
    build_ofd,
    build_pdf,
    paragraphs,
    seed_paths,
    seed_text,
)

FUZZ = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


@pytest.fixture(scope="module", autouse=True)
def no_libreoffice() -> Iterator[None]:
    import auditor.readers.legacy_word as legacy

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legacy, "find_converter", lambda: None)
        yield


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("fuzz-samples")
    paras = paragraphs(seed_text(seed_paths()[0]))[5:8]
    build_docx(paras, root / "s.docx", table=(1, 2))
    build_pdf(paras, root / "s.pdf")
    build_ofd(paras, root / "s.ofd")
    found = {suffix: (root / f"s{suffix}").read_bytes() for suffix in (".docx", ".pdf", ".ofd")}
    found[".html"] = build_html(paras, "gbk")
    return found


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_raw(scratch: Path, data: bytes, suffix: str) -> None:
    """Run the reader for ``data`` with no catch-all: only ReadError may escape."""
    path = scratch / f"case{next(_counter)}{suffix}"
    path.write_bytes(data)
    try:
        extracted = dispatch._read(str(path), dispatch.DEFAULT_MAX_CHARS, None)
    except ReadError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert extracted.text.strip()
    finally:
        path.unlink()


def _mutate_members(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    """Damage the XML inside every member of a zip (the archive itself stays valid)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = bytearray(source.read(info))
            for position, value in flips:
                if body:
                    body[position % len(body)] = value
            if cut is not None and body:
                body = body[: cut % len(body)]
            archive.writestr(info.filename, bytes(body))
    return out.getvalue()


_XML_BYTES = st.sampled_from(list(b"<>&\"'/=:x \x00\xff"))


@FUZZ
@given(
    suffix=st.sampled_from([".docx", ".ofd"]),
    flips=st.lists(st.tuples(st.integers(0, 10**6), _XML_BYTES), max_size=6),
    cut=st.none() | st.integers(0, 10**6),
)
def test_damaged_zip_members(
    scratch: Path, samples: dict[str, bytes], suffix: str, flips: list[tuple[int, int]], cut: int | None
) -> None:
    read_raw(scratch, _mutate_members(samples[suffix], flips, cut), suffix)


@FUZZ
@given(
    suffix=st.sampled_from([".docx", ".ofd", ".pdf", ".html"]),
    flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), max_size=20),
    cut=st.none() | st.integers(0, 10**7),
)
def test_damaged_bytes(
    scratch: Path, samples: dict[str, bytes], suffix: str, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(samples[suffix])
    for position, value in flips:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data) + 1]
    read_raw(scratch, bytes(data), suffix)


@FUZZ
@given(
    head=st.sampled_from(
        [b"PK\x03\x04", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1", b"<html>", b""]
    ),
    body=st.binary(max_size=3000),
    suffix=st.sampled_from([".docx", ".pdf", ".doc", ".wps", ".html", ".txt", ".ofd", ""]),
)
def test_random_bytes_behind_a_signature(scratch: Path, head: bytes, body: bytes, suffix: str) -> None:
    read_raw(scratch, head + body, suffix)


_TEXT_TAGS = ["div", "span", "p", "b", "table", "td", "li", "ul", "a", "br", "img"]
_WORDS = ["法治", "建设", " ", "\n", "<!--", "-->", "<", ">", "<div", "&amp;", '"', "'", '<p title=">">']


def _pieces(tags: list[str]) -> st.SearchStrategy[str]:
    names = st.sampled_from(tags)
    return st.one_of(names.map(lambda t: f"<{t}>"), names.map(lambda t: f"</{t}>"), st.sampled_from(_WORDS))


# Dropping a <script>, <svg> or <nav> past the limit changes what is text (its content is no
# longer skipped, or a <script> inside <svg> becomes raw text): allowed for such pages, so the
# text property is checked on the other tags; the readers are fuzzed with all of them.
_PIECES = _pieces(_TEXT_TAGS)
_ALL_PIECES = _pieces([*_TEXT_TAGS, "script", "svg", "nav", "style", "title", "textarea"])


@FUZZ
@given(st.lists(_PIECES, max_size=200), st.integers(1, 20))
@example(["<div", "<div>", "法治"], 1)  # "<div<div>" is one tag: dropping half of it ate the text
@example(["<div>", "<div", " ", '"'], 1)  # a quote opens a value only after "=": the tag cut off by the end is dropped
def test_limit_nesting_keeps_text_and_bounds_depth(pieces: list[str], depth: int) -> None:
    """Only tags are dropped (never text), nothing changes within the limit, and the result
    never nests deeper than the limit as counted."""
    from selectolax.lexbor import LexborHTMLParser

    from auditor.readers.nesting import limit_nesting

    markup = "".join(pieces)
    limited = limit_nesting(markup, max_depth=depth)
    if limited is markup:
        return
    text = LexborHTMLParser("<body>" + markup).body
    text_limited = LexborHTMLParser("<body>" + limited).body
    assert text is not None and text_limited is not None
    # the same characters (a dropped <table> no longer moves text in front of it, so words and
    # spaces may be arranged differently)
    assert Counter("".join(text_limited.text(deep=True).split())) == Counter("".join(text.text(deep=True).split()))
    assert limit_nesting(limited, max_depth=depth) == limited


_ODD_NUMBERS = st.sampled_from(
    ["inf", "-inf", "nan", "1e400", "-1e400", "1e308", "0", "", "x", "g", "g 99999999999 1", "g 2 inf", "9" * 400]
)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Boundary", "Size", "X", "Y", "DeltaX"]), st.lists(_ODD_NUMBERS, min_size=1, max_size=4)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_ofd_with_odd_numbers(scratch: Path, samples: dict[str, bytes], changes: list[tuple[str, list[str]]]) -> None:
    """Coordinates such as inf or nan (float() accepts them) once crashed the line joiner."""
    import re

    source = zipfile.ZipFile(io.BytesIO(samples[".ofd"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info).decode("utf-8")
            for attribute, values in changes:
                data = re.sub(f'{attribute}="[^"]*"', f'{attribute}="{" ".join(values)}"', data, count=3)
            archive.writestr(info.filename, data)
    read_raw(scratch, out.getvalue(), ".ofd")


def test_layout_with_infinite_coordinates() -> None:
    from auditor.readers.paragraphs import LayoutLine, join_lines

    lines = [LayoutLine("法治政府建设年度报告第一段", 0.0, 100.0)] * 6
    for odd in (float("inf"), float("nan")):
        text = join_lines([*lines, LayoutLine("第二段落的文字内容", odd, 100.0)])
        assert text.startswith("法治政府建设年度报告") and text.endswith("第二段落的文字内容")


@FUZZ
@given(st.lists(_ALL_PIECES, max_size=300), st.sampled_from(["utf-8", "gb18030"]))
def test_tag_soup_pages(scratch: Path, pieces: list[str], encoding: str) -> None:
    head = f'<html><head><meta charset="{encoding}"><title>法治政府建设年度报告</title></head><body>'
    read_raw(scratch, (head + "".join(pieces)).encode(encoding), ".html")


def test_ofd_part_declaring_an_unknown_encoding(scratch: Path, samples: dict[str, bytes]) -> None:
    """Found by fuzzing: ElementTree raises LookupError (not ParseError) for it."""
    source = zipfile.ZipFile(io.BytesIO(samples[".ofd"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info.filename, data.replace(b'encoding="UTF-8"', b'encoding="xTF-8"'))
    path = scratch / "unknown-encoding.ofd"
    path.write_bytes(out.getvalue())
    with zipfile.ZipFile(path) as archive:
        assert any(b"xTF-8" in archive.read(name) for name in archive.namelist())
    with pytest.raises(ReadError, match="OFD 文件已损坏"):
        dispatch._read(str(path), dispatch.DEFAULT_MAX_CHARS, None)


@FUZZ
@given(st.lists(_ALL_PIECES, max_size=60), st.integers(1, 20))
def test_limit_nesting_skips_only_pages_that_cannot_nest_too_deep(pieces: list[str], depth: int) -> None:
    """A page with no more "<" not followed by "/" than the limit is left alone without tracking
    its tags: the tracking pass leaves it alone too."""
    from auditor.readers.nesting import _limited, limit_nesting

    markup = "".join(pieces)
    assert limit_nesting(markup, max_depth=depth) == _limited(markup, depth)
