"""Open zip-based formats (docx, OFD) with zip-bomb care: member count and expanded size."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from auditor.errors import ReadError

MAX_MEMBERS = 10_000
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
_BIG_MEMBER = 16 * 1024 * 1024
_MAX_RATIO = 400


def open_zip(stream: BinaryIO, what: str) -> zipfile.ZipFile:
    """A checked :class:`zipfile.ZipFile` over ``stream``; ``what`` names the format in errors."""
    try:
        archive = zipfile.ZipFile(stream)
    except Exception as exc:
        raise ReadError(
            f"corrupt {what} file (damaged or truncated zip archive)",
            hint="open and re-save it, or download it again",
        ) from exc
    try:
        check_expansion(archive, what)
    except ReadError:
        archive.close()
        raise
    return archive


def check_expansion(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse archives that would expand to an unreasonable size (zip bombs)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _bomb(what, f"{len(members)} members")
    total = sum(info.file_size for info in members)
    if total > MAX_EXPANDED_BYTES:
        raise _bomb(what, f"expands to {total} bytes")
    for info in members:
        if info.file_size > _BIG_MEMBER and info.file_size > _MAX_RATIO * max(
            1, info.compress_size
        ):
            raise _bomb(what, f"member {info.filename!r} is compressed {_MAX_RATIO}+ times")


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """The bytes of one member (its size was bounded by :func:`check_expansion`)."""
    try:
        return archive.read(name)
    except Exception as exc:
        raise ReadError(f"corrupt {what} file (cannot read {name!r})") from exc


def _bomb(what: str, detail: str) -> ReadError:
    return ReadError(
        f"refusing suspicious {what} file ({detail}; zip bomb?)",
        hint="re-save the document normally, or supply the .txt/.pdf",
    )
