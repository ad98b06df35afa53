"""The workbench's operations, each a function taking a Session: uploads (one report per
distinct content), results, reviews, revisions, lists, seasons, pass rates, decision export.

Decisions mean what :mod:`auditor.review` says (fingerprints, reviewed statuses and score);
nothing here redefines them. A report's family is its checklist + year + unit: a newer upload
of the same family is its next version, which inherits every decision of the previous one;
those whose finding changed are *stale* (kept, shown, never applied).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditor.checklist import Checklist
from auditor.findings import Review
from auditor.readers.collect import REPORT_SUFFIXES
from auditor.readers.detect import DOCX_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES
from auditor.result import Report, report_from_json
from auditor.review import ReviewError, apply_reviews, decide, reviewed_score
from auditor.vocabulary import Decision, Status
from auditor.workbench import blobs
from auditor.workbench.db import ReportRow, ReviewRow

STATES = ("queued", "running", "done", "error")
MAX_NAME = 200
UNNAMED = "未命名文件"
#: the suffixes a report may have (the reader weighs them when it detects the format)
SUFFIXES = REPORT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | MARKDOWN_SUFFIXES


class StoreError(ValueError):
    """A request the store refuses (Chinese message); ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ uploads


def display_name(name: str) -> str:
    """An uploaded file's name as kept and shown: its last path part, without control
    characters, at most 200 characters; a name of nothing but dots and spaces is 未命名文件.
    (The name is only ever shown, escaped; the bytes are stored under their hash.)"""
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if not kept.strip(". "):
        return UNNAMED
    return kept[:MAX_NAME]


def report_suffix(name: str) -> str:
    """The name's suffix when it is one a report may have (it tells the reader the format), else ""."""
    suffix = PurePosixPath(display_name(name)).suffix.lower()
    return suffix if suffix in SUFFIXES else ""


def link_name(source: str, suffix: str) -> str:
    """The name a stored upload is read under (a link in a private folder of its own): its name's stem and
    the suffix it had, cut to the 255 bytes a file name may have. The audit then sees what ``auditor check``
    of the file sees: a title, unit or year the text lacks is taken from the name (marked inferred)."""
    limit = 255 - len(suffix.encode("utf-8"))
    stem = PurePosixPath(source).stem.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    return (stem if stem.strip(". ") else "report") + suffix


def stored_file(blob_root: Any, row: ReportRow) -> tuple[str, str]:
    """A stored report as it is read, to audit it or to compare it: its file (the blob) and the name it is read
    under (:func:`link_name`, through ``blobs.linked``)."""
    return str(blobs.path_of(blob_root, row.sha256)), link_name(row.source, row.suffix)


def add_upload(
    session: Session, blob_root: Any, name: str, data: bytes, sha: str | None = None
) -> tuple[ReportRow, bool]:
    """Store the bytes and their report row; the same content twice is the same report
    (``created`` False). ``sha``: the bytes were already stored (what ``blobs.put`` returned). The
    caller commits and queues created rows."""
    if sha is None:
        sha = blobs.put(blob_root, data)
    existing = session.scalar(select(ReportRow).where(ReportRow.sha256 == sha))
    if existing is not None:
        return existing, False
    row = ReportRow(
        sha256=sha,
        source=display_name(name),
        suffix=report_suffix(name),
        size=len(data),
        uploaded_at=datetime.now(UTC),
        state="queued",
        attempts=0,
        counts={},
        statuses={},
        unreviewed=0,
        stale=0,
        version=1,
    )
    session.add(row)
    session.flush()
    return row, True


def mark_running(session: Session, report_id: int) -> None:
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.state = "running"
        row.attempts += 1


def pending(session: Session) -> list[int]:
    """Reports not finished (left over by a stop): queued again at start."""
    return list(session.scalars(select(ReportRow.id).where(ReportRow.state.in_(("queued", "running")))))


# ------------------------------------------------------------------ results


