"""pipeline._mapped: reports in chunks, the end of the batch one at a time, results in input order."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import auditor.pipeline as pipeline

ROOT = Path(__file__).resolve().parents[2]


def _tagged(source: str) -> tuple[str, int]:
    return source, os.getpid()


@pytest.mark.parametrize(("n", "chunk"), [(0, 8), (1, 8), (5, 1), (15, 2), (40, 8), (100, 8), (300, 8)])
def test_every_source_once_in_input_order(n: int, chunk: int) -> None:
    sources = [f"r{i:04d}.txt" for i in range(n)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        out = list(pipeline._mapped(pool, _tagged, sources, 2, chunk))  # type: ignore[arg-type]
    assert [s for s, _ in out] == sources


def test_the_last_reports_are_not_chunked() -> None:
    """With 100 reports and chunks of 8, the last 2 x 8 x 2 = 32 go one at a time: both workers take some."""
    sources = [f"r{i:04d}.txt" for i in range(100)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        out = list(pipeline._mapped(pool, _tagged, sources, 2, 8))  # type: ignore[arg-type]
    head, tail = out[:68], out[68:]
    for k in range(0, 64, 8):  # a chunk runs in one process
        assert len({pid for _, pid in head[k : k + 8]}) == 1
    assert len(tail) == 32


def test_parallel_batch_equals_serial(tmp_path: Path) -> None:
    """The seeds, unseen and gov-info reports, twice over (more than the chunked head): jobs 2 == jobs 1."""
    files = sorted(
        str(p) for d in ("seeds", "unseen", "gov-info-disclosure") for p in (ROOT / "fixtures" / d).glob("*.txt")
    )
    sources = files * 2
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    serial = [body for _, body in pipeline.run_encoded(sources, options, checklists, 1, indent=False)]
    parallel = [body for _, body in pipeline.run_encoded(sources, options, checklists, 2, indent=False)]
    assert parallel == serial
    assert len(serial) == len(sources)


def _doubled_or_dies(item: int, options: pipeline.Options, checklists: object) -> int:
    if item == 13:
        os._exit(9)  # a crash in a C library, or the OOM killer: the process just dies
    return 2 * item if options.max_chars == 7 else -1


@pytest.mark.parametrize(("n", "chunk"), [(2, 1), (30, 1), (30, 4)])
def test_pooled_keeps_order_and_a_dead_worker_costs_only_its_item(n: int, chunk: int) -> None:
    """Every item once, in input order, worked on with the pool's options; the item whose process
    dies (twice: in the pool, then alone) gets its ``crashed`` value, the others their result."""
    items = list(range(n))
    out = list(pipeline.pooled(_doubled_or_dies, items, pipeline.Options(max_chars=7), [], 2, lambda i: -i, chunk))
    assert out == [-i if i == 13 else 2 * i for i in items]


def test_the_workers_of_a_run_serve_every_map_and_survive_a_dead_one() -> None:
    """``Workers``: several maps go to the same processes (forked once); a worker dying in one map
    costs only its item, and the next map runs in the restarted pool."""
    with pipeline.Workers(2, pipeline.Options(max_chars=7), []) as workers:
        first = list(workers.map(_tagged_item, [f"r{i}" for i in range(20)], lambda s: ("crashed", 0)))
        second = list(workers.map(_tagged_item, [f"s{i}" for i in range(20)], lambda s: ("crashed", 0)))
        forked = set(workers._pool._processes) if workers._pool is not None else set()
        assert [s for s, _ in first] == [f"r{i}" for i in range(20)]
        assert {pid for _, pid in first + second} <= forked and len(forked) == 2  # the same, warm processes
        dying = list(workers.map(_doubled_or_dies, list(range(30)), lambda i: -i, 4))
        assert dying == [-i if i == 13 else 2 * i for i in range(30)]
        after = list(workers.map(_tagged_item, ["t0", "t1", "t2"], lambda s: ("crashed", 0)))
        assert [s for s, _ in after] == ["t0", "t1", "t2"]
        assert not {pid for _, pid in after} & forked  # a new pool
    assert workers._pool is None  # the processes end with the run


def test_a_map_left_unread_stops_its_workers() -> None:
    """The consumer stopped (an error while writing, Ctrl-C): the workers are stopped, not awaited."""
    with pytest.raises(KeyError), pipeline.Workers(2, pipeline.Options(), []) as workers:
        results = workers.map(_tagged_item, [f"r{i}" for i in range(50)], lambda s: ("crashed", 0))
        next(results)
        raise KeyError("the consumer failed")
    assert workers._pool is None


def _tagged_item(item: str, options: pipeline.Options, checklists: object) -> tuple[str, int]:
    return item, os.getpid()


def _half_a_result(fd: int, told: str) -> None:
    """In a worker: the start of a result on the pool's result pipe (``fd``, inherited through the fork) — a
    length header promising 1,000 bytes, then one — as a worker killed while sending leaves it; then wait."""
    import struct
    import time

    os.write(fd, struct.pack("!i", 1000) + b"x")
    Path(told).write_text("sent", encoding="utf-8")
    time.sleep(600)


def test_a_worker_killed_while_sending_a_result_does_not_hang_the_exit(tmp_path: Path) -> None:
    """Stopping a pool (an output error, Ctrl-C) kills its workers; one killed halfway through sending a
    result left the pool's manager thread waiting for the rest of it for ever, and the interpreter's exit,
    which joins that thread, with it. The thread now ends with the pool."""
    import time

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    told = tmp_path / "told"
    pool.submit(_half_a_result, pool._result_queue._writer.fileno(), str(told))  # type: ignore[attr-defined]
    while not told.exists():
        time.sleep(0.01)
    time.sleep(0.2)  # the manager thread reads the header and waits for the rest
    manager = pool._executor_manager_thread  # type: ignore[attr-defined]
    pipeline._stop(pool)
    manager.join(timeout=10)
    assert not manager.is_alive()
