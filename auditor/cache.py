"""An on-disk cache of loaded checklists, so start-up does not re-validate YAML every run.

A loaded :class:`~auditor.checklist.Checklist` is pickled under a key made from the
tool version, the Python version, the auditor's own source files and the bytes of the rule
files it was built from (including files it ``extends``); any change misses the cache. The cache
lives in ``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else
``~/.cache/auditor``; ``AUDITOR_NO_CACHE=1`` turns it off. A cache that cannot be read
or written is ignored: it is never an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from auditor import __version__
from auditor.checklist import Checklist


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


def cached(files: list[Path], build: Callable[[], Checklist]) -> Checklist:
    """The checklist built from ``files``, from the cache when nothing changed."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        entry = folder / f"checklist-{_digest(files)}.pickle"
    except OSError:
        return build()
    with contextlib.suppress(Exception):
        deps, checklist = pickle.loads(entry.read_bytes())
        if _fresh(deps) and isinstance(checklist, Checklist):
            return checklist
    checklist = build()
    with contextlib.suppress(Exception):
        deps = [(p, _digest([Path(p)])) for p in checklist.files]
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((deps, checklist), fh, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(entry)
    return checklist
