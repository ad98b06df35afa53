"""Round 4 of hostile inputs: what one bad entry of a folder, or one bad file, may cost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.readers import collect_inputs
from tests.hostile.builders import GIB, compound_file, encrypted_ooxml, read_limited, word97

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))


def _auditor(*args: str, cwd: Path, file_size: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a child process; ``file_size``: the most bytes it may write into one file
    (``ulimit -f``: a write past it fails with EFBIG, as a full disk fails with ENOSPC)."""

    def limit() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [sys.executable, "-m", "auditor", *args, "--no-config", "--no-progress"],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit,
        check=False,
    )


def _one_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _relative(paths: list[str], root: Path) -> list[str]:
    return [os.path.relpath(path, root) for path in paths]


def test_a_link_up_to_a_folder_holding_the_walk_is_not_followed(tmp_path: Path) -> None:
    """``up -> ..`` (or a link to the home folder, or to ``/``) leads to a folder that holds the one
    walked: following it walked every sibling folder (for ``/``: the whole disk, for ever)."""
    top, sibling = tmp_path / "reports", tmp_path / "elsewhere"
    (top / "2023").mkdir(parents=True)
    sibling.mkdir()
    (top / "a.txt").write_text("报告", encoding="utf-8")
    (sibling / "b.txt").write_text("别的文件", encoding="utf-8")
    (top / "up").symlink_to("..")
    (top / "2023" / "home").symlink_to(tmp_path)
    (top / "2023" / "root").symlink_to(os.sep)
    files, skipped = collect_inputs([str(top)])
    assert _relative(files, tmp_path) == ["reports/a.txt"]
    assert sorted((os.path.relpath(s.source, tmp_path), s.reason) for s in skipped) == [
        ("reports/2023/home", "符号链接循环"),
        ("reports/2023/root", "符号链接循环"),
        ("reports/up", "符号链接循环"),
    ]


def test_a_linked_folder_elsewhere_is_still_walked(tmp_path: Path) -> None:
    """A link to a folder that does not hold the walk (a shared folder of reports) is followed."""
    top, shared = tmp_path / "reports", tmp_path / "shared"
    top.mkdir()
    shared.mkdir()
    (shared / "b.txt").write_text("报告", encoding="utf-8")
    (top / "share").symlink_to(shared, target_is_directory=True)
    files, skipped = collect_inputs([str(top)])
    assert _relative(files, tmp_path) == ["reports/share/b.txt"]
    assert skipped == []


def test_a_json_lines_file_that_cannot_grow_is_named_in_the_message(tmp_path: Path) -> None:
    """A write into the JSON Lines output failing mid-batch (disk full, ``ulimit -f``) named the
    file by its descriptor's number: 无法写入输出文件 3：…"""
    for seed in SEEDS[:3]:
        shutil.copy(seed, tmp_path / seed.name)
    target = tmp_path / "out" / "audit.jsonl"
    proc = _auditor("check", ".", "--format", "jsonl", "-o", str(target), "--jobs", "1", cwd=tmp_path, file_size=20_000)
    assert proc.returncode == 2
    assert _one_line(proc).startswith(f"auditor: error: 无法写入输出文件 {target}：文件超过允许的大小")


