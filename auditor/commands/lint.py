"""``auditor rules lint``: find rules that can never match and other authoring mistakes.

Checks (error = the rule cannot work as written; warning = probably a mistake):
- a regex with ``\\b`` next to Chinese (never a word boundary between Chinese characters);
- a regex with characters that normalisation removes (full-width forms, Chinese quotes,
  ideographic spaces), so it can never match the normalised text;
- a phrase that normalisation changes (it still matches, as the normalised form);
- unreachable thresholds (a percent compared beyond 0–100, a year range min > max);
- message placeholders ({name}) that no value or parameter provides;
- duplicate rules (the same match expression) and overlapping rules (same phrases);
- a rule whose ``met`` examples never exercise one of its plain phrases;
- a regex that can never match any text (``普法$^``, ``(?=甲)乙``; :mod:`.impossible`), also in
  ``exclude``, section headings and scope headings;
- an ``exclude`` that removes every hit of its own pattern or phrases (``exclude`` equal to the
  pattern, or matching inside every phrase);
- a ``scope`` that leaves no role to look in (``exclude_roles`` covering ``roles``, or every role);
- the same example text expected with two different statuses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from auditor.checklist import Checklist, Example, Rule
from auditor.config import Config
from auditor.document.normalize import normalize_phrase
from auditor.errors import ExitCode, Location
from auditor.matchers.base import AuthoringIssue, Scope, Spec
from auditor.selection import checklists_for
from auditor.spectree import rule_specs
from auditor.vocabulary import Role

ALL_ROLES: tuple[str, ...] = tuple(r.value for r in Role)


@dataclass(frozen=True)
class _ScopeHolder:
    """A rule's default scope, linted like a spec's."""

    scope: Scope


@dataclass(frozen=True)
class LintIssue:
    location: Location
    severity: str  # "error" | "warning"
    rule_id: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        tail = f"（提示：{self.hint}）" if self.hint else ""  # the frame of every user-facing message
        return f"{self.location}: {self.severity}: {self.rule_id}: {self.message}{tail}"


def _impossible_issues(spec: object) -> list[tuple[str, str, str | None]]:
    """Every regex a spec holds (patterns, excludes, headings) that can never match."""
    from auditor.commands.impossible import never_matches

    out: list[tuple[str, str, str | None]] = []
    for kind, p in _spec_regexes(spec):
        reason = never_matches(p)
        if reason:
            out.append(("error", f"{kind} {p!r} can never match: {reason}", "remove the contradiction"))
    return out


def _spec_regexes(spec: object) -> list[tuple[str, str]]:
    """Every regex a node runs, by kind: its own patterns, excludes, headings, scope headings."""
    found: list[tuple[str, str]] = []
    if isinstance(spec, Spec):
        found += [("regex", p) for p in spec.indexed_patterns()]
        found += [("exclude", p) for p in getattr(spec, "exclude", None) or []]
        found += [("heading", p) for p in spec.heading_patterns()]
    scope = spec if isinstance(spec, Scope) else getattr(spec, "scope", None)
    if isinstance(scope, Scope):
        found += [("scope heading", p) for p in scope.headings or []]
    return found


def _exclude_issues(spec: object) -> list[AuthoringIssue]:
    """An exclude that overlaps every possible hit: nothing the matcher finds can ever count."""
    from auditor.matchers.base import compile_regex

    excludes = list(getattr(spec, "exclude", None) or [])
    if not excludes or not isinstance(spec, Spec):
        return []
    patterns = spec.indexed_patterns()
    same = [p for p in patterns if p in excludes]
    if same and len(same) == len(patterns):
        return [
            (
                "error",
                f"exclude {same[0]!r} is the pattern itself: every hit is excluded",
                "exclude only the look-alike context, e.g. 论述法 for 述法",
            )
        ]
    targets = spec.exclude_targets()
    if targets is None:
        return []
    killed = [t for t in targets if any(compile_regex(x).search(normalize_phrase(t)) for x in excludes)]
    if targets and len(killed) == len(targets):
        return [
            (
                "error",
                f"exclude {', '.join(excludes)} matches inside every phrase it should filter "
                f"({', '.join(killed[:4])}): every hit is excluded",
                "exclude only the look-alike context around the phrase",
            )
        ]
    return [
        (
            "warning",
            f"exclude {', '.join(excludes)} matches inside {t!r}: that phrase can never count",
            "exclude only the look-alike context around the phrase",
        )
        for t in killed
    ]


def _scope_issues(spec: object) -> list[tuple[str, str, str | None]]:
    scope = spec if isinstance(spec, Scope) else getattr(spec, "scope", None)
    if not isinstance(scope, Scope):
        return []
    roles = set(scope.roles) if scope.roles is not None else set(ALL_ROLES)
    left = roles - set(scope.exclude_roles or [])
    if scope.roles is not None and not scope.roles:
        return [("error", "scope.roles is empty: the rule looks nowhere", "list the roles to look in, or drop `roles`")]
    if not left:
        return [
            (
                "error",
                f"scope excludes every role it looks in ({', '.join(sorted(roles))}): the rule looks nowhere",
                "remove a role from exclude_roles",
            )
        ]
    return []


def _example_issues(rule: Rule) -> list[tuple[str, str, str | None]]:
    seen: dict[object, str] = {}
    out: list[tuple[str, str, str | None]] = []
    ex = rule.examples
    for status, items in (
        ("met", ex.met),
        ("gap", ex.gap),
        ("review", ex.review),
        ("not_applicable", ex.not_applicable),
    ):
        for item in items:
            # the same text with other options (year, level, published …) may rightly differ
            text = item.model_dump_json() if isinstance(item, Example) else normalize_phrase(item)
            if text in seen and seen[text] != status:
                out.append(
                    (
                        "error",
                        f"the same example text is expected both {seen[text]} and {status}",
                        "an example can have one verdict only",
                    )
                )
            seen.setdefault(text, status)
    return out


def _example_texts(rule: Rule) -> str:
    return "\n".join(normalize_phrase(i.text if isinstance(i, Example) else i) for i in rule.examples.met)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_+0-9]+)\}")
_BUILTIN_FIELDS = {"missing", "found", "Y", "Y+1", "published", "signed"}


def _placeholder_issues(checklist: Checklist, rule: Rule) -> list[LintIssue]:
    known = set(_BUILTIN_FIELDS) | set(checklist.header.params)
    for _, spec, _ in rule_specs(rule):
        known.update(spec.produces())
    texts = {
        "gap_message": rule.gap_message,
        "review_message": rule.review_message,
        "met_message": rule.met_message,
        "na_message": rule.na_message,
        "remediation": rule.remediation,
    }
    issues = []
    for field_name, text in texts.items():
        for name in _PLACEHOLDER.findall(text or ""):
            if name not in known:
                issues.append(
                    LintIssue(
                        checklist.sources[rule.id].locate((field_name,)),
                        "error",
                        rule.id,
                        f"{field_name} uses {{{name}}}, which no value or parameter provides",
                        f"known here: {', '.join(sorted(known))}",
                    )
                )
    return issues


def lint_rule(checklist: Checklist, rule: Rule) -> list[LintIssue]:
    source = checklist.sources[rule.id]
    issues: list[LintIssue] = _placeholder_issues(checklist, rule)
    met_text = _example_texts(rule)
    for path, spec, _ in rule_specs(rule):
        found = spec.lint() + _impossible_issues(spec) + _exclude_issues(spec) + _scope_issues(spec)
        indexed = spec.indexed_phrases()
        if indexed and path[0] == "match":
            unused = [p for p in indexed if p not in met_text]
            if unused and len(unused) == len(indexed) and rule.examples.met:
                found.append(
                    (
                        "warning",
                        f"no `met` example contains any of {', '.join(unused)}",
                        "add an example for each phrase",
                    )
                )
        issues += [LintIssue(source.locate(path), sev, rule.id, msg, hint) for sev, msg, hint in found]
    issues += [LintIssue(source.location, sev, rule.id, msg, hint) for sev, msg, hint in _example_issues(rule)]
    if rule.scope is not None:
        issues += [
            LintIssue(source.locate(("scope",)), sev, rule.id, msg, hint)
            for sev, msg, hint in _scope_issues(rule.scope) + _impossible_issues(_ScopeHolder(rule.scope))
        ]
    a = rule.applies
    if (
        a is not None
        and a.year is not None
        and a.year.min is not None
        and a.year.max is not None
        and a.year.min > a.year.max
    ):
        issues.append(
            LintIssue(
                source.locate(("applies", "year")),
                "error",
                rule.id,
                f"applies.year min {a.year.min} > max {a.year.max}: the rule never applies",
            )
        )
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
                issues.append(
                    LintIssue(
                        checklist.sources[rid].location,
                        "error",
                        rid,
                        f"duplicate rule: same match expression as {ids[0]}",
                        "merge the rules or make them differ",
                    )
                )
    overlaps: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for phrase, ids in by_phrase.items():
        uniq = tuple(dict.fromkeys(ids))
        if len(uniq) > 1:
            overlaps[uniq].append(phrase)
    for rule_ids, phrases in overlaps.items():
        issues.append(
            LintIssue(
                checklist.sources[rule_ids[-1]].location,
                "warning",
                rule_ids[-1],
                f"overlaps with {', '.join(rule_ids[:-1])}: both look for {', '.join(phrases[:4])}",
                "fine if intended (one text can satisfy both requirements)",
            )
        )
    return issues


def lint(paths: list[str]) -> int:
    checklists = checklists_for(paths, None, Config())
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
