"""Wrong value types in a configuration file are user errors: exit 2 and one line naming the
file, the line and the key, with a hint — never an internal error, never silently coerced.
And ``--jobs`` is bounded by the cores this process may use."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.config import available_cores, bounded_jobs, key_line
from auditor.errors import UsageError
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
REPORT = str(ROOT / "examples" / "张渚镇-2023.txt")


@pytest.mark.parametrize(
    ("toml", "line", "key"),
    [
        ('jobs = "many"\n', 1, "jobs"),
        ('checklist = "fazhi"\nfail_under = "x"\n', 2, "fail_under"),
        ("formats = 3\n", 1, "formats"),
        ('formats = "json"\n', 1, "formats"),
        ("formats = [1, 2]\n", 1, "formats"),
        ('max_chars = "big"\n', 1, "max_chars"),
        ('rules_paths = "rules/"\n', 1, "rules_paths"),
        ("checklist = 3\n", 1, "checklist"),
        ("output = 3\n", 1, "output"),
        ('fail_on = "gap"\n', 1, "fail_on"),
        ('fail_on = ["gaps"]\n', 1, "fail_on"),
        ("jobs = 0\n", 1, "jobs"),
        ("jobs = -3\n", 1, "jobs"),
        ("jobs = true\n", 1, "jobs"),
        ("jobs = 2.5\n", 1, "jobs"),
        ("fail_under = 500\n", 1, "fail_under"),
        ('# a comment\n\n[rules."FR-01"]\nweight = "heavy"\n', 4, "rules.FR-01 覆盖设置无效 weight"),
        ('[rules."FR-01"]\nblocking = "yes"\n', 2, "rules.FR-01 覆盖设置无效 blocking"),
        ('[rules."FR-01"]\nseverity = 3\n', 2, "rules.FR-01 覆盖设置无效 severity"),
        ('[rules."FR-01"]\nweight = -1\n', 2, "rules.FR-01 覆盖设置无效 weight"),
        ('rules = { "FR-01" = { weight = "x" } }\n', 1, "rules.FR-01 覆盖设置无效 weight"),
        (
            '[profiles.township.rules."FR-01"]\nweight = "x"\n',
            2,
            "profiles.township.rules.FR-01 覆盖设置无效 weight",
        ),
        ("[profiles]\ntownship = 3\n", 2, "profiles.township"),
        ("profiles = 3\n", 1, "profiles"),
        ('[card]\nissuer = ""\n', 2, "card.issuer"),
        ("[card]\nissuer = 3\n", 2, "card.issuer"),
        ('checklist = "fazhi"\n\n[card]\ndeadline_days = "30"\n', 4, "card.deadline_days"),
        ("[card]\ndeadline_days = 0\n", 2, "card.deadline_days"),
        ("[card]\ndeadline_days = 2.5\n", 2, "card.deadline_days"),
        ("[card]\ndeadline_days = true\n", 2, "card.deadline_days"),
        ('[card]\nsigner = "张三"\n', 2, "signer"),
        ("card = 3\n", 1, "card"),
        ('card = { deadline_days = "x" }\n', 1, "card.deadline_days"),
    ],
)
def test_a_wrong_type_is_one_located_line_and_exit_2(tmp_path: Path, toml: str, line: int, key: str) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text(toml, encoding="utf-8")
    code, out, err = run_cli(["check", REPORT, "--config", str(config), "--format", "json"])
    assert code == 2, (code, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{config}:{line}: " in lines[0]
    assert all(part in lines[0] for part in key.split(" ")) and "（提示：" in lines[0]
    assert "bug" not in err and "Traceback" not in err


def test_wrong_types_in_pyproject_are_located_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.auditor]\njobs = "many"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["check", REPORT, "--format", "json"])
    assert code == 2
    assert f"{tmp_path / 'pyproject.toml'}:5: jobs" in err


def test_a_config_that_is_not_utf8_is_a_user_error(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_bytes('checklist = "法治"\n'.encode("gb18030"))
    code, _, err = run_cli(["check", REPORT, "--config", str(config), "--format", "json"])
    assert code == 2 and "UTF-8" in err and "bug" not in err


def test_right_types_still_work(tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text(
        'checklist = "fazhi"\njobs = 64\nfail_under = 0\nformats = ["json"]\nfail_on = []\n'
        'max_chars = 30000000\n[rules."FR-01"]\nweight = 2\nblocking = false\nseverity = "must"\n',
        encoding="utf-8",
    )
    code, out, err = run_cli(["check", REPORT, "--config", str(config)])
    assert code == 0, err
    assert out.lstrip().startswith("{")  # formats = ["json"] was applied


# ------------------------------------------------------------------ key_line


NAMES = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
    st.from_regex(r"[A-Z]{2,3}-0[1-9]", fullmatch=True),
    st.sampled_from(["法治", "a.b", "x y", "IND-01"]),
)


def _key(name: str) -> str:
    import re

    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name + '"'


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(NAMES, st.dictionaries(NAMES, st.integers(), max_size=4), max_size=4),
    st.dictionaries(NAMES, st.integers(), max_size=3),
)
def test_key_line_finds_every_key_where_it_was_written(tables: dict[str, dict[str, int]], top: dict[str, int]) -> None:
    lines: list[str] = []
    where: dict[tuple[str, ...], int] = {}
    for name, value in top.items():
        lines.append(f"{_key(name)} = {value}")
        where[(name,)] = len(lines)
    for table, keys in tables.items():
        if (table,) in where:
            continue
        lines += ["", f"[rules.{_key(table)}]   # a comment"]
        where[("rules", table)] = len(lines)
        for name, value in keys.items():
            lines.append(f"  {_key(name)} = {value}")
            where[("rules", table, name)] = len(lines)
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # the text is valid TOML
    for keys, line in where.items():
        assert key_line(text, keys) == line, (keys, text)
    assert key_line(text, ("no", "such", "key")) is None


def test_key_line_reads_into_an_inline_table_only() -> None:
    # a plain value whose key is a prefix of the one asked for holds nothing under it
    assert key_line("no = 0\n", ("no", "such", "key")) is None
    assert key_line("x = 1\nrules = { FR-01 = { weight = 2 } }\n", ("rules", "FR-01", "weight")) == 2


# ------------------------------------------------------------------ --jobs


def test_available_cores_is_the_affinity() -> None:
    assert available_cores() == len(os.sched_getaffinity(0))


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=512))
def test_jobs_are_clamped_to_the_cores(requested: int, cores: int) -> None:
    got = bounded_jobs(requested, cores)
    assert got == min(requested, cores)


def test_jobs_default_to_the_cores() -> None:
    assert bounded_jobs(None, 3) == 3
    assert bounded_jobs(None, 0) == 1


@pytest.mark.parametrize("bad", [0, -1, -100])
def test_jobs_below_one_are_a_user_error(bad: int) -> None:
    with pytest.raises(UsageError, match="不小于 1") as info:
        bounded_jobs(bad, 4)
    assert info.value.exit_code == 2


def test_card_settings_are_read(tmp_path: Path) -> None:
    from auditor.config import CardSettings, Config, card_settings, load

    config = tmp_path / "auditor.toml"
    config.write_text('[card]\nissuer = " 宜兴市司法局 "\ndeadline_days = 30\n', encoding="utf-8")
    assert card_settings(load(config)) == CardSettings("宜兴市司法局", 30)
    assert card_settings(Config()) == CardSettings()
