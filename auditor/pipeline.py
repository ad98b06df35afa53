"""The audit pipeline for one input file: read → understand → pick checklist → audit → result dict.

``audit_source`` is what a worker runs; ``run`` feeds it every input (in parallel with
``jobs`` > 1, the output order always equal to the input order). Results are plain
dicts in the JSON contract, so every output format and other tools can read them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditor import __version__
from auditor.checklist import Checklist
from auditor.config import Config, effective
from auditor.document import Document, understand
from auditor.engine import ReportAudit, audit
from auditor.errors import ReadError

MIN_BODY_CHARS = 30


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line (or in auditor.toml)."""

    rules: tuple[str, ...] = ()  # --rules paths: one custom checklist
    checklist: str | None = None  # --checklist NAME (bundled or path)
    year: int | None = None
    level: str | None = None
    published: date | None = None
    from_config: tuple[str, ...] = ()  # which of year/level came from the configuration file (else the command line)
    max_chars: int = 20_000_000
    config: Config = field(default_factory=Config)
    stdin: bytes | None = None
    #: effective checklists per (checklist, level), so the configuration is applied once per run
    memo: dict[tuple[int, str], Checklist] = field(default_factory=dict, compare=False, repr=False)


def tool_info() -> dict[str, str]:
    return {"name": "auditor", "version": __version__}


def checklist_info(c: Checklist) -> dict[str, str]:
    return {"id": c.id, "version": c.header.version, "title": c.header.title}


def load_for(options: Options) -> list[Checklist]:
    """The checklists a run may use: the chosen one, or every bundled one for auto-selection."""
    from auditor.loader import load_bundled, load_checklist

    if options.rules:
        return [load_checklist(list(options.rules))]
    if options.checklist:
        return [load_checklist(options.checklist)]
    return load_bundled()


def _metadata_dict(doc: Document) -> dict[str, Any]:
    m = doc.metadata
    return {
        "title": m.title,
        "unit": m.unit,
        "year": m.year,
        "level": m.level,
        "published": m.published.isoformat() if m.published else None,
        "signed": m.signed.isoformat() if m.signed else None,
    }


def _metadata_sources(doc: Document) -> dict[str, Any]:
    from auditor.document.provenance import FIELDS

    return {name: doc.metadata.source(name).to_dict() for name in FIELDS}


def report_dict(source: str, read: dict[str, Any], doc: Document, checklist: Checklist,
                result: ReportAudit, reason: str | None = None) -> dict[str, Any]:
    findings = [f.to_dict() for f in result.findings]
    summary = {s: 0 for s in ("met", "gap", "needs_review", "not_applicable", "error")}
    for f in result.findings:
        summary[f.status] += 1
    return {
        "source": source,
        "checklist": checklist_info(checklist),
        "read": read,
        "metadata": _metadata_dict(doc),
        "metadata_sources": _metadata_sources(doc),
        "checklist_reason": reason,
        "score": result.score.score,
        "grade": result.score.grade,
        "grade_capped_by": list(result.score.capped_by),
        "categories": [
            {"id": c.id, "title": c.title, "score": None if c.score is None else round(c.score, 1), "weight": c.weight}
            for c in result.score.categories
        ],
        "summary": summary,
        "findings": findings,
    }


def error_dict(source: str, message: str, checklist: Checklist | None) -> dict[str, Any]:
    return {
        "source": source,
        "error": message,
        "checklist": checklist_info(checklist) if checklist else None,
        "read": None,
        "metadata": None,
        "score": None,
        "grade": None,
        "categories": [],
        "findings": [],
    }


def audit_source(source: str, options: Options, checklists: Sequence[Checklist]) -> dict[str, Any]:
    """Audit one input; a file that cannot be read becomes an entry with an "error"."""
    from auditor.readers import read_document

    try:
        extracted = read_document(source, max_chars=options.max_chars, stdin_bytes=options.stdin)
        doc = understand(extracted.text, year=options.year, level=options.level, published=options.published,
                         from_config=frozenset(options.from_config))
        if doc.body_chars() < MIN_BODY_CHARS:
            raise ReadError("no report text found (empty, or only page chrome)", hint="check that the file is the report itself")
    except ReadError as exc:
        return error_dict(source, str(exc), checklists[0] if len(checklists) == 1 else None)
    from auditor.doctype import recognise, unrecognized_message

    doc, choice = recognise(doc, source, checklists)
    if choice.checklist is None:  # no checklist fits with confidence: not scored
        return {**error_dict(source, unrecognized_message(checklists, choice.reason), None),
                "error_code": "unrecognized", "checklist_reason": choice.reason}
    chosen = choice.checklist
    key = (id(chosen), doc.metadata.level)
    if key not in options.memo:
        options.memo[key] = effective(chosen, options.config, doc.metadata.level)
    checklist = options.memo[key]
    read = {"format": extracted.format, "encoding": extracted.encoding, "pages": extracted.pages}
    return report_dict(source, read, doc, checklist, audit(doc, checklist), choice.reason)


