"""Progress bar, cheap package import, label helpers."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from auditor.report import progress
from auditor.report.labels import format_score, level_label, status_text
from auditor.vocabulary import Status


def test_disabled_progress_is_silent(capsys: pytest.CaptureFixture[str]) -> None:
    with progress(3, enabled=False) as bar:
        for label in ("a", "b", "c"):
            bar.advance(label)
    assert capsys.readouterr() == ("", "")


def test_enabled_progress_writes_to_the_given_stream() -> None:
    stream = io.StringIO()
    with progress(2, enabled=True, file=stream) as bar:
        bar.advance("reports/[bold]张渚镇.txt")  # brackets are not rich markup
        bar.advance("reports/丁蜀镇.pdf")
    # rich renders nothing live to a non-terminal stream; it must simply not fail


def test_enabled_progress_never_touches_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with progress(1, enabled=True) as bar:
        bar.advance("x")
    assert capsys.readouterr().out == ""


def test_import_is_cheap() -> None:
    code = (
        "import sys, auditor; before = set(sys.modules); import auditor.report; "
        "heavy = {'rich', 'jinja2', 'openpyxl', 'weasyprint', 'markupsafe'}; "
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_labels() -> None:
    assert status_text(Status.needs_review) == "? 待复核"
    assert level_label("county") == "县(区)" and level_label(None) == "未知"
    assert format_score(71.25) == "71.2" and format_score(None) == "—" and format_score(True) == "—"
