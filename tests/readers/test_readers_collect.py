"""collect_inputs: folder expansion, skipping with reasons, loops, the excluded output folder."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.readers import Skipped, collect_inputs


def _tree(root: Path) -> None:
    files = {
        "a/1.txt": b"report one",
        "a/b/2.docx": b"",
        "a/b/3.pdf": b"",
        "a/c.md": b"report",
        "a/.hidden.txt": b"hidden",
        "a/.git/config": b"x",
        "a/~$lock.docx": b"lock",
        "a/.~lock.report.docx#": b"lock",
        "a/photo.png": b"\x89PNG\r\n\x1a\n",
        "a/bundle.zip": b"PK\x03\x04",
        "a/tool.exe": b"MZ",
        "a/sneaky": b"\xff\xd8\xff\xe0 a jpeg without extension",
        "a/notes": "法治政府建设".encode(),
        "a/Thumbs.db": b"",
        "a/out/result.html": b"<html></html>",
        "z.html": b"<p>x</p>",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with zipfile.ZipFile(root / "a" / "disguised", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")


def _reasons(skipped: list[Skipped], root: Path) -> dict[str, str]:
    return {os.path.relpath(s.source, root): s.reason for s in skipped}


def test_folder_expansion_and_skips(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, skipped = collect_inputs(
        [str(tmp_path / "a"), str(tmp_path / "z.html")], exclude=[str(tmp_path / "a" / "out")]
    )
    assert [os.path.relpath(f, tmp_path) for f in files] == [
        "a/1.txt",
        "a/b/2.docx",
        "a/b/3.pdf",
        "a/c.md",
        "a/disguised",
        "a/notes",
        "z.html",
    ]
    assert _reasons(skipped, tmp_path) == {
        "a/.git": "隐藏文件夹",
        "a/.hidden.txt": "隐藏文件",
        "a/.~lock.report.docx#": "Office/WPS 临时锁定文件",
        "a/Thumbs.db": "系统文件",
        "a/bundle.zip": "不是报告文件（压缩包）",
        "a/out": "位于输出文件夹内",
        "a/photo.png": "不是报告文件（图片）",
        "a/sneaky": "不是报告文件（图片）",
        "a/tool.exe": "不是报告文件（可执行程序）",
        "a/~$lock.docx": "Office/WPS 临时锁定文件",
    }


def test_paths_are_returned_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    files, _ = collect_inputs(["a/b", "./z.html"])
    assert files == [f"a/b{os.sep}2.docx", f"a/b{os.sep}3.pdf", "./z.html"]


def test_order_is_stable(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "C.txt", "10.txt", "9.txt"]:
        (tmp_path / name).write_text("x")
    first = collect_inputs([str(tmp_path)])
    assert first == collect_inputs([str(tmp_path)])
    assert first[0] == sorted(first[0])


def test_missing_path_is_kept_for_the_reader(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.docx")
    assert collect_inputs([missing, "-"]) == ([missing, "-"], [])


def test_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "r.txt").write_text("x")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")  # a/b/up -> a
    (tmp_path / "a" / "self").symlink_to("self")  # a/self -> a/self (ELOOP)
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "gone")
    files, skipped = collect_inputs([str(tmp_path / "a")])
    assert [os.path.relpath(f, tmp_path) for f in files] == ["a/b/r.txt"]
    assert _reasons(skipped, tmp_path) == {
        "a/b/up": "符号链接循环",
        "a/self": "符号链接循环",
        "a/dangling.txt": "符号链接指向的文件不存在",
    }


def test_same_file_or_folder_twice(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("x")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "r.txt")
    files, skipped = collect_inputs([str(tmp_path), str(tmp_path / "r.txt")])
    assert [Path(f).name for f in files] == ["alias.txt"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("r.txt", "同一文件已列入"),
        ("r.txt", "同一文件已列入"),
    ]


def test_excluded_output_folder_given_directly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>x</p>")
    files, skipped = collect_inputs([str(out), str(out / "report.html")], exclude=[str(out)])
    assert files == []
    assert [s.reason for s in skipped] == ["位于输出文件夹内"] * 2


def test_explicit_files_still_filtered(tmp_path: Path) -> None:
    (tmp_path / "pic.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "~$draft.docx").write_bytes(b"x")
    (tmp_path / ".visible-when-named.txt").write_text("x")
    files, skipped = collect_inputs(
        [
            str(tmp_path / "pic.jpg"),
            str(tmp_path / "~$draft.docx"),
            str(tmp_path / ".visible-when-named.txt"),
        ]
    )
    assert [Path(f).name for f in files] == [".visible-when-named.txt"]
    assert [s.reason for s in skipped] == ["不是报告文件（图片）", "Office/WPS 临时锁定文件"]


def test_unlistable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()

    def denied(path: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", denied)
    assert collect_inputs([str(tmp_path / "locked")]) == (
        [],
        [Skipped(str(tmp_path / "locked"), "无权读取该文件夹")],
    )


def test_named_pipe_is_passed_through_unread(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(collect_inputs([str(fifo)])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert result == [([str(fifo)], [])], "collect_inputs blocked on (or consumed) a named pipe"


def test_walked_files_excluded_by_their_real_path(tmp_path: Path) -> None:
    """Inside a walked folder: the output file itself, and a symlink into the output folder."""
    reports, out = tmp_path / "reports", tmp_path / "out"
    reports.mkdir()
    out.mkdir()
    (reports / "a.txt").write_text("报告", encoding="utf-8")
    (reports / "summary.json").write_text("{}", encoding="utf-8")
    (out / "old.txt").write_text("旧", encoding="utf-8")
    (reports / "link.txt").symlink_to(out / "old.txt")
    files, skipped = collect_inputs([str(reports)], exclude=[str(reports / "summary.json"), str(out)])
    assert [Path(f).name for f in files] == ["a.txt"]
    assert sorted((Path(s.source).name, s.reason) for s in skipped) == [
        ("link.txt", "位于输出文件夹内"),
        ("summary.json", "位于输出文件夹内"),
    ]


@given(
    st.text(alphabet=st.sampled_from("ab.~$ 报告DOCX"), max_size=12).filter(
        lambda n: "/" not in n and n not in ("", ".", "..")
    )
)
def test_a_file_name_s_suffix_is_pathlib_s(name: str) -> None:
    """``collect`` takes a name's suffix without building a path, as ``PurePath.suffix`` does."""
    from pathlib import PurePosixPath

    from auditor.readers.collect import _suffix

    assert _suffix(name) == PurePosixPath(name).suffix


