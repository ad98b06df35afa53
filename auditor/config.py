"""Project configuration: ``auditor.toml`` or ``[tool.auditor]`` in ``pyproject.toml``.

Discovered upward from the current folder (or given with ``--config``). It selects the
checklist, sets default output formats and gates, disables rules (with a reason),
overrides rule weights, severities, blocking and any rule parameter by a dotted path
(thresholds, deadlines), and picks a profile by report level:

.. code-block:: toml

    checklist = "fazhi"
    year = 2023            # the year reported on, when every report of the folder is of one year
    formats = ["json"]
    fail_under = 60

    [disable]
    "QUA-01" = "本地考核不要求量化密度"

    [rules."IND-01"]
    weight = 2
    blocking = true

    [params]
    publish_deadline = "{Y+1}-02-28"

    [profiles.township.disable]
    "IND-05" = "乡镇不制定规范性文件"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditor.checklist import Checklist, Rule
from auditor.errors import Location, UsageError

KNOWN_KEYS = {"checklist", "year", "level", "rules_paths", "formats", "fail_under", "fail_on", "jobs", "max_chars", "disable",
              "rules", "profiles", "output", "params"}
RULE_KEYS = {"weight", "severity", "blocking"}
LEVELS = ("township", "county", "city", "province", "department", "unknown")


@dataclass(frozen=True)
class RuleOverride:
    weight: float | None = None
    severity: str | None = None
    blocking: bool | None = None
    params: dict[str, Any] = field(default_factory=dict)  # dotted path -> value


@dataclass(frozen=True)
class Profile:
    disable: dict[str, str] = field(default_factory=dict)
    rules: dict[str, RuleOverride] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # checklist parameters, e.g. publish_deadline


@dataclass(frozen=True)
class Config:
    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # checklist, formats, fail_under, ...
    base: Profile = field(default_factory=Profile)
    profiles: dict[str, Profile] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        if key == "rules_paths" and self.path and isinstance(value, list):
            base = Path(self.path).parent  # paths in the file are relative to the file
            return [str(base / v) for v in value]
        if key == "checklist" and self.path and isinstance(value, str) and (Path(self.path).parent / value).exists():
            return str(Path(self.path).parent / value)
        return value


def discover(start: Path | None = None) -> Path | None:
    """The nearest auditor.toml, or pyproject.toml with [tool.auditor], upward from ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "auditor.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "auditor" in data.get("tool", {}):
                return pyproject
    return None


def _bad(path: Path, message: str, hint: str | None = None) -> UsageError:
    return UsageError(message, location=Location(str(path)), hint=hint)


def _rule_override(path: Path, rid: str, table: Any) -> RuleOverride:
    if not isinstance(table, dict):
        raise _bad(path, f"rules.{rid} must be a table", 'e.g. [rules."IND-01"] weight = 2')
    params = {k: v for k, v in table.items() if k not in RULE_KEYS}
    for k in params:
        if "." not in k and k not in ("match", "applies"):
            raise _bad(path, f"rules.{rid}: unknown key {k!r}",
                       'use weight, severity, blocking, or a dotted parameter path such as "match.min"')
    return RuleOverride(table.get("weight"), table.get("severity"), table.get("blocking"), params)


def _profile(path: Path, data: dict[str, Any], where: str) -> Profile:
    disable = data.get("disable", {})
    if not isinstance(disable, dict) or not all(isinstance(v, str) and v.strip() for v in disable.values()):
        raise _bad(path, f"{where}disable must map rule ids to a reason", '[disable] "QUA-01" = "本地不考核"')
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise _bad(path, f"{where}rules must be a table of rule ids")
    params = data.get("params", {})
    if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
        raise _bad(path, f"{where}params must map names to strings", '[params] publish_deadline = "{Y+1}-02-28"')
    return Profile(dict(disable), {rid: _rule_override(path, rid, t) for rid, t in rules.items()}, dict(params))


def load(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, f"cannot read configuration: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise _bad(path, f"invalid TOML: {exc}", "check quotes around rule ids like \"IND-01\"") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise _bad(path, f"unknown configuration key(s): {', '.join(sorted(unknown))}",
                   f"known keys: {', '.join(sorted(KNOWN_KEYS))}")
    profiles = data.get("profiles", {})
    for level in profiles:
        if level not in LEVELS:
            raise _bad(path, f"unknown profile level {level!r}", f"levels: {', '.join(LEVELS)}")
    values = {k: v for k, v in data.items() if k not in ("disable", "rules", "profiles", "params")}
    return Config(str(path), values, _profile(path, data, ""),
                  {lvl: _profile(path, p, f"profiles.{lvl}.") for lvl, p in profiles.items()})


def load_config(explicit: str | None) -> Config:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise UsageError(f"configuration file not found: {explicit}")
        return load(p)
    found = discover()
    return load(found) if found else Config()


# ------------------------------------------------------------------ applying to rules


def _set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    cur: Any = data
    for k in keys[:-1]:
        cur = cur[int(k)] if isinstance(cur, list) else cur[k]
    last = keys[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    elif last in cur or isinstance(cur, dict):
        cur[last] = value


def override_rule(rule: Rule, o: RuleOverride, source: str) -> Rule:
    data = rule.model_dump(by_alias=True, exclude_none=True)
    for key in ("weight", "severity", "blocking"):
        if getattr(o, key) is not None:
            data[key] = getattr(o, key)
    for dotted, value in o.params.items():
        try:
            _set_path(data, dotted, value)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise UsageError(f"rules.{rule.id}: no parameter {dotted!r} in this rule",
                             location=Location(source), hint="see the rule's YAML for parameter paths") from exc
    try:
        return Rule.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"rules.{rule.id}: invalid override: {first['msg']}", location=Location(source)) from exc


def apply_profile(checklist: Checklist, profile: Profile, source: str) -> Checklist:
    ids = {r.id for r in checklist.rules}
    for rid in [*profile.disable, *profile.rules]:
        if rid not in ids:
            raise UsageError(f"configuration names unknown rule {rid!r} for checklist {checklist.id}",
                             location=Location(source), hint="see `auditor rules list`")
    unknown = set(profile.params) - set(checklist.header.params)
    if unknown:
        raise UsageError(f"configuration sets unknown parameter(s) {', '.join(sorted(unknown))} for checklist {checklist.id}",
                         location=Location(source), hint=f"parameters: {', '.join(checklist.header.params) or 'none'}")
    rules = tuple(override_rule(r, profile.rules[r.id], source) if r.id in profile.rules else r
                  for r in checklist.rules)
    header = checklist.header
    if profile.params:
        header = header.model_copy(update={"params": {**header.params, **profile.params}})
    return replace(checklist, header=header, rules=rules, disabled={**checklist.disabled, **profile.disable})


def effective(checklist: Checklist, config: Config, level: str | None) -> Checklist:
    """The checklist after the configuration's base profile and the level's profile."""
    if config.path is None:
        return checklist
    out = apply_profile(checklist, config.base, config.path)
    if level in config.profiles:
        out = apply_profile(out, config.profiles[level], config.path)
    return out
