"""The JSON API (issue 15 item 5), which the pages use too. Stable like the CLI's JSON
contract: keys are added, never renamed or removed.

- ``GET /healthz`` → 200
- ``POST /api/reports`` (multipart, one or more ``file`` parts; a ``.zip`` brings its reports)
  → 201 ``{"reports": [{"id", "source", "state", "duplicate"}]}``
- ``GET /api/reports?checklist=&year=&level=&state=&unreviewed=&limit=&offset=`` → the ranking
- ``GET /api/reports/{id}`` → the report as ``auditor check --format json`` gives it, plus
  ``id``, ``state``, ``version`` and ``review`` on each finding (null when undecided), and
  ``comparison`` (as ``auditor check --previous`` gives it; null without last year's report
  in the store) with ``previous_year_id``
- ``GET /api/reports/{id}/revision`` → fixed / broken / changed rules, kept / stale decisions
- ``GET /api/reports/{id}/file`` → the uploaded bytes
- ``POST /api/reports/{id}/findings/{rule_id}/review`` → 200 the stored review;
  ``DELETE`` the same path withdraws it
- ``POST /api/reaudit`` (``{}``, ``{"checklist", "year"}`` or ``{"ids": [...]}``) → 202 the reports queued
  to be audited again by the running tool: every result of an earlier version (of that season), or the
  reports named (``{"reports": [{"id", "source", "state"}], "audited_with"}``)
- ``GET /api/seasons``, ``GET /api/rates?checklist=&year=&level=``
- ``GET /api/decisions?format=json|yaml&checklist=&year=&level=`` → the decisions file that
  ``auditor check --decisions`` reads
"""

from __future__ import annotations

import errno
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from auditor.workbench import blobs, store, yoy
from auditor.workbench.security import RequestTooLarge
from auditor.workbench.store import Filters, StoreError

router = APIRouter()
ZIP_SUFFIX = ".zip"
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_TOTAL = 200 * 1024 * 1024  # bytes unpacked from the archives of one request


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def error(message: str, status: int) -> Response:
    """The API's error object (also for a :class:`StoreError` a handler raises: see ``app.py``)."""
    return _json({"error": message, "status": status}, status)


#: uploads stored and committed together before they are queued (see _store_uploads)
UPLOAD_GROUP = 8


