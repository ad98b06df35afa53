"""``encode.json_pieces``: the ``--format json`` document of an encoded batch written piece by piece
equals the document orjson writes with every report's bytes spliced in (the oracle), for any
reports and skipped files."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.report.encode import EncodedBatch, json_document, json_pieces
from auditor.result import Skipped, ToolInfo

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _indented(value: Any) -> bytes:
    """A value's bytes indented as inside the "reports" list (as the workers encode a report)."""
    nested = orjson.dumps([[value]], option=orjson.OPT_INDENT_2)
    return nested[len(b"[\n  [\n    ") : -len(b"\n  ]\n]")]


def _oracle(batch: EncodedBatch, bodies: list[bytes]) -> bytes:
    document = {
        "tool": batch.tool.to_json(),
        "reports": [orjson.Fragment(body) for body in bodies],
        "skipped": [s.to_json() for s in batch.skipped],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(JSON, max_size=5),
    st.lists(st.tuples(st.text(), st.text()), max_size=3),
    st.text(min_size=1, max_size=8),
)
def test_pieces_equal_the_spliced_document(values: list[Any], skipped: list[tuple[str, str]], version: str) -> None:
    bodies = [_indented(v) for v in values]
    batch = EncodedBatch(ToolInfo("auditor", version), iter(bodies), [Skipped(s, r) for s, r in skipped], [])
    written = b"".join(json_pieces(batch))
    assert written == _oracle(batch, bodies)
    assert orjson.loads(written)["reports"] == values


def test_the_reports_are_read_once_as_they_are_written() -> None:
    """The reports may be a generator still finishing the last ones: read once, in order, lazily."""
    read: list[int] = []

    def bodies() -> Any:
        for i in range(3):
            read.append(i)
            yield _indented({"n": i})

    batch = EncodedBatch(ToolInfo("auditor", "1"), bodies(), [], [])
    pieces = json_pieces(batch)
    head = next(pieces)  # only the first report looked at
    assert read == [0]
    rest = list(pieces)
    assert read == [0, 1, 2]
    assert [r["n"] for r in orjson.loads(head + b"".join(rest))["reports"]] == [0, 1, 2]


def test_json_document_of_an_encoded_batch_is_its_pieces() -> None:
    bodies = [_indented({"a": 1}), _indented([1, 2])]
    batch = EncodedBatch(ToolInfo("auditor", "1"), bodies, [Skipped("x.png", "图片")], [])
    assert json_document(batch) == b"".join(json_pieces(batch)) == _oracle(batch, bodies)


@cache
def _audit(name: str) -> Any:
    """A fixture report audited (once per test session)."""
    from auditor.pipeline import Options, audit_source, load_for

    options = Options()
    path = Path(__file__).resolve().parents[2] / "fixtures" / "yoy" / name
    return audit_source(str(path), options, load_for(options))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["zhangzhu-2024-lazy.txt", "anlan-2023.txt"]),
    st.dictionaries(st.text(max_size=8), JSON, max_size=6),
)
def test_a_comparison_put_into_a_reports_bytes_is_the_report_encoded_with_it(name: str, comparison: Any) -> None:
    """``with_comparison`` of a report's indented bytes (any comparison: nested, empty, strings with quotes,
    newlines and other scripts) equals the report given that comparison and encoded; bytes that already
    hold a comparison, or are no indented report, are refused."""
    from dataclasses import replace

    import pytest

    from auditor.report.encode import encode, with_comparison

    report = _audit(name)
    indented = encode(report, True)[1]
    spliced = with_comparison(indented, comparison)
    assert spliced == encode(replace(report, comparison=comparison), True)[1]
    assert orjson.loads(spliced) == {**orjson.loads(indented), "comparison": comparison}
    with pytest.raises(ValueError):
        with_comparison(spliced, comparison)
    with pytest.raises(ValueError):
        with_comparison(orjson.dumps(orjson.loads(indented)), comparison)
