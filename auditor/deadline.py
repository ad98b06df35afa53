"""A time limit on one report, so that a file that makes a reader (or anything else) loop for ever
costs only itself: past the limit the report's work is interrupted and the report gets its own
``timeout`` error, and the batch goes on.

The limit is a real-time timer (``SIGALRM``) armed around one report in the main thread of the
process that audits it (a worker, or the only process with ``--jobs 1``); it interrupts Python
code, which is where every loop found so far was (pdfminer following a reference to itself). The
exception derives from :class:`BaseException`, so a library's ``except Exception`` does not swallow
it, and the timer repeats every second until the report's work has stopped. Where there is no
such timer (another thread, a platform without ``setitimer``) the report runs without a limit.

Code the exception cannot reach — a C library looping without returning to Python (PDFium runs
through ctypes without the interpreter) — is stopped in a worker process only, by a second timer:
once the report has used :func:`kill_after` seconds of CPU (twice the limit and one second), the
kernel's ``SIGPROF`` ends the process, and the pool's crash handling gives that report its own
error entry while the batch goes on. The main process (``--jobs 1``) is never killed this way:
there the other reports' results live.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: the limit when nothing else is chosen (seconds; a corpus report takes milliseconds, the largest
#: PDF under the caps a few seconds)
DEFAULT_SECONDS = 300.0
#: the environment variable that sets it (seconds; 0 turns it off)
ENV = "AUDITOR_REPORT_TIMEOUT"


class ReportTimeout(BaseException):
    """The report's work took longer than its limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"report took longer than {seconds:g} s")
        self.seconds = seconds


def kill_after(seconds: float) -> float:
    """The CPU seconds a worker may spend on a report with the limit ``seconds`` before it is
    killed: well past the limit, so the timer's exception had every chance first."""
    return 2 * seconds + 1


def parse_seconds(value: str | None) -> float | None:
    """The limit ``value`` (the environment variable's text) stands for: None when unset, ``0`` off;
    ValueError when it is not a number of seconds ≥ 0."""
    if value is None or not value.strip():
        return None
    seconds = float(value)
    if not seconds >= 0 or seconds == float("inf"):  # also refuses nan
        raise ValueError(value)
    return seconds


@contextlib.contextmanager
def report_deadline(seconds: float, *, kill: bool = False) -> Iterator[None]:
    """Raise :class:`ReportTimeout` in the block once ``seconds`` have passed (0: no limit); with
    ``kill`` (a worker process), also end the process once the block has used
    :func:`kill_after` seconds of CPU."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise ReportTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    if kill:  # SIGPROF's default action ends the process; nothing in a worker handles it
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_PROF, kill_after(seconds))
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # again every second, should the first be swallowed
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if kill:
                signal.setitimer(signal.ITIMER_PROF, 0)
        finally:  # also when the timer fired just before it was stopped
            signal.signal(signal.SIGALRM, previous)
