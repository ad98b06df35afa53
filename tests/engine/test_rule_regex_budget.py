"""Rule files are input too: every regex a rule file supplies runs under one time budget
per rule and report. A catastrophic pattern (in `regex` patterns, excludes, scope headings,
section headings, metadata matches or generic phrases) makes that rule's finding `error`,
names the rule, and leaves every other finding of the report as it was — no hang, no crash.

The patterns below backtrack exponentially on any run of 24+ characters with no Latin
capital after it (checked in ``test_the_pattern_is_catastrophic``), so they hang the
unbudgeted code instead of failing fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.engine import audit, evaluate_rule
from auditor.loader import load_checklist
from auditor.matchers.base import REGEX_TIMEOUT, Budget, RegexTimeout, compile_regex
from tests.helpers import make_rule, regex

BAD = "(.|.)+[A-Z]"  # exponential backtracking on a long line without a capital letter

REPORT = "\n".join(
    [
        "某某镇人民政府关于2023年度法治政府建设工作情况的报告",
        "一、主要举措和成效以及全面推进法治政府建设各项工作任务落实情况",
        "全年开展年终述法工作。" + "述法工作扎实推进，领导干部依法履职能力不断提升，" * 30,
        "二、存在的不足",
        "一是法治宣传教育的针对性和实效性有待进一步增强，群众参与度不高。"
        "二是执法人员业务能力参差不齐，专业培训还不够系统深入和规范。",
        "三、下一年度工作安排",
        "下一年度，我镇将继续深入推进法治政府建设，全面提升依法行政水平。",
        "",
    ]
)


def _rule(rule_id: str, match: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": rule_id,
        "title": f"测试规则{rule_id}",
        "category": "A",
        "gap_message": "未找到。",
        "remediation": "补充。",
        "references": ["测试依据"],
        "match": match,
        "examples": {"met": ["述法"], "gap": ["无关内容"]},
        **extra,
    }


GOOD = [
    _rule("OK-01", {"type": "phrases", "phrases": ["述法"]}),
    _rule("OK-02", {"type": "section", "role": "shortcomings"}),
    _rule("OK-03", {"type": "phrases", "phrases": ["行政复议应诉"]}),
    _rule("OK-04", {"type": "regex", "patterns": ["领导干部依法履职"], "exclude": ["论述法"]}),
]
HOSTILE = [
    _rule("BAD-REGEX", {"type": "regex", "patterns": ["述法" + BAD]}),
    _rule("BAD-EXCLUDE", {"type": "phrases", "phrases": ["述法"], "exclude": [BAD]}),
    _rule("BAD-SCOPE", {"type": "phrases", "phrases": ["述法"]}, scope={"headings": [BAD]}),
    _rule("BAD-HEADING", {"type": "section", "heading": BAD}),
    _rule("BAD-META", {"type": "metadata", "field": "title", "matches": BAD}),
    _rule("BAD-GENERIC", {"type": "section", "role": "shortcomings", "min_items": 1, "generic": [BAD]}),
    _rule(
        "BAD-WHEN",
        {"type": "phrases", "phrases": ["述法"]},
        applies={"when": {"type": "regex", "patterns": ["述法" + BAD]}},
    ),
]


def _pack(folder: Path, rules: list[dict[str, Any]]) -> Path:
    header = {
        "id": "hostile",
        "title": "含灾难性正则的规则包",
        "version": "1.0",
        "categories": [{"id": "A", "title": "内容", "weight": 100}],
        "scoring": {"grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}]},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(
        yaml.safe_dump({"checklist": header, "rules": rules}, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_the_pattern_is_catastrophic() -> None:
    """The premise: without a budget these searches would not finish."""
    with pytest.raises(TimeoutError):
        compile_regex(BAD).search("领导干部依法履职能力不断提升" * 3, timeout=0.5)


def test_every_rule_file_regex_site_is_budgeted_in_one_cli_run(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "pack", GOOD + HOSTILE)
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    env = {**os.environ, "AUDITOR_NO_CACHE": "1"}
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "check",
            str(report),
            "--rules",
            str(pack),
            "--format",
            "json",
            "--no-config",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr  # error findings alone gate nothing (README: exit codes)
    (result,) = json.loads(proc.stdout)["reports"]
    status = {f["rule_id"]: f for f in result["findings"]}
    assert {rid: status[rid]["status"] for rid in ("OK-01", "OK-02", "OK-03", "OK-04")} == {
        "OK-01": "met",
        "OK-02": "met",
        "OK-03": "gap",
        "OK-04": "met",
    }
    for rule in HOSTILE:
        finding = status[rule["id"]]
        assert finding["status"] == "error", (rule["id"], finding)
        assert rule["id"] in finding["message"] and "时间限制" in finding["message"]
    assert result["score"] is None  # the contract: an error makes the score null
    assert result["summary"]["error"] == len(HOSTILE)
    # one budget per hostile rule (not per hit, section or pattern), plus start-up
    assert elapsed < len(HOSTILE) * REGEX_TIMEOUT + 20, elapsed


def test_a_null_score_from_an_error_fails_a_score_gate(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "pack", [GOOD[0], HOSTILE[0]])
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "check",
            str(report),
            "--rules",
            str(pack),
            "--no-config",
            "--fail-under",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "AUDITOR_NO_CACHE": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_one_budget_per_rule_not_per_hit() -> None:
    """Thirty-one hits, each checked against a slow exclude (≈ 0.5 s a hit, under a per-search
    limit but 15 s in all): one budget for the whole rule."""
    rule = make_rule(regex("述法", exclude=["(.|.){1,16}[A-Z]"]))
    doc = understand(REPORT)
    started = time.monotonic()
    finding, outcome = evaluate_rule(rule, doc, load_index(doc.text), 1.0)
    elapsed = time.monotonic() - started
    assert finding.status == "error" and outcome is None
    assert elapsed < REGEX_TIMEOUT * 4, elapsed  # per hit it would be ~15 s; a loaded machine adds a little


def load_index(text: str) -> Any:
    from auditor.matchers.phrase_index import PhraseIndex

    return PhraseIndex.build(["述法"]).for_text(text)


def test_rules_sharing_a_hopeless_pattern_pay_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Variants of a rule share per-report work; a search that used up one rule's budget is not
    run again by the next rule with no more time than that."""
    variants = [_rule(f"BAD-{i}", {"type": "regex", "patterns": ["述法" + BAD]}) for i in range(5)]
    checklist = load_checklist(_pack(tmp_path / "pack", [GOOD[0], *variants]))
    doc = understand(REPORT)
    spent: list[str] = []  # the searches that ran until a budget ran out
    original = Budget._spent

    def counted(self: Budget, compiled: Any) -> Any:
        spent.append(compiled.pattern)
        return original(self, compiled)

    monkeypatch.setattr(Budget, "_spent", counted)
    result = audit(doc, checklist)
    assert [f.status for f in result.findings if f.rule_id.startswith("BAD-")] == ["error"] * 5
    assert [f.status for f in result.findings if f.rule_id == "OK-01"] == ["met"]
    assert len(spent) == 1, spent  # counted, not timed: the other variants never ran the hopeless search


