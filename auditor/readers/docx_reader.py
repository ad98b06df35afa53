"""Word .docx files (python-docx): body paragraphs and tables in document order, one per line.

The body XML is walked directly so that tables appear where they are, tracked insertions are
kept, deletions and moved-away text are dropped, and table cells, content controls and custom
XML wrappers are entered. Headers and footers are used only when the body is nearly empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from auditor.errors import ReadError
from auditor.readers.model import RawText
from auditor.readers.source import Source
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
    """Extract the text of a .docx (or any WordprocessingML zip) input."""
    document = _load(source)
    lines = _collect(_block_lines(document.element.body), max_chars)
    if sum(len("".join(line.split())) for line in lines) < _NEARLY_EMPTY:
        for part in _header_footer_parts(document):
            lines += _collect(_block_lines(part), max_chars)
    return RawText("\n".join(lines))


def _load(source: Source) -> Any:
    from docx import Document

    with source.open() as stream:
        open_zip(stream, ".docx").close()
        stream.seek(0)
        try:
            return Document(stream)
        except Exception as exc:
            raise ReadError(
                "corrupt or unreadable .docx file",
                hint="open and re-save it in Word/WPS, or supply the .pdf/.txt",
            ) from exc


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
        elif name in _CONTAINERS:
            stack.append(iter(child))


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


def _header_footer_parts(document: Any) -> Iterator[Any]:
    for relationship in document.part.rels.values():
        if relationship.is_external:
            continue
        if relationship.reltype.endswith(("/header", "/footer")):
            element = getattr(relationship.target_part, "element", None)
            if element is not None:
                yield element
