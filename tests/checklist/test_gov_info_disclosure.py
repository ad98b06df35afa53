"""The second bundled checklist, gov-info-disclosure (政府信息公开工作年度报告).

- every rule's own examples pass (`auditor rules test`), and the checklist lints clean;
- each report in fixtures/gov-info-disclosure/ gets the verdicts of its reviewed
  `<name>.expected.yaml`, both with `--checklist gov-info-disclosure` and without it (the
  checklist is then chosen by the report title through its `select:` expression);
- the reports in fixtures/gov-info-disclosure/engine-gaps/ are inputs the engine once could not
  read (tab-copied table rows taken for menus); they now must give their expected verdicts;
- docs/rules/gov-info-disclosure.md is what `auditor rules docs` generates.

The expected files were written by reading the reports, not by running the tool; each status
carries its justification (`why`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.loader import load_checklist

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = "gov-info-disclosure"
RULES_DIR = ROOT / "auditor" / "checklists" / CHECKLIST
FIXTURES = ROOT / "fixtures" / CHECKLIST
DOCS = ROOT / "docs" / "rules" / f"{CHECKLIST}.md"
AUDITOR = str(Path(sys.executable).with_name("auditor"))

CASES = sorted(FIXTURES.glob("*.expected.yaml"))
GAP_CASES = sorted((FIXTURES / "engine-gaps").glob("*.expected.yaml"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AUDITOR, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def _expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _source(path: Path) -> Path:
    return path.parent / _expected(path)["source"]


@cache
def _reports(sources: tuple[Path, ...], choose: bool) -> dict[str, dict[str, Any]]:
    """One `auditor check … --format json` run over several reports; results by file name."""
    args = ["check", *map(str, sources), "--format", "json", "--no-progress"]
    if not choose:
        args += ["--checklist", CHECKLIST]
    out = _run(*args)
    assert out.returncode == 0, out.stderr
    return {Path(r["source"]).name: r for r in json.loads(out.stdout)["reports"]}


def _report(path: Path, choose: bool, cases: list[Path]) -> dict[str, Any]:
    return _reports(tuple(_source(p) for p in cases), choose)[_source(path).name]


def _differences(report: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    problems = []
    if report["checklist"]["id"] != expected["checklist"]:
        problems.append(f"checklist {report['checklist']['id']} != {expected['checklist']}")
    got_meta = report["metadata"]
    for key, want in expected["metadata"].items():
        want = want.isoformat() if hasattr(want, "isoformat") else want
        if got_meta.get(key) != want:
            problems.append(f"metadata.{key}: got {got_meta.get(key)!r}, expected {want!r}")
    findings = {f["rule_id"]: f for f in report["findings"]}
    if set(findings) != set(expected["findings"]):
        problems.append(f"rule ids differ: {sorted(set(findings) ^ set(expected['findings']))}")
    for rule_id, exp in expected["findings"].items():
        f = findings.get(rule_id)
        if f is None:
            continue
        if f["status"] != exp["status"]:
            problems.append(f"{rule_id}: got {f['status']}, expected {exp['status']} ({f['message']})")
        for name, want in (exp.get("values") or {}).items():
            got = f.get("values", {}).get(name)
            if got is None or abs(got - want) > 1e-9:
                problems.append(f"{rule_id}: value {name} got {got}, expected {want}")
    if report["grade"] != expected["grade"]:
        problems.append(f"grade {report['grade']} != {expected['grade']}")
    if report["score"] is None or abs(report["score"] - expected["score"]) > 0.05:
        problems.append(f"score {report['score']} != {expected['score']}")
    return problems


# ------------------------------------------------------------------------ rule files


def test_rule_examples_pass() -> None:
    checklist = load_checklist(RULES_DIR)
    n_examples = sum(
        len(getattr(r.examples, kind))
        for r in checklist.rules
        for kind in ("met", "gap", "review", "not_applicable", "files")
    )
    out = _run("rules", "test", str(RULES_DIR.relative_to(ROOT)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1] == f"{n_examples} passed, 0 failed", out.stdout


def test_every_rule_has_met_and_negative_examples() -> None:
    for rule in load_checklist(RULES_DIR).rules:
        assert rule.id.startswith("GIA-"), rule.id
        assert rule.examples.met, rule.id
        assert rule.examples.gap or rule.examples.not_applicable, rule.id
        assert rule.description and rule.remediation and rule.references, rule.id


def test_header() -> None:
    c = load_checklist(CHECKLIST)  # by id: bundled
    assert c.header.title == "政府信息公开工作年度报告"
    assert c.header.version == "2026.1"
    assert sum(cat.weight for cat in c.categories) == 100
    capped = {rid for cap in c.scoring.caps for rid in cap.rules}
    assert "GIA-TAB-02" in capped  # a missing application table caps the grade


def test_lint_clean() -> None:
    if _run("rules", "lint", "--help").returncode != 0:
        pytest.skip("`auditor rules lint` does not exist yet")
    out = _run("rules", "lint", str(RULES_DIR.relative_to(ROOT)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^0 error\(s\)", out.stdout, re.M), out.stdout


def test_docs_page_is_current() -> None:
    out = _run("rules", "docs", "--checklist", CHECKLIST)
    assert out.returncode == 0, out.stderr
    assert DOCS.read_text(encoding="utf-8") == out.stdout, (
        f"regenerate with: .venv/bin/auditor rules docs --checklist {CHECKLIST} -o {DOCS.relative_to(ROOT)}"
    )


# -------------------------------------------------------------------------- fixtures


def test_fixtures_cover_the_required_cases() -> None:
    expected = [_expected(p) for p in CASES]
    assert len(expected) >= 4
    levels = {e["metadata"]["level"] for e in expected}
    assert {"county", "department"} <= levels
    statuses = [{k: v["status"] for k, v in e["findings"].items()} for e in expected]
    assert any(s["GIA-SUM-01"] == "gap" or s["GIA-SUM-02"] == "gap" for s in statuses)  # inconsistent table
    assert any(s["GIA-STR-05"] == "gap" and s["GIA-STR-06"] == "gap" and s["GIA-DL-01"] == "gap" for s in statuses)


@pytest.mark.parametrize("path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_verdicts_with_checklist_option(path: Path) -> None:
    problems = _differences(_report(path, choose=False, cases=CASES), _expected(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_verdicts_with_checklist_chosen_by_title(path: Path) -> None:
    problems = _differences(_report(path, choose=True, cases=CASES), _expected(path))
    assert not problems, "\n".join(problems)


def test_default_checklist_still_chosen_for_fazhi_reports() -> None:
    seed = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
    out = _run("check", str(seed), "--format", "json", "--no-progress")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["reports"][0]["checklist"]["id"] == "fazhi"


@pytest.mark.parametrize("path", GAP_CASES, ids=[p.name.split(".")[0] for p in GAP_CASES])
def test_engine_gap_fixtures(path: Path) -> None:
    problems = _differences(_report(path, choose=False, cases=GAP_CASES), _expected(path))
    assert not problems, "\n".join(problems)
