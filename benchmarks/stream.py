"""Issue 19: is memory bounded when many reports are streamed to JSON Lines?

    .venv/bin/python benchmarks/stream.py [--n 20000] [--shape short] [--jobs N]

Writes ``--n`` small reports (``benchmarks/shapes.py``, by default the short department
reports, ≈ 1.5 k characters each) into one folder, runs ``auditor check FOLDER --format jsonl
--output F`` and samples every 0.5 s the resident memory (RSS) of the main process and of the
whole process tree (psutil) against the number of lines written so far. It prints the RSS when
10 %, 25 %, 50 %, 75 % and 100 % of the reports are written and the growth from 10 % to 100 %
per 1,000 reports: bounded memory means that growth is ≈ 0 (what a batch of 100,000 needs is
then the 10 % figure, not 5× the 20,000 one). Figures go to ``benchmarks/.out/stream.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--shape", default="short", choices=[s for s, _ in shapes.CYCLE])
    ap.add_argument("--jobs", type=int, help="passed to auditor check (default: its own, all cores)")
    ap.add_argument("--work", type=Path, default=HERE / ".corpus" / "stream")
    ap.add_argument("--out", type=Path, default=HERE / ".out")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "stream.log"
    log.write_bytes(b"")
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
