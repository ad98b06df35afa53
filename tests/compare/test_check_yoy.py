"""`auditor check` compares a report with last year's of the same unit and checklist: pairs in
one batch and in `--previous DIR`, through the CLI on the fixtures/yoy pairs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.compare.pairing import pair
from auditor.document.metadata import unit_key
from auditor.result import dumps, report_from_json
from tests.helpers import run_cli

from .conftest import YOY


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no auditor.toml of the repository is picked up


def _check(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = run_cli(["check", "--format", "json", "-j", "1", *args])
    assert code in (0, 1), err
    return code, json.loads(out)["reports"], err


def _compare(last: Path, this: Path) -> dict[str, Any]:
    code, out, err = run_cli(["compare", str(last), str(this), "--format", "json"])
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def _without_pairing(comparison: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in comparison.items() if k != "pairing"}


def test_a_batch_pairs_last_year_with_this_year_as_auditor_compare_does() -> None:
    last, this = YOY / "zhangzhu-2023.txt", YOY / "zhangzhu-2024-lazy.txt"
    _, reports, err = _check(str(this), str(last))
    by_year = {r["metadata"]["year"]: r for r in reports}
    assert "comparison" not in by_year[2023]
    comparison = by_year[2024]["comparison"]
    assert comparison["pairing"] == {"from": "batch", "inferred": [], "note": ""}
    assert _without_pairing(comparison) == _compare(last, this)
    assert comparison["copied"]["flagged"] is True and comparison["follow_through"]["applicable"] is True
    assert "警告" not in err
    assert json.loads(dumps(report_from_json(by_year[2024]))) == by_year[2024]  # the typed model keeps it


def test_previous_dir_pairs_and_a_fresh_report_is_not_flagged(tmp_path: Path) -> None:
    previous = tmp_path / "2022"
    previous.mkdir()
    shutil.copy(YOY / "zhangzhu-2022.txt", previous)
    shutil.copy(YOY / "zhoutie-2020.txt", previous)
    _, reports, _ = _check(str(YOY / "zhangzhu-2023.txt"), "--previous", str(previous))
    comparison = reports[0]["comparison"]
    assert comparison["pairing"]["from"] == "previous"
    assert comparison["last"]["source"] == str(previous / "zhangzhu-2022.txt")
    assert comparison["copied"]["flagged"] is False
    assert (
        _without_pairing(comparison)["follow_through"]
        == _compare(previous / "zhangzhu-2022.txt", YOY / "zhangzhu-2023.txt")["follow_through"]
    )


def test_a_pairing_on_an_inferred_unit_says_so_and_does_not_accuse(tmp_path: Path) -> None:
    """The lazy copy without its title line: the unit is only inferred from the body."""
    lines = (YOY / "zhangzhu-2024-lazy.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    untitled = tmp_path / "untitled-2024.txt"
    untitled.write_text("".join(line for line in lines if "2024年法治政府建设情况报告" not in line), encoding="utf-8")
    previous = tmp_path / "prev"
    previous.mkdir()
    shutil.copy(YOY / "zhangzhu-2023.txt", previous)
    _, reports, _ = _check(str(untitled), "--previous", str(previous))
    comparison = reports[0]["comparison"]
    assert "this.unit" in comparison["pairing"]["inferred"] and "推断" in comparison["pairing"]["note"]
    assert comparison["pairing"]["note"] in comparison["notes"]
    assert comparison["copied"]["flagged"] is True  # the measure stays; the scorecard asks instead of accusing
    _, out, _ = run_cli(["check", str(untitled), "--previous", str(previous)])
    assert "是否照抄待复核" in out and "疑似照抄" not in out


def test_a_government_report_signed_by_its_office_is_the_governments_and_pairs_plainly() -> None:
    _, reports, _ = _check(str(YOY / "anlan-2022.txt"), str(YOY / "anlan-2023.txt"))
    assert {r["metadata"]["unit"] for r in reports} == {"安澜县人民政府"}  # 2022's title names it, its office signs
    comparison = next(r for r in reports if r["metadata"]["year"] == 2023)["comparison"]
    assert "name.unit" not in comparison["pairing"]["inferred"]
    assert comparison["last"]["checklist"] == comparison["this"]["checklist"] == "gov-info-disclosure"


def test_an_office_and_its_government_pair_with_a_note(tmp_path: Path) -> None:
    untitled = tmp_path / "anlan-2022.txt"  # no issuer in the title: the unit is the office that signed
    text = (YOY / "anlan-2022.txt").read_text(encoding="utf-8")
    untitled.write_text(text.replace("安澜县人民政府2022年政府信息公开", "2022年政府信息公开", 1), encoding="utf-8")
    _, reports, _ = _check(str(untitled), str(YOY / "anlan-2023.txt"))
    assert {r["metadata"]["unit"] for r in reports} == {"安澜县人民政府办公室", "安澜县人民政府"}
    comparison = next(r for r in reports if r["metadata"]["year"] == 2023)["comparison"]
    assert "name.unit" in comparison["pairing"]["inferred"] and "不完全相同" in comparison["pairing"]["note"]
    assert comparison["last"]["checklist"] == comparison["this"]["checklist"] == "gov-info-disclosure"


def test_several_candidates_pair_nothing_and_say_so(tmp_path: Path) -> None:
    previous = tmp_path / "prev"
    previous.mkdir()
    shutil.copy(YOY / "zhangzhu-2023.txt", previous / "a.txt")
    shutil.copy(YOY / "zhangzhu-2023.txt", previous / "b.txt")
    _, reports, err = _check(str(YOY / "zhangzhu-2024-lazy.txt"), "--previous", str(previous))
    assert "comparison" not in reports[0]
    assert "上年度报告有多份" in err and "a.txt" in err and "b.txt" in err


def test_many_candidates_are_counted_not_all_listed(tmp_path: Path) -> None:
    previous = tmp_path / "prev"
    previous.mkdir()
    for name in "abcde":
        shutil.copy(YOY / "zhangzhu-2023.txt", previous / f"{name}.txt")
    _, reports, err = _check(str(YOY / "zhangzhu-2024-lazy.txt"), "--previous", str(previous))
    assert "comparison" not in reports[0]
    line = next(ln for ln in err.splitlines() if "上年度报告有多份" in ln)
    assert "a.txt" in line and "c.txt" in line and "d.txt" not in line and "e.txt" not in line
    assert "等 5 份" in line


def test_a_unit_renamed_is_not_paired_but_hinted(tmp_path: Path) -> None:
    """张渚乡 last year, 张渚镇 this year (撤乡设镇): not the same unit by name, so no comparison, but
    the batch says which report may be last year's and how to compare them."""
    renamed = tmp_path / "zhangzhu-2023.txt"
    text = (YOY / "zhangzhu-2023.txt").read_text(encoding="utf-8")
    renamed.write_text(text.replace("张渚镇", "张渚乡"), encoding="utf-8")
    _, reports, err = _check(str(renamed), str(YOY / "zhangzhu-2024-lazy.txt"))
    assert {r["metadata"]["unit"] for r in reports} == {"张渚乡人民政府", "张渚镇人民政府"}
    assert not any("comparison" in r for r in reports)
    hint = next(line for line in err.splitlines() if "提示" in line)
    assert "张渚乡人民政府 / 张渚镇人民政府" in hint
    assert f"auditor compare {renamed} {YOY / 'zhangzhu-2024-lazy.txt'}" in hint


