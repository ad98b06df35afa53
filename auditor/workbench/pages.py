"""The workbench's Chinese pages (server-rendered, Jinja2 with autoescape) and their exports.

Every page works without JavaScript; the one script (``static/upload.js``) adds drag and drop
and live progress on the upload page through the JSON API. Forms carry the CSRF token (as a
field, or in the action's query for a multipart upload, which the guard does not parse).

- ``/`` seasons (checklist + year) with their counts; uploads still being audited
- ``/seasons/{checklist}/{year}`` the ranking, filters by level, status and 未复核的待复核
- ``/seasons/{checklist}/{year}/rules`` per-rule pass rates
- ``/seasons/{checklist}/{year}/export.{xlsx,csv,json}``, ``scorecards.{html,pdf}``, ``decisions.{json,yaml}``
- ``/reports/{id}`` the scorecard with evidence, both scores and a review form on every finding
- ``/reports/{id}/findings/{rule_id}/review`` (POST, form) records a decision
- ``/reports/{id}/versions`` the report's versions: what each revision fixed and broke, stale decisions
- ``/reports/{id}/scorecard.{html,pdf}`` one report's printable scorecard
- ``/upload`` the upload form (GET), its no-JS post (POST) and the progress of an upload
- ``/reaudit`` (POST, form) audits again, with the running tool, the results of an earlier version: every
  one, a season's (``checklist``, ``year``) or one report (``report``, whatever audited it)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from auditor.report.labels import format_score
from auditor.workbench import exports, store, views, yoy
from auditor.workbench.security import csrf_token
from auditor.workbench.store import Filters, StoreError

if TYPE_CHECKING:
    from jinja2 import Environment

    from auditor.checklist import Checklist
    from auditor.result import Report
    from auditor.workbench.db import ReportRow

router = APIRouter()
HERE: Final = Path(__file__).resolve().parent
REVIEWER_COOKIE: Final = "auditor_reviewer"
MAX_LIST: Final = 5000


def environment() -> Environment:
    """Our templates first, then the scorecard's (its chart and evidence macros are reused)."""
    from auditor.report.htmlpage import environment as scorecard_environment

    return scorecard_environment(HERE / "templates")


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    from auditor import __version__

    context.setdefault("flash", "")
    context.setdefault("flash_kind", "ok")
    context.setdefault("nav", "")
    html = (
        environment()
        .get_template(template)
        .render(csrf_token=csrf_token(request.scope), tool=f"auditor {__version__}", **context)
    )
    return HTMLResponse(html, status_code=status)


def _session(request: Request) -> Session:
    session: Session = request.app.state.sessions()
    return session


def missing(request: Request) -> HTMLResponse:
    """The page for an address the workbench does not have."""
    return not_found(request, "没有这个页面。（提示：从首页进入各季度和报告）")


def not_found(request: Request, message: str, status: int = 404) -> HTMLResponse:
    """A Chinese page saying what is not there (also for a :class:`StoreError`: see ``app.py``)."""
    return _page(request, "message.html", status, page_title="未找到", heading="未找到", message=message)


# ------------------------------------------------------------------ seasons