def record_result(
    session: Session, report_id: int, body: bytes, checklists: Mapping[str, Checklist], stamp: str | None = None
) -> ReportRow:
    """Store a finished audit (the report's JSON, as ``auditor check --format json`` has it) and what
    audited it (``stamp``): summary columns, its place in its family, and the decisions it inherits. A
    report audited again keeps its own decisions (see :func:`requeue`)."""
    row = session.get(ReportRow, report_id)
    if row is None:
        raise StoreError("报告不存在", 404)
    data = orjson.loads(body)
    row.result = body  # as the worker encoded it; ``source`` is the upload's name when shown
    row.comparison = row.comparison_key = None  # a new result: compared again when next shown
    row.audited_with = stamp
    checklist = data.get("checklist") or {}
    row.checklist = _cut(checklist.get("id"), 64)
    row.checklist_title = _cut(checklist.get("title"), 200)
    if data.get("error"):
        row.state = "error"
        row.error = str(data["error"])
        row.error_code = str(data.get("error_code") or "")
        return row
    meta = data.get("metadata") or {}
    row.state = "done"
    row.error = row.error_code = None
    row.year, row.title = meta.get("year"), meta.get("title")
    row.level, row.unit = _cut(meta.get("level"), 32), _cut(meta.get("unit"), 300)
    row.score, row.grade = data.get("score"), _cut(data.get("grade"), 32)
    row.counts = dict(data.get("summary") or {})
    row.statuses = {f["rule_id"]: f["status"] for f in data.get("findings") or ()}
    family = f"{row.checklist}|{row.year}|{row.unit}"[:420] if row.checklist and row.year and row.unit else None
    joins = family != row.family  # a first result, or audited again it reads as another unit or year
    if joins:
        _leave_family(session, row)
        row.family = family
    if family is not None:  # (audited again in its family, it keeps its own decisions: none carried)
        _join_family(session, row, carry=joins)
    if session.scalar(select(ReviewRow.id).where(ReviewRow.report_id == row.id).limit(1)) is None:
        row.reviewed_score, row.reviewed_grade = row.score, row.grade  # nobody decided anything yet
        row.unreviewed, row.stale = row.counts.get(Status.needs_review.value, 0), 0
    else:
        refresh_reviewed(session, row, checklists)
    return row


def _cut(value: Any, size: int) -> str | None:
    """A text for a bounded column (a unit name read from a hostile file may be of any length)."""
    return str(value)[:size] if value else None


def record_error(
    session: Session, report_id: int, message: str, code: str = "internal", stamp: str | None = None
) -> None:
    """A report that could not be audited; audited again, it leaves the versions of the family it had."""
    row = session.get(ReportRow, report_id)
    if row is not None:
        row.state, row.error, row.error_code, row.audited_with = "error", message, code, stamp
        row.result = orjson.dumps({"source": row.source, "error": message, "error_code": code})
        _leave_family(session, row)


def _members(session: Session, family: str) -> list[ReportRow]:
    query = select(ReportRow).where(ReportRow.family == family, ReportRow.state == "done").order_by(ReportRow.id)
    return list(session.scalars(query))


def _number(members: list[ReportRow]) -> None:
    """Versions in upload order (reports audited in parallel may finish in any order)."""
    for number, (before, member) in enumerate(zip([None, *members], members, strict=False), start=1):
        member.version, member.previous_id = number, before.id if before is not None else None


def _leave_family(session: Session, row: ReportRow) -> None:
    """Take ``row`` out of its family, if it has one (audited again, it reads as another unit or year, or
    fails); the versions left are numbered again."""
    if row.family is None:
        return
    family, row.family, row.version, row.previous_id = row.family, None, 1, None
    session.flush()
    _number(_members(session, family))


