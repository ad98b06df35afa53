"""The JSON contract, held still: the report of every seed and field report is compared byte for
byte with its committed snapshot (keys may be added on purpose: regenerate with
``AUDITOR_UPDATE_SNAPSHOTS=1 pytest tests/e2e/test_json_contract.py`` and review the diff), and a
report read back into the typed model (``auditor.result``) writes the same bytes."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import orjson
import pytest

from auditor.checklist import Checklist
from auditor.loader import load_bundled
from auditor.pipeline import Options, audit_source
from auditor.result import Report, dumps, report_from_json

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).parent / "snapshots"
INPUTS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures" / "field").glob("*.txt"))


@cache
def _checklists() -> tuple[Checklist, ...]:
    return tuple(load_bundled())


def _encoded(path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.chdir(ROOT)  # sources are shown relative to the working folder
    report = audit_source(str(path.relative_to(ROOT)), Options(), _checklists())
    assert isinstance(report, Report), report
    return dumps(report, indent=True) + b"\n"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_report_json_equals_its_snapshot(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _encoded(path, monkeypatch)
    snapshot = SNAPSHOTS / f"{path.parent.name}-{path.stem}.json"
    if os.environ.get("AUDITOR_UPDATE_SNAPSHOTS"):
        snapshot.write_bytes(data)
    assert data == snapshot.read_bytes(), f"{snapshot.name}: the JSON contract changed"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_the_typed_model_reads_back_what_it_wrote(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _encoded(path, monkeypatch)
    again = report_from_json(orjson.loads(data))
    assert dumps(again, indent=True) + b"\n" == data
