"""Profile one ``auditor`` command in-process with pyinstrument (sampling, 1 ms).

    .venv/bin/python benchmarks/hotspots.py [--top 10] [--html out.html] -- check DIR --jobs 1 --format json -o x.json

Prints the hotspots by self time (function, file:line, share of the run), by "app" time
(each sample charged to the innermost auditor function on the stack, so a regex search is
charged to the matcher that ran it) and by inclusive time; ``--json`` writes both lists for the runner.
``--stages FILE...`` times read, understand and audit in-process per file (to see which
stage is not linear in the length). ``--importtime [-- ARGS]`` instead lists the heaviest imports of ``auditor ARGS``
(default ``--help``; ``python -X importtime``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

Key = tuple[str, str, int]  # function, file, line
IMPORTS: Key = ("(imports of libraries)", "", 0)


def _short(path: str) -> str:
    for marker in ("/site-packages/", "/lib/python3."):
        if marker in path:
            return path.split(marker, 1)[1] if marker == "/site-packages/" else "stdlib/" + path.rsplit("/", 1)[-1]
    return path.split("/auditor/", 1)[-1].join(("auditor/", "")) if "/auditor/" in path else path


def hotspots(root: Any, top: int) -> dict[str, Any]:
    """Time per function: its own (self), charged to the innermost auditor function on the
    stack (library and built-in calls included: "app"), and inclusive (once per stack)."""
    total = root.time or 1e-9
    own: dict[Key, float] = defaultdict(float)
    own_by: dict[Key, dict[Key, float]] = defaultdict(lambda: defaultdict(float))
    app: dict[Key, float] = defaultdict(float)
    incl: dict[Key, float] = defaultdict(float)

    def walk(frame: Any, open_keys: frozenset[Key], owner: Key | None) -> None:
        key = (frame.function or "?", frame.file_path or "", frame.line_no or 0)
        children = list(frame.children)
        if frame.is_synthetic:  # [self], [await]: time of the parent itself
            return
        mine = "/auditor/" in key[1] and "/site-packages/" not in key[1]
        if mine:
            owner = key
        elif key[0] == "<module>" or key[1].startswith("<frozen importlib"):
            owner = IMPORTS
        spent = frame.time - sum(c.time for c in children if not c.is_synthetic)
        own[key] += spent
        if owner:
            app[owner] += spent
            own_by[key][owner] += spent
        if key not in open_keys and mine:
            incl[key] += frame.time
        for c in children:
            walk(c, open_keys | {key}, owner)

    walk(root, frozenset(), None)

    def rows(d: dict[Key, float]) -> list[dict[str, Any]]:
        out = []
        for key, t in sorted(d.items(), key=lambda kv: -kv[1])[:top]:
            f, p, ln = key
            row = {
                "function": f,
                "where": f"{_short(p)}:{ln}" if p else "",
                "seconds": round(t, 3),
                "share": round(t / total, 3),
            }
            if d is own and own_by[key] and max(own_by[key].values()) > 0:
                by = max(own_by[key].items(), key=lambda kv: kv[1])[0]
                if by != key:
                    row["by"] = f"{by[0]} {_short(by[1])}:{by[2]}" if by[1] else by[0]
            out.append(row)
        return out

    result: dict[str, Any] = {"total_s": round(total, 3), "self": rows(own), "app": rows(app), "inclusive": rows(incl)}
    return result


def profile(argv: list[str], top: int, html: Path | None) -> dict[str, Any]:
    from pyinstrument import Profiler

    from auditor.cli import main

    sys.argv = ["auditor", *argv]
    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        main()
    except SystemExit:
        pass
    finally:
        session = profiler.stop()
    if html:
        html.write_text(profiler.output_html(), encoding="utf-8")
    root = session.root_frame()
    return hotspots(root, top) if root else {"total_s": 0, "self": [], "app": [], "inclusive": []}


def importtime(argv: list[str], top: int) -> dict[str, Any]:
    """Heaviest imports of `auditor ARGS`: modules near the top by cumulative time, any by self time."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "auditor", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    cum: dict[str, int] = {}
    own: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cum_us, name = line[len("import time:") :].split("|")
        module = name.strip()
        own[module] = int(self_us)
        if len(name) - len(name.lstrip()) <= 5:  # imported by the program or one or two levels below
            cum[module] = int(cum_us)

    def rows(d: dict[str, int]) -> list[dict[str, Any]]:
        return [{"module": m, "ms": round(us / 1000, 1)} for m, us in sorted(d.items(), key=lambda kv: -kv[1])[:top]]

    return {"total_ms": round(sum(own.values()) / 1000, 1), "cumulative": rows(cum), "self": rows(own)}


def stages(paths: list[str], repeat: int = 3) -> dict[str, Any]:
    """In-process seconds of read, understand and audit (default checklist) per file, best of repeat."""
    from time import perf_counter

    from auditor.document import understand
    from auditor.engine import audit
    from auditor.loader import load_checklist
    from auditor.readers import read_document

    checklist = load_checklist("fazhi")
    out: dict[str, Any] = {}
    for path in [paths[0], *paths]:  # the first file twice: warms regex compilation
        best = {"read": float("inf"), "understand": float("inf"), "audit": float("inf")}
        chars = 0
        for _ in range(repeat):
            t0 = perf_counter()
            text = read_document(path, max_chars=10**9).text
            t1 = perf_counter()
            doc = understand(text)
            t2 = perf_counter()
            audit(doc, checklist)
            t3 = perf_counter()
            chars = len(text)
            for key, t in (("read", t1 - t0), ("understand", t2 - t1), ("audit", t3 - t2)):
                best[key] = min(best[key], t)
        out[path] = {"chars": chars, **best}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--html", type=Path, help="also write pyinstrument's HTML view")
    ap.add_argument("--json", type=Path, help="write the hotspots as JSON")
    ap.add_argument("--importtime", action="store_true", help="list the heaviest imports of `auditor ARGS`")
    ap.add_argument("--stages", action="store_true", help="time read/understand/audit in-process on the files ARGS")
    ap.add_argument("args", nargs="*", help="auditor arguments (after --)")
    args = ap.parse_args()
    if args.stages:
        result = stages(args.args)
        for path, row in result.items():
            print(
                f"{row['chars']:>10,} chars  "
                + "  ".join(f"{k} {row[k] / row['chars'] * 1e6:.2f} us/char" for k in ("read", "understand", "audit"))
                + f"  {path}"
            )
    elif args.importtime:
        result = importtime(args.args or ["--help"], args.top)
        print(f"{result['total_ms']:8.1f} ms  all imports of `auditor {' '.join(args.args or ['--help'])}`")
        for title in ("cumulative", "self"):
            print(f"-- by {title} time")
            for row in result[title]:
                print(f"{row['ms']:8.1f} ms  {row['module']}")
    else:
        result = profile(args.args, args.top, args.html)
        print(f"total {result['total_s']} s", file=sys.stderr)
        for title in ("self", "app", "inclusive"):
            print(f"-- by {title} time", file=sys.stderr)
            for row in result[title]:
                by = f"  <- {row['by']}" if row.get("by") else ""
                print(
                    f"{row['share']:6.1%} {row['seconds']:8.3f}s  {row['function']}  {row['where']}{by}",
                    file=sys.stderr,
                )
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
