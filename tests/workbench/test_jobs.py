"""Background auditing: one bad report costs only itself — an unreadable file is its own error
entry, and a report whose worker process dies gets an error entry while the others are audited,
also when reports go to the workers in chunks (and their results are stored together)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.pipeline import Options, audit_source, safe_encode
from auditor.workbench import db, store
from auditor.workbench.jobs import CRASHED, Blob, Runner, audit_blobs, chunk_size
from tests.workbench.conftest import EXAMPLES, FIELD, ROOT, SEEDS


def crash_on_marker(items: list[Blob]) -> list[bytes]:
    """The real audit, except that a chunk holding a file that starts with CRASH kills its worker process."""
    if any(Path(blob).read_bytes().startswith(b"CRASH") for blob, _ in items):
        os._exit(1)
    return audit_blobs(items)


def counting(items: list[Blob]) -> list[bytes]:
    """The real audit, each chunk's size written down (``CHUNKS`` in the environment: a file)."""
    with Path(os.environ["CHUNKS"]).open("a") as out:
        out.write(f"{len(items)}\n")
    return audit_blobs(items)


def _runner(tmp_path: Path, checklists: list[Any], work: Any = audit_blobs, jobs: int = 2) -> tuple[Runner, Any]:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    db.migrate(engine)
    sessions = db.sessions(engine)
    return Runner(sessions, tmp_path / "blobs", checklists, jobs, work=work), sessions


def _many(n: int) -> list[tuple[str, bytes]]:
    """``n`` distinct real reports: the seeds, field reports and examples, each with a line of its own
    added (a stored upload is known by its content)."""
    files = [*SEEDS, *FIELD, *EXAMPLES]
    return [(f"{k:02d}-{f.name}", f.read_bytes() + f"\n附：第 {k} 份\n".encode()) for k, f in enumerate(files * n)][:n]


def _expected(tmp_path: Path, files: list[tuple[str, bytes]], checklists: list[Any]) -> list[Any]:
    """Each report as ``auditor check`` audits it alone, under its name (its findings and score)."""
    out = []
    for k, (name, data) in enumerate(files):
        path = tmp_path / "alone" / str(k) / name
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        body = orjson.loads(safe_encode(str(path), audit_source(str(path), Options(), checklists), False)[1])
        out.append((body.get("score"), body.get("findings"), body.get("error")))
    return out


def _got(row: Any) -> Any:
    body = orjson.loads(row.result)
    return body.get("score"), body.get("findings"), body.get("error")


def _run(runner: Runner, timeout: float) -> None:
    """Start the runner, wait until every queued report is stored, stop it."""
    runner.start()
    try:
        assert runner.wait_idle(timeout)
    finally:
        runner.stop()


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
    _run(runner, 120)
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
    _run(runner, 180)
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
    _run(runner, 120)
    with sessions() as session:
        assert [store.get(session, i).state for i in ids] == ["done", "done"]


def test_chunks_shrink_towards_the_end_of_a_batch() -> None:
    assert [chunk_size(n, 2) for n in (1, 7, 8, 16, 40, 64, 100, 1000)] == [1, 1, 1, 2, 5, 8, 8, 8]
    assert [chunk_size(n, 1) for n in (3, 4, 9, 40)] == [1, 1, 2, 8]


def test_reports_audited_in_chunks_are_those_audited_alone(
    tmp_path: Path, checklists: list[Any], monkeypatch: Any
) -> None:
    monkeypatch.setenv("CHUNKS", str(tmp_path / "chunks.txt"))
    files = _many(24)
    runner, sessions = _runner(tmp_path, checklists, counting, jobs=1)
    ids = _add(sessions, tmp_path, files)
    _run(runner, 300)
    sizes = [int(line) for line in (tmp_path / "chunks.txt").read_text().split()]
    assert sum(sizes) == len(files) and max(sizes) > 1  # chunks were formed, every report went once
    with sessions() as session:
        rows = [store.get(session, i) for i in ids]
        assert all(r.state == "done" and r.attempts == 1 for r in rows)
        assert [_got(r) for r in rows] == _expected(tmp_path, files, checklists)


def test_a_report_that_kills_its_worker_inside_a_chunk_costs_only_itself(tmp_path: Path, checklists: list[Any]) -> None:
    files = _many(20)
    files.insert(3, ("致命.txt", b"CRASH " + SEEDS[0].read_bytes()))
    runner, sessions = _runner(tmp_path, checklists, crash_on_marker, jobs=1)
    ids = _add(sessions, tmp_path, files)
    _run(runner, 300)
    with sessions() as session:
        rows = [store.get(session, i) for i in ids]
        assert [r.state for r in rows] == ["done"] * 3 + ["error"] + ["done"] * (len(files) - 4)
        assert rows[3].error == CRASHED and rows[3].attempts == 2
        again = [r for r in rows if r.attempts == 2 and r is not rows[3]]
        assert again, "the crashed chunk's other reports were audited again alone"
        good = files[:3] + files[4:]
        assert [_got(r) for r in rows[:3] + rows[4:]] == _expected(tmp_path, good, checklists)


