"""A report paired with last year's is made again with its comparison where it is compared (in the
batch's worker processes): its text for the text format, its indented bytes for ``--format json``.
The parent only puts the result in place; what it puts there is what it would have made itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.commands.check import _indented, _rendered, _with_block
from auditor.commands.yoy import _compared, _Pair
from auditor.pipeline import Options, audit_source, load_for
from auditor.report.encode import comparison_view, encode
from auditor.report.text import batch_end, report_text, tally
from auditor.result import Batch, ToolInfo, dumps, report_from_json
from tests.helpers import run_patched

REPO = Path(__file__).resolve().parents[2]
YOY = sorted((REPO / "fixtures" / "yoy").glob("*.txt"))


def _text_of_json(document: dict[str, Any]) -> str:
    """The text format of a run, rendered from its JSON document."""
    reports = [report_from_json(r) for r in document["reports"]]
    tool = ToolInfo(document["tool"]["name"], document["tool"]["version"])
    end = batch_end(Batch(tool, (), ()), [tally(r) for r in reports])
    return "".join(report_text(r) for r in reports) + end


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_text_of_paired_reports_equals_the_text_of_the_json(tmp_path: Path, jobs: str) -> None:
    """The text path (paired reports rendered where compared) against the JSON path (each report's JSON
    with its comparison), on the fixtures' pairs."""
    args = ["check", *map(str, YOY), "--jobs", jobs]
    as_json = run_patched("", *args, "--format", "json", "-o", "out.json", cwd=tmp_path)
    as_text = run_patched("", *args, "--format", "text", "-o", "out.txt", cwd=tmp_path)
    assert as_json.returncode == as_text.returncode and as_json.returncode in (0, 1), as_text.stderr
    assert as_json.stderr == as_text.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sum("comparison" in r for r in document["reports"]) >= 3
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert text.count("与上年度对比") == sum("comparison" in r for r in document["reports"])
    assert text == _text_of_json(document)


def test_a_run_with_previous_gives_the_text_of_its_json(tmp_path: Path) -> None:
    """``--previous``: this year's reports compared from their views with last year's full JSON; the
    text equals the text rendered from the JSON output of the same run."""
    previous = tmp_path / "prev"
    previous.mkdir()
    for name in ("zhangzhu-2023.txt", "anlan-2022.txt", "zhoutie-2020.txt"):
        (previous / name).write_bytes((REPO / "fixtures" / "yoy" / name).read_bytes())
    names = ("zhangzhu-2024-lazy.txt", "anlan-2023.txt", "zhoutie-2021.txt")
    this = [str(REPO / "fixtures" / "yoy" / n) for n in names]
    args = ["check", *this, "--previous", str(previous), "--jobs", "2"]
    as_json = run_patched("", *args, "--format", "json", "-o", "out.json", cwd=tmp_path)
    as_text = run_patched("", *args, "-o", "out.txt", cwd=tmp_path)
    assert as_json.returncode == as_text.returncode and as_json.returncode in (0, 1), as_text.stderr
    assert as_json.stderr == as_text.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [r["comparison"]["pairing"]["from"] for r in document["reports"]] == ["previous"] * 3
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == _text_of_json(document)
    # last year's reports kept as their views compare as in a batch, where the JSON path has their whole JSON
    batch = run_patched("", "check", *this, *map(str, previous.iterdir()), "--format", "json", cwd=tmp_path)
    paired = {r["source"]: r["comparison"] for r in json.loads(batch.stdout)["reports"] if "comparison" in r}
    for report in document["reports"]:
        alike = [
            dict(c, last=dict(c["last"], source=""), pairing=None)
            for c in (report["comparison"], paired[report["source"]])
        ]
        assert alike[0] == alike[1]


def _pairs() -> list[tuple[str, str]]:
    """(this year, last year) of the fixtures' pairs."""
    names = [
        ("zhangzhu-2024-lazy.txt", "zhangzhu-2023.txt"),
        ("zhangzhu-2024-mixed.txt", "zhangzhu-2023.txt"),
        ("zhangzhu-2023.txt", "zhangzhu-2022.txt"),
        ("anlan-2023.txt", "anlan-2022.txt"),
        ("zhoutie-2021.txt", "zhoutie-2020.txt"),
    ]
    return [(str(REPO / "fixtures" / "yoy" / a), str(REPO / "fixtures" / "yoy" / b)) for a, b in names]


def test_a_comparison_of_the_views_is_the_comparison_of_the_reports() -> None:
    """``compare_pair`` reads of a report only what its ``comparison_view`` holds: the comparison of two
    views (the batch's pairs), or of a view and last year's whole JSON (``--previous``), is the one of the
    two reports' JSON."""
    options = Options()
    checklists = load_for(options)
    for this, last in _pairs():
        reports = {p: audit_source(p, options, checklists) for p in (this, last)}
        compact = {p: dumps(r) for p, r in reports.items()}
        views = {p: comparison_view(r) for p, r in reports.items()}
        assert all(len(views[p]) * 4 < len(compact[p]) for p in reports)  # what the parent no longer holds
        whole = _compared(_Pair(compact[this], this, compact[last], last, "batch", ("this.year",)), options, checklists)
        assert not isinstance(whole, str)
        assert whole[0]["rules"] and whole[0]["categories"]
        for sent_last in (views[last], orjson.loads(compact[last])):
            made = _compared(_Pair(views[this], this, sent_last, last, "batch", ("this.year",)), options, checklists)
            assert made == whole


