"""auditor.deadline: the time limit of one report."""

from __future__ import annotations

import contextlib
import math
import signal
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.deadline import ReportTimeout, kill_after, parse_seconds, report_deadline


def test_a_busy_report_is_interrupted_and_the_timer_put_back() -> None:
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(ReportTimeout) as caught, report_deadline(0.2):
        while True:
            with contextlib.suppress(Exception):  # a library's catch-all does not swallow it
                sum(range(100))
    assert 0.15 < time.monotonic() - started < 5
    assert caught.value.seconds == 0.2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_work_within_the_limit_is_left_alone() -> None:
    with report_deadline(5):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_limit_when_zero_or_outside_the_main_thread() -> None:
    with report_deadline(0):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    seen: list[tuple[float, float]] = []

    def work() -> None:
        with report_deadline(0.05):
            time.sleep(0.2)
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [(0.0, 0.0)]


def test_the_kill_timer_is_put_back_after_the_report() -> None:
    with report_deadline(5, kill=True):
        assert kill_after(5) - 1 <= signal.getitimer(signal.ITIMER_PROF)[0] <= kill_after(5) + 0.1  # of CPU
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    with report_deadline(5):
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)  # never outside a worker


@pytest.mark.parametrize("kill", [True, False])
def test_a_worker_stuck_where_the_exception_cannot_reach_is_ended(kill: bool) -> None:
    # SIGALRM blocked stands for a C library's loop: the timer's exception never gets through
    code = f"""
import signal
from auditor.deadline import report_deadline
with report_deadline(0.2, kill={kill}):
    signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGALRM}})
    while True:
        pass
"""
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=8)
    except subprocess.TimeoutExpired:
        assert not kill  # the main process (--jobs 1) is never ended this way
        return
    assert kill
    assert proc.returncode == -signal.SIGPROF
    assert kill_after(0.2) <= time.monotonic() - started < 7


@given(st.floats(min_value=0, max_value=1e6))
def test_kill_after_leaves_the_limit_its_chance_first(seconds: float) -> None:
    assert kill_after(seconds) > seconds


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_parse_seconds_takes_exactly_finite_non_negative_numbers(x: float) -> None:
    if math.isfinite(x) and x >= 0:
        assert parse_seconds(repr(x)) == x
    else:
        with pytest.raises(ValueError):
            parse_seconds(repr(x))


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_seconds_unset(value: str | None) -> None:
    assert parse_seconds(value) is None
