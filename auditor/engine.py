"""Evaluate a checklist on a document: rule → finding, then score. Pure functions.

``audit(doc, checklist)`` runs every rule. For one rule: applicability (year range,
level, condition) → the match expression → a status, evidence and values → a message
in Chinese. A gap records what was searched and the nearest near-miss so a reviewer can
trust an absence. A rule that cannot be evaluated (e.g. a regex over its time budget)
becomes an ``error`` finding, which makes the score null.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any, assert_never

from auditor.checklist import Checklist, Rule, concept_spec
from auditor.document import Document
from auditor.document.provenance import caveat
from auditor.findings import Evidence, Finding, NearMiss
from auditor.matchers.base import Budget, Context, Hit, Lean, Outcome, anywhere, regex_budget, remember
from auditor.matchers.fuzzy import closest_text
from auditor.matchers.phrase_index import PhraseIndex
from auditor.scoring import Scored, ScoreResult, score
from auditor.vocabulary import Role, Status, Verdict

MAX_EVIDENCE = 5
_GAP = Outcome(Status.gap)
_DEFAULT_MESSAGES = {
    Status.met: "已找到相关内容。",
    Status.needs_review: "找到相关表述，但不足以确认，请人工复核。",
}


@dataclass(frozen=True)
class ReportAudit:
    findings: tuple[Finding, ...]
    score: ScoreResult


def not_applicable_reason(rule: Rule, doc: Document, ctx: Context) -> str | None:
    """Why the rule does not apply to this report, or None when it applies."""
    applies = rule.applies
    if applies is None:
        return None
    year = doc.metadata.year
    if applies.year is not None:
        if year is None:
            return "未能识别报告年度，本项不适用。"
        if applies.year.min is not None and year < applies.year.min:
            return f"报告年度 {year} 早于 {applies.year.min} 年，本项不适用。"
        if applies.year.max is not None and year > applies.year.max:
            return f"报告年度 {year} 晚于 {applies.year.max} 年，本项不适用。"
    if applies.levels is not None and doc.metadata.level not in applies.levels:
        return f"报告层级（{doc.metadata.level}）不在本项适用范围内。"
    if applies.when is not None and not applies.when.evaluate(ctx.within(applies.when.scope)).met:
        return rule.na_message or "本报告不符合本项的适用条件，本项不适用。"
    return None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_+0-9]+)\}")


def document_fields(doc: Document, params: dict[str, str] | None) -> dict[str, Any]:
    """Message placeholders that depend on the report only: {Y}, {Y+1}, dates, checklist params."""
    from auditor.matchers.facts import resolve_date

    year = doc.metadata.year
    fields: dict[str, Any] = {
        "Y": year if year is not None else "Y",
        "Y+1": year + 1 if year is not None else "Y+1",
        "published": doc.metadata.published.isoformat() if doc.metadata.published else "未注明",
        "signed": doc.metadata.signed.isoformat() if doc.metadata.signed else "未注明",
    }
    for name, value in (params or {}).items():
        try:
            resolved = resolve_date(value, year, params)
            fields[name] = f"{resolved.year}年{resolved.month}月{resolved.day}日" if resolved else value
        except ValueError:
            fields[name] = value
    return fields


def _format(template: str, outcome: Outcome, base: dict[str, Any]) -> str:
    """``template`` with its ``{name}`` placeholders filled: the outcome's values first, then
    {missing} and {found}, then ``base``; an unknown name stays as written."""
    if "{" not in template:
        return template
    pieces = _pieces(template)
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        out.append(_field(pieces[i], outcome, base))
        out.append(pieces[i + 1])
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _pieces(template: str) -> tuple[str, ...]:
    """A message template split once into text, placeholder name, text, …, text."""
    return tuple(_PLACEHOLDER.split(template))


def _field(name: str, outcome: Outcome, base: dict[str, Any]) -> str:
    if name in outcome.values:
        value = outcome.values[name]
        return str(int(value) if float(value).is_integer() else value)
    if name == "missing":
        return "、".join(outcome.missing) or "—"
    if name == "found":
        return "、".join(outcome.found) or "—"
    return str(base[name]) if name in base else "{" + name + "}"


def message_for(rule: Rule, status: Status, outcome: Outcome, base: dict[str, Any]) -> str:
    if outcome.message:
        return _format(outcome.message, outcome, base)
    match status:
        case Status.met:
            template = rule.met_message or _DEFAULT_MESSAGES[Status.met]
        case Status.needs_review:
            template = rule.review_message or _DEFAULT_MESSAGES[Status.needs_review]
        case Status.not_applicable:
            template = rule.na_message or "本项不适用。"
        case Status.gap | Status.error:
            template = rule.gap_message
        case _:
            assert_never(status)
    return _format(template, outcome, base)


def near_miss(rule: Rule, ctx: Context, outcome: Outcome) -> NearMiss | None:
    """Why an absence can be trusted: the best rejected candidate, else the closest fuzzy text;
    never a fragment shorter than the rule's shortest phrase."""
    literals = rule.match.distinct_literals
    shortest = min((len(p) for p in literals), default=1)
    rejected = [c for c in outcome.candidates if c.verdict.rejection is not None and c.end - c.start >= shortest]
    if rejected:
        best_c = max(rejected, key=lambda c: (c.score, -c.start))
        reason = best_c.verdict.rejection or ""
        role = ctx.doc.role_at(best_c.start)
        if best_c.verdict is Verdict.out_of_scope and role is not None:
            reason = f"位于“{Role(role).label}”，不计为证据"
        return _near(ctx.doc, best_c.start, best_c.end, best_c.score, reason)
    phrases = tuple(p for p in literals if len(p) >= 3)
    # rules looking for the same phrases in the same scope
    return remember(ctx.cache, ("closest", phrases, ctx.scope.key()), _closest, ctx, phrases)