def _listed(session: Session, filters: Filters, limit: int = MAX_LIST) -> list[views.Line]:
    """``store.list_reports`` (its summary columns) with what the pages also show: the
    checklist's title, the report's title, its family and when it was uploaded."""
    from sqlalchemy import select

    from auditor.workbench.db import ReportRow

    rows = store.list_reports(session, filters, limit=limit)
    extra_columns = (ReportRow.id, ReportRow.checklist_title, ReportRow.title, ReportRow.family, ReportRow.uploaded_at)
    extra: dict[int, Any] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        query = select(*extra_columns).where(ReportRow.id.in_(ids[start : start + 500]))
        extra.update((e.id, e) for e in session.execute(query))
    return [views.line(r._asdict(), extra[r.id]._asdict()) for r in rows if r.id in extra]


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    with _session(request) as session:
        rows = _listed(session, Filters(), limit=MAX_LIST)
        outdated = len(store.outdated(session, request.app.state.runner.stamp))
    groups: dict[tuple[str, int | None], list[views.Line]] = {}
    titles: dict[str, str | None] = {}
    for row in rows:
        if row.state == "done" and row.checklist:
            groups.setdefault((row.checklist, row.year), []).append(row)
            titles.setdefault(row.checklist, row.checklist_title)
    seasons = [
        views.season(checklist, titles.get(checklist), year, members)
        for (checklist, year), members in sorted(groups.items(), key=lambda kv: (-(kv[0][1] or 0), kv[0][0]))
    ]
    pending = [views.pending(r) for r in sorted(rows, key=lambda r: r.id) if r.state != "done"]
    return _page(
        request,
        "home.html",
        page_title="核查季度",
        nav="home",
        seasons=seasons,
        pending=pending,
        poll_ids=[p.id for p in pending if p.state in ("queued", "running")],
        outdated=outdated,
        reaudit_fields=[],
    )


def _season_rows(session: Session, checklist: str, year: int | None) -> list[views.Line]:
    rows = _listed(session, Filters(checklist=checklist, year=year), limit=MAX_LIST)
    return [r for r in rows if r.year == year]  # a season without a year holds only those


def _season_or_none(request: Request, checklist: str, year_text: str) -> tuple[views.Season, list[views.Line]] | None:
    try:
        year = views.parse_year(year_text)
    except ValueError:
        return None
    with _session(request) as session:
        rows = _season_rows(session, checklist, year)
    done = [r for r in rows if r.state == "done"]
    if not done:
        return None
    return views.season(checklist, done[0].checklist_title, year, rows), rows


@router.get("/seasons/{checklist}/{year}", response_class=HTMLResponse)
def season_page(request: Request, checklist: str, year: str) -> HTMLResponse:
    found = _season_or_none(request, checklist, year)
    if found is None:
        return not_found(request, "没有这个季度的已核查报告。")
    season, rows = found
    filters = views.rank_filters(request.query_params)
    ranking = views.ranking(rows, filters)
    with _session(request) as session:
        outdated = store.outdated(session, request.app.state.runner.stamp, store.SeasonKey(checklist, season.year))
    return _page(
        request,
        "season.html",
        page_title=season.label,
        season=season,
        rows=ranking,
        filters=filters,
        levels=views.LEVEL_CHOICES,
        statuses=views.STATUS_CHOICES,
        outdated=len(outdated),
        reaudit_fields=[("checklist", checklist), ("year", year)],
    )


def _season_reports(request: Request, checklist: str, year: str) -> tuple[views.Season, list[Report]] | None:
    """The season's audited reports (newest version of each) with their decisions attached."""
    found = _season_or_none(request, checklist, year)
    if found is None:
        return None
    season, rows = found
    latest = sorted((r for r in views.latest_only(rows) if r.state == "done"), key=views.rank_key)
    with _session(request) as session:
        return season, _stored_reports(session, [r.id for r in latest], request.app.state.checklists)


