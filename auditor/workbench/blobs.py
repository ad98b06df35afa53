"""Uploaded bytes, stored under their sha256 (``<data>/blobs/ab/abcdef…``): written atomically
and read-only afterwards. A file is stored under its hash alone; it is read under its upload's name
through a temporary link (:func:`linked`)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

_HEX = frozenset("0123456789abcdef")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(root: Path, sha256: str) -> Path:
    """Where the blob of ``sha256`` lives (ValueError for anything but 64 lowercase hex digits)."""
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise ValueError("not a sha256")
    return root / sha256[:2] / sha256


def put(root: Path, data: bytes) -> str:
    """Store ``data`` (once: an existing blob is left untouched) and return its sha256."""
    sha = digest(data)
    target = path_of(root, sha)
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(0o444)
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    return sha


def read(root: Path, sha256: str) -> bytes:
    return path_of(root, sha256).read_bytes()


def linked(folder: Path, blob: str | Path, name: str) -> str:
    """A link named ``name`` to the stored ``blob``, made in ``folder`` (created now: a private folder of
    its own, so no two links meet): how a stored file is read under the name it was uploaded with."""
    folder.mkdir()
    link = folder / name
    link.symlink_to(blob)
    return str(link)