def _closest(ctx: Context, phrases: tuple[str, ...]) -> NearMiss | None:
    """The text in scope closest to one of ``phrases`` (a fuzzy alignment scoring ≥ 60, as long as
    the shortest phrase)."""
    best = closest_text(ctx, phrases, min((len(p) for p in phrases), default=1))
    if best is None or best[0] < 60:
        return None
    return _near(ctx.doc, best[1], best[2], best[0], "最接近的表述，但未达到匹配要求")


def _near(doc: Document, start: int, end: int, score: float, reason: str) -> NearMiss:
    """A near miss shown as the sentence it sits in, with the part of the report it is in."""
    ev = doc.evidence(start, end)
    return NearMiss(
        ev.text, round(score, 1), ev.start, ev.end, ev.line, reason, _context(doc, start, end), part_at(doc, start)
    )


def part_at(doc: Document, pos: int) -> str:
    """The part of the report at ``pos`` as a reader names it: its role and its heading."""
    role = doc.role_at(pos)
    section = doc.section_at(pos)
    heading = shorten_heading(section.label) if section is not None else ""
    label = Role(role).label if role is not None else ""
    if label and heading:
        return f"{label}（{heading}）"
    return label or heading


MAX_HEADING = 30


def shorten_heading(label: str) -> str:
    return label if len(label) <= MAX_HEADING else label[: MAX_HEADING - 1] + "…"


CONTEXT_CHARS = 160