def _stored_reports(session: Session, ids: Sequence[int], checklists: Mapping[str, Checklist]) -> list[Report]:
    """The typed reports of ``ids`` (in that order) with their decisions, reviewed score and
    cached comparison attached: two queries per 500 reports, not two per report."""
    from sqlalchemy import select

    from auditor.findings import Review
    from auditor.workbench.db import ReportRow, ReviewRow

    rows: dict[int, ReportRow] = {}
    reviews: dict[int, dict[str, Review]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows.update((r.id, r) for r in session.scalars(select(ReportRow).where(ReportRow.id.in_(chunk))))
        for review in session.scalars(select(ReviewRow).where(ReviewRow.report_id.in_(chunk))):
            reviews.setdefault(review.report_id, {})[review.rule_id] = Review.from_json(
                {k: getattr(review, k) for k in ("decision", "status", "comment", "reviewer", "at", "fingerprint")}
            )
    out = []
    for report_id in ids:
        row = rows.get(report_id)
        report = store.typed_report(row) if row is not None else None
        if row is not None and report is not None:
            checklist = checklists.get(row.checklist or "")
            out.append(exports.reviewed_report(report, reviews.get(report_id, {}), checklist, yoy.cached(row)))
    return out


@router.get("/seasons/{checklist}/{year}/rules", response_class=HTMLResponse)
def rules_page(request: Request, checklist: str, year: str) -> HTMLResponse:
    found = _season_or_none(request, checklist, year)
    if found is None:
        return not_found(request, "没有这个季度的已核查报告。")
    season, _rows = found
    with _session(request) as session:
        counted = store.pass_rates(session, Filters(checklist=checklist, year=season.year))
    known = request.app.state.checklists.get(checklist)
    titles = {r.id: r.title for r in known.rules} if known is not None else {}
    rates = views.rate_rows(counted, titles)
    return _page(request, "rules.html", page_title=f"{season.label} 通过率", season=season, rates=rates)


@router.get("/seasons/{checklist}/{year}/export.{fmt}")
def season_export(request: Request, checklist: str, year: str, fmt: str) -> Response:
    if fmt not in exports.TABLE_FORMATS:
        return not_found(request, "导出格式须为 xlsx、csv 或 json。")
    found = _season_reports(request, checklist, year)
    if found is None:
        return not_found(request, "没有这个季度的已核查报告。")
    season, reports = found
    body = exports.table(exports.batch(reports), fmt)
    return _download(body, fmt, season.label)


@router.get("/seasons/{checklist}/{year}/scorecards.{fmt}")
def season_scorecards(request: Request, checklist: str, year: str, fmt: str) -> Response:
    found = _season_reports(request, checklist, year)
    if found is None or fmt not in ("html", "pdf"):
        return not_found(request, "没有这个季度的已核查报告，或格式不是 html/pdf。")
    season, reports = found
    return _scorecards(request, reports, fmt, f"{season.label} 评分卡")


@router.get("/seasons/{checklist}/{year}/decisions.{fmt}")
def season_decisions(request: Request, checklist: str, year: str, fmt: str) -> Response:
    if fmt not in ("json", "yaml"):
        return not_found(request, "复核决定的格式须为 json 或 yaml。")
    try:
        year_value = views.parse_year(year)
    except ValueError:
        return not_found(request, "没有这个季度。")
    with _session(request) as session:
        data = store.decisions(session, Filters(checklist=checklist, year=year_value))
    return _download(exports.decisions_file(data, fmt), fmt, f"{checklist}-{year}-复核决定")


def _download(body: bytes, fmt: str, stem: str) -> Response:
    return Response(
        body, media_type=exports.MEDIA_TYPES[fmt], headers={"content-disposition": exports.filename(stem, fmt)}
    )


def _scorecards(request: Request, reports: Sequence[Report], fmt: str, stem: str) -> Response:
    from auditor.errors import AuditorError

    data = exports.batch(reports)
    if fmt == "html":  # shown in the browser, under the scorecard's own policy (inline styles only)
        headers = {"content-security-policy": exports.SCORECARD_POLICY}
        return HTMLResponse(exports.scorecards_html(data), headers=headers)
    try:
        body = exports.scorecards_pdf(data)
    except AuditorError as exc:
        return _page(request, "message.html", 501, page_title="无法生成 PDF", heading="无法生成 PDF", message=str(exc))
    return _download(body, "pdf", stem)


# ------------------------------------------------------------------ one report


def _carried(session: Session, row: ReportRow) -> set[str]:
    from sqlalchemy import select

    from auditor.workbench.db import ReviewRow

    query = select(ReviewRow.rule_id).where(ReviewRow.report_id == row.id, ReviewRow.carried_from.is_not(None))
    return set(session.scalars(query))


def _report_context(request: Request, session: Session, row: ReportRow) -> dict[str, Any]:
    state = request.app.state
    data = yoy.attach(session, row, store.report_object(session, row), state.settings.blob_dir, state.checklists)
    context: dict[str, Any] = {
        "id": row.id,
        "source": row.source,
        "state": row.state,
        "state_label": views.STATE_LABELS.get(row.state, row.state),
        "error": row.error or "",
        "version": row.version,
        "versions": len(_family(session, row)),
        "season": None,
        "page_title": row.unit or row.source,
        "settable": views.SETTABLE_CHOICES,
        "previous_year_id": data.get("previous_year_id") if data.get("comparison") else None,
        "outdated": store.is_outdated(row.state, row.audited_with, state.runner.stamp),
        "reaudit_fields": [("report", row.id)],
    }
    if row.checklist and row.state == "done":
        context["season"] = views.season(row.checklist, row.checklist_title, row.year)
    if row.state != "done":
        context.update(r={"unit": row.source})
        return context
    page = views.report_page(data, _carried(session, row))
    context.update(
        r=page.r,
        groups=page.groups,
        queue=page.queue,
        stale=page.stale,
        unreviewed=row.unreviewed,
        tool_tone=views.tone(row.score),
        reviewed={
            "score": format_score(row.reviewed_score),
            "grade": row.reviewed_grade or "—",
            "tone": views.tone(row.reviewed_score),
            "decided": page.decided,
        },
    )
    return context


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int) -> HTMLResponse:
    with _session(request) as session:
        row = store.get(session, report_id)
        context = _report_context(request, session, row)
        session.commit()  # the comparison, computed on first view, is kept
    return _page(request, "report.html", reviewer=unquote(request.cookies.get(REVIEWER_COOKIE, "")), **context)


