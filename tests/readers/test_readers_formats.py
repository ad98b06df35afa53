"""Every supported format, built at test time from the seed reports, reads back correctly."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.readers import Extracted, read_document
from auditor.readers.legacy_word import find_converter

from .builders import (
    DATE_LINE,
    FOOTER_TEXT,
    HTML_TITLE,
    NAV_TEXT,
    PDF_HEADER,
    SCRIPT_TEXT,
    STYLE_TEXT,
    Seed,
    build_docx,
    build_html,
    build_pdf,
    encodable,
    paragraphs,
    read_checked,
    squash,
)

# STSong-Light (the CJK font built into reportlab) has no glyph for the middle dot: pdfminer
# (pdfplumber's pages) loses it, PDFium keeps it (its code is the character in UniGB-UCS2-H).
PDF_MISSING_GLYPHS = str.maketrans("", "", "\u00b7")


def _lines(result: Extracted) -> list[str]:
    return result.text.split("\n")


def assert_clean(result: Extracted) -> None:
    assert "\r" not in result.text
    assert not result.text.startswith("\ufeff")
    assert result.text.strip()


# --- plain text -------------------------------------------------------------------------------


def test_utf8_seed_reads_unchanged(tmp_path: Path, seeds: list[Seed]) -> None:
    for seed in seeds:
        path = tmp_path / f"{seed.name}.txt"
        path.write_text(seed.text, encoding="utf-8")
        result = read_checked(path)
        assert (result.format, result.encoding, result.pages) == ("txt", "utf-8", None)
        assert result.text == seed.text


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_text(tmp_path: Path, seeds: list[Seed], codec: str) -> None:
    for seed in seeds:
        text = encodable(seed.text, codec)
        path = tmp_path / f"{seed.name}.txt"
        path.write_bytes(text.encode(codec))
        result = read_checked(path)
        assert result.encoding == "gb18030"
        assert result.text == text


def test_bom_and_crlf(tmp_path: Path, first_seed: Seed) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(("\ufeff" + first_seed.text.replace("\n", "\r\n")).encode("utf-8"))
    result = read_checked(path)
    assert result.encoding == "utf-8-sig"
    assert result.text == first_seed.text
    assert_clean(result)


def test_lone_cr_and_other_separators(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes("第一行\r第二行\u2028第三行\x0c第四行\r\n".encode())
    assert read_checked(path).text == "第一行\n第二行\n第三行\n第四行\n"


@pytest.mark.parametrize(("codec", "reported"), [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")])
def test_utf16_text(tmp_path: Path, first_seed: Seed, codec: str, reported: str) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(first_seed.text.replace("\n", "\r\n").encode(codec))
    result = read_checked(path)
    assert (result.format, result.encoding) == ("txt", reported)
    assert result.text == first_seed.text


BIG5_TEXT = (
    "臺北市政府一一二年度法治政府建設報告\n"
    "一、推動依法行政，健全行政執法程序，強化監督機制。\n"
    "二、落實政府資訊公開，提升為民服務品質，保障人民權益。\n"
)


def test_big5_text(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(BIG5_TEXT.encode("big5"))
    result = read_checked(path)
    assert result.encoding in ("big5", "cp950")
    assert result.text == BIG5_TEXT


def test_short_gbk_text_is_not_mistaken_for_big5(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("法治政府建设年度报告".encode("gbk"))
    assert read_checked(path).text == "法治政府建设年度报告"


def test_markdown_is_read_as_markdown(tmp_path: Path, first_seed: Seed) -> None:
    """A plain report saved as .md keeps its lines; Markdown marks never reach the text."""
    text = "# 法治政府建设年度报告\n\n" + first_seed.text
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    result = read_checked(path)
    assert (result.format, result.encoding) == ("md", "utf-8")
    assert result.text.split("\n")[0] == "法治政府建设年度报告"
    assert paragraphs(result.text) == paragraphs(text.replace("# ", "", 1))


def test_stdin_uses_the_detected_format(first_seed: Seed, built: dict[str, dict[str, Path]]) -> None:
    text_result = read_document("-", stdin_bytes=first_seed.text.encode("gb18030"))
    assert (text_result.format, text_result.text) == ("txt", first_seed.text)
    docx_bytes = built[first_seed.name]["docx"].read_bytes()
    docx_result = read_document("-", stdin_bytes=docx_bytes)
    assert docx_result.format == "docx"
    assert squash(docx_result.text) == squash(first_seed.text)


# --- docx -------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order(seeds: list[Seed], built: dict[str, dict[str, Path]]) -> None:
    for seed in seeds:
        result = read_checked(built[seed.name]["docx"])
        assert (result.format, result.encoding, result.pages) == ("docx", None, None)
        assert _lines(result) == seed.paras  # one paragraph (or table cell) per line, in order
        assert "页眉" not in result.text  # headers only when the body is nearly empty


def test_docx_recognized_by_content_not_extension(
    tmp_path: Path, first_seed: Seed, built: dict[str, dict[str, Path]]
) -> None:
    disguised = tmp_path / "report.txt"
    shutil.copy(built[first_seed.name]["docx"], disguised)
    assert read_checked(disguised).format == "docx"


def test_macro_enabled_docm(tmp_path: Path, first_seed: Seed, built: dict[str, dict[str, Path]]) -> None:
    """python-docx's Document() refuses .docm content types; the reader must not."""
    import zipfile

    docm = tmp_path / "report.docm"
    with zipfile.ZipFile(built[first_seed.name]["docx"]) as src, zipfile.ZipFile(docm, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            out.writestr(info, data)
    result = read_checked(docm)
    assert result.format == "docx"
    assert _lines(result) == first_seed.paras


def test_docx_header_used_when_body_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty-body.docx"
    build_docx(["", " "], path, table=(0, 0))
    assert read_checked(path).text.strip() == "页眉文字只在正文为空时使用"


# --- pdf --------------------------------------------------------------------------------------


PAGE_NUMBER = re.compile(r"^\s*(-\s*\d+\s*-|第\s*\d+\s*页.*|\d+\s*/\s*\d+|\d+)\s*$")


def test_pdf_paragraphs_survive_wrapping_and_chrome(seeds: list[Seed], built: dict[str, dict[str, Path]]) -> None:
    for seed in seeds:
        result = read_checked(built[seed.name]["pdf"])
        assert result.format == "pdf" and result.encoding is None
        assert result.pages is not None and result.pages >= 3
        flat = squash(result.text).translate(PDF_MISSING_GLYPHS)
        joined = {squash(line).translate(PDF_MISSING_GLYPHS) for line in _lines(result)}
        for para in seed.paras:
            expected = squash(para).translate(PDF_MISSING_GLYPHS)
            assert expected in flat
        whole = [p for p in seed.paras if squash(p).translate(PDF_MISSING_GLYPHS) in joined]
        assert len(whole) >= 0.9 * len(seed.paras), "wrapped lines were not joined back"
        assert not [line for line in _lines(result) if PAGE_NUMBER.match(line)]
        assert PDF_HEADER not in result.text


@pytest.mark.parametrize("numbering", ["第 {n} 页", "{n}", "{n}/9"])
def test_pdf_page_number_styles_without_indentation(tmp_path: Path, first_seed: Seed, numbering: str) -> None:
    path = tmp_path / "plain.pdf"
    build_pdf(first_seed.paras, path, header=None, numbering=numbering, indent=False)
    result = read_checked(path)
    assert not [line for line in _lines(result) if PAGE_NUMBER.match(line)]
    for para in first_seed.paras:
        assert squash(para) in squash(result.text)


def test_owner_password_only_pdf_is_readable(tmp_path: Path, first_seed: Seed) -> None:
    from pypdf import PdfReader, PdfWriter

    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    build_pdf(first_seed.paras[:5], plain)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner")
    writer.write(locked)
    assert squash(first_seed.paras[2]) in squash(read_checked(locked).text)


# --- html -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["html-utf8", "html-gbk"])
def test_html_article_body(seeds: list[Seed], built: dict[str, dict[str, Path]], variant: str) -> None:
    for seed in seeds:
        result = read_checked(built[seed.name][variant])
        assert result.format == "html"
        assert result.encoding == ("utf-8" if variant == "html-utf8" else "gb18030")
        lines = {squash(line) for line in _lines(result)}
        for para in seed.paras:
            assert squash(encodable(para, "gbk")) in lines  # one paragraph per line
        for chrome in (
            NAV_TEXT,
            SCRIPT_TEXT,
            STYLE_TEXT,
            FOOTER_TEXT,
            "分享到微信",
            "门户网站",
            "请启用脚本",
        ):
            assert squash(chrome) not in squash(result.text)
        assert "  " not in result.text


def test_html_keeps_title_and_date_chrome(tmp_path: Path) -> None:
    body = [
        "一、主要举措",
        "全面推进依法行政，" * 30,
        "二、存在问题",
        "法治宣传教育仍需加强。" * 20,
    ]
    path = tmp_path / "page.html"
    path.write_bytes(build_html(body, "gb2312"))
    result = read_checked(path)
    lines = _lines(result)
    assert lines[0] == HTML_TITLE
    assert lines[1].startswith(DATE_LINE)
    assert lines[2:] == [squash(p) for p in body]  # source line breaks between CJK vanish


def test_html_with_a_stale_charset_declaration(tmp_path: Path, first_seed: Seed) -> None:
    """A page re-saved as UTF-8 by a browser may still say charset=gb2312."""
    path = tmp_path / "resaved.html"
    path.write_bytes(build_html(first_seed.paras, "utf-8").replace(b"charset=utf-8", b"charset=gb2312"))
    result = read_checked(path)
    assert result.encoding == "utf-8"
    assert squash(first_seed.paras[5]) in squash(result.text)


def test_html_without_declared_charset(tmp_path: Path, first_seed: Seed) -> None:
    path = tmp_path / "nodecl.html"
    path.write_bytes(build_html(first_seed.paras, "gbk", declare=False))
    result = read_checked(path)
    assert result.encoding == "gb18030"
    assert squash(encodable(first_seed.paras[5], "gbk")) in squash(result.text)


def test_html_detected_by_content(tmp_path: Path, first_seed: Seed) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(build_html(first_seed.paras, "utf-8"))
    result = read_checked(path)
    assert result.format == "html"
    assert SCRIPT_TEXT not in result.text


def test_html_falls_back_to_body_without_container(tmp_path: Path) -> None:
    path = tmp_path / "bare.html"
    path.write_text(
        "<html><body><nav>导航</nav><p>第一段&nbsp;&nbsp;内容</p><div>第二段<br>第三段</div></body></html>",
        encoding="utf-8",
    )
    assert read_checked(path).text == "第一段 内容\n第二段\n第三段"


# --- ofd --------------------------------------------------------------------------------------


def test_ofd_text_in_page_order(seeds: list[Seed], built: dict[str, dict[str, Path]]) -> None:
    for seed in seeds:
        result = read_checked(built[seed.name]["ofd"])
        assert (result.format, result.encoding) == ("ofd", None)
        lines = [squash(line) for line in _lines(result)]
        assert lines == [squash(p) for p in seed.paras]
        assert PDF_HEADER not in result.text


# --- legacy Word ------------------------------------------------------------------------------


def test_doc_without_converter_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.readers.legacy_word as legacy
    from auditor.errors import ReadError

    monkeypatch.setattr(legacy, "find_converter", lambda: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ReadError) as caught:
        read_checked(path)
    assert "未安装转换程序 LibreOffice" in caught.value.message
    assert caught.value.hint is not None and "apt-get install libreoffice-writer" in caught.value.hint


@pytest.mark.skipif(find_converter() is None, reason="LibreOffice (soffice) is not installed")
def test_doc_and_wps_via_libreoffice(tmp_path: Path, first_seed: Seed, built: dict[str, dict[str, Path]]) -> None:
    source = tmp_path / "report.docx"
    shutil.copy(built[first_seed.name]["docx"], source)
    converter = find_converter()
    assert converter is not None
    subprocess.run(
        [
            converter,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    doc = tmp_path / "report.doc"
    result = read_checked(doc)
    assert result.format == "doc"
    assert squash(result.text) == squash(first_seed.text)
    wps = tmp_path / "report.wps"
    shutil.copy(doc, wps)
    assert read_checked(wps).format == "wps"


@pytest.mark.parametrize(
    ("name", "content", "kind", "note"),
    [
        (
            "report.docx",
            "张渚镇人民政府2023年法治政府建设情况报告\n一、主要举措\n全年开展普法活动30场。\n",
            "txt",
            "按纯文本格式读取（扩展名为 .docx）",
        ),
        (
            "report.doc",
            "<html><body><h1>张渚镇人民政府2023年法治政府建设情况报告</h1><p>全年开展普法活动30场。</p></body></html>",
            "html",
            "按网页格式读取（扩展名为 .doc）",
        ),
        ("report.txt", "张渚镇人民政府2023年法治政府建设情况报告\n全年开展普法活动30场。\n", "txt", None),
    ],
)
def test_content_that_does_not_match_its_extension_is_read_by_content_and_said(
    tmp_path: Path, name: str, content: str, kind: str, note: str | None
) -> None:
    from auditor.readers import read_document

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    extracted = read_document(str(path))
    assert (extracted.format, extracted.note) == (kind, note)
    assert "全年开展普法活动30场" in extracted.text
