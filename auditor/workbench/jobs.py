"""Background auditing: a process pool of ``jobs`` workers running :func:`pipeline.audit_sources`
on stored blobs, as ``auditor check`` would on the uploaded files.

A dispatcher thread keeps at most two chunks per worker in the pool. While many reports wait (an
upload of a season's reports), a chunk holds up to :data:`CHUNK` of them: a worker audits them
rule by rule together (docs/performance.md, item 41) and their states and results are each
written in one transaction; the last ones of a batch go one at a time, so no worker waits on
another's long chunk. Each report is marked ``running`` when its chunk goes to the pool and
stored (``done`` or ``error``) when it comes back. One bad report costs only itself: a read
failure or a bug is that report's error entry (as in ``auditor check``); a worker that dies takes
its pool with it, so the pool is rebuilt and each report of its chunk is audited again alone, in a
process of its own: the report that kills its process again gets an error entry. Results that
cannot be stored together are stored one by one, so one that cannot be stored is the only error.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from auditor.checklist import Checklist
from auditor.pipeline import CHUNK, Options, audit_sources, safe_encode
from auditor.workbench import blobs, store, yoy
from auditor.workbench.db import ReportRow
from auditor.workbench.stamp import tool_stamp

log = logging.getLogger("auditor.workbench")
CRASHED = "审核本报告时处理进程意外终止（可能是内存不足、处理时间过长或文件被恶意构造），其他报告不受影响"

#: a stored upload as a worker reads it: (blob path, the name it is read under): ``store.stored_file``
Blob = tuple[str, str]

_WORKER: dict[str, Any] = {}  # set in each worker process by _init (a process pool's only channel)


def _init(checklists: Sequence[Checklist] | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the handler of the process that forked it
    from auditor.pipeline import load_for

    _WORKER["options"] = Options(in_worker=True)
    _WORKER["checklists"] = list(checklists) if checklists is not None else load_for(Options())


def audit_blobs(items: Sequence[Blob]) -> list[bytes]:
    """Stored uploads audited together in a worker, each as JSON bytes. A blob is read through a link
    named as the upload (``store.link_name``) in a private temporary folder of its own, so the audit sees
    the name and suffix the upload had, as ``auditor check`` of the file would (the format is still
    detected from the content)."""
    with tempfile.TemporaryDirectory(prefix="auditor-wb-") as tmp:
        links = [blobs.linked(Path(tmp) / str(k), blob, name) for k, (blob, name) in enumerate(items)]
        reports = audit_sources(links, _WORKER["options"], _WORKER["checklists"])
        return [safe_encode(link, report, False)[1] for link, report in zip(links, reports, strict=True)]


#: how long a worker may take to finish its report when the server stops, before it is killed
STOP_GRACE = 5.0


def _end(pool: ProcessPoolExecutor, grace: float = STOP_GRACE) -> None:
    """Shut the pool down and see its workers end: the waiting chunks cancelled, each worker given ``grace``
    seconds to finish its chunk, then killed (a report left running is audited again at the next start).
    No worker may outlive the server: uvicorn ends the process by raising its signal again, which skips the
    exit hook that would otherwise stop them, and a worker left waiting for work holds the server's
    standard streams open for ever."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(1.0)


