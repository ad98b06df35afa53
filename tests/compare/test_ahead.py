"""Comparisons made ahead (auditor.compare.ahead): a pair whose two reports one chunk held is compared where
both were audited, and a run's outputs are then the bytes they are when every pair is read again and
compared (``compare_ahead`` off); the run uses such a comparison only where its own pairing of the whole
batch agrees, and a comparison that fails there fails as it would have."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from auditor import pipeline
from auditor.commands import yoy
from auditor.compare import ahead
from auditor.report.encode import Ahead
from tests.helpers import run_cli

from .conftest import YOY


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no auditor.toml of the repository is picked up


def _batch(folder: Path, names: list[str]) -> Path:
    """The named fixtures/yoy reports copied into ``folder`` (a batch of two years)."""
    folder.mkdir()
    for name in names:
        shutil.copy(YOY / name, folder / name)
    return folder


BATCH = ["anlan-2022.txt", "anlan-2023.txt", "zhangzhu-2023.txt", "zhangzhu-2024-lazy.txt", "zhoutie-2020.txt"]


def _run(folder: Path, fmt: str, out: Path, *extra: str) -> tuple[int, bytes, str]:
    code, _, err = run_cli(["check", str(folder), "--format", fmt, "-o", str(out), "-j", "1", *extra])
    return code, out.read_bytes(), err


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pairs compared again the usual way (read again), by this year's path."""
    seen: list[str] = []
    real = yoy._compared

    def counted(pair: Any, options: Any, checklists: Any) -> Any:
        seen.append(Path(pair.this_path).name)
        return real(pair, options, checklists)

    monkeypatch.setattr(yoy, "_compared", counted)
    return seen


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_pairs_in_one_chunk_are_compared_there_to_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    folder = _batch(tmp_path / "batch", BATCH)
    seen = _counted(monkeypatch)
    code, made_ahead, err = _run(folder, fmt, tmp_path / f"ahead.{fmt}")
    assert seen == []  # both pairs were compared where they were audited
    assert "年度对比" not in err

    monkeypatch.setattr(ahead, "compared_ahead", lambda *args, **kwargs: {})
    again_code, read_again, again_err = _run(folder, fmt, tmp_path / f"again.{fmt}")
    assert sorted(seen) == ["anlan-2023.txt", "zhangzhu-2024-lazy.txt"]  # now read again and compared
    assert (again_code, again_err) == (code, err)
    assert made_ahead == read_again
    assert (b'"comparison"' if fmt == "json" else "与上年度对比".encode()) in made_ahead


