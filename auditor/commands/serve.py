"""``auditor serve``: the workbench (a local web app, issue 15) served by uvicorn.

Binds to 127.0.0.1 by default with no login; any other address needs a token (``--token`` or
``AUDITOR_TOKEN``), else the command refuses to start (exit 2). Everything the app needs is
imported here, lazily, so ``auditor --help`` stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from auditor.config import available_cores, bounded_jobs
from auditor.errors import UsageError

DEFAULT_DATA = "auditor-data"


@dataclass(frozen=True)
class ServeArgs:
    host: str = "127.0.0.1"
    port: int = 8765
    data: str | None = None
    db: str | None = None
    token: str | None = None
    jobs: int | None = None
    open_browser: bool = False
    max_file_mb: int = 50


def settings_of(args: ServeArgs) -> object:
    """The app's Settings; :class:`UsageError` (exit 2, one line) for a start the rules forbid."""
    from auditor.workbench.settings import MB, Settings, is_loopback

    token = args.token or os.environ.get("AUDITOR_TOKEN") or None
    if not is_loopback(args.host) and not token:
        raise UsageError(
            f"拒绝在非本机地址 {args.host} 上无令牌启动工作台",
            hint="请用 --token 或环境变量 AUDITOR_TOKEN 设置访问令牌，或去掉 --host 只在本机使用",
        )
    if token is not None and len(token) < 8:
        raise UsageError(
            "访问令牌过短（至少 8 个字符）",
            hint="例如用 python -c 'import secrets; print(secrets.token_urlsafe())' 生成",
        )
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} 不是有效端口", hint="1–65535，默认 8765")
    if args.max_file_mb < 1:
        raise UsageError("--max-file-mb 须至少为 1")
    if args.db and not args.db.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        raise UsageError(f"不支持的数据库地址 {args.db!r}", hint="用 postgresql://用户@主机/库名 或 sqlite:///路径")
    data = Path(args.data or DEFAULT_DATA).expanduser().resolve()
    if data.exists() and not data.is_dir():
        raise UsageError(f"{data}: 数据目录不是文件夹", hint="--data 须为一个文件夹（不存在时自动创建）")
    return Settings(
        data=data,
        host=args.host,
        port=args.port,
        db_url=args.db,
        token=token,
        jobs=bounded_jobs(args.jobs, available_cores()),
        max_file_bytes=args.max_file_mb * MB,
        open_browser=args.open_browser,
    )


def _check_port(host: str, port: int) -> None:
    """A port that cannot be bound is the user's to change: one line, exit 2 (before any set-up)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(
                f"无法监听 {host}:{port}（{exc.strerror or exc}）", hint="端口可能已被占用，请换一个 --port"
            ) from exc


def run_serve(args: ServeArgs) -> int:
    import sys

    import uvicorn

    from auditor.workbench.app import create_app
    from auditor.workbench.settings import Settings

    settings = settings_of(args)
    assert isinstance(settings, Settings)
    _check_port(settings.host, settings.port)
    try:
        app = create_app(settings)
    except OSError as exc:
        raise UsageError(f"{settings.data}: 无法使用数据目录（{exc.strerror or exc}）") from exc
    except Exception as exc:
        if "sqlalchemy" in type(exc).__module__ or "psycopg" in type(exc).__module__:
            raise UsageError(f"无法连接数据库（{type(exc).__name__}）", hint="请检查 --db 地址、用户和权限") from exc
        raise
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{settings.port}/"
    sys.stderr.write(f"auditor: 核查工作台 {url}（数据目录 {settings.data}；按 Ctrl-C 停止）\n")
    if settings.open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", proxy_headers=False)
    server = uvicorn.Server(config)
    try:
        server.run()
    except (OSError, SystemExit) as exc:  # uvicorn exits when it cannot bind after all
        if server.started:
            raise
        raise UsageError(f"无法监听 {settings.host}:{settings.port}", hint="端口可能已被占用，请换一个 --port") from exc
    return 0