def _join_family(session: Session, row: ReportRow, carry: bool) -> None:
    """Place ``row`` in its family, versions numbered in upload order, and (``carry``: it joins the
    family now) carry the previous version's decisions to it."""
    members = _members(session, row.family or "")
    if row not in members:
        members.append(row)
        members.sort(key=lambda r: r.id)
    _number(members)
    previous = session.get(ReportRow, row.previous_id) if row.previous_id is not None else None
    if previous is None or not carry:
        return
    existing = {r.rule_id for r in _review_rows(session, row.id)}
    for old in _review_rows(session, previous.id):
        if old.rule_id in existing:
            continue
        session.add(
            ReviewRow(
                report_id=row.id,
                rule_id=old.rule_id,
                decision=old.decision,
                status=old.status,
                comment=old.comment,
                reviewer=old.reviewer,
                at=old.at,
                fingerprint=old.fingerprint,
                carried_from=old.carried_from or previous.id,
            )
        )
    session.flush()


def _review_rows(session: Session, report_id: int) -> list[ReviewRow]:
    return list(session.scalars(select(ReviewRow).where(ReviewRow.report_id == report_id)))


def report_data(row: ReportRow) -> dict[str, Any]:
    """The stored report JSON, named after the uploaded file (as ``auditor check`` names it after its path)."""
    data: dict[str, Any] = orjson.loads(row.result) if row.result else {}
    data["source"] = row.source
    return data


def typed_report(row: ReportRow) -> Report | None:
    if row.state != "done" or row.result is None:
        return None
    report = report_from_json(report_data(row))
    return report if isinstance(report, Report) else None


def reviews_of(session: Session, report_id: int) -> dict[str, Review]:
    return {r.rule_id: _review(r) for r in _review_rows(session, report_id)}


def _review(r: ReviewRow) -> Review:
    return Review(Decision(r.decision), Status(r.status), r.comment, r.reviewer, r.at, r.fingerprint)


def refresh_reviewed(session: Session, row: ReportRow, checklists: Mapping[str, Checklist]) -> None:
    """Recompute the reviewed score and the unreviewed/stale counts of a report."""
    report = typed_report(row)
    if report is None:
        return
    reviewed = apply_reviews(report, reviews_of(session, row.id))
    row.unreviewed = sum(
        1 for f in report.findings if f.status == Status.needs_review and f.rule_id not in reviewed.reviews
    )
    row.stale = len(reviewed.stale)
    checklist = checklists.get(row.checklist or "")
    if checklist is None:
        row.reviewed_score, row.reviewed_grade = row.score, row.grade
        return
    result = reviewed_score(reviewed, checklist)
    row.reviewed_score, row.reviewed_grade = result.score, result.grade


# ------------------------------------------------------------------ reading


def get(session: Session, report_id: int) -> ReportRow:
    row = session.get(ReportRow, report_id)
    if row is None:
        raise StoreError("报告不存在", 404)
    return row


def report_object(session: Session, row: ReportRow, stamp: str | None = None) -> dict[str, Any]:
    """The API's report: the JSON of ``auditor check --format json`` for the file, plus ``id``,
    ``state``, ``version``, ``review`` on every finding (null when undecided or stale), the
    reviewed score and grade, the revision's carried and stale decisions, what audited it
    (``audited_with``) and, with the running workbench's ``stamp``, whether that is an earlier version."""
    data = report_data(row)
    reviews = reviews_of(session, row.id)
    report = typed_report(row)
    current: Mapping[str, Review] = {}
    stale: Mapping[str, Review] = {}
    if report is not None:
        reviewed = apply_reviews(report, reviews)
        current, stale = reviewed.reviews, reviewed.stale
    for finding in data.get("findings") or ():
        review = current.get(finding["rule_id"])
        finding["review"] = review.to_json() if review is not None else None
        if finding["rule_id"] in stale:
            finding["stale_review"] = stale[finding["rule_id"]].to_json()
    data.update(
        id=row.id,
        state=row.state,
        version=row.version,
        sha256=row.sha256,
        previous_id=row.previous_id,
        reviewed_score=row.reviewed_score,
        reviewed_grade=row.reviewed_grade,
        unreviewed=row.unreviewed,
        stale_reviews=len(stale),
        audited_with=row.audited_with,
    )
    if stamp is not None:
        data["outdated"] = is_outdated(row.state, row.audited_with, stamp)
    return data


