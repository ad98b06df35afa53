"""The review table (政府信息公开行政复议、行政诉讼情况) written one group a row.

The national format lays the table's 15 figures on one row under a three-row header. Many units
turn it round: one row per group (行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉), five
columns (结果维持, 结果纠正, 其他结果, 尚未审结, 总计) under one header, or three blocks each under
its own header. This module finds that shape and gives the 15 figures in the national order, each
with its place in the text; anything else is left to the one-row reader. Pure: text in, figures out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_FIGURE = r"(?:\d+(?:\s*件)?|[-—–－]{1,2}|无)"
_FIVE = rf"((?:[ \t|]*{_FIGURE}){{5}})[ \t|]*(?=\n|$)"
#: the rest of a group's label (（未经复议直接起诉）, 案件数(件)), a header line of its own block
_LABEL_GAP = r"[^\d。]{0,60}?"
_BETWEEN = r"[^\d。]{0,120}?"  # what lies between two groups' rows: a repeated header
#: the three groups in the national order, each label followed on its line by five figures
_GROUPS = re.compile(
    rf"行\s*政\s*复\s*议(?![^\n]{{0,6}}后){_LABEL_GAP}{_FIVE}"
    rf"{_BETWEEN}(?:未\s*经\s*复\s*议\s*)?直\s*接\s*起\s*诉{_LABEL_GAP}{_FIVE}"
    rf"{_BETWEEN}复\s*议\s*后\s*起\s*诉{_LABEL_GAP}{_FIVE}"
)
#: the columns in the national order, as the header before the first group's figures names them
_HEADER = re.compile(
    r"结\s*果\s*维\s*持[^\d]{0,24}结\s*果\s*纠\s*正[^\d]{0,24}其\s*他\s*结\s*果[^\d]{0,24}尚\s*未\s*审\s*结[^\d]{0,24}总\s*计"
)
_TOKEN = re.compile(r"\d+|[-—–－]{1,2}|无")
_HEADER_REACH = 240  # characters before the first group's label where its header may stand


class Figure(NamedTuple):
    value: float
    start: int
    end: int


def review_by_group(text: str, start: int, end: int) -> tuple[int, tuple[Figure, ...]] | None:
    """(where the table starts, its 15 figures) when ``text[start:end]`` holds the review table one
    group a row, the columns in the national order; else None."""
    m = _GROUPS.search(text, start, end)
    if m is None:
        return None
    first_figures = m.start(1)
    header = _HEADER.search(text, max(start, m.start() - _HEADER_REACH), first_figures)
    if header is None:
        return None
    figures: list[Figure] = []
    for group in (1, 2, 3):
        for t in _TOKEN.finditer(text, m.start(group), m.end(group)):
            figures.append(Figure(float(t.group()) if t.group().isdigit() else 0.0, t.start(), t.end()))
    if len(figures) != 15:
        return None
    return min(header.start(), m.start()), tuple(figures)
