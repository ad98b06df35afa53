"""CPU per year-over-year pair, in ONE process (issue 19): both files read and understood again and
compared, as ``commands/yoy.py::_compared`` does for each pair ``auditor check`` finds.

FOLDER holds pairs: a report ``NAME`` and last year's ``prev-NAME`` (e.g. seed-shaped reports and
copies of them with the year moved back by one). Each pair's two reports are audited once to JSON
(as the batch hands them over); then, per pair, ``pipeline.read_understood`` of both files and
``paired.compare_pair`` are timed, best of R. With ``--before REV`` commit REV's package (renamed
``auditor_before``, see ``alternate.py``) and the working tree's run in turns, pair by pair, the
order swapped every turn, and their comparisons must be equal (else exit 1).

    .venv/bin/python benchmarks/compare_cost.py FOLDER [--pairs 60] [--repeat 5] [--before REV] [--profile F]

Prints the CPU ms per pair (and, without ``--before``, the part spent reading both files again).
``--profile F`` writes a cProfile of one pass over the pairs (working tree) to F.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alternate import BEFORE, alternated, renamed_copy

ROOT = Path(__file__).resolve().parent.parent


def pairs_in(folder: str, limit: int) -> list[tuple[str, str]]:
    """(this year's file, last year's file) of the first ``limit`` pairs of ``folder``, by name."""
    root = Path(folder)
    names = sorted(p.name for p in root.iterdir() if not p.name.startswith("prev-"))
    return [(str(root / n), str(root / f"prev-{n}")) for n in names if (root / f"prev-{n}").exists()][:limit]


def _comparer(name: str, pairs: list[tuple[str, str]]) -> tuple[Callable[[int], Any], Callable[[int], Any]]:
    """For package ``name``: compare pair k (read both again, compare) and read pair k only."""
    pipeline = importlib.import_module(f"{name}.pipeline")
    paired = importlib.import_module(f"{name}.compare.paired")
    dumps = importlib.import_module(f"{name}.report.encode").dumps
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    share = paired.copy_share(options.config)
    audited = [
        tuple(orjson.loads(dumps(pipeline.audit_source(f, options, checklists))) for f in pair) for pair in pairs
    ]

    def read_one(path: str) -> Any:
        """A file read as a comparison reads it (older packages: ``paired.read(path, max_chars, stdin)``)."""
        if hasattr(paired, "read"):
            return paired.read(path, options.max_chars, options.stdin)
        return pipeline.read_understood(path, options)[1]

    def read(k: int) -> tuple[Any, Any]:
        this, last = pairs[k]
        return read_one(last), read_one(this)

    def compare(k: int) -> Any:
        last_doc, this_doc = read(k)
        this, last = audited[k]
        return paired.compare_pair(this, this_doc, last, last_doc, "batch", [], checklists, share)

    return compare, read


def _timed(fn: Callable[[int], Any], k: int) -> float:
    started = time.process_time()
    fn(k)
    return time.process_time() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--before", help="the commit whose package is measured against the working tree")
    ap.add_argument("--profile", help="write a cProfile of one pass (working tree) to this file")
    args = ap.parse_args()
    os.environ["AUDITOR_NO_CACHE"] = "1"  # the two packages' pickled checklists would meet in one cache
    pairs = pairs_in(args.folder, args.pairs)
    if not pairs:
        print(f"no pairs (NAME and prev-NAME) in {args.folder}")
        return 2
    with tempfile.TemporaryDirectory(prefix="auditor-compare-cost-") as tmp:
        names = {"after": "auditor"}
        if args.before:
            sys.path.insert(0, str(renamed_copy(args.before, Path(tmp))))
            names = {"before": BEFORE, **names}
        sys.path.insert(0, str(ROOT))
        made = {key: _comparer(name, pairs) for key, name in names.items()}
        best, differ = alternated(list(names), len(pairs), args.repeat, lambda key, k: made[key][0](k))
        # without --before, also the part of a pair that is reading both files again
        reads = (
            []
            if args.before
            else [min(_timed(made["after"][1], k) for _ in range(args.repeat)) for k in range(len(pairs))]
        )
        if args.profile:
            compare = made["after"][0]
            cProfile.runctx("for k in range(n): compare(k)", {}, {"compare": compare, "n": len(pairs)}, args.profile)
    per = {key: sum(v) * 1000 / len(pairs) for key, v in best.items()}
    print(f"{len(pairs)} pairs of {args.folder}, CPU ms per pair, best of {args.repeat}")
    if args.before:
        change = (per["after"] / per["before"] - 1) * 100
        print(f"{args.before} → working tree: {per['before']:.3f} → {per['after']:.3f} ({change:+.1f} %), alternating")
        if differ:
            print(f"comparisons differ for {len(differ)} pairs, e.g. {pairs[differ[0]][0]}")
            return 1
        print("comparisons identical")
    else:
        print(f"pair {per['after']:.3f} (reading both files again {sum(reads) * 1000 / len(pairs):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
