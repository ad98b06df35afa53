"""A worker's chunk of reports audited together (pipeline.audit_sources, engine.audit_many): the rules
run rule by rule across the chunk, and every report comes out as when it is audited alone; one bad
report of a chunk still costs only itself."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import auditor.engine as engine
import auditor.pipeline as pipeline
from auditor.report.encode import encode

ROOT = Path(__file__).resolve().parents[1]


def _sources(tmp_path: Path) -> list[str]:
    """Reports of both bundled checklists, and what is not one: unreadable, empty, no checklist fits."""
    seeds = sorted(str(p) for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))[:3]
    gia = sorted(str(p) for p in (ROOT / "fixtures" / "gov-info-disclosure").glob("*.txt"))[:2]
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    recipe = "红烧肉做法。\n" + "将五花肉切块，焯水后加糖色慢炖一小时。" * 30
    (tmp_path / "recipe.txt").write_text(recipe, encoding="utf-8")
    others = [str(tmp_path / n) for n in ("empty.txt", "binary.txt", "recipe.txt", "missing.txt")]
    return [seeds[0], others[0], gia[0], seeds[1], others[1], others[2], gia[1], seeds[2], others[3]]


def _bytes(reports: list[Any]) -> list[bytes]:
    return [encode(r, True)[1] for r in reports]


def test_a_chunk_gives_every_report_as_audited_alone(tmp_path: Path) -> None:
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    sources = _sources(tmp_path)
    alone = [pipeline.audit_source(s, options, checklists) for s in sources]
    together = pipeline.audit_sources(sources, options, checklists)
    assert _bytes(together) == _bytes(alone)
    assert {getattr(r, "error_code", None) for r in alone} >= {None, "unreadable", "unrecognized"}


def test_the_rules_run_rule_by_rule_across_the_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule R for every report of a checklist's group, then rule R+1 (what makes the chunk cheaper)."""
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    seeds = sorted(str(p) for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))[:3]
    order: list[tuple[str, int]] = []
    real = engine._unquoted

    def spy(plan: Any, doc: Any, *args: Any) -> Any:
        order.append((plan.id, id(doc)))
        return real(plan, doc, *args)

    monkeypatch.setattr(engine, "_unquoted", spy)
    pipeline.audit_sources(seeds, options, checklists)
    rules = list(dict.fromkeys(rule for rule, _ in order))
    assert len(rules) > 10
    assert [rule for rule, _ in order] == [rule for rule in rules for _ in seeds]


def _four_seeds() -> tuple[pipeline.Options, list[Any], list[str], list[Any]]:
    """Options, checklists, four seed reports and each audited alone (the clean run)."""
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    seeds = sorted(str(p) for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))[:4]
    return options, checklists, seeds, [pipeline.audit_source(s, options, checklists) for s in seeds]


def _is(doc: Any, source: str) -> bool:
    """Whether ``doc`` was read from ``source`` (a fault aims at one report of the chunk)."""
    return bool(doc.source.strip().startswith(Path(source).read_text(encoding="utf-8")[:60].strip()))


def _all_but(reports: list[Any], k: int) -> list[bytes]:
    return _bytes([r for n, r in enumerate(reports) if n != k])


def test_a_report_whose_rules_never_end_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunk's rules pass the time limit because of one report: that report gets its ``timeout``
    entry, every other report of the chunk is the one it is alone."""
    options, checklists, seeds, clean = _four_seeds()
    real = engine._unquoted

    def loops(plan: Any, doc: Any, *args: Any) -> Any:
        if _is(doc, seeds[2]) and plan.id == "FR-02":
            while True:  # a loop in Python, where the report's timer reaches
                time.sleep(0.01)
        return real(plan, doc, *args)

    monkeypatch.setattr(engine, "_unquoted", loops)
    started = time.monotonic()
    out = pipeline.audit_sources(seeds, replace(options, report_timeout=1.0), checklists)
    assert time.monotonic() - started < 10
    assert getattr(out[2], "error_code", None) == "timeout"
    assert _all_but(out, 2) == _all_but(clean, 2)


def test_a_bug_met_for_one_report_of_the_chunk_costs_only_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug outside any one rule (here the fields a report's messages are made of) while the chunk's
    rules run: each report is audited again alone, and only that report is an internal error."""
    options, checklists, seeds, clean = _four_seeds()
    real = engine.document_fields

    def fails(doc: Any, params: Any) -> Any:
        if _is(doc, seeds[1]):
            raise ZeroDivisionError("a bug")
        return real(doc, params)

    monkeypatch.setattr(engine, "document_fields", fails)
    out = pipeline.audit_sources(seeds, options, checklists)
    assert getattr(out[1], "error_code", None) == "internal"
    assert _all_but(out, 1) == _all_but(clean, 1)


