"""`auditor compare LAST THIS`: formats, output file, configuration, user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

from .conftest import ROOT, YOY

LAST, THIS = str(YOY / "zhangzhu-2023.txt"), str(YOY / "zhangzhu-2024-lazy.txt")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no auditor.toml of the repository is picked up


def test_json_has_the_keys_of_the_issue() -> None:
    code, out, err = run_cli(["compare", LAST, THIS, "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert {"source", "unit", "year"} <= set(data["last"]) and data["this"]["year"] == 2024
    ft = data["follow_through"]
    assert ft["applicable"] is True and ft["done"] + ft["open"] + ft["missing"] + ft["needs_review"] == len(ft["items"])
    item = ft["items"][0]
    assert {"plan", "status", "evidence", "reason"} <= set(item)
    assert {"text", "start", "end", "line"} <= set(item["plan"])
    assert data["copied"]["flagged"] is True and data["copied"]["share"] > 0.8
    assert {"this", "last", "similarity"} <= set(data["copied"]["passages"][0])
    assert set(data["score"]) >= {"last", "this"}
    assert {"rule_id", "last", "this"} <= set(data["rules"][0])


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [("text", "上年度安排逐项核对"), ("markdown", "| # | 上年度安排"), ("html", "<h2>上年度安排逐项核对</h2>")],
)
def test_every_format_writes_an_output_file(tmp_path: Path, fmt: str, needle: str) -> None:
    target = tmp_path / "out" / f"cmp.{fmt}"
    code, out, err = run_cli(["compare", LAST, THIS, "--format", fmt, "--output", str(target)])
    assert code == 0, err
    assert out == "" and needle in target.read_text(encoding="utf-8")
    assert "疑似照抄" in target.read_text(encoding="utf-8")


def test_copy_share_from_the_option_and_from_auditor_toml(tmp_path: Path) -> None:
    fresh = [str(YOY / "zhangzhu-2022.txt"), str(YOY / "zhangzhu-2023.txt")]
    _, out, _ = run_cli(["compare", *fresh, "--format", "json", "--copy-share", "0.95"])
    assert json.loads(out)["copied"]["threshold"] == 0.95
    (tmp_path / "auditor.toml").write_text("[compare]\ncopy_share = 0.5\n", encoding="utf-8")
    _, out, _ = run_cli(["compare", LAST, THIS, "--format", "json"])
    assert json.loads(out)["copied"]["threshold"] == 0.5


@pytest.mark.parametrize("args", [["--copy-share", "1.5"], ["--copy-share", "0"], ["--format", "pdf"]])
def test_bad_options_are_one_line_user_errors(args: list[str]) -> None:
    code, _, err = run_cli(["compare", LAST, THIS, *args])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_bad_compare_table_in_auditor_toml_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text("[compare]\ncopy_share = 3\n", encoding="utf-8")
    code, _, err = run_cli(["compare", LAST, THIS])
    assert code == 2 and "auditor.toml:2" in err


def test_a_missing_or_unreadable_report_is_named(tmp_path: Path) -> None:
    code, _, err = run_cli(["compare", str(tmp_path / "nope.txt"), THIS])
    assert code == 2 and "nope.txt" in err and len(err.strip().splitlines()) == 1
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not a zip at all" * 10)
    code, _, err = run_cli(["compare", LAST, str(junk)])
    assert code == 2 and "junk.docx" in err and "Traceback" not in err


def test_the_inputs_are_never_changed_and_the_output_never_replaces_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "this.txt"
    copy.write_bytes(Path(THIS).read_bytes())
    before = copy.read_bytes()
    code, _, err = run_cli(["compare", LAST, str(copy), "--output", str(copy)])
    assert copy.read_bytes() == before
    assert code == 2, err


def test_gov_info_reports_use_their_checklist_declaration() -> None:
    code, out, err = run_cli(["compare", str(YOY / "anlan-2022.txt"), str(YOY / "anlan-2023.txt"), "-f", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["this"]["checklist"] == "gov-info-disclosure" and len(data["follow_through"]["items"]) == 6
    assert ROOT.exists()


def test_an_output_folder_gets_comparison_with_the_formats_suffix(tmp_path: Path) -> None:
    code, _, err = run_cli(["compare", LAST, THIS, "-f", "markdown", "-o", str(tmp_path)])
    assert code == 0, err
    assert (tmp_path / "comparison.md").read_text(encoding="utf-8").startswith("# 年度对比")


def test_auditor_config_shows_a_configured_copy_share(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text("[compare]\ncopy_share = 0.4\n", encoding="utf-8")
    code, out, err = run_cli(["config"])
    assert code == 0, err
    assert "compare.copy_share = 0.4" in out