def test_a_result_that_cannot_be_stored_is_the_only_error_of_its_chunk(
    tmp_path: Path, checklists: list[Any], monkeypatch: Any
) -> None:
    files = _many(16)
    runner, sessions = _runner(tmp_path, checklists, jobs=1)
    ids = _add(sessions, tmp_path, files)
    record = store.record_result

    def failing(session: Any, report_id: int, body: bytes, by_id: Any, stamp: str | None = None) -> Any:
        if report_id == ids[5]:
            raise RuntimeError("the database refused this row")
        return record(session, report_id, body, by_id, stamp)

    monkeypatch.setattr(store, "record_result", failing)
    _run(runner, 300)
    with sessions() as session:
        rows = [store.get(session, i) for i in ids]
        assert [r.state for r in rows] == ["done"] * 5 + ["error"] + ["done"] * 10
        assert rows[5].error == "保存审核结果时发生内部错误，其他报告不受影响"


def test_an_upload_is_audited_under_its_name_as_auditor_check_audits_the_file(
    tmp_path: Path, checklists: list[Any]
) -> None:
    """A report whose text has no title gets it (and its unit) from its file name in ``auditor check``,
    marked inferred; uploaded under that name, the workbench audits it the same."""
    text = (ROOT / "fixtures" / "yoy" / "zhangzhu-2023.txt").read_text(encoding="utf-8")
    untitled = "".join(line for line in text.splitlines(keepends=True) if "法治政府建设" not in line or len(line) > 60)
    name = "张渚镇2023年法治政府建设情况报告.txt"
    files = [(name, untitled.encode("utf-8"))]
    runner, sessions = _runner(tmp_path, checklists, jobs=1)
    (report_id,) = _add(sessions, tmp_path, files)
    _run(runner, 120)
    alone = tmp_path / "alone" / name
    alone.parent.mkdir()
    alone.write_bytes(files[0][1])
    expected = orjson.loads(safe_encode(str(alone), audit_source(str(alone), Options(), checklists), False)[1])
    assert expected["metadata"]["title"] == name.removesuffix(".txt")
    assert expected["metadata_sources"]["title"]["source"] == "file_name"
    with sessions() as session:
        got = orjson.loads(store.get(session, report_id).result)
    assert got["metadata"] == expected["metadata"] and got["metadata_sources"] == expected["metadata_sources"]
    assert (got["score"], got["findings"]) == (expected["score"], expected["findings"])


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_no_worker_outlives_the_runner(tmp_path: Path, checklists: list[Any]) -> None:
    """When the server stops, its idle workers have ended (and been reaped) by the time ``stop`` returns:
    uvicorn ends the process by raising its signal again, without the exit hook that would stop them, and a
    worker left waiting holds the server's streams open for ever."""
    runner, _ = _runner(tmp_path, checklists, jobs=2)
    runner.start()
    pids = list(runner._pool._processes) if runner._pool is not None else []
    assert len(pids) == 2 and not any(_gone(p) for p in pids)
    runner.stop()
    assert all(_gone(p) for p in pids)


def _sleeps(items: list[Blob]) -> list[bytes]:
    import time

    time.sleep(60)
    return audit_blobs(items)


def test_a_worker_busy_past_the_grace_is_killed_at_stop(
    tmp_path: Path, checklists: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker still on its chunk when the grace ends is killed; its report stays running (audited again at
    the next start), not recorded as crashed, and no new pool is made for it."""
    import time

    from auditor.workbench import jobs

    monkeypatch.setattr(jobs, "STOP_GRACE", 0.5)
    runner, sessions = _runner(tmp_path, checklists, _sleeps, jobs=1)
    (report_id,) = _add(sessions, tmp_path, _many(1))
    runner.start()
    first = runner._pool
    pids = list(first._processes) if first is not None else []
    time.sleep(1.0)  # the chunk is in the worker, asleep
    started = time.monotonic()
    runner.stop()
    assert time.monotonic() - started < 15 and all(_gone(p) for p in pids)
    time.sleep(0.5)  # nothing is made or recorded after the stop: no new pool, no crash entry
    with sessions() as session:
        assert store.get(session, report_id).state == "running"  # audited again at the next start
    assert runner._pool is first and runner._lone is None
