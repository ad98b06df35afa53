"""Word's automatic numbering (numbering.xml): headings whose 一、 （一） come from the list, not
the text. Before, the numbers were lost, the parts of a 政府信息公开 report were not found and
two of them were charged as missing. The same report typed with its numbers and numbered by Word
(directly, or through a numbered heading style) must read the same and get the same verdicts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.numbers import cn_to_int
from auditor.readers.dispatch import read_document
from auditor.readers.docx_reader import _chinese
from tests.helpers import ROOT, run_cli

REPORT = ROOT / "fixtures" / "gov-info-disclosure"
_HEADING = re.compile(r"^(?:([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）)(.+)$")

LEVELS = (
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
)


def _lines() -> list[str]:
    path = next(p for p in sorted(REPORT.glob("*.txt")))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _value(written: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23: the project's reader of Chinese numerals (an oracle apart from
    the writer under test)."""
    value = cn_to_int(written)
    assert value is not None, written
    return value


def _build(lines: list[str], path: Path, how: str) -> None:
    """The report as .docx: headings typed (``typed``), numbered by Word (``numbered``) or by a
    numbered heading style (``styled``)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{LEVELS}</w:abstractNum>')
    first.addprevious(abstract) if first is not None else numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    styles = document.styles.element
    for level in (0, 1):
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Part{level}"><w:name w:val="Part{level}"/>'
                f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr></w:pPr></w:style>'
            )
        )
    expected = [1, 1]  # the next number of each level: a line numbered otherwise (a table row's 一、) stays text
    for line in lines:
        m = _HEADING.match(line)
        level = 0 if m and m.group(1) else 1
        if m is None or how == "typed" or _value(m.group(level + 1)) != expected[level]:
            document.add_paragraph(line)
            continue
        expected[level] += 1
        if level == 0:
            expected[1] = 1
        paragraph = document.add_paragraph(m.group(3))
        properties = paragraph._p.get_or_add_pPr()
        if how == "numbered":
            properties.append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
        else:
            properties.append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="Part{level}"/>'))
    document.save(str(path))


def _verdicts(path: Path) -> dict[str, str]:
    _, out, _ = run_cli(["check", str(path), "-f", "json", "--no-compare"])
    (report,) = json.loads(out)["reports"]
    return {f["rule_id"]: f["status"] for f in report["findings"]}


def test_the_fixture_numbers_its_parts(tmp_path: Path) -> None:
    _build(_lines(), tmp_path / "numbered.docx", "numbered")
    import zipfile

    xml = zipfile.ZipFile(tmp_path / "numbered.docx").read("word/document.xml").decode()
    assert xml.count('<w:numId w:val="90"/>') >= 6


@pytest.mark.parametrize("how", ["numbered", "styled"])
def test_word_numbered_headings_read_and_audit_as_typed_ones(tmp_path: Path, how: str) -> None:
    typed, numbered = tmp_path / "typed.docx", tmp_path / f"{how}.docx"
    _build(_lines(), typed, "typed")
    _build(_lines(), numbered, how)
    assert read_document(str(numbered)).text == read_document(str(typed)).text
    assert _verdicts(numbered) == _verdicts(typed)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 99))
def test_chinese_counting_reads_back(n: int) -> None:
    assert _value(_chinese(n)) == n


def _with_part(source: Path, target: Path, name: str, data: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, data if item.filename == name else old.read(item.filename))


def test_the_styles_part_is_read_only_for_a_paragraph_with_a_style(tmp_path: Path) -> None:
    """The styles part (a template's can be ten times the document) is parsed when a paragraph has
    a style, and only then: a broken one costs a document that uses no style nothing, and one that
    uses a style is refused as before."""
    from auditor.errors import ReadError

    lines = _lines()
    _build(lines, tmp_path / "typed.docx", "typed")
    _build(lines, tmp_path / "styled.docx", "styled")
    for name in ("typed", "styled"):
        _with_part(tmp_path / f"{name}.docx", tmp_path / f"{name}-broken.docx", "word/styles.xml", b"<w:numPr <<")
    typed = read_document(str(tmp_path / "typed.docx"))
    assert read_document(str(tmp_path / "typed-broken.docx")).text == typed.text
    assert read_document(str(tmp_path / "styled.docx")).text == typed.text
    with pytest.raises(ReadError, match=r"styles\.xml"):
        read_document(str(tmp_path / "styled-broken.docx"))
