"""The workbench's guard (one ASGI middleware, checks in this order):

1. **Host** (DNS rebinding): the ``Host`` header must name localhost/loopback or the bound
   address (any name when bound to every interface, where the token guards) → else 421.
2. **Token**: when the app has one (required beyond loopback), every request but ``/healthz``
   and ``/login`` needs ``Authorization: Bearer <token>`` or the ``auditor_token`` cookie set by
   ``/login`` → else 401.
3. **Origin**: a state-changing request (POST/PUT/PATCH/DELETE) whose ``Origin`` is not the
   app's own, or that a browser marks ``Sec-Fetch-Site: cross-site``, → 403.
4. **CSRF** (double-submit cookie): a state-changing request from a browser (browsers send
   ``Origin`` or ``Sec-Fetch-Site`` with every POST), every url-encoded or text/plain post and
   every multipart post outside ``/api/`` (what an HTML form can send) must carry the
   ``auditor_csrf`` cookie's value in ``X-CSRF-Token``, a ``csrf_token`` form field
   (url-encoded forms) or query parameter → else 403. A script or ``curl`` that sends no
   ``Origin`` uses the API (JSON, multipart uploads) without one; so does a request with a
   valid bearer token.
5. **Size**: a body over the request limit → 413 (per-file limits are the upload handler's).

Every response gets the CSP and the other protective headers; pages get the CSRF cookie.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from auditor.workbench.settings import Settings, is_loopback

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "auditor_csrf"
TOKEN_COOKIE = "auditor_token"
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/healthz", "/login"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer makes Chromium send "Origin: null" on forms
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
MAX_FORM_BYTES = 1024 * 1024  # a url-encoded form read here for its CSRF field


def csrf_token(scope: Scope) -> str:
    """The CSRF token of this request (pages put it in their forms); set by the middleware."""
    return str(scope.get("state", {}).get("csrf_token", ""))


class Guard:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers.get("cookie", ""))
        host = headers.get("host", "")
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        if not self._host_ok(host):
            await _refuse(send, 421, "请求的主机名不是本工作台的地址（为防 DNS 重绑定攻击已拒绝）")
            return
        if self.settings.token and path not in OPEN_PATHS and not self._authorised(headers, cookies):
            await _refuse(send, 401, "需要令牌：请在请求头加 Authorization: Bearer <令牌>，或在 /login 登录", auth=True)
            return
        token = cookies.get(CSRF_COOKIE) or ""
        fresh = not _valid_token(token)
        if fresh:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        if method in UNSAFE:
            origin = headers.get("origin")
            if (origin is not None and not self._same_origin(origin, host, scope)) or headers.get(
                "sec-fetch-site"
            ) == "cross-site":
                await _refuse(send, 403, "拒绝来自其他网站的请求（Origin 不符）")
                return
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.settings.max_request_bytes:
                await _refuse(send, 413, "上传内容过大")
                return
            if self._needs_csrf(headers, path):
                receive, supplied = await self._supplied_csrf(scope, headers, receive)
                if fresh or not supplied or not hmac.compare_digest(supplied, token):
                    await _refuse(send, 403, "缺少或错误的 CSRF 令牌，请刷新页面后重试")
                    return
            receive = _limited(receive, self.settings.max_request_bytes)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                names = {k.lower() for k, _ in out}
                out.extend((k, v) for k, v in HEADERS if k not in names)
                if fresh:
                    out.append((b"set-cookie", _cookie(CSRF_COOKIE, token, http_only=False)))
                message["headers"] = out
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except RequestTooLarge:
            await _refuse(send, 413, "上传内容过大")

    def _needs_csrf(self, headers: dict[str, str], path: str) -> bool:
        """Browsers (they send ``Origin`` or ``Sec-Fetch-Site`` with a POST) and anything an HTML
        form could send need the CSRF token: url-encoded and text/plain bodies everywhere (no API
        call takes them), multipart outside the API. A bearer token cannot be forged by another
        site, so a request carrying a valid one needs none."""
        if self.settings.token and self._bearer(headers):
            return False
        if "origin" in headers or "sec-fetch-site" in headers:
            return True
        kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind in ("application/x-www-form-urlencoded", "text/plain"):
            return True
        return kind == "multipart/form-data" and not path.startswith("/api/")

    def _host_ok(self, host: str) -> bool:
        name = _host_name(host)
        if not name:
            return False
        if is_loopback(name):
            return True
        bound = self.settings.host.strip("[]").lower()
        return name == bound or bound in ("0.0.0.0", "::", "")

    def _bearer(self, headers: dict[str, str]) -> bool:
        expected = (self.settings.token or "").encode()
        auth = headers.get("authorization", "")
        return auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip().encode(), expected)

    def _authorised(self, headers: dict[str, str], cookies: dict[str, str]) -> bool:
        if self._bearer(headers):
            return True
        cookie = cookies.get(TOKEN_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), (self.settings.token or "").encode())

    @staticmethod
    def _same_origin(origin: str, host: str, scope: Scope) -> bool:
        parts = urlsplit(origin)
        scheme = scope.get("scheme", "http")
        return parts.scheme == scheme and parts.netloc.lower() == host.lower() and not parts.path

    async def _supplied_csrf(self, scope: Scope, headers: dict[str, str], receive: Receive) -> tuple[Receive, str]:
        """The CSRF token the request carries (header, query, or url-encoded form field) and a
        ``receive`` that replays a body read here."""
        if headers.get(CSRF_HEADER.decode()):
            return receive, headers[CSRF_HEADER.decode()]
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get(CSRF_FIELD):
            return receive, query[CSRF_FIELD][0]
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return receive, ""
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_FORM_BYTES:
                return receive, ""
        fields = parse_qs(body.decode("utf-8", "replace"))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay, (fields.get(CSRF_FIELD) or [""])[0]


class RequestTooLarge(Exception):
    """Raised by ``receive`` once a body passes the request limit (answered 413 by the guard)."""


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise RequestTooLarge
        return message

    return counted


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(raw: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return {}
    return {k: m.value for k, m in jar.items()}


def _valid_token(token: str) -> bool:
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookie(name: str, value: str, *, http_only: bool) -> bytes:
    flags = "; Path=/; SameSite=Strict" + ("; HttpOnly" if http_only else "")
    return f"{name}={value}{flags}".encode()


def token_cookie(token: str) -> bytes:
    return _cookie(TOKEN_COOKIE, token, http_only=True)


async def _refuse(send: Send, status: int, message: str, *, auth: bool = False) -> None:
    import json

    body = json.dumps({"error": message, "status": status}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers.extend(HEADERS)
    if auth:
        headers.append((b"www-authenticate", b'Bearer realm="auditor"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
