"""Bytes a batch holds until its output is written (each report's JSON or text), in bounded memory.
(JSON alone into one regular file is written into that file as it comes instead: :mod:`auditor.report.draft`.)

Pieces are kept in memory up to :data:`MEMORY_BYTES` in all; past that, every piece goes to an
anonymous temporary file and the main process keeps only where each lies (offset, length), so its
memory no longer grows with the batch (≈ 56 kB of indented JSON a report: 5.6 GB for 100,000).

The file is made in the system's temp folder (``tempfile``: ``TMPDIR``, else /tmp), not beside the
output: the output's folder may be a slow or small disk (a network share, a USB stick), while the temp
folder is where scratch space is expected and can be moved (``TMPDIR=…``). It is unlinked as it is
made (``tempfile.TemporaryFile``): nothing is left behind, even after a crash or Ctrl-C. A temp folder
that is full or cannot be written is a :class:`SpoolError` (exit code 4), raised before any output
file is written (a read failing while an output is written leaves no partial file: outputs are written
atomically).
"""

from __future__ import annotations

import os
import tempfile
from typing import IO

from auditor.errors import SpoolError
from auditor.report.atomic import os_reason

#: bytes held in memory before the temporary file is made (a batch below it never touches the disk)
MEMORY_BYTES = 32 * 2**20

#: where a piece lies in the spool: (offset, length)
Piece = tuple[int, int]


class Spool:
    """Bytes put piece by piece and read back by piece, in any order and as often as needed."""

    def __init__(self, memory_bytes: int | None = None) -> None:
        self._limit = MEMORY_BYTES if memory_bytes is None else memory_bytes
        self._held = bytearray()  # every piece, while there is no file
        self._file: IO[bytes] | None = None
        self._size = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Free the memory and close the file (which the system then deletes)."""
        if self._file is not None:
            self._file.close()
        self._held = bytearray()

    @property
    def on_disk(self) -> bool:
        return self._file is not None

    def put(self, data: bytes) -> Piece:
        piece = (self._size, len(data))
        if self._file is None and self._size + len(data) <= self._limit:
            self._held += data
        else:
            if self._file is None:
                self._file = _temporary_file()
                self._write(self._held)
                self._held = bytearray()
            self._write(data)
        self._size += len(data)
        return piece

    def get(self, piece: Piece) -> bytes:
        offset, length = piece
        if self._file is None:
            return bytes(memoryview(self._held)[offset : offset + length])
        try:
            return read_back(self._file.fileno(), piece)
        except OSError as exc:
            raise spool_error(exc, "读取") from exc

    def _write(self, data: bytes | bytearray) -> None:
        assert self._file is not None
        try:
            write_all(self._file.fileno(), data)
        except OSError as exc:
            raise spool_error(exc) from exc


def write_all(fd: int, data: bytes | bytearray) -> None:
    """All of ``data`` written to the file ``fd`` (in several writes where the system takes fewer bytes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def read_back(fd: int, piece: Piece) -> bytes:
    """The bytes of ``piece`` read from the file ``fd`` (in several reads where the system returns fewer);
    OSError where the file ends first."""
    offset, length = piece
    chunks = []
    while length:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            raise OSError(0, "文件被截断")
        chunks.append(chunk)
        offset, length = offset + len(chunk), length - len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _temporary_file() -> IO[bytes]:
    try:
        return tempfile.TemporaryFile(buffering=0)
    except OSError as exc:
        raise spool_error(exc) from exc


def spool_error(exc: OSError, doing: str = "写入") -> SpoolError:
    """The one-line user error for an OS failure on the temporary file, naming the temp folder."""
    try:
        folder = tempfile.gettempdir()
    except OSError:  # no usable temp folder at all
        folder = os.environ.get("TMPDIR") or "/tmp"
    return SpoolError(
        f"无法{doing}批量结果的临时文件（临时文件夹 {folder}）：{os_reason(exc)}",
        hint="清理该处的磁盘空间，或用环境变量 TMPDIR 指定另一个可写、有空间的文件夹后重试",
    )
