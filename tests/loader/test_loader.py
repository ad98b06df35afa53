"""Loading rule files: every failure mode is reported as file:line:column, all at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditor.errors import RuleFileError
from auditor.loader import load_checklist
from tests.helpers import ROOT, RULES, position, run_cli

INVALID = RULES / "invalid"
SEED = "fixtures/seeds/000_3b88b001ffea4908.txt"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages carry the relative paths given


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def problems(target: Path) -> list[str]:
    with pytest.raises(RuleFileError) as info:
        load_checklist(rel(target))
    return [str(p) for p in info.value.problems]


def loc(path: Path, needle: str, occurrence: int = 0, column_of: str | None = None) -> str:
    line, col = position(path, needle, occurrence, column_of)
    return f"{rel(path)}:{line}:{col}"


# (fixture, expected location, expected message part, expected hint part or None)
CASES = [
    pytest.param(
        "bad_indent.yaml",
        lambda p: loc(p, "      title: 写明普法情况", column_of=":"),
        "YAML 格式错误：mapping values are not allowed in this context",
        "检查缩进、冒号和引号",
        id="invalid-yaml",
    ),
    pytest.param(
        "duplicate_key.yaml",
        lambda p: loc(p, "title: 写明普法宣传情况"),
        "重复的键 title（第一次出现在第 {first} 行）",
        "删去其中一个；YAML 会悄悄只保留最后一个",
        id="duplicate-key",
    ),
    pytest.param(
        "unknown_type.yaml",
        lambda p: loc(p, "type: phrase"),
        "规则 X-01：rules[0].match：未知的匹配类型 phrase",
        "可用的类型：phrases, fuzzy, regex, tokens, all, any, none, at_least, absent, cases, near, section, value, "
        "count, compare, date, year, metadata, table",
        id="unknown-match-type",
    ),
    pytest.param(
        "unknown_key.yaml",
        lambda p: loc(p, "severty: must", column_of="must"),  # the value of the unknown key
        "规则 X-01：rules[0].severty：未知的键 severty",
        "检查拼写；可用的键见 auditor rules schema",
        id="unknown-key",
    ),
    pytest.param(
        "bad_regex.yaml",
        lambda p: loc(p, '- "普法(宣传"', column_of="-"),  # the patterns list
        "规则 X-01：rules[0].match.patterns：正则表达式 '普法(宣传' 有误：missing ) at position 5",
        None,
        id="bad-regex",
    ),
    pytest.param(
        "empty_regex.yaml",
        lambda p: loc(p, '- "(普法)?"', column_of="-"),
        "规则 X-01：rules[0].match.patterns：正则表达式 '(普法)?' 能匹配空字符串",
        None,
        id="empty-regex",
    ),
    pytest.param(
        "missing_field.yaml",
        lambda p: loc(p, "- id: X-01"),
        "规则 X-01：rules[0].remediation：缺少必填的键 remediation",
        None,
        id="missing-field",
    ),
    pytest.param(
        "unknown_category.yaml",
        lambda p: loc(p, "- id: X-01"),
        "规则 X-01：未知的分类 ZZ",
        "已声明的分类：A",
        id="unknown-category",
    ),
    pytest.param(
        "no_negative_example.yaml",
        lambda p: loc(p, "met: [开展普法。]"),
        "规则 X-01：rules[0].examples：除 met 外，至少还要给一个 gap（或 not_applicable）示例",
        None,
        id="no-gap-example",
    ),
    pytest.param(
        "at_least_unreachable.yaml",
        lambda p: loc(p, "type: at_least"),
        "规则 X-01：rules[0].match：n=3 永远达不到：只有 2 个子条件",
        None,
        id="at-least-unreachable",
    ),
]


@pytest.mark.parametrize(("name", "where", "message", "hint"), CASES)
def test_one_error_per_file(name: str, where, message: str, hint: str | None) -> None:
    path = INVALID / name
    if "{first}" in message:
        message = message.format(first=position(path, "title: 写明普法情况")[0])
    (problem,) = problems(path)
    expected = f"{where(path)}: {message}"
    if hint is None:
        assert problem == expected
    else:
        assert problem == f"{expected}（提示：{hint}）"


def test_duplicate_rule_id_across_files() -> None:
    folder = INVALID / "duplicate_id"
    (problem,) = problems(folder)
    first = loc(folder / "checklist.yaml", "- id: X-01")
    second = loc(folder / "more.yaml", "- id: X-01", column_of="X-01")
    assert problem == (f"{second}: 规则编号 X-01 重复（另见 {first}）（提示：规则编号必须唯一，且不得重复使用）")


def test_two_errors_are_both_reported() -> None:
    path = INVALID / "two_errors.yaml"
    typo = loc(path, "severty: must", column_of="must")
    regex_list = loc(path, 'patterns: ["述法["', column_of="[")
    assert problems(path) == [
        f"{typo}: 规则 X-01：rules[0].severty：未知的键 severty（提示：检查拼写；可用的键见 auditor rules schema）",
        f"{regex_list}: 规则 X-02：rules[1].match.patterns："
        "正则表达式 '述法[' 有误：unterminated character set at position 3",
    ]


def test_unknown_key_in_a_phrases_match_points_at_its_line() -> None:
    path = INVALID / "unknown_key_in_phrases.yaml"
    (problem,) = problems(path)
    assert problem.startswith(f"{loc(path, 'negate: false', column_of='false')}: 规则 X-01：rules[0].match.negate：")


def test_located_problems_have_line_and_column() -> None:
    for path in sorted(INVALID.glob("*.yaml")):
        for p in problems(path):
            head = p.split(": ", 1)[0]
            file, line, col = head.rsplit(":", 2)
            assert file == rel(path)
            assert int(line) >= 1 and int(col) >= 1


# ------------------------------------------------------------------ more loader behaviour


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_checklist(str(empty))
    assert [str(p) for p in info.value.problems] == [
        f"{empty}:1:1: 规则文件是空的（提示：写上 rules:（以及 checklist: 文件头））"
    ]
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="应为键值表"):
        load_checklist(str(listing))


def test_folder_without_rule_files(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"没有 \.yaml 规则文件"):
        load_checklist(str(tmp_path))


def test_rules_without_a_header(tmp_path: Path) -> None:
    only_rules = tmp_path / "rules.yaml"
    only_rules.write_text((RULES / "valid" / "publication.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="缺少 checklist: 文件头"):
        load_checklist(str(only_rules))


def test_bom_is_accepted(tmp_path: Path) -> None:
    target = tmp_path / "pack"
    target.mkdir()
    for f in (RULES / "valid").glob("*.yaml"):
        (target / f.name).write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    assert load_checklist(str(target)).id == "mini"


def test_valid_pack_loads() -> None:
    c = load_checklist(rel(RULES / "valid"))
    assert c.id == "mini"
    assert c.header.version == "1.0"
    assert [r.id for r in c.rules] == ["A-01", "A-02", "B-01"]  # ordered by category, across files
    assert [cat.id for cat in c.categories] == ["A", "B"]
    assert {"述法", "集体学法"} <= c.index.phrases
    a01 = c.sources["A-01"]
    assert str(a01.location) == loc(RULES / "valid" / "checklist.yaml", "- id: A-01")
    assert str(a01.examples[("gap", 1)]) == loc(RULES / "valid" / "checklist.yaml", "- 我镇尚未开展述法工作。")
    assert str(c.sources["B-01"].location) == loc(RULES / "valid" / "publication.yaml", "- id: B-01")


def test_yaml_line_breaks_between_chinese_are_joined() -> None:
    c = load_checklist("fazhi")
    assert "\n" not in c.rule("STR-01").description
    assert " " not in c.rule("STR-01").remediation.replace("{Y}", "")


def test_bundled_checklist_is_reachable_by_name_and_path() -> None:
    by_name = load_checklist("fazhi")
    by_path = load_checklist("rules/fazhi")
    assert [r.id for r in by_name.rules] == [r.id for r in by_path.rules]
    assert by_name.header.version == by_path.header.version


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize("name", [*sorted(p.name for p in INVALID.glob("*.yaml")), "duplicate_id"])
def test_cli_rules_test_exits_2_with_one_line_per_error(name: str) -> None:
    target = INVALID / name
    code, out, err = run_cli(["rules", "test", rel(target)])
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines == [f"auditor: error: {p}" for p in problems(target)]
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["two_errors.yaml", "unknown_type.yaml", "bad_indent.yaml"])
def test_cli_check_with_invalid_rules_exits_2(name: str) -> None:
    target = INVALID / name
    code, out, err = run_cli(["check", SEED, "--rules", rel(target)])
    assert code == 2
    assert err.splitlines() == [f"auditor: error: {p}" for p in problems(target)]
    assert out == ""


def test_cli_subprocess_invalid_rules_no_traceback() -> None:
    exe = Path(sys.executable).parent / "auditor"
    proc = subprocess.run(
        [str(exe), "check", SEED, "--rules", "fixtures/rules/invalid/two_errors.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("auditor: error: fixtures/rules/invalid/two_errors.yaml:")
    assert lines[1].startswith("auditor: error: fixtures/rules/invalid/two_errors.yaml:")


def test_cli_rules_test_valid_pack() -> None:
    code, out, err = run_cli(["rules", "test", "fixtures/rules/valid"])
    assert (code, err) == (0, "")
    assert out.splitlines() == ["9 passed, 0 failed"]


def test_cli_rules_test_one_rule() -> None:
    code, out, _ = run_cli(["rules", "test", "fixtures/rules/valid", "--rule", "A-02"])
    assert code == 0
    assert out.splitlines() == ["3 passed, 0 failed"]


def test_cli_rules_test_failing_example() -> None:
    path = RULES / "failing" / "checklist.yaml"
    code, out, _ = run_cli(["rules", "test", rel(path)])
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        f"{loc(path, '- 深入开展八五普法宣传活动。')}: F-01 gap[1] FAILED: expected gap, got met"
    )
    assert lines[1] == "    text: 深入开展八五普法宣传活动。"
    assert lines[-1] == "2 passed, 1 failed"


def test_cli_rules_test_reports_a_wrong_value(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "publication.yaml").write_bytes((RULES / "valid" / "publication.yaml").read_bytes())
    text = (RULES / "valid" / "checklist.yaml").read_text(encoding="utf-8")
    (pack / "checklist.yaml").write_text(text.replace("values: {count: 6}", "values: {count: 7}"), encoding="utf-8")
    code, out, _ = run_cli(["rules", "test", str(pack)])
    assert code == 1
    line, _col = position(pack / "checklist.yaml", "values: {count: 7}")
    first = out.splitlines()[0]
    assert first.startswith(f"{pack / 'checklist.yaml'}:{line}:")
    assert "A-02 met[0] FAILED: expected value count=7, got 6" in first
    assert out.splitlines()[-1] == "8 passed, 1 failed"
