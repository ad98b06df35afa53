"""Project configuration and checklist inheritance change results exactly as `auditor config` says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDITOR = [sys.executable, "-m", "auditor"]
REPORT = ROOT / "examples" / "张渚镇-2023.txt"  # published 2024-03-04, township, IND-05 gap, QUA-01 met


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AUDITOR, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def audit(cwd: Path, *extra: str) -> dict[str, object]:
    proc = run(["check", str(REPORT), "--format", "json", *extra], cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["reports"][0]


def findings(report: dict[str, object]) -> dict[str, dict[str, object]]:
    return {f["rule_id"]: f for f in report["findings"]}  # type: ignore[index, union-attr]


CONFIG = """\
checklist = "fazhi"
fail_under = 80

[disable]
"QUA-01" = "本地考核不要求量化密度"

[rules."IND-01"]
weight = 3
blocking = true

[params]
publish_deadline = "{Y+1}-02-28"

[profiles.township.disable]
"IND-05" = "乡镇一般不制定规范性文件"

[profiles.county.disable]
"FR-04" = "county only"
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "auditor.toml").write_text(CONFIG, encoding="utf-8")
    sub = tmp_path / "sub" / "dir"
    sub.mkdir(parents=True)
    return sub


def test_config_is_discovered_upward_and_changes_the_result(project: Path, tmp_path: Path) -> None:
    plain = findings(audit(tmp_path.parent))
    configured = audit(project)
    f = findings(configured)
    assert plain["QUA-01"]["status"] == "met" and f["QUA-01"]["status"] == "not_applicable"
    assert "本地考核不要求量化密度" in str(f["QUA-01"]["message"])
    # township profile applies (the report is a 镇's), county profile does not
    assert plain["IND-05"]["status"] == "gap" and f["IND-05"]["status"] == "not_applicable"
    assert f["FR-04"]["status"] == plain["FR-04"]["status"]
    # the deadline parameter: published 2024-03-04 is late against 2024-02-28
    assert plain["DL-01"]["status"] == "met" and f["DL-01"]["status"] == "gap"
    # weights: IND-01 now carries 3 of the IND category's 9 weight units
    assert f["IND-01"]["weight"] == pytest.approx(25 * 3 / 9, abs=1e-3)
    assert f["IND-01"]["blocking"] is True


def test_config_gate_from_file(project: Path) -> None:
    proc = run(["check", str(REPORT), "--format", "json"], project)
    assert proc.returncode == 1  # fail_under = 80 from the file; the report scores below


def test_auditor_config_says_what_applies(project: Path) -> None:
    proc = run(["config"], project)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert str(project.parents[1] / "auditor.toml") in out
    assert "disable QUA-01" in out and "本地考核不要求量化密度" in out
    assert "profile township" in out and "IND-05" in out
    assert "publish_deadline" in out and "{Y+1}-02-28" in out
    assert "fail_under   = 80" in out


def test_pyproject_tool_auditor(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.auditor]\nformats = ["json"]\n[tool.auditor.disable]\n"FR-04" = "不考核"\n',
        encoding="utf-8",
    )
    proc = run(["check", str(REPORT)], tmp_path)
    report = json.loads(proc.stdout)["reports"][0]
    assert findings(report)["FR-04"]["status"] == "not_applicable"


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("bogus = 1\n", "未知的配置项"),
        ('[disable]\n"NOPE-1" = "x"\n', "配置中的规则 NOPE-1 不在核查清单"),
        ("[profiles.village]\n", "未知的报告层级"),
        ('[params]\nnope = "x"\n', "没有的参数"),
        ('[rules."FR-01"]\nweight = -1\n', "覆盖设置无效"),
        ('[rules."FR-01"]\n"match.nope.x" = 1\n', "没有参数"),
        ("fail_under = [\n", "TOML 格式错误"),
    ],
)
def test_bad_configuration_is_a_located_usage_error(tmp_path: Path, toml: str, needle: str) -> None:
    (tmp_path / "auditor.toml").write_text(toml, encoding="utf-8")
    proc = run(["check", str(REPORT), "--format", "json"], tmp_path)
    assert proc.returncode == 2
    assert needle in proc.stderr and "auditor.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


PROVINCIAL = """\
checklist:
  id: my-province
  title: 某省法治政府建设年度报告
  version: "1"
  extends: fazhi
  disable: [QUA-01]
overrides:
  - {id: FR-04, weight: 2, severity: must}
rules:
  - id: PROV-01
    title: 写明法治督察整改情况
    category: CUR
    gap_message: 未写明法治督察整改情况。
    remediation: 写明本年度法治督察发现问题的整改情况。
    references: [某省法治督察工作办法]
    scope: {exclude_roles: [next_year, shortcomings]}
    match: {type: regex, patterns: ["督察[^。;]{0,10}整改"]}
    examples:
      met: [法治督察反馈问题已全部整改到位。]
      gap: [全年开展普法活动30余场次。]
"""


def test_checklist_extends_another(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "checklist.yaml").write_text(PROVINCIAL, encoding="utf-8")
    assert run(["rules", "test", str(pack)], tmp_path).returncode == 0
    report = audit(tmp_path, "--rules", str(pack))
    f = findings(report)
    assert report["checklist"]["id"] == "my-province"  # type: ignore[index]
    assert "QUA-01" not in f and "PROV-01" in f and "STR-01" in f
    assert f["FR-04"]["severity"] == "must"
    assert f["FR-04"]["weight"] == pytest.approx(10 * 2 / 5, abs=1e-3)