def test_a_view_holds_what_the_json_holds() -> None:
    """Each field of a report's view is the one of its JSON (all the reports of the fixtures' pairs, and one
    that could not be audited)."""
    options = Options()
    checklists = load_for(options)
    sources = [*sorted({p for pair in _pairs() for p in pair}), str(REPO / "fixtures" / "yoy" / "pairs.yaml")]
    for source in sources:
        report = audit_source(source, options, checklists)
        data = orjson.loads(dumps(report))
        view = orjson.loads(comparison_view(report))
        for key, value in view.items():
            if key in ("categories", "findings"):
                assert [{k: item[k] for k in view[key][0]} for item in data[key]] == value
            elif isinstance(value, dict):
                assert {k: data[key][k] for k in value} == value
            else:
                assert data[key] == value
        assert ("error" in view) == ("error" in data) and ("findings" in view) == bool(data.get("findings"))


@pytest.mark.parametrize(("color", "width"), [(False, None), (True, 100), (True, 60)])
def test_the_text_with_its_block_put_in_is_the_text_of_the_paired_report(color: bool, width: int | None) -> None:
    """The worker's text of a report, cut where the 与上年度对比 block goes, with the block of its
    comparison put in, is the text of the report with that comparison (plain, coloured, narrow)."""
    options = Options()
    checklists = load_for(options)
    for this, last in _pairs():
        reports = {p: audit_source(p, options, checklists) for p in (this, last)}
        views = {p: comparison_view(r) for p, r in reports.items()}
        made = _compared(_Pair(views[this], this, views[last], last, "batch", ()), options, checklists)
        assert not isinstance(made, str)
        view, text, cut, report_tally = _rendered(reports[this], color=color, width=width)
        assert view == views[this] and report_tally == tally(reports[this])
        paired = replace(reports[this], comparison=made[0])
        expected = report_text(paired, color=color, width=width).encode("utf-8")
        assert _with_block(text, cut, made[0], color=color, width=width) == expected
        assert text == report_text(reports[this], color=color, width=width).encode("utf-8")
        assert "与上年度对比".encode() in expected[cut:] and "与上年度对比".encode() not in text


def test_what_a_comparison_makes_for_json_is_what_the_parent_would_make() -> None:
    """Given the indented bytes of both reports, the comparing worker's indented bytes of the report with
    its comparison equal the report's JSON decoded, given that comparison and encoded."""
    options = Options()
    checklists = load_for(options)
    this, last = (str(REPO / "fixtures" / "yoy" / n) for n in ("zhangzhu-2024-lazy.txt", "zhangzhu-2023.txt"))
    indented = {p: encode(audit_source(p, options, checklists), True)[1] for p in (this, last)}
    made = _compared(_Pair(indented[this], this, indented[last], last, "batch", (), _indented), options, checklists)
    assert not isinstance(made, str)
    comparison, result = made
    assert comparison["pairing"]["from"] == "batch"
    assert result == encode(report_from_json({**orjson.loads(indented[this]), "comparison": comparison}), True)[1]


def test_paired_reports_are_read_when_compared_not_when_planned() -> None:
    """``comparisons`` plans every pair first; each paired report's JSON is read only when its comparison is
    sent to a worker (a pickled task carries the bytes) or made here, so a batch of many pairs never holds
    them all at once. The comparisons are those of the reports given whole."""
    import pickle

    from auditor.commands.yoy import _Deferred, comparisons

    options = Options()
    checklists = load_for(options)
    files = [p for pair in _pairs()[3:] for p in pair]  # anlan 2023 / 2022, zhoutie 2021 / 2020
    encoded = [encode(audit_source(p, options, checklists), False) for p in files]
    views = [b.pairing for b, _ in encoded]
    paths = {str(v["source"]): p for v, p in zip(views, files, strict=True)}
    reads: list[int] = []

    def full(i: int) -> bytes:
        reads.append(i)
        return encoded[i][1]

    found = comparisons(views, full, paths, None, options, checklists)
    assert reads == []
    made = list(found)
    assert sorted(reads) == [0, 1, 2, 3] and [i for i, _, _ in made] == [0, 2]
    whole = comparisons(views, lambda i: orjson.loads(encoded[i][1]), paths, None, options, checklists)
    assert made == list(whole)
    assert pickle.loads(pickle.dumps(_Deferred(lambda: encoded[0][1]))) == encoded[0][1]


def _length(item: Any, options: Options, checklists: Any) -> int:
    return len(item)


def test_a_deferred_read_that_fails_as_the_pool_sends_it_stops_the_run_with_its_error() -> None:
    """The output's own file failing while a comparison task is sent (its report read back as the pool
    pickles it): the map raises that error (the run stops with it, as it did when the reports were read
    while planning), no worker waits for the task and nothing hangs."""
    from auditor.commands.yoy import _Deferred
    from auditor.errors import AuditorError
    from auditor.pipeline import Workers

    def failing() -> bytes:
        raise AuditorError("无法读取输出文件")

    options = Options()
    items = [_Deferred(lambda: b"abc"), _Deferred(failing), _Deferred(lambda: b"de")]
    with Workers(2, options, load_for(options)) as workers, pytest.raises(AuditorError, match="无法读取输出文件"):
        list(workers.map(_length, items, lambda item: -1))
