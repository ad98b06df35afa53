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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from auditor.checklist import Checklist, Rule, concept_spec
from auditor.document import Document
from auditor.document.provenance import caveat
from auditor.findings import Evidence, Finding, NearMiss
from auditor.matchers.base import Budget, Context, Hit, Lean, Outcome, Scope, Spec, anywhere, regex_budget, remember
from auditor.matchers.fuzzy import closest_text
from auditor.matchers.phrase_index import PhraseIndex
from auditor.scoring import Scored, Scorer, ScoreResult
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


def _templates(rule: Rule) -> dict[Status, str]:
    """The rule's message template for each status (a default where the rule has none)."""
    gap = rule.gap_message
    return {
        Status.met: rule.met_message or _DEFAULT_MESSAGES[Status.met],
        Status.needs_review: rule.review_message or _DEFAULT_MESSAGES[Status.needs_review],
        Status.not_applicable: rule.na_message or "本项不适用。",
        Status.gap: gap,
        Status.error: gap,
    }


def near_miss(rule: Rule, ctx: Context, outcome: Outcome) -> NearMiss | None:
    """Why an absence can be trusted: the best rejected candidate, else the closest fuzzy text;
    never a fragment shorter than the rule's shortest phrase."""
    terms = NearTerms.of(rule.match, ctx.scope)
    return _near_miss(terms, ctx, outcome)


@dataclass(frozen=True, slots=True)
class NearTerms:
    """What a rule's near miss looks for, from its match expression and scope (once per rule)."""

    shortest: int  # no rejected candidate shorter than the shortest phrase
    phrases: tuple[str, ...]  # the phrases of ≥ 3 characters whose closest text is sought
    key: tuple[Any, ...]  # the closest text remembered per report, phrases and scope (rules share it)

    @classmethod
    def of(cls, match: Spec, scope: Scope) -> NearTerms:
        literals = match.distinct_literals
        phrases = tuple(p for p in literals if len(p) >= 3)
        return cls(min((len(p) for p in literals), default=1), phrases, ("closest", phrases, scope.key()))


def _near_miss(terms: NearTerms, ctx: Context, outcome: Outcome) -> NearMiss | None:
    shortest = terms.shortest
    rejected = [c for c in outcome.candidates if c.verdict.rejection is not None and c.end - c.start >= shortest]
    if rejected:
        best_c = max(rejected, key=lambda c: (c.score, -c.start))
        reason = best_c.verdict.rejection or ""
        role = ctx.doc.role_at(best_c.start)
        if best_c.verdict is Verdict.out_of_scope and role is not None:
            reason = f"位于“{Role(role).label}”，不计为证据"
        return _near(ctx.doc, best_c.start, best_c.end, best_c.score, reason)
    # rules looking for the same phrases in the same scope
    return remember(ctx.cache, terms.key, _closest, ctx, terms.phrases)


#: a near miss's closest text aligns at least this well with a phrase
NEAR_SCORE = 60.0


def _closest(ctx: Context, phrases: tuple[str, ...]) -> NearMiss | None:
    """The text in scope closest to one of ``phrases`` (a fuzzy alignment scoring ≥ ``NEAR_SCORE``,
    as long as the shortest phrase)."""
    best = closest_text(ctx, phrases, min((len(p) for p in phrases), default=1), NEAR_SCORE)
    if best is None:
        return None
    return _near(ctx.doc, best[1], best[2], best[0], "最接近的表述，但未达到匹配要求")


def _near(doc: Document, start: int, end: int, score: float, reason: str) -> NearMiss:
    """A near miss shown as the sentence it sits in, with the part of the report it is in."""
    ev, context = doc.quotes(((start, end),), CONTEXT_CHARS)[0]
    return NearMiss(ev.text, round(score, 1), ev.start, ev.end, ev.line, reason, context, part_at(doc, start))


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


def _quotes(doc: Document, spans: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Evidence]:
    """Each span quoted as evidence: its source text, line, section and sentence (one call for a
    report's distinct spans)."""
    return {
        span: Evidence(*ev, context)
        for span, (ev, context) in zip(spans, doc.quotes(spans, CONTEXT_CHARS), strict=True)
    }


def _spans(outcome: Outcome | None) -> list[tuple[int, int]]:
    """The spans a finding quotes as evidence: its first hits' (none without an outcome)."""
    return [(h.start, h.end) for h in outcome.hits[:MAX_EVIDENCE]] if outcome is not None and outcome.hits else []


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


PAST_MESSAGE = (
    "本项内容只出现在写往年情况的句子中（以“{lead}”开头），无法确认本年度的情况（也可能是沿用往年报告时未改年份），"
    "请人工复核（见证据中的句子）。"
)