def _session(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


def _filters(request: Request) -> Filters:
    q = request.query_params
    year = q.get("year") or None
    if year is not None and not year.isdigit():
        raise StoreError("year 须为年份数字，如 2023", 400)
    return Filters(
        checklist=q.get("checklist") or None,
        year=int(year) if year else None,
        level=q.get("level") or None,
        state=q.get("state") or None,
        unreviewed=q.get("unreviewed") in ("1", "true", "yes"),
    )


def _int(value: str | None, default: int, top: int) -> int:
    if value is None or not value.isdigit():
        return default
    return min(int(value), top)


@router.get("/healthz")
def healthz() -> Response:
    return _json({"status": "ok"})


@router.post("/api/reports")
async def upload(request: Request) -> Response:
    settings = request.app.state.settings
    try:
        form = await request.form(max_files=settings.max_files, max_fields=100)
    except RequestTooLarge:
        raise  # the guard answers 413
    except Exception as exc:  # malformed multipart, too many parts
        status = 413 if "many" in str(exc).lower() else 400
        return error(f"无法解析上传内容：{str(exc)[:120]}", status)
    files = [f for f in form.getlist("file") if not isinstance(f, str)]
    if not files:
        return error("没有上传文件：请以 multipart 的 file 字段上传一个或多个报告", 400)
    for f in files:
        if (f.size or 0) > settings.max_file_bytes:
            name = store.display_name(f.filename or "")
            return error(f"文件过大：{name}（单个文件上限 {settings.max_file_bytes // (1024 * 1024)} MB）", 413)
    parts = [(str(f.filename or ""), await f.read()) for f in files]
    items = list(_expand(parts, settings.max_file_bytes, settings.max_files))
    try:
        out = await run_in_threadpool(_store_uploads, request, items)
    except OSError as exc:  # the data folder's disk is full or cannot be written
        return error(_unstored(exc), 507 if exc.errno in (errno.ENOSPC, errno.EDQUOT) else 500)
    return _json({"reports": out}, 201)


def _unstored(exc: OSError) -> str:
    from auditor.report.atomic import os_reason

    return (
        f"无法保存上传的文件（{os_reason(exc)}）：请清理服务器数据文件夹所在磁盘后重新上传；"
        "此前已保存的报告照常核查，重新上传时显示为重复"
    )


def _store_uploads(request: Request, items: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """Store every upload (blob + row), :data:`UPLOAD_GROUP` at a time: each group is committed and
    queued for auditing at once, so the workers start on the first reports while the rest are stored
    (each blob is synced to disk before its row is committed). Should storing fail part-way, the groups
    already committed stay stored and queued: uploading again shows them as duplicates."""
    out = []
    runner, root = request.app.state.runner, request.app.state.settings.blob_dir
    for start in range(0, len(items), UPLOAD_GROUP):
        group = items[start : start + UPLOAD_GROUP]
        # the blobs synced before the transaction, which then holds the write lock briefly
        stored = [(name, data, blobs.put(root, data)) for name, data in group]
        queue = []
        with runner.writing() as session:
            for name, data, sha in stored:
                row, created = store.add_upload(session, root, name, data, sha)
                out.append({"id": row.id, "source": row.source, "state": row.state, "duplicate": not created})
                if created:
                    queue.append(row.id)
            session.commit()
        for report_id in queue:
            runner.submit(report_id)
    return out


def _expand(parts: list[tuple[str, bytes]], max_bytes: int, max_files: int) -> Iterator[tuple[str, bytes]]:
    """The uploaded files, a ``.zip`` replaced by the reports in it (by name only; their paths
    inside the archive are dropped)."""

    count = total = 0
    for name, data in parts:
        if not name.lower().endswith(ZIP_SUFFIX):
            count += 1
            yield name, data
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in archive.infolist() if not m.is_dir()][:MAX_ZIP_MEMBERS]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise StoreError(f"压缩包无法打开：{store.display_name(name)}", 400) from exc
        for member in members:
            base = store.display_name(member.filename)
            if "__MACOSX" in member.filename or base.startswith("."):
                continue
            if store.report_suffix(base) == "":
                continue
            if member.file_size > max_bytes:
                raise StoreError(f"压缩包中的文件过大：{base}", 413)
            count += 1
            if count > max_files:
                raise StoreError(f"一次最多上传 {max_files} 个报告", 413)
            with archive.open(member) as handle:
                body = handle.read(max_bytes + 1)
            total += len(body)
            if len(body) > max_bytes or total > MAX_ZIP_TOTAL:
                raise StoreError(f"压缩包中的文件过大：{base}", 413)
            yield base, body


@router.get("/api/reports")
def list_reports(request: Request) -> Response:
    filters = _filters(request)
    limit = _int(request.query_params.get("limit"), 1000, 10000)
    offset = _int(request.query_params.get("offset"), 0, 10**9)
    with _session(request) as session:
        rows = store.list_reports(session, filters, limit, offset)
        total = store.count_reports(session, filters)
        stamp = request.app.state.runner.stamp
        return _json({"reports": [store.summary(r, stamp) for r in rows], "total": total})


@router.get("/api/reports/{report_id}")
def get_report(request: Request, report_id: int) -> Response:
    with _session(request) as session:
        row = store.get(session, report_id)
        state = request.app.state
        data = store.report_object(session, row, state.runner.stamp)
        data = yoy.attach(session, row, data, state.settings.blob_dir, state.checklists)
        session.commit()  # the comparison, computed on first view, is kept
        return _json(data)


@router.get("/api/reports/{report_id}/revision")
def get_revision(request: Request, report_id: int) -> Response:
    with _session(request) as session:
        row = store.get(session, report_id)
        return _json(store.revision(session, row))


@router.get("/api/reports/{report_id}/file")
def get_file(request: Request, report_id: int) -> Response:
    from urllib.parse import quote

    from auditor.workbench import blobs

    with _session(request) as session:
        row = store.get(session, report_id)
        data = blobs.read(request.app.state.settings.blob_dir, row.sha256)
        disposition = f"attachment; filename=\"report{row.suffix}\"; filename*=UTF-8''{quote(row.source)}"
        return Response(data, media_type="application/octet-stream", headers={"content-disposition": disposition})


@router.post("/api/reports/{report_id}/findings/{rule_id}/review")
async def post_review(request: Request, report_id: int, rule_id: str) -> Response:
    try:
        payload = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return error('请求体须为 JSON：{"decision", "status", "comment", "reviewer"}', 400)
    if not isinstance(payload, dict):
        return error("请求体须为 JSON 对象", 400)
    response: Response = await run_in_threadpool(_review, request, report_id, rule_id, payload)
    return response


def _review(request: Request, report_id: int, rule_id: str, payload: dict[str, Any]) -> Response:
    with _session(request) as session:
        row = store.get(session, report_id)
        review = store.record_review(session, row, rule_id, payload, request.app.state.checklists)
        session.commit()
        return _json(
            {
                "review": review.to_json(),
                "reviewed_score": row.reviewed_score,
                "reviewed_grade": row.reviewed_grade,
                "unreviewed": row.unreviewed,
            }
        )


@router.delete("/api/reports/{report_id}/findings/{rule_id}/review")
def delete_review(request: Request, report_id: int, rule_id: str) -> Response:
    with _session(request) as session:
        row = store.get(session, report_id)
        store.delete_review(session, row, rule_id, request.app.state.checklists)
        session.commit()
        return _json({"review": None, "reviewed_score": row.reviewed_score})


MAX_REAUDIT_IDS = 10000


@router.post("/api/reaudit")
async def post_reaudit(request: Request) -> Response:
    body = await request.body()
    try:
        payload = orjson.loads(body) if body.strip() else {}
    except orjson.JSONDecodeError:
        return error('请求体须为 JSON：{}、{"checklist", "year"} 或 {"ids": [报告编号]}', 400)
    if not isinstance(payload, dict):
        return error("请求体须为 JSON 对象", 400)
    response: Response = await run_in_threadpool(_reaudit, request, payload)
    return response


def reaudit_targets(payload: dict[str, Any]) -> tuple[list[int] | None, store.SeasonKey | None]:
    """What a re-audit request names: report ids (audited again whatever audited them), else a season or
    nothing (its, or every, result of an earlier version). A request that cannot be read is a StoreError."""
    unknown = sorted(set(payload) - {"ids", "checklist", "year"})
    if unknown:
        raise StoreError(f"不认识的字段：{'、'.join(unknown)}（可用 ids，或 checklist 和 year）", 422)
    if "ids" in payload:
        ids = payload["ids"]
        if set(payload) != {"ids"}:
            raise StoreError("ids 不能与 checklist、year 同时使用", 422)
        if not isinstance(ids, list) or not all(type(i) is int for i in ids) or len(ids) > MAX_REAUDIT_IDS:
            raise StoreError(f"ids 须为报告编号（整数）的列表，至多 {MAX_REAUDIT_IDS} 个", 422)
        return ids, None
    if "year" in payload and "checklist" not in payload:
        raise StoreError("指定 year 时须同时指定 checklist", 422)
    if "checklist" not in payload:
        return None, None
    checklist, year = payload["checklist"], payload.get("year")
    if not isinstance(checklist, str) or not checklist or (year is not None and type(year) is not int):
        raise StoreError("checklist 须为核查清单编号，year 须为整数年度或 null", 422)
    return None, store.SeasonKey(checklist, year)


def _reaudit(request: Request, payload: dict[str, Any]) -> Response:
    ids, season = reaudit_targets(payload)
    runner = request.app.state.runner
    rows = runner.audit_again(ids, season)
    queued = [{"id": r.id, "source": r.source, "state": r.state} for r in rows]
    return _json({"reports": queued, "audited_with": runner.stamp}, 202)


@router.get("/api/seasons")
def get_seasons(request: Request) -> Response:
    with _session(request) as session:
        return _json({"seasons": store.seasons(session)})


@router.get("/api/rates")
def get_rates(request: Request) -> Response:
    filters = _filters(request)
    with _session(request) as session:
        return _json({"rules": store.pass_rates(session, filters)})


@router.get("/api/decisions")
def get_decisions(request: Request) -> Response:
    filters = _filters(request)
    with _session(request) as session:
        data = store.decisions(session, filters)
    if request.query_params.get("format") in ("yaml", "yml"):
        import yaml

        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
        return Response(
            body,
            media_type="application/yaml; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="decisions.yaml"'},
        )
    return JSONResponse(data, headers={"content-disposition": 'attachment; filename="decisions.json"'})