def test_config_works_from_a_sub_folder_with_relative_rules_paths(tmp_path: Path) -> None:
    """`auditor config` resolves rules_paths against the file, like `rules list` and `check` do."""
    import shutil

    shutil.copytree(ROOT / "fixtures" / "rules" / "valid", tmp_path / "myrules")
    (tmp_path / "auditor.toml").write_text(
        'rules_paths = ["myrules"]\n[disable]\n"A-01" = "本地不考核"\n', encoding="utf-8"
    )
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    proc = run(["config"], sub)
    assert proc.returncode == 0, proc.stderr
    assert str(tmp_path / "auditor.toml") in proc.stdout
    listed = run(["rules", "list"], sub)
    assert listed.returncode == 0 and "A-01" in listed.stdout


def test_extend_builds_on_the_parent_configuration(tmp_path: Path) -> None:
    """A sub-folder's auditor.toml with `extend` keeps the parent's disabled rules and overrides
    (before, the nearest file silently replaced the parent's), and `auditor config` lists both."""
    (tmp_path / "auditor.toml").write_text(
        'fail_under = 50\n[disable]\n"QUA-01" = "本地不考核"\n[rules."IND-01"]\nweight = 2\n', encoding="utf-8"
    )
    sub = tmp_path / "乡镇"
    sub.mkdir()
    (sub / "auditor.toml").write_text(
        'extend = "../auditor.toml"\n[disable]\n"IND-05" = "乡镇不制定规范性文件"\n', encoding="utf-8"
    )
    proc = run(["check", str(REPORT), "--format", "json"], sub)
    assert proc.returncode in (0, 1), proc.stderr
    by_rule = {f["rule_id"]: f for f in json.loads(proc.stdout)["reports"][0]["findings"]}
    assert by_rule["QUA-01"]["status"] == "not_applicable" and "本地不考核" in by_rule["QUA-01"]["message"]
    assert by_rule["IND-05"]["status"] == "not_applicable"
    shown = run(["config"], sub)
    assert shown.returncode == 0, shown.stderr
    parent, child = str(tmp_path / "auditor.toml"), str(sub / "auditor.toml")
    assert f"{parent} → {child}" in shown.stdout
    assert any("QUA-01" in line and line.rstrip().endswith(parent) for line in shown.stdout.splitlines())
    assert any("fail_under" in line and line.rstrip().endswith(parent) for line in shown.stdout.splitlines())


def test_extend_keeps_parent_paths_relative_to_the_parent(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "fixtures" / "rules" / "valid", tmp_path / "myrules")
    (tmp_path / "auditor.toml").write_text('rules_paths = ["myrules"]\n', encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "auditor.toml").write_text('extend = "../../auditor.toml"\n', encoding="utf-8")
    listed = run(["rules", "list"], sub)
    assert listed.returncode == 0 and "A-01" in listed.stdout, listed.stderr


@pytest.mark.parametrize(
    ("child", "needle"),
    [
        ('extend = "../nope.toml"\n', "文件不存在"),
        ('extend = "auditor.toml"\n', "循环继承"),
        ("extend = 3\n", "extend"),
    ],
)
def test_bad_extend_is_a_located_usage_error(tmp_path: Path, child: str, needle: str) -> None:
    (tmp_path / "auditor.toml").write_text(child, encoding="utf-8")
    proc = run(["config"], tmp_path)
    assert proc.returncode == 2
    assert needle in proc.stderr and "auditor.toml:1" in proc.stderr and "Traceback" not in proc.stderr


def test_two_files_extending_each_other_is_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extend = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extend = "a.toml"\n', encoding="utf-8")
    proc = run(["config", "--config", str(tmp_path / "a.toml")], tmp_path)
    assert proc.returncode == 2 and "循环继承" in proc.stderr


def test_rules_explain_honours_config_and_no_config(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text('[disable]\n"QUA-01" = "本地不考核"\n', encoding="utf-8")
    with_config = run(["rules", "explain", "QUA-01", str(REPORT)], tmp_path)
    assert "已按配置停用：本地不考核" in with_config.stdout, with_config.stderr
    without = run(["rules", "explain", "QUA-01", str(REPORT), "--no-config"], tmp_path)
    assert "已按配置停用" not in without.stdout and "结论" in without.stdout
    other = tmp_path / "other.toml"
    other.write_text('[disable]\n"QUA-01" = "另一份配置"\n', encoding="utf-8")
    chosen = run(["rules", "explain", "QUA-01", str(REPORT), "--config", str(other)], ROOT)
    assert "另一份配置" in chosen.stdout


def test_every_command_reads_relative_rules_paths_from_a_sub_folder(tmp_path: Path) -> None:
    """One place decides the checklist of a run (auditor/selection.py): `config`, `rules list`,
    `rules explain` and `check` all take rules_paths relative to auditor.toml, wherever they run."""
    pack = tmp_path / "rules"
    pack.mkdir()
    for f in (ROOT / "fixtures" / "rules" / "valid").glob("*.yaml"):
        (pack / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('rules_paths = ["rules/"]\n[rules."A-01"]\nweight = 2\n', encoding="utf-8")
    sub = tmp_path / "deep" / "sub"
    sub.mkdir(parents=True)
    report = sub / "r.txt"
    report.write_text(
        (ROOT / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    config = run(["config"], sub)
    assert config.returncode == 0, config.stderr
    assert "rules_paths  = ['rules/']" in config.stdout and "{'weight': 2}" in config.stdout
    listed = run(["rules", "list"], sub)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("mini ") and "w=2 " in listed.stdout
    explained = run(["rules", "explain", "A-01", "r.txt"], sub)
    assert explained.returncode == 0, explained.stderr
    checked = run(["check", "r.txt", "--format", "json"], sub)
    assert checked.returncode in (0, 1), checked.stderr
    assert json.loads(checked.stdout)["reports"][0]["checklist"]["id"] == "mini"
