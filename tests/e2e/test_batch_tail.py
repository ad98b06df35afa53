"""The end of a batch: the year-over-year comparisons run in the batch's own worker processes, and
the JSON document is written while they come in. One failed comparison (an exception, its
worker dying, or a comparison that never ends) costs only that comparison; an output that
cannot be written leaves nothing behind and still finishes (and reports) every comparison.

As in test_fault_isolation.py, each case runs the real CLI in a subprocess patched before it
starts, so forked workers inherit the fault as they would a real bug.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_patched

REPO = Path(__file__).resolve().parents[2]
YOY = sorted(str(p) for p in (REPO / "fixtures" / "yoy").glob("*.txt"))
VICTIM = "zhangzhu-2024-lazy.txt"

# a fault in the comparison of the one pair whose this-year report is VICTIM
COMPARE_FAULTS = {
    "raises": """
import auditor.compare.paired as p
_orig = p.compare_pair
def compare_pair(this, *args, **kw):
    if this["source"].endswith("zhangzhu-2024-lazy.txt"):
        raise KeyError("市")
    return _orig(this, *args, **kw)
p.compare_pair = compare_pair
""",
    "worker_dies": """
import os, auditor.compare.paired as p
_orig = p.compare_pair
def compare_pair(this, *args, **kw):
    if this["source"].endswith("zhangzhu-2024-lazy.txt"):
        os._exit(9)  # a crash in a C library, or the OOM killer: the process just dies
    return _orig(this, *args, **kw)
p.compare_pair = compare_pair
""",
    "hangs": """
import auditor.compare.paired as p
_orig = p.compare_pair
def compare_pair(this, *args, **kw):
    while this["source"].endswith("zhangzhu-2024-lazy.txt"):
        pass
    return _orig(this, *args, **kw)
p.compare_pair = compare_pair
""",
}
REASONS = {"raises": "内部错误 KeyError", "worker_dies": "内部错误 BrokenProcessPool", "hangs": "超过 1.5 秒仍未完成"}

# where each process of the run audits and compares: the pids, one line each, into files of the cwd
PIDS = """
import os, auditor.pipeline as pl, auditor.compare.paired as p
_audit, _compare = pl.understand, p.compare_pair
def understand(*args, **kw):
    with open("audited.pids", "a") as f:
        f.write(f"{os.getpid()}\\n")
    return _audit(*args, **kw)
def compare_pair(*args, **kw):
    with open("compared.pids", "a") as f:
        f.write(f"{os.getpid()}\\n")
    return _compare(*args, **kw)
pl.understand, p.compare_pair = understand, compare_pair
"""

# the output cannot be made: no file can be made in its folder (disk full: neither the unnamed file the
# document is written into as the reports come, nor the temp file of the usual way), or the full file
# cannot be synced
OUTPUT_FAULTS = {
    "create": """
import errno, os, tempfile
def mkstemp(*args, **kw):
    raise OSError(errno.ENOSPC, "No space left on device")
tempfile.mkstemp = mkstemp
_open = os.open
def unnamed(path, flags, *args, **kw):
    if flags & os.O_TMPFILE == os.O_TMPFILE:
        raise OSError(errno.ENOSPC, "No space left on device")
    return _open(path, flags, *args, **kw)
os.open = unnamed
""",
    "fsync": """
import errno, os
def fsync(fd):
    raise OSError(errno.ENOSPC, "No space left on device")
