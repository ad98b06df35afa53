"""Round 4 of hostile inputs: what one bad entry of a folder, or one bad file, may cost."""

from __future__ import annotations

import os
from pathlib import Path

from auditor.readers import collect_inputs


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