def _said_of_earlier_years(rule: Rule, ctx: Context, outcome: Outcome) -> Outcome:
    """A gap whose rule finds what it seeks once the sentences about an earlier year are read too
    (``Document.earlier_years``: 2022年，我镇…, which a scope leaving out next year's plans sets aside):
    a review item, not a gap. Such a sentence may carry last year's year by mistake (a report written
    over last year's) or run on into the year reported on: never accuse on that guess. Evaluated with
    a cache of its own (the report's memos hold what was found with those sentences set aside)."""
    seen = replace(ctx, cache={}, lean=None, past_aside=False)
    again = rule.match.evaluate(seen)
    if rule.concepts:
        again = grey_zone(rule, seen, again)
    if again.status == Status.gap or not again.hits:
        return outcome
    text = ctx.doc.text
    first = min(h.start for h in again.hits)
    lead = next((text[s:e] for s, e in ctx.doc.earlier_years if s <= first < e), text[first : first + 8])
    lead = re.split(r"[,，]", lead, maxsplit=1)[0][:12] + "，"
    message = PAST_MESSAGE.replace("{lead}", lead.replace("{", "(").replace("}", ")"))
    return replace(again, status=Status.needs_review, message=message)


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


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A rule made ready once per checklist (``plans``): everything its evaluation needs that does
    not depend on the report, so the per-report path does only the report's work."""

    rule: Rule
    id: str
    points: float  # the rule's share of 100 points, as the finding shows it (rounded)
    searched: str  # what the rule searches, in words
    scope: Scope  # the rule's scope (anywhere when it sets none)
    remediation: str | None  # the remediation when it has no placeholder (else filled per report)
    templates: dict[Status, str]  # the message template per status
    near: NearTerms
    gated: tuple[str, ...]  # the metadata fields (of GUARDED) its ``applies`` gates it on
    references: tuple[str, ...]
    gap_headline: str  # the headline of a gap (its gap_title, else its title)

    @classmethod
    def of(cls, rule: Rule, points: float, searched: str | None = None) -> RulePlan:
        scope = rule.scope or anywhere()
        return cls(
            rule,
            rule.id,
            round(points, 4),
            rule.match.describe() if searched is None else searched,
            scope,
            None if "{" in rule.remediation else rule.remediation,
            _templates(rule),
            NearTerms.of(rule.match, scope),
            _gated(rule),
            tuple(rule.references),
            rule.gap_title or rule.title,
        )


def plans(checklist: Checklist) -> tuple[RulePlan, ...]:
    """The checklist's rules as plans, made on first use and remembered with the checklist."""
    memo = checklist.derived
    found: tuple[RulePlan, ...] | None = memo.get("rule plans")
    if found is None:
        points = checklist.points
        searched = checklist.searched
        found = memo["rule plans"] = tuple(
            RulePlan.of(r, points.get(r.id, 0.0), searched[r.id]) for r in checklist.rules
        )
    return found


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
    plan = RulePlan.of(rule, points, searched)
    return _evaluated(plan, doc, index, params or {}, cache if cache is not None else {}, lean)


def _evaluated(
    plan: RulePlan, doc: Document, index: PhraseIndex, params: dict[str, str], cache: dict[Any, Any], lean: bool
) -> tuple[Finding, Outcome | None]:
    """``_evaluate`` with its evidence quoted, a bug met on the way made this rule's ``error`` finding."""
    finding, outcome = _unquoted(plan, doc, index, params, cache, lean)
    quoted = _quoted_alone(plan, finding, _spans(outcome), doc)
    return quoted, outcome if quoted is finding else None


def _unquoted(
    plan: RulePlan, doc: Document, index: PhraseIndex, params: dict[str, str], cache: dict[Any, Any], lean: bool
) -> tuple[Finding, Outcome | None]:
    """``_evaluate``, a bug met on the way made this rule's ``error`` finding; its evidence (the
    spans of ``_spans(outcome)``) still to quote."""
    try:
        return _evaluate(plan, doc, index, params, cache, lean)
    except Exception as exc:
        return _internal_error(plan, exc), None


def _internal_error(plan: RulePlan, exc: Exception) -> Finding:
    """The ``error`` finding of a rule whose evaluation met a bug (the other rules go on)."""
    import traceback

    message = (
        f"本项检查时发生内部错误（{type(exc).__name__}），其他检查项不受影响；"
        "请加 --debug 重新运行以查看详细信息，并报告此问题"
    )
    finding = _finding(plan, Status.error, message, plan.rule.remediation)
    finding.error_code = "internal"
    finding.trace = traceback.format_exc()
    return finding


