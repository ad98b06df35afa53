"""Issues 7 and 19 benchmark: ``auditor check`` against the floor, as whole processes.

    .venv/bin/python benchmarks/run.py            # full: 1000 reports, best of 3 (~6 min)
    .venv/bin/python benchmarks/run.py --quick    # 200 reports (~3 min)
    .venv/bin/python benchmarks/run.py --n 3000 --batch-only --text-only --paired 0.3   # two years, compared

Generates the inputs (benchmarks/shapes.py: every shape of report, the default; or
benchmarks/corpus.py: seed variants only, ``--corpus seeds``) into benchmarks/.corpus/, times the floor
(benchmarks/floor.py) and the CLI with wall clocks, and prints a table that is also
written to benchmarks/.out/results.md (and results.json). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import shapes

try:
    import psutil
except ImportError:  # tree memory is then not sampled; wait4's max RSS still is
    psutil = None

HERE = Path(__file__).resolve().parent
AUDITOR = str(Path(sys.executable).parent / "auditor")  # the console script of this interpreter's venv
if not Path(AUDITOR).exists():
    AUDITOR = shutil.which("auditor") or sys.exit("no `auditor` next to this python or on PATH: run .venv/bin/python")
FLOOR = [sys.executable, str(HERE / "floor.py")]
CHECK_EXTRA: list[str] = []  # e.g. --checklist fazhi, for every run without --rules


@dataclass
class Run:
    wall: float
    rc: int
    cpu: float  # user + system seconds of the process and its reaped workers
    max_proc_mb: float  # largest single process (wait4 rusage, includes reaped workers)
    tree_mb: float | None = None  # sampled peak of the whole process tree
    others: float | None = None  # share of the machine's CPU used by other processes meanwhile


def run_once(
    cmd: Sequence[str], sample: bool = True, log: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run cmd to completion (``env``: variables set for it alone); wall clock, exit code and peak memory."""
    err = log.open("ab") if log else subprocess.DEVNULL
    busy0 = _busy()
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, **(env or {})})
    peak = [0]
    done = threading.Event()

    def sampler() -> None:
        assert psutil is not None
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.wait(0.1):
            try:
                procs = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass

    thread = threading.Thread(target=sampler, daemon=True) if sample and psutil else None
    if thread:
        thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    busy1 = _busy()
    others = None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - cpu) / (wall * (os.cpu_count() or 1))
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if thread:
        thread.join()
    if log:
        err.close()  # type: ignore[union-attr]
    return Run(wall, proc.returncode, cpu, usage.ru_maxrss / 1024, peak[0] / 2**20 if thread else None, others)


def _busy() -> float | None:
    """CPU seconds the whole machine has been busy (all processes)."""
    if psutil is None:
        return None
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def best(cmd: Sequence[str], repeat: int, sample: bool = True, log: Path | None = None) -> Run:
    return best_of([run_once(cmd, sample, log) for _ in range(repeat)], cmd, log)


