"""Open an input (a file path, or the bytes of standard input) read-only and within limits.

Nothing here reads a whole file: only its first bytes (the *head*) are loaded, so that
format sniffing and garbage detection stay cheap; readers load the rest on demand.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from auditor.errors import ReadError
from auditor.readers.textnorm import SIZE_HINT

HEAD_BYTES = 64 * 1024
BYTES_PER_CHAR = 4  # the raw-size cap is max_chars * 4 bytes
STDIN_PATH = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Source:
    """One input: a readable regular file (``path``) or bytes already in memory (``data``)."""

    name: str
    path: str | None
    data: bytes | None
    size: int
    head: bytes
    limit: int  # the most bytes we agree to load

    @cached_property
    def suffix(self) -> str:
        """The lower-case file extension (a format hint only), ``""`` for stdin."""
        return path_suffix(self.name).lower() if self.path is not None else ""

    def open(self) -> BinaryIO:
        """A fresh read-only binary stream over the whole input (a small file's head read on
        opening is all of it: not opened again)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        if len(self.head) == self.size:
            return io.BytesIO(self.head)
        assert self.path is not None
        return _open_read_only(self.path)

    def read_bytes(self) -> bytes:
        """All the bytes of the input (at most ``limit``)."""
        if self.data is not None:
            return self.data
        if len(self.head) == self.size:  # a small file: the head read on opening is all of it
            return self.head
        with self.open() as stream:
            data = stream.read(self.limit + 1)
        _check_raw_size(len(data), self.limit)
        return data

    def tail(self, count: int) -> bytes:
        """The last ``count`` bytes of the input."""
        if self.data is not None:
            return self.data[-count:]
        with self.open() as stream:
            stream.seek(max(0, self.size - count))
            return stream.read(count)


def path_suffix(name: str) -> str:
    """``PurePosixPath(name).suffix`` without building the path (a few microseconds a file):
    the extension of the last component that is neither empty nor ``.``."""
    last = next((part for part in reversed(name.split("/")) if part and part != "."), "")
    dot = last.rfind(".")
    return last[dot:] if 0 < dot < len(last) - 1 else ""


def byte_limit(max_chars: int) -> int:
    """The raw-size cap for a given text cap."""
    return max(0, max_chars) * BYTES_PER_CHAR


def read_stdin(stream: BinaryIO, max_chars: int) -> bytes:
    """Standard input's bytes, at most one past the raw-size cap: a larger input (``cat huge |``) is
    refused as too big without being held whole in memory."""
    return stream.read(byte_limit(max_chars) + 1)


def open_source(path: str, max_chars: int, stdin_bytes: bytes | None) -> Source:
    """Check that ``path`` (or stdin for ``"-"``) is a readable, non-empty, not-too-big input."""
    limit = byte_limit(max_chars)
    if path == STDIN_PATH:
        return _memory_source(STDIN_NAME, None, _stdin_data(stdin_bytes), limit)
    _require_regular(_stat(path).st_mode)
    return _file_source(path, limit)


def _require_regular(mode: int) -> None:
    """Refuse folders, named pipes, devices and sockets: only regular files are read (a pipe
    or a terminal would make the run wait for data forever; a device may never end)."""
    if stat.S_ISDIR(mode):
        raise ReadError("这是一个文件夹", hint="请给出其中的文件，或直接给出文件夹让程序展开")
    if not stat.S_ISREG(mode):
        raise ReadError(
            f"不是普通文件（{_special_kind(mode)}），不予读取",
            hint="请给出报告文件本身；要从管道读取，请用 - 表示标准输入",
        )


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _stdin_data(stdin_bytes: bytes | None) -> bytes:
    if stdin_bytes is None:
        raise ReadError("标准输入中没有数据", hint="请通过管道把报告传给命令")
    return stdin_bytes


def _file_source(path: str, limit: int) -> Source:
    descriptor, size = _open_descriptor(path)
    try:
        if size == 0:
            raise ReadError("空文件")
        _check_raw_size(size, limit)
        head = _read_head(descriptor)
    finally:
        os.close(descriptor)
    return Source(path, path, None, size, head, limit)


def _read_head(descriptor: int) -> bytes:
    """The first HEAD_BYTES bytes (fewer at the end of the file), read without a buffered stream."""
    chunks: list[bytes] = []
    left = HEAD_BYTES
    while left > 0:
        chunk = os.read(descriptor, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _memory_source(name: str, path: str | None, data: bytes, limit: int) -> Source:
    if not data:
        raise ReadError("空文件" if path is not None else "标准输入为空")
    _check_raw_size(len(data), limit, cut=path is None)
    return Source(name, path, data, len(data), data[:HEAD_BYTES], limit)


def _check_raw_size(size: int, limit: int, *, cut: bool = False) -> None:
    """Refuse more than ``limit`` bytes; ``cut``: standard input, read only to one byte past it."""
    if size > limit:
        shown = f"超过 {limit} 字节" if cut else f"{size} 字节；上限为 {limit} 字节"
        raise ReadError(f"文件过大（{shown}，即允许字数的 4 倍）", hint=SIZE_HINT)


def _stat(path: str) -> os.stat_result:
    try:
        # as Path(path).stat() (an empty path is the current folder), without building a Path
        return os.stat(path or ".")  # noqa: PTH116
    except (OSError, ValueError) as exc:
        raise _open_error(exc) from exc


def _open_read_only(path: str) -> BinaryIO:
    """Open a regular file for reading (see :func:`_open_descriptor`)."""
    descriptor, _ = _open_descriptor(path)
    try:
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _open_descriptor(path: str) -> tuple[int, int]:
    """A descriptor of a regular file open for reading, and the file's size. The open never
    blocks (``O_NONBLOCK``: a file swapped for a named pipe after it was checked), and what was
    opened is checked again."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise _open_error(exc) from exc
    try:
        opened = os.fstat(descriptor)
        _require_regular(opened.st_mode)
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(descriptor, True)
        return descriptor, opened.st_size
    except BaseException:
        os.close(descriptor)
        raise


def _open_error(exc: Exception) -> ReadError:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return ReadError("找不到文件", hint="请检查路径")
    if isinstance(exc, PermissionError):
        return ReadError("无权读取该文件", hint="请为当前用户开放该文件的读取权限")
    if isinstance(exc, IsADirectoryError):
        return ReadError("这是一个文件夹")
    if isinstance(exc, ValueError):
        return ReadError("文件名无效")
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return ReadError("符号链接循环", hint="请修正该符号链接")
    return ReadError(f"无法打开文件（{_os_reason(exc)}）")


_ERRNO_REASONS = {
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "磁盘读写错误",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ENXIO: "设备不存在",
    errno.EBUSY: "文件正被占用",
}


def _os_reason(exc: Exception) -> str:
    """Why the system refused to open a file, in Chinese where the cause is a common one."""
    if isinstance(exc, OSError):
        return _ERRNO_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return str(exc)
