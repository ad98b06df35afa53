"""Issue 19: is memory bounded when many reports are streamed to JSON Lines?

    .venv/bin/python benchmarks/stream.py [--n 20000] [--shape short] [--jobs N]

Writes ``--n`` small reports (``benchmarks/shapes.py``, by default the short department
reports, ≈ 1.5 k characters each) into one folder, runs ``auditor check FOLDER --format jsonl
--output F`` and samples every 0.5 s the resident memory (RSS) of the main process and of the
whole process tree (psutil) against the number of lines written so far. It prints the RSS when
10 %, 25 %, 50 %, 75 % and 100 % of the reports are written and the growth from 10 % to 100 %
per 1,000 reports: bounded memory means that growth is ≈ 0 (what a batch of 100,000 needs is
then the 10 % figure, not 5× the 20,000 one). Figures go to ``benchmarks/.out/stream.json``.

    .venv/bin/python benchmarks/stream.py --format json --folder /tmp/txtall [--copies 8] [--before REV] [--repeat 2]

``--format json`` (``--output F``) or ``text`` (the default format, stdout to a file) hold the batch until
its end: the peak memory is what counts. Each run's main process reports its own max RSS and CPU
(``getrusage(RUSAGE_SELF)`` at exit: the workers are not in it), with the CPU of every process, the
largest process's RSS (``wait4``) and the sampled peak of the whole tree (every 0.1 s). ``--folder``
audits an existing folder (``--copies K``: K copies of each of its files under new names, in ``--work``);
``--before REV`` runs the package of REV too (``git archive``, its own cache, from a folder that is not
a checkout), alternating with this one, and compares the outputs byte for byte.
Figures go to ``benchmarks/.out/peaks.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402
import shapes  # noqa: E402

AUDITOR = str(Path(sys.executable).parent / "auditor")


def _rss(root: psutil.Process) -> tuple[float, float]:
    """(main process, whole tree) RSS in MB."""
    main = root.memory_info().rss
    tree = main + sum(c.memory_info().rss for c in root.children(recursive=True))
    return main / 2**20, tree / 2**20


def stream(folder: Path, out: Path, jobs: list[str], log: Path) -> list[tuple[float, int, float, float]]:
    """(seconds, lines written, main MB, tree MB) every 0.5 s while the run lasts."""
    out.unlink(missing_ok=True)
    cmd = [AUDITOR, "check", str(folder), "--format", "jsonl", "--output", str(out), "--no-progress", *jobs]
    samples: list[tuple[float, int, float, float]] = []
    lines, read = 0, 0
    start = time.perf_counter()
    with log.open("ab") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            time.sleep(0.5)
            try:
                main, tree = _rss(root)
            except psutil.Error:
                break
            if out.exists():
                with out.open("rb") as f:
                    f.seek(read)
                    chunk = f.read()
                lines += chunk.count(b"\n")
                read += len(chunk)
            if main > 0:  # a process that has exited (a zombie) reports no memory
                samples.append((time.perf_counter() - start, lines, main, tree))
    if proc.returncode not in (0, 1):
        raise SystemExit(f"auditor check failed ({proc.returncode}); see {log}")
    return samples


def at_share(samples: list[tuple[float, int, float, float]], n: int, share: float) -> tuple[float, int, float, float]:
    """The first sample with at least share × n lines written (else the last)."""
    return next((s for s in samples if s[1] >= share * n), samples[-1])


#: runs the CLI, then writes the main process's own max RSS (kB) where STREAM_RSS_TO says
_WRAPPER = """
import os, resource, sys
from auditor.cli import main
try:
    code = main(sys.argv[1:])
finally:
    me = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["STREAM_RSS_TO"], "w") as f:
        f.write(f"{me.ru_maxrss} {me.ru_utime + me.ru_stime}")
sys.exit(code)
"""


def peaks(cmd: list[str], stdout: Path, env: dict[str, str], cwd: Path, log: Path) -> dict[str, float]:
    """One run of ``cmd`` (the wrapper's arguments): wall seconds, CPU seconds of every process and of the
    main one, the main process's max RSS, the largest process's (wait4) and the sampled peak of the tree
    (MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss, stdout.open("wb") as out, log.open("ab") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-P", "-c", _WRAPPER, *cmd],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env={**os.environ, **env, "STREAM_RSS_TO": rss.name},
        )
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(proc.pid)
                while not done.wait(0.1):
                    with contextlib.suppress(psutil.Error):
                        peak[0] = max(peak[0], _rss(root)[1])

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        thread.join()
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"auditor check failed ({os.waitstatus_to_exitcode(status)}); see {log}")
        main_kb, main_cpu = map(float, Path(rss.name).read_text().split())
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "main_cpu_s": main_cpu,
        "main_mb": main_kb / 1024,
        "largest_mb": usage.ru_maxrss / 1024,
        "tree_mb": peak[0],
    }