def test_sigterm_ends_the_run_and_its_workers_as_ctrl_c_does(tmp_path: Path) -> None:
    """``kill`` (``timeout``, a cancelled CI job) killed the main process alone: its forked workers,
    each holding the pipe of their tasks open for the others, waited for work for ever, and
    whoever read the run's output (a CI runner) with them."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for i in range(300):
        shutil.copy(SEEDS[i % len(SEEDS)], reports / f"r{i:03}.txt")
    target = tmp_path / "audit.json"
    command = [sys.executable, "-m", "auditor", "check", str(reports), "-f", "json", "-o", str(target), "--jobs", "2"]
    run = subprocess.Popen(
        [*command, "--no-config", "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        workers = _children(run.pid, 2)
        run.send_signal(signal.SIGTERM)
        _, err = run.communicate(timeout=60)  # the end of its output: every process holding it is gone
    finally:
        if run.poll() is None or _alive(workers := _children(run.pid, 0)):
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
    assert run.returncode == 130
    assert err.decode("utf-8").strip().splitlines() == ["auditor: 已中断 / interrupted"]
    assert not _alive(workers)
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["reports"]


def _children(pid: int, count: int, wait: float = 60) -> list[int]:
    """The child processes of ``pid`` once there are ``count`` of them (its workers at work)."""
    deadline = time.monotonic() + wait
    while True:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
        if len(found) >= count or time.monotonic() > deadline:
            return [int(child) for child in found]
        time.sleep(0.05)


def _alive(pids: list[int]) -> bool:
    """Whether any of ``pids`` still runs (a zombie waiting for its parent's ``wait`` does not)."""
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            return True
    return False


def _page(encoding: str) -> bytes:
    from tests.readers.builders import build_html, encodable, paragraphs

    paras = paragraphs(encodable(SEEDS[0].read_text(encoding="utf-8"), "gbk"))
    return build_html(paras, encoding)


def test_a_gbk_page_declaring_utf8_is_read_as_gbk(tmp_path: Path) -> None:
    """A page saved in GBK whose template still says ``charset=utf-8`` was read as UTF-8 with every
    Chinese character replaced (U+FFFD): the report was mojibake, "未能确认报告类型"."""
    from auditor.readers import read_document

    (tmp_path / "right.html").write_bytes(_page("gbk"))
    (tmp_path / "lying.html").write_bytes(_page("gbk").replace(b"charset=gbk", b"charset=utf-8"))
    right, lying = read_document(str(tmp_path / "right.html")), read_document(str(tmp_path / "lying.html"))
    assert "\ufffd" not in lying.text
    assert lying.text == right.text
    assert lying.encoding == "gb18030"


def test_a_page_in_its_declared_charset_with_a_bad_byte_keeps_that_charset(tmp_path: Path) -> None:
    """A few bad bytes (a damaged file) are not a wrong charset: the page is read, one bad spot."""
    from auditor.readers import read_document

    data = _page("gbk")
    cut = data.rindex("法治".encode("gbk")) + 1  # half of a character in the article: one bad spot
    (tmp_path / "damaged.html").write_bytes(data[:cut] + b"\xff" + data[cut + 1 :])
    read = read_document(str(tmp_path / "damaged.html"))
    assert read.encoding == "gb18030"  # gbk is read as its superset
    assert 1 <= read.text.count("\ufffd") <= 2 and "情感认同" in read.text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("encrypted.docx", encrypted_ooxml()),  # Word's .docx with an opening password
        ("encrypted.doc", encrypted_ooxml()),
        ("encrypted.wps", encrypted_ooxml()),
        ("rc4.doc", word97(0x0100 | 0x0200)),  # fEncrypted (Word 97–2003's password)
        ("xor.doc", word97(0x0100 | 0x8000)),  # fObfuscated
    ],
)
def test_a_word_document_with_an_opening_password_is_said_to_be_encrypted(
    tmp_path: Path, name: str, data: bytes
) -> None:
    """LibreOffice fails on it as on a damaged file: the message said ".doc 文件不是 Word 文档（其中
    没有 Word 正文数据）" or "LibreOffice 无法转换该 .doc 文件（文件已损坏…）", hinting to save it again
    in Word — which keeps the password."""
    from auditor.errors import ReadError
    from auditor.readers import read_document

    (tmp_path / name).write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read_document(str(tmp_path / name))
    assert caught.value.message == "文档设有打开密码（已加密），无法读取"
    assert "取消打开密码" in (caught.value.hint or "")


def test_a_word_document_without_a_password_is_not_taken_for_an_encrypted_one() -> None:
    from auditor.readers.compound import is_encrypted

    assert not is_encrypted(word97(0x0200))  # fDot etc., no password flag
    assert not is_encrypted(compound_file([("Workbook", b"\0" * 64)]))
    assert is_encrypted(word97(0x0100))


def test_markdown_with_a_huge_table_is_read_as_plain_text_in_bounded_memory(tmp_path: Path) -> None:
    """Each table cell (or emphasis mark) costs markdown-it about a kilobyte of tokens: a 6 MB table
    of 3,000 columns took 4 GB (a 20 MB one 13 GB and five minutes). Past a markup no report has,
    the file is read as plain text: every word kept, memory linear."""
    path = tmp_path / "table.md"
    cells = 3000
    table = "|" + "列|" * cells + "\n|" + "-|" * cells + "\n" + ("|" + "1|" * cells + "\n") * 1000
    path.write_text(SEEDS[0].read_text(encoding="utf-8") + "\n\n" + table, encoding="utf-8")
    outcome = read_limited(path, memory=GIB, timeout=120)
    assert outcome.returncode == 0, outcome.result
    assert outcome.result.get("text", 0) > len(table)


