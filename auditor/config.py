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

import json
import os
import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditor.checklist import Checklist, Rule, RuleOverride
from auditor.errors import Location, UsageError
from auditor.vocabulary import LEVELS

KNOWN_KEYS = {
    "extend",
    "checklist",
    "year",
    "level",
    "rules_paths",
    "formats",
    "fail_under",
    "fail_on",
    "jobs",
    "max_chars",
    "disable",
    "rules",
    "profiles",
    "output",
    "params",
    "compare",
    "card",
}
COMPARE_KEYS = {"copy_share"}
CARD_KEYS = {"issuer", "deadline_days"}
RULE_KEYS = {"weight", "severity", "blocking"}


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
    #: every file read, in order (an ``extend``ed parent before the file that extends it)
    files: tuple[str, ...] = ()
    #: the file each value came from (values of an extended parent keep their parent)
    origins: dict[str, str] = field(default_factory=dict)

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


@dataclass(frozen=True)
class _Source:
    """The configuration file being read, to locate a key on its line."""

    path: Path
    text: str = ""
    prefix: tuple[str, ...] = ()  # ("tool", "auditor") in pyproject.toml

    def at(self, *keys: str) -> Location:
        return Location(str(self.path), key_line(self.text, (*self.prefix, *keys)))

    def bad(self, keys: tuple[str, ...], message: str, hint: str | None = None) -> UsageError:
        return UsageError(message, location=self.at(*keys), hint=hint)


_TABLE = re.compile(r"^\s*\[\[?(?P<name>[^\]]+)\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(
    r"^\s*(?P<name>(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_\-]+)"
    r"(?:\s*\.\s*(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*="
)
_PART = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.|$)")


def _dotted(name: str) -> tuple[str, ...]:
    parts = []
    for m in _PART.finditer(name.strip()):
        part = m.group(1)
        if part[0] == '"':
            part = json.loads(part) if "\\" in part else part[1:-1]
        elif part[0] == "'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def key_line(text: str, keys: tuple[str, ...]) -> int | None:
    """The 1-based line where the TOML key ``keys`` (a full dotted path) is set or its table
    opens; None when it cannot be told (tomllib gives no positions)."""
    table: tuple[str, ...] = ()
    best: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE.match(line)
        if header:
            table = _dotted(header.group("name"))
            if table == keys and best is None:
                best = number
            continue
        assign = _ASSIGN.match(line)
        if assign:
            full = (*table, *_dotted(assign.group("name")))
            if full == keys:
                return number
            inline = line[assign.end() :].lstrip().startswith("{")
            if best is None and inline and len(full) < len(keys) and keys[: len(full)] == full:
                best = number  # an inline table holding the key
    return best


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _strings(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


FAIL_ON = ("gap", "needs_review", "error")
SEVERITIES = ("must", "should", "hint")

# key -> (accepts the value?, what it must be, an example)
VALUE_TYPES: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "checklist": (lambda v: isinstance(v, str) and bool(v.strip()), "核查清单的名称或路径", 'checklist = "fazhi"'),
    "rules_paths": (_strings, "规则文件或文件夹的列表", 'rules_paths = ["rules/"]'),
    "formats": (_strings, "输出格式的列表", 'formats = ["json", "html"]'),
    "fail_under": (lambda v: _is_number(v) and 0 <= v <= 100, "0 到 100 之间的分数", "fail_under = 60"),
    "fail_on": (
        lambda v: _strings(v) and set(v) <= set(FAIL_ON),
        f"状态的列表（{', '.join(FAIL_ON)}）",
        'fail_on = ["gap"]',
    ),
    "jobs": (lambda v: _is_int(v) and v >= 1, "不小于 1 的整数（进程数）", "jobs = 2"),
    "max_chars": (lambda v: _is_int(v) and v >= 1, "不小于 1 的整数（字符数）", "max_chars = 20000000"),
    "output": (lambda v: isinstance(v, str) and bool(v), "文件或文件夹路径", 'output = "out/"'),
    "extend": (
        lambda v: isinstance(v, str) and bool(v.strip()),
        "另一个 auditor.toml 的路径",
        'extend = "../auditor.toml"',
    ),
}
RULE_TYPES: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "weight": (lambda v: _is_number(v) and v >= 0, "不小于 0 的数", "weight = 2"),
    "severity": (lambda v: v in SEVERITIES, f"以下之一：{', '.join(SEVERITIES)}", 'severity = "must"'),
    "blocking": (lambda v: isinstance(v, bool), "true 或 false", "blocking = true"),
}


