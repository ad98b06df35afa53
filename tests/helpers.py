"""Shared test helpers: build match expressions and documents, evaluate them."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from auditor.checklist import Rule
from auditor.document import Document, understand
from auditor.matchers.base import Context, Outcome
from auditor.matchers.phrase_index import PhraseIndex
from auditor.matchers.registry import MatchSpec

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
RULES = ROOT / "fixtures" / "rules"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

_ADAPTER: TypeAdapter[Any] = TypeAdapter(MatchSpec)


def seed(prefix: str) -> Path:
    """The seed report whose name starts with ``prefix`` (e.g. "003")."""
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path


def seed_text(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def spec(data: dict[str, Any]) -> Any:
    """A match expression from rule-file data."""
    return _ADAPTER.validate_python(data)


def context(doc: Document, s: Any, *, values: dict[str, float] | None = None) -> Context:
    index = PhraseIndex.build(s.literals()).for_text(doc.text)
    ctx = Context(doc, index, values=dict(values or {}))
    return ctx.within(s.scope)


def evaluate(
    data: dict[str, Any],
    text: str,
    *,
    year: int | None = 2023,
    level: str | None = None,
    published: date | None = None,
    values: dict[str, float] | None = None,
) -> Outcome:
    """Evaluate a match expression (given as rule-file data) on a report text.

    Like a composite does for its children, the expression's own ``scope`` is applied.
    """
    s = spec(data)
    doc = understand(text, year=year, level=level, published=published)
    return s.evaluate(context(doc, s, values=values))


def hit_texts(outcome: Outcome, doc_text: str) -> list[str]:
    return [doc_text[h.start : h.end] for h in outcome.hits]


def phrases(*ps: str, **kw: Any) -> dict[str, Any]:
    return {"type": "phrases", "phrases": list(ps), **kw}


def regex(*ps: str, **kw: Any) -> dict[str, Any]:
    return {"type": "regex", "patterns": list(ps), **kw}


def make_rule(match: dict[str, Any], **kw: Any) -> Rule:
    data: dict[str, Any] = {
        "id": "T-01",
        "title": "测试规则",
        "category": "T",
        "gap_message": "缺少：{missing}",
        "remediation": "在{Y+1}年3月31日前补充。",
        "references": ["测试依据"],
        "match": match,
        "examples": {"met": ["x"], "gap": ["y"]},
    }
    data.update(kw)
    return Rule.model_validate(data)


# A short report with the four statutory parts, used by several test modules.
REPORT = """张渚镇人民政府2023年法治政府建设情况报告
2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:
一、2023年度推进法治政府建设的主要举措和成效
(一)严格规范行政执法。全面落实行政执法公示制度,全年开展执法检查12次,办理行政处罚案件56件。
(二)深入开展普法宣传。组织普法活动30余场次,发放宣传资料5000余份,党委中心组集体学法6次。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记对法治建设重要工作亲自部署、重大问题亲自过问,全年主持召开专题会议3次研究法治建设。
三、存在的不足和原因
一是执法人员数量不足,全镇专职执法人员仅有6名,主要原因是编制所限。二是年终述法工作还不够规范,流于形式。
四、2024年度推进法治政府建设的主要安排
一是全面推行年终述法制度。二是加强执法队伍建设,全年培训执法人员100人次。
张渚镇人民政府
2024年3月1日
"""


# ------------------------------------------------------------------ the command line


def run_cli(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run ``auditor ARGS`` in-process through the console entry point; (exit code, stdout, stderr)."""
    import contextlib
    import io
    import sys
    from unittest import mock

    from auditor.cli import main

    out, err = io.StringIO(), io.StringIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    code = 0
    with mock.patch.object(sys, "stdin", fake_stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def run_patched(patch: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``auditor ARGS`` in a fresh interpreter after the Python code ``patch`` (fault injection:
    it replaces a function of the package, in this process and in the workers it forks)."""
    code = patch + "\nimport sys\nfrom auditor.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def clean_run(folder: Path) -> dict[str, Any]:
    """Each report of ``folder`` as a clean serial run audits it (``check . --format json --jobs 1``), by source."""
    proc = run_patched("", "check", ".", "--format", "json", "--jobs", "1", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return {r["source"]: r for r in json.loads(proc.stdout)["reports"]}


def position(path: Path, needle: str, occurrence: int = 0, column_of: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th line containing ``needle``.

    The column is that of ``column_of`` in the line (default: the first non-blank character,
    skipping a YAML list dash).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines) if needle in line]
    i = found[occurrence]
    line = lines[i]
    if column_of is not None:
        col = line.index(column_of)
    else:
        stripped = line.lstrip()
        col = len(line) - len(stripped)
        if stripped.startswith("- "):
            col += 2
    return i + 1, col + 1