def _context(doc: Document, start: int, end: int) -> str:
    """The sentence around a match, from the source text, at most CONTEXT_CHARS long."""
    sentence = doc.sentence_at(start)
    s, e = (min(start, sentence[0]), max(end, sentence[1])) if sentence else (start, end)
    if e - s > CONTEXT_CHARS:
        room = max(0, (CONTEXT_CHARS - (end - start)) // 2)
        s, e = max(s, start - room), min(e, end + room)
    s, e = doc.norm.span_to_source(s, e)
    text = doc.source[s:e]
    return " ".join(text.split()) if "\n" in text else text


def _quote(doc: Document, start: int, end: int) -> Evidence:
    text, s, e, line, section = doc.evidence(start, end)
    return Evidence(text, s, e, line, section, _context(doc, start, end))


def _evidence(doc: Document, outcome: Outcome, cache: dict[Any, Any]) -> tuple[Evidence, ...]:
    """Evidence for the first hits; one Evidence per span and report, shared by the rules that find it."""
    out = []
    for h in outcome.hits[:MAX_EVIDENCE]:
        out.append(remember(cache, ("evidence", h.start, h.end), _quote, doc, h.start, h.end))
    return tuple(out)


GREY_MESSAGE = "报告提到了本项的关键概念“{term}”，但不是本项认可的写法，无法确认，请人工复核（见证据中的句子）。"
MAX_GREY_SENTENCE = 200


def grey_zone(rule: Rule, ctx: Context, outcome: Outcome) -> Outcome:
    """A ``gap`` only when the rule's concept is absent where it counts.

    When the match found nothing but one of the rule's ``concepts`` occurs (not negated, not
    in a heading) in the same scope (or ``concept_scope``), the report speaks of the thing in
    words the rule does not know: the verdict becomes ``needs_review`` with the sentences that
    name the concept as evidence.
    """
    if outcome.status != Status.gap or not rule.concepts:
        return outcome
    where = ctx if rule.concept_scope is None else replace(ctx, scope=anywhere().merged(rule.concept_scope))
    found = concept_spec(tuple(rule.concepts)).evaluate(where)
    said = [h for h in found.hits if not _in_heading(ctx.doc, h.start)]
    if not said:
        return outcome
    hits: dict[tuple[int, int], Hit] = {}
    for h in said:
        span = ctx.doc.sentence_at(h.start)
        s, e = span if span and span[1] - span[0] <= MAX_GREY_SENTENCE and span[1] >= h.end else (h.start, h.end)
        hits.setdefault((s, e), Hit(s, e, label="concept"))
    first = said[0]
    term = ctx.doc.text[first.start : first.end].replace("{", "(").replace("}", ")")
    return replace(
        outcome, status=Status.needs_review, hits=tuple(hits.values()), message=GREY_MESSAGE.replace("{term}", term)
    )


def _in_heading(doc: Document, pos: int) -> bool:
    """``pos`` lies in a heading's title (not an item's 一是…): a heading names a topic, it does not report on it."""
    section = doc.section_at(pos)
    return (
        section is not None and section.heading.level < 4 and section.heading.start <= pos < section.heading.title_end
    )


def _extra_values(rule: Rule, ctx: Context) -> dict[str, float]:
    values: dict[str, float] = {}
    for spec in rule.values:
        found = spec.extract(ctx.within(spec.scope))
        if found is not None:
            values[spec.name] = found[0]
    return values


def timeout_message(rule_id: str, exc: TimeoutError, budget: float) -> str:
    """The finding message of a rule whose regexes used up its time budget (Chinese, names the rule)."""
    pattern = getattr(exc, "pattern", None)
    what = "正则表达式"
    if pattern:
        shown = pattern if len(pattern) <= 60 else pattern[:60] + "…"
        what += f"“{shown}”"
    return (
        f"规则 {rule_id} 的{what}超出时间限制（本报告每条规则共 {budget:.3g} 秒），"
        "无法完成本项检查；请规则编写者简化该表达式。"
    )


def evaluate_rule(
    rule: Rule,
    doc: Document,
    index: PhraseIndex,
    points: float,
    params: dict[str, str] | None = None,
    cache: dict[Any, Any] | None = None,
    searched: str | None = None,
    lean: bool = False,
) -> tuple[Finding, Outcome | None]:
    """One rule on one document → its finding (and the raw outcome, for `rules explain`).

    ``cache`` is shared by the rules of one audit (regex results per pattern, the spaCy doc).
    A bug met while evaluating the rule makes this finding ``error`` (the other rules go on).
    ``lean``: the caller reads only the finding, so the outcome's candidates may be left out
    wherever the finding does not need them (``Context.lean``); the finding is the same.
    """
    cache = cache if cache is not None else {}
    if searched is None:
        searched = rule.match.describe()
    try:
        return _evaluate(rule, doc, index, points, params, cache, searched, lean)
    except Exception as exc:
        import traceback

        message = (
            f"本项检查时发生内部错误（{type(exc).__name__}），其他检查项不受影响；"
            "请加 --debug 重新运行以查看详细信息，并报告此问题"
        )
        finding = _finding(rule, Status.error, message, points, rule.remediation, searched)
        finding.error_code = "internal"
        finding.trace = traceback.format_exc()
        return finding, None


def _evaluate(
    rule: Rule,
    doc: Document,
    index: PhraseIndex,
    points: float,
    params: dict[str, str] | None,
    cache: dict[Any, Any],
    searched: str,
    lean: bool,
) -> tuple[Finding, Outcome | None]:
    budget = regex_budget(len(doc.text))
    ctx = Context(
        doc,
        index,
        scope=rule.scope or anywhere(),
        params=params or {},
        cache=cache,
        budget=Budget(budget),
        lean=Lean() if lean else None,
    )
    fields = remember(cache, "fields", document_fields, doc, params)
    remediation = _format(rule.remediation, _GAP, fields)
    try:
        reason = not_applicable_reason(rule, doc, ctx)
        if reason is not None:
            return _finding(rule, Status.not_applicable, reason, points, remediation, searched), None
        if rule.values:
            ctx.values.update(_extra_values(rule, ctx))
        match_ctx = ctx.within(rule.match.scope)
        outcome = grey_zone(rule, match_ctx, rule.match.evaluate(match_ctx))
        if ctx.lean is not None and ctx.lean.trimmed and outcome.status == Status.gap and not outcome.hits:
            # the near miss reads the candidates, and the lean evaluation left some out
            match_ctx = replace(match_ctx, lean=None)
            outcome = grey_zone(rule, match_ctx, rule.match.evaluate(match_ctx))
        if ctx.values:
            outcome = replace(outcome, values={**ctx.values, **outcome.values})
        status = outcome.status
        nm = near_miss(rule, ctx, outcome) if status == Status.gap and not outcome.hits else None
    except TimeoutError as exc:
        finding = _finding(rule, Status.error, timeout_message(rule.id, exc, budget), points, remediation, searched)
        finding.error_code = "timeout"
        return finding, None
    message = message_for(rule, status, outcome, fields)
    guess = guessed_field(rule, doc, ctx.reads) if status == Status.gap else None
    if guess is not None:  # never accuse on a guess: the gap rests on an inferred year or level
        status = Status.needs_review
        message = f"{message}{caveat(guess, getattr(doc.metadata, guess), doc.metadata.source(guess))}"
    finding = _finding(
        rule, status, message, points, remediation, searched, dict(outcome.values), _evidence(doc, outcome, cache), nm
    )
    return finding, outcome


#: metadata fields a verdict may rest on only when the report states them
GUARDED = ("year", "level")


def guessed_field(rule: Rule, doc: Document, reads: set[str]) -> str | None:
    """The first of year/level the rule's verdict depends on (read by its matchers, or gating it
    through ``applies``) that is inferred, contradicted or unknown; None when all are stated."""
    applies = rule.applies
    for name in GUARDED:
        depends = name in reads or (applies is not None and getattr(applies, "levels" if name == "level" else name))
        if depends and not doc.metadata.source(name).sure:
            return name
    return None


def _finding(
    rule: Rule,
    status: Status,
    message: str,
    points: float,
    remediation: str,
    searched: str,
    values: dict[str, float] | None = None,
    evidence: tuple[Evidence, ...] = (),
    near: NearMiss | None = None,
) -> Finding:
    headline = rule.gap_title if status == Status.gap and rule.gap_title else rule.title
    return Finding(
        rule.id,
        status,
        rule.title,
        message,
        rule.severity,
        round(points, 4),
        rule.category,
        rule.blocking,
        remediation,
        tuple(rule.references),
        values if values is not None else {},
        evidence,
        near,
        searched,
        headline=headline,
    )


def _disabled(rule: Rule, reason: str, points: float, fields: dict[str, Any]) -> Finding:
    remediation = _format(rule.remediation, Outcome(Status.not_applicable), fields)
    return _finding(rule, Status.not_applicable, f"已按配置停用：{reason}", points, remediation, "")


def audit(doc: Document, checklist: Checklist) -> ReportAudit:
    index = checklist.index.for_text(doc.text)
    points = checklist.points
    shared: dict[Any, Any] = {"fields": document_fields(doc, checklist.header.params)}
    findings = tuple(
        _disabled(r, checklist.disabled[r.id], points.get(r.id, 0.0), shared["fields"])
        if r.id in checklist.disabled
        else evaluate_rule(
            r, doc, index, points.get(r.id, 0.0), checklist.header.params, shared, checklist.searched[r.id], lean=True
        )[0]
        for r in checklist.rules
    )
    items = [Scored(f.rule_id, f.category, r.weight, f.status) for f, r in zip(findings, checklist.rules, strict=True)]
    return ReportAudit(findings, score(items, checklist.categories, checklist.scoring))
