"""The comparison of two reports: follow-through, copying and deltas (pure).

Takes the two understood documents, their audited report dicts (the JSON contract) and the
checklist's ``compare`` declaration; reads and audits nothing itself.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.checklist import ComparisonSpec
from auditor.compare.copying import DEFAULT_SHARE, copied
from auditor.compare.deltas import category_deltas, rule_deltas
from auditor.compare.followthrough import follow_through, unaccused
from auditor.compare.items import split_items
from auditor.compare.model import Comparison, Side
from auditor.compare.regions import plans, regions
from auditor.document import Document


def side(report: dict[str, Any], doc: Document) -> Side:
    meta = report.get("metadata") or {}
    checklist = (report.get("checklist") or {}).get("id")
    return Side(
        report.get("source", ""),
        meta.get("unit", doc.metadata.unit),
        meta.get("year", doc.metadata.year),
        checklist,
        report.get("score"),
        report.get("grade"),
    )


def _same_unit(a: str, b: str) -> bool:
    """周铁镇人民政府 and 周铁镇 are one unit: one name contains the other, the government suffix left
    out. A government's office is another unit (it may have signed for its government: the pair
    is then noted, and its plans are not called missing)."""
    if a.endswith("办公室") != b.endswith("办公室"):
        return False
    a, b = (re.sub(r"(人民政府|政府)$", "", x) for x in (a, b))
    return a in b or b in a


def _notes(last: Side, this: Side) -> list[str]:
    notes = []
    if last.unit and this.unit and not _same_unit(last.unit, this.unit):
        notes.append(f"两份报告的单位不同（{last.unit} / {this.unit}），请确认是同一单位的报告")
    if last.year is not None and this.year is not None and this.year != last.year + 1:
        notes.append(f"两份报告的年度不相邻（{last.year} / {this.year}）")
    if last.checklist != this.checklist:
        notes.append(f"两份报告的类型不同（{last.checklist} / {this.checklist}），得分不可直接比较")
    return notes


def compare(
    last_doc: Document,
    this_doc: Document,
    last_report: dict[str, Any],
    this_report: dict[str, Any],
    spec: ComparisonSpec | None,
    copy_share: float = DEFAULT_SHARE,
    doubt: str = "",
) -> Comparison:
    """Compare last year's report with this year's. ``spec`` is the checklist's ``compare:`` (None: the default);
    ``doubt``: why the pairing itself is uncertain (an inferred year or unit), if it is. A pair in doubt, or
    whose units, years or types do not match (``_notes``), calls no plan missing: those become needs_review."""
    items = split_items(last_doc, plans(last_doc, spec))
    ft = follow_through(last_doc, items, this_doc, regions(this_doc, spec))
    a, b = side(last_report, last_doc), side(this_report, this_doc)
    notes = _notes(a, b)
    doubts = [*notes, doubt] if doubt else notes
    return Comparison(
        a,
        b,
        unaccused(ft, "；".join(doubts)),
        copied(last_doc, this_doc, copy_share),
        category_deltas(last_report, this_report),
        rule_deltas(last_report, this_report),
        notes,
    )