os.fsync = fsync
""",
}


def _reports(path: Path) -> dict[str, dict[str, Any]]:
    return {Path(r["source"]).name: r for r in json.loads(path.read_text(encoding="utf-8"))["reports"]}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    cwd = tmp_path_factory.mktemp("clean")
    proc = run_patched("", "check", *YOY, "--format", "json", "--jobs", "2", "-o", "out.json", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    reports = _reports(cwd / "out.json")
    assert sum("comparison" in r for r in reports.values()) >= 3 and "comparison" in reports[VICTIM]
    return proc, reports


@pytest.mark.parametrize("fault", sorted(COMPARE_FAULTS))
def test_a_failed_comparison_costs_only_itself(
    clean: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    monkeypatch.setenv("AUDITOR_REPORT_TIMEOUT", "1.5")  # a comparison has the time limit of a report
    clean_proc, clean_reports = clean
    proc = run_patched(
        COMPARE_FAULTS[fault], "check", *YOY, "--format", "json", "--jobs", "2", "-o", "out.json", cwd=tmp_path
    )
    assert proc.returncode == clean_proc.returncode, proc.stderr
    assert f"{VICTIM}：未能与上年度报告对比（{REASONS[fault]}），其他结果不受影响" in proc.stderr
    assert "Traceback" not in proc.stderr
    reports = _reports(tmp_path / "out.json")
    assert reports.keys() == clean_reports.keys()
    for name, report in reports.items():
        expected = clean_reports[name]
        if name == VICTIM:
            expected = {k: v for k, v in expected.items() if k != "comparison"}
        assert report == expected, name
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left


def test_the_comparisons_run_in_the_batch_s_own_workers(tmp_path: Path) -> None:
    """One pool per run: the pairs are compared by the processes that audited the batch (forked once)."""
    proc = run_patched(PIDS, "check", *YOY, "--format", "json", "--jobs", "2", "-o", "out.json", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    audited = set((tmp_path / "audited.pids").read_text().split())
    compared = set((tmp_path / "compared.pids").read_text().split())
    assert len(compared) >= 1 and compared <= audited and len(audited) == 2


@pytest.mark.parametrize("output_fault", sorted(OUTPUT_FAULTS))
def test_an_output_that_cannot_be_written_leaves_nothing_and_every_comparison_is_finished(
    tmp_path: Path, output_fault: str
) -> None:
    """The document is written while the comparisons come in; when the output fails (before the
    first piece, or at the end) the comparisons are still finished and their failures said."""
    patch = OUTPUT_FAULTS[output_fault] + COMPARE_FAULTS["raises"]
    proc = run_patched(patch, "check", *YOY, "--format", "json", "--jobs", "2", "-o", "out.json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    warned = proc.stderr.index(f"{VICTIM}：未能与上年度报告对比（内部错误 KeyError）")
    assert warned < proc.stderr.index("无法写入输出文件") and "磁盘空间已满" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no partial output, no temp file


# the disk fills while the reports are written into the output as they come (the second write into the
# unnamed file of the document)
FULL_WHILE_WRITING = """
import errno, os
_open, _write, unnamed, writes = os.open, os.write, set(), [0]
def open_(path, flags, *args, **kw):
    fd = _open(path, flags, *args, **kw)
    if flags & os.O_TMPFILE == os.O_TMPFILE:
        unnamed.add(fd)
    return fd
def write(fd, data):
    if fd in unnamed:
        writes[0] += 1
        if writes[0] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
    return _write(fd, data)
os.open, os.write = open_, write
"""


def test_a_disk_that_fills_while_the_reports_are_written_leaves_the_old_output(tmp_path: Path) -> None:
    """The JSON document is written into its file as the reports come: a full disk on the way stops the run
    with the one-line output error (exit 2), and the file there before is left as it was, with nothing beside it."""
    old = tmp_path / "out.json"
    old.write_text("上一次的结果\n", encoding="utf-8")
    proc = run_patched(
        FULL_WHILE_WRITING, "check", *YOY, "--format", "json", "--jobs", "2", "-o", "out.json", cwd=tmp_path
    )
    assert proc.returncode == 2, proc.stderr
    assert "无法写入输出文件 out.json：磁盘空间已满" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == [old] and old.read_text(encoding="utf-8") == "上一次的结果\n"


def test_the_json_document_written_as_the_reports_come_is_the_one_written_at_the_end(
    tmp_path: Path, clean: tuple[subprocess.CompletedProcess[str], dict[str, Any]]
) -> None:
    """Where no unnamed file can be made in the output's folder (a file system without O_TMPFILE), the
    document is held and written at the end, the usual way: the same bytes, the same comparisons."""
    no_unnamed = OUTPUT_FAULTS["create"].replace("errno.ENOSPC", "errno.EOPNOTSUPP").split("_open = os.open")[1]
    proc = run_patched(
        "import errno, os\n_open = os.open" + no_unnamed,
        "check",
        *YOY,
        "--format",
        "json",
        "--jobs",
        "2",
        "-o",
        "out.json",
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert _reports(tmp_path / "out.json") == clean[1]
    assert list(tmp_path.iterdir()) == [tmp_path / "out.json"]
