"""Command-line usage errors: one Chinese line naming what is wrong, a hint with --help, exit 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["check", "--bogus", "x"], ["没有选项 --bogus", "是否想用 --jobs", "auditor check --help"]),
        (["check"], ["缺少参数 paths", "auditor check --help"]),
        (["chek"], ["没有命令 chek", "是否想用 check", "auditor --help"]),
        (["check", str(SEEDS), "--jobs", "abc"], ["--jobs / -j 的值无效", "应为整数"]),
        (["check", str(SEEDS), "--fail-under", "x"], ["--fail-under 的值无效", "应为数字"]),
        (["check", str(SEEDS), "--year", "19x"], ["--year 的值无效", "应为整数"]),
        (["check", str(SEEDS), "-o"], ["选项 -o 需要一个值"]),
        (["check", str(SEEDS), "--fail-on", "bogus"], ["--fail-on 的值无效：bogus 不是可用的值", "'gap'"]),
        (["compare", "a"], ["缺少参数 this", "auditor compare --help"]),
        (["rules", "test", "--nope"], ["没有选项 --nope", "auditor rules test --help"]),
        (["rules", "lint", "--help"], []),  # the help itself is no error: exit 0 (checked below)
    ],
)
def test_usage_errors_are_one_chinese_line(args: list[str], needles: list[str]) -> None:
    code, out, err = run_cli(args)
    if "--help" in args:
        assert code == 0 and "Usage:" in out and err == ""
        return
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("auditor: error: ") and "（提示：" in line and CJK.search(line)
    assert "Usage:" not in err and "Error:" not in err and "Traceback" not in err
    for needle in needles:
        assert needle in line


@pytest.mark.parametrize("args", [[], ["rules"]])
def test_a_group_without_a_command_prints_its_help(args: list[str]) -> None:
    code, out, err = run_cli(args)
    assert code == 2
    assert "Usage: auditor" in out + err and "Commands:" in out + err


def test_normal_exits_keep_their_codes() -> None:
    assert run_cli(["--version"])[0] == 0
    assert run_cli(["check", str(SEEDS), "--format", "json"])[0] == 0
    assert run_cli(["check", str(SEEDS), "--fail-under", "101"])[0] == 1


def test_the_console_script_says_it_in_one_line() -> None:
    """Through the installed entry point, as a clerk's shell runs it."""
    auditor = Path(sys.executable).parent / "auditor"
    done = subprocess.run(
        [str(auditor), "check", "--qqqq"], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["auditor: error: 没有选项 --qqqq（提示：运行 auditor check --help 查看用法）"]
