"""``auditor rules explain RULE_ID FILE``: what one rule searched in one report, where,
every candidate with its score and verdict, and why the verdict came out as it did.

Plain Chinese for the people who read it (supervisors, clerks): the search is told by the
rule's description and the plain phrases it looks for; the regular expressions themselves
(and the raw status names) are shown only with ``--verbose``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from auditor.checklist import Checklist, Rule, concept_spec
from auditor.document import Document, understand
from auditor.engine import evaluate_rule, not_applicable_reason
from auditor.errors import UsageError
from auditor.matchers.anchors import split_alternatives
from auditor.matchers.base import Budget, Context, Scope, regex_budget
from auditor.matchers.registry import type_name
from auditor.readers import read_document
from auditor.selection import checklist_for
from auditor.spectree import rule_specs
from auditor.vocabulary import Level, Role, Status

#: what each match type does, in words (the tree of ``rules explain`` without --verbose)
TYPE_LABELS = {
    "all": "全部满足",
    "any": "任一满足",
    "none": "均不得出现",
    "at_least": "至少满足若干项",
    "absent": "不得出现",
    "cases": "依次判断",
    "date": "日期条件",
    "year": "年份条件",
    "metadata": "报告信息条件",
    "fuzzy": "近似表述",
    "near": "邻近出现",
    "regex": "查找表述",
    "phrases": "查找短语",
    "section": "报告部分",
    "table": "统计表",
    "tokens": "分词查找",
    "value": "提取数值",
    "count": "计数",
    "compare": "数值比较",
}
PHRASE_LIMIT = 12
_PLAIN = re.compile(r"[\u3400-\u9fff《》“”（）]{2,}")


def _words(patterns: list[str]) -> list[str]:
    """The alternatives of ``patterns`` that are plain Chinese words (出庭应诉 in 出庭应诉|出庭率)."""
    out = []
    for p in patterns:
        out += [a for a in split_alternatives(p) or (p,) if _PLAIN.fullmatch(a)]
    return list(dict.fromkeys(out))


def _phrases(rule: Rule) -> list[str]:
    """The plain phrases a rule searches for, in its expression tree's order."""
    found: list[str] = []
    for _, spec, _ in rule_specs(rule):
        found += [str(p) for p in spec.indexed_phrases()]
        found += _words(list(spec.indexed_patterns()))
    return list(dict.fromkeys(found))


def _listed(words: list[str]) -> str:
    shown = "、".join(words[:PHRASE_LIMIT])
    return shown + ("等" if len(words) > PHRASE_LIMIT else "")


def _plain_search(rule: Rule) -> list[str]:
    lines = [f"查找内容：{rule.description.strip()}" if rule.description else f"查找内容：{rule.title}"]
    words = _phrases(rule)
    if words:
        lines.append(f"查找的表述如：{_listed(words)}（也接受其他写法；完整的匹配规则加 --verbose 显示）")
    else:
        lines.append("（完整的匹配规则加 --verbose 显示）")
    return lines


def _shown(value: object) -> str:
    return "未识别" if value is None else str(value)


def _level(value: str | None) -> str:
    try:
        return Level(value or "unknown").label
    except ValueError:
        return value or "未识别"


def _values(values: Mapping[str, float]) -> str:
    return "、".join(f"{k} = {v:g}" for k, v in values.items())


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


