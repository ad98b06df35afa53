"""``auditor check`` with the batch's bytes spooled to a temporary file (``report.spool``, forced here
by a bound of 0 bytes): the same outputs as held in memory, no file left, a full or unusable temp
folder a one-line error with its own exit code, and one bad report still costs only itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_fault_isolation import FAULTS, VICTIM
from tests.helpers import clean_run, run_patched

REPO = Path(__file__).resolve().parents[2]
YOY = sorted((REPO / "fixtures" / "yoy").glob("*.txt"))

FORCED = """
import auditor.report.spool as s
s.MEMORY_BYTES = 0
"""

# the output's folder holds no unnamed files (a file system without O_TMPFILE): JSON into a file is then
# spooled too, instead of written into the file as it comes (auditor.report.draft)
NO_DRAFT = """
import errno, auditor.report.draft as d
def _unnamed(folder):
    raise OSError(errno.EOPNOTSUPP, "Operation not supported")
d._unnamed = _unnamed
"""


def _recorded(record: Path) -> str:
    """The spool forced to disk; at exit, each temporary file made is described in ``record``
    (its links to a name when made, and whether it was closed)."""
    return (
        FORCED
        + f"""
import atexit, json, os
_made = []
_orig = s._temporary_file
def _temporary_file():
    f = _orig()
    _made.append((f, os.fstat(f.fileno()).st_nlink))
    return f
s._temporary_file = _temporary_file
@atexit.register
def _said():
    with open({str(record)!r}, "w") as out:
        json.dump([{{"links": n, "closed": f.closed}} for f, n in _made], out)
