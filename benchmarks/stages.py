"""In-process CPU per report of the stages around the rules: read, understand, recognise, encode (issue 19).

For each file in the given folders (not their subfolders; default: the shapes corpus of
``benchmarks/shapes.py`` without its PDFs, whose reading is another matter), the CPU
milliseconds (``time.process_time``, best of R per file) of ``read_document``, of
``understand``, of ``recognise`` (the bundled checklists) and of ``encode`` (the finished
report to the indented JSON bytes a worker sends: ``pipeline.safe_encode``), averaged per shape (the part of
the file name after the number: ``s00037-seed.txt`` → seed).

    .venv/bin/python benchmarks/stages.py [--repeat 3] [--pdf] [PATH ...]

To compare with an older commit, run it with that commit's package first on the path, as
``benchmarks/inprocess.py`` explains; the script prints which package it measured.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import report_files, shape_of

DEFAULT = ("benchmarks/.corpus/shapes",)
STAGES = ("read", "understand", "recognise", "encode")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="also the PDF files")
    ap.add_argument("paths", nargs="*", default=list(DEFAULT))
    args = ap.parse_args()

    import auditor.pipeline as pipeline
    from auditor.doctype import recognise
    from auditor.document import understand
    from auditor.readers import read_document

    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    files = [f for f in report_files(args.paths) if args.pdf or not f.endswith(".pdf")]
    best: dict[str, list[float]] = defaultdict(lambda: [float("inf")] * len(STAGES))
    reports = {f: pipeline.audit_source(f, options, checklists) for f in files}
    for _ in range(args.repeat + 1):  # the first turn warms regex compilation and memos
        for f in files:
            t0 = time.process_time()
            text = read_document(f, max_chars=options.max_chars).text
            t1 = time.process_time()
            doc = understand(text, file_name=f)
            t2 = time.process_time()
            recognise(doc, checklists)
            t3 = time.process_time()
            pipeline.safe_encode(f, reports[f], True)
            t4 = time.process_time()
            spent = (t1 - t0, t2 - t1, t3 - t2, t4 - t3)
            best[f] = [min(b, t) for b, t in zip(best[f], spent, strict=True)]
    groups: dict[str, list[list[float]]] = defaultdict(list)
    for f, cpu in best.items():
        groups[shape_of(f)].append(cpu)
    groups["ALL"] = list(best.values())
    print(f"package: {Path(pipeline.__file__).parent}; CPU ms per report, best of {args.repeat}")
    print(f"{'shape':<10} {'reports':>7} " + " ".join(f"{s:>10}" for s in (*STAGES, "sum")))
    for shape, cpus in sorted(groups.items(), key=lambda kv: (kv[0] == "ALL", kv[0])):
        means = [sum(c[k] for c in cpus) * 1000 / len(cpus) for k in range(len(STAGES))]
        print(f"{shape:<10} {len(cpus):>7} " + " ".join(f"{v:>10.2f}" for v in (*means, sum(means))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
