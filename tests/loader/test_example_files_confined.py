"""``examples.files`` in a rule file may name only files inside the rule pack's folder:
``../../…``, an absolute path or a symbolic link leading out is a located rule-file error
(exit 2), and the file is never read — `rules test` would otherwise quote it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.helpers import run_cli

SECRET = "机密口令述法甲乙丙丁"


def _pack(folder: Path, example_path: str, expect: str = "gap") -> Path:
    """A one-rule pack whose rule names ``example_path`` under examples.files."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "checklist": {
            "id": "confined",
            "title": "示例文件",
            "version": "1",
            "categories": [{"id": "A", "title": "内容", "weight": 100}],
            "scoring": {"grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}]},
        },
        "rules": [
            {
                "id": "A-01",
                "title": "写明述法",
                "category": "A",
                "gap_message": "未写明述法。",
                "remediation": "写明述法。",
                "references": ["测试依据"],
                "match": {"type": "phrases", "phrases": ["述法"]},
                "examples": {
                    "met": ["开展述法。"],
                    "gap": ["无关内容。"],
                    "files": [{"path": example_path, "expect": expect}],
                },
            }
        ],
    }
    (folder / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _path_line(pack: Path) -> int:
    lines = (pack / "rules.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "path:" in line)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(f"{SECRET}\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "symlinked-folder"])
def test_an_example_file_outside_the_pack_is_a_located_error(tmp_path: Path, secret: Path, how: str) -> None:
    pack = tmp_path / "packs" / "mine"
    pack.mkdir(parents=True)
    if how == "dotdot":
        target = os.path.relpath(secret, pack)
    elif how == "absolute":
        target = str(secret)
    elif how == "symlink":
        (pack / "report.txt").symlink_to(secret)
        target = "report.txt"
    else:
        (pack / "examples").symlink_to(secret.parent, target_is_directory=True)
        target = "examples/secret.txt"
    _pack(pack, target)
    for command in (["rules", "test", str(pack)], ["check", str(secret), "--rules", str(pack), "--no-config"]):
        code, out, err = run_cli(command)
        assert code == 2, (command, code, out, err)
        assert f"{pack / 'rules.yaml'}:{_path_line(pack)}:" in err, err
        assert "不在规则包的文件夹" in err
        assert "Traceback" not in err
        if command[0] == "rules":
            assert SECRET not in out + err


def test_etc_shadow_is_never_read(tmp_path: Path) -> None:
    pack = _pack(tmp_path / "pack", "/etc/shadow", expect="met")
    code, out, err = run_cli(["rules", "test", str(pack)])
    assert code == 2 and "passed" not in out  # refused before any example ran
    assert "/etc/shadow" in err and "不在规则包的文件夹" in err


def test_a_file_inside_the_pack_is_read_and_judged(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "examples" / "sub").mkdir(parents=True)
    (pack / "examples" / "sub" / "r.txt").write_text("我镇全年开展述法3次。\n", encoding="utf-8")
    _pack(pack, "examples/sub/../sub/r.txt", expect="met")
    code, out, err = run_cli(["rules", "test", str(pack)])
    assert code == 0, out + err
    assert "3 passed, 0 failed" in out


def test_a_single_rule_file_may_read_beside_itself(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "r.txt").write_text("我镇全年开展述法3次。\n", encoding="utf-8")
    _pack(pack, "r.txt", expect="met")
    code, out, err = run_cli(["rules", "test", str(pack / "rules.yaml")])
    assert code == 0, out + err


def test_the_selftest_itself_refuses_a_path_that_escapes(tmp_path: Path, secret: Path) -> None:
    """Second line of defence, for a checklist changed after loading (a configuration override)."""
    from dataclasses import replace

    from auditor.checklist import ExampleFile
    from auditor.loader import load_checklist
    from auditor.selftest import run_example_file

    pack = tmp_path / "pack"
    (pack / "r.txt").parent.mkdir(parents=True)
    (pack / "r.txt").write_text("我镇全年开展述法3次。\n", encoding="utf-8")
    checklist = load_checklist(_pack(pack, "r.txt", expect="met"))
    rule = checklist.rules[0]
    escaping = ExampleFile(path=os.path.relpath(secret, pack), expect="met")
    result = run_example_file(replace(checklist), rule, 0, escaping)
    assert not result.ok
    assert "不在规则包的文件夹" in (result.problem or "")


def test_configuration_cannot_redirect_an_example_file(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text(
        '[rules."FR-03"]\n"examples.files.0.path" = "/etc/shadow"\n', encoding="utf-8"
    )
    code, _, err = run_cli(["config", "--config", str(tmp_path / "auditor.toml")])
    assert code == 2, err
    assert "auditor.toml" in err and "examples" in err