# ------------------------------------------------------------------ parallel runs

_WORKER: dict[str, Any] = {}


def _init_worker(options: Options, checklists: Sequence[Checklist] | None) -> None:
    """Worker set-up: forked workers get the parent's checklists; spawned ones load them."""
    _WORKER["options"] = options
    _WORKER["checklists"] = checklists if checklists is not None else load_for(options)


def _warm(checklists: Sequence[Checklist]) -> None:
    """Compile every rule regex once in the parent, so forked workers inherit them."""
    from auditor.matchers.pattern import RegexSpec, compile_for_scan
    from auditor.matchers.section import SectionSpec
    from auditor.spectree import rule_specs

    for c in checklists:
        for rule in c.rules:
            for _, spec, _ in rule_specs(rule):
                if isinstance(spec, RegexSpec):
                    for p in spec.patterns:
                        compile_for_scan(p, c.index)
                elif isinstance(spec, SectionSpec) and spec.heading is not None:
                    compile_for_scan(spec.heading, c.index)


def brief(report: dict[str, Any]) -> dict[str, Any]:
    """What a run needs of a report besides writing it: source, error, score, statuses."""
    out: dict[str, Any] = {"source": report["source"], "score": report["score"],
                           "findings": [{"status": f["status"], "blocking": f["blocking"]} for f in report["findings"]]}
    if "error" in report:
        out["error"] = report["error"]
    return out


def encode(report: dict[str, Any], indent: bool) -> tuple[dict[str, Any], bytes]:
    """A report as (brief, JSON bytes): indented as inside the "reports" list of ``--format
    json`` (so the bytes can be spliced in as they are), or compact for a JSON line."""
    import orjson

    if not indent:
        return brief(report), orjson.dumps(report)
    return brief(report), orjson.dumps(report, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")


def _work(source: str, indent: bool) -> tuple[dict[str, Any], bytes]:
    """One report in a worker, sent back encoded: JSON bytes are far cheaper to pass between
    processes than the pickled dict."""
    return encode(audit_source(source, _WORKER["options"], _WORKER["checklists"]), indent)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _parallel(sources: Sequence[str], jobs: int) -> bool:
    return jobs > 1 and len(sources) >= 4 and "-" not in sources


def run(sources: Sequence[str], options: Options, checklists: Sequence[Checklist], jobs: int) -> Iterator[dict[str, Any]]:
    """Audit every source, yielding results in input order."""
    if not _parallel(sources, jobs):
        for s in sources:
            yield audit_source(s, options, checklists)
        return
    import orjson

    for _, body in run_encoded(sources, options, checklists, jobs, indent=False):
        yield orjson.loads(body)


def run_encoded(sources: Sequence[str], options: Options, checklists: Sequence[Checklist], jobs: int,
                indent: bool) -> Iterator[tuple[dict[str, Any], bytes]]:
    """Like :func:`run`, but each report comes as ``encode(report, indent)``: for JSON and
    JSON Lines output the main process then splices bytes instead of decoding and re-encoding."""
    if not _parallel(sources, jobs):
        for s in sources:
            yield encode(audit_source(s, options, checklists), indent)
        return
    import gc
    import multiprocessing

    forking = "fork" in multiprocessing.get_all_start_methods()
    if forking:
        _warm(checklists)
        gc.freeze()  # the loaded checklists stay shared with the forked workers instead of being copied
    context = multiprocessing.get_context("fork" if forking else "spawn")
    inherited = list(checklists) if forking else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(options, inherited)) as pool:
        # small chunks keep the workers evenly busy to the end; results come back in input order
        yield from pool.map(functools.partial(_work, indent=indent), sources,
                            chunksize=max(1, min(8, len(sources) // (jobs * 16) or 1)))
