"""A report paired with last year's is made again with its comparison where it is compared (in the
batch's worker processes): its text for the text format, its indented bytes for ``--format json``.
The parent only puts the result in place; what it puts there is what it would have made itself."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.commands.check import _indented, _text_of
from auditor.commands.yoy import _compared, _Pair
from auditor.pipeline import Options, audit_source, load_for
from auditor.report.encode import encode
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


@pytest.mark.parametrize("color", [False, True])
def test_what_a_comparison_makes_is_what_the_parent_would_make(color: bool) -> None:
    """Given the JSON bytes of both reports, the comparing worker's text and indented bytes of the report
    with its comparison equal the report's JSON decoded, given that comparison and rendered or encoded."""
    options = Options()
    checklists = load_for(options)
    this, last = (str(REPO / "fixtures" / "yoy" / n) for n in ("zhangzhu-2024-lazy.txt", "zhangzhu-2023.txt"))
    compact = {p: dumps(audit_source(p, options, checklists)) for p in (this, last)}
    indented = {p: encode(audit_source(p, options, checklists), True)[1] for p in (this, last)}
    render = functools.partial(_text_of, color=color, width=100 if color else None)
    for sent, then in ((compact, render), (indented, _indented)):
        made = _compared(_Pair(sent[this], this, sent[last], last, "batch", (), then), options, checklists)
        assert not isinstance(made, str)
        comparison, result = made
        assert comparison["pairing"]["from"] == "batch"
        expected = report_from_json({**orjson.loads(sent[this]), "comparison": comparison})
        assert result == then(expected)
    assert "与上年度对比" in render(expected)[0]
