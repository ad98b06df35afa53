"""Special files and names: named pipes, devices and sockets are refused without being opened
for reading (never waited on); file names that are not UTF-8 are read; junk behind a legacy
Word signature is an error, not a report."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from auditor.errors import ReadError
from auditor.readers import collect_inputs, read_document
from auditor.readers.legacy_word import find_converter

SEED = sorted((Path(__file__).parents[2] / "fixtures" / "seeds").glob("*.txt"))[0]
NOT_REGULAR = "不是普通文件"


def _read_in_thread(path: str) -> BaseException | object:
    """read_document(path) in a thread; the test fails if it is still waiting after 10 s."""
    result: list[BaseException | object] = []

    def run() -> None:
        try:
            result.append(read_document(path))
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if not result:
        # unblock the reader so the thread ends: a writer opens the pipe, then closes it
        with Path(path).open("wb"):
            pass
        pytest.fail(f"read_document waited on {path}")
    return result[0]


def test_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    outcome = _read_in_thread(str(fifo))
    assert isinstance(outcome, ReadError) and NOT_REGULAR in outcome.message
    assert "命名管道" in outcome.message and outcome.hint


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_device_is_refused(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is missing")
    with pytest.raises(ReadError, match=NOT_REGULAR):
        read_document(device)


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(ReadError, match="套接字"):
            read_document(str(path))
    finally:
        server.close()


def test_file_swapped_for_a_pipe_after_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What is opened is checked again: a regular file at stat time, a pipe at open time."""
    import auditor.readers.source as source

    fifo = tmp_path / "swap.txt"
    os.mkfifo(fifo)
    regular = SEED.stat()
    monkeypatch.setattr(source, "_stat", lambda path: regular)
    outcome = _read_in_thread(str(fifo))
    assert isinstance(outcome, ReadError) and "命名管道" in outcome.message


def test_named_pipe_on_the_command_line_costs_only_itself(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "auditor", "check", str(fifo), str(SEED), "--format", "json", "--no-config"]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False, cwd=tmp_path)
    reports = {Path(r["source"]).name: r for r in json.loads(done.stdout)["reports"]}
    assert NOT_REGULAR in reports["pipe.txt"]["error"]
    assert reports[SEED.name]["score"] is not None
    assert done.returncode == 2, done.stderr


def test_pipes_and_sockets_in_a_folder_are_skipped_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    files, skipped = collect_inputs([str(tmp_path)])
    assert [Path(f).name for f in files] == ["a.txt"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [("pipe.txt", "不是普通文件")]


# ------------------------------------------------------------------------------ file names


def _bad_name(folder: Path, raw: bytes) -> str:
    name = os.fsdecode(raw)
    path = os.path.join(str(folder), name)  # noqa: PTH118 - a str path with surrogate escapes
    try:
        with open(path, "wb") as out:  # noqa: PTH123
            out.write(SEED.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


def test_names_that_are_not_utf8_are_listed_and_read(tmp_path: Path) -> None:
    gbk = _bad_name(tmp_path, "法治报告.txt".encode("gbk"))
    latin = _bad_name(tmp_path, b"r\xe9sum\xe9.txt")
    files, skipped = collect_inputs([str(tmp_path)])
    assert sorted(files) == sorted([gbk, latin]) and skipped == []
    for path in files:
        assert read_document(path).text.strip()
    assert collect_inputs([gbk]) == ([gbk], [])


def test_names_that_are_not_utf8_in_a_batch(tmp_path: Path) -> None:
    """The whole batch is audited and its JSON is valid UTF-8 (the raw bytes shown as \\xNN).
    Needs the escaping of sources in the pipeline (auditor.printable)."""
    pytest.importorskip("auditor.printable")
    folder = tmp_path / "in"
    folder.mkdir()
    _bad_name(folder, "法治报告.txt".encode("gbk"))
    (folder / "ok.txt").write_bytes(SEED.read_bytes())
    for fmt in ("json", "jsonl"):
        command = [sys.executable, "-m", "auditor", "check", str(folder), "--format", fmt, "--no-config"]
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
        assert done.returncode in (0, 1), done.stderr
        text = done.stdout.decode("utf-8")  # strict: fails on a raw byte
        assert "\\\\xb7\\\\xa8\\\\xd6" in text and "ok.txt" in text  # (\\xce\\xb1 is UTF-8 "α")


# ------------------------------------------------------------------------------ legacy Word


def test_junk_behind_an_ole_signature_is_refused_before_converting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No converter is run: it would import the junk as text and the report would be scored."""
    import auditor.readers.legacy_word as legacy

    def no_run(command: list[str], kind: str) -> None:
        raise AssertionError("the converter ran on junk")

    monkeypatch.setattr(legacy, "find_converter", lambda: "/nonexistent/soffice")
    monkeypatch.setattr(legacy, "_run", no_run)
    path = tmp_path / "junk.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(20_000))
    with pytest.raises(ReadError, match="不是有效的 Office 复合文档"):
        read_document(str(path))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x22] = b"\x03\x00\xfe\xff\x09\x00\x06\x00"
    path.write_bytes(bytes(header) + "法治政府".encode("gbk") * 2000)  # a sane header, no Word stream
    with pytest.raises(ReadError, match="不是 Word 文档"):
        read_document(str(path))


def test_mojibake_conversion_is_refused() -> None:
    from auditor.readers.legacy_word import check_converted

    junk = bytes(range(128, 256)).decode("gb18030", "replace") * 20
    with pytest.raises(ReadError, match="乱码"):
        check_converted("锟斤拷" + junk, "doc")
    check_converted(SEED.read_text(encoding="utf-8"), "doc")  # a real report passes
    check_converted("Annual report " * 100, "doc")  # too few non-ASCII characters to judge


@pytest.mark.skipif(find_converter() is None, reason="LibreOffice (soffice) is not installed")
def test_junk_rtf_is_not_scored(tmp_path: Path) -> None:
    import random

    path = tmp_path / "junk.rtf"
    path.write_bytes(b"{\\rtf1 " + random.Random(11).randbytes(6000))  # (fixed: some junk converts to a few characters)
    with pytest.raises(ReadError, match="乱码"):
        read_document(str(path))
