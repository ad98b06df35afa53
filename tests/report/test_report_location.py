"""report/location.py: a location as a supervisor reads it."""

from __future__ import annotations

import pytest

from auditor.document.location import Location
from auditor.findings import Evidence, NearMiss
from auditor.report.location import location_label, quote_place


@pytest.mark.parametrize(
    ("place", "label"),
    [
        ({"page": 3}, "第3页"),
        ({"paragraph": 12}, "第12段"),
        ({"table": 2, "row": 4, "column": 3}, "表2第4行第3列"),
        ({"table": 2, "row": 4}, "表2第4行"),
        ({"heading": "一、主要举措和成效"}, "“一、主要举措和成效”标题下"),
        ({"heading": "长" * 40}, "“" + "长" * 29 + "…”标题下"),
        ({"line": 57}, "第57行"),
        (Location(page=1), "第1页"),
    ],
)
def test_labels(place: object, label: str) -> None:
    assert location_label(place, 99) == label  # type: ignore[arg-type]


def test_without_a_location_the_extracted_line_is_shown() -> None:
    assert location_label(None, 22) == "第22行"
    assert location_label({"unknown": 1}, 22) == "第22行"  # a later version's key: not guessed at
    assert location_label(None, None) == "" and location_label(None, True) == ""


def test_a_near_miss_names_its_part() -> None:
    near = NearMiss.from_json(
        {
            "text": "究其原因",
            "score": 90.0,
            "start": 0,
            "end": 4,
            "line": 3,
            "location": {"page": 2},
            "part": "存在不足部分（二、存在的不足）",
        }
    )
    assert quote_place(near) == "第2页 · 存在不足部分（二、存在的不足）"
    assert quote_place(Evidence("x", 0, 1, 4, None)) == "第4行"