def test_markdown_with_a_report_s_markup_is_still_rendered(tmp_path: Path) -> None:
    from auditor.readers import read_document
    from tests.readers.builders import as_markdown

    path = tmp_path / "report.md"
    path.write_text(as_markdown(SEEDS[0].read_text(encoding="utf-8")), encoding="utf-8")
    text = read_document(str(path)).text
    assert "**" not in text and "##" not in text


@pytest.mark.parametrize(
    ("inputs", "output"),
    [(["reports"], "."), (["reports"], "reports"), (["reports/a.txt"], "."), (["other", "reports"], "reports")],
)
def test_inputs_in_the_output_folder_are_a_usage_error(tmp_path: Path, inputs: list[str], output: str) -> None:
    """``check reports -f html -o .`` skipped every report as one of our outputs ("位于输出文件夹内"):
    nothing audited, nothing said, exit 0 — a gate that passed on no report."""
    for folder in ("reports", "other"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEEDS[0], tmp_path / folder / "a.txt")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.txt")}
    proc = _auditor("check", *inputs, "-f", "html", "-f", "json", "-o", output, cwd=tmp_path)
    assert proc.returncode == 2
    inside = next(p for p in inputs if p.startswith("reports"))
    assert _one_line(proc).startswith(f"auditor: error: 要核查的 {inside} 在输出位置 {output} 之内")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.txt")} == before
    assert not list(tmp_path.rglob("report.json"))


def test_an_output_folder_inside_the_input_folder_is_still_left_out(tmp_path: Path) -> None:
    """The other way round (``check . -o out``): the reports are audited, the earlier outputs in ``out`` are not."""
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    (tmp_path / "out").mkdir()
    shutil.copy(SEEDS[1], tmp_path / "out" / "old.txt")
    proc = _auditor("check", ".", "-f", "json", "-o", "out", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    document = json.loads((tmp_path / "out" / "report.json").read_bytes())
    assert [r["source"] for r in document["reports"]] == ["./a.txt"]


def test_an_endless_standard_input_is_refused_as_too_big(tmp_path: Path) -> None:
    """``producer | auditor check -``: standard input was read whole before its size was checked,
    so an endless (or a 2 GB) one took all the memory there was; it is read to one byte past the cap."""
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    endless = subprocess.Popen(["yes", "法治政府建设"], stdout=subprocess.PIPE)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))

    command = [sys.executable, "-m", "auditor", "check", "-", "a.txt", "-f", "json", "--max-chars", "100000"]
    try:
        proc = subprocess.run(
            [*command, "--no-config", "--no-progress", "--jobs", "1"],
            cwd=tmp_path,
            stdin=endless.stdout,
            capture_output=True,
            timeout=60,
            preexec_fn=limit,
            check=False,
        )
    finally:
        endless.kill()
        endless.wait()
    assert proc.returncode == 2
    assert _one_line(proc) == (
        "auditor: error: -: 文件过大（超过 400000 字节，即允许字数的 4 倍）（提示：可用 --max-chars 调高上限）"
    )
    reports = {r["source"]: r for r in json.loads(proc.stdout)["reports"]}
    assert reports["a.txt"]["score"] is not None


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text", "csv"])
def test_standard_output_on_a_full_disk_is_a_user_error(tmp_path: Path, fmt: str) -> None:
    """``auditor check … > result.json`` on a full disk (here /dev/full) was an internal error,
    "内部错误（OSError: [Errno 28] …）；这是程序缺陷", exit 3."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    with Path("/dev/full").open("wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "auditor", "check", "a.txt", "-f", fmt, "--no-config", "--no-progress"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 2
    assert (
        _one_line(proc) == "auditor: error: 无法写入标准输出：磁盘空间已满（提示：清理磁盘空间或换一个输出位置后重试）"
    )


def test_a_missing_input_in_the_output_folder_is_said_to_be_missing(tmp_path: Path) -> None:
    proc = _auditor("check", "missing.txt", "-f", "json", "-o", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert _one_line(proc) == "auditor: error: missing.txt: 找不到文件（提示：请检查路径）"