def chunk_size(waiting: int, jobs: int) -> int:
    """How many of ``waiting`` reports go to a worker together: up to :data:`CHUNK` while at least
    four chunks per worker wait, fewer towards the end, one for the last ``4 * jobs``."""
    return max(1, min(CHUNK, waiting // (4 * jobs)))


def _noop() -> None:
    return None


def _load(session: Session, report_ids: list[int]) -> None:
    """The rows of a chunk in one query (``session.get`` then finds them in the session)."""
    if len(report_ids) > 1:
        session.scalars(select(ReportRow).where(ReportRow.id.in_(report_ids))).all()


class Runner:
    """The job queue and its pool; ``submit`` is safe from any thread."""

    def __init__(
        self,
        make_session: sessionmaker[Session],
        blob_root: Path,
        checklists: Sequence[Checklist],
        jobs: int,
        on_change: Callable[[int], None] | None = None,
        work: Callable[[Sequence[Blob]], list[bytes]] = audit_blobs,
    ) -> None:
        self._sessions = make_session
        self._blob_root = blob_root
        self._checklists = list(checklists)
        self._by_id = {c.id: c for c in checklists}
        self._jobs = max(1, jobs)
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._slots = threading.Semaphore(self._jobs * 2)  # one chunk waiting per worker: no idle gap
        self._lock = threading.Lock()
        self._write = threading.Lock()  # see writing
        self._idle = threading.Condition()
        self._busy = 0
        self._pool: ProcessPoolExecutor | None = None
        self._lone: ProcessPoolExecutor | None = None  # the one-worker pool of a report audited alone
        self._stopping = False  # set by stop: no pool is made any more, no report recorded as crashed
        self._thread: threading.Thread | None = None
        self._on_change = on_change
        self._work = work  # stored uploads -> each one's report JSON, run in a worker process
        #: what audits here (``stamp.tool_stamp``), kept with each result it stores
        self.stamp = tool_stamp(self._checklists)

    # ---------------------------------------------------------------- life cycle

    def start(self) -> None:
        self._pool = self._new_pool()
        with self._sessions() as session:
            for report_id in store.pending(session):  # queued before the dispatcher starts: chunks form at once
                self.submit(report_id)
        self._thread = threading.Thread(target=self._dispatch, name="auditor-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop taking work and end every worker (see :func:`_end`); a report still running is audited
        again at the next start."""
        with self._lock:
            self._stopping = True
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            pools = [p for p in (self._pool, self._lone) if p is not None]
        for pool in pools:
            _end(pool)

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

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """A session for a write of the runner's (or of an upload's), which take turns: the
        dispatcher's, the result thread's and the uploads' transactions would otherwise meet in
        SQLite's one write lock, whose busy handler waits by sleeping (1, 2, 5, 10 … ms each time)."""
        with self._write, self._sessions() as session:
            yield session

    # ---------------------------------------------------------------- queue

    def submit(self, report_id: int) -> None:
        with self._idle:
            self._busy += 1
        self._queue.put(report_id)

    def audit_again(
        self, report_ids: Sequence[int] | None = None, season: store.SeasonKey | None = None
    ) -> list[ReportRow]:
        """Finished reports audited again by the tool running now (``store.requeue``): those named, else
        every result of an earlier version (``store.outdated``; of ``season``). The rows queued."""
        with self.writing() as session:
            named = store.outdated(session, self.stamp, season) if report_ids is None else report_ids
            rows = store.requeue(session, named)
            session.commit()
        for row in rows:
            self.submit(row.id)
        return rows

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted report is stored (for tests and benchmarks)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _dispatch(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            self._slots.acquire()
            chunk, stopping = self._take(first)
            self._start(chunk)
            if stopping:
                return

    def _take(self, first: int) -> tuple[list[int], bool]:
        """``first`` and the reports queued after it that go to a worker with it (:func:`chunk_size`),
        and whether the queue asked the dispatcher to stop."""
        chunk = [first]
        size = chunk_size(self._queue.qsize() + 1, self._jobs)
        while len(chunk) < size:
            try:
                report_id = self._queue.get_nowait()
            except queue.Empty:
                break
            if report_id is None:
                return chunk, True
            chunk.append(report_id)
        return chunk, False

    def _start(self, chunk: list[int]) -> None:
        """Send ``chunk`` to the pool; should that fail (the database went away, say), each report is
        tried alone, and one that cannot be started is its own error entry."""
        try:
            self._start_chunk(chunk)
        except Exception:
            self._slots.release()
            if len(chunk) > 1:
                for report_id in chunk:
                    self._slots.acquire()
                    self._start([report_id])
                return
            log.exception("could not start report %s", chunk[0])
            self._finish_error(chunk[0], "无法读取已上传的文件，请重新上传", "unreadable")

    def _start_chunk(self, chunk: list[int]) -> None:
        with self.writing() as session:
            _load(session, chunk)
            items: list[tuple[int, Blob]] = []
            for report_id in chunk:
                row = session.get(ReportRow, report_id)
                if row is None or row.state in store.FINISHED:
                    continue
                store.mark_running(session, report_id)
                items.append((report_id, store.stored_file(self._blob_root, row)))
            session.commit()
        started = [report_id for report_id, _ in items]
        if not started:
            for _ in chunk:
                self._finished(None)  # already finished (or gone): nothing to audit
            self._slots.release()
            return
        with self._lock:
            pool = self._pool
        assert pool is not None
        try:
            future: Future[list[bytes]] | None = pool.submit(self._work, [blob for _, blob in items])
        except BrokenProcessPool:  # a worker died since the chunk was taken: audited alone, as that one's
            future = None
        # from here on nothing fails: each report is accounted for once
        for report_id in chunk:
            if report_id not in started:
                self._finished(None)
        for report_id in started:
            self._changed(report_id)
        if future is None:
            self._broken(started, pool)
        else:
            future.add_done_callback(lambda f: self._done(started, pool, f))

    def _done(self, chunk: list[int], pool: ProcessPoolExecutor, future: Future[list[bytes]]) -> None:
        try:
            bodies = future.result()
            if len(bodies) != len(chunk):
                raise ValueError(f"{len(bodies)} results for {len(chunk)} reports")
        except BrokenProcessPool:
            self._broken(chunk, pool)
            return
        except Exception as exc:
            self._slots.release()
            for report_id in chunk:
                self._finish_error(report_id, f"审核本报告时发生内部错误（{type(exc).__name__}），其他报告不受影响")
            return
        self._slots.release()  # the next chunk goes to the worker while this one is stored
        self._store(chunk, bodies)

    def _store(self, chunk: list[int], bodies: list[bytes]) -> None:
        """Record the chunk's results in one transaction; should that fail, each alone, so a result
        that cannot be stored is the only error entry."""
        try:
            with self.writing() as session:
                _load(session, chunk)
                for report_id, body in zip(chunk, bodies, strict=True):
                    stored = store.record_result(session, report_id, body, self._by_id, self.stamp)
                    yoy.forget_next_year(session, stored)
                session.commit()
        except Exception:
            if len(chunk) > 1:
                for report_id, body in zip(chunk, bodies, strict=True):
                    self._store([report_id], [body])
                return
            log.exception("could not store report %s", chunk[0])
            self._finish_error(chunk[0], "保存审核结果时发生内部错误，其他报告不受影响")
            return
        for report_id in chunk:
            self._finished(report_id)

    def _broken(self, chunk: list[int], pool: ProcessPoolExecutor) -> None:
        """A worker died: the pool is rebuilt, and every report of its chunk is audited again alone,
        in a process of its own, one after another, so only the one that kills its process fails.
        The chunk keeps its slot until then (a crash does not let more work in)."""
        with self._lock:
            if self._stopping:  # the server stopping ended the worker: the chunk is audited at the next start
                self._slots.release()
                return
            if self._pool is pool:  # the first to notice rebuilds it
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
        threading.Thread(target=self._isolated, args=(chunk,), name="auditor-isolated", daemon=True).start()

    def _isolated(self, chunk: list[int]) -> None:
        try:
            for report_id in chunk:
                self._alone(report_id)
        finally:
            self._slots.release()

    def _alone(self, report_id: int) -> None:
        try:
            with self.writing() as session:
                row = session.get(ReportRow, report_id)
                if row is None:
                    self._finished(None)
                    return
                row.attempts += 1
                session.commit()
                blob = store.stored_file(self._blob_root, row)
            with self._lock:
                if self._stopping:  # audited at the next start
                    return
                pool = self._lone = self._new_pool(1)
            try:
                (body,) = pool.submit(self._work, [blob]).result()
            finally:
                with self._lock:
                    self._lone = None
                _end(pool)  # its one worker is idle now: it ends at once
            with self.writing() as session:
                stored = store.record_result(session, report_id, body, self._by_id, self.stamp)
                yoy.forget_next_year(session, stored)
                session.commit()
        except BrokenProcessPool:
            if not self._stopping:  # else the server's stop ended the worker: audited at the next start
                self._finish_error(report_id, CRASHED)
            return
        except Exception as exc:
            log.exception("report %s failed alone", report_id)
            self._finish_error(report_id, f"审核本报告时发生内部错误（{type(exc).__name__}），其他报告不受影响")
            return
        self._finished(report_id)

    def _finish_error(self, report_id: int, message: str, code: str = "internal") -> None:
        with contextlib.suppress(Exception), self.writing() as session:
            store.record_error(session, report_id, message, code, self.stamp)
            session.commit()
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