@pytest.mark.parametrize(
    ("last", "this", "hinted"),
    [
        ("河西县司法局", "河西县司法行政局", True),
        ("桃源乡人民政府", "桃源镇人民政府", True),
        ("张渚镇人民政府", "张渚街道办事处", True),
        ("南岭县卫生和计划生育委员会", "南岭县卫生健康委员会", True),
        ("河西县教育局", "河西县体育局", False),
        ("河西县司法局", "南岭县司法局", False),
        ("桃源镇人民政府", "李庄镇人民政府", False),
        ("临河县市场监督管理局", "临河县市场监督管理局", False),  # the same name: paired, not hinted
    ],
)
def test_which_units_may_be_one_renamed(last: str, this: str, hinted: bool) -> None:
    from auditor.compare.pairing import renamed

    assert renamed(unit_key(last), unit_key(this)) is hinted


def test_a_hint_names_only_a_report_nobody_took(tmp_path: Path) -> None:
    """A last year's report already paired (its own unit this year too), or two near ones: no hint."""
    from auditor.compare.pairing import renamings

    def report(unit: str, year: int) -> dict[str, Any]:
        return {"metadata": {"unit": unit, "year": year}, "checklist": {"id": "fazhi"}}

    last = [report("河西县司法局", 2022), report("河西县司法行政局", 2022)]
    this = [report("河西县司法行政局", 2023)]
    pairs, ambiguous = pair(this, last)
    assert len(pairs) == 1 and renamings(this, last, pairs, ambiguous) == []
    this = [report("河西县司法服务局", 2023)]  # near both: which one is unknown
    pairs, ambiguous = pair(this, last)
    assert renamings(this, last, pairs, ambiguous) == []
    last = [report("河西县司法局", 2022), report("河西县司法局", 2021)]
    assert [(r.this, r.last) for r in renamings(this, last, *pair(this, last))] == [(0, 0)]


def test_no_compare_leaves_the_reports_alone() -> None:
    _, reports, _ = _check(str(YOY / "zhangzhu-2023.txt"), str(YOY / "zhangzhu-2024-lazy.txt"), "--no-compare")
    assert not any("comparison" in r for r in reports)


