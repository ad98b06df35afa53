"""json and jsonl: the result as the JSON contract, losslessly."""

from __future__ import annotations

import json
from typing import Any

from auditor.report import Format, render


def test_json_round_trips_with_key_order(result: dict[str, Any]) -> None:
    data = render(result, Format.json)
    assert isinstance(data, bytes)
    text = data.decode("utf-8")
    parsed = json.loads(text)
    assert parsed == result
    assert list(parsed) == list(result)
    assert list(parsed["reports"][0]) == list(result["reports"][0])
    assert "张渚镇人民政府" in text  # not \u-escaped
    assert text.startswith('{\n  "tool"')


def test_jsonl_one_report_per_line(result: dict[str, Any]) -> None:
    data = render(result, Format.jsonl)
    assert isinstance(data, bytes)
    lines = data.decode("utf-8").splitlines()  # also splits on U+2028 if left raw
    assert len(lines) == len(result["reports"]) + len(result["skipped"])
    records = [json.loads(line) for line in lines]
    for record, report in zip(records, result["reports"], strict=False):
        assert record == {"tool": result["tool"], "report": report}
    assert records[-1] == {"tool": result["tool"], "skipped": result["skipped"][0]}


def test_jsonl_handles_line_separator_characters(result: dict[str, Any]) -> None:
    assert any("\u2028" in f["message"] for r in result["reports"] for f in r["findings"])
    data = render(result, Format.jsonl)
    assert isinstance(data, bytes)
    assert "\u2028" not in data.decode("utf-8")
