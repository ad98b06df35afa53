"""Rebuild paragraphs from the lines of a fixed-layout document (PDF, OFD).

Two steps:

* :func:`clean_pages` drops page numbers ("- 3 -", "第 3 页", "3", "3/12") and running
  headers/footers (a short line repeated at the top or bottom of most pages);
* :func:`join_lines` joins the lines that the page wrapped mid-paragraph. With line geometry
  (x0/x1) a line continues the previous one when the previous reaches the right margin and
  the next starts at the left margin (or, when the document indents its paragraphs, is not
  indented). Without geometry, the punctuation rule alone decides: a line not ending in
  。！？；：:!?; continues into the next unless the next starts a heading (一、 （一） 1. 一是 ...).
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from auditor.document.location import Location, Mark, SourceMap
from auditor.document.patterns import NUMBERED_HEADING
from auditor.readers.tablerows import is_figure, row_line

_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–－_~·•\s]*\d{1,4}[-—–－_~·•\s]*
      | 第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?
      | 共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页
      | \d{1,4}\s*/\s*\d{1,4}
      | (?:page|p\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[。！？；：:!?;…][”’」』)）\]]*\s*$")
_EDGE_LINES = 2
_MAX_RUNNING_LEN = 50
_AT_LEFT = 0.8  # a line starting within this many character widths of the left margin starts at it
_MIN_LEFT_LINES = 5  # lines at the left margin needed to measure the right margin on them alone
_TITLE_LINES = 6  # a document's title is among its first lines (under a 红头 and its number)
#: how a title (or a line that is one whole) ends: its second line is something else (an issuer, a date)
_TITLE_END = re.compile(r"(?:报告|总结|情况|通报|公报|公告|方案|要点|计划|意见|通知|决定|函|纪要|文件)\s*$")
_DOC_NUMBER = re.compile(r"[〔［\[（(]\s*\d{4}\s*[〕］\]）)]\s*\d+\s*号")  # 双政〔2023〕5号


@dataclass(frozen=True)
class LayoutLine:
    """One visual line; ``x0``/``x1`` are its left/right ends in page units, if known."""

    text: str
    x0: float | None = None
    x1: float | None = None
    keep: bool = False  # a table row: never joined with its neighbours
    #: a table row's cells' left ends, one per cell of its text (`` | ``-separated); not compared
    cells: tuple[float, ...] = field(default=(), compare=False)


def pages_to_text(pages: Sequence[Sequence[LayoutLine]]) -> str:
    """Clean the pages and join their lines into paragraphs, one per output line."""
    return pages_to_located(pages)[0]


def pages_to_located(pages: Sequence[Sequence[LayoutLine]]) -> tuple[str, SourceMap]:
    """:func:`pages_to_text`, and the page (1-based) of every offset of the text."""
    cleaned = _rows_rejoined(clean_pages(pages))
    numbers = [number for number, page in enumerate(cleaned, 1) for _ in page]
    text, marks = _joined([line for page in cleaned for line in page], numbers)
    return text, SourceMap.of(marks)


_SAME_CELL = 1.5  # points between the left ends of one column's cells on two pages


def _rows_rejoined(pages: list[list[LayoutLine]]) -> list[list[LayoutLine]]:
    """Pages whose table row a page break split (Word lets a row break across pages) with the row
    whole again: the first row of a page that holds no figure, each of whose written cells stands
    under a written label of the previous page's last row (a row with figures), is that row's
    labels' end (三、 | （一）予以公 | 2 … and 本年度办理结果 | 开 | | …). Its cells are added to
    those labels, and it is gone from its page: the whole row is on the page where it starts."""
    for before, after in itertools.pairwise(pages):
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if not (last.keep and first.keep and last.cells and first.cells):
            continue
        above, below = [c.strip() for c in last.text.split("|")], [c.strip() for c in first.text.split("|")]
        if len(above) != len(last.cells) or len(below) != len(first.cells) or not any(map(is_figure, above)):
            continue
        joined = list(above)
        for text, x in zip(below, first.cells, strict=True):
            if not text:
                continue
            column = next((i for i, left in enumerate(last.cells) if abs(left - x) <= _SAME_CELL), None)
            if column is None or is_figure(text) or not above[column] or is_figure(above[column]):
                break
            joined[column] = join_pieces([joined[column], text])
        else:
            if joined != above:
                before[-1] = LayoutLine(row_line(joined), last.x0, last.x1, keep=True, cells=last.cells)
                del after[0]
    return pages


def clean_pages(pages: Sequence[Sequence[LayoutLine]]) -> list[list[LayoutLine]]:
    """Drop blank lines, page numbers and running headers/footers at the page edges."""
    stripped = [[line for line in page if line.text.strip()] for page in pages]
    running = _running_keys(stripped)
    return [_trim_edges(page, running) for page in stripped]


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _edges(page: Sequence[LayoutLine]) -> list[LayoutLine]:
    if len(page) <= 2 * _EDGE_LINES:
        return list(page)
    return [*page[:_EDGE_LINES], *page[-_EDGE_LINES:]]


def _running_keys(pages: Sequence[Sequence[LayoutLine]]) -> set[str]:
    """Keys of short lines found at the top/bottom edge of at least half the pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(line.text) for line in _edges(page) if len(line.text) <= _MAX_RUNNING_LEN})
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in counts.items() if count >= needed and key}