def _shown(value: Any) -> str:
    """A value as TOML would write it (short)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _check(
    src: _Source, keys: tuple[str, ...], value: Any, rule: tuple[Callable[[Any], bool], str, str], prefix: str = ""
) -> None:
    accepts, what, example = rule
    if not accepts(value):
        name = keys[-1] if prefix else ".".join(keys)
        raise src.bad(keys, f"{prefix}{name} = {_shown(value)} 不是{what}", f"例如 {example}")


def _rule_override(src: _Source, keys: tuple[str, ...], table: Any) -> RuleOverride:
    rid = keys[-1]
    if not isinstance(table, dict):
        raise src.bad(keys, f"rules.{rid} 应为一个表", '例如 [rules."IND-01"] weight = 2')
    for key, rule in RULE_TYPES.items():
        if key in table:
            _check(src, (*keys, key), table[key], rule, prefix=f"{'.'.join(keys)} 的覆盖设置无效：")
    params = {k: v for k, v in table.items() if k not in RULE_KEYS}
    for k in params:
        if "." not in k and k not in ("match", "applies"):
            raise src.bad(
                (*keys, k),
                f"rules.{rid}：未知的键 {k}",
                '可用 weight、severity、blocking，或带点的参数路径，例如 "match.min"',
            )
        if k.split(".")[0] == "examples":  # examples (and the files they read) belong to the rule file
            raise src.bad(
                (*keys, k),
                f"rules.{rid}：{k} 不是参数：配置文件不能修改规则的示例",
                '只能覆盖 match 或 applies 的参数，例如 "match.min"',
            )
    return RuleOverride(
        id=rid,
        weight=table.get("weight"),
        severity=table.get("severity"),
        blocking=table.get("blocking"),
        params=params,
    )


def _profile(src: _Source, data: dict[str, Any], keys: tuple[str, ...]) -> Profile:
    where = "".join(f"{k}." for k in keys)
    disable = data.get("disable", {})
    if not isinstance(disable, dict) or not all(isinstance(v, str) and v.strip() for v in disable.values()):
        raise src.bad(
            (*keys, "disable"), f"{where}disable 应把规则编号对应到停用理由", '[disable] "QUA-01" = "本地不考核"'
        )
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise src.bad((*keys, "rules"), f"{where}rules 应为以规则编号为键的表", '[rules."IND-01"] weight = 2')
    params = data.get("params", {})
    if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
        raise src.bad(
            (*keys, "params"), f"{where}params 应把参数名对应到文本", '[params] publish_deadline = "{Y+1}-02-28"'
        )
    overrides = {rid: _rule_override(src, (*keys, "rules", rid), t) for rid, t in rules.items()}
    return Profile(dict(disable), overrides, dict(params))


def _table_of(src: _Source, name: str, table: Any, keys: Collection[str], example: str) -> None:
    """A ``[name]`` section that must be a table of the given keys only (located error otherwise)."""
    if not isinstance(table, dict):
        raise src.bad((name,), f"{name} 应为一个表（[{name}]）", example)
    unknown = set(table) - set(keys)
    if unknown:
        raise src.bad(
            (name, sorted(unknown)[0]),
            f"[{name}] 中有未知的键：{', '.join(sorted(unknown))}",
            f"可用的键：{', '.join(sorted(keys))}",
        )


def _compare(src: _Source, table: Any) -> None:
    """``[compare]``: settings of ``auditor compare``."""
    _table_of(src, "compare", table, COMPARE_KEYS, "[compare] copy_share = 0.3")
    if "copy_share" in table:
        _check(
            src,
            ("compare", "copy_share"),
            table["copy_share"],
            (lambda v: _is_number(v) and 0 < v <= 1, "大于 0、不大于 1 的比例", "copy_share = 0.3"),
        )


@dataclass(frozen=True)
class CardSettings:
    """``[card]``: who audits (the signature block of the one-page card) and how many days the
    unit has to remedy (整改期限, counted from the audit date); None when not configured."""

    issuer: str | None = None
    deadline_days: int | None = None


CARD_TYPES: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "issuer": (lambda v: isinstance(v, str) and bool(v.strip()), "核查单位名称（非空文本）", 'issuer = "某某县司法局"'),
    "deadline_days": (lambda v: _is_int(v) and 1 <= v <= 3650, "1 至 3650 之间的整数天数", "deadline_days = 30"),
}


def _card(src: _Source, table: Any) -> None:
    """``[card]``: the one-page card's issuer and remediation deadline."""
    _table_of(src, "card", table, CARD_KEYS, '[card] issuer = "某某县司法局"')
    for key, (accepts, what, example) in CARD_TYPES.items():
        if key in table and not accepts(table[key]):
            raise src.bad(("card", key), f"card.{key} = {_shown(table[key])} 不是{what}", f"例如 {example}")


