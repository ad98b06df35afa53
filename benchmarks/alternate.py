"""Before/after CPU per report of two packages in ONE process, alternating file by file (issue 19).

Whole ``auditor check`` runs drift by ±5–10 % on this machine from one minute to the next, more
than a round of optimisation gains. Here commit REV's package (``git archive``, its imports
renamed to ``auditor_before``) and the working tree's are imported side by side, and each report
is audited by one and then the other (the order swapped every turn), best of R per file, as
``auditor check`` audits it in a worker: read, understand, recognise, the rules and the JSON
bytes (``pipeline.audit_source`` + ``safe_encode``). Both outputs must be the same bytes, so a
change of behaviour is caught; the checklist cache is off, so neither package reads the other's.

    .venv/bin/python benchmarks/alternate.py --before REV [--repeat 5] [PATH ...]

PATH: files or folders (not their subfolders; default: the shapes corpus of ``benchmarks/shapes.py``
at ``benchmarks/.corpus/shapes``). Prints the CPU ms per report per shape (the part of the file name
after the number) and in all, before → after.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import report_files, shape_of

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (str(ROOT / "benchmarks" / ".corpus" / "shapes"),)
BEFORE = "auditor_before"
_IMPORT = re.compile(r"\bauditor(?=\.|\s+import\b|$)", re.MULTILINE)


def renamed_copy(rev: str, into: Path) -> Path:
    """Commit ``rev``'s ``auditor`` package extracted under ``into`` as ``auditor_before``, every
    reference to its own modules renamed; the folder to put on ``sys.path``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "auditor"], check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as tar_file:
        tar_file.write(archive)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            tar.extractall(into, filter="data")
    package = into / BEFORE
    (into / "auditor").rename(package)
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        text = _IMPORT.sub(BEFORE, text).replace('files("auditor")', f'files("{BEFORE}")')  # its checklists
        source.write_text(text, encoding="utf-8")
    return into


def alternated(
    keys: Sequence[str],
    count: int,
    repeat: int,
    run: Callable[[str, int], Any],
    same: Callable[[Any], Any] = lambda made: made,
    warmed: Callable[[], None] = lambda: None,
) -> tuple[dict[str, list[float]], list[int]]:
    """Items 0 … count-1 each ``run`` by every key in turn, the keys' order swapped every turn: a warm-up turn
    (then ``warmed()``), then ``repeat`` timed ones. The best CPU seconds of each key on each item, and the
    items whose ``same`` of what the keys made differ in some turn."""
    best = {key: [float("inf")] * count for key in keys}
    differ: set[int] = set()
    for turn in range(repeat + 1):
        if turn == 1:
            warmed()
        order = list(keys) if turn % 2 == 0 else list(reversed(keys))
        for i in range(count):
            made = {}
            for key in order:
                started = time.process_time()
                out = run(key, i)
                if turn:
                    best[key][i] = min(best[key][i], time.process_time() - started)
                made[key] = same(out)
            first, *others = made.values()
            if any(other != first for other in others):
                differ.add(i)
    return best, sorted(differ)


def by_shape(files: Sequence[str], before: Sequence[float], after: Sequence[float]) -> None:
    """Print the CPU ms per file of each shape and of all, before → after (``before[i]``: file i's seconds)."""
    for shape in [*sorted({shape_of(f) for f in files}), "all"]:
        chosen = [i for i, f in enumerate(files) if shape == "all" or shape_of(f) == shape]
        b, a = (sum(seconds[i] for i in chosen) * 1000 / len(chosen) for seconds in (before, after))
        print(f"{shape:<10} {len(chosen):>5}  {b:8.3f} → {a:8.3f}  ({(a / b - 1) * 100:+.1f} %)")


def _loaded(name: str) -> tuple[ModuleType, Any, Any]:
    pipeline = importlib.import_module(f"{name}.pipeline")
    options = pipeline.Options()
    return pipeline, options, pipeline.load_for(options)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the commit whose package is measured first")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("paths", nargs="*", default=list(DEFAULT))
    args = ap.parse_args()
    os.environ["AUDITOR_NO_CACHE"] = "1"  # the two packages' pickled checklists would meet in one cache
    files = report_files(args.paths)
    with tempfile.TemporaryDirectory(prefix="auditor-alternate-") as tmp:
        sys.path.insert(0, str(renamed_copy(args.before, Path(tmp))))
        sys.path.insert(0, str(ROOT))
        packages = {"before": _loaded(BEFORE), "after": _loaded("auditor")}

        def run(key: str, i: int) -> bytes:
            pipeline, options, checklists = packages[key]
            encoded: bytes = pipeline.safe_encode(files[i], pipeline.audit_source(files[i], options, checklists), True)[
                1
            ]
            return encoded

        best, differ = alternated(list(packages), len(files), args.repeat, run)
    print(f"{len(files)} reports, {args.before} → working tree, CPU ms per report, best of {args.repeat}, alternating")
    by_shape(files, best["before"], best["after"])
    if differ:
        print(f"output differs for {len(differ)} reports, e.g. {files[differ[0]]}")
        return 1
    print("output identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