def _is_chrome(line: LayoutLine, running: set[str], used: set[str]) -> bool:
    if _PAGE_NUMBER.match(line.text.strip()):
        return True
    key = _key(line.text)
    if key in running and key not in used:
        used.add(key)
        return True
    return False


def _trim_edges(page: list[LayoutLine], running: set[str]) -> list[LayoutLine]:
    start, used_top = 0, set[str]()
    while start < min(_EDGE_LINES, len(page)) and _is_chrome(page[start], running, used_top):
        start += 1
    end, used_bottom = len(page), set[str]()
    while end > max(start, len(page) - _EDGE_LINES) and _is_chrome(page[end - 1], running, used_bottom):
        end -= 1
    return page[start:end]


@dataclass(frozen=True)
class _Margins:
    """Where body lines start and end, and how wide a character is."""

    left: float
    right: float
    char_width: float
    indents: bool  # the document marks paragraph starts by indenting them

    def reaches_right(self, line: LayoutLine) -> bool:
        return line.x1 is not None and line.x1 >= self.right - 2.0 * self.char_width

    def at_left(self, line: LayoutLine) -> bool:
        return line.x0 is not None and line.x0 <= self.left + _AT_LEFT * self.char_width


def _margins(lines: Sequence[LayoutLine]) -> _Margins | None:
    boxes = [(ln.x0, ln.x1, len(ln.text.strip())) for ln in lines]
    if not boxes or any(x0 is None or x1 is None for x0, x1, _ in boxes):
        return None
    if not all(math.isfinite(x0) and math.isfinite(x1) for x0, x1, _ in boxes if x0 is not None and x1 is not None):
        return None  # a damaged file's coordinates (inf, nan): geometry unknown
    x0s = [float(x0) for x0, _, _ in boxes if x0 is not None]
    widths = [(x1 - x0) / n for x0, x1, n in boxes if x0 is not None and x1 is not None and n >= 4]
    char_width = statistics.median(widths) if widths else 10.0
    if char_width <= 0:
        return None
    frequent = [x for x, n in Counter(round(x) for x in x0s).items() if n >= 3]
    left = float(min(frequent)) if frequent else min(x0s)
    right = _right_margin(boxes, left + _AT_LEFT * char_width)
    margins = _Margins(left, right, char_width, indents=False)
    indented_full = sum(1 for ln in lines if not margins.at_left(ln) and margins.reaches_right(ln))
    return _Margins(left, right, char_width, indents=indented_full >= 2)


def _right_margin(boxes: Sequence[tuple[float | None, float | None, int]], at_left: float) -> float:
    """Where full body lines end: the 90th percentile of the ends of the lines that start at the
    left margin (at most ``at_left``), or of all lines when fewer than :data:`_MIN_LEFT_LINES` do.

    An indented first line may run past the margin (a generator that wraps by character count
    overruns it by the indent); counting those ends would put the margin beyond the full lines,
    which then no longer reach it and stay broken."""
    ends = sorted(float(x1) for x0, x1, _ in boxes if x0 is not None and x1 is not None and x0 <= at_left)
    if len(ends) < _MIN_LEFT_LINES:
        ends = sorted(float(x1) for _, x1, _ in boxes if x1 is not None)
    return ends[int(0.9 * (len(ends) - 1))]


