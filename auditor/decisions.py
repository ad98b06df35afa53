"""Reviewers' decisions from a file (``auditor check --decisions FILE``): read, matched to the
reports of a run, applied.

The file is YAML or JSON (the same structure; the workbench exports it, a person may write it)::

    decisions:
      - rule: FR-05
        unit: 张渚镇人民政府      # unit + year (+ checklist) name the report …
        year: 2023
        sha256: …                # … or the hash of the file's bytes
        fingerprint: 3f2a…       # optional: the finding the decision was made on
        decision: dismissed      # confirmed | dismissed | changed
        status: met              # required for changed
        comment: 已在第三部分说明
        reviewer: 王五
        at: 2026-12-01T10:00:00Z

It is read with the rule loader's safe YAML reading (line numbers, duplicate keys, alias bombs)
and validated by pydantic; every problem is located ``file:line`` (exit 2). What a decision does
is :mod:`auditor.review`'s: this module only pairs decisions with reports and says, per decision,
why it was not used (stale, unknown rule, not applicable to the finding's status).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from auditor.checklist import Checklist
from auditor.document.metadata import unit_key
from auditor.errors import AuditorError, Location, RuleProblem
from auditor.findings import Review
from auditor.result import Report, report_from_json
from auditor.review import Reviewed, ReviewError, apply_reviews, fingerprint, reviewed_score, reviewed_status
from auditor.vocabulary import Decision, Status

__all__ = ["Applied", "Decided", "DecisionsError", "apply_decisions", "load_decisions", "matching"]

KEYS = "rule, unit, year, checklist, sha256, fingerprint, decision, status, comment, reviewer, at"


class DecisionEntry(BaseModel):
    """One decision as written in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    unit: str | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    checklist: str | None = None
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")
    fingerprint: str | None = Field(None, pattern=r"^[0-9a-fA-F]{16}$")
    decision: Decision
    status: Status | None = None
    comment: str | None = ""
    reviewer: str | None = ""
    at: datetime | date | str | None = ""

    @model_validator(mode="after")
    def _names_a_report(self) -> DecisionEntry:
        if not self.sha256 and not (self.unit and self.year):
            raise ValueError("须写明报告：unit 和 year，或 sha256")
        if self.decision == Decision.changed and self.status is None:
            raise ValueError("decision: changed 须给出 status")
        return self

    @property
    def when(self) -> str:
        if isinstance(self.at, datetime):
            return self.at.isoformat().replace("+00:00", "Z")
        return self.at.isoformat() if isinstance(self.at, date) else self.at or ""


