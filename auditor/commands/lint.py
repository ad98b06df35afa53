"""``auditor rules lint``: find rules that can never match and other authoring mistakes.

Checks (error = the rule cannot work as written; warning = probably a mistake):
- a regex with ``\\b`` next to Chinese (never a word boundary between Chinese characters);
- a regex with characters that normalisation removes (full-width forms, Chinese quotes,
  ideographic spaces), so it can never match the normalised text;
- a phrase that normalisation changes (it still matches, as the normalised form);
- unreachable thresholds (a percent compared beyond 0–100, a year range min > max);
- message placeholders ({name}) that no value or parameter provides;
- duplicate rules (the same match expression) and overlapping rules (same phrases);
- a rule whose ``met`` examples never exercise one of its plain phrases.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from auditor.checklist import Checklist, Example, Rule
from auditor.document.normalize import fold, normalize_phrase
from auditor.errors import ExitCode, Location
from auditor.loader import load_bundled, load_checklist
from auditor.matchers.fuzzy import FuzzySpec
from auditor.matchers.pattern import RegexSpec
from auditor.matchers.phrases import PhrasesSpec
from auditor.matchers.values import ValueSpec
from auditor.spectree import rule_specs

_CJK = "\u3400-\u9fff"
_B_NEAR_CJK = re.compile(rf"\\b[{_CJK}]|[{_CJK}][)?*+]*\\b")


@dataclass(frozen=True)
class LintIssue:
    location: Location
    severity: str  # "error" | "warning"
    rule_id: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        tail = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.location}: {self.severity}: {self.rule_id}: {self.message}{tail}"


def _regex_issues(rule: Rule, spec: RegexSpec) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for p in spec.patterns:
        if _B_NEAR_CJK.search(p):
            out.append(("error", f"regex {p!r} uses \\b next to Chinese: there is no word boundary between Chinese characters",
                        "remove \\b; use a lookaround such as (?<![论陈]) to exclude look-alikes"))
        stripped = re.sub(r"\\.", "", p)
        changed = [ch for ch in dict.fromkeys(stripped) if fold(ch) != ch and ch not in "\n\t"]
        if changed:
            shown = "".join(changed)
            out.append(("error", f"regex {p!r} contains {shown!r}, which normalisation replaces, so it can never match",
                        "write patterns against normalised text: half-width ( ) , : ; digits, '-' for dashes, '\"' for “”"))
    return out


def _phrase_issues(spec: PhrasesSpec | FuzzySpec) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for p in spec.phrases:
        n = normalize_phrase(p)
        if n != p:
            out.append(("warning", f"phrase {p!r} is matched as {n!r} after normalisation", "write it normalised to avoid surprises"))
    return out


def _value_issues(spec: ValueSpec) -> list[tuple[str, str, str | None]]:
    if spec.kind != "percent" or spec.op is None or spec.than is None:
        return []
    t = spec.than
    if (spec.op in (">", ">=") and t > 100) or (spec.op in ("<", "<=") and t < 0) or (spec.op == ">" and t == 100):
        return [("error", f"value {spec.name} {spec.op} {t:g} can never hold for a percentage", None)]
    return []


def _example_texts(rule: Rule) -> str:
    return "\n".join(normalize_phrase(i.text if isinstance(i, Example) else i) for i in rule.examples.met)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_+0-9]+)\}")
_BUILTIN_FIELDS = {"missing", "found", "Y", "Y+1", "published", "signed"}


def _placeholder_issues(checklist: Checklist, rule: Rule) -> list[LintIssue]:
    from auditor.matchers.compose import AtLeastSpec
    from auditor.matchers.meta import YearSpec
    from auditor.matchers.section import SectionSpec
    from auditor.matchers.values import CountSpec

    known = set(_BUILTIN_FIELDS) | set(checklist.header.params)
    for _, spec, _ in rule_specs(rule):
        if isinstance(spec, ValueSpec):
            known.add(spec.name)
        elif isinstance(spec, AtLeastSpec | CountSpec) and spec.value:
            known.add(spec.value)
        elif isinstance(spec, YearSpec):
            known.add("year")
        elif isinstance(spec, SectionSpec) and spec.value_prefix is not None:
            known.update({f"{spec.value_prefix}chars", f"{spec.value_prefix}items"})
    texts = {"gap_message": rule.gap_message, "review_message": rule.review_message, "met_message": rule.met_message,
             "na_message": rule.na_message, "remediation": rule.remediation}
    issues = []
    for field_name, text in texts.items():
        for name in _PLACEHOLDER.findall(text or ""):
            if name not in known:
                issues.append(LintIssue(checklist.sources[rule.id].locate((field_name,)), "error", rule.id,
                                        f"{field_name} uses {{{name}}}, which no value or parameter provides",
                                        f"known here: {', '.join(sorted(known))}"))
    return issues


def lint_rule(checklist: Checklist, rule: Rule) -> list[LintIssue]:
    source = checklist.sources[rule.id]
    issues: list[LintIssue] = _placeholder_issues(checklist, rule)
    met_text = _example_texts(rule)
    for path, spec, _ in rule_specs(rule):
        found: list[tuple[str, str, str | None]] = []
        if isinstance(spec, RegexSpec):
            found += _regex_issues(rule, spec)
        if isinstance(spec, PhrasesSpec | FuzzySpec):
            found += _phrase_issues(spec)
        if isinstance(spec, ValueSpec):
            found += _value_issues(spec)
        if isinstance(spec, PhrasesSpec) and path[0] == "match":
            unused = [p for p in spec.literals() if p not in met_text]
            if unused and len(unused) == len(spec.phrases) and rule.examples.met:
                found.append(("warning", f"no `met` example contains any of {', '.join(unused)}", "add an example for each phrase"))
        issues += [LintIssue(source.locate(path), sev, rule.id, msg, hint) for sev, msg, hint in found]
    a = rule.applies
    if a is not None and a.year is not None and a.year.min is not None and a.year.max is not None and a.year.min > a.year.max:
        issues.append(LintIssue(source.locate(("applies", "year")), "error", rule.id,
                                f"applies.year min {a.year.min} > max {a.year.max}: the rule never applies"))
    return issues


def lint_checklist(checklist: Checklist) -> list[LintIssue]:
    issues = [i for r in checklist.rules for i in lint_rule(checklist, r)]
    by_match: dict[str, list[str]] = defaultdict(list)
    by_phrase: dict[str, list[str]] = defaultdict(list)
    for r in checklist.rules:
        by_match[r.match.model_dump_json()].append(r.id)
        for p in dict.fromkeys(r.match.literals()):
            if len(p) >= 3:
                by_phrase[p].append(r.id)
    for ids in by_match.values():
        if len(ids) > 1:
            for rid in ids[1:]:
                issues.append(LintIssue(checklist.sources[rid].location, "error", rid,
                                        f"duplicate rule: same match expression as {ids[0]}", "merge the rules or make them differ"))
    overlaps: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for phrase, ids in by_phrase.items():
        uniq = tuple(dict.fromkeys(ids))
        if len(uniq) > 1:
            overlaps[uniq].append(phrase)
    for rule_ids, phrases in overlaps.items():
        issues.append(LintIssue(checklist.sources[rule_ids[-1]].location, "warning", rule_ids[-1],
                                f"overlaps with {', '.join(rule_ids[:-1])}: both look for {', '.join(phrases[:4])}",
                                "fine if intended (one text can satisfy both requirements)"))
    return issues


def lint(paths: list[str]) -> int:
    checklists = [load_checklist(paths)] if paths else load_bundled()
    errors = warnings = 0
    for c in checklists:
        for issue in lint_checklist(c):
            print(issue)
            if issue.severity == "error":
                errors += 1
            else:
                warnings += 1
    print(f"{errors} error(s), {warnings} warning(s)")
    return int(ExitCode.GATE_FAILED) if errors else 0