def card_settings(config: Config) -> CardSettings:
    """The ``[card]`` settings of a (validated) configuration."""
    table = config.values.get("card")
    if not isinstance(table, dict):
        return CardSettings()
    issuer = table.get("issuer")
    days = table.get("deadline_days")
    return CardSettings(issuer.strip() if isinstance(issuer, str) else None, days if _is_int(days) else None)


def load(path: Path, _extending: tuple[Path, ...] = ()) -> Config:
    """Read a configuration file, and the file it ``extend``s (as Ruff does: the parent's
    values, disabled rules, overrides and profiles, with this file's on top); every problem
    (syntax, unknown key, wrong type, a missing or circular ``extend``) is a UsageError located
    at the file and, where it can be told, the line."""
    own, extend, src = _load_one(path)
    if extend is None:
        return own
    real = path.resolve()
    parent_path = (path.parent / extend).resolve()
    if parent_path in (*_extending, real):
        raise src.bad(
            ("extend",),
            f"extend = {extend!r} 又回到了继承它的文件（循环继承）",
            "让 extend 指向一个不继承本文件的上级配置",
        )
    if not parent_path.is_file():
        raise src.bad(
            ("extend",),
            f"extend = {extend!r}：文件不存在（{parent_path}）",
            "写上级 auditor.toml 的路径（相对于本文件）",
        )
    return _merged(load(parent_path, (*_extending, real)), own)


def _merged(parent: Config, child: Config) -> Config:
    """``child`` on top of ``parent``; the parent's paths stay relative to the parent's file."""
    values = {k: _anchored(parent, k) for k in parent.values}
    values.update(child.values)
    origins = {**parent.origins, **child.origins}
    profiles = {
        lvl: _merge_profile(parent.profiles.get(lvl, Profile()), child.profiles.get(lvl, Profile()))
        for lvl in dict.fromkeys([*parent.profiles, *child.profiles])
    }
    return Config(
        child.path, values, _merge_profile(parent.base, child.base), profiles, (*parent.files, *child.files), origins
    )


def _anchored(config: Config, key: str) -> Any:
    """A value as its own file means it: relative paths made absolute against that file."""
    value = config.get(key)
    if key == "rules_paths" and isinstance(value, list):
        return [str(Path(v).resolve()) for v in value]
    if key in ("output", "checklist") and isinstance(value, str) and config.path:
        candidate = Path(config.path).parent / value
        if key == "output" or candidate.exists():
            return str(candidate.resolve())
    return value


def _merge_profile(parent: Profile, child: Profile) -> Profile:
    rules = dict(parent.rules)
    for rid, o in child.rules.items():
        base = rules.get(rid)
        rules[rid] = o if base is None else base.then(o)
    return Profile({**parent.disable, **child.disable}, rules, {**parent.params, **child.params})


