"""Real reports exactly as found (fixtures/field/, copies of ../shared/field/) get the
verdicts of their reading (*.expected.yaml: statuses with their justification)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, audit_text

CASES = sorted((ROOT / "fixtures" / "field").glob("*.expected.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_field_verdicts(path: Path) -> None:
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    result, statuses, _ = audit_text((path.parent / expected["source"]).read_text(encoding="utf-8"))
    wrong = {
        rid: (statuses[rid], e["status"]) for rid, e in expected["findings"].items() if statuses[rid] != e["status"]
    }
    assert not wrong, f"status (got, expected): {wrong}"
    for f in result.findings:  # a grey-zone verdict shows the sentence it rests on
        if f.status == "needs_review" and f.rule_id in expected["findings"]:
            assert f.evidence, f.rule_id
