"""`auditor check --decisions FILE`: reviewers' decisions applied to real seeds through the CLI
(the baseline mechanism), stale and unknown decisions warned about, malformed files refused."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.decisions import DecisionsError, load_decisions
from auditor.errors import AuditorError
from auditor.result import Report, dumps, report_from_json
from auditor.review import fingerprint
from tests.helpers import run_cli, seed

SEED = seed("000")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no auditor.toml of the repository is picked up


def _audit(*args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(["check", str(SEED), "--format", "json", *args])
    return code, json.loads(out)["reports"][0], err


@pytest.fixture(scope="module")
def plain() -> dict[str, Any]:
    code, out, err = run_cli(["check", str(SEED), "--format", "json", "--no-config"])
    assert code in (0, 1), err
    report: dict[str, Any] = json.loads(out)["reports"][0]
    return report


def _typed(report: dict[str, Any]) -> Report:
    typed = report_from_json(report)
    assert isinstance(typed, Report)
    return typed


def _rules(report: dict[str, Any], status: str) -> list[str]:
    found = [f["rule_id"] for f in report["findings"] if f["status"] == status]
    assert found, f"the seed has no {status} finding"
    return found


def _write(tmp_path: Path, entries: list[dict[str, Any]], name: str = "decisions.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps({"decisions": entries}, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump({"decisions": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _by_report(report: dict[str, Any], rule: str, **more: Any) -> dict[str, Any]:
    meta = report["metadata"]
    return {"rule": rule, "unit": meta["unit"], "year": meta["year"], **more}


def test_a_dismissed_gap_carries_its_review_and_raises_the_reviewed_score(
    tmp_path: Path, plain: dict[str, Any]
) -> None:
    rule = _rules(plain, "gap")[0]
    finding = next(f for f in _typed(plain).findings if f.rule_id == rule)
    entry = _by_report(
        plain,
        rule,
        fingerprint=fingerprint(finding),
        decision="dismissed",
        comment="已在第三部分说明",
        reviewer="王五",
        at="2026-12-01T10:00:00Z",
    )
    _, report, err = _audit("--decisions", str(_write(tmp_path, [entry])), "--no-config")
    assert "警告" not in err
    decided = next(f for f in report["findings"] if f["rule_id"] == rule)
    assert decided["status"] == "gap"  # the tool's verdict stays as it was
    assert decided["review"] == {
        "decision": "dismissed",
        "status": "met",
        "comment": "已在第三部分说明",
        "reviewer": "王五",
        "at": "2026-12-01T10:00:00Z",
        "fingerprint": fingerprint(finding),
    }
    assert [f for f in report["findings"] if "review" in f] == [decided]
    assert report["score"] == plain["score"]
    assert report["reviewed"]["decisions"] == 1 and report["reviewed"]["stale"] == []
    assert report["reviewed"]["score"] > plain["score"]
    assert json.loads(dumps(report_from_json(report))) == report  # the typed model keeps review and reviewed


def test_decisions_are_the_baseline_of_the_gates(tmp_path: Path, plain: dict[str, Any]) -> None:
    """Every gap dismissed (by the file's hash): --fail-on gap and blocking rules pass."""
    code, _, err = _audit("--fail-on", "gap", "--no-config")
    assert code == 1 and "未通过门槛" in err
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    entries = [{"rule": r, "sha256": sha, "decision": "dismissed"} for r in _rules(plain, "gap")]
    path = _write(tmp_path, entries)
    code, report, err = _audit("--fail-on", "gap", "--decisions", str(path), "--no-config")
    assert code == 0, err
    assert report["reviewed"]["decisions"] == len(entries)
    code, _, err = _audit("--fail-under", str(report["reviewed"]["score"] + 0.1), "--decisions", str(path))
    assert code == 1 and "复核后得分" in err


def test_a_changed_status_is_scored(tmp_path: Path, plain: dict[str, Any]) -> None:
    rule = _rules(plain, "needs_review")[0]
    path = _write(tmp_path, [_by_report(plain, rule, decision="changed", status="gap", reviewer="李四")])
    _, report, _ = _audit("--decisions", str(path), "--fail-on", "gap", "--no-config")
    finding = next(f for f in report["findings"] if f["rule_id"] == rule)
    assert finding["review"]["status"] == "gap" and finding["status"] == "needs_review"
    assert report["reviewed"]["score"] <= plain["score"]


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_stale_and_unknown_decisions_are_warned_about_with_their_line(tmp_path: Path, plain: dict[str, Any]) -> None:
    rule = _rules(plain, "gap")[0]
    entries = [
        _by_report(plain, rule, fingerprint="0123456789abcdef", decision="dismissed"),
        _by_report(plain, "ZZ-99", decision="confirmed"),
    ]
    path = _write(tmp_path, entries)
    code, report, err = _audit("--decisions", str(path), "--no-config")
    assert code == 0
    warnings = [line for line in err.splitlines() if "警告" in line]
    assert len(warnings) == 2
    stale_line = _line_of(path, f"rule: {rule}")
    assert any(f"{path}:{stale_line}:" in w and "已过期" in w and rule in w for w in warnings)
    assert any(f"{path}:{_line_of(path, 'ZZ-99')}:" in w and "没有规则 ZZ-99" in w for w in warnings)
    finding = next(f for f in _typed(plain).findings if f.rule_id == rule)
    assert report["reviewed"]["stale"] == [
        {
            "rule_id": rule,
            "fingerprint_then": "0123456789abcdef",
            "fingerprint_now": fingerprint(finding),
            "decision": "dismissed",
        }
    ]
    assert report["reviewed"]["unknown"] == ["ZZ-99"]
    assert not any("review" in f for f in report["findings"])  # a stale decision is never applied
    assert report["reviewed"]["score"] == plain["score"]
    code, _, _ = _audit("--decisions", str(path), "--strict-decisions", "--no-config")
    assert code == 1


def test_decisions_for_other_reports_are_ignored_silently(tmp_path: Path, plain: dict[str, Any]) -> None:
    rule = _rules(plain, "gap")[0]
    entries = [
        {"rule": rule, "unit": "不存在镇人民政府", "year": plain["metadata"]["year"], "decision": "dismissed"},
        _by_report(plain, rule, year=plain["metadata"]["year"] - 1, decision="dismissed"),
        _by_report(plain, rule, checklist="gov-info-disclosure", decision="dismissed"),
        {"rule": rule, "sha256": "0" * 64, "decision": "dismissed"},
    ]
    code, report, err = _audit("--decisions", str(_write(tmp_path, entries)), "--strict-decisions", "--no-config")
    assert err == "" and "reviewed" not in report
    assert code == (1 if any(f["status"] == "gap" and f["blocking"] for f in plain["findings"]) else 0)


def test_a_json_file_means_the_same_as_yaml(tmp_path: Path, plain: dict[str, Any]) -> None:
    entries = [_by_report(plain, r, decision="dismissed", reviewer="王五") for r in _rules(plain, "gap")[:2]]
    _, from_yaml, _ = _audit("--decisions", str(_write(tmp_path, entries)))
    _, from_json, _ = _audit("--decisions", str(_write(tmp_path, entries, "decisions.json")))
    assert from_yaml == from_json and from_json["reviewed"]["decisions"] == 2


def test_jsonl_lines_carry_the_decisions(tmp_path: Path, plain: dict[str, Any]) -> None:
    path = _write(tmp_path, [_by_report(plain, _rules(plain, "gap")[0], decision="dismissed")])
    _, out, _ = run_cli(["check", str(SEED), "--format", "jsonl", "--decisions", str(path)])
    line = json.loads(out.splitlines()[0])["report"]
    assert line["reviewed"]["decisions"] == 1 and sum("review" in f for f in line["findings"]) == 1


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        ("text", "已复核：撤销（王五，已在第三部分说明）"),
        ("markdown", "已复核：撤销（王五，已在第三部分说明）"),
        ("html", "已复核：撤销（王五，已在第三部分说明）"),
    ],
)
def test_human_outputs_show_the_decision_beside_its_finding(
    tmp_path: Path, plain: dict[str, Any], fmt: str, needle: str
) -> None:
    rule = _rules(plain, "gap")[0]
    entry = _by_report(plain, rule, decision="dismissed", reviewer="王五", comment="已在第三部分说明")
    target = tmp_path / "out"
    _, _, _ = run_cli(
        ["check", str(SEED), "--format", fmt, "--decisions", str(_write(tmp_path, [entry])), "--output", str(target)]
    )
    text = "".join(p.read_text(encoding="utf-8") for p in ([target] if target.is_file() else target.rglob("*.*")))
    assert needle in text and "复核后得分" in text
    shown = text[text.index(rule) :]
    assert needle in shown  # after its rule, not somewhere else


