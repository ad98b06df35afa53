"""The checklist header's `compare:`: which parts hold the plans and the measures, validated at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditor.errors import RuleFileError
from auditor.loader import load_bundled, load_checklist

from .conftest import ROOT


def _with_header(tmp_path: Path, block: str) -> str:
    folder = tmp_path / "mini"
    shutil.copytree(ROOT / "fixtures" / "rules" / "valid", folder)
    header = folder / "checklist.yaml"
    header.write_text(
        header.read_text(encoding="utf-8").replace("  categories:\n", block + "  categories:\n", 1), encoding="utf-8"
    )
    return str(folder)


def test_bundled_checklists_declare_their_plans_and_measures() -> None:
    by_id = {c.id: c.header.compare for c in load_bundled()}
    assert by_id["fazhi"] is not None and by_id["fazhi"].plans.roles == ["next_year"]
    gov = by_id["gov-info-disclosure"]
    assert gov is not None and gov.plans.headings and gov.measures.headings


def test_a_declared_pick_is_loaded(tmp_path: Path) -> None:
    c = load_checklist(_with_header(tmp_path, "  compare:\n    plans: {roles: [next_year], headings: ['改进措施']}\n"))
    assert c.header.compare is not None and c.header.compare.plans.headings == ["改进措施"]
    assert "measures" in c.header.compare.measures.roles  # the default measures


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("  compare:\n    plans: {roles: [plans]}\n", "plans"),
        ("  compare:\n    plans: {headings: ['改进(措施']}\n", "compare"),
        ("  compare:\n    plan: {roles: [next_year]}\n", "plan"),
    ],
)
def test_a_wrong_pick_is_a_located_rule_file_error(tmp_path: Path, block: str, message: str) -> None:
    with pytest.raises(RuleFileError) as info:
        load_checklist(_with_header(tmp_path, block))
    text = str(info.value)
    assert "checklist.yaml:" in text and message in text
