"""Word .docx files (lxml): body paragraphs and tables in document order, one per line.

The body XML is walked directly so that tables appear where they are, tracked insertions are
kept, deletions and moved-away text are dropped, and table cells, content controls and custom
XML wrappers are entered. Headers and footers are used only when the body is nearly empty.
The package is read part by part (:class:`_Package`), each part inflated under a cap
(:mod:`zipsafe`), so that .docm/.dotx read as well and a hostile archive costs little.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from auditor.document.location import Location, Mark, SourceMap, line_marks
from auditor.errors import ReadError
from auditor.readers.model import RawText
from auditor.readers.source import Source
from auditor.readers.tablerows import SEPARATOR, is_data_table, row_line
from auditor.readers.textnorm import check_size
from auditor.readers.zipsafe import check_markup, open_zip, read_member

# Elements whose children are block-level content (paragraphs, tables...).
_CONTAINERS = frozenset({"body", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo", "hdr", "ftr"})
# Inside a paragraph: subtrees that hold no visible text of this paragraph.
_SKIPPED_IN_PARAGRAPH = frozenset(
    {"pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "txbxContent", "Fallback"}
)
_BREAKS = {"br": "\n", "cr": "\n", "tab": "\t", "noBreakHyphen": "-"}
_NEARLY_EMPTY = 20  # non-space characters
_HEADER_FOOTER = ("header", "footer")
_WHAT = ".docx"
_CORRUPT_HINT = "请用 Word/WPS 打开后重新保存，或改交 PDF/TXT 版本"
Line = tuple[str, Sequence[Mark]]  # a line of text and where its pieces are (offsets within the line)


def read_docx(source: Source, max_chars: int) -> RawText:
    """Extract the text of a .docx (or .docm/.dotx: any WordprocessingML package) input."""
    with source.open() as stream, open_zip(stream, _WHAT) as archive:
        package = _Package(archive)
        main_name = package.main_part()
        lines = _collect(_blocks(_body(package.parse(main_name)), _Counts()), max_chars)
        if sum(len("".join(text.split())) for text, _ in lines) < _NEARLY_EMPTY:
            for name in package.related(main_name, _HEADER_FOOTER):  # not in the body: no place
                lines += [(text, ()) for text, _ in _collect(_blocks(package.parse(name), _Counts()), max_chars)]
    text, marks = line_marks(lines)
    return RawText(text, locations=SourceMap.of(marks))


class _Package:
    """The few parts of an OPC package (zip) the reader needs, found through relationships.

    Only the parts read are inflated (each in a stream, under a cap) and parsed, unlike a
    full package loader that would load every part, images and unrelated XML included.
    """

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {name.lower(): name for name in archive.namelist()}

    def main_part(self) -> str:
        """The main document part (the package's officeDocument relationship)."""
        found = self.related("", ("officeDocument",))
        if found:
            return found[0]
        if "word/document.xml" in self.names:
            return self.names["word/document.xml"]
        raise ReadError(f"{_WHAT} 文件已损坏（找不到正文部分）", hint=_CORRUPT_HINT)

    def related(self, part: str, kinds: tuple[str, ...]) -> list[str]:
        """The parts that ``part`` ("" for the package) relates to with one of ``kinds``."""
        folder, base = posixpath.split(part)
        rels = self.names.get(posixpath.join(folder, "_rels", f"{base}.rels").lower())
        if rels is None:
            return []
        found = []
        for rel in self.parse(rels).iter():
            target = rel.get("Target")
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if kind in kinds and target and rel.get("TargetMode") != "External":
                name = self.names.get(_resolve(folder, target).lower())
                if name is not None:
                    found.append(name)
        return list(dict.fromkeys(found))  # a part related twice is read once

    def parse(self, name: str) -> Any:
        """The parsed XML of one part (entities never resolved, no network)."""
        from lxml import etree

        data = read_member(self.archive, name, _WHAT)
        check_markup(data, name, _WHAT)
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        try:
            return etree.fromstring(data, parser)
        except etree.LxmlError as exc:
            raise ReadError(f"{_WHAT} 文件已损坏（{name} 不是有效的 XML）", hint=_CORRUPT_HINT) from exc


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder)."""
    target = unquote(target.replace("\\", "/"))
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path).lstrip("/")


def _body(root: Any) -> Any:
    return next((child for child in root if _local(child) == "body"), root)


def _collect(lines: Iterator[Line], max_chars: int) -> list[Line]:
    collected: list[Line] = []
    total = 0
    for line in lines:
        total += len(line[0]) + 1
        check_size(total, max_chars)
        collected.append(line)
    return collected


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class _Counts:
    """Paragraphs and tables met so far in one part (Word numbers them in document order)."""

    paragraphs: int = 0
    tables: int = 0


@dataclass
class _Cell:
    """Where a walk is inside a table: table number, row, column; ``rows``/``cells`` count as it goes."""

    table: int
    row: int = 0
    column: int = 0
    rows: list[int] = field(default_factory=lambda: [0])  # shared by the frames of one table
    cells: list[int] = field(default_factory=lambda: [0])  # shared by the frames of one row


def _blocks(container: Any, counts: _Counts) -> Iterator[Line]:
    """One line per paragraph (a statistics table: per row), in document order, with where it
    is: a body paragraph's number, or a table cell (table, row, column)."""
    stack: list[tuple[Iterator[Any], _Cell | None]] = [(iter(container), None)]
    while stack:
        children, cell = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        name = _local(child)
        if name == "p":
            yield _paragraph_text(child), ((0, _paragraph_place(counts, cell)),)
        elif name == "tbl":
            counts.tables += 1
            rows = _data_rows(child)
            if rows is None:
                stack.append((iter(child), _Cell(counts.tables)))
            else:
                yield from _row_lines(counts.tables, rows)
        elif name == "tr" and cell is not None:
            cell.rows[0] += 1
            stack.append((iter(child), _Cell(cell.table, cell.rows[0], 0, cell.rows)))
        elif name == "tc" and cell is not None:
            cell.cells[0] += 1
            stack.append((iter(child), _Cell(cell.table, cell.row, cell.cells[0], cell.rows, [0])))
        elif name in _CONTAINERS:
            stack.append((iter(child), cell))