def explain_text(checklist: Checklist, rule_id: str, doc: Document, *, verbose: bool = False) -> str:
    try:
        rule = checklist.rule(rule_id)
    except KeyError as exc:
        raise UsageError(
            f"核查清单 {checklist.id} 中没有规则 {rule_id}", hint="用 auditor rules list 查看全部规则编号"
        ) from exc
    index = checklist.index.for_text(doc.text)
    if rule.id in checklist.disabled:
        return f"{rule.id} {rule.title}\n已按配置停用：{checklist.disabled[rule.id]}\n"
    finding, _ = evaluate_rule(rule, doc, index, 1.0, checklist.header.params)
    m = doc.metadata
    out = [
        f"{rule.id} {rule.title}",
        f"结论：{Status(finding.status).label}"
        + (f"（{finding.status}）" if verbose else "")
        + f" — {finding.message}",
        f"报告：{m.title or '（未识别标题）'}；年度 {_shown(m.year)}；层级 {_level(m.level)}；"
        f"发布 {_shown(m.published)}；落款 {_shown(m.signed)}",
        "",
        "报告结构（各部分的角色）：",
        *_structure(doc),
        "",
        f"检查范围：{_scope(Scope().merged(rule.scope).describe(), verbose)}",
        *([f"查找内容：{rule.match.describe()}"] if verbose else _plain_search(rule)),
    ]
    base = Context(doc, index, scope=Scope().merged(rule.scope), params=dict(checklist.header.params))
    reason = not_applicable_reason(rule, doc, base)
    if reason:
        out += ["", f"不适用原因：{reason}"]
        return "\n".join(out) + "\n"
    out += ["", "逐项判断（每一项单独计算）："]
    contexts: dict[tuple[str | int, ...], Context] = {(): base}
    for path, spec, depth in rule_specs(rule):
        parent = contexts.get(path[:-1]) or contexts.get(path[:-2]) or contexts.get(path[:-3]) or base
        ctx = replace(parent.within(spec.scope), budget=Budget(regex_budget(len(doc.text))))  # a rule's budget each
        contexts[path] = ctx
        ctx.values.update(finding.values)
        try:
            o = spec.evaluate(ctx)
        except TimeoutError:
            out.append("  " * (depth + 1) + f"[{_node(spec, verbose)}] 超出时间限制")
            continue
        out.append(
            "  " * (depth + 1)
            + f"[{_node(spec, verbose)}] → {Status(o.status).label}"
            + (f"，数值 {_values(o.values)}" if o.values else "")
            + (f"，缺少 {_missing(o.missing, verbose)}" if o.missing else "")
        )
        for c in o.candidates[:12]:
            out.append(
                "  " * (depth + 2) + f"候选 {_snippet(doc, c.start, c.end)} 得分 {c.score:.0f} → {c.verdict.label}"
            )
        if len(o.candidates) > 12:
            out.append("  " * (depth + 2) + f"…另有 {len(o.candidates) - 12} 个候选")
    if rule.concepts:
        terms = " | ".join(rule.concepts) if verbose else _listed(_words(list(rule.concepts))) or "（见 --verbose）"
        out += ["", f"关键概念（出现而未匹配时判待复核，不判缺失）：{terms}"]
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
        out.append(f"提取的数值：{_values(finding.values)}")
    if finding.near_miss:
        nm = finding.near_miss
        out.append(f"最接近的表述：第{nm.line}行 「{nm.text[:40]}」 得分 {nm.score:g}（{nm.reason}）")
    return "\n".join(out) + "\n"


_REGEX_SYNTAX = re.compile(r"[()\[\]|\\*+?{}^$]")


def _missing(labels: tuple[str, ...], verbose: bool) -> str:
    """What a node misses; a label that is a regular expression only with --verbose."""
    plain = [m for m in labels if verbose or not _REGEX_SYNTAX.search(m)]
    hidden = len(labels) - len(plain)
    return "、".join(plain + ([f"{hidden} 项条件（加 --verbose 显示）"] if hidden else []))


def _scope(text: str, verbose: bool) -> str:
    return (
        text
        if verbose or not _REGEX_SYNTAX.search(text)
        else text.split("标题匹配")[0] + "限于指定标题下（加 --verbose 显示）"
    )


def _node(spec: object, verbose: bool) -> str:
    """A node of the expression tree: its match type (in words unless --verbose) and label."""
    name = type_name(type(spec))  # type: ignore[arg-type]
    label = getattr(spec, "label", None)
    shown = name if verbose else TYPE_LABELS.get(name, name)
    return f"{shown} {label}" if label else shown


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
    verbose: bool = False,
) -> None:
    from auditor.config import Config, effective, load_config

    config = Config() if no_config else load_config(config_path)
    c = checklist_for(rules, checklist, config, rule_id)
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError as exc:
            raise UsageError(f"--published {published} 不是日期", hint="格式为 YYYY-MM-DD，例如 2024-03-01") from exc
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
    print(explain_text(effective(c, config, doc.metadata.level), rule_id, doc, verbose=verbose), end="")
