"""A progress bar on stderr (rich), or a silent stand-in when disabled.

The CLI enables it only when stderr is a terminal and no machine-readable
format goes to stdout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO


class Progress(Protocol):
    def advance(self, label: str) -> None: ...


class _Silent:
    def advance(self, label: str) -> None:
        return None


class _RichProgress:
    def __init__(self, bar: Any, task: Any) -> None:
        self._bar = bar
        self._task = task

    def advance(self, label: str) -> None:
        from rich.markup import escape

        from auditor.printable import one_line

        self._bar.update(self._task, advance=1, description=escape(one_line(label)))


@contextmanager
def progress(total: int, enabled: bool, *, file: TextIO | None = None) -> Iterator[Progress]:
    """Yield an object whose ``advance(label)`` marks one more item as done."""
    if not enabled:
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    console = Console(file=file, stderr=file is None)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("核查中", total=max(total, 0))
        yield _RichProgress(bar, task)