def test_a_long_report_stays_well_inside_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget grows with the report (``regex_budget``), so a long legitimate report never
    times out: every bundled rule spends far less regex time per character than it allows."""
    from auditor.loader import load_bundled
    from auditor.matchers import base
    from tests.helpers import SEED_FILES

    spent = [0.0]

    def timing(orig: Any) -> Any:
        def timed(self: Budget, *args: Any) -> Any:
            started = time.process_time()  # CPU of this process: other load on the machine doesn't count
            try:
                return orig(self, *args)
            finally:
                spent[0] += time.process_time() - started

        return timed

    for name in ("search", "anchored", "spans"):
        monkeypatch.setattr(Budget, name, timing(getattr(Budget, name)))
    doc = understand("\n".join(p.read_text(encoding="utf-8") for p in SEED_FILES) * 20)
    worst = 0.0
    for checklist in load_bundled():
        index, cache = checklist.index.for_text(doc.text), {}
        for rule in checklist.rules:
            spent[0] = 0.0
            finding, _ = evaluate_rule(rule, doc, index, 1.0, checklist.header.params, cache)
            assert finding.status != "error", rule.id
            worst = max(worst, spent[0])
    assert worst > 0  # the regex work was measured
    assert worst < (base.regex_budget(len(doc.text)) - base.REGEX_TIMEOUT) / 3, (worst, len(doc.text))


def test_budget_is_shared_and_spent() -> None:
    budget = Budget(0.3)
    compiled = compile_regex(BAD)
    with pytest.raises(RegexTimeout) as info:
        budget.search(compiled, "领导干部依法履职能力不断提升" * 3)
    assert info.value.pattern == BAD
    assert budget.left <= 0
    started = time.monotonic()
    with pytest.raises(RegexTimeout):  # nothing left: even a trivial search is refused at once
        budget.search(compile_regex("述法"), "述法")
    assert time.monotonic() - started < 0.1


def test_fast_rules_are_unaffected_on_every_seed() -> None:
    """The budget changes nothing for ordinary rules: the bundled checklist has no error finding."""
    from auditor.loader import load_bundled
    from tests.helpers import SEED_FILES

    checklist = load_bundled()[0]
    for path in SEED_FILES:
        result = audit(understand(path.read_text(encoding="utf-8")), checklist)
        assert not [f.rule_id for f in result.findings if f.status == "error"], path.name


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="法治述法会议常务。,x", max_size=60), st.sampled_from(["述法(?!律)", "会议?[^。]{0,3}", "法治|法"])
)
def test_anchored_matches_are_the_leftmost_non_overlapping_ones(text: str, pattern: str) -> None:
    """``Budget.anchored`` matches at every candidate start not inside an earlier match, as one
    ``finditer`` restricted to those starts would."""
    compiled = compile_regex(pattern)
    positions = list(range(len(text)))
    expected, last = [], 0
    for pos in positions:
        m = compiled.match(text, pos) if pos >= last else None
        if m is not None and m.end() > m.start():
            expected.append(m.span())
            last = m.end()
    got = [s for s in Budget(1.0).anchored(compiled, text, positions) if s[1] > s[0]]
    assert got == expected


def test_anchored_matching_stops_within_the_budget() -> None:
    budget = Budget(0.3)
    text = "述法" + "领导干部依法履职能力不断提升" * 3
    started = time.monotonic()
    with pytest.raises(RegexTimeout) as info:
        budget.anchored(compile_regex("述法" + BAD), text, [0, 0, 0])
    assert time.monotonic() - started < 2.0
    assert info.value.pattern == "述法" + BAD
    assert budget.left <= 0
