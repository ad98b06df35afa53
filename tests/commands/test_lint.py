"""``auditor rules lint``: impossible rules are found, sound rules are left alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.commands.impossible import never_matches

ROOT = Path(__file__).resolve().parents[2]

RULE = """\
checklist:
  id: t
  title: 测试
  version: "1"
  categories: [{{id: FR, title: 学法, weight: 100}}]
  scoring:
    credit: {{met: 1.0, needs_review: 0.5, gap: 0.0}}
    grades: [{{name: 合格, min: 60}}, {{name: 不合格, min: 0}}]
rules:
- id: T-{n}
  title: 开展领导干部学法
  category: FR
  gap_message: 未见学法
  remediation: 写明学法情况
  references: [《法治政府建设与责任落实督察工作规定》第二十五条]
{body}
  examples:
    met: [全年组织领导干部集中学法6次。]
    gap: [全年开展了普法宣传活动。]
"""


def _indent(body: str) -> str:
    return "\n".join("  " + line for line in body.splitlines())


def lint(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "rules.yaml"
    path.write_text(RULE.format(n=1, body=_indent(body)), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "lint", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("match: {type: regex, patterns: ['学法$^']}", "can never match"),
        ("match: {type: regex, patterns: ['(?=甲)学法']}", "lookahead"),
        ("match: {type: regex, patterns: ['学法', '(?!学)学法']}", "negative lookahead"),
        ("match: {type: regex, patterns: ['学法'], exclude: ['学法']}", "every hit is excluded"),
        ("match: {type: phrases, phrases: [集中学法, 学法次数], exclude: ['学法']}", "every hit is excluded"),
        ("match: {type: phrases, phrases: [集中学法], exclude: ['学法$。']}", "exclude '学法$。' can never match"),
        (
            "scope: {roles: [measures], exclude_roles: [measures]}\nmatch: {type: phrases, phrases: [学法]}",
            "looks nowhere",
        ),
        (
            "match: {type: phrases, phrases: [学法], "
            "scope: {roles: [measures, intro], exclude_roles: [intro, measures]}}",
            "looks nowhere",
        ),
        ("match: {type: section, heading: '问题$题'}", "heading"),
    ],
)
def test_impossible_rules_are_found(tmp_path: Path, body: str, needle: str) -> None:
    proc = lint(tmp_path, body)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert needle in proc.stdout, proc.stdout
    assert re.search(r"rules\.yaml:\d+:\d+: error: T-1", proc.stdout)


def test_same_example_expected_two_ways(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        RULE.format(n=1, body=_indent("match: {type: phrases, phrases: [学法]}")).replace(
            "gap: [全年开展了普法宣传活动。]", "gap: [全年开展了普法宣传活动。, 全年组织领导干部集中学法6次。]"
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "lint", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "both met and gap" in proc.stdout


@pytest.mark.parametrize(
    "body",
    [
        "match: {type: regex, patterns: ['学法\\\\d*次', '(?<![论陈])述法', '学法(?=[0-9一二三四五六七八九十])']}",
        "match: {type: phrases, phrases: [述法], exclude: ['论述法']}",
        "scope: {exclude_roles: [next_year]}\nmatch: {type: phrases, phrases: [学法]}",
    ],
)
def test_sound_rules_are_left_alone(tmp_path: Path, body: str) -> None:
    proc = lint(tmp_path, body)
    assert "error:" not in proc.stdout, proc.stdout


def test_bundled_checklists_lint_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "lint"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout


# ---------------------------------------------------------------- soundness of the analysis

_ATOMS = [
    "甲",
    "乙",
    "a",
    "\\n",
    "[甲乙]",
    ".",
    "$",
    "^",
    "(?=甲)",
    "(?!甲)",
    "(?<=乙)",
    "(?<!a)",
    "甲?",
    "(甲|乙)",
    "\\d",
    "a+",
]
_TEXTS = st.text(alphabet="甲乙a1\n", max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=5), st.lists(_TEXTS, min_size=1, max_size=30))
def test_never_matches_is_never_wrong(atoms: list[str], texts: list[str]) -> None:
    """Whenever the analysis says "never", no text matches (it may stay silent when unsure)."""
    pattern = "".join(atoms)
    try:
        compiled = re.compile(pattern)
    except re.error:
        return
    if never_matches(pattern):
        for text in [*texts, "甲乙", "乙甲", "a\n甲", "\n", "甲\n乙"]:
            assert compiled.search(text) is None, (pattern, text)


def test_real_rule_patterns_are_possible() -> None:
    from auditor.loader import load_bundled
    from auditor.matchers.pattern import RegexSpec
    from auditor.spectree import rule_specs

    for checklist in load_bundled():
        for rule in checklist.rules:
            for _, spec, _ in rule_specs(rule):
                if isinstance(spec, RegexSpec):
                    for p in spec.patterns:
                        assert never_matches(p) is None, (rule.id, p)


@pytest.mark.parametrize(
    ("body", "needle"),
    [  # what each match type declares (lint, produces) is what lint checks
        ("match: {type: regex, patterns: ['\\b学法']}", "uses \\b next to Chinese"),
        ("match: {type: regex, patterns: ['学法（']}", "which normalisation replaces"),
        ("match: {type: fuzzy, phrases: [集中　学法]}", "after normalisation"),
        (
            "match: {type: value, name: rate, kind: percent, op: '>', than: 100, "
            "anchor: {type: phrases, phrases: [学法]}}",
            "can never hold for a percentage",
        ),
        (
            "match: {type: section, role: measures, value_prefix: m_}\ngap_message: 学法部分 {m_chars} 字 {m_lines}",
            "uses {m_lines}",
        ),
    ],
)
def test_declared_facts_drive_lint(tmp_path: Path, body: str, needle: str) -> None:
    text = RULE.format(n=1, body=_indent(body))
    if "gap_message: 学法部分" in body:  # the rule's own gap_message is replaced by the one under test
        text = text.replace("  gap_message: 未见学法\n", "", 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "lint", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert needle in proc.stdout + proc.stderr
    if "uses {m_lines}" in needle:
        assert "{m_chars}" not in proc.stdout  # a value the section produces is known


def test_lint_hints_use_the_same_frame_as_every_other_message() -> None:
    from auditor.commands.lint import LintIssue
    from auditor.errors import Location

    issue = LintIssue(Location("a.yaml", 3, 5), "warning", "X-01", "two rules overlap", "merge them")
    assert str(issue) == "a.yaml:3:5: warning: X-01: two rules overlap（提示：merge them）"