def _load_one(path: Path) -> tuple[Config, str | None, _Source]:
    """One configuration file as written, and the path it extends (if any)."""
    src = _Source(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise src.bad((), f"无法读取配置文件：{exc.strerror}", "检查路径和读取权限") from exc
    except UnicodeDecodeError as exc:
        raise src.bad((), "无法读取配置文件：不是 UTF-8 编码的文本", "请以 UTF-8 编码保存该文件") from exc
    except tomllib.TOMLDecodeError as exc:
        raise src.bad((), f"TOML 格式错误：{exc}", '检查引号，规则编号要加引号，如 "IND-01"') from exc
    src = _Source(path, text)
    if path.name == "pyproject.toml":
        src = _Source(path, text, ("tool", "auditor"))
        data = data.get("tool", {}).get("auditor", {})
        if not isinstance(data, dict):
            raise src.bad((), "[tool.auditor] 应为一个表", '[tool.auditor] checklist = "fazhi"')
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise src.bad(
            (sorted(unknown)[0],),
            f"未知的配置项：{', '.join(sorted(unknown))}",
            f"可用的配置项：{', '.join(sorted(KNOWN_KEYS))}",
        )
    for key, rule in VALUE_TYPES.items():
        if key in data:
            _check(src, (key,), data[key], rule)
    if "compare" in data:
        _compare(src, data["compare"])
    if "card" in data:
        _card(src, data["card"])
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise src.bad(("profiles",), "profiles 应为以报告层级为键的表", "[profiles.township.disable]")
    for level, table in profiles.items():
        if level not in LEVELS:
            raise src.bad(("profiles", level), f"未知的报告层级 {level}", f"可用的层级：{', '.join(LEVELS)}")
        if not isinstance(table, dict):
            raise src.bad(
                ("profiles", level), f"profiles.{level} 应为一个表", f'[profiles.{level}.disable] "IND-05" = "…"'
            )
    values = {k: v for k, v in data.items() if k not in ("disable", "rules", "profiles", "params", "extend")}
    base = _profile(src, data, ())
    levels = {lvl: _profile(src, p, ("profiles", lvl)) for lvl, p in profiles.items()}
    origins = dict.fromkeys(values, str(path))
    for prefix, profile in [("", base), *((f"profiles.{lvl}.", prof) for lvl, prof in levels.items())]:
        origins.update(dict.fromkeys(profile_keys(profile, prefix), str(path)))
    return Config(str(path), values, base, levels, (str(path),), origins), data.get("extend"), src


def profile_keys(profile: Profile, prefix: str = "") -> list[str]:
    """The dotted keys of a profile's entries (``disable.QUA-01``, ``rules.IND-01``, ``params.x``),
    under which :attr:`Config.origins` records the file each entry came from."""
    return (
        [f"{prefix}disable.{rid}" for rid in profile.disable]
        + [f"{prefix}rules.{rid}" for rid in profile.rules]
        + [f"{prefix}params.{name}" for name in profile.params]
    )


# ------------------------------------------------------------------ workers


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def bounded_jobs(requested: int | None, cores: int) -> int:
    """The number of worker processes for ``--jobs``/``jobs = N``: ``requested`` clamped to
    ``cores`` (more workers than cores only add memory and switching); ``cores`` when not
    given. A value below 1 is a user error. Pure: pass ``available_cores()``."""
    if requested is None:
        return max(1, cores)
    if not _is_int(requested) or requested < 1:
        raise UsageError(
            f"--jobs {requested} 不是不小于 1 的整数",
            hint=f"给 1 到 {max(1, cores)}（可用的处理器核数），或不写以使用全部核",
        )
    return max(1, min(requested, cores))


def load_config(explicit: str | None) -> Config:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise UsageError(f"找不到配置文件：{explicit}", hint="检查 --config 的路径")
        return load(p)
    found = discover()
    return load(found) if found else Config()


# ------------------------------------------------------------------ applying to rules


def override_rule(rule: Rule, o: RuleOverride, source: str) -> Rule:
    """A configuration's changes to one rule (:meth:`RuleOverride.apply`), errors located in ``source``."""
    try:
        return o.apply(rule)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            raise UsageError(f"rules.{rule.id} 的覆盖设置无效：{first['msg']}", location=Location(source)) from exc
        dotted = next((p for p in o.params if not _has_path(rule, p)), ", ".join(o.params))
        raise UsageError(
            f"rules.{rule.id}：该规则没有参数 {dotted}",
            location=Location(source),
            hint="参数路径见该规则的 YAML 文件",
        ) from exc


def _has_path(rule: Rule, dotted: str) -> bool:
    cur: Any = rule.model_dump(by_alias=True, exclude_none=True)
    try:
        for part in dotted.split(".")[:-1]:
            cur = cur[int(part)] if isinstance(cur, list) else cur[part]
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return True


def apply_profile(checklist: Checklist, profile: Profile, source: str) -> Checklist:
    ids = {r.id for r in checklist.rules}
    for rid in [*profile.disable, *profile.rules]:
        if rid not in ids:
            raise UsageError(
                f"配置中的规则 {rid} 不在核查清单 {checklist.id} 中",
                location=Location(source),
                hint="用 auditor rules list 查看全部规则编号",
            )
    unknown = set(profile.params) - set(checklist.header.params)
    if unknown:
        raise UsageError(
            f"配置设置了核查清单 {checklist.id} 没有的参数：{', '.join(sorted(unknown))}",
            location=Location(source),
            hint=f"可用的参数：{', '.join(checklist.header.params) or '（无）'}",
        )
    rules = tuple(
        override_rule(r, profile.rules[r.id], source) if r.id in profile.rules else r for r in checklist.rules
    )
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