def _copies(folder: Path, k: int, dest: Path) -> Path:
    """``dest`` with k copies of each file of ``folder``, under new names (made afresh; copies, not links:
    a file reached twice, by a link or a hard link, is audited once)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in sorted(folder.iterdir()):
        for i in range(k):
            shutil.copyfile(f, dest / f"c{i}-{f.name}")
    return dest


def held(args: argparse.Namespace, log: Path) -> int:
    """``--format json`` / ``text``: peak memory of this package (and of ``--before``), alternating."""
    folder = _copies(args.folder, args.copies, args.work / "copies") if args.copies > 1 else args.folder.resolve()
    n = sum(1 for _ in folder.iterdir())
    scratch = Path(tempfile.mkdtemp(prefix="stream-"))  # not a checkout: the package is the one chosen
    packages: dict[str, dict[str, str]] = {"this": {}}
    if args.before:
        old = run.snapshot(args.before, scratch / "old")
        packages = {args.before: {"PYTHONPATH": str(old), "AUDITOR_CACHE_DIR": str(scratch / "cache")}, **packages}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in packages}
    for _ in range(args.repeat):
        for name, env in packages.items():
            out = scratch / f"{name}.{args.format}"
            cmd = ["check", str(folder), "--format", args.format, "--no-progress", *jobs]
            cmd += ["--output", str(out)] if args.format == "json" else []
            runs[name].append(peaks(cmd, out if args.format == "text" else scratch / "stdout", env, scratch, log))
    outputs = [scratch / f"{name}.{args.format}" for name in packages]
    same = all(filecmp.cmp(outputs[0], o, shallow=False) for o in outputs[1:])
    print(f"{n} reports of {args.folder} (×{args.copies}), --format {args.format}, best of {args.repeat}")
    print("package         wall s (best / median)  CPU s, all     CPU s, main   main MB  largest MB  tree MB")
    table = {}
    for name, got in runs.items():
        # times: the best (least disturbed by other load) and the median; memory: the most
        best = {key: (max if key.endswith("_mb") else min)(r[key] for r in got) for key in got[0]}
        median = {key: statistics.median(r[key] for r in got) for key in got[0]}
        table[name] = {"best": best, "median": median, "runs": got}
        times = "  ".join(f"{best[k]:>5.2f} / {median[k]:>5.2f}" for k in ("wall_s", "cpu_s", "main_cpu_s"))
        mb = "  ".join(f"{best[k]:>{w}.0f}" for k, w in (("main_mb", 7), ("largest_mb", 10), ("tree_mb", 7)))
        print(f"{name:<15} {times}  {mb}")
    if len(outputs) > 1:
        print("outputs byte-identical" if same else "OUTPUTS DIFFER")
    result = {"reports": n, "folder": str(args.folder), "copies": args.copies, "format": args.format, "same": same}
    (args.out / "peaks.json").write_text(json.dumps({**result, "packages": table}, indent=2), encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0 if same else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--shape", default="short", choices=[s for s, _ in shapes.CYCLE])
    ap.add_argument("--jobs", type=int, help="passed to auditor check (default: its own, all cores)")
    ap.add_argument("--work", type=Path, default=HERE / ".corpus" / "stream")
    ap.add_argument("--out", type=Path, default=HERE / ".out")
    ap.add_argument("--format", default="jsonl", choices=["jsonl", "json", "text"])
    ap.add_argument("--folder", type=Path, help="json/text: audit this folder (default: --n reports of --shape)")
    ap.add_argument("--copies", type=int, default=1, help="json/text: copies of each file of --folder")
    ap.add_argument("--before", help="json/text: also run the package of this commit, alternating")
    ap.add_argument("--repeat", type=int, default=1, help="json/text: runs of each package (best kept)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "stream.log"
    log.write_bytes(b"")
    if args.format != "jsonl":
        if args.folder is None:
            shapes.make_shapes(args.work, args.n, only=(args.shape,))
            args.folder = args.work / "shapes"
        return held(args, log)
    items = shapes.make_shapes(args.work, args.n, only=(args.shape,))
    chars = sum(len(i.floor.read_bytes().decode("utf-8", "replace")) for i in items[:200]) // min(200, len(items))
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    samples = stream(args.work / "shapes", args.out / "stream.jsonl", jobs, log)
    written = sum(1 for _ in (args.out / "stream.jsonl").open("rb"))
    print(f"{args.n} '{args.shape}' reports (≈ {chars} characters each), {samples[-1][0]:.0f} s, {written} lines")
    print("written   seconds  main RSS  tree RSS")
    table = {}
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        t, k, main, tree = at_share(samples, args.n, share)
        table[share] = {"seconds": t, "lines": k, "main_mb": main, "tree_mb": tree}
        print(f"{k:>7}  {t:>8.0f}  {main:>5.0f} MB  {tree:>5.0f} MB")
    first, last = table[0.1], table[1.0]
    per_k = {
        key: (last[key] - first[key]) / max(1, (last["lines"] - first["lines"]) / 1000)
        for key in ("main_mb", "tree_mb")
    }
    peak = max(s[3] for s in samples)
    print(
        f"growth 10 % → 100 %: main {per_k['main_mb']:+.2f} MB, tree {per_k['tree_mb']:+.2f} MB per 1,000 reports; "
        f"peak tree {peak:.0f} MB"
    )
    result = {"n": args.n, "shape": args.shape, "lines": written, "at": table, "per_1000": per_k, "peak_tree_mb": peak}
    (args.out / "stream.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
