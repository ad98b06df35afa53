"""Workbench fixtures: a throw-away PostgreSQL cluster (Debian's server binaries, started with
``initdb``/``pg_ctl`` in a temporary folder: unix socket there, a free TCP port on 127.0.0.1),
``db_url`` parametrized over SQLite and PostgreSQL, audited seed results and a test app.

Without the PostgreSQL binaries the PostgreSQL cases fail under CI (``CI`` set) and are skipped
elsewhere. PostgreSQL refuses to run as root: as root the cluster runs as the ``postgres`` user
(``runuser``)."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")) or sorted(Path("/work/shared/seeds").glob("*.txt"))
FIELD = sorted((ROOT.parent / "shared" / "field").glob("*.txt")) or sorted(Path("/work/shared/field").glob("*.txt"))
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _as_pg(user: str | None, cmd: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL server; yields its base URL (without a database name)."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        message = "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        try:
            import pwd

            pwd.getpwnam(user)
        except KeyError:
            pytest.fail("running as root but there is no 'postgres' user to run the PostgreSQL server as")
    base = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if user:
        shutil.chown(base, user)
        shutil.chown(sock, user)
    port = free_port()
    log = base / "log"
    try:
        subprocess.run(
            _as_pg(user, [str(bin_dir / "initdb"), "-D", str(data), "-U", "auditor", "-A", "trust", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        options = f"-k {sock} -p {port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            _as_pg(user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")[-500:]
        with contextlib.suppress(OSError):
            detail += log.read_text(errors="replace")[-500:]
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start a throw-away PostgreSQL: {detail}")
    try:
        yield f"postgresql+psycopg://auditor@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_pg(user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


_NAMES = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: SQLite in tmp_path, or a fresh database on the throw-away server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'auditor.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    import sqlalchemy

    name = f"t{os.getpid()}_{next(_NAMES)}"
    admin = sqlalchemy.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def checklists() -> list[Any]:
    from auditor.pipeline import Options, load_for

    return load_for(Options())


def audit_json(path: Path, checklists: list[Any]) -> bytes:
    """The report JSON for ``path``, as a worker makes it (``auditor check --format json`` per report)."""
    from auditor.pipeline import Options, audit_source, safe_encode

    return safe_encode(str(path), audit_source(str(path), Options(), checklists), False)[1]


def database_at(db_url: str, revision: str) -> Any:
    """An engine on ``db_url`` with the schema of migration ``revision`` and one finished report stored the
    way that schema had it (for the tests of the migrations after it)."""
    import sqlalchemy
    from alembic import command
    from alembic.config import Config

    from auditor.workbench.db import MIGRATIONS, make_engine

    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO reports (sha256, source, suffix, size, uploaded_at, state, attempts, counts, statuses,"
                " unreviewed, stale, version) VALUES ('ab', 'a.txt', '.txt', 3, CURRENT_TIMESTAMP, 'done', 1,"
                " '{}', '{}', 0, 0, 1)"
            )
        )
    return engine