def text_width(text: str) -> float:
    """The width of ``text`` in CJK character units (ASCII counts half)."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _full_width(lines: Sequence[LayoutLine]) -> float:
    """The width of a full line when no geometry is known: the 90th percentile of widths."""
    widths = sorted(text_width(line.text) for line in lines)
    return widths[round(0.9 * (len(widths) - 1))] if widths else 0.0


def _continues(
    prev: LayoutLine, nxt: LayoutLine, margins: _Margins | None, full_width: float, *, at_top: bool = False
) -> bool:
    """Whether ``nxt`` carries on the paragraph that ``prev`` belongs to (``at_top``: ``nxt`` is
    among the document's first lines, where its title is)."""
    if NUMBERED_HEADING.match(nxt.text) or prev.keep or nxt.keep:
        return False
    if margins is None:
        short = text_width(prev.text) < 0.8 * full_width
        return not short and not _ENDS_SENTENCE.search(prev.text)
    if at_top and _wrapped_title(prev, nxt, margins):
        return True
    if not margins.reaches_right(prev) or not margins.at_left(nxt):
        return False
    return margins.indents or not _ENDS_SENTENCE.search(prev.text)


def _wrapped_title(prev: LayoutLine, nxt: LayoutLine, margins: _Margins) -> bool:
    """Whether ``prev`` and ``nxt`` are a long title wrapped over two centred lines (民权县双塔镇人民政府
    关于2022年度法治 / 政府建设情况的报告): both centred on the text's middle, the first nearly as wide
    as the text (a larger font's line may reach both margins) and ending neither a sentence nor a title, the
    second narrower, away from the left margin and not a bracketed date or note or a document
    number (a 红头's 文件 line and its 〔2023〕5号 are not a title's halves)."""
    if prev.x0 is None or prev.x1 is None or nxt.x0 is None or nxt.x1 is None:
        return False
    middle = (margins.left + margins.right) / 2
    slack = 1.5 * margins.char_width
    width = prev.x1 - prev.x0
    return (
        abs((prev.x0 + prev.x1) / 2 - middle) <= slack
        and abs((nxt.x0 + nxt.x1) / 2 - middle) <= slack
        and width >= 0.6 * (margins.right - margins.left)
        and nxt.x1 - nxt.x0 < width
        and not margins.at_left(nxt)
        and not _ENDS_SENTENCE.search(prev.text)
        and not _TITLE_END.search(prev.text)
        and not nxt.text.startswith(("（", "(", "〔", "["))
        and not _DOC_NUMBER.search(nxt.text)
    )


def _on_first_page(index: int, kept: Sequence[int], pages: Sequence[int]) -> bool:
    """Whether body line ``index`` is among the document's first lines, on its first page."""
    return index < _TITLE_LINES and (not pages or pages[kept[index]] == pages[kept[0]])


def _joint(left: str, right: str) -> str:
    """What joins two pieces of a wrapped line: a space only between two Latin words."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return " "
    return ""


def join_pieces(pieces: Iterable[str]) -> str:
    """Pieces of one wrapped text (a table cell's lines) joined as a line is: a space only between two Latin words."""
    out = ""
    for piece in pieces:
        out += _joint(out, piece) + piece
    return out


def _stripped(line: LayoutLine) -> LayoutLine:
    text = line.text.strip()
    return line if text == line.text else LayoutLine(text, line.x0, line.x1, line.keep, line.cells)


def join_lines(lines: Iterable[LayoutLine]) -> str:
    """Join wrapped lines into paragraphs; paragraphs are separated by ``"\\n"``."""
    return _joined(list(lines), [])[0]


def _joined(lines: Sequence[LayoutLine], pages: Sequence[int]) -> tuple[str, list[Mark]]:
    """:func:`join_lines`, with a mark where the text of each page (``pages``: one per line) begins."""
    kept = [i for i, ln in enumerate(lines) if ln.text.strip()]
    body = [_stripped(lines[i]) for i in kept]
    margins = _margins([ln for ln in body if not ln.keep])
    full_width = _full_width(body) if margins is None else 0.0  # only read without geometry
    paragraphs: list[list[str]] = []  # each one's lines, joined at the end (not one copy of it per line)
    marks: list[Mark] = []
    offset = 0  # where the current paragraph starts in the joined text
    length = 0  # of the current paragraph so far
    places: dict[int, Location] = {}  # one per page, not per line (a Location costs ≈ 2 µs to build)
    for index, line in enumerate(body):
        if index and _continues(body[index - 1], line, margins, full_width, at_top=_on_first_page(index, kept, pages)):
            joint = _joint(paragraphs[-1][-1], line.text)
            paragraphs[-1].append(joint + line.text)
            at = offset + length + len(joint)
            length += len(joint) + len(line.text)
        else:
            if paragraphs:
                offset += length + 1
            at = offset
            paragraphs.append([line.text])
            length = len(line.text)
        if pages:
            page = pages[kept[index]]
            place = places.get(page)
            if place is None:
                place = places[page] = Location(page=page)
            marks.append((at, place))
    return "\n".join(map("".join, paragraphs)), marks
