"""Where a quote is in the author's own file, as a supervisor reads it: 第3页, 第12段,
表2第4行第3列, “一、主要举措”标题下, 第57行. One function for every human format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.document.location import Location
from auditor.findings import Evidence, NearMiss

MAX_HEADING = 30


def location_label(place: Location | Mapping[str, Any] | None, line: object = None) -> str:
    """The place in Chinese; without one (a result of an older version), the line of the extracted text."""
    loc = place if isinstance(place, Location) else Location.from_dict(place)
    if loc is None:
        return f"第{line}行" if isinstance(line, int) and not isinstance(line, bool) and line > 0 else ""
    if loc.page is not None:
        return f"第{loc.page}页"
    if loc.paragraph is not None:
        return f"第{loc.paragraph}段"
    if loc.table is not None:
        row = f"第{loc.row}行" if loc.row is not None else ""
        column = f"第{loc.column}列" if loc.column is not None else ""
        return f"表{loc.table}{row}{column}"
    if loc.heading is not None:
        heading = " ".join(loc.heading.split())
        heading = heading if len(heading) <= MAX_HEADING else heading[: MAX_HEADING - 1] + "…"
        return f"“{heading}”标题下"
    return f"第{loc.line}行" if loc.line is not None else ""


def quote_place(quote: Evidence | NearMiss) -> str:
    """Where an evidence or near miss is: its location, and the part of the report a near miss
    sits in (``第3页 · 存在不足部分（二、存在的不足）``)."""
    label = location_label(quote.location, quote.line)
    part = quote.part if isinstance(quote, NearMiss) else ""
    return " · ".join(p for p in (label, part) if p)