@dataclass(frozen=True)
class Filters:
    checklist: str | None = None
    year: int | None = None
    level: str | None = None
    state: str | None = None
    unreviewed: bool = False
    family: str | None = None


#: what a list shows: summary columns only (never the report JSON or the per-rule statuses)
SUMMARY = (
    ReportRow.id,
    ReportRow.source,
    ReportRow.state,
    ReportRow.unit,
    ReportRow.year,
    ReportRow.level,
    ReportRow.checklist,
    ReportRow.score,
    ReportRow.reviewed_score,
    ReportRow.grade,
    ReportRow.reviewed_grade,
    ReportRow.version,
    ReportRow.previous_id,
    ReportRow.counts,
    ReportRow.unreviewed,
    ReportRow.stale,
    ReportRow.error,
    ReportRow.sha256,
    ReportRow.audited_with,
)


def list_reports(session: Session, filters: Filters, limit: int = 1000, offset: int = 0) -> list[Any]:
    """Reports matching ``filters``, ranked: best reviewed score first, then id. Each is a row of
    the summary columns (attributes named as on :class:`ReportRow`)."""
    query = select(*SUMMARY)
    if filters.checklist:
        query = query.where(ReportRow.checklist == filters.checklist)
    if filters.year is not None:
        query = query.where(ReportRow.year == filters.year)
    if filters.level:
        query = query.where(ReportRow.level == filters.level)
    if filters.state:
        query = query.where(ReportRow.state == filters.state)
    if filters.unreviewed:
        query = query.where(ReportRow.unreviewed > 0)
    if filters.family:
        query = query.where(ReportRow.family == filters.family)
    query = query.order_by(ReportRow.reviewed_score.desc().nulls_last(), ReportRow.id).limit(limit).offset(offset)
    return list(session.execute(query).all())


def count_reports(session: Session, filters: Filters) -> int:
    query = select(func.count(ReportRow.id))
    for column, value in (
        (ReportRow.checklist, filters.checklist),
        (ReportRow.year, filters.year),
        (ReportRow.level, filters.level),
        (ReportRow.state, filters.state),
    ):
        if value:
            query = query.where(column == value)
    if filters.unreviewed:
        query = query.where(ReportRow.unreviewed > 0)
    return int(session.scalar(query) or 0)


def summary(row: Any, stamp: str | None = None) -> dict[str, Any]:
    """A report's line in lists: a row of :data:`SUMMARY` (or a :class:`ReportRow`) as a dict; with the
    running workbench's ``stamp``, whether its result is an earlier version's (``outdated``)."""
    data: dict[str, Any] = row._asdict() if hasattr(row, "_asdict") else {c.key: getattr(row, c.key) for c in SUMMARY}
    data["stale_reviews"] = data.pop("stale")
    data["counts"] = data["counts"] or {}
    if stamp is not None:
        data["outdated"] = is_outdated(data["state"], data["audited_with"], stamp)
    return data


# ------------------------------------------------------------------ results of an earlier version

FINISHED = ("done", "error")


def is_outdated(state: str, audited_with: str | None, stamp: str) -> bool:
    """A finished result that another tool or checklist than the running one made (or, stored before
    migration 0003, nobody can tell which)."""
    return state in FINISHED and audited_with != stamp


@dataclass(frozen=True)
class SeasonKey:
    """A checklist and a report year (None: the reports whose year is unknown)."""

    checklist: str
    year: int | None


def outdated(session: Session, stamp: str, season: SeasonKey | None = None) -> list[int]:
    """The reports (of ``season``) whose stored result is an earlier version's, oldest upload first."""
    query = select(ReportRow.id).where(
        ReportRow.state.in_(FINISHED), (ReportRow.audited_with.is_(None)) | (ReportRow.audited_with != stamp)
    )
    if season is not None:
        query = query.where(ReportRow.checklist == season.checklist)
        query = query.where(ReportRow.year.is_(None) if season.year is None else ReportRow.year == season.year)
    return list(session.scalars(query.order_by(ReportRow.id)))