def _remediation(plan: RulePlan, cache: dict[Any, Any], doc: Document, params: dict[str, str]) -> str:
    if plan.remediation is not None:
        return plan.remediation
    return _format(plan.rule.remediation, _GAP, remember(cache, "fields", document_fields, doc, params))


def _evaluate(
    plan: RulePlan, doc: Document, index: PhraseIndex, params: dict[str, str], cache: dict[Any, Any], lean: bool
) -> tuple[Finding, Outcome | None]:
    rule = plan.rule
    budget = regex_budget(len(doc.text))
    ctx = Context(doc, index, plan.scope, {}, cache, params, Budget(budget), set(), Lean() if lean else None)
    remediation = _remediation(plan, cache, doc, params)
    try:
        if rule.applies is not None:
            reason = not_applicable_reason(rule, doc, ctx)
            if reason is not None:
                return _finding(plan, Status.not_applicable, reason, remediation), None
        if rule.values:
            ctx.values.update(_extra_values(rule, ctx))
        match = rule.match
        match_ctx = ctx.within(match.scope)
        outcome = match.evaluate(match_ctx)
        if rule.concepts:
            outcome = grey_zone(rule, match_ctx, outcome)
        if ctx.lean is not None and ctx.lean.trimmed and outcome.status == Status.gap and not outcome.hits:
            # the near miss reads the candidates, and the lean evaluation left some out
            match_ctx = replace(match_ctx, lean=None)
            outcome = grey_zone(rule, match_ctx, match.evaluate(match_ctx))
        if outcome.status == Status.gap and doc.earlier_years:
            outcome = _said_of_earlier_years(rule, match_ctx, outcome)
        if ctx.values:
            outcome = replace(outcome, values={**ctx.values, **outcome.values})
        status = outcome.status
        nm = _near_miss(plan.near, ctx, outcome) if status == Status.gap and not outcome.hits else None
    except TimeoutError as exc:
        finding = _finding(plan, Status.error, timeout_message(rule.id, exc, budget), remediation)
        finding.error_code = "timeout"
        return finding, None
    fields = remember(cache, "fields", document_fields, doc, params)
    message = _format(outcome.message or plan.templates[status], outcome, fields)
    if status == Status.gap:
        guess = _guessed(plan.gated, doc, ctx.reads)
        if guess is not None:  # never accuse on a guess: the gap rests on an inferred year or level
            status = Status.needs_review
            message = f"{message}{caveat(guess, getattr(doc.metadata, guess), doc.metadata.source(guess))}"
        elif doc.unread:  # what was not found may be on a page that could not be read
            status = Status.needs_review
            message = f"{message}{unread_caveat(doc.unread)}"
        elif doc.split_pages:  # … or on a page of the web article that was not saved
            status = Status.needs_review
            message = f"{message}{split_caveat(doc.split_pages)}"
    return _finding(plan, status, message, remediation, dict(outcome.values), (), nm), outcome


def unread_phrase(pages: tuple[int, ...], most: int | None = None) -> str:
    """第2、3页没有可读的文字（可能是扫描图片）: pages of a file that could not be read (the first
    ``most`` of them named, when given)."""
    shown = "、".join(str(p) for p in pages[:most]) + ("等" if most is not None and len(pages) > most else "")
    return f"第{shown}页没有可读的文字（可能是扫描图片）"


def unread_caveat(pages: tuple[int, ...]) -> str:
    """Why a gap is only a review item in a file with pages that could not be read."""
    return f"注意：报告{unread_phrase(pages, 5)}，未找到的内容可能在这些页上，故不作缺失认定，请人工复核。"


def split_phrase(pages: int) -> str:
    """网页原文分为3页，本文件只保存了其中一部分: a web article split over pages, not all saved."""
    return f"网页原文分为{pages}页，本文件只保存了其中一部分"


def split_caveat(pages: int) -> str:
    """Why a gap is only a review item in a web article of which some pages were not saved."""
    return f"注意：{split_phrase(pages)}，未找到的内容可能在其他页上，故不作缺失认定，请人工复核。"


#: metadata fields a verdict may rest on only when the report states them
GUARDED = ("year", "level")
_APPLIES_FIELD = {"year": "year", "level": "levels"}


def _gated(rule: Rule) -> tuple[str, ...]:
    """The fields of GUARDED the rule's ``applies`` gates it on."""
    applies = rule.applies
    return tuple(n for n in GUARDED if applies is not None and getattr(applies, _APPLIES_FIELD[n]))


