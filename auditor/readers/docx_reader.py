"""Word .docx files (lxml): body paragraphs and tables in document order, one per line.

The body XML is walked directly so that tables appear where they are, tracked insertions are
kept, deletions and moved-away text are dropped, and table cells, content controls and custom
XML wrappers are entered. A paragraph numbered by Word (its ``numPr``, or its style's) gets its
number written in front, as Word shows it (一、 （一） 1.): the text alone has none, and part
headings are found by their numbers. A text box (a 红头, a title) is read once, before the
paragraph it is anchored in (Word writes it twice: DrawingML and a VML fallback). Headers
and footers are used only when the body is nearly empty. The package is read part by part
(:class:`_Package`), each part inflated under a cap (:mod:`zipsafe`), so that .docm/.dotx
read as well and a hostile archive costs little.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
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
        numbering = _Numbering.of(package, main_name)
        lines = _collect(_blocks(_body(package.parse(main_name)), _Counts(), numbering), max_chars)
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
        self.relations: dict[str, list[tuple[str, str]]] = {}  # rels part → (kind, part) of each relationship

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
        if rels not in self.relations:
            self.relations[rels] = [
                ((rel.get("Type") or "").rsplit("/", 1)[-1], name)
                for rel in self.parse(rels).iter()
                if (target := rel.get("Target")) and rel.get("TargetMode") != "External"
                if (name := self.names.get(_resolve(folder, target).lower())) is not None
            ]
        found = [name for kind, name in self.relations[rels] if kind in kinds]
        return list(dict.fromkeys(found))  # a part related twice is read once

    def read(self, name: str) -> bytes:
        """One part's bytes (inflated under the cap)."""
        return read_member(self.archive, name, _WHAT)

    def parse(self, name: str, data: bytes | None = None) -> Any:
        """The parsed XML of one part (``data``: its bytes, if already read; entities never
        resolved, no network)."""
        from lxml import etree

        if data is None:
            data = self.read(name)
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
    body = _child(root, "body")
    return root if body is None else body


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


def _blocks(container: Any, counts: _Counts, numbering: _Numbering | None = None) -> Iterator[Line]:
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
            label = numbering.label(child) if numbering is not None else ""
            place = _paragraph_place(counts, cell)
            for box in _text_boxes(child):  # a text box anchored here (a 红头, a title): its lines first
                yield from ((text, ((0, place),)) for text, _ in _blocks(box, _Counts(), numbering))
            yield label + _paragraph_text(child), ((0, place),)
        elif name == "tbl":
            counts.tables += 1
            rows = _data_rows(child, numbering)
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


def _elements(root: Any, stop: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """(local name, element) of the elements below ``root`` in document order; an element whose
    name is in ``stop`` is yielded but not entered."""
    stack = [iter(root)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = _local(element)
        yield name, element
        if name not in stop:
            stack.append(iter(element))


#: a paragraph's subtrees that hold no text box of its own (a box's VML copy, deleted text); and the
#: box itself, whose paragraphs are read as a container
_NO_BOX = frozenset({"Fallback", "pPr", "rPr", "del", "moveFrom", "txbxContent"})


def _text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes (``txbxContent``) anchored in a paragraph, each once: a box is drawn twice,
    as DrawingML and as its VML ``Fallback``, which is not read; a box inside a box is read with it."""
    if next(paragraph.iter("{*}txbxContent"), None) is None:  # most paragraphs: lxml looks in C
        return []
    return [element for name, element in _elements(paragraph, _NO_BOX) if name == "txbxContent"]


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


def _data_rows(table: Any, numbering: _Numbering | None = None) -> list[list[str]] | None:
    """The rows of a statistics table (each cell's paragraphs joined), else None."""
    rows: list[list[str]] = []
    for tr in table:
        if _local(tr) != "tr":
            continue
        if any(_local(el) == "tbl" for el in tr.iter()):
            return None  # nested tables: a layout table
        cells = [" ".join(text for text, _ in _blocks(tc, _Counts(), numbering)) for tc in tr if _local(tc) == "tc"]
        rows.append(cells)
    return rows if is_data_table(rows) else None


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for name, element in _elements(paragraph, _SKIPPED_IN_PARAGRAPH):
        if name == "t":
            parts.append(element.text or "")
        elif name in _BREAKS and _local(element.getparent()) == "r":
            parts.append(_BREAKS[name])
    return "".join(parts)


# ------------------------------------------------------------------------------------ numbering

_CN_DIGITS = "〇一二三四五六七八九"
_MAX_LEVELS = 9
_MAX_STYLE_DEPTH = 10  # basedOn links followed at most (a loop in a hostile file ends there)


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一〇五 (as Word's chineseCounting writes them)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return "".join(_CN_DIGITS[int(d)] for d in str(n))


def _letters(n: int, base: str) -> str:
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else ""


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        count, n = divmod(n, value)
        out += digits * count
    return out


def _formatted(n: int, fmt: str) -> str:
    """A counter as ``w:numFmt`` writes it (the formats Chinese reports use; others as digits)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "upperLetter":
        return _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if fmt == "lowerLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz")
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(frozen=True)
class _Level:
    fmt: str  # w:numFmt ("bullet", "none": no number)
    text: str  # w:lvlText: "%1、", "（%1）", "%1.%2"
    start: int


class _Lists(NamedTuple):
    """The numbering part: the lists and their levels."""

    abstract_of: dict[str, str]  # numId → abstractNumId
    levels: dict[str, dict[int, _Level]]  # abstractNumId → ilvl → level
    restarts: dict[str, dict[int, int]]  # numId → ilvl → startOverride


@dataclass
class _Numbering:
    """Word's list numbering of one document: which paragraphs are numbered (directly or by
    their style), and the counters as Word advances them in document order.

    The parts are read when first needed: the numbering part at the first numbered paragraph,
    the styles part at the first paragraph with a style (and only parsed if some style there
    numbers). A template's styles part can be ten times the document (python-docx's: 350 kB)."""

    package: _Package
    part: str  # the numbering part
    styles_part: str | None
    lists: _Lists | None = None
    styles: dict[str, tuple[str, int]] | None = None  # paragraph style id → (numId, ilvl) it numbers with
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNumId → one counter per level
    started: set[str] = field(default_factory=set)  # numIds met (a startOverride applies once)

    @classmethod
    def of(cls, package: _Package, main: str) -> _Numbering | None:
        """The document's numbering, or None when it has no numbering part."""
        parts = package.related(main, ("numbering",))
        if not parts:
            return None
        styles = package.related(main, ("styles",))
        return cls(package, parts[0], styles[0] if styles else None)

    def _lists(self) -> _Lists:
        if self.lists is None:
            self.lists = _lists_of(self.package.parse(self.part))
        return self.lists

    def _style(self, style: str) -> tuple[str, int] | None:
        if self.styles is None:
            self.styles = {}
            if self.styles_part is not None:
                data = self.package.read(self.styles_part)
                if b"numPr" in data:
                    self.styles = _numbered_styles(self.package.parse(self.styles_part, data))
        return self.styles.get(style)

    def label(self, paragraph: Any) -> str:
        """The number Word shows in front of ``paragraph`` ("" when it is not numbered)."""
        found = _num_pr(paragraph)
        if found is None:
            style = _paragraph_style(paragraph)
            found = self._style(style) if style else None
        if found is None:
            return ""
        num, ilvl = found
        lists = self._lists()
        abstract = lists.abstract_of.get(num)
        levels = lists.levels.get(abstract or "")
        if abstract is None or not levels or not 0 <= ilvl < _MAX_LEVELS or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [0] * _MAX_LEVELS)
        if num not in self.started:
            self.started.add(num)
            for lvl, start in lists.restarts.get(num, {}).items():
                if 0 <= lvl < _MAX_LEVELS:
                    counters[lvl] = start - 1
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] >= level.start else level.start
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = 0
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(ilvl + 1):
            shown = levels.get(k, level)
            value = counters[k] if counters[k] else shown.start
            text = text.replace(f"%{k + 1}", _formatted(value, shown.fmt))
        return text