def requeue(session: Session, report_ids: Sequence[int]) -> list[ReportRow]:
    """Finished reports put back in the queue, to be audited again by the running tool; the caller commits
    and submits them. A report queued or running already is left as it is. Each keeps its result until the
    new one replaces it, and its decisions: :func:`record_result` applies those whose finding is unchanged
    and counts the others as stale, as for a revision."""
    if not report_ids:
        return []
    query = select(ReportRow).where(ReportRow.id.in_(list(report_ids)), ReportRow.state.in_(FINISHED))
    rows = list(session.scalars(query.order_by(ReportRow.id)))
    for row in rows:
        row.state = "queued"
    return rows


# ------------------------------------------------------------------ reviews


def record_review(
    session: Session, row: ReportRow, rule_id: str, payload: Mapping[str, Any], checklists: Mapping[str, Checklist]
) -> Review:
    """Record (or replace) a decision on one finding; :class:`StoreError` when it cannot apply."""
    report = typed_report(row)
    if report is None:
        raise StoreError("报告尚未审核完成，不能复核", 409)
    finding = next((f for f in report.findings if f.rule_id == rule_id), None)
    if finding is None:
        raise StoreError(f"本报告没有检查项 {rule_id}", 404)
    try:
        decision = Decision(str(payload.get("decision") or ""))
    except ValueError as exc:
        raise StoreError("decision 须为 confirmed（确认）、dismissed（撤销）或 changed（改判）", 422) from exc
    status: Status | None = None
    if payload.get("status") not in (None, ""):
        try:
            status = Status(str(payload["status"]))
        except ValueError as exc:
            raise StoreError(f"未知的结论：{payload['status']}", 422) from exc
    if decision != Decision.changed and status is not None and status == finding.status:
        status = None  # the finding's own status, sent back as is
    at = str(payload.get("at") or datetime.now(UTC).isoformat(timespec="seconds"))
    try:
        review = decide(
            finding,
            decision,
            status=status,
            comment=str(payload.get("comment") or "")[:5000],
            reviewer=str(payload.get("reviewer") or "")[:200],
            at=at[:40],
        )
    except ReviewError as exc:
        raise StoreError(str(exc), 422) from exc
    existing = session.scalar(select(ReviewRow).where(ReviewRow.report_id == row.id, ReviewRow.rule_id == rule_id))
    if existing is None:
        existing = ReviewRow(report_id=row.id, rule_id=rule_id)
        session.add(existing)
    existing.decision, existing.status = str(review.decision), str(review.status)
    existing.comment, existing.reviewer, existing.at = review.comment, review.reviewer, review.at
    existing.fingerprint, existing.carried_from = review.fingerprint, None
    session.flush()
    refresh_reviewed(session, row, checklists)
    return review


def delete_review(session: Session, row: ReportRow, rule_id: str, checklists: Mapping[str, Checklist]) -> None:
    existing = session.scalar(select(ReviewRow).where(ReviewRow.report_id == row.id, ReviewRow.rule_id == rule_id))
    if existing is not None:
        session.delete(existing)
        session.flush()
    refresh_reviewed(session, row, checklists)


# ------------------------------------------------------------------ revisions


