"""Markdown files read as Markdown (markdown-it-py): headings, emphasis, lists, tables,
links and code become plain text and lines — a heading ``## 二、存在的不足`` becomes the
line ``二、存在的不足`` (never ``##`` in a title), ``**一是**加强…`` becomes ``一是加强…``,
a table row becomes one line of cells. Every block and every line break of the source
stays a line, so a plain-text report saved as ``.md`` reads as it did as ``.txt``; a file whose
rendering would lose words (nesting beyond the parser's limits), or with more markup than any
report has (each table cell or emphasis mark costs the parser about a kilobyte: a 20 MB table
took 13 GB), is kept as plain text.
Evidence offsets point into this text (what ``auditor text FILE`` prints).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditor.document.location import Location, Mark, SourceMap
from auditor.readers.encoding import decode_bytes
from auditor.readers.model import RawText
from auditor.readers.plaintext import refuse_binary_text
from auditor.readers.source import Source

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG = re.compile(r"<[^>\n]{0,200}>")
#: the characters that make the parser's tokens (table cells, emphasis, code, links, tags)
_MARKUP = "|*_`[<"
#: at most this many of them are rendered (≈ 100 MB of tokens; a report's tables and emphasis
#: hold a few thousand)
MAX_MARKUP = 100_000


def read_markdown(source: Source, max_chars: int) -> RawText:
    """Decode a .md file (any common Chinese or Unicode encoding) and render it as text."""
    text, encoding = decode_bytes(source.read_bytes())
    refuse_binary_text(text, source.suffix)
    if sum(text.count(mark) for mark in _MARKUP) <= MAX_MARKUP:
        rendered, places = markdown_located(text)
        if _keeps_words(text, rendered):
            return RawText(rendered, encoding, locations=places)
    return RawText(text, encoding, locations=SourceMap.lines())


_WORD = re.compile(r"[\w\u3400-\u9fff]")


def _keeps_words(source: str, rendered: str) -> bool:
    """The rendering kept (nearly) all the words: a hostile file (nesting beyond the parser's
    limit drops content) is read as plain text instead, so no report text is ever lost."""
    return len(_WORD.findall(rendered)) >= 0.9 * len(_WORD.findall(source))


def markdown_text(markdown: str) -> str:
    """The text and line structure of a Markdown document (pure)."""
    return markdown_located(markdown)[0]


def markdown_located(markdown: str) -> tuple[str, SourceMap]:
    """:func:`markdown_text`, and the source line (1-based) of every line of the text."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    lines, origins = _render(parser.parse(markdown))
    text = "\n".join(lines) + ("\n" if lines else "")
    marks: list[Mark] = []
    offset = 0
    for line, origin in zip(lines, origins, strict=True):
        marks.append((offset, Location(line=origin + 1) if origin is not None else None))
        offset += len(line) + 1
    return text, SourceMap.of(marks)


def _render(tokens: Sequence[Token]) -> tuple[list[str], list[int | None]]:
    """The lines, and the source line (0-based) each begins on."""
    lines: list[str] = []
    origins: list[int | None] = []

    def add(new: list[str], first: int | None) -> None:
        lines.extend(new)
        origins.extend(first + i if first is not None else None for i in range(len(new)))

    row: list[str] | None = None
    row_line: int | None = None
    ordered: list[bool] = []
    prefix = ""
    for tok in tokens:
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif kind == "list_item_open":
            # an ordered item keeps its number: 1. is a level-3 heading marker of the report
            prefix = f"{tok.info}{tok.markup} " if ordered and ordered[-1] and tok.info else ""
        elif kind == "tr_open":
            row, row_line = [], _first_line(tok)
        elif kind == "tr_close" and row is not None:
            add([" ".join(c for c in row if c)], row_line)
            row = None
        elif kind == "inline":
            text = _inline(tok.children or [])
            if row is not None:
                row.append(text.replace("\n", " "))
            else:
                add((prefix + text).split("\n"), _first_line(tok))
                prefix = ""
        elif kind in ("fence", "code_block"):
            first = _first_line(tok)
            add(tok.content.rstrip("\n").split("\n"), first + 1 if first is not None and kind == "fence" else first)
        elif kind == "html_block":
            add(_TAG.sub("", tok.content).strip("\n").split("\n"), _first_line(tok))
    return lines, origins


def _first_line(tok: Token) -> int | None:
    return tok.map[0] if tok.map else None


def _inline(children: Sequence[Token]) -> str:
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "image":
            out.append(_inline(child.children or []) or child.content)
        elif kind == "html_inline":
            out.append(_TAG.sub("", child.content))
    return "".join(out)
