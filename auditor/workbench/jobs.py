"""Background auditing: a process pool of ``jobs`` workers running ``pipeline.audit_source``
on stored blobs, as ``auditor check`` would on the uploaded file.

A dispatcher thread keeps at most two reports per worker in the pool, marks each ``running``
when it goes there and stores its result (``done`` or ``error``) when it comes back. One bad
report costs only itself: a read failure or a bug is that report's error entry (as in
``auditor check``); a worker that dies takes its pool with it, so the pool is rebuilt and each
report that was in it is audited again alone, in a process of its own: the report that kills
its process again gets an error entry.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from auditor.checklist import Checklist
from auditor.pipeline import Options, audit_source, safe_encode
from auditor.workbench import blobs, store, yoy
from auditor.workbench.db import ReportRow

log = logging.getLogger("auditor.workbench")
CRASHED = "审核本报告时处理进程意外终止（可能是内存不足、处理时间过长或文件被恶意构造），其他报告不受影响"

_WORKER: dict[str, Any] = {}  # set in each worker process by _init (a process pool's only channel)


def _init(checklists: Sequence[Checklist] | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from auditor.pipeline import load_for

    _WORKER["options"] = Options(in_worker=True)
    _WORKER["checklists"] = list(checklists) if checklists is not None else load_for(Options())


def audit_blob(blob: str, suffix: str) -> bytes:
    """One stored upload audited in a worker, as JSON bytes. The blob is read through a link
    named ``report<suffix>`` in a private temporary folder, so the reader sees the suffix the
    upload had (the format is still detected from the content), never its name."""
    with tempfile.TemporaryDirectory(prefix="auditor-wb-") as tmp:
        link = Path(tmp) / f"report{suffix}"
        link.symlink_to(blob)
        report = audit_source(str(link), _WORKER["options"], _WORKER["checklists"])
        return safe_encode(str(link), report, False)[1]


def _noop() -> None:
    return None


class Runner:
    """The job queue and its pool; ``submit`` is safe from any thread."""

    def __init__(
        self,
        make_session: sessionmaker[Session],
        blob_root: Path,
        checklists: Sequence[Checklist],
        jobs: int,
        on_change: Callable[[int], None] | None = None,
        work: Callable[[str, str], bytes] = audit_blob,
    ) -> None:
        self._sessions = make_session
        self._blob_root = blob_root
        self._checklists = list(checklists)
        self._by_id = {c.id: c for c in checklists}
        self._jobs = max(1, jobs)
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._slots = threading.Semaphore(self._jobs * 2)  # one report waiting per worker: no idle gap
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._busy = 0
        self._pool: ProcessPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._on_change = on_change
        self._work = work  # (blob path, suffix) -> report JSON, run in a worker process

    # ---------------------------------------------------------------- life cycle

    def start(self) -> None:
        self._pool = self._new_pool()
        self._thread = threading.Thread(target=self._dispatch, name="auditor-jobs", daemon=True)
        self._thread.start()
        with self._sessions() as session:
            for report_id in store.pending(session):
                self.submit(report_id)

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def _new_pool(self, workers: int | None = None) -> ProcessPoolExecutor:
        import gc
        import multiprocessing

        forking = "fork" in multiprocessing.get_all_start_methods()
        if forking:
            from auditor.pipeline import _warm

            _warm(self._checklists)
            gc.freeze()  # the loaded checklists stay shared with the forked workers
        context = multiprocessing.get_context("fork" if forking else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers or self._jobs,
            mp_context=context,
            initializer=_init,
            initargs=(self._checklists if forking else None,),
        )
        pool.submit(_noop).result()  # the workers start now, before requests arrive
        return pool

    # ---------------------------------------------------------------- queue

    def submit(self, report_id: int) -> None:
        with self._idle:
            self._busy += 1
        self._queue.put(report_id)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted report is stored (for tests and benchmarks)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _dispatch(self) -> None:
        while True:
            report_id = self._queue.get()
            if report_id is None:
                return
            self._slots.acquire()
            try:
                self._start_one(report_id)
            except Exception:  # the database went away, a blob is missing: this report only
                log.exception("could not start report %s", report_id)
                self._finish_error(report_id, "无法读取已上传的文件，请重新上传", "unreadable")

    def _start_one(self, report_id: int) -> None:
        with self._sessions() as session:
            row = session.get(ReportRow, report_id)
            if row is None or row.state in ("done", "error"):
                self._release()
                return
            store.mark_running(session, report_id)
            session.commit()
            blob, suffix = str(blobs.path_of(self._blob_root, row.sha256)), row.suffix
        self._changed(report_id)
        with self._lock:
            pool = self._pool
        assert pool is not None
        future = pool.submit(self._work, blob, suffix)
        future.add_done_callback(lambda f: self._done(report_id, pool, f))

    def _done(self, report_id: int, pool: ProcessPoolExecutor, future: Future[bytes]) -> None:
        try:
            body = future.result()
        except BrokenProcessPool:
            self._broken(report_id, pool)
            return
        except Exception as exc:
            self._finish_error(report_id, f"审核本报告时发生内部错误（{type(exc).__name__}），其他报告不受影响")
            return
        self._slots.release()  # the next report goes to the worker while this one is stored
        try:
            with self._sessions() as session:
                stored = store.record_result(session, report_id, body, self._by_id)
                yoy.forget_next_year(session, stored)
                session.commit()
        except Exception:
            log.exception("could not store report %s", report_id)
            self._slots.acquire()
            self._finish_error(report_id, "保存审核结果时发生内部错误，其他报告不受影响")
            return
        self._finished(report_id)

    def _broken(self, report_id: int, pool: ProcessPoolExecutor) -> None:
        """A worker died: the pool is rebuilt, and every report that was in it is audited again
        alone, in a process of its own, so only the one that kills its process fails."""
        with self._lock:
            if self._pool is pool:  # the first to notice rebuilds it
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
        threading.Thread(target=self._isolated, args=(report_id,), name="auditor-isolated", daemon=True).start()

    def _isolated(self, report_id: int) -> None:
        try:
            with self._sessions() as session:
                row = session.get(ReportRow, report_id)
                if row is None:
                    self._release()
                    return
                row.attempts += 1
                session.commit()
                blob, suffix = str(blobs.path_of(self._blob_root, row.sha256)), row.suffix
            pool = self._new_pool(1)
            try:
                body = pool.submit(self._work, blob, suffix).result()
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
            with self._sessions() as session:
                stored = store.record_result(session, report_id, body, self._by_id)
                yoy.forget_next_year(session, stored)
                session.commit()
        except BrokenProcessPool:
            self._finish_error(report_id, CRASHED)
            return
        except Exception as exc:
            log.exception("report %s failed alone", report_id)
            self._finish_error(report_id, f"审核本报告时发生内部错误（{type(exc).__name__}），其他报告不受影响")
            return
        self._release(report_id)

    def _finish_error(self, report_id: int, message: str, code: str = "internal") -> None:
        with contextlib.suppress(Exception), self._sessions() as session:
            store.record_error(session, report_id, message, code)
            session.commit()
        self._release(report_id)

    def _release(self, report_id: int | None = None) -> None:
        self._slots.release()
        self._finished(report_id)

    def _finished(self, report_id: int | None) -> None:
        if report_id is not None:
            self._changed(report_id)
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def _changed(self, report_id: int) -> None:
        if self._on_change is not None:
            with contextlib.suppress(Exception):
                self._on_change(report_id)