def _guessed(gated: tuple[str, ...], doc: Document, reads: set[str]) -> str | None:
    """The first of year/level the rule's verdict depends on (read by its matchers, ``reads``, or
    gating it through ``applies``, ``gated``) that is inferred, contradicted or unknown; None when
    all are stated."""
    for name in GUARDED:
        if (name in reads or name in gated) and not doc.metadata.source(name).sure:
            return name
    return None


def _finding(
    plan: RulePlan,
    status: Status,
    message: str,
    remediation: str,
    values: dict[str, float] | None = None,
    evidence: tuple[Evidence, ...] = (),
    near: NearMiss | None = None,
) -> Finding:
    rule = plan.rule
    return Finding(
        plan.id,
        status,
        rule.title,
        message,
        rule.severity,
        plan.points,
        rule.category,
        rule.blocking,
        remediation,
        plan.references,
        values if values is not None else {},
        evidence,
        near,
        plan.searched,
        headline=plan.gap_headline if status == Status.gap else rule.title,
    )


def _disabled(plan: RulePlan, reason: str, fields: dict[str, Any]) -> Finding:
    remediation = _format(plan.rule.remediation, Outcome(Status.not_applicable), fields)
    return replace(_finding(plan, Status.not_applicable, f"已按配置停用：{reason}", remediation), searched="")


def audit(doc: Document, checklist: Checklist) -> ReportAudit:
    return audit_many([doc], checklist)[0]


def audit_many(docs: Sequence[Document], checklist: Checklist) -> list[ReportAudit]:
    """:func:`audit` of each document, the rules evaluated rule by rule across them (rule R for every
    document, then R+1): each rule's plans, expressions and regexes stay in the CPU caches from one
    document to the next, which cuts the rules' CPU by ≈ 9 % on a chunk of 8 (docs/performance.md,
    item 41). Each document keeps its own per-report cache; its findings are those of :func:`audit`."""
    params = checklist.header.params
    disabled = checklist.disabled
    rules = plans(checklist)
    ready = []
    for doc in docs:
        fields = document_fields(doc, params)
        ready.append((doc, checklist.index.for_text(doc.text), fields, {"fields": fields}))
    results: list[list[tuple[Finding, Outcome | None]]] = [[] for _ in ready]
    for p in rules:
        reason = disabled.get(p.id)
        for (doc, index, fields, shared), found in zip(ready, results, strict=True):
            found.append(
                (_disabled(p, reason, fields), None)
                if reason is not None
                else _unquoted(p, doc, index, params, shared, True)
            )
    scorer = _scorer(checklist)
    audits = []
    for (doc, _, _, _), found in zip(ready, results, strict=True):
        findings = _quoted(doc, rules, [f for f, _ in found], [_spans(outcome) for _, outcome in found])
        audits.append(ReportAudit(findings, scorer([f.status for f in findings])))
    return audits


def _scorer(checklist: Checklist) -> Scorer:
    """The checklist's ``score``, made ready on first use and remembered with the checklist."""
    memo = checklist.derived
    found: Scorer | None = memo.get("scorer")
    if found is None:
        rules = [Scored(r.id, r.category, r.weight, Status.met) for r in checklist.rules]
        found = memo["scorer"] = Scorer.of(rules, checklist.categories, checklist.scoring)
    return found


def _quoted(
    doc: Document, rules: tuple[RulePlan, ...], findings: list[Finding], spans: list[list[tuple[int, int]]]
) -> tuple[Finding, ...]:
    """The findings with their evidence (``spans[k]``: finding k's): every distinct span of the report
    quoted once, in one call (rules share spans); should that fail, each finding's spans are quoted
    alone and a failure makes that rule's ``error`` finding, as when a rule quotes its own."""
    try:
        quotes = _quotes(doc, list(dict.fromkeys(span for wanted in spans for span in wanted)))
    except Exception:
        return tuple(_quoted_alone(*args, doc) for args in zip(rules, findings, spans, strict=True))
    for finding, wanted in zip(findings, spans, strict=True):
        if wanted:
            finding.evidence = tuple([quotes[span] for span in wanted])
    return tuple(findings)


def _quoted_alone(plan: RulePlan, finding: Finding, spans: list[tuple[int, int]], doc: Document) -> Finding:
    """The finding with its evidence, or its rule's ``error`` finding when quoting it met a bug."""
    if spans:
        try:
            quotes = _quotes(doc, spans)
        except Exception as exc:
            return _internal_error(plan, exc)
        finding.evidence = tuple([quotes[span] for span in spans])
    return finding