_LINK_TARGETS = {  # a link's target, relative to tmp_path's "links" folder or absolute ({root})
    "absolute": "{root}/store/r.txt",
    "relative": "../store/r.txt",
    "through a linked folder": "{root}/alias/r.txt",
    "relative through a linked folder": "../alias/r.txt",
    "up from a linked folder": "{root}/alias/../store/r.txt",
    "dot in the path": "./../store/./r.txt",
    "a link to a link": "{root}/store/again.txt",
    "a link to a link through a linked folder": "../alias/again.txt",
}


@given(st.lists(st.sampled_from(sorted(_LINK_TARGETS)), min_size=1, max_size=4, unique=True), st.booleans())
def test_a_walked_file_s_real_path_is_realpath(shapes: list[str], linked_walk: bool) -> None:
    """The real path ``collect`` makes of a walked file (one realpath per folder) is ``os.path.realpath``'s,
    for plain files and every shape of symbolic link, walked directly or through a linked folder."""
    import tempfile

    from auditor.readers.collect import _Collector

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "store").mkdir()
        (root / "store" / "r.txt").write_text("报告", encoding="utf-8")
        (root / "store" / "again.txt").symlink_to(root / "store" / "r.txt")
        (root / "alias").symlink_to(root / "store", target_is_directory=True)
        (root / "links").mkdir()
        (root / "links" / "plain.txt").write_text("报告", encoding="utf-8")
        for i, shape in enumerate(shapes):
            (root / "links" / f"{i}.txt").symlink_to(_LINK_TARGETS[shape].format(root=root))
        (root / "walk").symlink_to(root / "links", target_is_directory=True)
        folder = str(root / ("walk" if linked_walk else "links"))
        collector = _Collector(excluded=[str(root / "elsewhere")])
        with os.scandir(folder) as entries:
            found = {e.name: collector.real_file(e.path, e) for e in entries}
        assert found == {name: os.path.realpath(f"{folder}/{name}") for name in found}
        assert len(found) == len(shapes) + 1


def test_a_link_into_the_output_folder_is_excluded_whatever_its_shape(tmp_path: Path) -> None:
    """A walked link whose target is in the output folder, by a relative path through a linked folder."""
    reports, out = tmp_path / "reports", tmp_path / "out"
    reports.mkdir()
    out.mkdir()
    (out / "old.txt").write_text("旧", encoding="utf-8")
    (tmp_path / "alias").symlink_to(out, target_is_directory=True)
    (reports / "a.txt").write_text("报告", encoding="utf-8")
    (reports / "link.txt").symlink_to("../alias/old.txt")
    (reports / "up.txt").symlink_to("../alias/../reports/a.txt")  # the same file as a.txt, not in out
    files, skipped = collect_inputs([str(reports)], exclude=[str(out)])
    assert [Path(f).name for f in files] == ["a.txt"]
    assert sorted((Path(s.source).name, s.reason) for s in skipped) == [
        ("link.txt", "位于输出文件夹内"),
        ("up.txt", "同一文件已列入"),
    ]
