"""The audit stage of two packages in ONE process, alternating report by report, and each rule's CPU (issue 19).

``alternate.py`` times whole reports; a change to the rules moves that by less than its noise. Here
commit REV's package (a renamed copy, as ``alternate.py`` makes it) and the working tree's each read,
understand and audit every report once; then ``engine.audit_many`` of each report (the rules, quoting,
scoring; fresh per-report caches, the document's own memos such as its tables kept) runs in one package
and then the other, the order swapped every turn, best of R per report. Both packages' findings must be
the same. Each rule's evaluation (``engine._unquoted``) is timed in both packages alike; ``--rules``
prints the 20 costliest: µs per evaluation, mean over the turns, before → after.

    .venv/bin/python benchmarks/audit_stage.py --before REV [--repeat 5] [--rules] [--untimed] [PATH ...]

PATH: files or folders (not their subfolders; default: the shapes corpus). ``--untimed`` is an
experiment, never a setting: the working tree's regexes all run without the engine's time-out
(``matchers.base.untimed`` answers yes to every call), to measure what the time-outs cost.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alternate import BEFORE, DEFAULT, ROOT, alternated, by_shape, renamed_copy
from inprocess import report_files


def _prepared(
    name: str, files: list[str], spent: dict[str, float], uses: Counter[str]
) -> tuple[Callable[..., Any], list[Any]]:
    """Package ``name``'s ``audit_many`` and, per file, the (documents, checklist) its pipeline audits;
    its ``_unquoted`` adds each rule's CPU to ``spent`` and its evaluations to ``uses``."""
    engine = importlib.import_module(f"{name}.engine")
    pipeline = importlib.import_module(f"{name}.pipeline")
    audit_many = engine.audit_many
    asked: list[Any] = []

    def recorded(docs: Any, checklist: Any) -> Any:
        asked.append((docs, checklist))
        return audit_many(docs, checklist)

    unquoted = engine._unquoted

    def timed(plan: Any, *args: Any) -> Any:
        started = time.process_time()
        try:
            return unquoted(plan, *args)
        finally:
            spent[plan.id] += time.process_time() - started
            uses[plan.id] += 1

    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    vars(engine)["audit_many"] = vars(pipeline)["audit_many"] = recorded  # engine.audit calls it too
    for f in files:
        before = len(asked)
        pipeline.audit_source(f, options, checklists)
        if len(asked) != before + 1:
            raise SystemExit(f"{f}: not audited once ({len(asked) - before} audits)")
    vars(engine)["audit_many"] = vars(pipeline)["audit_many"] = audit_many
    vars(engine)["_unquoted"] = timed
    return audit_many, asked


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the commit whose package is measured first")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rules", action="store_true", help="also the CPU of each rule's evaluation")
    ap.add_argument("--untimed", action="store_true", help="experiment: the working tree's regexes without time-out")
    ap.add_argument("paths", nargs="*", default=list(DEFAULT))
    args = ap.parse_args()
    os.environ["AUDITOR_NO_CACHE"] = "1"  # the two packages' pickled checklists would meet in one cache
    files = report_files(args.paths)
    spent: dict[str, dict[str, float]] = {"before": defaultdict(float), "after": defaultdict(float)}
    uses = {"before": Counter[str](), "after": Counter[str]()}
    with tempfile.TemporaryDirectory(prefix="auditor-stage-") as tmp:
        sys.path.insert(0, str(renamed_copy(args.before, Path(tmp))))
        sys.path.insert(0, str(ROOT))
        packages = {
            key: _prepared(name, files, spent[key], uses[key])
            for key, name in (("before", BEFORE), ("after", "auditor"))
        }
        if args.untimed:
            vars(importlib.import_module("auditor.matchers.base"))["untimed"] = lambda compiled, starts: True

        def warmed() -> None:  # the warm-up turn's rules are not counted
            for key in packages:
                spent[key].clear()
                uses[key].clear()

        def run(key: str, i: int) -> Any:
            audit_many, asked = packages[key]
            docs, checklist = asked[i]
            return audit_many(docs, checklist)

        def findings(audits: Any) -> str:
            return repr([(a.findings, a.score) for a in audits])

        best, differ = alternated(list(packages), len(files), args.repeat, run, findings, warmed)
    print(f"{len(files)} reports, {args.before} → working tree, audit stage CPU ms per report, best of {args.repeat}")
    by_shape(files, best["before"], best["after"])
    if args.rules:
        print("rule                      µs per evaluation (mean of the turns), before → after")
        for rule in sorted(spent["after"], key=lambda r: -spent["before"][r] - spent["after"][r])[:20]:
            b, a = (spent[k][rule] / uses[k][rule] * 1e6 for k in ("before", "after"))
            print(f"{rule:<24} {b:8.1f} → {a:8.1f}  ({(a / b - 1) * 100:+.1f} %)")
    if differ:
        print(f"findings differ for {len(differ)} reports, e.g. {files[differ[0]]}")
        return 1
    print("findings identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