BAD = [
    (
        "decisions:\n  - rule: FR-02\n    unit: 张渚镇\n    year: 2023\n    decision: dismissed\n    comments: x\n",
        6,
        "未知的键 comments",
    ),
    ("decisions:\n  - rule: FR-02\n    unit: 张渚镇\n    year: 2023\n", 2, "缺少 decision"),
    ("decisions:\n  - rule: FR-02\n    unit: 张渚镇\n    year: 2023\n    decision: changed\n", 2, "须给出 status"),
    ("decisions:\n  - rule: FR-02\n    unit: 张渚镇\n    year: 2023\n    decision: ignore\n", 5, "decision 的值"),
    ("decisions:\n  - rule: FR-02\n    decision: dismissed\n", 2, "unit 和 year，或 sha256"),
    ("decisions:\n  - rule: FR-02\n    sha256: abc\n    decision: dismissed\n", 3, "sha256 不是 64 位"),
    (
        "decisions:\n  - rule: FR-02\n    unit: 张渚镇\n    unit: 周铁镇\n    year: 2023\n    decision: met\n",
        4,
        "重复的键",
    ),
    ("decisions:\n  - rule: FR-02\n    unit: [张渚镇\n", 4, "格式错误"),
    ("rules:\n  - id: FR-02\n", 1, "decisions:"),
    ('{"decisions": [{"rule": "FR-02", "unit": "张渚镇", "year": 2023, "decision": "maybe"}]}', 1, "decision 的值"),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD)
