"""``auditor rules explain RULE_ID FILE``: what one rule searched in one report, where,
every candidate with its score and verdict, and why the verdict came out as it did."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from auditor.checklist import Checklist, concept_spec
from auditor.document import Document, understand
from auditor.engine import evaluate_rule, not_applicable_reason
from auditor.errors import UsageError
from auditor.matchers.base import Budget, Context, Scope, regex_budget
from auditor.matchers.registry import type_name
from auditor.readers import read_document
from auditor.selection import checklist_for
from auditor.spectree import rule_specs
from auditor.vocabulary import Role, Status


def _structure(doc: Document) -> list[str]:
    lines = []
    for p in doc.parts:
        start = doc.evidence(p.start, p.start + 1).line
        end = doc.evidence(max(p.start, p.end - 1), p.end).line
        head = doc.sections[p.section].label[:30] if p.section is not None else "（无标题）"
        lines.append(f"  第{start}–{end}行  {Role(p.role).label if p.role else p.role:<12} {head}")
    return lines


def _snippet(doc: Document, start: int, end: int) -> str:
    ev = doc.evidence(start, end)
    return f"第{ev.line}行 「{ev.text[:40]}」"


def explain_text(checklist: Checklist, rule_id: str, doc: Document) -> str:
    try:
        rule = checklist.rule(rule_id)
    except KeyError as exc:
        raise UsageError(f"no rule {rule_id!r} in checklist {checklist.id}", hint="see `auditor rules list`") from exc
    index = checklist.index.for_text(doc.text)
    if rule.id in checklist.disabled:
        return f"{rule.id} {rule.title}\n已按配置停用：{checklist.disabled[rule.id]}\n"
    finding, _ = evaluate_rule(rule, doc, index, 1.0, checklist.header.params)
    m = doc.metadata
    out = [
        f"{rule.id} {rule.title}",
        f"结论：{Status(finding.status).label}（{finding.status}） — {finding.message}",
        f"报告：{m.title or '（未识别标题）'}；年度 {m.year}；层级 {m.level}；发布 {m.published}；落款 {m.signed}",
        "",
        "报告结构（各部分的角色）：",
        *_structure(doc),
        "",
        f"检查范围：{Scope().merged(rule.scope).describe()}",
        f"查找内容：{rule.match.describe()}",
    ]
    base = Context(doc, index, scope=Scope().merged(rule.scope), params=dict(checklist.header.params))
    reason = not_applicable_reason(rule, doc, base)
    if reason:
        out += ["", f"不适用原因：{reason}"]
        return "\n".join(out) + "\n"
    out += ["", "逐项判断（表达式树，每个节点单独计算）："]
    contexts: dict[tuple[str | int, ...], Context] = {(): base}
    for path, spec, depth in rule_specs(rule):
        parent = contexts.get(path[:-1]) or contexts.get(path[:-2]) or contexts.get(path[:-3]) or base
        ctx = replace(parent.within(spec.scope), budget=Budget(regex_budget(len(doc.text))))  # a rule's budget each
        contexts[path] = ctx
        ctx.values.update(finding.values)
        try:
            o = spec.evaluate(ctx)
        except TimeoutError:
            out.append("  " * (depth + 1) + f"[{type_name(type(spec))}] 正则超时")
            continue
        label = f" {spec.label}" if spec.label else ""
        out.append(
            "  " * (depth + 1)
            + f"[{type_name(type(spec))}{label}] → {Status(o.status).label}"
            + (f"，数值 {dict(o.values)}" if o.values else "")
            + (f"，缺少 {'、'.join(o.missing)}" if o.missing else "")
        )
        for c in o.candidates[:12]:
            out.append(
                "  " * (depth + 2) + f"候选 {_snippet(doc, c.start, c.end)} 得分 {c.score:.0f} → {c.verdict.label}"
            )
        if len(o.candidates) > 12:
            out.append("  " * (depth + 2) + f"…另有 {len(o.candidates) - 12} 个候选")
    if rule.concepts:
        out += ["", f"关键概念（出现而未匹配时判待复核，不判缺失）：{' | '.join(rule.concepts)}"]
        where = (
            base.within(rule.match.scope)
            if rule.concept_scope is None
            else Context(doc, index, scope=Scope().merged(rule.concept_scope), params=dict(checklist.header.params))
        )
        grey = concept_spec(tuple(rule.concepts)).evaluate(where)
        for c in grey.candidates[:12]:
            out.append(f"    概念 {_snippet(doc, c.start, c.end)} → {c.verdict.label}")
        if not grey.candidates:
            out.append("    （报告中未出现）")
    out += ["", "证据："]
    out += [f"  第{e.line}行 [{e.section or '—'}] 「{e.text[:60]}」" for e in finding.evidence] or ["  （无）"]
    if finding.values:
        out.append(f"提取的数值：{finding.values}")
    if finding.near_miss:
        nm = finding.near_miss
        out.append(f"最接近的表述：第{nm.line}行 「{nm.text[:40]}」 得分 {nm.score:g}（{nm.reason}）")
    return "\n".join(out) + "\n"


def explain(
    rule_id: str,
    path: str,
    rules: list[str],
    checklist: str | None,
    year: int | None,
    level: str | None,
    published: str | None,
    config_path: str | None = None,
    no_config: bool = False,
) -> None:
    from auditor.config import Config, effective, load_config

    config = Config() if no_config else load_config(config_path)
    c = checklist_for(rules, checklist, config)
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError as exc:
            raise UsageError(f"--published {published!r} is not a date", hint="YYYY-MM-DD") from exc
    extracted = read_document(path)
    from_config = frozenset(
        k for k, given in (("year", year), ("level", level)) if given is None and config.get(k) is not None
    )
    doc = understand(
        extracted.text,
        year=year if year is not None else config.get("year"),
        level=level if level is not None else config.get("level"),
        published=pub,
        from_config=from_config,
    )
    print(explain_text(effective(c, config, doc.metadata.level), rule_id, doc), end="")
