"""One bad report costs only itself when the workers audit reports in chunks (pipeline.audit_sources).

A batch of 72 reports on 2 jobs is handed out in chunks (here of 2: `pipeline._batch`; at `--jobs 1`
of 8, in the one process), each one call in a worker that reads and understands its reports one by
one and then runs their rules rule by rule across them. A fault is injected (in the child, before the
CLI starts, so forked workers inherit it) into the report of 张渚镇, which sorts first and so lies
inside a chunk, not among the last reports handed out one at a time: in its understanding, in the
rules of its chunk, in a loop there that the report's timer reaches or one it cannot reach, or as a
worker that dies. That report gets its own error entry; every other report is exactly as in a clean
run.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_fault_isolation import FAULTS as UNCHUNKED
from tests.helpers import clean_run, run_patched

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
VICTIM = "a-张渚镇-2023.txt"  # sorts before the copies: inside the chunked head of the batch


def _in_rules(body: str) -> str:
    """A patch that does ``body`` in the rules of the report of 张渚镇 (``engine._unquoted``: one rule)."""
    return (
        "import os, signal, auditor.engine as e\n_orig = e._unquoted\ndef _unquoted(plan, doc, *a):\n"
        '    if "张渚镇" in doc.text[:300]:\n'
        + "".join(f"        {line}\n" for line in body.splitlines())
        + "    return _orig(plan, doc, *a)\ne._unquoted = _unquoted\n"
    )


FAULTS = {
    "understand": UNCHUNKED["understand"],
    "rules": """
import auditor.pipeline as p, auditor.engine as e
_orig = e.audit_many
def audit_many(docs, checklist):
    if any("张渚镇" in d.text[:300] for d in docs):
        raise IndexError("list index out of range")
    return _orig(docs, checklist)
p.audit_many = e.audit_many = audit_many
""",
    # a crash in a C library, or the OOM killer: the process just dies
    "worker_dies": _in_rules("os._exit(9)"),
    # the rules of the report never end, in Python (the report's timer reaches them)
    "loop": _in_rules("while True:\n    pass"),
    # stuck where the timer's exception cannot reach (as in a C library's loop): the worker is ended
    "stuck": _in_rules("signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\nwhile True:\n    pass"),
}
#: the victim's error_code, words of its error, and the exit code (a timeout is the input's fault, as
#: an unreadable file: 2; a bug, or a process that had to be ended: 3)
EXPECTED = {
    "understand": ("internal", "内部错误", 3),
    "rules": ("internal", "内部错误", 3),
    "worker_dies": ("internal", "意外终止", 3),
    "loop": ("timeout", "超过 1.5 秒", 2),
    "stuck": ("internal", "处理时间过长", 3),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = tmp_path_factory.mktemp("chunked")
    others = [f for f in EXAMPLES if "张渚镇" not in f.name]
    victim = [f for f in EXAMPLES if "张渚镇" in f.name]
    assert len(victim) == 1 and len(others) == 4
    shutil.copy(victim[0], reports / VICTIM)
    for k in range(71):
        source = others[k % len(others)]
        shutil.copy(source, reports / f"b{k:02d}-{source.name}")
    return reports


@pytest.fixture(scope="module")
def clean(folder: Path) -> dict[str, Any]:
    return clean_run(folder)


#: ``--jobs 1`` audits in chunks in the one process too (a dying or stuck process is then the run's own)
SERIAL = ("understand", "rules", "loop")


@pytest.mark.parametrize(
    ("fault", "jobs"), [(f, "2") for f in sorted(FAULTS)] + [(f, "1") for f in SERIAL], ids=lambda x: str(x)
)
def test_a_bad_report_inside_a_chunk_costs_only_itself(
    folder: Path, clean: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, jobs: str
) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", "0.5" if fault == "stuck" else "1.5")
    out = tmp_path / "out.json"
    started = time.monotonic()
    proc = run_patched(FAULTS[fault], "check", ".", "--format", "json", "-o", str(out), "--jobs", jobs, cwd=folder)
    assert time.monotonic() - started < 150
    code, words, exit_code = EXPECTED[fault]
    assert proc.returncode == exit_code, proc.stderr
    assert "Traceback" not in proc.stderr
    by_source = {r["source"]: r for r in json.loads(out.read_text(encoding="utf-8"))["reports"]}
    assert sorted(by_source) == sorted(clean) and len(by_source) == 72
    victim = by_source[f"./{VICTIM}"]
    assert victim["error_code"] == code and words in victim["error"], victim["error"]
    assert victim["findings"] == [] and victim["score"] is None
    for source, report in by_source.items():
        if source != f"./{VICTIM}":
            assert report == clean[source]  # the others exactly as in a clean run
