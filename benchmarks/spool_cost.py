"""Issue 19: what holding a batch's reports in the spool (``auditor/report/spool.py``) costs the main
process, in process (CPU seconds, ``time.process_time``).

    .venv/bin/python benchmarks/spool_cost.py FILE.json [--repeat 7]

Takes the reports of a ``--format json`` document as the bytes the workers send (indented), then,
alternating, best of ``--repeat``: **held** (each kept in a list, then written in order to a file, as
before the spool), **spooled** (put in a ``Spool`` with its default bound, then read back in order and
written) and **on disk** (a bound of 0: every piece goes through the temporary file). The file written
is in the temp folder and removed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from auditor.report.spool import Spool


def held(bodies: list[bytes], out: Path) -> None:
    kept = []
    for body in bodies:
        kept.append(body)
    with out.open("wb") as f:
        for body in kept:
            f.write(body)


def spooled(bound: int | None) -> Callable[[list[bytes], Path], None]:
    def run(bodies: list[bytes], out: Path) -> None:
        with Spool(bound) as spool:
            pieces = [spool.put(body) for body in bodies]
            with out.open("wb") as f:
                for piece in pieces:
                    f.write(spool.get(piece))

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("document", type=Path, help="a --format json output")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    reports = orjson.loads(args.document.read_bytes())["reports"]
    bodies = [orjson.dumps(r, option=orjson.OPT_INDENT_2) for r in reports]
    size = sum(map(len, bodies))
    ways = {"held": held, "spooled": spooled(None), "on disk": spooled(0)}
    best = dict.fromkeys(ways, float("inf"))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out.json"
        for _ in range(args.repeat):
            for name, way in ways.items():
                start = time.process_time()
                way(bodies, out)
                best[name] = min(best[name], time.process_time() - start)
    print(f"{len(bodies)} reports, {size / 2**20:.0f} MB; CPU seconds, best of {args.repeat}:")
    for name, seconds in best.items():
        print(f"  {name:<8} {seconds:.3f} s ({(seconds - best['held']) * 1000 / len(bodies):+.3f} ms a report)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
