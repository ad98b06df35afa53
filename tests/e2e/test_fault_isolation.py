"""One bad report costs only itself: fault injection into one report of a real batch.

Each case runs the real CLI in a subprocess whose code is patched *before* the CLI starts
(``python -c``), so forked workers (``--jobs 2``) inherit the fault exactly as they would
inherit a real bug. The other reports must be audited exactly as in a clean run, every
requested output written, and the exit code must be 3 (a bug wins over 2 and 1).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import clean_run, run_patched

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
VICTIM = "张渚镇-2023.txt"

# Patches applied in the child before the CLI runs; each targets the one report named VICTIM.
FAULTS = {
    "understand": """
import auditor.pipeline as p
_orig = p.understand
def understand(text, **kw):
    if "张渚镇" in text[:200]:
        raise KeyError("市")
    return _orig(text, **kw)
p.understand = understand
""",
    "read": """
import auditor.readers as r
_orig = r.read_document
def read_document(source, **kw):
    if "张渚镇" in source:
        raise ZeroDivisionError("boom")
    return _orig(source, **kw)
r.read_document = read_document
""",
    # a bug while auditing the report, outside any rule: alone (audit) or in its chunk (audit_many, then
    # each report of the chunk alone)
    "audit": """
import auditor.pipeline as p
_orig, _many = p.audit, p.audit_many
def audit(doc, checklist):
    if "张渚镇" in doc.text[:300]:
        raise IndexError("list index out of range")
    return _orig(doc, checklist)
def audit_many(docs, checklist):
    if any("张渚镇" in d.text[:300] for d in docs):
        raise IndexError("list index out of range")
    return _many(docs, checklist)
p.audit, p.audit_many = audit, audit_many
""",
    "worker_dies": """
import os, auditor.pipeline as p
_orig = p.understand
def understand(text, **kw):
    if "张渚镇" in text[:200]:
        os._exit(9)  # a crash in a C library, or the OOM killer: the process just dies
    return _orig(text, **kw)
p.understand = understand
""",
}


# the reader of the one report named VICTIM never returns
HANGS = {
    "loop": """
import auditor.readers as r
_orig = r.read_document
def read_document(source, **kw):
    while "张渚镇" in source:
        pass
    return _orig(source, **kw)
r.read_document = read_document
""",
    # as a library that catches every Exception and tries again (pdfminer's loops did)
    "swallowing": """
import auditor.readers as r
_orig = r.read_document
def read_document(source, **kw):
    while "张渚镇" in source:
        try:
            sum(range(1000))
        except Exception:
            pass
    return _orig(source, **kw)
r.read_document = read_document
""",
}


# the reader of VICTIM is stuck where the timer's exception cannot reach it, as in a C library's
# loop: SIGALRM never gets through (blocked), and the process spins
STUCK = """
import signal, auditor.readers as r
_orig = r.read_document
def read_document(source, **kw):
    if "张渚镇" in source:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    return _orig(source, **kw)
r.read_document = read_document
"""


@pytest.fixture(scope="module")
def clean(folder: Path) -> dict[str, Any]:
    return clean_run(folder)


@pytest.mark.parametrize(
    ("fault", "jobs"), [(f, j) for f in FAULTS for j in ("1", "2") if not (f == "worker_dies" and j == "1")]
)  # serial: one process
def test_one_failing_report_costs_only_itself(
    folder: Path, clean: dict[str, Any], tmp_path: Path, fault: str, jobs: str
) -> None:
    out = tmp_path / "out"
    proc = run_patched(
        FAULTS[fault],
        "check",
        ".",
        "--format",
        "json",
        "--format",
        "html",
        "--format",
        "jsonl",
        "--format",
        "csv",
        "-o",
        str(out),
        "--jobs",
        jobs,
        cwd=folder,
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    by_source = {r["source"]: r for r in data["reports"]}
    assert sorted(by_source) == sorted(clean)
    victim = by_source[f"./{VICTIM}"]
    assert victim["error_code"] == "internal"
    assert victim["exception"] in {"KeyError", "ZeroDivisionError", "IndexError", "BrokenProcessPool"}
    assert "内部错误" in victim["error"] or "意外终止" in victim["error"]
    assert victim["findings"] == [] and victim["score"] is None
    for source, report in by_source.items():
        if source != f"./{VICTIM}":
            assert report == clean[source]  # the others exactly as in a clean run
    # every requested output is there: one scorecard per audited report, the index, the lines
    assert (out / "index.html").is_file() and (out / "summary.csv").is_file()
    assert len(list(out.glob("*.html"))) == len(EXAMPLES)  # index + the 4 audited reports
    lines = (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(EXAMPLES)
    # one located line on stderr, in Chinese, pointing to --debug where --debug works
    errors = [line for line in proc.stderr.splitlines() if line.startswith("auditor: error:")]
    assert len(errors) == 1 and VICTIM in errors[0]
    if fault != "worker_dies":
        assert "--debug" in errors[0]


def test_debug_on_check_prints_the_traceback_and_goes_on(folder: Path) -> None:
    proc = run_patched(FAULTS["understand"], "check", ".", "--format", "json", "--debug", "--jobs", "1", cwd=folder)
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr and "KeyError" in proc.stderr
    assert len(json.loads(proc.stdout)["reports"]) == len(EXAMPLES)


def test_a_bug_in_one_rule_is_that_finding_only(folder: Path, clean: dict[str, Any]) -> None:
    patch = """
