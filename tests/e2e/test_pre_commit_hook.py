"""The pre-commit hook definition runs `auditor` the way pre-commit would: entry + file names."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_hook_definition_runs_auditor_on_matching_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "auditor")
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    report = ROOT / "examples" / "张渚镇-2023.txt"  # scores 74.4: above 60, no blocking rule
    assert files.search(report.name) and not files.search("logo.png")
    entry = shlex.split(hook["entry"])
    assert entry[0] == "auditor"
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *entry[1:], str(report)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    failing = subprocess.run(
        [sys.executable, "-m", "auditor", *entry[1:], "--fail-under", "99", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failing.returncode == 1
