"""Compiling a rule regex unrolls its counted repetitions: a nested ``{m,n}`` bomb would take
tens of GB before any report is read. Such a pattern is a located rule-file error, found from
the pattern text alone (``unrolled_size``), whatever field of the rule it is in."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.matchers.regex_size import MAX_UNROLLED, unrolled_size

BOMB = "(?:(?:a{1000}){1000}){1000}"  # 10^9 items: minutes and > 10 GB in the regex compiler


def _tree() -> st.SearchStrategy[tuple[str, int]]:
    """(pattern, its size) for nested groups of literals with counted repetitions."""
    leaf = st.sampled_from([("a", 1), ("述", 1), ("[^。]", 1), ("\\d", 1), ("\\p{Han}", 1)])

    def node(children: st.SearchStrategy[tuple[str, int]]) -> st.SearchStrategy[tuple[str, int]]:
        return st.tuples(
            st.lists(children, min_size=1, max_size=3),
            st.sampled_from(["(?:", "(", "(?P<g>"]),
            st.integers(min_value=1, max_value=50),
            st.booleans(),
        ).map(
            lambda t: (
                t[1] + "".join(c[0] for c in t[0]) + "){" + (f"0,{t[2]}" if t[3] else str(t[2])) + "}",
                t[2] * sum(c[1] for c in t[0]),
            )
        )

    return st.recursive(leaf, node, max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(_tree())
def test_size_of_nested_counted_groups(tree: tuple[str, int]) -> None:
    pattern, size = tree
    assert unrolled_size(pattern) == size


@pytest.mark.parametrize(
    ("pattern", "size"),
    [
        ("述法", 2),
        ("(?<!论)述法", 3),
        ("普法[^。;,]{0,6}经费", 10),
        ("x{3,}", 4),
        ("a{,5}", 5),
        ("(?:a{1000}){1000}", 1_000_000),
        ("a|b|c", 3),
        ("a*b+c?", 3),
        ("\\{3}", 3),
    ],
)
def test_sizes(pattern: str, size: int) -> None:
    assert unrolled_size(pattern) == size


def _pack(folder: Path, match: dict[str, object], scope: dict[str, object] | None = None) -> Path:
    rule = {
        "id": "A-01",
        "title": "测试",
        "category": "A",
        "gap_message": "无。",
        "remediation": "补。",
        "references": ["依据"],
        "match": match,
        "examples": {"met": ["述法"], "gap": ["无"]},
    }
    if scope:
        rule["scope"] = scope
    data = {
        "checklist": {
            "id": "bomb",
            "title": "测试",
            "version": "1",
            "categories": [{"id": "A", "title": "内容", "weight": 100}],
            "scoring": {"grades": [{"name": "合格", "min": 0}]},
        },
        "rules": [rule],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize(
    ("match", "scope"),
    [
        ({"type": "regex", "patterns": [BOMB]}, None),
        ({"type": "phrases", "phrases": ["述法"], "exclude": [BOMB]}, None),
        ({"type": "phrases", "phrases": ["述法"]}, {"headings": [BOMB]}),
        ({"type": "section", "heading": BOMB}, None),
        ({"type": "section", "role": "measures", "min_items": 1, "generic": [BOMB]}, None),
        ({"type": "metadata", "field": "title", "matches": BOMB}, None),
    ],
)
def test_a_regex_bomb_in_a_rule_file_is_a_located_error(
    tmp_path: Path, match: dict[str, object], scope: dict[str, object] | None
) -> None:
    pack = _pack(tmp_path / "pack", match, scope)
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "rules", "test", str(pack)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
        env={"AUDITOR_NO_CACHE": "1", "PATH": ""},
    )
    assert proc.returncode == 2, proc.stderr[-500:]
    assert f"{pack / 'rules.yaml'}:" in proc.stderr and "过大" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_limit_leaves_room_for_real_patterns() -> None:
    from auditor.loader import load_bundled
    from auditor.spectree import rule_specs

    sizes = [
        unrolled_size(p)
        for c in load_bundled()
        for r in c.rules
        for _, spec, _ in rule_specs(r)
        for p in getattr(spec, "patterns", None) or []
        if isinstance(p, str)
    ]
    assert sizes and max(sizes) * 50 < MAX_UNROLLED
