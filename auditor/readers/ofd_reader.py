"""OFD files (GB/T 33190, China's fixed-layout format): a zip of XML, read with the stdlib.

OFD.xml names each document's root (DocBody/DocRoot); its Document.xml lists the pages in
order (Pages/Page@BaseLoc); each page's content XML holds TextObject elements whose TextCode
children carry the text and its position. Text is grouped into lines by position and the
lines go through the same cleaning and joining as PDF lines (:mod:`layout`).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from auditor.errors import ReadError
from auditor.readers.model import RawText
from auditor.readers.paragraphs import LayoutLine, pages_to_located
from auditor.readers.source import Source
from auditor.readers.textnorm import check_size
from auditor.readers.zipsafe import check_markup, open_zip, read_member

_WHAT = "OFD"
_HINT = "请重新导出 OFD 文件，或改交 PDF/TXT 版本"
# tags in one part: a page's glyph runs cost ~800 bytes each once parsed and placed (a dense
# page has a few thousand), so this keeps one page well under 1 GiB
_MAX_TAGS = 500_000


@dataclass(frozen=True)
class _Glyphs:
    """One TextCode: its text and where it sits on the page (millimetres)."""

    text: str
    x: float
    y: float
    size: float
    width: float


def read_ofd(source: Source, max_chars: int) -> RawText:
    """Extract the text of an OFD document, page by page."""
    with source.open() as stream, open_zip(stream, _WHAT) as archive:
        pages = list(_pages(archive, max_chars))
    text, places = pages_to_located(pages)
    return RawText(text, locations=places)


def _pages(archive: zipfile.ZipFile, max_chars: int) -> Iterator[list[LayoutLine]]:
    names = {name.lower(): name for name in archive.namelist()}
    total = 0
    done: dict[str, list[LayoutLine]] = {}  # a page listed again is not parsed again
    for doc_root in dict.fromkeys(_doc_roots(_parse(archive, names, "OFD.xml"))):
        document = _parse(archive, names, doc_root)
        for location in _page_locations(document):
            page_path = posixpath.join(posixpath.dirname(doc_root), location)
            if page_path not in done:
                done[page_path] = _lines(_glyphs(_parse(archive, names, page_path)))
            lines = done[page_path]
            total += sum(len(line.text) + 1 for line in lines)
            check_size(total, max_chars)
            yield lines


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(archive: zipfile.ZipFile, names: dict[str, str], path: str) -> ElementTree.Element:
    key = posixpath.normpath(path.replace("\\", "/")).lstrip("/").lower()
    if key not in names:
        raise ReadError(f"OFD 文件已损坏（缺少其中的 {path}）", hint=_HINT)
    data = read_member(archive, names[key], _WHAT)
    check_markup(data, names[key], _WHAT, _MAX_TAGS)
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, LookupError) as exc:  # LookupError: an unknown declared encoding
        raise ReadError(f"OFD 文件已损坏（{path} 不是有效的 XML）", hint=_HINT) from exc


def _doc_roots(ofd: ElementTree.Element) -> list[str]:
    roots = [(el.text or "").strip() for el in ofd.iter() if _local(el.tag) == "DocRoot"]
    roots = [root for root in roots if root]
    if not roots:
        raise ReadError("OFD 文件已损坏（OFD.xml 中没有文档）", hint=_HINT)
    return roots


def _page_locations(document: ElementTree.Element) -> list[str]:
    return [el.get("BaseLoc", "") for el in document.iter() if _local(el.tag) == "Page" and el.get("BaseLoc")]


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(part) for part in (value or "").split()]
    except ValueError:
        return []


def _advance(delta_x: str | None, count: int, size: float) -> float:
    """The distance from the first to the last glyph (DeltaX, with its "g N d" shorthand)."""
    tokens = (delta_x or "").split()
    steps: list[float] = []
    index = 0
    try:
        while index < len(tokens):
            if tokens[index] == "g":
                steps += [float(tokens[index + 2])] * min(count, int(tokens[index + 1]))
                index += 3
            else:
                steps.append(float(tokens[index]))
                index += 1
    except (ValueError, IndexError):
        steps = []
    steps = (steps + [size] * count)[: max(0, count - 1)]
    return sum(steps)


def _glyphs(page: ElementTree.Element) -> list[_Glyphs]:
    found: list[_Glyphs] = []
    for text_object in (el for el in page.iter() if _local(el.tag) == "TextObject"):
        box = [*_numbers(text_object.get("Boundary")), 0.0, 0.0]
        size = (_numbers(text_object.get("Size")) or [3.5])[0]
        for code in (el for el in text_object.iter() if _local(el.tag) == "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x = box[0] + ((_numbers(code.get("X")) or [0.0])[0])
            y = box[1] + ((_numbers(code.get("Y")) or [0.0])[0])
            width = _advance(code.get("DeltaX"), len(text), size) + size
            found.append(_Glyphs(text, x, y, size, width))
    return found


def _lines(glyphs: list[_Glyphs]) -> list[LayoutLine]:
    """Group glyph runs whose baselines are within half a character into lines, top to bottom."""
    rows: list[list[_Glyphs]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if rows and abs(rows[-1][0].y - glyph.y) <= rows[-1][0].size / 2:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        text = "".join(g.text for g in row)
        lines.append(LayoutLine(text, row[0].x, max(g.x + g.width for g in row)))
    return lines