class DecisionsFile(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # an export may carry more (version, batch …)

    decisions: list[DecisionEntry]


@dataclass(frozen=True)
class Decided:
    """A decision and where it is written (for warnings)."""

    entry: DecisionEntry
    where: Location


class DecisionsError(AuditorError):
    """Every problem of a decisions file, one located line each."""

    def __init__(self, problems: list[RuleProblem]):
        super().__init__(f"决定文件有 {len(problems)} 处错误")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _located(loc: tuple[Any, ...], marks: Mapping[tuple[str | int, ...], Location], file: str) -> Location:
    path = tuple(p for p in loc if isinstance(p, str | int))
    while path and path not in marks:
        path = path[:-1]
    return marks.get(path, Location(file, 1, 1))


def _problem(err: Any, marks: Mapping[tuple[str | int, ...], Location], file: str) -> RuleProblem:
    loc = tuple(err["loc"])
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    where = _located(loc, marks, file)
    kind = err["type"]
    if kind == "missing":
        return RuleProblem(where, f"缺少 {field}", f"每条决定须有 rule 和 decision；可用的键：{KEYS}")
    if kind == "extra_forbidden":
        return RuleProblem(_located(loc, marks, file), f"未知的键 {field}", f"检查拼写；可用的键：{KEYS}")
    if kind == "enum":
        allowed = "、".join(Decision) if field == "decision" else "、".join(Status)
        return RuleProblem(where, f"{field} 的值 {err.get('input')!r} 无效", f"可用：{allowed}")
    if kind == "string_pattern_mismatch":
        size = 64 if field == "sha256" else 16
        return RuleProblem(where, f"{field} 不是 {size} 位十六进制数", "照工作台导出的原样复制，并加引号")
    if kind == "string_type":
        return RuleProblem(where, f"{field} 须为文字", '加上引号，例如 fingerprint: "0123abcd0123abcd"')
    if kind == "list_type":
        return RuleProblem(where, "decisions 须为列表（每条决定以 - 开头）", None)
    message = str(err["msg"]).removeprefix("Value error, ")
    return RuleProblem(where, f"{field + '：' if field else ''}{message}", "每条决定的写法见 docs/decisions.md")


#: characters JSON allows raw inside a string that YAML refuses or takes for line breaks (DEL, C1
#: controls, NEL, U+2028/2029, non-characters)
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def _json_escaped(text: str) -> str:
    """A JSON text readable as YAML (its superset) with the same lines: the characters YAML
    refuses written as JSON escapes (only valid inside strings, where JSON allows them)."""
    if not text.lstrip().startswith(("{", "[")):
        return text
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def load_decisions(path: str) -> list[Decided]:
    """The decisions of a file, each with its location; :class:`DecisionsError` (exit 2) when
    the file cannot be read or any decision is malformed."""
    from auditor.loader import parse_yaml

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        missing = isinstance(exc, FileNotFoundError | IsADirectoryError)
        raise AuditorError(
            "找不到决定文件" if missing else f"无法读取决定文件（{type(exc).__name__}）",
            location=Location(path),
            hint="--decisions 给出工作台导出的 YAML 或 JSON 文件（UTF-8 编码）",
        ) from None
    problems: list[RuleProblem] = []
    data, marks = parse_yaml(_json_escaped(text), path, problems)
    if problems:
        raise DecisionsError(problems)
    if not isinstance(data, dict) or "decisions" not in data:
        raise DecisionsError(
            [
                RuleProblem(
                    Location(path, 1, 1), "决定文件须以 decisions: 开头，下面列出各条决定", "见 docs/decisions.md"
                )
            ]
        )
    try:
        parsed = DecisionsFile.model_validate(data)
    except ValidationError as exc:
        raise DecisionsError([_problem(err, marks, path) for err in exc.errors()]) from None
    return [Decided(e, marks.get(("decisions", i), Location(path))) for i, e in enumerate(parsed.decisions)]


def matching(decided: Sequence[Decided], report: Mapping[str, Any], sha256: str | None) -> list[Decided]:
    """The decisions naming this report: by the hash of its file, or by unit + year (+ checklist)
    (a workbench export gives both: a revised file of the same unit and year is matched by its
    unit and year, and the fingerprint tells whether the finding is still the one decided)."""
    meta = report.get("metadata") or {}
    unit, year = meta.get("unit"), meta.get("year")
    checklist = (report.get("checklist") or {}).get("id")
    out = []
    for d in decided:
        e = d.entry
        same_file = bool(e.sha256) and sha256 is not None and str(e.sha256).lower() == sha256
        same_unit = bool(unit and e.unit and unit_key(e.unit) == unit_key(unit))
        if same_file or (same_unit and e.year == year and e.checklist in (None, checklist)):
            out.append(d)
    return out


@dataclass(frozen=True)
class Applied:
    """A report's JSON with its decisions applied, and one warning per decision not used."""

    report: dict[str, Any]
    warnings: list[str]  # Chinese, each starting with the decision's file:line


def _review(d: Decided, status: Status) -> Review:
    e = d.entry
    return Review(e.decision, status, e.comment or "", e.reviewer or "", e.when, (e.fingerprint or "").lower())


def apply_decisions(report: dict[str, Any], decided: Sequence[Decided], checklist: Checklist) -> Applied:
    """Attach each decision to its finding (``review``) and add ``reviewed`` (the score and grade
    over the reviewed statuses, how many decisions hold, the stale ones). A decision whose
    finding changed since (fingerprint), whose rule the report has no finding for, or that cannot
    apply to the finding's status is not used, and said so."""
    typed = report_from_json(report)
    if not isinstance(typed, Report) or not decided:
        return Applied(report, [])
    by_rule = {f.rule_id: f for f in typed.findings}
    warnings: list[str] = []
    reviews: dict[str, Review] = {}
    where: dict[str, Decided] = {}
    for d in decided:
        e = d.entry
        if e.rule in where:
            warnings.append(f"{where[e.rule].where}: 本报告的 {e.rule} 另有一条决定（{d.where}），以后者为准")
        finding = by_rule.get(e.rule)
        if finding is None or (e.fingerprint and e.fingerprint.lower() != fingerprint(finding)):
            reviews[e.rule], where[e.rule] = _review(d, finding.status if finding else Status.error), d
            continue
        try:
            reviews[e.rule], where[e.rule] = _review(d, reviewed_status(finding.status, e.decision, e.status)), d
        except ReviewError as exc:
            reviews.pop(e.rule, None)  # the later decision stands for the rule, even unusable
            where.pop(e.rule, None)
            warnings.append(f"{d.where}: {e.rule}：{exc}；此决定未采用")
    reviewed = apply_reviews(typed, reviews)
    known = {r.id for r in checklist.rules}
    for rule_id in reviewed.unknown:
        what = f"本报告没有 {rule_id} 的核查结果" if rule_id in known else f"核查清单 {checklist.id} 没有规则 {rule_id}"
        warnings.append(f"{where[rule_id].where}: {what}，此决定未使用（提示：检查规则编号，或删去这条决定）")
    for rule_id, review in reviewed.stale.items():
        warnings.append(
            f"{where[rule_id].where}: {rule_id} 的复核决定（{review.decision.label}）已过期：该项核查结果已变化，"
            f"此决定未采用（提示：重新复核后把 fingerprint 改为 {fingerprint(by_rule[rule_id])}）"
        )
    findings = [
        {**f, "review": {k: str(v) for k, v in reviewed.reviews[f["rule_id"]].to_json().items()}}
        if f.get("rule_id") in reviewed.reviews
        else f
        for f in report.get("findings") or []
    ]
    out = {**report, "findings": findings, "reviewed": reviewed_summary(typed, reviewed, checklist)}
    return Applied(out, warnings)


def reviewed_summary(report: Report, reviewed: Reviewed, checklist: Checklist) -> dict[str, Any]:
    """``Report.reviewed``: the score and grade over the reviewed statuses, how many decisions
    hold, the stale ones (with the finding's fingerprint then and now) and the unknown rules."""
    by_rule = {f.rule_id: f for f in report.findings}
    result = reviewed_score(reviewed, checklist)
    stale = [
        {
            "rule_id": rule_id,
            "fingerprint_then": review.fingerprint,
            "fingerprint_now": fingerprint(by_rule[rule_id]),
            "decision": str(review.decision),
        }
        for rule_id, review in reviewed.stale.items()
    ]
    return {
        "score": result.score,
        "grade": result.grade,
        "decisions": len(reviewed.reviews),
        "stale": stale,
        "unknown": list(reviewed.unknown),
    }