def _paragraph_place(counts: _Counts, cell: _Cell | None) -> Location:
    if cell is None:
        counts.paragraphs += 1
        return Location(paragraph=counts.paragraphs)
    return Location(table=cell.table, row=cell.row or None, column=cell.column or None)


def _row_lines(table: int, rows: list[list[str]]) -> Iterator[Line]:
    """A statistics table's rows, each with the place of every cell."""
    for number, row in enumerate(rows, 1):
        marks: list[Mark] = []
        at = 0
        text = row_line(row)
        for column, cell in enumerate(row, 1):
            if at < len(text) or not marks:  # blank cells at the end of a row are not written
                marks.append((at, Location(table=table, row=number, column=column)))
            at += len(row_line([cell])) + len(SEPARATOR)
        yield text, marks or ((0, Location(table=table, row=number)),)


def _data_rows(table: Any) -> list[list[str]] | None:
    """The rows of a statistics table (each cell's paragraphs joined), else None."""
    rows: list[list[str]] = []
    for tr in table:
        if _local(tr) != "tr":
            continue
        if any(_local(el) == "tbl" for el in tr.iter()):
            return None  # nested tables: a layout table
        cells = [" ".join(text for text, _ in _blocks(tc, _Counts())) for tc in tr if _local(tc) == "tc"]
        rows.append(cells)
    return rows if is_data_table(rows) else None


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    stack = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = _local(element)
        if name == "t":
            parts.append(element.text or "")
        elif name in _BREAKS and _local(element.getparent()) == "r":
            parts.append(_BREAKS[name])
        elif name not in _SKIPPED_IN_PARAGRAPH:
            stack.append(iter(element))
    return "".join(parts)
