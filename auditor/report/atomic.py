"""Writing output files safely.

* A regular file is written atomically: a temp file in the target's folder, then
  ``os.replace``; readers never see a partial file and an interruption leaves the old one.
* A symbolic link is followed: the file it points to is replaced, not the link.
* Something that is not a regular file is never replaced: ``/dev/null``, a terminal or a pipe
  (``-o /dev/stdout``, ``-o >(cmd)``) is written into; a folder, a block device, a socket or any
  other special file is refused.
* Every operating-system failure (no permission, disk full, read-only file system, a file
  where a folder is needed …) is an :class:`OutputError` naming the path, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from auditor.errors import OutputError

NEW_FILE_MODE = 0o644

_REASONS = {
    errno.EACCES: ("没有写入权限", "换一个有写入权限的 --output 位置"),
    errno.EPERM: ("没有写入权限", "换一个有写入权限的 --output 位置"),
    errno.ENOSPC: ("磁盘空间已满", "清理磁盘空间或换一个 --output 位置后重试"),
    errno.EDQUOT: ("超出磁盘配额", "清理磁盘空间或换一个 --output 位置后重试"),
    errno.EROFS: ("文件系统为只读", "换一个可写的 --output 位置"),
    errno.ENOTDIR: ("路径中的某一级不是文件夹", "检查 --output 路径"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "给出文件路径，或用多种格式/网页格式写入该文件夹"),
    errno.ENAMETOOLONG: ("文件名过长", "换一个较短的 --output 路径"),
    errno.ELOOP: ("符号链接循环", "检查 --output 路径"),
    errno.EEXIST: ("同名文件已存在", "检查 --output 路径"),
    errno.EFBIG: ("文件超过允许的大小", "检查文件大小限制（ulimit -f），或换一个 --output 位置"),
}


def output_error(path: Path | str, exc: OSError) -> OutputError:
    """The one-line user error for an OS failure while writing ``path``."""
    reason, hint = _REASONS.get(exc.errno or 0, (exc.strerror or type(exc).__name__, "检查 --output 路径"))
    return OutputError(f"无法写入输出文件 {path}：{reason}", hint=hint)


@contextlib.contextmanager
def writing_stdout() -> Iterator[None]:
    """Around writing standard output: an OS failure (``> file`` on a full disk, ``> /dev/full``) becomes
    the one-line user error; a reader gone away (BrokenPipeError, ``| head``) is left to cli, which says
    nothing more."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_error(exc) from exc


def stdout_error(exc: OSError) -> OutputError:
    """The one-line user error for an OS failure while writing standard output (``> file`` on a full
    disk, ``> /dev/full``); a reader gone away (BrokenPipeError) is the caller's to handle."""
    reason, hint = _REASONS.get(exc.errno or 0, (exc.strerror or type(exc).__name__, "检查标准输出被重定向到的位置"))
    return OutputError(f"无法写入标准输出：{reason}", hint=hint.replace(" --output 位置", "输出位置"))


def os_reason(exc: OSError) -> str:
    """Why writing failed, in Chinese when the cause is a known one (e.g. 磁盘空间已满)."""
    if exc.errno == errno.ENOENT:
        return "文件夹不存在"
    known = _REASONS.get(exc.errno or 0)
    return known[0] if known else exc.strerror or type(exc).__name__


def resolved(path: Path) -> Path:
    """The path to write: a symbolic link (also a dangling one) resolved to its target. A link the system
    follows but whose target has no path (``/dev/stdout`` on a pipe: ``/proc/self/fd/1`` → ``pipe:[…]``) is
    kept as given, so the pipe is written into."""
    real = Path(os.path.realpath(path))
    if real != path and not real.exists() and path.exists():
        return path
    return real


def special_kind(path: Path) -> str | None:
    """None for a regular or missing file; else what ``path`` is: "stream" for what may be
    written into (``/dev/null``, a terminal, a pipe), or a Chinese name of what must not be."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise output_error(path, exc) from exc
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "stream"
    if stat.S_ISCHR(mode) and (_is_null(st) or _is_tty(path)):
        return "stream"
    return "设备或特殊文件"


def _is_null(st: os.stat_result) -> bool:
    try:
        null = Path(os.devnull).stat()
    except OSError:
        return False
    return stat.S_ISCHR(null.st_mode) and st.st_rdev == null.st_rdev


def _is_tty(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def check_target(path: Path) -> Path:
    """The real path to write for ``path``; refuse a folder or a special file."""
    real = resolved(path)
    kind = special_kind(real)
    if kind is not None and kind != "stream":
        raise OutputError(
            f"无法写入输出文件 {path}：它是{kind}，不是普通文件",
            hint="给 --output 一个普通文件的路径"
            if kind != "文件夹"
            else "给出文件路径，或用多种格式/网页格式写入该文件夹",
        )
    return real


def make_parents(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(path.parent, exc) from exc


#: what a file is written from: text (as UTF-8), bytes, or bytes in pieces (each written as it
#: comes, e.g. while the reports it holds are still being finished)
Payload = str | bytes | Iterable[bytes]


def _pieces(data: Payload) -> Iterable[bytes]:
    if isinstance(data, str):
        return (data.encode("utf-8"),)
    return (data,) if isinstance(data, bytes) else data


def write_atomic(path: Path, data: Payload) -> None:
    """Write ``data`` to ``path`` so readers never see a partial file (also when making a piece fails:
    the temp file is removed and the error raised)."""
    payload = _pieces(data)
    real = check_target(path)
    if special_kind(real) == "stream":
        _write_into(real, payload)
        return
    make_parents(real)
    try:
        mode = real.stat().st_mode & 0o777 if real.exists() else NEW_FILE_MODE
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise output_error(path, exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in payload:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise output_error(path, exc) from exc
        raise


def _write_into(path: Path, payload: Iterable[bytes]) -> None:
    """Write into /dev/null, a terminal or a pipe (never replace it)."""
    try:
        with path.open("wb", buffering=0) as handle:
            for piece in payload:
                handle.write(piece)
    except OSError as exc:
        raise output_error(path, exc) from exc
