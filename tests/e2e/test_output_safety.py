"""No file of the user's is ever damaged, and output faults are user errors (exit 2, one line).

Real CLI in a subprocess on real reports: outputs onto inputs (every format, ``--resume``),
devices and special files, symbolic links, folders, missing parents, a full disk, two runs on
one JSON Lines file, a resumed file cut inside a multi-byte character, names that are not
UTF-8 or carry terminal escapes, inputs given twice.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
FORMATS = ["text", "json", "jsonl", "markdown", "sarif", "junit", "csv"]


def auditor(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def one_error_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "internal" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for f in EXAMPLES[:3]:
        shutil.copy(f, reports / f.name)
    return reports


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_never_written_onto_an_input(folder: Path, fmt: str) -> None:
    before = snapshot(folder)
    victim = EXAMPLES[0].name
    proc = auditor("check", ".", "--format", fmt, "-o", victim, cwd=folder)
    assert proc.returncode == 2
    assert "拒绝写入" in one_error_line(proc)
    assert snapshot(folder) == before


def test_resume_never_appends_to_an_input(folder: Path) -> None:
    before = snapshot(folder)
    proc = auditor("check", ".", "--format", "jsonl", "-o", EXAMPLES[1].name, "--resume", cwd=folder)
    assert proc.returncode == 2 and snapshot(folder) == before
    os.link(folder / EXAMPLES[1].name, folder.parent / "hardlink.jsonl")  # the same file by another name
    proc = auditor("check", ".", "--format", "jsonl", "-o", "../hardlink.jsonl", "--resume", cwd=folder)
    assert proc.returncode == 2 and snapshot(folder) == before


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text"])
def test_dev_null_is_written_into_never_replaced(folder: Path, fmt: str) -> None:
    before = Path(os.devnull).stat()
    proc = auditor("check", EXAMPLES[0].name, "--format", fmt, "-o", os.devnull, cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    after = Path(os.devnull).stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text"])
def test_dev_stdout_on_a_pipe_is_written_into(folder: Path, fmt: str) -> None:
    """``-o /dev/stdout`` with stdout a pipe (its link leads to ``pipe:[…]``, no path): the pipe gets what
    stdout would, no error."""
    piped = auditor("check", EXAMPLES[0].name, "--format", fmt, "-o", "/dev/stdout", cwd=folder)
    plain = auditor("check", EXAMPLES[0].name, "--format", fmt, cwd=folder)
    assert piped.returncode == plain.returncode and piped.returncode in (0, 1), piped.stderr
    assert piped.stdout == plain.stdout and piped.stdout


def test_a_socket_or_folder_as_output_file_is_refused(folder: Path, tmp_path: Path) -> None:
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        proc = auditor("check", EXAMPLES[0].name, "--format", "jsonl", "-o", str(sock_path), cwd=folder)
        assert proc.returncode == 2 and "不是普通文件" in one_error_line(proc)
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        server.close()
    proc = auditor("check", EXAMPLES[0].name, "--format", "xlsx", "-o", str(tmp_path / "x.xlsx" / ".."), cwd=folder)
    assert proc.returncode in (0, 1, 2)


def test_symlinked_output_replaces_the_target_not_the_link(folder: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    proc = auditor("check", EXAMPLES[0].name, "--format", "json", "-o", str(link), cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["reports"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_missing_parent_folders_are_created_alike(folder: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "a" / "b" / f"out.{fmt}"
    proc = auditor("check", ".", "--format", fmt, "-o", str(target), cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    assert target.is_file() and target.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["json", "jsonl", "html"])
def test_a_file_where_a_folder_is_needed_is_a_user_error(folder: Path, tmp_path: Path, fmt: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    proc = auditor("check", ".", "--format", fmt, "-o", str(blocker / "out"), cwd=folder)
    assert proc.returncode == 2
    assert str(blocker) in one_error_line(proc)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_jsonl_into_an_existing_folder_writes_report_jsonl(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc = auditor("check", ".", "--format", "jsonl", "-o", str(out), cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    assert len((out / "report.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_full_disk_is_one_line_and_leaves_no_temp_file(folder: Path, tmp_path: Path) -> None:
    """ENOSPC injected at the write of the output (a real full disk needs a mount)."""
    patch = (
        "import errno, os\n_w = os.fsync\n"
        "def fsync(fd):\n    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "os.fsync = fsync\n"
        "import sys\nfrom auditor.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-c", patch, "check", ".", "--format", "json", "--format", "csv", "-o", str(out)],
        cwd=folder,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    lines = proc.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 2 and all("磁盘空间已满" in line and str(out) in line for line in lines)  # one a file
    assert list(out.iterdir()) == []


def test_two_runs_on_one_jsonl_file_do_not_interleave(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running auditor holds it
        proc = auditor("check", ".", "--format", "jsonl", "-o", str(target), cwd=folder)
        assert proc.returncode == 2 and "另一个 auditor 正在写入" in one_error_line(proc)
    finally:
        os.close(fd)
    proc = auditor("check", ".", "--format", "jsonl", "-o", str(target), cwd=folder)
    assert proc.returncode in (0, 1)
    assert b"\x00" not in target.read_bytes()


@pytest.mark.parametrize("cut", [1, 7, 40, -3])
def test_resume_drops_a_cut_last_line_anywhere(folder: Path, tmp_path: Path, cut: int) -> None:
    target = tmp_path / "out.jsonl"
    proc = auditor("check", ".", "--format", "jsonl", "-o", str(target), cwd=folder)
    full = target.read_bytes()
    lines = full.splitlines(keepends=True)
    assert len(lines) == 3
    partial = lines[2][:cut] if cut > 0 else lines[2][: cut - 1]  # -3: inside the last characters
    # cut inside a multi-byte character on purpose too
    if cut == 40:
        k = lines[2].index("镇".encode()) + 1
        partial = lines[2][:k]
    target.write_bytes(lines[0] + lines[1] + partial)
    proc = auditor("check", ".", "--format", "jsonl", "-o", str(target), "--resume", cwd=folder)
    assert proc.returncode in (0, 1), proc.stderr
    records = [json.loads(line) for line in target.read_bytes().splitlines()]
    sources = [r["report"]["source"] for r in records]
    assert sorted(sources) == sorted(f"./{f.name}" for f in EXAMPLES[:3])  # each exactly once


def test_resume_does_not_repeat_skipped_records(folder: Path, tmp_path: Path) -> None:
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    target = tmp_path / "out.jsonl"
    for _ in range(3):
        proc = auditor("check", ".", "--format", "jsonl", "-o", str(target), "--resume", cwd=folder)
        assert proc.returncode in (0, 1), proc.stderr
    records = [json.loads(line) for line in target.read_bytes().splitlines()]
    assert sum(1 for r in records if "skipped" in r) == 1
    assert sum(1 for r in records if "report" in r) == 3


def test_a_file_given_twice_is_audited_once(folder: Path) -> None:
    name = EXAMPLES[0].name
    (folder / "alias.txt").symlink_to(name)
    proc = auditor("check", name, f"./{name}", "alias.txt", "--format", "json", cwd=folder)
    assert proc.returncode in (0, 1)
    assert [r["source"] for r in json.loads(proc.stdout)["reports"]] == [name]
    data = (folder / name).read_bytes()
    proc = auditor("check", "-", "-", "--format", "json", cwd=folder, stdin=data)
    assert len(json.loads(proc.stdout)["reports"]) == 1


def test_jobs_are_bounded(folder: Path) -> None:
    proc = auditor("check", ".", "--format", "json", "--jobs", "500", cwd=folder)
    assert proc.returncode in (0, 1) and len(json.loads(proc.stdout)["reports"]) == 3
    proc = auditor("check", ".", "--format", "json", "--jobs", "0", cwd=folder)
    assert proc.returncode == 2 and "--jobs" in one_error_line(proc)


def test_hostile_names_and_text_cannot_forge_lines_or_drive_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report = EXAMPLES[0].read_text(encoding="utf-8").replace("张渚镇", "张渚镇\x1b]0;owned\x07\x1b[2J\u202e", 1)
    hostile = os.fsencode("bad\n\x1b[31mauditor: error: forged\x9b.txt") + b"\xff.txt"
    (folder / os.fsdecode(hostile)).write_text(report, encoding="utf-8")
    (folder / os.fsdecode(b"empty\n\x1b[1m\xfe.txt")).write_bytes(b"")
    proc = auditor("check", ".", "--format", "text", cwd=folder)
    assert proc.returncode == 2  # the empty file is unreadable; the hostile-named report is audited
    for stream in (proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")):
        assert not {"\x1b", "\x9b", "\x07", "\u202e"} & set(stream)
    err_lines = proc.stderr.decode("utf-8").splitlines()
    assert len(err_lines) == 1 and err_lines[0].startswith("auditor: error: ./empty\\x0a")
    assert not any(line.startswith("auditor: error: forged") for line in proc.stdout.decode("utf-8").splitlines())
    proc = auditor("check", ".", "--format", "json", cwd=folder)
    data = json.loads(proc.stdout)
    assert any(r["source"].endswith("\\xff.txt") and r["score"] is not None for r in data["reports"])


def test_errno_messages_are_chinese() -> None:
    from auditor.report.atomic import output_error

    for code in (errno.EACCES, errno.ENOSPC, errno.EROFS, errno.ENOTDIR, errno.EISDIR):
        err = output_error("x/y.json", OSError(code, os.strerror(code)))
        assert "x/y.json" in str(err) and err.exit_code == 2 and "（提示：" in str(err)
        assert not str(err).isascii()