def interleaved(
    cmds: dict[str, list[str]], repeat: int, log: Path, envs: dict[str, dict[str, str]] | None = None
) -> dict[str, Run]:
    """Best of repeat for each command, run in turns (a b c, a b c, …) so that a burst of
    other load on the shared machine does not fall on one configuration only."""
    runs: dict[str, list[Run]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            runs[k].append(run_once(cmd, True, log, (envs or {}).get(k)))
    return {k: best_of(runs[k], cmds[k], log) for k in cmds}


def best_of(runs: list[Run], cmd: Sequence[str], log: Path | None) -> Run:
    bad = [r.rc for r in runs if r.rc not in (0, 1)]
    if bad:
        raise SystemExit(f"command failed ({bad[0]}): {' '.join(cmd)}; see {log}")
    top = min(runs, key=lambda r: r.wall)
    top.tree_mb = max((r.tree_mb or 0 for r in runs), default=None) or None
    top.max_proc_mb = max(r.max_proc_mb for r in runs)
    top.cpu = min(r.cpu for r in runs)
    return top


def text_only(folder: Path, dest: Path) -> Path:
    """``dest`` holding links to the text reports (.txt, .html) of ``folder`` (made afresh)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in sorted(folder.iterdir()):
        if f.suffix in (".txt", ".html") and f.stem.rsplit("-", 1)[-1] not in ("docx", "pdf"):
            (dest / f.name).symlink_to(f.resolve())
    return dest


def check(paths: Sequence[str | Path], *opts: str) -> list[str]:
    extra = [] if "--rules" in opts else CHECK_EXTRA
    return [AUDITOR, "check", *map(str, paths), "--no-progress", *extra, *opts]


# --------------------------------------------------------------------- resume test


def resume_test(folder: Path, out: Path, log: Path, kill_at: float = 0.4) -> dict[str, Any]:
    """Kill a jsonl run mid-way (SIGTERM to its process group, like `timeout`), rerun with --resume."""
    sources = sorted(str(p) for p in folder.iterdir())
    out.unlink(missing_ok=True)
    cmd = check([folder], "--format", "jsonl", "--output", str(out))
    with log.open("ab") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= kill_at * len(sources):
                os.killpg(proc.pid, signal.SIGTERM)
                break
            time.sleep(0.02)
        proc.wait()
    before = out.read_bytes().count(b"\n")
    second = run_once([*cmd, "--resume"], sample=False, log=log)
    lines = out.read_text(encoding="utf-8").splitlines()
    seen: Counter[str] = Counter()
    invalid = 0
    for line in lines:
        try:
            seen[json.loads(line)["report"]["source"]] += 1
        except (json.JSONDecodeError, KeyError):
            invalid += 1
    dup_lines = sum(c - 1 for c in Counter(lines).values() if c > 1)
    once = all(seen[s] == 1 for s in sources) and set(seen) == set(sources)
    return {
        "reports": len(sources),
        "lines_before_resume": before,
        "resume_rc": second.rc,
        "missing": sum(1 for s in sources if s not in seen),
        "twice": sum(1 for c in seen.values() if c > 1),
        "duplicate_lines": dup_lines,
        "invalid_lines": invalid,
        "ok": once and dup_lines == 0,
    }


# ------------------------------------------------------------------------- report


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    holds: bool | None = None

    def cells(self) -> list[str]:
        mark = "" if self.holds is None else ("yes" if self.holds else "NO")
        return [self.figure, self.value, self.target, mark]


@dataclass
class Results:
    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def add(self, figure: str, value: str, target: str = "", holds: bool | None = None) -> None:
        self.rows.append(Row(figure, value, target, holds))


def markdown(res: Results) -> str:
    head = ["figure", "value", "target", "holds"]
    lines = [f"| {' | '.join(head)} |", f"|{'---|' * len(head)}"]
    lines += [f"| {' | '.join(r.cells())} |" for r in res.rows]
    machine = "; ".join(f"{k}: {v}" for k, v in res.machine.items())
    return f"Machine: {machine}\n\n" + "\n".join(lines) + "\n"


def table(res: Results) -> str:
    cells = [["figure", "value", "target", "holds"], *(r.cells() for r in res.rows)]
    widths = [max(_width(c[i]) for c in cells) for i in range(4)]
    return "\n".join("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)) for row in cells)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def machine_info() -> dict[str, str]:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    model = next((ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")), "?")
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "commit": commit,
        "load at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="200 reports instead of 1000")
    ap.add_argument("--n", type=int, help="number of corpus reports")
    ap.add_argument("--repeat", type=int, default=3, help="best of R for batch runs (latency: best of 5)")
    ap.add_argument("--subset", type=int, default=100, help="reports for the rules comparison")
    ap.add_argument("--work", type=Path, default=HERE / ".corpus", help="generated inputs")
    ap.add_argument("--out", type=Path, default=HERE / ".out", help="outputs, logs, results.md/json")
    ap.add_argument(
        "--corpus",
        choices=("shapes", "seeds"),
        default="shapes",
        help="batch runs on every shape of report (default, issue 19) or on seed variants only (issue 7)",
    )
    ap.add_argument("--checklist", help="pass --checklist NAME to auditor check (default: auto-selection)")
    ap.add_argument("--no-profile", action="store_true", help="skip the pyinstrument profiles")
    ap.add_argument(
        "--before",
        metavar="REV",
        help="also run the batch (json and text, default jobs) with the package of commit REV, in the same turns: "
        "the before/after ratio of one run",
    )
    ap.add_argument(
        "--batch-only",
        action="store_true",
        help="only the batch runs, the latencies and compare (no length, rules, resume or profile runs)",
    )
    ap.add_argument(
        "--text-only",
        action="store_true",
        help="batch runs on the corpus's text reports only (.txt and .html: no .docx/.pdf, whose text the "
        "floor is given for free), as the outside benchmark's corpus of text reports",
    )
    ap.add_argument(
        "--paired",
        type=float,
        default=0.0,
        metavar="F",
        help="a share F of the shapes corpus's reports (at most 0.35) also get last year's report beside them "
        "(benchmarks/shapes.py --paired): a season's batch of two years, each pair compared",
    )
    ap.add_argument(
        "--at",
        metavar="REV",
        help="benchmark a frozen copy of the auditor package: of commit REV "
        "(git archive), or of the working tree as it is at the start (`worktree`), so edits made "
        "while the benchmark runs do not change what it measures",
    )
    args = ap.parse_args()
    checklist = corpus.CHECKLIST
    bundled = corpus.CHECKLIST.parent
    if args.checklist:
        CHECK_EXTRA.extend(["--checklist", args.checklist])
    os.environ["AUDITOR_CACHE_DIR"] = str(args.work / "cache")  # warm after the first of R runs
    if args.at:
        src = snapshot(args.at, args.work / "src")
        os.environ["PYTHONPATH"] = str(src)  # the console script then imports the snapshot
        checklist = src / "auditor" / "checklists" / "fazhi"
        bundled = checklist.parent
    n = args.n or (200 if args.quick else 1000)
    R = args.repeat
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "stderr.log"
    log.write_bytes(b"")
    res = Results(machine_info())
    res.machine["auditor source"] = {None: "working tree", "worktree": "copy of the working tree"}.get(
        args.at, f"git {args.at}"
    )
    if os.getloadavg()[0] > 0.7:
        print(f"warning: load average {os.getloadavg()[0]:.2f} before the run; figures will be noisy", file=sys.stderr)

    say(f"generating {n} reports, long reports and 10x rules in {args.work}")
    paths = corpus.make_corpus(args.work / "corpus", n)
    folder = floor_folder = args.work / "corpus"
    if args.corpus == "shapes":
        items = shapes.make_shapes(args.work, n, paired=args.paired)
        folder, floor_folder = args.work / "shapes", args.work / "floorview"
        res.raw["shapes"] = shapes.summary(items)
        res.add(
            f"corpus: {n} reports of every shape" + (f", {len(items) - n} with last year's" if len(items) > n else ""),
            ", ".join(f"{k} {v['share']:.1%}" for k, v in res.raw["shapes"].items()),  # type: ignore[index]
        )
    else:
        res.add(f"corpus: {n} seed variants", "benchmarks/corpus.py")
    batch_n = sum(1 for _ in folder.iterdir())  # with last year's reports (--paired)
    if args.text_only:
        folder = text_only(folder, args.work / "text-only")
        floor_folder = text_only(floor_folder, args.work / "text-only-floor")
        batch_n = sum(1 for _ in folder.iterdir())
        res.add("  batch runs on its text reports only (--text-only)", f"{batch_n} reports (.txt, .html)")
    rules_args = [a for d in sorted(bundled.iterdir()) if d.is_dir() for a in ("--rules", str(d))]
    subset = subset_of(paths, args.work / "subset", args.subset)
    long = corpus.make_long(args.work / "long")  # 1x, 10x, 100x: whole processes
    longer = corpus.make_long(args.work / "long", (*long, 300))  # in-process stages only: magnifies n^2 terms
    tiny = corpus.make_tiny(args.work / "tiny")
    rules1 = corpus.copy_rules(args.work / "rules1x", checklist)
    rules10 = corpus.make_rules_10x(args.work / "rules10x", checklist)
    rules10same = corpus.make_rules_10x(args.work / "rules10x-copies", checklist, vary=False)
    out = args.out

    say(f"floor and auditor json (default jobs, --jobs 1) and jsonl, in turns, best of {R}")
    cmds: dict[str, list[str]] = {}
    envs: dict[str, dict[str, str]] = {}
    if args.before:
        old_src = snapshot(args.before, args.work / "src-before")
        cmds["before"] = check([folder], "--format", "json", "--output", str(out / "before.json"))
        cmds["before-text"] = check([folder], "--format", "text", "--output", str(out / "before.txt"))
        envs["before"] = {"PYTHONPATH": str(old_src), "AUDITOR_CACHE_DIR": str(args.work / "cache-before")}
        envs["before-text"] = envs["before"]
    # the lean floor on the files themselves, paying the cheapest extraction of a .docx's or .pdf's text
    # (the plain lean floor reads the text they were written from): only where there are such files
    extracting = (
        {"lean-x": [*FLOOR, str(folder), "--lean", "--extract", "--output", str(out / "lean-x.txt")]}
        if folder != floor_folder and any(f.suffix in (".docx", ".pdf") for f in folder.iterdir())
        else {}
    )
    batch = interleaved(
        cmds
        | {
            "floor": [*FLOOR, str(floor_folder), "--output", str(out / "floor.jsonl"), *rules_args],
            "lean": [*FLOOR, str(floor_folder), "--lean", "--output", str(out / "lean.txt")],
            **extracting,
            "json": check([folder], "--format", "json", "--output", str(out / "jobsN.json")),
            "json1": check([folder], "--format", "json", "--output", str(out / "jobs1.json"), "--jobs", "1"),
            "jsonl": check([folder], "--format", "jsonl", "--output", str(out / "out.jsonl")),
            "text": check([folder], "--format", "text", "--output", str(out / "out.txt")),
        },
        R,
        log,
        envs,
    )
    floor, lean, jn, j1, jl = batch["floor"], batch["lean"], batch["json"], batch["json1"], batch["jsonl"]
    jl_small = run_once(check([subset], "--format", "jsonl", "--output", str(out / "subset.jsonl")), log=log)
    identical = (out / "jobsN.json").read_bytes() == (out / "jobs1.json").read_bytes()

    ratio = jn.wall / floor.wall

    def speed(r: Run) -> str:
        busy = "" if r.others is None else f"; others used {r.others:.0%} of the CPUs"
        return f"{batch_n / r.wall:.1f} rep/s ({r.wall:.1f} s wall, {r.cpu:.1f} s cpu{busy})"

    res.add(f"floor, {batch_n} reports", speed(floor))
    res.add("auditor --format json, default jobs", speed(jn))
    res.add("auditor --format json, --jobs 1", speed(j1))
    res.add("auditor --format jsonl, default jobs", speed(jl))
    res.add("auditor --format text (the default format), default jobs", speed(batch["text"]))
    res.add("auditor / floor (json, default jobs)", f"{ratio:.1f}x", "<= 10x (stretch 5x)", ratio <= 10)
    res.add("  same in CPU seconds (all processes)", f"{jn.cpu / floor.cpu:.1f}x")
    res.add(f"lean floor (floor.py --lean), {batch_n} reports", speed(lean))
    res.add(
        "auditor / lean floor (json, default jobs)", f"{jn.wall / lean.wall:.1f}x", "<= 10x", jn.wall <= 10 * lean.wall
    )
    res.add("auditor / lean floor (text, default jobs)", f"{batch['text'].wall / lean.wall:.1f}x", "<= 10x")
    if "lean-x" in batch:
        leanx = batch["lean-x"]
        res.add("lean floor paying the cheapest .docx/.pdf extraction (--extract)", speed(leanx))
        res.add(
            "auditor / lean floor with extraction (json; text)",
            f"{jn.wall / leanx.wall:.1f}x; {batch['text'].wall / leanx.wall:.1f}x",
        )
        res.raw["lean_floor_extracting"] = asdict(leanx)
    if "before" in batch:
        old = batch["before"]
        same = (out / "before.json").read_bytes() == (out / "jobsN.json").read_bytes()
        res.add(
            f"auditor --format json, default jobs, package of {args.before}",
            f"{speed(old)}; / floor {old.wall / floor.wall:.1f}x wall, {old.cpu / floor.cpu:.1f}x cpu, "
            f"/ lean floor {old.wall / lean.wall:.1f}x wall; "
            f"output {'identical' if same else 'DIFFERENT'}",
        )
        res.raw["json_jobsN_before"] = asdict(old)
        old_text = batch["before-text"]
        same_text = (out / "before.txt").read_bytes() == (out / "out.txt").read_bytes()
        res.add(
            f"auditor --format text, default jobs, package of {args.before}",
            f"{speed(old_text)}; / lean floor {old_text.wall / lean.wall:.1f}x wall; "
            f"output {'identical' if same_text else 'DIFFERENT'}",
        )
        res.raw["text_jobsN_before"] = asdict(old_text)
    speedup = j1.wall / jn.wall
    res.add(f"--jobs speed-up ({os.cpu_count()} vs 1)", f"{speedup:.2f}x", ">= 1.7x", speedup >= 1.7)
    res.add("output jobs=1 == jobs=N", "identical" if identical else "DIFFERENT", "identical", identical)

    def mem(r: Run) -> str:
        return f"{r.tree_mb or 0:.0f} MB tree, {r.max_proc_mb:.0f} MB largest process"

    res.add(
        f"peak memory, jsonl, {batch_n} reports", mem(jl), "< 500 MB, bounded", (jl.tree_mb or jl.max_proc_mb) < 500
    )
    res.add(f"peak memory, jsonl, {args.subset} reports", mem(jl_small))
    res.add(f"peak memory, json, {batch_n} reports", mem(jn))

    res.raw |= {"n": n, "repeat": R, "floor": asdict(floor), "lean_floor": asdict(lean)}
    res.raw |= {"json_jobsN": asdict(jn), "json_jobs1": asdict(j1)}
    res.raw |= {"jsonl_jobsN": asdict(jl), "text_jobsN": asdict(batch["text"])}

    say("latency")
    one = best(check([paths[0]], "--format", "json"), 5, sample=False, log=log)
    os.environ["AUDITOR_NO_CACHE"] = "1"
    cold = best(check([paths[0]], "--format", "json"), 5, sample=False, log=log)
    del os.environ["AUDITOR_NO_CACHE"]
    helps = best([AUDITOR, "--help"], 5, sample=False, log=log)
    res.add("auditor check one.txt --format json", f"{one.wall:.2f} s", "< 1.0 s", one.wall < 1.0)
    res.add("  same, checklist cache off (AUDITOR_NO_CACHE=1)", f"{cold.wall:.2f} s", "< 1.0 s", cold.wall < 1.0)
    res.add("auditor --help", f"{helps.wall:.2f} s", "< 0.5 s", helps.wall < 0.5)
    yoy = HERE.parent / "fixtures" / "yoy"
    pair = [str(yoy / "zhangzhu-2022.txt"), str(yoy / "zhangzhu-2023.txt")]
    cmp = best([AUDITOR, "compare", *pair, "--format", "json", "--output", str(out / "compare.json")], 5, False, log)
    res.add("auditor compare (two seed-sized reports)", f"{cmp.wall:.2f} s", "<= 1.0 s", cmp.wall <= 1.0)
    res.raw |= {"one": asdict(one), "one_cold": asdict(cold), "help": asdict(helps), "compare": asdict(cmp)}

    if args.batch_only:
        return finish(res, {}, out)

    say("report length")
    start = best(check([tiny], "--format", "json", "--jobs", "1"), 5, sample=False, log=log)
    res.add("start-up: tiny report, --jobs 1", f"{start.wall:.2f} s wall, {start.cpu:.2f} s cpu")
    length: dict[int, Run] = {}
    chars: dict[int, int] = {}
    for factor, path in long.items():
        chars[factor] = len(path.read_text(encoding="utf-8"))
        length[factor] = best(check([path], "--format", "json", "--jobs", "1"), 5, sample=False, log=log)
    f0, *rest = sorted(long)
    slopes: dict[int, tuple[float, float]] = {}  # factor -> (wall, cpu) microseconds per extra char
    res.add(f"{f0}x report ({chars[f0]:,} chars)", f"{length[f0].wall:.2f} s wall, {length[f0].cpu:.2f} s cpu")
    for a, b in zip([f0, *rest], rest, strict=False):
        dc = (chars[b] - chars[a]) / 1e6
        slopes[b] = ((length[b].wall - length[a].wall) / dc, (length[b].cpu - length[a].cpu) / dc)
        res.add(
            f"{b}x report ({chars[b]:,} chars)",
            f"{length[b].wall:.2f} s wall, {length[b].cpu:.2f} s cpu; per extra char ({a}x->{b}x): "
            f"{slopes[b][0]:.2f} us wall, {slopes[b][1]:.2f} us cpu",
        )
    lin_wall, lin_cpu = (slopes[rest[-1]][i] / slopes[rest[0]][i] for i in (0, 1))
    res.add(
        f"per-char cost {rest[-2] if len(rest) > 1 else f0}x->{rest[-1]}x / {f0}x->{rest[0]}x",
        f"{lin_cpu:.2f} cpu ({lin_wall:.2f} wall)",
        "linear (<= 1.5)",
        lin_cpu <= 1.5,
    )

    st_file = out / "stages.json"
    run_once(
        [
            sys.executable,
            str(HERE / "hotspots.py"),
            "--stages",
            "--json",
            str(st_file),
            "--",
            *(str(longer[f]) for f in sorted(longer)),
        ],
        sample=False,
        log=log,
    )
    stage_rows = json.loads(st_file.read_text(encoding="utf-8")) if st_file.exists() else {}
    per = {f: stage_rows.get(str(longer[f])) for f in sorted(longer)}
    if all(per.values()):
        for stage in ("understand", "audit"):
            us = {f: per[f][stage] / per[f]["chars"] * 1e6 for f in per}  # type: ignore[index]
            growth = us[max(us)] / us[sorted(us)[-2]]
            res.add(
                f"in-process {stage}, us/char at " + " / ".join(f"{f}x" for f in us),
                " / ".join(f"{v:.2f}" for v in us.values()) + f"; {max(us)}x vs {sorted(us)[-2]}x: {growth:.2f}",
                "linear (<= 1.5)",
                growth <= 1.5,
            )

    say("rules 1x vs 10x")
    times: dict[str, tuple[float, float]] = {}  # (wall, cpu) seconds of matching
    for name, rules in (("1x", rules1), ("10x", rules10), ("10x verbatim", rules10same)):
        base = best(
            check([paths[0]], "--format", "json", "--jobs", "1", "--rules", str(rules)), R, sample=False, log=log
        )
        t = best(
            check(
                [subset],
                "--format",
                "json",
                "--jobs",
                "1",
                "--rules",
                str(rules),
                "--output",
                str(out / f"rules{name.replace(' ', '-')}.json"),
            ),
            R,
            log=log,
        )
        times[name] = (t.wall - base.wall, t.cpu - base.cpu)
        res.add(
            f"{name} rules, {args.subset} reports, --jobs 1",
            f"{t.wall:.2f} s; 1 report {base.wall:.2f} s; matching {times[name][0]:.2f} s wall, "
            f"{times[name][1]:.2f} s cpu",
        )
    if min(times["1x"]) < 0.3:  # a few reports: the difference is lost in the noise
        res.add("matching time 10x rules / 1x", "n/a: use a larger --subset", "<= 3x")
    else:
        rr_wall, rr_cpu = (times["10x"][i] / times["1x"][i] for i in (0, 1))
        res.add("matching time 10x rules / 1x", f"{rr_cpu:.2f}x cpu ({rr_wall:.2f}x wall)", "<= 3x", rr_cpu <= 3)
        same_wall, same_cpu = (times["10x verbatim"][i] / times["1x"][i] for i in (0, 1))
        res.add("  same, 10x verbatim copies / 1x", f"{same_cpu:.2f}x cpu ({same_wall:.2f}x wall)")

    say("resume")
    rt = resume_test(folder if n <= 200 else subset_of(paths, args.work / "resume", 200), out / "resume.jsonl", log)
    res.add(
        f"--resume after a kill ({rt['reports']} reports)",
        f"{rt['lines_before_resume']} lines before; missing {rt['missing']}, twice {rt['twice']}, "
        f"duplicate lines {rt['duplicate_lines']}, cut lines {rt['invalid_lines']}",
        "each report once, no duplicate line",
        rt["ok"],
    )
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        args.no_profile = True
        print("pyinstrument is not installed: no profiles (pip install pyinstrument)", file=sys.stderr)
    profiles = {} if args.no_profile else run_profiles(subset, long[max(long)], rules10, out, log)
    res.raw |= {
        "startup": asdict(start),
        "length": {f: asdict(r) for f, r in length.items()},
        "length_chars": chars,
        "us_per_extra_char_wall_cpu": slopes,
        "stages": stage_rows,
        "rules_matching_s": times,
        "resume": rt,
    }

    return finish(res, profiles, out)


def finish(res: Results, profiles: dict[str, Any], out: Path) -> int:
    """Print the table and write results.md / results.json."""
    res.machine["load at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(table(res))
    md = markdown(res) + profile_markdown(profiles)
    (out / "results.md").write_text(md, encoding="utf-8")
    (out / "results.json").write_text(
        json.dumps(
            {"machine": res.machine, "rows": [asdict(r) for r in res.rows], "raw": res.raw, "profiles": profiles},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    say(f"wrote {out / 'results.md'}")
    return 0


def run_profiles(subset: Path, longest: Path, rules10: Path, out: Path, log: Path) -> dict[str, Any]:
    """pyinstrument over the subset (--jobs 1; default and 10x rules) and the longest report;
    import times of --help and of check."""
    tool = [sys.executable, str(HERE / "hotspots.py"), "--top", "10"]
    k = len(list(subset.iterdir()))
    runs: dict[str, tuple[Path, list[str]]] = {
        f"auditor check {subset.name}/ ({k} reports) --jobs 1": (subset, []),
        f"auditor check {longest.name} --jobs 1": (longest, []),
        f"auditor check {subset.name}/ ({k} reports) --jobs 1 --rules {rules10.name}": (
            subset,
            ["--rules", str(rules10)],
        ),
    }
    result: dict[str, Any] = {}
    for i, (title, (path, opts)) in enumerate(runs.items()):
        say(f"profile: {title}")
        dest = out / f"profile{i}.json"
        args = check([path], "--jobs", "1", "--format", "json", "--output", str(out / f"profile{i}.out.json"), *opts)[
            1:
        ]
        run_once(
            [*tool, "--json", str(dest), "--html", str(out / f"profile{i}.html"), "--", *args], sample=False, log=log
        )
        result[title] = json.loads(dest.read_text(encoding="utf-8"))
    first = min(subset.iterdir())
    for title, args in (
        ("import time: auditor --help", ["--help"]),
        ("import time: auditor check one report", check([first], "--format", "json")[1:]),
    ):
        dest = out / f"imports{len(result)}.json"
        run_once([*tool, "--importtime", "--json", str(dest), "--", *args], sample=False, log=log)
        result[title] = json.loads(dest.read_text(encoding="utf-8"))
    return result


def profile_markdown(profiles: dict[str, Any]) -> str:
    parts = []
    for title, p in profiles.items():
        if "self" in p and "total_s" in p:
            parts.append(f"\n### {title} ({p['total_s']} s under the profiler)\n")
            for view, label in (
                ("app", "time charged to the innermost auditor function"),
                ("self", "self time (caller in parentheses)"),
            ):
                parts.append(f"\nBy {label}:\n\n| share | s | function | where |\n|---|---|---|---|")
                for r in p[view]:
                    by = f" ({r['by']})" if r.get("by") else ""
                    parts.append(f"| {r['share']:.1%} | {r['seconds']:.2f} | {r['function']}{by} | {r['where']} |")
        else:
            parts.append(f"\n### {title} ({p['total_ms']} ms of imports under -X importtime)\n")
            parts.append("| module (cumulative) | ms |\n|---|---|")
            parts += [f"| {r['module']} | {r['ms']} |" for r in p["cumulative"]]
    return ("\n## Profile\n" + "\n".join(parts) + "\n") if parts else ""


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def snapshot(rev: str, dest: Path) -> Path:
    """A frozen copy of the auditor package: of a commit, or of the working tree ("worktree")."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if rev == "worktree":
        shutil.copytree(HERE.parent / "auditor", dest / "auditor", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(
            ["git", "-C", str(HERE.parent), "archive", rev, "auditor"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    # byte-compiled like an installed package (as `make setup` does for the checkout)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "auditor")], check=True)
    return dest


def subset_of(paths: list[Path], folder: Path, k: int) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in paths[:k]:
        shutil.copy(p, folder / p.name)
    return folder


if __name__ == "__main__":
    raise SystemExit(main())
