"""The ``--format json`` document written into its file while the batch runs, not after it.

The workers send each report already encoded (indented as inside the document's "reports" list). Held in
the spool and written out at the end, every byte (≈ 56 kB a report) was copied three times more in the
main process (into the spool, back out of it, into the output), the last two while the workers stood idle
(0.35 s of a 7 s run of 2,550 reports on this machine). A :class:`JsonDraft` appends each report to the
output as it comes instead, and reads a report back from there when it is paired with last year's.

The draft is an unnamed file in the output's folder (Linux ``O_TMPFILE``): a run that fails, is stopped or
is killed leaves nothing behind, and readers see the old file until the new one is whole. :meth:`publish`
gives it the output's name (a link under a temporary name, then ``os.replace``: atomic, as
:func:`auditor.report.atomic.write_atomic`). When some reports were paired afterwards (made again with their
comparison), the document is copied once more with them in place (``os.copy_file_range``: in the kernel).
Where the folder's file system makes no unnamed files, or the output is not a regular file (``/dev/null``,
a pipe), :func:`open_draft` returns None and the run writes through the spool as before.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from auditor.report.atomic import NEW_FILE_MODE, check_target, make_parents, output_error, special_kind, write_atomic
from auditor.report.spool import Piece, read_back, write_all

#: the errors of an unnamed file the file system or the system does not offer (then the spool is used)
_UNSUPPORTED = (OSError, AttributeError)


class JsonDraft:
    """The reports' bytes appended between the document's ``head`` and ``tail`` (``_BETWEEN`` apart), and
    read back by the :data:`Piece` each was given; ``empty``: the document of a run without reports."""

    def __init__(self, path: Path, real: Path, fd: int, frame: tuple[bytes, bytes, bytes, bytes]) -> None:
        self._path = path  # as the user named it (messages)
        self._real = real  # what is replaced (a link's target)
        self._fd = fd
        self._head, self._between, self._tail, self._empty = frame
        self._size = 0

    def __enter__(self) -> JsonDraft:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; unpublished, the system frees it."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def put(self, body: bytes) -> Piece:
        self._write(self._fd, self._between if self._size else self._head)
        piece = (self._size, len(body))
        self._write(self._fd, body)
        return piece

    def get(self, piece: Piece) -> bytes:
        try:
            return read_back(self._fd, piece)
        except OSError as exc:
            raise output_error(self._path, exc) from exc

    def publish(self, replaced: Iterable[tuple[Piece, bytes]]) -> None:
        """Finish the document, with each (piece, bytes) of ``replaced`` (in the order of the pieces) in
        place of that piece, fsync it and give it the output's name."""
        pending = iter(replaced)
        first = next(pending, None)
        if self._size == 0:
            self._write(self._fd, self._empty)
            self._name(self._fd)
        elif first is None:
            self._write(self._fd, self._tail)
            self._name(self._fd)
        else:
            with contextlib.closing(_Fd(_unnamed(self._real.parent))) as copy:
                self._copied(copy.fd, itertools.chain((first,), pending))
                self._name(copy.fd)

    def _copied(self, fd: int, replaced: Iterable[tuple[Piece, bytes]]) -> None:
        """The document into ``fd``: this file's bytes with ``replaced`` in place (each taken as the copy
        reaches it: the comparisons still finishing are not held all at once), then the tail."""
        at = 0
        for (offset, length), data in replaced:
            self._copy(fd, at, offset - at)
            self._write(fd, data)
            at = offset + length
        self._copy(fd, at, self._size - at)
        self._write(fd, self._tail)

    def _copy(self, fd: int, offset: int, length: int) -> None:
        """``length`` bytes of this file from ``offset`` appended to ``fd``, in the kernel where it can."""
        try:
            while length:
                try:
                    done = os.copy_file_range(self._fd, fd, length, offset)
                except OSError:  # not between these files here: through memory, a bounded chunk at a time
                    done = os.write(fd, os.pread(self._fd, min(length, 1 << 24), offset))
                if not done:
                    raise OSError(0, "输出文件被截断")
                offset, length = offset + done, length - done
        except OSError as exc:
            raise output_error(self._path, exc) from exc

    def _write(self, fd: int, data: bytes) -> None:
        try:
            write_all(fd, data)
        except OSError as exc:
            raise output_error(self._path, exc) from exc
        if fd == self._fd:
            self._size += len(data)

    def _name(self, fd: int) -> None:
        """Make the file ``fd`` the output, atomically (its mode: the replaced file's, else 0644)."""
        real = self._real
        try:
            mode = real.stat().st_mode & 0o777 if real.exists() else NEW_FILE_MODE
            os.fchmod(fd, mode)
            os.fsync(fd)
        except OSError as exc:
            raise output_error(self._path, exc) from exc
        tmp = _linked(fd, real)
        if tmp is None:  # the system would not name it after all: written again, the usual way
            write_atomic(self._path, _chunks(fd))
            return
        try:
            tmp.replace(real)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise output_error(self._path, exc) from exc


class _Fd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


def open_draft(path: Path, frame: tuple[bytes, bytes, bytes, bytes]) -> JsonDraft | None:
    """A draft of the JSON document for the output file ``path`` (``frame``: head, between, tail and the
    empty document; see :func:`auditor.report.encode.json_frame`), or None where the output is not a regular
    file or its folder cannot hold an unnamed file (the caller then writes the usual way). A folder or special
    file given as output is refused here, as by ``write_atomic``."""
    real = check_target(path)
    if special_kind(real) == "stream":
        return None
    make_parents(real)
    try:
        fd = _unnamed(real.parent)
    except _UNSUPPORTED:
        return None
    if not Path(f"/proc/self/fd/{fd}").exists():  # no way to name it later
        os.close(fd)
        return None
    return JsonDraft(path, real, fd, frame)


def _unnamed(folder: Path) -> int:
    return os.open(folder, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600)


def _linked(fd: int, real: Path) -> Path | None:
    """The unnamed file ``fd`` linked beside ``real`` under a new temporary name; None where that fails.
    (``linkat`` of ``/proc/self/fd/N`` following the link, as open(2) shows for ``O_TMPFILE``: ``os.link``
    calls ``linkat`` with ``AT_SYMLINK_FOLLOW`` only when given a directory fd; plain ``link`` would link
    the /proc entry itself and fail.)"""
    import secrets

    try:
        proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        for _ in range(100):
            tmp = real.parent / f".{real.name}.{secrets.token_hex(4)}.tmp"
            try:
                os.link(str(fd), tmp, src_dir_fd=proc, follow_symlinks=True)
            except FileExistsError:
                continue
            except OSError:
                return None
            return tmp
        return None
    finally:
        os.close(proc)


def _chunks(fd: int) -> Iterator[bytes]:
    offset = 0
    while chunk := os.pread(fd, 1 << 24, offset):
        yield chunk
        offset += len(chunk)