@router.post("/reports/{report_id}/findings/{rule_id}/review", response_class=HTMLResponse)
async def review_form(request: Request, report_id: int, rule_id: str) -> Response:
    form = await request.form()
    payload = {k: str(form.get(k) or "") for k in ("decision", "status", "comment", "reviewer")}
    if payload["decision"] != "changed":
        payload["status"] = ""  # the form's 改判为 applies to 改判 only
    response: Response = await run_in_threadpool(_record_review, request, report_id, rule_id, payload)
    return response


def _record_review(request: Request, report_id: int, rule_id: str, payload: dict[str, str]) -> Response:
    """Store the form's decision (off the event loop) and go back to the finding."""
    reviewer = payload["reviewer"].strip()
    with _session(request) as session:
        try:
            row = store.get(session, report_id)
            if not reviewer:
                raise StoreError("请填写复核人姓名", 422)
            store.record_review(session, row, rule_id, payload, request.app.state.checklists)
        except StoreError as exc:
            session.rollback()
            if exc.status == 404:
                return not_found(request, str(exc))
            context = _report_context(request, session, store.get(session, report_id))
            message = f"{rule_id}：{exc}"
            return _page(
                request, "report.html", exc.status, reviewer=reviewer, flash=message, flash_kind="error", **context
            )
        session.commit()
    response = RedirectResponse(f"/reports/{report_id}#f-{quote(rule_id, safe='')}", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(reviewer[:100]), samesite="strict", httponly=True, max_age=86400 * 365)
    return response


@router.post("/reaudit", response_class=HTMLResponse)
async def reaudit_form(request: Request) -> Response:
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("report", "checklist", "year")}
    response: Response = await run_in_threadpool(_reaudit, request, fields)
    return response


def _reaudit(request: Request, fields: dict[str, str]) -> Response:
    """Queue the form's reports to be audited again (off the event loop), then show their progress: the
    report's page, or the list of reports being audited on the first page."""
    runner = request.app.state.runner
    if fields["report"]:
        if not fields["report"].isascii() or not fields["report"].isdigit():
            return not_found(request, "报告不存在")
        report_id = int(fields["report"])
        with _session(request) as session:
            store.get(session, report_id)  # 404 for no such report
        runner.audit_again([report_id])
        return RedirectResponse(f"/reports/{report_id}", status_code=303)
    season = None
    if fields["checklist"]:
        try:
            season = store.SeasonKey(fields["checklist"], views.parse_year(fields["year"]))
        except ValueError:
            return not_found(request, "没有这个季度。")
    runner.audit_again(season=season)
    return RedirectResponse("/#pending", status_code=303)


