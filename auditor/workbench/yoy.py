"""A stored report's comparison with last year's stored report (docs/workbench.md, 与上年度对比).

Last year's report is chosen by :func:`auditor.compare.pairing.pair` (the rule of ``auditor check
--previous``) among the newest version of each family of the same checklist a year before, and
compared by :func:`auditor.compare.paired.compare_pair` from both stored files. The result is
cached on the report row with the id of the report it was compared with: the pairing is redone
on each view (summary columns only), so a report of last year uploaded later, or a newer version
of it, is compared afresh. A comparison that fails costs only itself (null, logged).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.checklist import Checklist
from auditor.workbench import blobs
from auditor.workbench.db import ReportRow
from auditor.workbench.store import report_data, stored_file

log = logging.getLogger("auditor.workbench")
ORIGIN = "store"  # ``pairing.from``: last year's report is one stored in the workbench


@dataclass(frozen=True)
class Previous:
    row: ReportRow
    inferred: tuple[str, ...]


def _view(unit: str | None, year: int | None, checklist: str | None) -> dict[str, Any]:
    """A report as far as the pairing reads it (its key), from the summary columns."""
    return {"metadata": {"unit": unit, "year": year}, "checklist": {"id": checklist}}


def previous(session: Session, row: ReportRow) -> Previous | None:
    """Last year's stored report of ``row``'s unit and checklist (newest version of its
    family), or None: none, or several (ambiguous, as ``auditor check`` leaves them)."""
    from auditor.compare.pairing import pair

    if row.state != "done" or not row.checklist or row.year is None or not row.unit:
        return None
    superseded = select(ReportRow.previous_id).where(ReportRow.previous_id.is_not(None))
    query = select(ReportRow.id, ReportRow.unit, ReportRow.year, ReportRow.checklist).where(
        ReportRow.checklist == row.checklist,
        ReportRow.year == row.year - 1,
        ReportRow.state == "done",
        ReportRow.id.not_in(superseded),
    )
    candidates = list(session.execute(query).all())
    this = [_view(row.unit, row.year, row.checklist)]
    found, _ = pair(this, [_view(c.unit, c.year, c.checklist) for c in candidates])
    if not found:
        return None
    last = session.get(ReportRow, candidates[found[0].last].id)
    if last is None:
        return None
    # what the pairing rests on (stated or inferred year and unit) is in the reports' JSON
    full, _ = pair([report_data(row)], [report_data(last)])
    return Previous(last, full[0].inferred if full else found[0].inferred)


def _compute(row: ReportRow, found: Previous, blob_root: Path, checklists: Sequence[Checklist]) -> dict[str, Any]:
    """Both stored files read as the audit read them (``store.stored_file``: under the upload's name)."""
    from auditor.compare import paired
    from auditor.pipeline import Options, read_understood

    options = Options()
    with tempfile.TemporaryDirectory(prefix="auditor-wb-") as tmp:
        docs = []
        for name, r in (("this", row), ("last", found.row)):
            link = blobs.linked(Path(tmp) / name, *stored_file(blob_root, r))
            docs.append(read_understood(link, options)[1])
    share = paired.copy_share(options.config)
    last = report_data(found.row)
    return paired.compare_pair(report_data(row), docs[0], last, docs[1], ORIGIN, found.inferred, checklists, share)


def comparison(
    session: Session, row: ReportRow, blob_root: Path, checklists: Sequence[Checklist]
) -> tuple[dict[str, Any] | None, int | None]:
    """The comparison of ``row`` and the id of last year's report (None, None without one).
    Computed once per pairing and cached on the row: the caller commits."""
    found = previous(session, row)
    if found is None:
        return None, None
    key = str(found.row.id)
    if row.comparison is not None and row.comparison_key == key:
        cached: dict[str, Any] = orjson.loads(row.comparison)
        return cached, found.row.id
    try:
        data = _compute(row, found, blob_root, checklists)
    except Exception:  # an unreadable blob, a hostile file: this comparison only
        log.exception("could not compare report %s with report %s", row.id, found.row.id)
        return None, found.row.id
    row.comparison, row.comparison_key = orjson.dumps(data), key
    return data, found.row.id


def forget_next_year(session: Session, row: ReportRow) -> int:
    """A report just stored may be the new previous report of next year's reports: the cached
    comparison of each that now pairs with it is dropped (computed again when next shown), so a
    cached comparison is never one with a report that is no longer last year's. Returns how many."""
    from auditor.compare.pairing import pair

    if row.state != "done" or not row.checklist or row.year is None or not row.unit:
        return 0
    query = select(ReportRow.id, ReportRow.unit, ReportRow.year, ReportRow.checklist).where(
        ReportRow.checklist == row.checklist, ReportRow.year == row.year + 1, ReportRow.comparison_key.is_not(None)
    )
    later = list(session.execute(query).all())
    views = [_view(r.unit, r.year, r.checklist) for r in later]
    found, ambiguous = pair(views, [_view(row.unit, row.year, row.checklist)])
    dropped = 0
    for i in {p.this for p in found} | {a.this for a in ambiguous}:
        other = session.get(ReportRow, later[i].id)
        if other is not None:
            other.comparison = other.comparison_key = None
            dropped += 1
    return dropped


def cached(row: ReportRow) -> Mapping[str, Any] | None:
    """The comparison computed when the report was last shown (exports of many reports use
    it rather than read every pair of files again; :func:`forget_next_year` keeps it current)."""
    if row.comparison is None:
        return None
    data: dict[str, Any] = orjson.loads(row.comparison)
    return data


def attach(
    session: Session, row: ReportRow, data: dict[str, Any], blob_root: Path, checklists: Mapping[str, Checklist]
) -> dict[str, Any]:
    """``data`` (the API's report object) with ``comparison`` (null without last year's report)
    and ``previous_year_id`` (last year's report, null without one)."""
    found, last_id = comparison(session, row, blob_root, list(checklists.values()))
    data["comparison"] = found
    data["previous_year_id"] = last_id
    return data
