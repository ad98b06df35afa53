"""Background auditing: one bad report costs only itself — an unreadable file is its own error
entry, and a report whose worker process dies gets an error entry while the others are audited."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from auditor.workbench import db, store
from auditor.workbench.jobs import CRASHED, Runner, audit_blob
from tests.workbench.conftest import SEEDS


def crash_on_marker(blob: str, suffix: str) -> bytes:
    """The real audit, except that a file starting with CRASH kills its worker process."""
    if Path(blob).read_bytes().startswith(b"CRASH"):
        os._exit(1)
    return audit_blob(blob, suffix)


def _runner(tmp_path: Path, checklists: list[Any], work: Any = audit_blob) -> tuple[Runner, Any]:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    db.migrate(engine)
    sessions = db.sessions(engine)
    return Runner(sessions, tmp_path / "blobs", checklists, 2, work=work), sessions


def _add(sessions: Any, tmp_path: Path, files: list[tuple[str, bytes]]) -> list[int]:
    with sessions() as session:
        ids = [store.add_upload(session, tmp_path / "blobs", name, data)[0].id for name, data in files]
        session.commit()
    return ids


def test_unreadable_files_are_their_own_error_entries(tmp_path: Path, checklists: list[Any]) -> None:
    runner, sessions = _runner(tmp_path, checklists)
    files = [
        (SEEDS[0].name, SEEDS[0].read_bytes()),
        ("损坏.pdf", b"%PDF-1.7\n" + os.urandom(4000)),
        ("假的.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("二进制.txt", bytes(range(256)) * 40),
        (SEEDS[1].name, SEEDS[1].read_bytes()),
    ]
    ids = _add(sessions, tmp_path, files)
    runner.start()
    try:
        assert runner.wait_idle(120)
    finally:
        runner.stop()
    with sessions() as session:
        rows = [store.get(session, i) for i in ids]
        assert [r.state for r in rows] == ["done", "error", "error", "error", "done"]
        for row in rows[1:4]:
            data = orjson.loads(row.result)
            assert data["error"] == row.error and data["error_code"] == "unreadable"
        assert all(r.attempts == 1 for r in rows)


def test_a_report_that_kills_its_worker_costs_only_itself(tmp_path: Path, checklists: list[Any]) -> None:
    runner, sessions = _runner(tmp_path, checklists, crash_on_marker)
    files = [(s.name, s.read_bytes()) for s in SEEDS[:4]]
    files.insert(2, ("致命.txt", b"CRASH " + SEEDS[0].read_bytes()))
    ids = _add(sessions, tmp_path, files)
    runner.start()
    try:
        assert runner.wait_idle(180)
    finally:
        runner.stop()
    with sessions() as session:
        rows = [store.get(session, i) for i in ids]
        assert [r.state for r in rows] == ["done", "done", "error", "done", "done"]
        assert rows[2].error == CRASHED and rows[2].attempts == 2


def test_reports_left_queued_or_running_are_audited_at_the_next_start(tmp_path: Path, checklists: list[Any]) -> None:
    runner, sessions = _runner(tmp_path, checklists)
    ids = _add(sessions, tmp_path, [(SEEDS[0].name, SEEDS[0].read_bytes()), (SEEDS[1].name, SEEDS[1].read_bytes())])
    with sessions() as session:
        store.mark_running(session, ids[0])  # the server stopped while it was being audited
        session.commit()
    runner.start()
    try:
        assert runner.wait_idle(120)
    finally:
        runner.stop()
    with sessions() as session:
        assert [store.get(session, i).state for i in ids] == ["done", "done"]
