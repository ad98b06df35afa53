"""A PDF page's statistics tables, found by pdfplumber's table finder, and the page's lines with
each table's lines replaced by its rows.

pdfplumber's page (pdfminer's objects) serves the pages pdfplumber reads. For a page PDFium reads
whose drawings may make a table, :class:`DrawnPage` gives the finder the same things from
PDFium: the page's paths as pdfminer splits them into lines, rectangles and curves
(:func:`shapes`), and its characters with pdfminer's tops and bottoms. The finder, the cells'
text and the page's lines (pdfplumber's text map) are pdfplumber's own code either way.
``tests/readers/test_pdf_lines.py`` checks that both give the same lines on drawn pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from auditor.readers.paragraphs import LayoutLine, join_pieces
from auditor.readers.tablerows import is_data_table, row_line

Table = tuple[float, float, float, float, list[list[str]], list[tuple[float, ...]]]  # top, bottom, x0, x1, rows, cells
Point = tuple[float, float]
Segment = tuple[str, float, float, bool]  # "m", "l" or "c" (a Bézier curve's end), x, y, closes the subpath

_MAX_RULING = 2_000  # lines and rectangles on a page beyond which no table is looked for
_SUBPATH = re.compile(r"m[^m]+")


def page_tables(page: Any) -> list[Table]:
    """Statistics tables ruled on the page (pdfplumber's table finder): (top, bottom, x0, x1, rows,
    and each row's cells' left ends). Cells covered by a merged cell (None) are left out, blank
    cells kept. ``page``: pdfplumber's page or a :class:`DrawnPage`."""
    ruling = len(page.objects.get("line", [])) + len(page.objects.get("rect", []))
    if not ruling:
        return []  # no ruling: the text fallback reads column-aligned lines
    if ruling > _MAX_RULING:
        return []  # the table finder pairs every rule with every other: a drawing, not a table
    try:
        found = page.find_tables()
    except Exception:  # a table finder failure only costs the table rows their separators
        return []
    tables: list[Table] = []
    for table in found:
        # a narrow cell wraps its label (结/果/维/持): its lines joined as a wrapped line is
        rows, lefts = [], []
        for row, boxes in zip(table.extract(), table.rows, strict=True):
            cells = [
                (join_pieces((cell or "").split()), box[0])
                for cell, box in zip(row, boxes.cells, strict=True)
                if cell is not None and box is not None
            ]
            if cells:
                rows.append([text for text, _ in cells])
                lefts.append(tuple(float(left) for _, left in cells))
        if is_data_table(rows):
            x0, top, x1, bottom = table.bbox
            tables.append((float(top), float(bottom), float(x0), float(x1), rows, lefts))
    return tables


def with_tables(raw_lines: list[Any], tables: list[Table]) -> list[LayoutLine]:
    """The page's lines, those inside a table replaced by its rows (one `` | `` line per row)."""
    if not tables:
        return [plumber_line(raw) for raw in raw_lines]
    placed: list[tuple[float, int, LayoutLine]] = []
    for raw in raw_lines:
        middle = (float(raw["top"]) + float(raw["bottom"])) / 2
        if not any(top <= middle <= bottom for top, bottom, *_ in tables):
            placed.append((float(raw["top"]), 0, plumber_line(raw)))
    for top, _, x0, x1, rows, lefts in tables:
        placed.extend(
            (top, i + 1, LayoutLine(row_line(row), x0, x1, keep=True, cells=cells))
            for i, (row, cells) in enumerate(zip(rows, lefts, strict=True))
        )
    return [line for _, _, line in sorted(placed, key=lambda item: (item[0], item[1]))]


def plumber_line(raw: Any) -> LayoutLine:
    return LayoutLine(str(raw["text"]), float(raw["x0"]), float(raw["x1"]))


def shapes(path: Sequence[Segment]) -> list[tuple[str, list[Point]]]:
    """A painted path's objects as pdfminer makes them (``PDFLayoutAnalyzer.paint_path``):
    ("line" | "rect" | "curve", points), points in page space. Each subpath is one object: two
    points a line, four sides of an upright closed loop a rectangle, anything else a curve of its
    points (a curve's end, not its control points); a path that does not start with a move is no
    object. A closed subpath ends with pdfminer's ``h`` (its start point again)."""
    ops: list[tuple[str, Point]] = []
    for kind, x, y, closes in path:
        ops.append((kind, (x, y)))
        if closes:
            ops.append(("h", (x, y)))
    shape = "".join(kind for kind, _ in ops)
    if shape[:1] != "m":
        return []
    if shape.count("m") > 1:
        found: list[tuple[str, list[Point]]] = []
        for match in _SUBPATH.finditer(shape):
            found.extend(_shape(ops[match.start() : match.end()]))
        return found
    return _shape(ops)


def _shape(ops: list[tuple[str, Point]]) -> list[tuple[str, list[Point]]]:
    shape = "".join(kind for kind, _ in ops)
    pts = [ops[0][1] if kind == "h" else point for kind, point in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant "l" on a closed path
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return [("line", pts[:2])]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            (x0, y0), (x1, y1) = pts[0], pts[2]
            return [("rect", [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])]
    return [("curve", pts)]


class DrawnPage:
    """What pdfplumber's table finder and text map read of a page, from PDFium: its lines,
    rectangles and curves (``objects``, pdfplumber's dictionaries), its characters (``chars``:
    text, x0, x1 and pdfminer's top and bottom) and its box."""

    def __init__(self, width: float, height: float, shaped: list[tuple[str, list[Point]]], chars: list[Any]) -> None:
        self.width, self.height = width, height
        self.bbox = (0.0, 0.0, width, height)
        self.objects: dict[str, list[dict[str, Any]]] = {}
        for kind, pts in shaped:
            self.objects.setdefault(kind, []).append(self._object(kind, pts))
        self.chars = chars

    def _object(self, kind: str, pts: list[Point]) -> dict[str, Any]:
        xs, ys = [x for x, _ in pts], [y for _, y in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        top = self.height - y1
        return {
            "object_type": kind,
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "pts": [(x, self.height - y) for x, y in pts],
            "top": top,
            "bottom": self.height - y0,
            "doctop": top,
        }

    @property
    def edges(self) -> list[dict[str, Any]]:
        from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

        lines = [line_to_edge(line) for line in self.objects.get("line", [])]
        rects = [edge for rect in self.objects.get("rect", []) for edge in rect_to_edges(rect)]
        return lines + rects + [edge for curve in self.objects.get("curve", []) for edge in curve_to_edges(curve)]

    def find_tables(self) -> list[Any]:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables  # type: ignore[arg-type]

    def text_lines(self) -> list[dict[str, Any]]:
        """pdfplumber's ``page.extract_text_lines(strip=True, return_chars=False)``."""
        from pdfplumber.utils.text import chars_to_textmap

        size = {"layout_width": self.width, "layout_height": self.height}
        textmap = chars_to_textmap(self.chars, layout_bbox=self.bbox, **size)
        return list(textmap.extract_text_lines(strip=True, return_chars=False))
