"""The text format sends no report's JSON from the workers: a report paired with last year's is
audited again where it is compared (``commands/yoy._json_of``). That report must be exactly the one
the batch audited (same options, same checklists: the audit is deterministic), a report whose file
changed meanwhile is not compared, and a report that failed in the batch is never audited again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.commands.yoy import Audited, _compared, _Pair
from auditor.pipeline import Options, Workers, load_for, run_encoded
from auditor.report.encode import Brief, brief
from auditor.report.text import batch_end, report_text, tally
from auditor.result import Batch, ToolInfo, report_from_json
from tests.helpers import run_patched

REPO = Path(__file__).resolve().parents[2]
YOY = sorted((REPO / "fixtures" / "yoy").glob("*.txt"))
SHAPES = sorted((REPO / "benchmarks" / ".corpus" / "shapes").glob("*"))[:40]
VICTIM = "zhangzhu-2024-lazy.txt"


def _audited_again(path: str, options: Options, checklists: Any) -> bytes:
    """What a comparison worker makes of a report of the batch: its JSON, as bytes again."""
    from auditor.commands.yoy import _json_of
    from auditor.pipeline import audit_source, encodable

    report = encodable(path, audit_source(path, options, checklists))  # as the batch's brief and text
    sent = Audited(brief(report), report_text(report))
    return orjson.dumps(_json_of(sent, path, report_text, options, checklists))


def _again_in_worker(path: str, options: Options, checklists: Any) -> bytes:
    return _audited_again(path, options, checklists)


def test_a_report_audited_again_is_the_batch_s_byte_for_byte() -> None:
    """The batch's compact JSON (in its workers) and the JSON of the same report audited again in the
    same workers, as a comparison does: the same bytes, for the yoy pairs and every shape."""
    sources = [str(p) for p in [*YOY, *SHAPES]]
    options = Options()
    checklists = load_for(options)
    with Workers(2, options, checklists) as workers:
        batch = [body for _, body in run_encoded(sources, options, checklists, 2, indent=False, workers=workers)]
        again = list(workers.map(_again_in_worker, sources, lambda s: b"crashed"))
    assert again == batch
    assert sum(b'"error"' not in body[:200] for body in batch) >= len(YOY)


def _text_of_json(document: dict[str, Any]) -> str:
    """The text format of a run, rendered from its JSON document (which the workers send whole)."""
    reports = [report_from_json(r) for r in document["reports"]]
    tool = ToolInfo(document["tool"]["name"], document["tool"]["version"])
    end = batch_end(Batch(tool, (), ()), [tally(r) for r in reports])
    return "".join(report_text(r) for r in reports) + end


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_text_of_paired_reports_equals_the_text_of_the_json(tmp_path: Path, jobs: str) -> None:
    """The text path (paired reports audited again and rendered where compared) against the JSON path
    (the batch's JSON with the comparison added), on the fixtures' pairs."""
    args = ["check", *map(str, YOY), "--jobs", jobs]
    as_json = run_patched("", *args, "--format", "json", "-o", "out.json", cwd=tmp_path)
    as_text = run_patched("", *args, "--format", "text", "-o", "out.txt", cwd=tmp_path)
    assert as_json.returncode == as_text.returncode and as_json.returncode in (0, 1), as_text.stderr
    assert as_json.stderr == as_text.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sum("comparison" in r for r in document["reports"]) >= 3
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "与上年度对比" in text
    assert text == _text_of_json(document)


def test_a_report_that_differs_when_audited_again_is_not_compared() -> None:
    """A brief or a text that the report audited again does not give (its file changed after the batch):
    the comparison fails, said so, instead of comparing (and showing) another report."""
    options = Options()
    checklists = load_for(options)
    this, last = str(REPO / "fixtures" / "yoy" / VICTIM), str(REPO / "fixtures" / "yoy" / "zhangzhu-2023.txt")
    sent = {}
    for path in (this, last):
        report = _one(path, options, checklists)
        sent[path] = Audited(brief(report), report_text(report))
    good = _Pair(sent[this], this, sent[last], last, "batch", (), report_text)
    compared = _compared(good, options, checklists)
    assert not isinstance(compared, str) and "与上年度对比" in compared[1]
    assert compared[1].startswith(sent[this].made.split("\n", 1)[0])
    b = sent[this].brief
    changed = [
        Audited(Brief(b.source, (b.score or 0) + 1, b.findings, pairing=b.pairing), sent[this].made),
        Audited(b, sent[this].made.replace("。", "，", 1)),
    ]
    for bad in changed:
        for pair in (replace(good, this=bad), replace(good, last=bad)):
            assert _compared(pair, options, checklists) == "重新读取的报告与本次审核的不同（文件可能在审核后被改动）"


def _one(path: str, options: Options, checklists: Any) -> Any:
    from auditor.pipeline import audit_source

    return audit_source(path, options, checklists)


# the file of VICTIM changed once the batch is done (before the pairing): its comparison fails
CHANGED_AFTER_BATCH = f"""
import shutil, auditor.compare.pairing as p
_pair = p.pair
def pair(*args, **kw):
    shutil.copy("zhangzhu-2024-mixed.txt", {VICTIM!r})
    return _pair(*args, **kw)
p.pair = pair
"""

# VICTIM fails in the batch (a bug while understanding it); every understood report is logged
FAILS_IN_BATCH = f"""
import os, auditor.pipeline as pl
_understand = pl.understand
def understand(text, **kw):
    with open("understood.log", "a", encoding="utf-8") as f:
        f.write(os.path.basename(kw["file_name"]) + "\\n")
    if kw["file_name"].endswith({VICTIM!r}):
        raise KeyError("市")
    return _understand(text, **kw)
pl.understand = understand
"""


def _text_run(patch: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``check`` of copies of the yoy fixtures in ``cwd``, text to out.txt."""
    cwd.mkdir()
    for p in YOY:
        shutil.copy(p, cwd / p.name)
    return run_patched(patch, "check", *sorted(p.name for p in YOY), "--jobs", "2", "-o", "out.txt", cwd=cwd)


def test_a_file_changed_after_the_batch_keeps_its_batch_text_without_comparison(tmp_path: Path) -> None:
    clean = _text_run("", tmp_path / "clean")
    changed = _text_run(CHANGED_AFTER_BATCH, tmp_path / "changed")
    assert changed.returncode == clean.returncode, changed.stderr
    assert f"{VICTIM}：未能与上年度报告对比（重新读取的报告与本次审核的不同" in changed.stderr
    clean_text = (tmp_path / "clean" / "out.txt").read_text(encoding="utf-8")
    text = (tmp_path / "changed" / "out.txt").read_text(encoding="utf-8")
    assert text.count("与上年度对比") == clean_text.count("与上年度对比") - 1
    # every report's block but the victim's comparison is the clean run's
    assert len(text) < len(clean_text) and all(line in clean_text for line in text.splitlines())


def test_a_report_that_failed_in_the_batch_is_not_audited_again(tmp_path: Path) -> None:
    proc = _text_run(FAILS_IN_BATCH, tmp_path / "run")
    assert proc.returncode == 3, proc.stderr  # an internal error of one report
    understood = (tmp_path / "run" / "understood.log").read_text(encoding="utf-8").split()
    assert understood.count(VICTIM) == 1  # its batch audit only
    paired = [name for name in set(understood) if understood.count(name) == 2]
    assert paired  # the reports of the other pairs were audited again where compared
    text = (tmp_path / "run" / "out.txt").read_text(encoding="utf-8")
    assert "与上年度对比" in text and "内部错误（KeyError）" in text