def _family(session: Session, row: ReportRow) -> list[views.Line]:
    if not row.family:
        return [views.line_of(row)]
    rows = _listed(session, Filters(family=row.family), limit=MAX_LIST)
    return sorted(rows, key=lambda r: (r.version, r.id))


@router.get("/reports/{report_id}/versions", response_class=HTMLResponse)
def versions_page(request: Request, report_id: int) -> HTMLResponse:
    with _session(request) as session:
        row = store.get(session, report_id)
        family = _family(session, row)
        titles = _titles(store.report_object(session, row))
        changes = [
            views.revision(store.revision(session, store.get(session, r.id)), titles)
            for r in family
            if r.previous_id is not None
        ]
        season = views.season(row.checklist, row.checklist_title, row.year) if row.checklist else None
        return _page(
            request,
            "versions.html",
            page_title=f"{row.unit or row.source} 版本",
            id=row.id,
            unit=row.unit or row.source,
            season=season,
            versions=[views.version_line(r) for r in family],
            changes=changes,
        )


def _titles(data: Mapping[str, Any]) -> dict[str, str]:
    return {str(f.get("rule_id")): str(f.get("title") or "") for f in data.get("findings") or ()}


@router.get("/reports/{report_id}/scorecard.{fmt}")
def report_scorecard(request: Request, report_id: int, fmt: str) -> Response:
    if fmt not in ("html", "pdf"):
        return not_found(request, "评分卡格式须为 html 或 pdf。")
    with _session(request) as session:
        row = store.get(session, report_id)
        report = store.typed_report(row)
        if report is None:
            return not_found(request, "这份报告还没有核查结果。", 409)
        state = request.app.state
        comparison, _ = yoy.comparison(session, row, state.settings.blob_dir, list(state.checklists.values()))
        checklist = state.checklists.get(row.checklist or "")
        reviewed = exports.reviewed_report(report, store.reviews_of(session, row.id), checklist, comparison)
        session.commit()  # a comparison computed here is kept
        stem = f"{row.unit or 'report'}-评分卡"
    return _scorecards(request, [reviewed], fmt, stem)


# ------------------------------------------------------------------ uploads


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    wanted = [int(s) for s in request.query_params.get("ids", "").split(",") if s.isdigit()][:500]
    pending = []
    if wanted:
        with _session(request) as session:
            for report_id in wanted:
                try:
                    pending.append(views.pending(views.line_of(store.get(session, report_id))))
                except StoreError:
                    continue
    settings = request.app.state.settings
    waiting = [p.id for p in pending if p.state in ("queued", "running")]
    return _page(
        request,
        "upload.html",
        page_title="上传报告",
        nav="upload",
        pending=pending,
        poll_ids=waiting,
        status_text=f"还有 {len(waiting)} 份在核查。" if waiting else ("全部核查完成。" if pending else ""),
        max_mb=settings.max_file_bytes // (1024 * 1024),
        max_files=settings.max_files,
    )


@router.post("/upload")
async def upload_form(request: Request) -> Response:
    """The upload form without JavaScript: the API's upload, then the progress page."""
    import orjson

    from auditor.workbench import api

    response = await api.upload(request)
    if response.status_code != 201:
        message = str(orjson.loads(bytes(response.body)).get("error") or "上传失败")
        return _page(
            request, "message.html", response.status_code, page_title="上传失败", heading="上传失败", message=message
        )
    ids = [str(r["id"]) for r in orjson.loads(bytes(response.body))["reports"]]
    return RedirectResponse("/upload?ids=" + ",".join(ids), status_code=303)


@router.get("/assets/scorecard.css")
def scorecard_css() -> Response:
    """The scorecard's stylesheet (``report/templates/style.css``): the workbench's look is the scorecard's."""
    from auditor.report.htmlpage import TEMPLATES

    css = (TEMPLATES / "style.css").read_bytes()
    return Response(css, media_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})