def _lists_of(root: Any) -> _Lists:
    levels: dict[str, dict[int, _Level]] = {}
    abstract_of: dict[str, str] = {}
    restarts: dict[str, dict[int, int]] = {}
    for element in root:
        name = _local(element)
        if name == "abstractNum":
            levels[_attr(element, "abstractNumId")] = {
                _int(_attr(lvl, "ilvl"), 0): _level(lvl) for lvl in element if _local(lvl) == "lvl"
            }
        elif name == "num":
            num = _attr(element, "numId")
            for child in element:
                if _local(child) == "abstractNumId":
                    abstract_of[num] = _attr(child, "val")
                elif _local(child) == "lvlOverride":
                    start = _val(child, "startOverride")
                    if start:
                        restarts.setdefault(num, {})[_int(_attr(child, "ilvl"), 0)] = _int(start, 1)
    return _Lists(abstract_of, levels, restarts)


def _attr(element: Any, name: str) -> str:
    """A w: attribute's value ("" when absent), whatever the namespace prefix."""
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return str(value)
    return ""


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _level(lvl: Any) -> _Level:
    fmt, text, start = "decimal", "", 1
    for child in lvl:
        name = _local(child)
        if name == "numFmt":
            fmt = _attr(child, "val") or fmt
        elif name == "lvlText":
            text = _attr(child, "val")
        elif name == "start":
            start = _int(_attr(child, "val"), 1)
    return _Level(fmt, text, start)


def _child(element: Any, *path: str) -> Any:
    """The first child named ``path[0]``, then its first child named ``path[1]`` …; None when one is missing."""
    for name in path:
        if element is None:
            return None
        element = next((child for child in element if _local(child) == name), None)
    return element


def _val(element: Any, *path: str) -> str:
    """The ``w:val`` of the element at ``path`` below ``element`` ("" when there is none)."""
    found = _child(element, *path)
    return _attr(found, "val") if found is not None else ""


def _num_pr(paragraph_or_style: Any) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph's (or a style's) own ``numPr``; numId 0 turns numbering off."""
    pr = _child(paragraph_or_style, "pPr", "numPr")
    if pr is None:
        return None
    num, ilvl = _val(pr, "numId"), _int(_val(pr, "ilvl"), 0)
    return (num, ilvl) if num and num != "0" else None


def _paragraph_style(paragraph: Any) -> str | None:
    return _val(paragraph, "pPr", "pStyle") or None


def _numbered_styles(root: Any) -> dict[str, tuple[str, int]]:
    """Paragraph style id → (numId, ilvl) of the numbering it carries (its own, else its base's)."""
    own: dict[str, tuple[str, int]] = {}
    based: dict[str, str] = {}
    for style in root:
        if _local(style) != "style" or _attr(style, "type") not in ("paragraph", ""):
            continue
        sid = _attr(style, "styleId")
        found = _num_pr(style)
        if found is not None:
            own[sid] = found
        base = _val(style, "basedOn")
        if base:
            based[sid] = base
    out: dict[str, tuple[str, int]] = {}
    for sid in {*own, *based}:
        current: str | None = sid
        for _ in range(_MAX_STYLE_DEPTH):
            if current is None or current in own:
                break
            current = based.get(current)
        if current is not None and current in own:
            out[sid] = own[current]
    return out
