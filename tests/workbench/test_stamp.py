"""What audits now, as a digest (``workbench/stamp.py``): it changes with anything that can change a verdict
(the auditor's own files, a checklist as configured, a reading library's version) and with nothing else (the
workbench's own pages)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from auditor.workbench.stamp import LENGTH, PACKAGE, reading_versions, tool_stamp


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "auditor"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_same_tool_gives_the_same_stamp(checklists: Any, tmp_path: Path) -> None:
    stamp = tool_stamp(checklists)
    assert len(stamp) == LENGTH and int(stamp, 16) >= 0
    assert tool_stamp(list(reversed(checklists))) == stamp  # the order checklists are loaded in does not count
    assert tool_stamp(checklists, _copy(tmp_path)) == stamp  # nor where the package lies


def test_any_change_that_can_change_a_verdict_changes_it(checklists: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    stamp = tool_stamp(checklists, root)
    engine = root / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert tool_stamp(checklists, root) != stamp
    shutil.copy(PACKAGE / "engine.py", engine)  # undone
    assert tool_stamp(checklists, root) == stamp
    rules = next((root / "checklists").rglob("*.yaml"))
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a bundled rule file's bytes
    assert tool_stamp(checklists, root) != stamp


def test_a_checklist_as_configured_counts(checklists: Any) -> None:
    stamp = tool_stamp(checklists)
    first, *rest = checklists
    disabled = dataclasses.replace(first, disabled={first.rules[0].id: "本单位不适用"})
    assert tool_stamp([disabled, *rest]) != stamp
    reweighted = first.rules[0].model_copy(update={"weight": first.rules[0].weight + 1})
    changed = dataclasses.replace(first, rules=(reweighted, *first.rules[1:]))
    assert tool_stamp([changed, *rest]) != stamp


def test_a_reading_library_s_version_counts_the_workbench_s_pages_do_not(checklists: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    versions = reading_versions()
    stamp = tool_stamp(checklists, root, versions)
    assert all(v != "-" for v in versions.values())  # every one is installed with the auditor
    assert tool_stamp(checklists, root, {**versions, "pypdfium2": "0.0.1"}) != stamp
    page = root / "workbench" / "templates" / "home.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- a new look -->", encoding="utf-8")
    assert tool_stamp(checklists, root, versions) == stamp
