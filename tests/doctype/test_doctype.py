"""Report type recognition, unrecognised documents, level rules as data, mixed folders (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checklist import Checklist
from auditor.doctype import choose, level_by_rules, with_level_rules
from auditor.document import understand
from auditor.document.provenance import NONE, FieldSource
from auditor.pipeline import Options, audit_source, load_for
from auditor.result import ErrorReport
from tests.helpers import ROOT, SEED_FILES, run_cli

FIELD = ROOT / "fixtures" / "field"
GIA = sorted((ROOT / "fixtures" / "gov-info-disclosure").glob("*.txt"))
UNSEEN = sorted((ROOT / "fixtures" / "unseen").glob("*.txt"))
EXPECTED_TYPE = {"fazhi": "fazhi", "xxgk": "gov-info-disclosure"}


@cache
def bundled() -> tuple[Checklist, ...]:
    return tuple(load_for(Options()))


def _by_id(cid: str) -> Checklist:
    return next(c for c in bundled() if c.id == cid)


def _typed_corpus() -> list[tuple[Path, str]]:
    """Every real report of the repository with the type a person filed it under."""
    out = [(p, "fazhi") for p in [*SEED_FILES, *UNSEEN]]
    out += [(p, "gov-info-disclosure") for p in GIA]
    out += [(p, EXPECTED_TYPE[p.stem.split("_")[0]]) for p in sorted(FIELD.glob("*.txt"))]
    return out


@pytest.mark.parametrize("path,kind", _typed_corpus(), ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_every_real_report_gets_its_checklist_with_a_reason(path: Path, kind: str) -> None:
    doc = understand(path.read_text(encoding="utf-8"))
    choice = choose(bundled(), doc)
    assert choice.checklist is not None and choice.checklist.id == kind, choice.reason
    assert choice.checklist.header.title in choice.reason


@pytest.mark.parametrize("path,kind", _typed_corpus()[::3], ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_checklist_without_the_title_from_headings_and_body(path: Path, kind: str) -> None:
    text = path.read_text(encoding="utf-8")
    title = understand(text).metadata.title
    assert title
    untitled = "\n".join(line for line in text.splitlines() if title not in line and line.strip() not in title)
    choice = choose(bundled(), understand(untitled))
    assert choice.checklist is not None and choice.checklist.id == kind, choice.reason


def _sentences(path: Path) -> list[str]:
    return [s + "。" for s in path.read_text(encoding="utf-8").split("。") if len(s.strip()) > 15]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SEED_FILES), st.integers(0, 40), st.integers(30, 200))
def test_a_page_of_one_repeated_sentence_is_not_a_report(path: Path, k: int, times: int) -> None:
    sentences = _sentences(path)
    text = sentences[k % len(sentences)] * times
    report = audit_source("-", Options(stdin=text.encode("utf-8")), bundled())
    assert isinstance(report, ErrorReport) and report.error_code == "unrecognized"
    assert report.score is None and report.findings == ()
    for c in bundled():
        assert c.header.title in report.error


def test_unrecognized_exits_2_with_one_line_and_checklist_forces_one(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("法治政府建设 " * 400, encoding="utf-8")
    code, out, err = run_cli(["check", str(page), "--format", "json", "--no-progress", "--no-config"])
    assert code == 2
    entry = json.loads(out)["reports"][0]
    assert entry["error_code"] == "unrecognized" and entry["checklist_reason"]
    assert "Traceback" not in err and len([ln for ln in err.splitlines() if ln]) == 1 and "--checklist" in err
    code, out, _ = run_cli(
        ["check", str(page), "--format", "json", "--no-progress", "--no-config", "--checklist", "fazhi"]
    )
    forced = json.loads(out)["reports"][0]
    assert "error" not in forced and forced["checklist"]["id"] == "fazhi" and forced["score"] is not None


# ------------------------------------------------------------------ level rules (data in the checklist)


@pytest.mark.parametrize("cid", ["fazhi", "gov-info-disclosure"])
@pytest.mark.parametrize(
    "name,level,sure",
    [
        ("平潭综合实验区金井片区管理局", "township", False),
        ("某市高新区功能区管理局", "township", False),
        ("南京经济技术开发区管委会", "county", False),
        ("苏州高新区管理委员会", "county", False),
        ("朝阳区某某街道办事处", "township", True),
        ("安澜经济技术开发区", "county", False),  # a zone named without 管委会 is not a county for sure either
        ("青石镇党政办公室", "township", False),
        # a sign-off by a government's office may stand for the government (its report, signed by its office)
        ("江苏省人民政府办公厅", "department", False),
        ("洪泽区人民政府办公室", "department", False),
    ],
)
def test_level_rules_of_the_checklist_file(cid: str, name: str, level: str, sure: bool) -> None:
    found = level_by_rules(_by_id(cid).header.levels, None, NONE, name, FieldSource("signoff", True, name))
    assert found is not None
    assert found[0] == level and found[1].stated is sure


@pytest.mark.parametrize("cid", ["fazhi", "gov-info-disclosure"])
@pytest.mark.parametrize("name", ["江苏省人民政府办公厅", "洪泽区人民政府办公室"])
def test_an_office_named_as_the_titles_issuer_is_a_department_for_sure(cid: str, name: str) -> None:
    found = level_by_rules(_by_id(cid).header.levels, name, FieldSource("title", True, name), name, NONE)
    assert found is not None and found[0] == "department" and found[1].stated


def test_the_titles_issuer_wins_over_a_signoff_by_its_office() -> None:
    rules = _by_id("gov-info-disclosure").header.levels
    title, signoff = FieldSource("title", True, ""), FieldSource("signoff", True, "")
    found = level_by_rules(rules, "洪泽区人民政府", title, "洪泽区人民政府办公室", signoff)
    assert found is None  # the built-in reading of 洪泽区人民政府 (county) stands


def test_a_pianqu_bureau_report_is_township_and_level_verdicts_are_only_reviews() -> None:
    text = (ROOT / "fixtures" / "seeds" / "001_b234a11555c8550c.txt").read_text(encoding="utf-8")
    text = text.replace("民权县双塔镇人民政府", "平潭综合实验区金井片区管理局").replace(
        "双塔镇人民政府", "平潭综合实验区金井片区管理局"
    )
    doc = understand(text)
    checklist = _by_id("fazhi")
    doc = with_level_rules(doc, checklist)
    assert doc.metadata.unit == "平潭综合实验区金井片区管理局"
    assert doc.metadata.level == "township" and not doc.metadata.source("level").stated


# ------------------------------------------------------------------ a folder mixing report types


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for p in [*SEED_FILES[:3], *GIA[:2], FIELD / "xxgk_pingtan_2019.txt"]:
        shutil.copy(p, folder / p.name)
    return folder


def _check(folder: Path, *formats: str, out: Path) -> None:
    args = ["check", str(folder), "--no-progress", "--no-config", "--output", str(out)]
    for f in formats:
        args += ["--format", f]
    code, _, err = run_cli(args)
    assert code in (0, 1), err


def test_mixed_folder_json_names_each_reports_checklist(mixed: Path) -> None:
    _, out, _ = run_cli(["check", str(mixed), "--format", "json", "--no-progress", "--no-config"])
    reports: list[dict[str, Any]] = json.loads(out)["reports"]
    ids = {Path(r["source"]).name: r["checklist"]["id"] for r in reports}
    assert {ids[p.name] for p in SEED_FILES[:3]} == {"fazhi"}
    assert {ids[p.name] for p in GIA[:2]} == {ids["xxgk_pingtan_2019.txt"]} == {"gov-info-disclosure"}


def test_mixed_folder_aggregates_per_checklist(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _check(mixed, "html", "csv", "markdown", "xlsx", "text", out=out)
    titles = [c.header.title for c in bundled()]
    index = next(out.rglob("index.html")).read_text(encoding="utf-8")
    for t in titles:
        assert f"{t}：得分排名" in index and f"{t}：各项要求通过率" in index
    assert index.count('<table class="sortable ranking">') == 2
    md = next(out.rglob("*.md")).read_text(encoding="utf-8")
    for t in titles:
        assert f"## {t}（3 份）" in md
    rows = list(csv.DictReader(io.StringIO(next(out.rglob("*.csv")).read_text(encoding="utf-8-sig"))))
    kinds = [r["核查清单"] for r in rows]
    assert sorted(set(kinds)) == sorted(titles) and kinds == sorted(kinds, key=kinds.index)  # grouped
    from openpyxl import load_workbook

    book = load_workbook(next(out.rglob("*.xlsx")))
    assert sorted(n for n in book.sheetnames if n.startswith("规则通过率")) == sorted(
        f"规则通过率-{c.id}" for c in bundled()
    )
    text = next(p for p in out.rglob("*.txt")).read_text(encoding="utf-8")
    for t in titles:
        assert f"{t}：3 份，平均分" in text


_SIGNAL_PIECES = st.sampled_from(
    ["普法", "法治", "政府", "公开", "a", ".", "|", "(", ")", "*", "-", " ", "\n", "?", "^", "$"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_SIGNAL_PIECES, max_size=4).map("".join), st.lists(_SIGNAL_PIECES, max_size=20).map("".join))
def test_a_signal_is_found_as_its_regex_finds_it(pattern: str, text: str) -> None:
    """A literal signal is looked for by str's search (round 11): what it finds is what re finds."""
    import re

    from auditor.doctype import _first

    try:
        found = re.search(pattern, text)
    except re.error:
        return
    assert _first([pattern], text) == (found.group(0) if found else None)