def test_a_stop_of_the_run_is_not_taken_for_a_bad_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while a chunk's rules run stops the run; it is not a report's failure."""
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    seeds = sorted(str(p) for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))[:2]

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "_unquoted", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.audit_sources(seeds, options, checklists)


def _dies_on_marked(item: list[str] | str, options: pipeline.Options, checklists: object) -> Any:
    items = [item] if isinstance(item, str) else item
    if any("dies" in s for s in items):
        os._exit(9)  # the worker process dies (a crash in a C library, the OOM killer)
    return [f"done {s}" for s in items] if isinstance(item, list) else f"done {item}"


def _alone(item: str, options: pipeline.Options, checklists: object) -> str:
    if "dies" in item:
        os._exit(9)
    return f"done {item}"


def test_a_worker_dying_in_a_chunk_costs_only_the_report_that_kills_it() -> None:
    """Chunks go to the workers as one call each; a worker that dies in one has its reports done again
    one process each, so only the report that kills its process again gets its ``crashed`` entry."""
    items = [f"r{i:03d}" for i in range(200)]
    items[37] = "r037-dies"
    with pipeline.Workers(2, pipeline.Options(), []) as workers:
        out = list(workers.map(_alone, items, lambda s: f"crashed {s}", 8, _dies_on_marked))
    assert out == [f"crashed {s}" if "dies" in s else f"done {s}" for s in items]


def test_a_batch_in_chunks_equals_the_serial_one(tmp_path: Path) -> None:
    """Enough reports for chunks of 2 (≥ 64 on 2 jobs), of both checklists and none, mixed: the
    workers' chunks give the bytes of the serial run, for JSON and for the text path."""
    files = sorted(
        str(p) for d in ("seeds", "unseen", "gov-info-disclosure") for p in (ROOT / "fixtures" / d).glob("*.txt")
    )
    sources = (files + _sources(tmp_path)) * 3
    assert len(sources) // (2 * 16) >= 2  # pipeline._batch then hands the workers chunks
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    serial = [body for _, body in pipeline.run_encoded(sources, options, checklists, 1, indent=True)]
    parallel = [body for _, body in pipeline.run_encoded(sources, options, checklists, 2, indent=True)]
    assert parallel == serial == _bytes([pipeline.audit_source(s, options, checklists) for s in sources])
    texts = [text for _, text in pipeline.run_with(sources, options, checklists, 2, _first_line)]
    assert texts == [_first_line(pipeline.audit_source(s, options, checklists)) for s in sources]


def _first_line(report: Any) -> str:
    return encode(report, False)[1].decode()[:200]


@pytest.mark.parametrize("way", ["run_encoded", "run_with", "run"])
def test_one_job_audits_in_chunks_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    """``--jobs 1`` hands ``audit_chunk`` chunks of :data:`pipeline.CHUNK` in its one process (the rules
    rule by rule across them), every report once and in order, each as audited alone."""
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    sources = _sources(tmp_path) * 2
    sizes: list[int] = []
    real = pipeline.audit_chunk

    def counted(chunk: list[str], *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(chunk))
        return real(chunk, *args, **kwargs)

    monkeypatch.setattr(pipeline, "audit_chunk", counted)
    if way == "run_encoded":
        got = [body for _, body in pipeline.run_encoded(sources, options, checklists, 1, indent=True)]
    elif way == "run_with":
        got = [text for _, text in pipeline.run_with(sources, options, checklists, 1, _first_line)]
    else:
        got = _bytes(list(pipeline.run(sources, options, checklists, 1)))
    assert sizes == [pipeline.CHUNK, pipeline.CHUNK, len(sources) - 2 * pipeline.CHUNK]
    alone = [pipeline.audit_source(s, options, checklists) for s in sources]
    assert got == ([_first_line(r) for r in alone] if way == "run_with" else _bytes(alone))
