"""``create_app(settings)``: the workbench's ASGI app — database (migrated at start), job
runner, JSON API, the pages (``auditor.workbench.pages``, when present) and the guard.

``app.state`` holds what the routes use: ``settings``, ``engine``, ``sessions`` (a
sessionmaker), ``runner`` (jobs), ``checklists`` (id → bundled checklist), ``templates``
(Jinja2, ``auditor/workbench/templates``; the CSRF token is ``csrf_token(request)``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auditor.workbench.security import ASGIApp, Guard, Message, Receive, Scope, Send, csrf_token, token_cookie
from auditor.workbench.settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def create_app(settings: Settings, *, start_jobs: bool = True) -> Any:
    """The app; with ``start_jobs`` False the runner starts with the app's lifespan only when
    asked (tests that only read may skip the worker pool)."""
    from auditor.pipeline import Options, load_for
    from auditor.workbench import api, db
    from auditor.workbench.jobs import Runner

    settings.data.mkdir(parents=True, exist_ok=True)
    settings.blob_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.database_url)
    db.migrate(engine)
    sessions = db.sessions(engine)
    checklists = load_for(Options())
    runner = Runner(sessions, settings.blob_dir, checklists, settings.jobs)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        if start_jobs:
            runner.start()
        try:
            yield
        finally:
            if start_jobs:
                runner.stop()
            engine.dispose()

    app = FastAPI(title="auditor workbench", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.runner = runner
    app.state.checklists = {c.id: c for c in checklists}
    app.state.templates = _templates()
    app.include_router(api.router)
    _login(app)
    if STATIC.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    from auditor.workbench import pages

    app.include_router(pages.router)
    _error_pages(app)
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(Timing)  # outermost: counts the guard too
    return app


def _error_pages(app: Any) -> None:
    """What a request that fails gets: for people a Chinese page, for the API its JSON error.

    A page that does not exist is 未找到; a :class:`store.StoreError` (no such report, a decision
    that cannot apply …) raised by any handler is answered here with its message and status."""
    from fastapi.exception_handlers import http_exception_handler
    from starlette.exceptions import HTTPException

    from auditor.workbench import api, pages
    from auditor.workbench.store import StoreError

    async def missing(request: Any, exc: Exception) -> Any:
        assert isinstance(exc, HTTPException)
        if exc.status_code != 404 or request.url.path.startswith("/api/"):
            return await http_exception_handler(request, exc)
        return pages.missing(request)

    async def refused(request: Any, exc: Exception) -> Any:
        assert isinstance(exc, StoreError)
        if request.url.path.startswith("/api/"):
            return api.error(str(exc), exc.status)
        return pages.not_found(request, str(exc), exc.status)

    app.add_exception_handler(HTTPException, missing)
    app.add_exception_handler(StoreError, refused)


def _templates() -> Any:
    from fastapi.templating import Jinja2Templates

    templates = Jinja2Templates(directory=TEMPLATES)
    return templates


def _login(app: FastAPI) -> None:
    """``/login``: a browser exchanges the token for an HttpOnly cookie (only with ``--token``)."""

    @app.get("/login")
    def login_form(request: Request) -> Response:
        from html import escape

        token = escape(csrf_token(request.scope))
        return HTMLResponse(
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>登录 · 核查工作台</title>'
            '<form method="post" action="/login"><label>访问令牌 <input name="token" type="password"></label>'
            f'<input type="hidden" name="csrf_token" value="{token}"><button>登录</button></form></html>'
        )

    @app.post("/login")
    async def login(request: Request) -> Response:
        import hmac

        form = await request.form()
        given = str(form.get("token") or "")
        expected = app.state.settings.token or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return HTMLResponse("<!doctype html><p>令牌不正确</p>", status_code=401)
        response = RedirectResponse("/", status_code=303)
        response.raw_headers.append((b"set-cookie", token_cookie(given)))
        return response


class Timing:
    """Every response says how long the server took (``Server-Timing: app;dur=…`` in ms)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - start) * 1000
                message["headers"] = [*message.get("headers", []), (b"server-timing", f"app;dur={ms:.1f}".encode())]
            await send(message)

        await self.app(scope, receive, send_timed)
