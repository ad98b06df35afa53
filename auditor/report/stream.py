"""The JSON Lines file a batch streams into: one line per report as it is audited.

It cannot be written atomically (it grows while the batch runs, and ``--resume`` continues
it), so it is guarded instead:

* it is locked for the run (``flock``): a second run on the same file is refused with a
  message instead of both writing into it and leaving NUL-filled garbage;
* it is truncated only once the lock is held, and never when it is an input report;
* with ``resume``, a last line cut by an interruption (anywhere, also inside a multi-byte
  character) is cut off and its report audited again; the reports and skipped files already
  in the file are not written again.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import orjson

from auditor.errors import OutputError
from auditor.report.atomic import check_target, make_parents, output_error, special_kind


@dataclass
class JsonlTarget:
    """An open, locked JSON Lines output and what it already holds."""

    handle: BinaryIO
    path: Path  # as the user named it, for messages (the handle's name is its descriptor's number)
    done: set[str] = field(default_factory=set)  # sources of reports already written
    skipped: set[str] = field(default_factory=set)  # sources of skipped files already written

    def close(self) -> None:
        self.handle.close()  # also releases the lock


def open_jsonl(path: Path, resume: bool) -> JsonlTarget:
    """Open ``path`` for streaming (locked); with ``resume``, read what it holds first."""
    real = check_target(path)
    if special_kind(real) == "stream":  # /dev/null, a pipe, a terminal: written into, nothing to resume
        try:
            return JsonlTarget(real.open("wb", buffering=0), path)
        except OSError as exc:
            raise output_error(path, exc) from exc
    make_parents(real)
    try:
        fd = os.open(real, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise output_error(path, exc) from exc
    handle = os.fdopen(fd, "r+b")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"无法写入输出文件 {path}：另一个 auditor 正在写入这个文件", hint="等它结束，或换一个 --output 文件"
            ) from None
        target = JsonlTarget(handle, path)
        if resume:
            _read_back(target)
        else:
            handle.truncate(0)
        handle.seek(0, os.SEEK_END)
    except OSError as exc:
        handle.close()
        raise output_error(path, exc) from exc
    except BaseException:
        handle.close()
        raise
    return target


def _read_back(target: JsonlTarget) -> None:
    """Collect the finished records; cut the file after its last complete line."""
    handle = target.handle
    handle.seek(0)
    complete = 0
    for line in handle:
        if not line.endswith(b"\n"):
            break  # cut by an interruption: dropped, its report is audited again
        complete += len(line)
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        report, skipped = record.get("report"), record.get("skipped")
        if isinstance(report, dict) and isinstance(report.get("source"), str):
            target.done.add(report["source"])
        elif isinstance(skipped, dict) and isinstance(skipped.get("source"), str):
            target.skipped.add(skipped["source"])
    handle.truncate(complete)