import auditor.engine as e
_orig = e._evaluate
def _evaluate(rule, *a, **kw):
    if rule.id == "FR-03":
        raise AttributeError("'NoneType' object has no attribute 'start'")
    return _orig(rule, *a, **kw)
e._evaluate = _evaluate
"""
    proc = run_patched(patch, "check", VICTIM, "--format", "json", "--jobs", "1", cwd=folder)
    assert proc.returncode == 3, proc.stderr
    report = json.loads(proc.stdout)["reports"][0]
    by_rule = {f["rule_id"]: f for f in report["findings"]}
    assert by_rule["FR-03"]["status"] == "error" and by_rule["FR-03"]["error_code"] == "internal"
    assert "内部错误" in by_rule["FR-03"]["message"]
    before = {f["rule_id"]: f for f in clean[f"./{VICTIM}"]["findings"]}
    assert {k: v for k, v in by_rule.items() if k != "FR-03"} == {k: v for k, v in before.items() if k != "FR-03"}
    assert report["score"] is None  # an error makes the score null, as the contract says


def test_user_faults_stay_exit_2_and_bugs_win(folder: Path, tmp_path: Path) -> None:
    """An unreadable file is a user fault (2); with a bug in another report the exit is 3."""
    broken = tmp_path / "in"
    shutil.copytree(folder, broken)
    (broken / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_patched("", "check", ".", "--format", "json", cwd=broken)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["reports"][0]["error_code"] == "unreadable"
    proc = run_patched(FAULTS["understand"], "check", ".", "--format", "json", "--fail-under", "99", cwd=broken)
    assert proc.returncode == 3


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="POSIX signals")
def test_ctrl_c_prints_one_line_and_leaves_no_partial_output(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(120):
        for f in EXAMPLES:
            shutil.copy(f, many / f"{i:03d}-{f.name}")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditor",
            "check",
            str(many),
            "--format",
            "html",
            "--format",
            "json",
            "-o",
            str(out),
            "--jobs",
            "2",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as at a terminal: a suite started in the background (`make test &`, some CI runners)
        # has SIGINT ignored, and a child would inherit that and never see the signal
        preexec_fn=_default_sigint,
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["auditor: 已中断 / interrupted"]
    leftovers = [p.name for p in out.glob(".*")] if out.exists() else []
    assert leftovers == []  # no temp file of an atomic write
    for page in out.glob("*.html") if out.exists() else []:
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")  # never half a page
    time.sleep(0.5)
    children = subprocess.run(["pgrep", "-f", str(many)], capture_output=True, text=True).stdout.split()
    assert [c for c in children if int(c) != os.getpid()] == []  # no worker left running


TEXT_FAULTS = {
    **{k: FAULTS[k] for k in ("audit", "worker_dies")},
    # a bug while laying out one report's text (in the worker that audited it, for the text format)
    "render": """
import auditor.report.text as t
from auditor.result import Report
_orig = t.report_parts
def report_parts(report, **kw):
    if isinstance(report, Report) and "张渚镇" in report.source:
        raise ValueError("layout")
    return _orig(report, **kw)