@pytest.mark.parametrize(
    ("fmt", "needle"), [("text", "与上年度对比"), ("markdown", "与上年度对比"), ("html", "<h2>与上年度对比</h2>")]
)
def test_human_outputs_show_the_block(tmp_path: Path, fmt: str, needle: str) -> None:
    target = tmp_path / "out"
    _, _, err = run_cli(
        ["check", str(YOY / "zhangzhu-2023.txt"), str(YOY / "zhangzhu-2024-lazy.txt"), "-f", fmt, "-o", str(target)]
    )
    text = "".join(p.read_text(encoding="utf-8") for p in ([target] if target.is_file() else target.rglob("*.*")))
    assert text.count(needle) == 1, err
    block = text[text.index(needle) :]
    assert "已落实" in block and "疑似照抄上年度报告" in block
    assert re.search(r"得分：\d+\.\d → \d+\.\d（[+-]\d+\.\d）", block)


def test_jsonl_streams_the_comparison_with_previous(tmp_path: Path) -> None:
    previous = tmp_path / "prev"
    previous.mkdir()
    shutil.copy(YOY / "zhangzhu-2023.txt", previous)
    _, out, _ = run_cli(["check", str(YOY / "zhangzhu-2024-lazy.txt"), "-f", "jsonl", "--previous", str(previous)])
    line = json.loads(out.splitlines()[0])["report"]
    assert line["comparison"]["copied"]["flagged"] is True


def test_previous_must_be_a_folder(tmp_path: Path) -> None:
    code, out, err = run_cli(["check", str(YOY / "zhangzhu-2023.txt"), "--previous", str(tmp_path / "none")])
    assert code == 2 and out == "" and "--previous" in err and "（提示：" in err and "Traceback" not in err


def test_an_unreadable_previous_report_costs_only_itself(tmp_path: Path) -> None:
    previous = tmp_path / "prev"
    previous.mkdir()
    (previous / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    shutil.copy(YOY / "zhangzhu-2022.txt", previous)
    _, reports, _ = _check(str(YOY / "zhangzhu-2023.txt"), "--previous", str(previous))
    assert reports[0]["comparison"]["last"]["year"] == 2022


UNITS = st.sampled_from(["张渚镇人民政府", "张渚镇", "周铁镇人民政府", "安澜县人民政府办公室", "安澜县人民政府", None])


def _entry(unit: str | None, year: int | None, checklist: str, stated: bool) -> dict[str, Any]:
    return {
        "source": f"{unit}-{year}",
        "checklist": {"id": checklist},
        "metadata": {"unit": unit, "year": year},
        "metadata_sources": {"unit": {"stated": stated}, "year": {"stated": True}},
    }


ENTRIES = st.lists(
    st.builds(
        _entry, UNITS, st.one_of(st.none(), st.integers(2019, 2024)), st.sampled_from(["fazhi", "xxgk"]), st.booleans()
    ),
    max_size=12,
)


@given(ENTRIES, ENTRIES)
def test_pairs_are_one_unit_one_checklist_consecutive_years(
    this: list[dict[str, Any]], candidates: list[dict[str, Any]]
) -> None:
    pairs, ambiguous = pair(this, candidates)
    assert len({p.this for p in pairs} | {a.this for a in ambiguous}) == len(pairs) + len(ambiguous)
    for p in pairs:
        a, b = candidates[p.last], this[p.this]
        assert a["checklist"] == b["checklist"] and a["metadata"]["year"] == b["metadata"]["year"] - 1
        same = unit_key(a["metadata"]["unit"]) == unit_key(b["metadata"]["unit"])
        assert same or "name.unit" in p.inferred
        assert ("this.unit" in p.inferred) == (not b["metadata_sources"]["unit"]["stated"])
    for a in ambiguous:
        assert len(a.last) > 1


def test_pairs_compared_in_worker_processes_equal_the_serial_run() -> None:
    """Every pair of fixtures/yoy (more than one, so that ``--jobs 2`` compares them in workers)."""
    files = sorted(str(p) for p in YOY.glob("*.txt"))
    code, out, err = run_cli(["check", "--format", "json", "-j", "2", *files])
    assert code in (0, 1), err
    _, serial, serial_err = _check(*files)
    assert json.loads(out)["reports"] == serial and err == serial_err
    assert sum("comparison" in r for r in serial) >= 3


@given(ENTRIES)
def test_a_batch_paired_with_itself_keys_each_report_once_and_pairs_as_with_copies(
    entries: list[dict[str, Any]],
) -> None:
    """``pair`` keys a report that is also a candidate once (by identity): the same pairs as with copies."""
    assert pair(entries, entries) == pair(entries, [dict(e) for e in entries])