def revision(session: Session, row: ReportRow) -> dict[str, Any]:
    """What a version changed against the previous one: rules fixed (was gap/needs_review,
    now met), broken (was met, now gap/needs_review), other status changes, and which
    decisions were kept and which are stale."""
    out: dict[str, Any] = {
        "id": row.id,
        "version": row.version,
        "previous_id": row.previous_id,
        "fixed": [],
        "broken": [],
        "changed": [],
        "kept": [],
        "stale": [],
    }
    if row.previous_id is None:
        return out
    previous = session.get(ReportRow, row.previous_id)
    if previous is None:
        return out
    bad = {Status.gap.value, Status.needs_review.value}
    before, after = previous.statuses or {}, row.statuses or {}
    for rule_id in sorted(set(before) | set(after)):
        a, b = before.get(rule_id), after.get(rule_id)
        if a == b:
            continue
        entry = {"rule_id": rule_id, "before": a, "after": b}
        if a in bad and b == Status.met.value:
            out["fixed"].append(entry)
        elif a == Status.met.value and b in bad:
            out["broken"].append(entry)
        else:
            out["changed"].append(entry)
    report = typed_report(row)
    if report is not None:
        carried = {r.rule_id: r for r in _review_rows(session, row.id) if r.carried_from is not None}
        reviewed = apply_reviews(report, {k: _review(v) for k, v in carried.items()})
        out["kept"] = sorted(reviewed.reviews)
        out["stale"] = sorted(reviewed.stale)
    return out


# ------------------------------------------------------------------ seasons and rates


def seasons(session: Session) -> list[dict[str, Any]]:
    """Batches by checklist + year, newest first, with how many reports each has."""
    query = (
        select(ReportRow.checklist, ReportRow.checklist_title, ReportRow.year, func.count(ReportRow.id))
        .where(ReportRow.state == "done")
        .group_by(ReportRow.checklist, ReportRow.checklist_title, ReportRow.year)
        .order_by(ReportRow.year.desc().nulls_last(), ReportRow.checklist)
    )
    return [
        {"checklist": c, "checklist_title": t, "year": y, "reports": n} for c, t, y, n in session.execute(query).all()
    ]


def pass_rates(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per rule: how many reports (newest version of each family) have each status, and the pass rate."""
    rows = session.execute(_latest(select(ReportRow.statuses), filters).where(ReportRow.state == "done")).scalars()
    tally: dict[str, dict[str, int]] = {}
    for statuses in rows:
        for rule_id, status in (statuses or {}).items():
            counts = tally.setdefault(rule_id, {})
            counts[status] = counts.get(status, 0) + 1
    out = []
    for rule_id in sorted(tally):
        counts = tally[rule_id]
        applicable = sum(n for s, n in counts.items() if s != Status.not_applicable.value)
        met = counts.get(Status.met.value, 0)
        out.append(
            {"rule_id": rule_id, "counts": counts, "pass_rate": round(met / applicable, 4) if applicable else None}
        )
    return out


def _latest(query: Any, filters: Filters) -> Any:
    """Only the newest version of each family (a report without family counts alone)."""
    if filters.checklist:
        query = query.where(ReportRow.checklist == filters.checklist)
    if filters.year is not None:
        query = query.where(ReportRow.year == filters.year)
    if filters.level:
        query = query.where(ReportRow.level == filters.level)
    superseded = select(ReportRow.previous_id).where(ReportRow.previous_id.is_not(None))
    return query.where(ReportRow.id.not_in(superseded))


# ------------------------------------------------------------------ decisions export


def decisions(session: Session, filters: Filters) -> dict[str, Any]:
    """Every decision on the newest version of each report, in the file format that
    ``auditor check --decisions`` reads (YAML or JSON)."""
    query = _latest(select(ReportRow, ReviewRow).join(ReviewRow, ReviewRow.report_id == ReportRow.id), filters)
    out = []
    for report, review in session.execute(query.order_by(ReportRow.id, ReviewRow.rule_id)).all():
        out.append(
            {
                "rule": review.rule_id,
                "unit": report.unit,
                "year": report.year,
                "checklist": report.checklist,
                "sha256": report.sha256,
                "fingerprint": review.fingerprint,
                "decision": review.decision,
                "status": review.status,
                "comment": review.comment,
                "reviewer": review.reviewer,
                "at": review.at,
            }
        )
    return {"decisions": out}


def ids(rows: Sequence[Any]) -> list[int]:
    return [r.id for r in rows]
