"""An on-disk cache of loaded checklists, so start-up does not re-validate YAML every run.

A loaded :class:`~auditor.checklist.Checklist` is pickled under a key made from the
tool version, the Python version, the auditor's own source files and the bytes of the rule
files it was built from (including files it ``extends``); any change misses the cache. The cache
lives in ``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else
``~/.cache/auditor``; ``AUDITOR_NO_CACHE=1`` turns it off. A cache that cannot be read
or written is ignored: it is never an error.

Unpickling runs code, so an entry is read only when nobody else could have written it:
the folder is created 0700 and is used only while it is a real folder owned by the current
user and writable by no one else; each entry is a regular file of ours, signed with an
HMAC-SHA256 keyed by a per-user secret (``key``, 0600, in the same folder), and the
signature is checked before anything is unpickled. A file dropped into the folder, an entry
copied from another machine or user, or a folder someone else controls is ignored (the
checklist is built from the rule files instead).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from auditor import __version__
from auditor.checklist import Checklist

KEY_NAME = "key"
KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size


def cache_dir() -> Path | None:
    if os.environ.get("AUDITOR_NO_CACHE"):
        return None
    explicit = os.environ.get("AUDITOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "auditor"


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The auditor's own source files (name, size, mtime): a loader change misses the cache too."""
    root = Path(__file__).parent
    parts = []
    for f in sorted(root.rglob("*.py")):
        st = f.stat()
        parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _digest(files: Iterable[Path]) -> str:
    h = hashlib.sha256(f"{__version__}|{sys.version}|{_code_stamp()}".encode())
    for f in sorted(files):
        h.update(str(f).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _fresh(deps: list[tuple[str, str]]) -> bool:
    try:
        return all(_digest([Path(p)]) == d for p, d in deps)
    except OSError:
        return False


# ------------------------------------------------------------------ trust


_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
MAX_ENTRY = 64 << 20  # bytes: a pickled checklist is far smaller; a bigger file is not ours


def private(st: os.stat_result, kind: int, forbidden: int = _OTHERS_WRITE) -> bool:
    """Of the kind asked (``stat.S_IFDIR``/``S_IFREG``), owned by us, none of ``forbidden`` mode bits."""
    return stat.S_IFMT(st.st_mode) == kind and st.st_uid == os.geteuid() and not st.st_mode & forbidden


def _trusted_folder(folder: Path) -> bool:
    """The cache folder is a real folder of ours that no one else can write (created 0700)."""
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True)
    try:
        return private(folder.lstat(), stat.S_IFDIR)
    except OSError:
        return False


def _read_private(path: Path, limit: int, forbidden: int = _OTHERS_WRITE) -> bytes | None:
    """A regular file of ours (not a link, no ``forbidden`` mode bits, at most ``limit`` bytes),
    checked and read through one descriptor; None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not private(st, stat.S_IFREG, forbidden) or st.st_size > limit:
            return None
        data = fh.read(limit + 1)
        return data if len(data) <= limit else None


def _key(folder: Path) -> bytes | None:
    """The per-user secret that signs entries: read, or made once (0600; first writer wins)."""
    path = folder / KEY_NAME
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-")  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(KEY_BYTES))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # never replaces a key another process made meanwhile
        finally:
            Path(tmp).unlink()
    key = _read_private(path, KEY_BYTES, forbidden=0o077)  # readable by us alone
    return key if key is not None and len(key) == KEY_BYTES else None


def sign(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest() + payload


def verified(key: bytes, data: bytes) -> bytes | None:
    """The payload of a signed entry, or None when the signature does not match."""
    tag, payload = data[:TAG_BYTES], data[TAG_BYTES:]
    good = hmac.new(key, payload, hashlib.sha256).digest()
    return payload if len(tag) == TAG_BYTES and hmac.compare_digest(tag, good) else None


# ------------------------------------------------------------------ the cache


def _load(entry: Path, key: bytes) -> Checklist | None:
    data = _read_private(entry, MAX_ENTRY)
    payload = verified(key, data) if data is not None else None
    if payload is None:
        return None  # not ours: never unpickled
    with contextlib.suppress(Exception):
        deps, checklist = pickle.loads(payload)
        if _fresh(deps) and isinstance(checklist, Checklist):
            return checklist
    return None


def _store(folder: Path, entry: Path, key: bytes, checklist: Checklist) -> None:
    deps = [(p, _digest([Path(p)])) for p in checklist.files]
    payload = pickle.dumps((deps, checklist), protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(sign(key, payload))
        Path(tmp).replace(entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached(files: list[Path], build: Callable[[], Checklist]) -> Checklist:
    """The checklist built from ``files``, from the cache when nothing changed."""
    folder = cache_dir()
    if folder is None or not _trusted_folder(folder):
        return build()
    try:
        entry = folder / f"checklist-{_digest(files)}.pickle"
        key = _key(folder)
    except OSError:
        return build()
    if key is None:
        return build()
    found = _load(entry, key)
    if found is not None:
        return found
    checklist = build()
    with contextlib.suppress(Exception):
        _store(folder, entry, key, checklist)
    return checklist