def test_a_malformed_file_is_a_located_one_line_error(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run_cli(["check", str(SEED), "--decisions", str(path)])
    assert code == 2 and out == ""
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert re.search(rf"{re.escape(str(path))}:{line}(:\d+)?: ", first), err
    assert message in err and "（提示：" in err


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    code, _, err = run_cli(["check", str(SEED), "--decisions", str(tmp_path / "none.yaml")])
    assert code == 2 and "找不到决定文件" in err and "（提示：" in err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_file_loads_or_is_refused_as_a_user_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "any.yaml"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    try:
        decided = load_decisions(str(path))
    except AuditorError as exc:
        assert str(exc) and (isinstance(exc, DecisionsError) or "决定文件" in str(exc))
    else:
        assert all(d.entry.rule and d.where.line for d in decided)


ENTRY = st.fixed_dictionaries(
    {
        "rule": st.from_regex(r"[A-Z]{2,3}-0[1-9][A-Z]?", fullmatch=True),
        "unit": st.text(st.characters(categories=["Lo"]), min_size=1, max_size=12),
        "year": st.integers(1990, 2100),
        "decision": st.sampled_from(["confirmed", "dismissed"]),
        "comment": st.text(max_size=40),
        "reviewer": st.text(max_size=8),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ENTRY, min_size=1, max_size=5))
def test_what_is_written_is_what_is_read_in_yaml_and_json(tmp_path: Path, entries: list[dict[str, Any]]) -> None:
    import unicodedata

    text = "".join(str(v) for e in entries for v in e.values())
    # PyYAML's own writer loses a raw NEL (it reads it back as a space): controls are tried in JSON only
    plain = not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)
    for name in ("d.yaml", "d.json") if plain else ("d.json",):
        decided = load_decisions(str(_write(tmp_path, entries, name)))
        assert [d.entry.model_dump(exclude_defaults=True) for d in decided] == [
            {k: v for k, v in e.items() if v != ""} for e in entries
        ]
        assert len({d.where.line for d in decided}) == len(entries)


def test_a_bad_file_stops_the_run_before_any_output_is_opened(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("decisions:\n  - rule: FR-02\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    code, _, err = run_cli(["check", str(SEED), "-f", "jsonl", "-o", str(target), "--decisions", str(bad)])
    assert code == 2 and f"{bad}:2:" in err and not target.exists()


def test_a_decision_that_cannot_apply_and_a_repeated_one_are_warned_about(
    tmp_path: Path, plain: dict[str, Any]
) -> None:
    met, gap = _rules(plain, "met")[0], _rules(plain, "gap")[0]
    entries = [
        _by_report(plain, met, decision="dismissed"),
        _by_report(plain, gap, decision="confirmed", reviewer="甲"),
        _by_report(plain, gap, decision="dismissed", reviewer="乙"),
    ]
    path = _write(tmp_path, entries)
    code, report, err = _audit("--decisions", str(path), "--strict-decisions", "--no-config")
    assert code == 1
    assert f"{path}:{_line_of(path, f'rule: {met}')}:" in err and "只能撤销" in err
    assert "另有一条决定" in err
    assert not any(f["rule_id"] == met and "review" in f for f in report["findings"])
    decided = next(f for f in report["findings"] if f["rule_id"] == gap)
    assert decided["review"]["reviewer"] == "乙" and decided["review"]["status"] == "met"


def test_a_workbench_export_carries_over_to_a_revised_file(tmp_path: Path, plain: dict[str, Any]) -> None:
    """The export names the file (sha256) and the unit/year, and gives every key (nulls too):
    a revised version of the report keeps the decision whose finding is unchanged."""
    rule = _rules(plain, "gap")[0]
    finding = next(f for f in _typed(plain).findings if f.rule_id == rule)
    entry = _by_report(
        plain,
        rule,
        checklist=plain["checklist"]["id"],
        sha256=hashlib.sha256(SEED.read_bytes()).hexdigest(),
        fingerprint=fingerprint(finding),
        decision="dismissed",
        status="met",
        comment=None,
        reviewer="王五",
        at=None,
    )
    path = _write(tmp_path, [entry], "export.json")
    revised = tmp_path / "revised.txt"
    revised.write_text(SEED.read_text(encoding="utf-8") + "\n（本稿为修订稿）\n", encoding="utf-8")
    _, out, err = run_cli(["check", str(revised), "-f", "json", "--decisions", str(path), "--strict-decisions"])
    report = json.loads(out)["reports"][0]
    decided = next(f for f in report["findings"] if f["rule_id"] == rule)
    assert decided["review"]["decision"] == "dismissed" and decided["review"]["comment"] == "", err
    assert "警告" not in err
