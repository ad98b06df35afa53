"""Word .docx files (python-docx): body paragraphs and tables in document order, one per line.

The body XML is walked directly so that tables appear where they are, tracked insertions are
kept, deletions and moved-away text are dropped, and table cells, content controls and custom
XML wrappers are entered. Headers and footers are used only when the body is nearly empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from auditor.errors import ReadError
from auditor.readers.model import RawText
from auditor.readers.source import Source
from auditor.readers.tablerows import is_data_table, row_line
from auditor.readers.textnorm import check_size
from auditor.readers.zipsafe import open_zip

# Elements whose children are block-level content (paragraphs, tables...).
_CONTAINERS = frozenset(
    {"body", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo", "hdr", "ftr"}
)
# Inside a paragraph: subtrees that hold no visible text of this paragraph.
_SKIPPED_IN_PARAGRAPH = frozenset(
    {"pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "txbxContent", "Fallback"}
)
_BREAKS = {"br": "\n", "cr": "\n", "tab": "\t", "noBreakHyphen": "-"}
_NEARLY_EMPTY = 20  # non-space characters


def read_docx(source: Source, max_chars: int) -> RawText:
    """Extract the text of a .docx (or .docm/.dotx: any WordprocessingML package) input."""
    with source.open() as stream:
        open_zip(stream, ".docx").close()
        stream.seek(0)
        try:
            main, extras = _parts(stream)
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(
                "corrupt or unreadable .docx file",
                hint="open and re-save it in Word/WPS, or supply the .pdf/.txt",
            ) from exc
    lines = _collect(_block_lines(main), max_chars)
    if sum(len("".join(line.split())) for line in lines) < _NEARLY_EMPTY:
        for part in extras:
            lines += _collect(_block_lines(part), max_chars)
    return RawText("\n".join(lines))


def _parts(stream: BinaryIO) -> tuple[Any, list[Any]]:
    """The main document's body element and its header/footer root elements.

    The package is opened with python-docx's OPC layer rather than ``docx.Document`` so that
    macro-enabled documents and templates (.docm/.dotx), which it refuses, read as well.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.package import Package

    package = Package.open(stream)
    main = package.part_related_by(RELATIONSHIP_TYPE.OFFICE_DOCUMENT)
    root = _element(main)
    body = next((child for child in root if _local(child) == "body"), root)
    extras = [
        _element(rel.target_part)
        for rel in main.rels.values()
        if not rel.is_external
        and rel.reltype in (RELATIONSHIP_TYPE.HEADER, RELATIONSHIP_TYPE.FOOTER)
    ]
    return body, extras


def _element(part: Any) -> Any:
    """The parsed XML of an OPC part (python-docx parses only the part types it knows)."""
    from docx.oxml.parser import parse_xml

    element = getattr(part, "element", None)
    return element if element is not None else parse_xml(part.blob)


def _collect(lines: Iterator[str], max_chars: int) -> list[str]:
    collected: list[str] = []
    total = 0
    for line in lines:
        total += len(line) + 1
        check_size(total, max_chars)
        collected.append(line)
    return collected


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _block_lines(container: Any) -> Iterator[str]:
    """One string per paragraph, walking nested block containers in document order."""
    stack = [iter(container)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        name = _local(child)
        if name == "p":
            yield _paragraph_text(child)
        elif name == "tbl" and (rows := _data_rows(child)) is not None:
            yield from (row_line(row) for row in rows)
        elif name in _CONTAINERS:
            stack.append(iter(child))


def _data_rows(table: Any) -> list[list[str]] | None:
    """The rows of a statistics table (each cell's paragraphs joined), else None."""
    rows: list[list[str]] = []
    for tr in table:
        if _local(tr) != "tr":
            continue
        if any(_local(el) == "tbl" for el in tr.iter()):
            return None  # nested tables: a layout table
        cells = [" ".join(_block_lines(tc)) for tc in tr if _local(tc) == "tc"]
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