"""
    )


def _outputs(patch: str, args: list[str], cwd: Path) -> tuple[int, str, str, bytes | None]:
    """(exit code, stdout, stderr, the output file's bytes or None) of ``auditor check ARGS -o out``."""
    out = cwd / "out"
    out.unlink(missing_ok=True)
    proc = run_patched(patch, "check", *args, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr, out.read_bytes() if out.exists() else None


CASES = {
    "json -o": ["--format", "json", "-o", "out"],
    "text -o": ["--format", "text", "-o", "out"],
    "text to stdout": [],
    "json to stdout": ["--format", "json"],
}


@pytest.mark.parametrize("case", CASES)
def test_outputs_with_pairs_are_the_same_spooled_or_held(tmp_path: Path, case: str) -> None:
    """fixtures/yoy (pairs in the batch, a comparison made again in a worker) with 2 jobs, and with a
    --previous folder: every byte of stdout, stderr and the output file, spooled or not (JSON into a file:
    written into it as it comes, or spooled where its folder holds no unnamed files)."""
    record = tmp_path / "record.json"
    for extra in (["--jobs", "2"], ["--jobs", "1", "--previous", str(YOY[0].parent)]):
        paths = [str(p) for p in YOY] if "--previous" not in extra else [str(YOY[1]), str(YOY[-1])]
        args = [*paths, *CASES[case], *extra]
        held = _outputs("", args, tmp_path)
        spooled = _outputs(_recorded(record) + NO_DRAFT, args, tmp_path)
        assert held[0] in (0, 1), held[2]
        assert spooled == held
        shown = held[1] + (held[3] or b"").decode()
        assert "与上年度对比" in shown or '"comparison"' in shown  # a batch with pairs
        made = json.loads(record.read_text())
        assert made and all(m == {"links": 0, "closed": True} for m in made)  # used, anonymous, closed


def test_the_spool_is_closed_after_an_error_in_the_middle(tmp_path: Path) -> None:
    """The temporary file exceeds the size a process may write (RLIMIT_FSIZE, a real failure of the
    kernel) after a few reports: one line, exit code 4, no output file, the old one kept, nothing left."""
    record = tmp_path / "record.json"
    patch = (
        _recorded(record)
        + NO_DRAFT
        + "\nimport resource\nresource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))\n"
    )
    (tmp_path / "out").write_bytes(b"last run's output")
    before = set(tmp_path.iterdir())
    proc = run_patched(patch, "check", *map(str, YOY), "--format", "json", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("auditor: error: 无法写入批量结果的临时文件"), proc.stderr
    assert "文件超过允许的大小" in lines[0]  # EFBIG, said in Chinese
    assert "TMPDIR" in lines[0] and "Traceback" not in proc.stderr
    assert (tmp_path / "out").read_bytes() == b"last run's output"
    assert set(tmp_path.iterdir()) == before | {record}  # no partial output, no temp file beside it
    assert json.loads(record.read_text()) == [{"links": 0, "closed": True}]


def test_json_written_as_it_comes_stops_at_the_same_failure_without_a_trace(tmp_path: Path) -> None:
    """JSON into a file, written there as the reports come, exceeds the size a process may write (RLIMIT_FSIZE):
    the output's own one-line error (exit code 2), the old file kept, nothing left beside it."""
    patch = "import resource\nresource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))\n"
    (tmp_path / "out").write_bytes(b"last run's output")
    proc = run_patched(patch, "check", *map(str, YOY), "--format", "json", "-o", "out", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("auditor: error: 无法写入输出文件 out：文件超过允许的大小"), (
        proc.stderr
    )
    assert (tmp_path / "out").read_bytes() == b"last run's output"
    assert list(tmp_path.iterdir()) == [tmp_path / "out"]


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        (  # the temp folder's disk is full (the temp-file factory fails as the system would)
            "import errno, os, tempfile\n"
            "def full(*a, **k):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
            "tempfile.TemporaryFile = full\n",
            "磁盘空间已满",
        ),
        ("import tempfile\ntempfile.tempdir = '/nonexistent/temp'\n", "文件夹不存在"),  # unusable: a real failure
    ],
)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_full_or_unusable_temp_folder_is_one_line_and_exit_code_4(
    tmp_path: Path, patch: str, reason: str, fmt: str
) -> None:
    """(JSON into a file uses the temp folder only where the output's folder holds no unnamed files.)"""
    proc = run_patched(FORCED + NO_DRAFT + patch, "check", *map(str, YOY), "--format", fmt, "-o", "out", cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and reason in lines[0] and "（提示：" in lines[0] and "Traceback" not in proc.stderr, (
        proc.stderr
    )
    assert list(tmp_path.iterdir()) == []  # no output file, partial or whole


@pytest.mark.parametrize("fault", ["audit", "worker_dies"])
def test_one_failing_report_costs_only_itself_when_spooled(folder: Path, tmp_path: Path, fault: str) -> None:
    clean: dict[str, Any] = clean_run(folder)
    out = tmp_path / "report.json"
    proc = run_patched(
        FORCED + FAULTS[fault], "check", ".", "--format", "json", "-o", str(out), "--jobs", "2", cwd=folder
    )
    assert proc.returncode == 3, proc.stderr
    by_source = {r["source"]: r for r in json.loads(out.read_text(encoding="utf-8"))["reports"]}
    assert sorted(by_source) == sorted(clean)
    assert by_source[f"./{VICTIM}"]["error_code"] == "internal"
    assert {s: r for s, r in by_source.items() if s != f"./{VICTIM}"} == {
        s: r for s, r in clean.items() if s != f"./{VICTIM}"
    }
    text = run_patched(FORCED + FAULTS[fault], "check", ".", "--jobs", "2", cwd=folder)
    held = run_patched(FAULTS[fault], "check", ".", "--jobs", "2", cwd=folder)
    assert text.returncode == held.returncode == 3 and text.stdout == held.stdout and text.stderr == held.stderr


def test_json_into_a_file_needs_no_temp_folder(tmp_path: Path) -> None:
    """JSON into a file goes straight into it: a temp folder that is full or missing does not stop the run."""
    full = "import tempfile\ntempfile.tempdir = '/nonexistent/temp'\n"
    proc = run_patched(FORCED + full, "check", *map(str, YOY), "--format", "json", "-o", "out", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    held = run_patched("", "check", *map(str, YOY), "--format", "json", cwd=tmp_path)
    assert (tmp_path / "out").read_text(encoding="utf-8") == held.stdout