def test_a_pair_the_whole_batch_finds_ambiguous_is_not_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk holds zhangzhu 2023 and 2024 and compares them; a second 2023 report of 张渚镇 in the chunk
    before makes last year ambiguous for the whole batch: the comparison made ahead is not used, and the run
    warns as it does without it."""
    folder = _batch(tmp_path / "batch", ["zhangzhu-2023.txt", "zhangzhu-2024-lazy.txt"])
    shutil.copy(YOY / "zhangzhu-2023.txt", folder / "a-another-2023.txt")
    for k in range(pipeline.CHUNK - 1):  # the first chunk: the other 2023 report and these
        shutil.copy(YOY / "zhoutie-2021.txt", folder / f"b{k}-filler.txt")
    made: list[dict[int, Ahead]] = []
    real = ahead.compared_ahead

    def recorded(*args: Any, **kwargs: Any) -> dict[int, Ahead]:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ahead, "compared_ahead", recorded)
    seen = _counted(monkeypatch)
    _, out, err = _run(folder, "json", tmp_path / "r.json")
    assert [sorted(m) for m in made] == [[], [1]]  # the second chunk compared its pair
    reports = {Path(r["source"]).name: r for r in json.loads(out)["reports"]}
    assert "comparison" not in reports["zhangzhu-2024-lazy.txt"]
    assert "上年度报告有多份" in err and seen == []
    monkeypatch.setattr(ahead, "compared_ahead", lambda *args, **kwargs: {})
    assert _run(folder, "json", tmp_path / "again.json")[1:] == (out, err)


def test_a_comparison_that_fails_ahead_fails_as_it_would_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _batch(tmp_path / "batch", BATCH)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(ahead, "compare_pair", broken)
    code, out, err = _run(folder, "json", tmp_path / "r.json")
    assert code in (0, 1)
    warnings = [line for line in err.splitlines() if "未能与上年度报告对比" in line]
    assert len(warnings) == 2 and all("内部错误 ZeroDivisionError" in line for line in warnings)
    assert b'"comparison"' not in out and out.count(b'"source"') >= len(BATCH)  # every report is written


def test_compared_ahead_pairs_a_chunk_as_the_batch_pairs_it() -> None:
    options = pipeline.Options()
    checklists = pipeline.load_for(options)
    names = ["zhangzhu-2023.txt", "zhoutie-2020.txt", "zhangzhu-2024-lazy.txt", "zhoutie-2021.txt"]
    chunk = pipeline.audit_chunk([str(YOY / n) for n in names], options, checklists, ahead=True)
    assert sorted(chunk.ahead) == [2, 3]
    made = chunk.ahead[2]
    assert isinstance(made, Ahead) and made.last.endswith("zhangzhu-2023.txt") and isinstance(made.outcome, dict)
    assert made.outcome["pairing"]["from"] == "batch"
    assert pipeline.audit_chunk([str(YOY / n) for n in names], options, checklists, ahead=False).ahead == {}


def test_a_bug_in_pairing_a_chunk_leaves_its_pairs_to_the_usual_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _batch(tmp_path / "batch", BATCH)
    code, expected, err = _run(folder, "json", tmp_path / "expected.json")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("bug")

    monkeypatch.setattr(ahead, "pair", broken)
    seen = _counted(monkeypatch)
    assert _run(folder, "json", tmp_path / "r.json") == (code, expected, err)
    assert sorted(seen) == ["anlan-2023.txt", "zhangzhu-2024-lazy.txt"]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".json", ".csv")}


@pytest.mark.parametrize("decided", [False, True])
def test_other_formats_use_them_unless_reviewers_decisions_change_the_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decided: bool
) -> None:
    """``--format json --format csv --output DIR`` (the reports typed in the main process): pairs compared ahead
    as well, the same bytes; with ``--decisions`` a comparison reads the reviewed reports, so the pairs are
    compared the usual way."""
    folder = _batch(tmp_path / "batch", BATCH)
    extra: list[str] = []
    if decided:
        decisions = tmp_path / "decisions.yaml"
        decisions.write_text(
            "decisions:\n  - rule: FR-02\n    unit: 张渚镇人民政府\n    year: 2024\n    decision: dismissed\n"
            "    comment: 已说明\n    reviewer: 王五\n",
            encoding="utf-8",
        )
        extra = ["--decisions", str(decisions)]
    seen = _counted(monkeypatch)

    def checked(out: Path) -> tuple[int, str]:
        code, _, err = run_cli(
            ["check", str(folder), "--format", "json", "--format", "csv", "--output", str(out), "-j", "1", *extra]
        )
        return code, err

    first = checked(tmp_path / "ahead")
    assert sorted(seen) == (["anlan-2023.txt", "zhangzhu-2024-lazy.txt"] if decided else [])
    monkeypatch.setattr(ahead, "compared_ahead", lambda *args, **kwargs: {})
    assert checked(tmp_path / "again") == first
    assert _outputs(tmp_path / "ahead") == _outputs(tmp_path / "again")
    assert b'"comparison"' in _outputs(tmp_path / "ahead")["report.json"]


@pytest.mark.parametrize(
    "this,last,alike",
    [
        ("张渚镇2023年法治政府建设报告.docx", "张渚镇2022年法治政府建设报告.docx", True),
        ("2023年张渚镇报告.pdf", "2022年张渚镇报告.pdf", True),
        ("二〇二三年度张渚镇.txt", "二〇二二年度张渚镇.txt", True),
        ("2023/张渚镇.docx", "2022/张渚镇.docx", True),
        ("zhangzhu-2024-lazy.txt", "zhangzhu-2023.txt", True),
        ("s00012-seed.txt", "s00015-deptcity.txt", False),
        ("张渚镇.docx", "和桥镇.docx", False),
    ],
)
def test_named_alike(this: str, last: str, alike: bool) -> None:
    assert ahead.named_alike(this, last) is alike


def test_a_pair_under_unrelated_names_is_compared_the_usual_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(YOY / "anlan-2022.txt", folder / "a-report.txt")
    shutil.copy(YOY / "anlan-2023.txt", folder / "b-filed.txt")
    seen = _counted(monkeypatch)
    _, out, _ = _run(folder, "json", tmp_path / "r.json")
    assert seen == ["b-filed.txt"]
    assert b'"comparison"' in out
