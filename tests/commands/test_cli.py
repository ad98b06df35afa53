"""The command line: exit codes, text extraction, rule schema, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.helpers import ROOT, RULES, SEED_FILES, run_cli

EXE = Path(sys.executable).parent / "auditor"
SEED = "fixtures/seeds/000_3b88b001ffea4908.txt"
SEEDS = [str(p.relative_to(ROOT)) for p in SEED_FILES]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def subprocess_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(EXE), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


@cache
def all_seeds_json() -> dict[str, Any]:
    code, out, err = run_cli(["check", *SEEDS, "--format", "json", "--jobs", "1"])
    assert code == 0, err
    return json.loads(out)


# ------------------------------------------------------------------ basics


def test_version() -> None:
    from auditor import __version__

    code, out, _ = run_cli(["--version"])
    assert code == 0
    assert out.strip() == f"auditor {__version__}"


def test_help_is_fast_and_lists_commands() -> None:
    started = time.monotonic()
    proc = subprocess_cli("--help")
    elapsed = time.monotonic() - started
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    for command in ("check", "text", "rules"):
        assert command in text
    assert elapsed < 1.5, f"auditor --help took {elapsed:.2f}s"  # a smoke bound, not a benchmark


def test_rules_help() -> None:
    code, out, _ = run_cli(["rules", "--help"])
    assert code == 0
    for command in ("list", "test", "schema", "docs"):
        assert command in out


# ------------------------------------------------------------------ exit codes


def test_clean_run_exits_0() -> None:
    code, out, err = run_cli(["check", SEED])
    assert code == 0
    assert err == ""
    assert "张渚镇" in out


def test_fail_under_exits_1() -> None:
    code, _, _ = run_cli(["check", SEED, "--fail-under", "99"])
    assert code == 1
    code, _, _ = run_cli(["check", SEED, "--fail-under", "10"])
    assert code == 0


def test_fail_on_gap_exits_1() -> None:
    code, _, _ = run_cli(["check", SEED, "--fail-on", "gap"])
    assert code == 1


def test_blocking_rule_gap_exits_1() -> None:
    pack = str((RULES / "blocking").relative_to(ROOT))
    code, out, _ = run_cli(["check", SEED, "--rules", pack, "--format", "json"])
    assert code == 1
    (report,) = json.loads(out)["reports"]
    statuses = {f["rule_id"]: (f["status"], f["blocking"]) for f in report["findings"]}
    assert statuses == {"K-01": ("gap", True), "K-02": ("met", False)}


def test_missing_file_exits_2_and_other_files_are_audited() -> None:
    code, out, err = run_cli(["check", SEED, "fixtures/seeds/no-such-report.txt", "--format", "json"])
    assert code == 2
    data = json.loads(out)
    ok, missing = data["reports"]
    assert ok["source"] == SEED and ok["score"] is not None and "error" not in ok
    assert missing["source"] == "fixtures/seeds/no-such-report.txt"
    assert "找不到文件" in missing["error"]
    assert missing["score"] is None and missing["findings"] == []
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("auditor: error: fixtures/seeds/no-such-report.txt: ")


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        (["--level", "village"], "未知的层级 village"),
        (["--published", "2024-13-01"], "--published 2024-13-01 不是日期"),
        (["--published", "yesterday"], "不是日期"),
        (["--year", "1900"], "--year 1900 超出范围"),
        (["--format", "docx"], "未知的输出格式 docx"),
        (["--rules", "fixtures/rules/invalid/unknown_type.yaml"], "未知的匹配类型 phrase"),
        (["--rules", "fixtures/rules/no-such-folder"], "no checklist or rule path"),
    ],
)
def test_user_errors_exit_2(option: list[str], needle: str) -> None:
    code, out, err = run_cli(["check", SEED, *option])
    assert code == 2
    assert out == ""
    assert err.startswith("auditor: error: ")
    assert needle in err
    assert "Traceback" not in err


def test_overrides_reach_the_metadata() -> None:
    code, out, _ = run_cli(
        ["check", SEED, "--format", "json", "--year", "2022", "--level", "county", "--published", "2023-03-01"]
    )
    assert code == 0
    meta = json.loads(out)["reports"][0]["metadata"]
    assert (meta["year"], meta["level"], meta["published"]) == (2022, "county", "2023-03-01")


def test_subprocess_gate_exit_code() -> None:
    """The real entry point: a full audit whose gate fails exits 1 and says which report
    failed which threshold, one line on stderr (stdout stays clean JSON)."""
    proc = subprocess_cli("check", SEED, "--fail-on", "gap", "--format", "json")
    assert proc.returncode == 1
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and SEED in lines[0] and "--fail-on gap" in lines[0]
    assert json.loads(proc.stdout)["reports"][0]["source"] == SEED


# ------------------------------------------------------------------ text and stdin


def test_text_prints_the_extracted_text() -> None:
    code, out, _ = run_cli(["text", SEED])
    assert code == 0
    raw = (ROOT / SEED).read_text(encoding="utf-8")
    assert out in (raw, raw + "\n")  # a final newline is added when missing


def test_text_reads_stdin() -> None:
    data = (ROOT / SEED_FILES[3]).read_bytes()
    code, out, _ = run_cli(["text", "-"], stdin=data)
    assert code == 0
    assert out.rstrip("\n") == data.decode("utf-8").rstrip("\n")


def test_text_of_a_missing_file_exits_2() -> None:
    code, out, err = run_cli(["text", "fixtures/seeds/no-such-report.txt"])
    assert code == 2
    assert out == ""
    assert err.startswith("auditor: error: ")


def test_text_error_names_the_file() -> None:
    _, _, err = run_cli(["text", "fixtures/seeds/no-such-report.txt"])
    assert "no-such-report.txt" in err


def test_check_reads_stdin() -> None:
    data = (ROOT / SEED_FILES[3]).read_bytes()
    code, out, _ = run_cli(["check", "-", "--format", "json"], stdin=data)
    assert code == 0
    (report,) = json.loads(out)["reports"]
    assert report["source"] == "-"
    assert report["metadata"]["title"] == "白鹤街道2022年度法治政府建设报告"


# ------------------------------------------------------------------ rules schema


class _StringDates(yaml.SafeLoader):
    """YAML as an editor's schema validator sees it: unquoted dates stay strings."""


_StringDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _use_discriminators(node: Any) -> Any:
    """Validate a discriminated ``oneOf`` the way editors do: only the branch its ``type`` names.

    jsonschema ignores the OpenAPI ``discriminator`` keyword and tries every branch of every
    nested ``oneOf``, which is exponential in the nesting depth of match expressions. The
    rewrite (``type`` must be one of the mapping's keys, then that branch must hold) accepts
    exactly the same documents, since every branch pins ``type`` to its own constant.
    """
    if isinstance(node, list):
        return [_use_discriminators(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _use_discriminators(v) for k, v in node.items()}
    disc = node.get("discriminator")
    if "oneOf" in node and isinstance(disc, dict) and "mapping" in disc:
        key, mapping = disc["propertyName"], disc["mapping"]
        rest = {k: v for k, v in node.items() if k not in ("oneOf", "discriminator")}
        return {
            **rest,
            "type": "object",
            "required": [key],
            "properties": {key: {"enum": sorted(mapping)}},
            "allOf": [
                {"if": {"properties": {key: {"const": tag}}, "required": [key]}, "then": {"$ref": ref}}
                for tag, ref in sorted(mapping.items())
            ],
        }
    return node


@cache
def rules_schema() -> dict[str, Any]:
    code, out, _ = run_cli(["rules", "schema"])
    assert code == 0
    return json.loads(out)


@cache
def schema_validator() -> Any:
    schema = rules_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(_use_discriminators(schema))


def test_schema_is_a_valid_json_schema() -> None:
    schema = rules_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert {"checklist", "rules"} <= set(schema["properties"])


def test_raw_schema_validates_the_valid_pack() -> None:
    """Without the discriminator shortcut too (the small pack keeps this fast)."""
    validator = jsonschema.Draft202012Validator(rules_schema())
    for path in sorted((RULES / "valid").glob("*.yaml")):
        assert list(validator.iter_errors(_yaml(path))) == []
    assert list(validator.iter_errors(_yaml(RULES / "invalid" / "unknown_type.yaml")))


def _yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDates)


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "auditor" / "checklists").rglob("*.yaml")), *sorted((RULES / "valid").glob("*.yaml"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_rule_files_validate_against_the_schema(path: Path) -> None:
    errors = list(schema_validator().iter_errors(_yaml(path)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", ["unknown_key.yaml", "unknown_type.yaml", "missing_field.yaml"])
def test_invalid_rule_files_fail_the_schema(name: str) -> None:
    assert list(schema_validator().iter_errors(_yaml(RULES / "invalid" / name)))


def test_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    code, out, _ = run_cli(["rules", "schema", "--output", str(target)])
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")


def test_rules_list() -> None:
    code, out, _ = run_cli(["rules", "list", "--rules", "fixtures/rules/valid"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("mini 1.0")
    assert [line.split()[0] for line in lines[1:]] == ["A-01", "A-02", "B-01"]


# ------------------------------------------------------------------ the JSON contract


def test_json_contract_keys() -> None:
    data = all_seeds_json()
    assert set(data) >= {"tool", "reports", "skipped"}
    assert data["tool"]["name"] == "auditor"
    assert data["skipped"] == []
    assert [r["source"] for r in data["reports"]] == SEEDS
    for r in data["reports"]:
        assert set(r) >= {"source", "checklist", "read", "metadata", "score", "grade", "categories", "findings"}
        assert set(r["checklist"]) >= {"id", "version"}
        assert r["checklist"]["id"] == "fazhi"
        assert set(r["read"]) >= {"format", "encoding", "pages"}
        assert r["read"]["format"] == "txt"
        assert set(r["metadata"]) == {"title", "unit", "year", "level", "published", "signed"}
        assert r["score"] is None or 0 <= r["score"] <= 100
        assert r["grade"] in ("优秀", "良好", "合格", "不合格")
        assert [c["id"] for c in r["categories"]] == ["STR", "FR", "IND", "CUR", "DL"]
        for c in r["categories"]:
            assert set(c) >= {"id", "title", "score", "weight"}
        for f in r["findings"]:
            assert set(f) >= {
                "rule_id",
                "status",
                "title",
                "message",
                "severity",
                "weight",
                "values",
                "evidence",
                "near_miss",
            }
            assert f["status"] in ("met", "gap", "needs_review", "not_applicable", "error")
            for e in f["evidence"]:
                assert set(e) >= {"text", "start", "end", "line", "section"}


def test_json_contract_stable_rule_ids() -> None:
    ids = [f["rule_id"] for f in all_seeds_json()["reports"][0]["findings"]]
    for rid in [
        "STR-01",
        "STR-02A",
        "STR-02B",
        "STR-03",
        "STR-04",
        "STR-05",
        "FR-01",
        "FR-02",
        "FR-03",
        "FR-04",
        "IND-01",
        "IND-02",
        "IND-03",
        "IND-04",
        "IND-05",
        "IND-06",
        "IND-07",
        "OUT-01",
        "OUT-03",
        "OUT-05",
        "OUT-06",
        "YR-02",
        "YR-05",
        "QUA-01",
        "QUA-02",
        "DL-01",
    ]:
        assert rid in ids


def test_json_metadata_of_the_seeds() -> None:
    meta = {r["source"][15:18]: r["metadata"] for r in all_seeds_json()["reports"]}
    assert meta["000"]["published"] == "2024-03-04" and meta["000"]["signed"] is None
    assert meta["001"]["signed"] == "2023-02-23" and meta["001"]["unit"] == "双塔镇人民政府"
    assert meta["003"]["level"] == "township" and meta["003"]["year"] == 2022


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[s[15:18] for s in SEEDS])
def test_evidence_offsets_and_lines_point_into_the_extracted_text(index: int) -> None:
    report = all_seeds_json()["reports"][index]
    _, extracted, _ = run_cli(["text", report["source"]])
    raw = (ROOT / report["source"]).read_text(encoding="utf-8")
    assert extracted.rstrip("\n") == raw.rstrip("\n")
    checked = 0
    for f in report["findings"]:
        spans = [*f["evidence"], *([f["near_miss"]] if f["near_miss"] else [])]
        for e in spans:
            assert extracted[e["start"] : e["end"]] == e["text"], (f["rule_id"], e)
            assert e["line"] == extracted.count("\n", 0, e["start"]) + 1, (f["rule_id"], e)
            checked += 1
    assert checked >= 10


def test_values_are_absent_not_zero() -> None:
    for r in all_seeds_json()["reports"]:
        by_id = {f["rule_id"]: f for f in r["findings"]}
        # the tallies made by the auditor are always present
        assert "count" in by_id["IND-02"]["values"]
        assert "count" in by_id["IND-03"]["values"]
        for f in r["findings"]:
            for v in f["values"].values():
                assert isinstance(v, int | float)


def test_skipped_files_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_bytes((ROOT / SEED).read_bytes())
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    code, out, _ = run_cli(["check", str(folder), "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert [Path(r["source"]).name for r in data["reports"]] == ["report.txt"]
    (skipped,) = data["skipped"]
    assert set(skipped) >= {"source", "reason"}
    assert Path(skipped["source"]).name == "photo.png"
    assert skipped["reason"]


def test_a_failed_gate_names_each_report_and_its_threshold() -> None:
    """One Chinese line per report that fails: the report, the threshold, the rules behind it."""
    code, out, err = run_cli(["check", *SEEDS[:3], "--format", "json", "--fail-under", "99"])
    assert code == 1
    scores = {r["source"]: r["score"] for r in json.loads(out)["reports"]}
    lines = err.splitlines()
    assert len(lines) == len(scores)
    for line, (source, score) in zip(lines, scores.items(), strict=True):
        assert line == f"auditor: 未通过门槛：{source}：得分 {score:g}，低于 --fail-under 99"
    code, out, err = run_cli(["check", SEED, "--format", "json", "--fail-on", "gap"])
    gaps = [f["rule_id"] for f in json.loads(out)["reports"][0]["findings"] if f["status"] == "gap"]
    assert code == 1 and gaps
    assert err == f"auditor: 未通过门槛：{SEED}：有 {len(gaps)} 项“缺失”（{'、'.join(gaps)}），触发 --fail-on gap\n"
