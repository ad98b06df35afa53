"""readers/pdftables.shapes against pdfminer's own ``paint_path``: a painted path split into the
lines, rectangles and curves pdfplumber's table finder reads, the same objects with the same
points, whatever the path."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers.pdftables import Segment, shapes

_KINDS = {"LTLine": "line", "LTRect": "rect", "LTCurve": "curve"}
_coordinate = st.sampled_from([0.0, 10.0, 10.5, 20.0])
_segment = st.tuples(st.sampled_from("mllc"), _coordinate, _coordinate, st.booleans())


def _pdfminer(ops: list[tuple[Any, ...]]) -> list[tuple[str, list[tuple[float, float]]]]:
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.layout import LTContainer
    from pdfminer.pdfinterp import PDFGraphicState, PDFResourceManager

    analyzer = PDFLayoutAnalyzer(PDFResourceManager())
    analyzer.cur_item = LTContainer((0, 0, 0, 0))  # type: ignore[assignment]
    analyzer.ctm = (1, 0, 0, 1, 0, 0)
    analyzer.paint_path(PDFGraphicState(), True, False, False, ops)  # type: ignore[arg-type]
    return [(_KINDS[type(item).__name__], [tuple(map(float, pt)) for pt in item.pts]) for item in analyzer.cur_item]


def _ops(path: list[Segment]) -> list[tuple[Any, ...]]:
    """The path as content-stream operations: a curve with two control points of its own, a
    closing segment followed by ``h``."""
    ops: list[tuple[Any, ...]] = []
    for kind, x, y, closes in path:
        ops.append(("c", x + 1, y + 2, x + 3, y + 4, x, y) if kind == "c" else (kind, x, y))
        if closes:
            ops.append(("h",))
    return ops


@settings(max_examples=2000, deadline=None)
@given(st.lists(_segment, max_size=9))
def test_shapes_are_pdfminers(path: list[Segment]) -> None:
    assert shapes(path) == _pdfminer(_ops(path))


def test_shapes_by_hand() -> None:
    rectangle: list[Segment] = [("m", 0, 0, False), ("l", 10, 0, False), ("l", 10, 5, False), ("l", 0, 5, False)]
    assert shapes([*rectangle, ("l", 0, 0, True)]) == [("rect", [(0, 0), (10, 0), (10, 5), (0, 5)])]
    assert shapes([("m", 0, 0, False), ("l", 10, 0, True)]) == [("line", [(0, 0), (10, 0)])]
    assert shapes([("l", 10, 0, False)]) == []  # no move first: no object
    two = shapes([("m", 0, 0, False), ("l", 10, 0, False), ("m", 0, 5, False), ("l", 10, 5, False)])
    assert two == [("line", [(0, 0), (10, 0)]), ("line", [(0, 5), (10, 5)])]
