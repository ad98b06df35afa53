"""A report whose work never ends costs only itself: past ``AUDITOR_REPORT_TIMEOUT`` seconds it gets
its own ``timeout`` error and every other report is audited and written (fault injection in a
fresh interpreter, as tests/e2e/test_fault_isolation.py does)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_patched

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
VICTIM = "张渚镇-2023.txt"

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


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = tmp_path_factory.mktemp("timeout") / "reports"
    reports.mkdir()
    for f in EXAMPLES:
        shutil.copy(f, reports / f.name)
    return reports


@pytest.fixture(scope="module")
def clean(folder: Path) -> dict[str, Any]:
    proc = run_patched("", "check", ".", "--format", "json", "--jobs", "1", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return {r["source"]: r for r in json.loads(proc.stdout)["reports"]}


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


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_bad_limit_is_a_usage_error(folder: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", value)
    proc = run_patched("", "check", ".", "--format", "json", cwd=folder)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "AUDITOR_REPORT_TIMEOUT" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
