"""Bounded resources: each hostile input is read in a child process limited to 1 GiB of address
space and must be refused (or read) cleanly, with a Chinese message, within a time bound."""

from __future__ import annotations

import os
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .builders import (
    billion_laughs,
    deflate_bomb,
    dense_xml,
    glyph_flood,
    lie_about_size,
    pdf_bytes,
    read_limited,
    run_limited,
    write_docx,
    write_pdf,
)

REFUSED = "文件过大或被恶意构造"


def _refused(outcome: object, seconds: float) -> str:
    from .builders import Outcome

    assert isinstance(outcome, Outcome)
    assert outcome.returncode == 0, outcome.result
    assert outcome.seconds < seconds, f"took {outcome.seconds:.1f} s"
    error = outcome.result.get("error")
    assert isinstance(error, str), outcome.result
    return error


# ------------------------------------------------------------------------------ zip


def test_docx_whose_parts_parse_to_gigabytes(tmp_path: Path) -> None:
    """Four 15 MB header parts of empty paragraphs (each under the ratio check, 23 KB in the
    archive): a full package load parsed them all (~1.5 GB). Only the parts needed are read:
    with a body, the headers are never parsed; without one, they are refused before parsing."""
    path = tmp_path / "headers.docx"
    write_docx(path, b"", headers=[dense_xml(15)] * 4)
    assert path.stat().st_size < 1024 * 1024
    outcome = read_limited(path)
    assert outcome.returncode == 0 and outcome.seconds < 20 and outcome.result.get("text"), outcome
    write_docx(path, b"", headers=[dense_xml(15)] * 4, text=False)
    assert REFUSED in _refused(read_limited(path), 20)


def test_docx_body_too_dense_to_parse(tmp_path: Path) -> None:
    path = tmp_path / "dense.docx"
    write_docx(path, dense_xml(15))
    error = _refused(read_limited(path), 20)
    assert REFUSED in error and "word/document.xml" in error


@pytest.mark.parametrize("declared", [1000, 16 * 1024 * 1024 - 1])
def test_zip_member_lying_about_its_size(tmp_path: Path, declared: int) -> None:
    """A member that says it is small (under every declared-size check) but inflates to
    256 MB: the document still reads (the part is not one it needs), and reading the member
    itself stops early with a Chinese error instead of inflating it."""
    from auditor.errors import ReadError
    from auditor.readers.zipsafe import read_member

    path = tmp_path / "liar.docx"
    write_docx(path, b"")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/media/big.bin", "w") as member,
    ):
        for _ in range(256):
            member.write(bytes(1024 * 1024))
    lie_about_size(path, "word/media/big.bin", declared)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/media/big.bin").file_size == declared
    outcome = read_limited(path)
    assert outcome.returncode == 0 and outcome.seconds < 20 and "text" in outcome.result
    with zipfile.ZipFile(path) as archive, pytest.raises(ReadError) as caught:
        read_member(archive, "word/media/big.bin", ".docx", limit=8 * 1024 * 1024)
    assert "已损坏" in caught.value.message or REFUSED in caught.value.message


def test_read_member_stops_at_its_cap(tmp_path: Path) -> None:
    """Whatever the header says, inflating stops one chunk past the cap."""
    from auditor.errors import ReadError
    from auditor.readers.zipsafe import read_member

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.xml", b"<a/>" * (1024 * 1024))
    with zipfile.ZipFile(path) as archive, pytest.raises(ReadError, match=REFUSED):
        read_member(archive, "x.xml", ".docx", limit=1024 * 1024)


# ------------------------------------------------------------------------------ pdf


