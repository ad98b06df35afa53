"""The rules of a chunk of reports rule by rule instead of report by report: CPU in process (issue 19).

A report's 25 rules each walk their own expressions, regexes and plans; between two rules of one
report the next rule's code and data have left the CPU caches, so a rule costs 2–3× inside
``engine.audit`` what it costs replayed alone. Evaluating rule R for every report of a chunk, then
rule R+1, keeps each rule's code and data warm across the chunk. This measures both orders on the
same reports, chunk by chunk, alternating, best of R per chunk, other reports audited in between
(so every measured chunk starts with caches as cold as in a batch). Findings are compared.

    .venv/bin/python benchmarks/rule_major.py [--chunk 8] [--repeat 7] [--every 8] [FOLDER]

A chunk of 1 is the control (both orders are then the same work). The rule-by-rule order is
``engine.audit_many``, as a worker's chunk runs it (``pipeline.audit_sources``); the figures include
quoting and scoring, which are the same work in both orders.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--every", type=int, default=8, help="take every N-th file of the folder")
    ap.add_argument("folder", nargs="?", default="/tmp/txtall")
    args = ap.parse_args()

    from auditor import engine, pipeline
    from auditor.doctype import recognise
    from auditor.document import understand
    from auditor.readers import read_document

    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    docs: list[tuple[Any, Any]] = []
    for f in sorted(str(p) for p in Path(args.folder).iterdir())[:: args.every]:
        doc, choice = recognise(understand(read_document(f, max_chars=options.max_chars).text, file_name=f), checklists)
        if choice.checklist is not None and not choice.checklist.disabled:
            docs.append((doc, choice.checklist))

    def report_major(chunk: list[tuple[Any, Any]]) -> list[Any]:
        return [engine.audit(doc, checklist) for doc, checklist in chunk]

    def rule_major(chunk: list[tuple[Any, Any]]) -> list[Any]:
        """``engine.audit_many`` of each checklist's reports of the chunk (what a worker's chunk does)."""
        groups: dict[int, list[int]] = {}
        for k, (_, checklist) in enumerate(chunk):
            groups.setdefault(id(checklist), []).append(k)
        found: list[Any] = [None] * len(chunk)
        for members in groups.values():
            audits = engine.audit_many([chunk[k][0] for k in members], chunk[members[0]][1])
            for k, audit in zip(members, audits, strict=True):
                found[k] = audit
        return found

    chunks = [docs[k : k + args.chunk] for k in range(0, len(docs), args.chunk)]
    flush = [[docs[(k * 37 + j * 11) % len(docs)] for j in range(6)] for k in range(5)]
    orders = {"report by report": report_major, "rule by rule": rule_major}
    total = dict.fromkeys(orders, 0.0)
    for chunk in chunks:
        if report_major(chunk) != rule_major(chunk):
            print("findings differ")
            return 1
        best = dict.fromkeys(orders, float("inf"))
        for turn in range(args.repeat):
            names = list(orders) if turn % 2 == 0 else list(reversed(orders))
            for n, name in enumerate(names):
                report_major(flush[(turn + n) % len(flush)])  # other reports in between
                started = time.process_time()
                orders[name](chunk)
                best[name] = min(best[name], time.process_time() - started)
        for name in orders:
            total[name] += best[name]
    before, after = (total[name] * 1000 / len(docs) for name in orders)
    print(
        f"{len(docs)} reports in chunks of {args.chunk}, engine.audit CPU ms per report, best of {args.repeat}: "
        f"report by report {before:.3f}, rule by rule {after:.3f} ({(after / before - 1) * 100:+.1f} %)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