t.report_parts = report_parts
""",
}


def _blocks(text: str) -> list[str]:
    """The text report cut into one part per report (each starts with its ═══ rule line)."""
    parts = re.split(r"(?m)^(?=═)", text)[1:]
    return [*parts[:-1], parts[-1].split("\n\n", 1)[0]]  # the last one without the footer


@pytest.mark.parametrize(
    ("fault", "jobs"), [(f, j) for f in TEXT_FAULTS for j in ("1", "2") if not (f == "worker_dies" and j == "1")]
)
def test_text_report_one_failing_report_costs_only_itself(folder: Path, fault: str, jobs: str) -> None:
    """The default format renders each report where it was audited: a fault there (or a dead
    worker) is that report's entry; every other report reads exactly as in a clean run."""
    clean = run_patched("", "check", ".", "--jobs", "1", cwd=folder)
    assert clean.returncode == 0, clean.stderr
    proc = run_patched(TEXT_FAULTS[fault], "check", ".", "--jobs", jobs, cwd=folder)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    victim, others = [], []
    for block in _blocks(clean.stdout):
        (victim if f"来源：./{VICTIM}" in block else others).append(block)
    assert len(victim) == 1 and len(others) == len(EXAMPLES) - 1
    for block in others:
        assert block in proc.stdout
    assert victim[0] not in proc.stdout
    assert f"来源：./{VICTIM}\n! 无法审核：" in proc.stdout
    assert f"共 {len(EXAMPLES)} 份报告，已审核 {len(EXAMPLES) - 1} 份，无法审核 1 份。" in proc.stdout


# a report whose work never ends: past AUDITOR_REPORT_TIMEOUT seconds it gets its own timeout error
@pytest.mark.parametrize(("hang", "jobs"), [(h, j) for h in HANGS for j in ("1", "2")])
def test_a_report_that_never_ends_costs_only_itself(
    folder: Path, clean: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hang: str, jobs: str
) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", "1.5")
    out = tmp_path / "out"
    started = time.monotonic()
    proc = run_patched(
        HANGS[hang], "check", ".", "--format", "json", "--format", "jsonl", "-o", str(out), "--jobs", jobs, cwd=folder
    )
    assert time.monotonic() - started < 120
    assert proc.returncode == 2, proc.stderr  # like an unreadable file: the input's fault, not a bug
    assert "Traceback" not in proc.stderr
    by_source = {r["source"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["reports"]}
    assert sorted(by_source) == sorted(clean)
    victim = by_source[f"./{VICTIM}"]
    assert victim["error_code"] == "timeout"
    assert "超过 1.5 秒" in victim["error"] and victim["findings"] == []
    for source, report in by_source.items():
        if source != f"./{VICTIM}":
            assert report == clean[source]
    assert len((out / "report.jsonl").read_text(encoding="utf-8").splitlines()) == len(EXAMPLES)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("auditor: error:")]
    assert len(errors) == 1 and VICTIM in errors[0]


# stuck in C code past the limit: a worker is ended (its CPU past kill_after), the batch goes on
def test_a_report_stuck_where_the_timer_cannot_reach_costs_only_itself(
    folder: Path, clean: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", "0.5")  # killed after 2 s of CPU, twice (once alone)
    out = tmp_path / "out.json"
    started = time.monotonic()
    proc = run_patched(STUCK, "check", ".", "--format", "json", "-o", str(out), "--jobs", "2", cwd=folder)
    assert time.monotonic() - started < 120
    assert proc.returncode == 3, proc.stderr  # a process that had to be killed: reported as a fault
    assert "Traceback" not in proc.stderr
    by_source = {r["source"]: r for r in json.loads(out.read_text(encoding="utf-8"))["reports"]}
    assert sorted(by_source) == sorted(clean)
    victim = by_source[f"./{VICTIM}"]
    assert "意外终止" in victim["error"] and "处理时间过长" in victim["error"] and victim["findings"] == []
    for source, report in by_source.items():
        if source != f"./{VICTIM}":
            assert report == clean[source]


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_bad_limit_is_a_usage_error(folder: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", value)
    proc = run_patched("", "check", ".", "--format", "json", cwd=folder)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "AUDITOR_REPORT_TIMEOUT" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
