"""Two packages' whole ``auditor check`` runs at the same time, round after round (issue 19).

Whole runs one after another drift on this machine by ±5–15 % from one minute to the next, more than a
round of optimisation gains; ``alternate.py`` compares two packages in one process, file by file, but
cannot see what a run sets up for its processes (docs/performance.md, item 69: the garbage collector's
pace in the workers). Here commit REV's package and the working tree's (frozen copies, as ``run.py --at``
makes them) each run ``auditor check FOLDER`` with the same options *at the same time*, so both see the
same slow spells; the order they are started in is swapped every round, and a first round warms both
checklist caches (one cache folder each) and is not counted. For each round it prints the CPU of each
run (its worker processes' and its own, from ``getrusage``) and its wall time, the change, and whether
the two outputs are the same bytes.

    .venv/bin/python benchmarks/together.py --before REV [--rounds 4] [--format json] [--jobs N] [FOLDER]

FOLDER defaults to the shapes corpus (``benchmarks/.corpus/shapes``; make it with ``benchmarks/shapes.py``
or ``run.py``). Both runs share the machine's cores, so each takes about twice its time alone: compare the
two columns, not either with a run alone. Rounds still scatter by several per cent on this machine (item 69:
−2 to +8 % in one series): read the median of several rounds, printed last, and for a change of a few per
cent inside the audit prefer an alternation inside one process (``alternate.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import snapshot

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "benchmarks" / ".corpus" / "shapes"

#: what each run executes: ``auditor`` with the given arguments, then its CPU and wall as one JSON line on the
#: file descriptor ``TOGETHER_FD`` names
RUNNER = """
import json, os, resource, sys, time
start = time.perf_counter()
import auditor
from auditor.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
os.write(int(os.environ["TOGETHER_FD"]), json.dumps({
    "wall": time.perf_counter() - start,
    "own": me.ru_utime + me.ru_stime,
    "workers": kids.ru_utime + kids.ru_stime,
    "package": auditor.__file__,
}).encode())
"""


def _start(package: Path, args: list[str], cache: Path) -> tuple[subprocess.Popen[bytes], int]:
    """One run started: its process and the read end of the pipe its figures come back on."""
    read, write = os.pipe()
    env = {**os.environ, "PYTHONPATH": str(package), "AUDITOR_CACHE_DIR": str(cache), "TOGETHER_FD": str(write)}
    process = subprocess.Popen(
        # -P: the working directory is not put first on the path, where it would shadow PYTHONPATH's package (run
        # from the checkout, both runs would import the working tree's package)
        [sys.executable, "-P", "-c", RUNNER, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write,),
    )
    os.close(write)
    return process, read


def _figures(process: subprocess.Popen[bytes], read: int, package: Path) -> dict[str, float]:
    """A run's CPU and wall; it must have imported the package it was given."""
    process.wait()
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    if not data:
        raise SystemExit(f"a run ended without its figures (exit {process.returncode})")
    figures = json.loads(data)
    imported = Path(figures.pop("package")).resolve()
    if not imported.is_relative_to(package.resolve()):
        raise SystemExit(f"a run imported {imported}, not the package under {package}")
    return {name: float(value) for name, value in figures.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the commit to compare the working tree with")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--format", default="json", help="the output format of both runs (json, jsonl, text …)")
    ap.add_argument("--jobs", type=int, default=None, help="--jobs of both runs (default: auditor's own)")
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    args = ap.parse_args()
    if not args.folder.is_dir():
        raise SystemExit(f"no folder {args.folder} (make the corpus first: benchmarks/shapes.py)")
    with tempfile.TemporaryDirectory(prefix="together-") as tmp:
        work = Path(tmp)
        packages = {"before": snapshot(args.before, work / "before"), "after": snapshot("worktree", work / "after")}
        outputs = {name: work / f"{name}.out" for name in packages}
        options = ["--format", args.format, *(["--jobs", str(args.jobs)] if args.jobs else [])]
        print(f"{args.folder}: auditor check {' '.join(options)}, {args.before} and the working tree at the same time")
        print(
            "round  first   before: cpu (workers + own)  wall    after: cpu (workers + own)  wall    cpu change  output"
        )
        changes: list[float] = []
        for round_ in range(args.rounds + 1):
            order = ["before", "after"] if round_ % 2 else ["after", "before"]
            started = {
                name: _start(
                    packages[name],
                    ["check", str(args.folder), *options, "--output", str(outputs[name])],
                    work / f"cache-{name}",
                )
                for name in order
            }
            got = {name: _figures(*started[name], packages[name]) for name in order}
            if round_ == 0:
                continue  # the checklist caches warmed
            same = outputs["before"].read_bytes() == outputs["after"].read_bytes()
            cpu = {name: got[name]["workers"] + got[name]["own"] for name in got}
            changes.append(cpu["after"] / cpu["before"] - 1)
            print(
                f"{round_:>5}  {order[0]:<6}  "
                f"{cpu['before']:>7.2f} s ({got['before']['workers']:.2f} + {got['before']['own']:.2f})  "
                f"{got['before']['wall']:>6.2f} s  "
                f"{cpu['after']:>7.2f} s ({got['after']['workers']:.2f} + {got['after']['own']:.2f})  "
                f"{got['after']['wall']:>6.2f} s  {cpu['after'] / cpu['before'] - 1:>+9.1%}  "
                f"{'identical' if same else 'DIFFERENT'}",
                flush=True,
            )
        if changes:
            print(f"median CPU change over {len(changes)} rounds: {statistics.median(changes):+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
