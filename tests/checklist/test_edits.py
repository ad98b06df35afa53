"""Edited real reports (fixtures/edits.yaml): removed parts, wrong years, outdated references,
placeholders, look-alikes, negations, number notations, publication dates.

Each case edits a seed report and states the statuses (and values) the edit must produce.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from .conftest import ROOT, SEEDS, audit_text

CASES: list[dict[str, Any]] = yaml.safe_load((ROOT / "fixtures" / "edits.yaml").read_text(encoding="utf-8"))


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    for e in edits:
        if "delete_from" in e:
            start = text.index(e["delete_from"])
            end = text.index(e["to"], start) if e.get("to") else len(text)
            text = text[:start] + text[end:]
        elif "replace" in e:
            assert text.count(e["replace"]["old"]) == 1, e
            text = text.replace(e["replace"]["old"], e["replace"]["new"])
        elif "insert_after" in e:
            anchor = e["insert_after"]["anchor"]
            assert text.count(anchor) == 1, e
            i = text.index(anchor) + len(anchor)
            text = text[:i] + e["insert_after"]["text"] + text[i:]
        else:
            raise AssertionError(f"unknown edit {e}")
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_edit(case: dict[str, Any]) -> None:
    text = apply_edits((SEEDS / case["base"]).read_text(encoding="utf-8"), case["edits"])
    _, statuses, values = audit_text(text)
    got = {rid: statuses[rid] for rid in case["expect"]}
    assert got == case["expect"], case.get("why")
    for rid, want in (case.get("values") or {}).items():
        for name, v in want.items():
            assert values[rid].get(name) == v, (rid, name)