def test_pdf_flate_stream_of_a_gigabyte(tmp_path: Path) -> None:
    """1 MB on disk, 1 GiB once inflated (pdfminer inflated a stream in one call: one of 2 GiB
    took 4.2 GB and 30 s before)."""
    path = tmp_path / "bomb.pdf"
    write_pdf(path, deflate_bomb(1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    assert REFUSED in _refused(read_limited(path), 20)


def test_pdf_page_with_a_flood_of_glyphs(tmp_path: Path) -> None:
    """300,000 glyphs on one page (a 50 KB file): ~1 GB of layout objects before."""
    path = tmp_path / "flood.pdf"
    write_pdf(path, glyph_flood(300_000))
    assert REFUSED in _refused(read_limited(path), 30)


def test_pdf_plain_page_with_a_flood_of_glyphs(tmp_path: Path) -> None:
    """900,000 glyphs in 900 KB of content: plain enough for PDFium (under its content bound), which
    holds them all; past the per-page cap the page goes to pdfplumber, which refuses it."""
    import zlib

    from auditor.readers.pdfplain import plain_contents

    path = tmp_path / "plain-flood.pdf"
    write_pdf(path, zlib.compress(b"BT /F1 1 Tf 10 10 Td " + (b"(" + b"a" * 30_000 + b") Tj ") * 30 + b"ET\n"))
    assert len(plain_contents(path.read_bytes()) or ()) == 1
    assert REFUSED in _refused(read_limited(path), 30)


def test_pdf_run_length_bomb(tmp_path: Path) -> None:
    """RunLengthDecode repeats one byte up to 128 times per 2 bytes (and pdfminer built a
    list of ints, 8 bytes per decoded byte)."""
    path = tmp_path / "runs.pdf"
    write_pdf(path, b"\x81 " * (6 * 1024 * 1024) + b"\x80", filters="/RunLengthDecode")
    assert REFUSED in _refused(read_limited(path), 30)


def test_bounded_inflate_matches_zlib() -> None:
    import zlib

    from auditor.readers.pdflimits import Budget

    data = os.urandom(300_000) + b"x" * 3_000_000
    packed = zlib.compress(data)
    assert Budget().inflate(packed) == data
    with pytest.raises(zlib.error):
        Budget().inflate(packed[:-10])
    assert Budget().inflate_damaged(packed[:-2] + b"\0\0") == data  # bad checksum: kept


def test_decoders_are_restored_after_a_read(tmp_path: Path) -> None:
    import pdfminer.pdftypes as pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    from auditor.readers.pdflimits import bounded_pdfminer

    before = (pdftypes.zlib, pdftypes.rldecode, PDFLayoutAnalyzer.render_char)
    with pytest.raises(RuntimeError), bounded_pdfminer():
        assert pdftypes.zlib is not before[0]
        raise RuntimeError
    assert (pdftypes.zlib, pdftypes.rldecode, PDFLayoutAnalyzer.render_char) == before


# ------------------------------------------------------------------------------ html


def test_html_with_100k_nested_tags_reads_in_linear_time(tmp_path: Path) -> None:
    """100,000 nested <div> took 13 s (quadratic in the HTML tree builder)."""
    text = "法治政府建设年度报告。" * 50
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body><div id=content>" + "<div>" * 100_000 + text + "</div>" * 100_000 + "</div>",
        encoding="utf-8",
    )
    outcome = read_limited(path)
    assert outcome.returncode == 0 and outcome.seconds < 6, (outcome.seconds, outcome.result)
    assert outcome.result.get("text") == len(text)


def test_html_with_millions_of_elements(tmp_path: Path) -> None:
    """20 MB of <br> (five million elements) filled 1 GiB before; refused before parsing. Just
    under the cap, a page of a million paragraphs reads within the limit."""
    path = tmp_path / "flat.html"
    path.write_text("<html><body>" + "<br>" * (5 * 1024 * 1024), encoding="utf-8")
    assert REFUSED in _refused(read_limited(path), 10)
    path.write_text("<html><body>" + "<p>法治政府建设</p>" * 990_000, encoding="utf-8")
    outcome = read_limited(path)
    assert outcome.returncode == 0 and outcome.seconds < 30, (outcome.seconds, outcome.result)
    assert outcome.result.get("text") == 990_000 * 7 - 1


def test_html_data_table_deep_in_the_page(tmp_path: Path) -> None:
    """400,000 cells 400 elements deep: each cell looked up its 400 ancestors (20 s)."""
    rows = ("<tr>" + "<td>1</td><td>2</td>" * 10 + "</tr>") * 20_000
    path = tmp_path / "table.html"
    path.write_text(f"<html><body>{'<div>' * 400}<table>{rows}</table>{'</div>' * 400}", encoding="utf-8")
    outcome = read_limited(path)
    assert outcome.returncode == 0 and outcome.seconds < 10, (outcome.seconds, outcome.result)
    assert outcome.result.get("text")


@pytest.mark.parametrize(
    "markup",
    [
        "<body>" + "<span>" * 60_000 + "<div></div>" * 60_000,
        "<body>" + "<b><div>" * 60_000 + "x",
        "<body>" + "<div" * 300_000,
        "<body>" + "<div>" * 600 + "</span>" * 200_000,
    ],
    ids=["spans-then-divs", "formatting-and-blocks", "unclosed-brackets", "stray-end-tags"],
)
def test_limit_nesting_keeps_the_tree_builder_linear(markup: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from auditor.readers.nesting import limit_nesting

    start = time.monotonic()
    LexborHTMLParser(limit_nesting(markup))
    assert time.monotonic() - start < 3


def test_limit_nesting_leaves_ordinary_pages_alone() -> None:
    from auditor.readers.nesting import limit_nesting

    page = "<html><body>" + "<div><p>段落<span>文字</span></div>" * 2000 + "</div></span>"
    assert limit_nesting(page) is page
    deep = "<div>" * 10 + "正文" + "</div>" * 10
    assert limit_nesting(deep, max_depth=3) == "<div>" * 3 + "正文" + "</div>" * 3


# ------------------------------------------------------------------------------ yaml


def test_yaml_billion_laughs_rule_file_is_refused(tmp_path: Path) -> None:
    """484 bytes, 1.7 GB and 14 s before; now a located rule-file error, exit 2."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bomb.yaml").write_text(billion_laughs(8), encoding="utf-8")
    command = [sys.executable, "-m", "auditor", "rules", "list", "--rules", str(rules)]
    outcome = run_limited(command, timeout=60, cwd=tmp_path)
    assert outcome.returncode == 2, outcome.result
    assert outcome.seconds < 10
    stderr = str(outcome.result.get("stderr", ""))
    assert re.search(r"bomb\.yaml:\d+:\d+: YAML 别名", stderr) and "Traceback" not in stderr, stderr


def test_yaml_recursive_alias_is_refused(tmp_path: Path) -> None:
    from auditor.errors import RuleProblem
    from auditor.loader import read_yaml

    path = tmp_path / "loop.yaml"
    path.write_text("checklist:\n  id: x\nrules: &r [1, *r]\n", encoding="utf-8")
    problems: list[RuleProblem] = []
    assert read_yaml(path, problems)[0] is None
    assert [(p.location.line, "无限递归" in p.message) for p in problems] == [(3, True)]


def test_yaml_aliases_that_stay_small_are_fine(tmp_path: Path) -> None:
    from auditor.errors import RuleProblem
    from auditor.loader import read_yaml

    path = tmp_path / "shared.yaml"
    path.write_text("common: &c [甲, 乙]\nrules:\n  - phrases: *c\n  - phrases: *c\n", encoding="utf-8")
    problems: list[RuleProblem] = []
    data, _ = read_yaml(path, problems)
    assert problems == [] and data["rules"][1]["phrases"] == ["甲", "乙"]


def test_pdf_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    """Empty pages cost ~100 bytes each on disk and milliseconds each to lay out."""
    count = 6000
    kids = " ".join(f"{n} 0 R" for n in range(3, 3 + count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * count
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf_bytes(objects))
    error = _refused(read_limited(path), 30)
    assert REFUSED in error and "6000 页" in error


def test_yaml_nested_too_deep_is_a_located_error(tmp_path: Path) -> None:
    """990 nested lists (libyaml allows 1000) ran Python out of recursion: exit 3 before."""
    from auditor.errors import RuleProblem
    from auditor.loader import read_yaml

    path = tmp_path / "deep.yaml"
    path.write_text("rules: " + "[" * 990 + "]" * 990 + "\n", encoding="utf-8")
    problems: list[RuleProblem] = []
    assert read_yaml(path, problems)[0] is None
    assert len(problems) == 1 and "嵌套超过" in problems[0].message
    assert problems[0].location.line == 1


def test_ofd_page_with_a_million_glyph_runs(tmp_path: Path) -> None:
    """2 MB on disk; parsed and placed it took 843 MB and 8 s. Refused before parsing."""
    ns = "http://www.ofdspec.org/2016"
    runs = "".join(f'<ofd:TextCode X="{i % 500}" Y="{i // 50}">法治</ofd:TextCode>' for i in range(990_000))
    path = tmp_path / "dense.ofd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f"<ofd:OFD xmlns:ofd='{ns}'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
            "</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f"<ofd:Document xmlns:ofd='{ns}'><ofd:Pages><ofd:Page ID='1' "
            "BaseLoc='Pages/Page_0/Content.xml'/></ofd:Pages></ofd:Document>",
        )
        archive.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f"<ofd:Page xmlns:ofd='{ns}'><ofd:Content><ofd:Layer>"
            f"<ofd:TextObject Boundary='0 0 100 100' Size='3'>{runs}</ofd:TextObject>"
            "</ofd:Layer></ofd:Content></ofd:Page>",
        )
    error = _refused(read_limited(path), 10)
    assert REFUSED in error and "Content.xml" in error


# ------------------------------------------------------------------------------ references


def _font_reference_pdf(objects: list[bytes]) -> bytes:
    import zlib

    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Hello world, a plain page) Tj ET\n")
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            *objects,
        ]
    )


@pytest.mark.parametrize("cycle", [[b"5 0 R"], [b"6 0 R", b"5 0 R"]], ids=["itself", "two objects"])
def test_pdf_references_that_come_back_on_themselves(tmp_path: Path, cycle: list[bytes]) -> None:
    """A font that is a reference to itself: pdfminer's resolve1 followed it for ever (a 600-byte
    file kept `auditor check` busy until killed)."""
    path = tmp_path / "cycle.pdf"
    path.write_bytes(_font_reference_pdf(cycle))
    outcome = read_limited(path, timeout=60)
    assert outcome.returncode == 0, outcome.result
    assert outcome.seconds < 30
    assert set(outcome.result) & {"text", "error"}, outcome.result


def test_pdf_a_chain_of_references_resolves_to_its_end() -> None:
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1

    from auditor.readers.pdflimits import bounded_pdfminer

    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    for objects, expected in [([b"6 0 R", b"7 0 R", font], "Helvetica"), ([b"6 0 R", b"5 0 R"], None)]:
        document = PDFDocument(PDFParser(io.BytesIO(_font_reference_pdf(objects))))
        with bounded_pdfminer():
            value = resolve1(PDFObjRef(document, 5))
        assert (value and value["BaseFont"].name) == expected
        assert isinstance(PDFObjRef(document, 5).resolve(), PDFObjRef)  # pdfminer's own outside the block
