"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of copies of the bundled examples (a module may define a ``folder`` of its own)."""
    reports = tmp_path_factory.mktemp("reports")
    for f in EXAMPLES:
        shutil.copy(f, reports / f.name)
    return reports
