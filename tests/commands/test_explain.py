"""``rules explain``: the verdict of one rule on one report, node by node, on real reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.commands.explain import explain_text
from auditor.config import Config, effective
from auditor.config import Profile as _Profile
from auditor.document import understand
from auditor.errors import UsageError
from auditor.loader import load_checklist

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt"


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    return understand(SEED.read_text(encoding="utf-8"))


def test_the_verdict_matches_the_audit_and_the_tree_names_every_node(doc) -> None:  # type: ignore[no-untyped-def]
    from auditor.engine import audit
    from auditor.spectree import rule_specs

    checklist = load_checklist("fazhi")
    findings = {f.rule_id: f for f in audit(doc, checklist).findings}
    rule = next(r for r in checklist.rules if len(list(rule_specs(r))) > 2)
    text = explain_text(checklist, rule.id, doc, verbose=True)
    status = findings[rule.id].status
    assert text.splitlines()[0].startswith(rule.id)
    assert f"（{status}）" in text.splitlines()[1]
    tree = [line for line in text.splitlines() if line.lstrip().startswith("[")]
    assert len(tree) == len(list(rule_specs(rule)))
    assert "报告结构" in text and "证据：" in text


def test_an_unknown_rule_is_a_user_error(doc) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="没有规则 NOPE-99"):
        explain_text(load_checklist("fazhi"), "NOPE-99", doc)


def test_a_rule_disabled_by_configuration_says_so(doc) -> None:  # type: ignore[no-untyped-def]
    checklist = load_checklist("fazhi")
    rid = checklist.rules[0].id
    config = Config(path=str(ROOT / "auditor.toml"), base=_Profile(disable={rid: "本地不考核"}))
    text = explain_text(effective(checklist, config, None), rid, doc)
    assert "已按配置停用：本地不考核" in text


FIELD = ROOT / "fixtures" / "field"
REGEX_OR_PYTHON = re.compile(r"\[\^|\(\?|\\[dswb]|\{\d|\|\S*\||None|True|False|\{'|\[\]|\(gap\)|needs_review")


@pytest.mark.parametrize("name", ["fazhi", "gov-info-disclosure"])
def test_plain_chinese_without_verbose(name: str) -> None:
    """Every rule of both checklists, explained on a report of its kind: no raw regex, no
    Python ``None``/dicts, no raw status names; the expressions come back with --verbose."""
    checklist = load_checklist(name)
    path = SEED if name == "fazhi" else next(FIELD.glob("xxgk_*.txt"))
    report = understand(path.read_text(encoding="utf-8"))
    verbose_shows_regex = False
    for rule in checklist.rules:
        plain = explain_text(checklist, rule.id, report)
        offending = [line for line in plain.splitlines() if REGEX_OR_PYTHON.search(line) and "「" not in line]
        assert offending == [], (rule.id, offending)
        assert "查找内容：" in plain and "--verbose" in plain
        verbose_shows_regex |= bool(REGEX_OR_PYTHON.search(explain_text(checklist, rule.id, report, verbose=True)))
    assert verbose_shows_regex


def test_a_rule_of_another_bundled_checklist_is_explained_with_it() -> None:
    """``rules explain GIA-STR-02 FILE`` without --checklist: the checklist that has the rule."""
    from tests.helpers import run_cli

    report = sorted((ROOT / "fixtures" / "gov-info-disclosure").glob("*.txt"))[0]
    code, out, err = run_cli(["rules", "explain", "GIA-STR-02", str(report)])
    assert code == 0, err
    assert out.startswith("GIA-STR-02 ") and "结论：" in out
    code, _, err = run_cli(["rules", "explain", "NOPE-99", str(report)])
    assert code != 0 and "fazhi" in err and "NOPE-99" in err
