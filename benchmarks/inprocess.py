"""In-process CPU per report (issue 19): ``time.process_time``, best of R, no start-up.

Audits the files in the given folders (not their subfolders; default: the seeds, the unseen reports, the examples
and the gov-info-disclosure fixtures) as ``auditor check`` does, with the bundled checklists
chosen per report, and prints the CPU milliseconds per report of the whole audit (read,
understand, recognise, audit) and of the ``audit`` stage alone (all rules).

    .venv/bin/python benchmarks/inprocess.py [--repeat 5] [--by-shape] [PATH ...]

``--by-shape`` also prints the CPU per report of each shape of ``benchmarks/shapes.py`` (the
shape is the part of the file name after the number: ``s00037-pdf.pdf`` → pdf) and its share
of the total; with ``--floor`` as well, the lean floor's CPU per report of each shape (``floor.py
--lean``'s work on one file: read, decode, one Aho-Corasick pass; a .docx or .pdf is given the text
of ``floorview/``, next to the corpus folder, as the floor run is) and the ratio: the ratio in one process,
before a batch's start-up and its cores are counted (short reports cost the most for what they hold).

To compare with an older commit, run it from the repository root with that commit's package
first on the path (``git archive REV auditor | tar -x -C /tmp/old``, then
``PYTHONPATH=/tmp/old``); the script prints which package it measured.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

DEFAULT = ("fixtures/seeds", "fixtures/unseen", "examples", "fixtures/gov-info-disclosure")


def report_files(paths: list[str]) -> list[str]:
    """The report files of the given files and folders (not their subfolders; no rule files). A folder
    that holds no file but a ``shapes`` folder is the output folder of ``shapes.py --out DIR``: its
    ``shapes`` folder is read (``run.py`` writes the corpus into ``.corpus/shapes`` itself)."""
    out: list[str] = []
    for p in map(Path, paths):
        if p.is_dir() and not any(f.is_file() for f in p.iterdir()) and (p / "shapes").is_dir():
            p = p / "shapes"
        found = sorted(p.iterdir()) if p.is_dir() else [p]
        out.extend(str(f) for f in found if f.is_file() and not f.name.endswith((".yaml", ".yml")))
    if not out:
        raise SystemExit(f"no report files in {', '.join(paths)} (make the corpus first: benchmarks/shapes.py)")
    return out


def shape_of(path: str) -> str:
    """The shape of a corpus file (``s00037-pdf.pdf`` → pdf), else its extension."""
    m = re.match(r"s\d+-(.+?)\.\w+$", Path(path).name)
    return m.group(1) if m else Path(path).suffix.lstrip(".")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--by-shape", action="store_true", help="CPU per shape (file name s00000-SHAPE.ext)")
    ap.add_argument("--floor", action="store_true", help="with --by-shape: the lean floor's CPU per shape too")
    ap.add_argument("paths", nargs="*", default=list(DEFAULT))
    args = ap.parse_args()

    import auditor.pipeline as pipeline

    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    files = report_files(args.paths)
    spent = [0.0]
    audit = vars(pipeline)["audit"]  # the engine's audit, as the pipeline calls it

    def timed(doc: Any, checklist: Any) -> Any:
        t = time.process_time()
        try:
            return audit(doc, checklist)
        finally:
            spent[0] += time.process_time() - t

    vars(pipeline)["audit"] = timed
    for f in files:  # warm: regex compilation, per-checklist memos
        pipeline.audit_source(f, options, checklists)
    best_total = best_audit = float("inf")
    per_file: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(args.repeat):
        spent[0] = 0.0
        t = time.process_time()
        for f in files:
            t0 = time.process_time()
            pipeline.audit_source(f, options, checklists)
            per_file[f] = min(per_file[f], time.process_time() - t0)
        best_total = min(best_total, time.process_time() - t)
        best_audit = min(best_audit, spent[0])
    n = len(files) or 1
    print(f"package: {Path(pipeline.__file__).parent}")
    print(
        f"{len(files)} reports, best of {args.repeat}: {best_total * 1000 / n:.2f} ms/report in all, "
        f"audit stage {best_audit * 1000 / n:.2f} ms/report (CPU, process_time)"
    )
    if args.by_shape:
        _print_shapes(per_file, _floor_costs(files, args.repeat) if args.floor else {})
    return 0


def _floor_costs(files: list[str], repeat: int) -> dict[str, float]:
    """The lean floor's CPU seconds (best of ``repeat``) per file it can read (see the module's text)."""
    from floor import lean_hits, phrase_automaton

    automaton = phrase_automaton()
    read: dict[str, Path] = {}
    for f in map(Path, files):
        given = f.parent.parent / "floorview" / f"{f.stem}.txt"
        if f.suffix in (".docx", ".pdf"):
            if given.is_file():
                read[str(f)] = given
        else:
            read[str(f)] = f
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(repeat + 1):
        for f, path in read.items():
            t = time.process_time()
            lean_hits(automaton, path)
            best[f] = min(best[f], time.process_time() - t)
    return best


def _print_shapes(per_file: dict[str, float], floor: dict[str, float]) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for f in per_file:
        groups[shape_of(f)].append(f)
    total = sum(per_file.values()) or 1e-9
    print("shape      reports  ms/report  share of CPU" + ("  floor ms  × floor" if floor else ""))
    for shape, names in sorted(groups.items(), key=lambda kv: -sum(per_file[f] for f in kv[1])):
        cpu = sum(per_file[f] for f in names)
        line = f"{shape:<10} {len(names):>7}  {cpu * 1000 / len(names):>9.2f}  {cpu / total:>11.1%}"
        held = [f for f in names if f in floor]
        if held:
            spent = sum(floor[f] for f in held)
            line += f"  {spent * 1000 / len(held):>8.3f}  {sum(per_file[f] for f in held) / spent:>7.1f}"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
