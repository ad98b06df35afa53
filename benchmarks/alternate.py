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
from collections import defaultdict
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
        best: dict[str, dict[str, float]] = {k: defaultdict(lambda: float("inf")) for k in packages}
        differ: set[str] = set()
        for turn in range(args.repeat + 1):  # the first turn warms both
            order = ("before", "after") if turn % 2 == 0 else ("after", "before")
            for f in files:
                made = {}
                for key in order:
                    pipeline, options, checklists = packages[key]
                    started = time.process_time()
                    made[key] = pipeline.safe_encode(f, pipeline.audit_source(f, options, checklists), True)[1]
                    if turn:
                        best[key][f] = min(best[key][f], time.process_time() - started)
                if made["before"] != made["after"]:
                    differ.add(f)
    print(f"{len(files)} reports, {args.before} → working tree, CPU ms per report, best of {args.repeat}, alternating")
    shapes = sorted({shape_of(f) for f in files})
    for shape in [*shapes, "all"]:
        chosen = [f for f in files if shape == "all" or shape_of(f) == shape]
        before, after = (sum(best[k][f] for f in chosen) * 1000 / len(chosen) for k in ("before", "after"))
        print(f"{shape:<10} {len(chosen):>5}  {before:8.3f} → {after:8.3f}  ({(after / before - 1) * 100:+.1f} %)")
    if differ:
        print(f"output differs for {len(differ)} reports, e.g. {sorted(differ)[0]}")
        return 1
    print("output identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
