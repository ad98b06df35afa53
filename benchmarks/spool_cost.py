"""Issue 19: what holding a batch's reports in the spool (``auditor/report/spool.py``) costs the main
process, in process (CPU seconds, ``time.process_time``), against writing them into the output as they
come (``auditor/report/draft.py``).

    .venv/bin/python benchmarks/spool_cost.py FILE.json [--repeat 7] [--out FOLDER]

Takes the reports of a ``--format json`` document as the bytes the workers send (indented), then,
alternating, best of ``--repeat``: **held** (each kept in a list, then written in order to a file, as
before the spool), **spooled** (put in a ``Spool`` with its default bound, then read back in order and
written) and **on disk** (a bound of 0: every piece goes through the temporary file); then the JSON
document's two ways, as ``auditor check --format json -o FILE`` writes it: **spool+write** (spooled, then
``write_atomic`` of ``json_pieces``: fsync, rename) and **draft** (each put into the output's unnamed file,
then published: fsync, link, rename), **draft, 16 paired** (16 reports put in place at the end: one kernel
copy). For those two the wall time of the end (after the last report: what the run waits for) is shown too.
The files are written in ``--out`` (default: the temp folder) and removed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from auditor.pipeline import tool_info
from auditor.report.atomic import write_atomic
from auditor.report.draft import open_draft
from auditor.report.encode import EncodedBatch, json_frame, json_pieces
from auditor.report.spool import Spool

#: seconds of wall time the last document took to finish after its last report came (per way)
END: dict[str, float] = {}


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


def spool_then_write(bodies: list[bytes], out: Path) -> None:
    with Spool() as spool:
        pieces = [spool.put(body) for body in bodies]
        start = time.perf_counter()
        write_atomic(out, json_pieces(EncodedBatch(tool_info(), (spool.get(p) for p in pieces), [], [])))
        END["spool+write"] = time.perf_counter() - start


def drafted(paired: int) -> Callable[[list[bytes], Path], None]:
    def run(bodies: list[bytes], out: Path) -> None:
        draft = open_draft(out, json_frame(tool_info(), []))
        assert draft is not None, "no unnamed files in this folder (O_TMPFILE)"
        with draft:
            pieces = [draft.put(body) for body in bodies]
            start = time.perf_counter()
            step = max(1, len(bodies) // paired) if paired else 0
            draft.publish([(pieces[i], bodies[i]) for i in range(0, step * paired, step or 1)][:paired])
            END[f"draft, {paired} paired" if paired else "draft"] = time.perf_counter() - start

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("document", type=Path, help="a --format json output")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None, help="the folder the documents are written in")
    args = ap.parse_args()
    reports = orjson.loads(args.document.read_bytes())["reports"]
    bodies = [orjson.dumps(r, option=orjson.OPT_INDENT_2) for r in reports]
    size = sum(map(len, bodies))
    ways = {
        "held": held,
        "spooled": spooled(None),
        "on disk": spooled(0),
        "spool+write": spool_then_write,
        "draft": drafted(0),
        "draft, 16 paired": drafted(16),
    }
    best = dict.fromkeys(ways, float("inf"))
    ends = dict.fromkeys(ways, float("inf"))
    with tempfile.TemporaryDirectory(dir=args.out) as scratch:
        out = Path(scratch) / "out.json"
        for _ in range(args.repeat):
            for name, way in ways.items():
                start = time.process_time()
                way(bodies, out)
                best[name] = min(best[name], time.process_time() - start)
                ends[name] = min(ends[name], END.pop(name, float("inf")))
    print(f"{len(bodies)} reports, {size / 2**20:.0f} MB; CPU seconds, best of {args.repeat}:")
    for name, seconds in best.items():
        end = f"; the end {ends[name]:.3f} s wall" if ends[name] < float("inf") else ""
        print(f"  {name:<16} {seconds:.3f} s ({(seconds - best['held']) * 1000 / len(bodies):+.3f} ms a report){end}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
