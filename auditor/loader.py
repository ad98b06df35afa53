"""Load rule files: YAML (safely, with line numbers and duplicate-key detection) →
pydantic models → a :class:`~auditor.checklist.Checklist`.

Every problem in every file is collected and raised together as a
:class:`~auditor.errors.RuleFileError`, each located ``file:line:column`` with a hint.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from auditor.checklist import (
    Checklist,
    ChecklistFile,
    ChecklistHeader,
    Rule,
    RuleOverride,
    RuleSource,
    concept_spec,
)
from auditor.errors import Location, RuleFileError, RuleProblem, UsageError
from auditor.matchers.base import Spec
from auditor.matchers.phrase_index import PhraseIndex
from auditor.matchers.registry import BY_NAME
from auditor.vocabulary import ExampleKind

if TYPE_CHECKING:  # PyYAML is imported only when rule files are read (not for a cached checklist)
    import yaml

DEFAULT_CHECKLIST = "fazhi"
Path_ = tuple[str | int, ...]


def bundled_root() -> Path:
    return Path(str(resources.files("auditor").joinpath("checklists")))


def bundled_names() -> list[str]:
    return sorted(p.name for p in bundled_root().iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def resolve(name_or_path: str) -> Path:
    """A bundled checklist name (``fazhi``), or a file/folder path."""
    p = Path(name_or_path)
    if p.exists():
        return p
    bundled = bundled_root() / name_or_path
    if bundled.is_dir():
        return bundled
    for d in bundled_names():
        if _header_id(bundled_root() / d) == name_or_path:
            return bundled_root() / d
    raise UsageError(
        f"no checklist or rule path {name_or_path!r}",
        hint=f"bundled checklists: {', '.join(_bundled_ids())}; or give a YAML file/folder",
    )


def _bundled_ids() -> list[str]:
    return [_header_id(bundled_root() / d) or d for d in bundled_names()]


def _header_id(folder: Path) -> str | None:
    import yaml

    for f in sorted(folder.glob("*.y*ml")):
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("checklist"), dict):
            ident = data["checklist"].get("id")
            return str(ident) if ident else None
    return None


# ---------------------------------------------------------------------------- YAML


def _walk_marks(
    node: yaml.Node, path: Path_, marks: dict[Path_, Location], file: str, problems: list[RuleProblem]
) -> None:
    import yaml

    marks[path] = Location(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            loc = Location(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                problems.append(
                    RuleProblem(
                        loc,
                        f"重复的键 {key}（第一次出现在第 {seen[key]} 行）",
                        "删去其中一个；YAML 会悄悄只保留最后一个",
                    )
                )
            else:
                seen[key] = loc.line or 0
            _walk_marks(value_node, (*path, key), marks, file, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_marks(item, (*path, i), marks, file, problems)


#: how many nodes aliases (``*name``) may add to a rule file once expanded (a "billion laughs"
#: file of 484 bytes expands to hundreds of millions)
MAX_ALIAS_EXPANSION = 100_000
#: how deep a rule file may nest (real ones: under 20; Python recursion gives out near 1000)
MAX_YAML_DEPTH = 100


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _shape_problem(root: yaml.Node, file: str) -> RuleProblem | None:
    """A problem when the document nests too deep, or its aliases make it recursive or expand
    it too far; else None.

    Node sizes are computed once per distinct node (aliases share their anchor's node), so the
    check is linear in the file even when the expansion it measures is exponential.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 0)]
    while stack:
        node, done, depth = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] - len(sizes) > MAX_ALIAS_EXPANSION:
                return _shape_error(node, file, "YAML 别名展开后过大（别名层层引用，疑似“十亿笑声”攻击）")
            continue
        if key in sizes:
            continue
        if depth > MAX_YAML_DEPTH:
            return _shape_error(node, file, f"YAML 嵌套超过 {MAX_YAML_DEPTH} 层")
        on_path.add(key)
        stack.append((node, True, depth))
        for child in _children(node):
            if id(child) in on_path:
                return _shape_error(child, file, "YAML 别名引用了包含它自身的节点（无限递归）")
            if id(child) not in sizes:
                stack.append((child, False, depth + 1))
    return None


def _shape_error(node: yaml.Node, file: str, message: str) -> RuleProblem:
    mark = node.start_mark
    return RuleProblem(
        Location(file, mark.line + 1, mark.column + 1),
        message,
        "不要用别名（*名称）层层复制内容，也不要层层嵌套；需要共用的内容请直接写出",
    )


def read_yaml(path: Path, problems: list[RuleProblem]) -> tuple[Any, dict[Path_, Location]]:
    """Parse one YAML file safely; problems are appended, never raised."""

    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(RuleProblem(Location(file), f"无法读取规则文件：{exc}", "检查路径和编码（应为 UTF-8）"))
        return None, {}
    return parse_yaml(text, file, problems)


def parse_yaml(text: str, file: str, problems: list[RuleProblem]) -> tuple[Any, dict[Path_, Location]]:
    """:func:`read_yaml` of a text already read (``file`` names it in problems)."""
    import yaml

    marks: dict[Path_, Location] = {}
    # libyaml's safe loader when PyYAML was built with it (15x faster), else the pure-Python one
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, marks
        bomb = _shape_problem(node, file)
        if bomb is not None:
            problems.append(bomb)
            return None, marks
        _walk_marks(node, (), marks, file, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problems.append(RuleProblem(loc, f"YAML 格式错误：{exc.problem}", "检查缩进、冒号和引号"))
        return None, marks
    except yaml.YAMLError as exc:
        problems.append(RuleProblem(Location(file), f"YAML 格式错误：{exc}", "检查文件的语法"))
        return None, marks
    finally:
        loader.dispose()
    return data, marks


# ---------------------------------------------------------------------- validation

_TYPES = ", ".join(BY_NAME)

#: pydantic's error types in words (its own messages are English); ``{msg}`` keeps the message
_PYDANTIC_WORDS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为键值表",
    "model_type": "应为键值表",
    "model_attributes_type": "应为键值表",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_short": "至少应有 {min_length} 项",
    "too_long": "至多只能有 {max_length} 项",
    "string_too_short": "不能为空",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
}


def _ctx(err: Any) -> dict[str, Any]:
    """The values pydantic names in an error (expected, ge, min_length …), with a default for each."""
    known = {"expected": "", "gt": "", "ge": "", "lt": "", "le": "", "min_length": "", "max_length": ""}
    given = {
        k: str(v).replace(" or ", ", ").replace(", ", "、") for k, v in (err.get("ctx") or {}).items() if k in known
    }
    return {**known, **given}


def _locate(loc: tuple[Any, ...], data: Any, marks: dict[Path_, Location], file: str) -> tuple[Location, str]:
    """Map a pydantic error location to the YAML node, skipping union tags."""
    path: list[str | int] = []
    cur = data
    shown: list[str] = []
    tagged: set[int] = set()  # dicts whose union tag was already passed in `loc`
    for part in loc:
        if isinstance(cur, dict) and isinstance(part, str) and cur.get("type") == part and id(cur) not in tagged:
            tagged.add(id(cur))
            continue  # the union tag pydantic adds to the path (before the field), not a key
        if isinstance(cur, dict) and part in cur:
            path.append(part)
            cur = cur[part]
            shown.append(str(part))
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            path.append(part)
            cur = cur[part]
            shown.append(f"[{part}]")
        elif isinstance(part, str) and ("[" in part or part in BY_NAME or part in ("str", "Example", "int", "float")):
            continue
        else:
            shown.append(str(part))
            break
    while tuple(path) not in marks and path:
        path.pop()
    return marks.get(tuple(path), Location(file)), ".".join(shown).replace(".[", "[")


def _hint(err: Any, where: str) -> tuple[str, str | None]:
    kind = err["type"]
    msg = str(err["msg"])
    if kind == "extra_forbidden":
        return (
            f"未知的键 {where.split('.')[-1]}",
            "检查拼写；可用的键见 auditor rules schema",
        )
    if kind == "missing":
        return f"缺少必填的键 {where.split('.')[-1]}", None
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = err.get("ctx", {}).get("tag", "")
        return (f"未知的匹配类型 {tag}" if tag else "匹配表达式缺少 type"), f"可用的类型：{_TYPES}"
    if kind == "string_pattern_mismatch":
        return f"规则编号格式不对：{msg}", "规则编号形如 STR-01 或 IND-02A"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return _PYDANTIC_WORDS.get(kind, "{msg}").format(msg=msg, **_ctx(err)), None


def validate_file(path: Path, problems: list[RuleProblem]) -> tuple[ChecklistFile | None, dict[Path_, Location], Any]:
    data, marks = read_yaml(path, problems)
    file = str(path)
    if data is None:
        if not problems or problems[-1].location.path != file:
            problems.append(
                RuleProblem(Location(file, 1, 1), "规则文件是空的", "写上 rules:（以及 checklist: 文件头）")
            )
        return None, marks, data
    if not isinstance(data, dict):
        problems.append(RuleProblem(Location(file, 1, 1), "规则文件应为键值表，含 checklist: 和/或 rules:", None))
        return None, marks, data
    try:
        return ChecklistFile.model_validate(data), marks, data
    except ValidationError as exc:
        for err in exc.errors():
            loc, where = _locate(err["loc"], data, marks, file)
            rule_id = _rule_id_at(data, err["loc"])
            message, hint = _hint(err, where)
            prefix = f"规则 {rule_id}：" if rule_id else ""
            problems.append(RuleProblem(loc, f"{prefix}{where}：{message}", hint))
        return None, marks, data


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules")
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rid = rules[loc[1]].get("id")
            return str(rid) if rid else None
    return None


# ------------------------------------------------------------------------ assembly


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    return [path]


def iter_specs(spec: Spec) -> Iterator[Spec]:
    yield spec
    for child in spec.children():
        yield from iter_specs(child)


def _rule_specs(rule: Rule) -> Iterator[Spec]:
    yield from iter_specs(rule.match)
    for v in rule.values:
        yield from iter_specs(v)
    if rule.applies and rule.applies.when:
        yield from iter_specs(rule.applies.when)
    if rule.concepts:
        yield concept_spec(tuple(rule.concepts))


def build_index(rules: Iterable[Rule], header: ChecklistHeader) -> PhraseIndex:
    from auditor.matchers.anchors import alternatives, anchors, scanned_parts

    phrases: set[str] = set()
    patterns: set[str] = set()
    headings: set[str] = set()
    for rule in rules:
        for spec in _rule_specs(rule):
            phrases.update(spec.indexed_phrases())
            patterns.update(spec.indexed_patterns())  # where each pattern can start: found in the same pass
            headings.update(spec.heading_patterns())
    # a pattern whose alternatives other patterns share is matched one alternative at a time
    users: dict[str, int] = {}
    for p in patterns | headings:
        for alt in set(alternatives(p) or ()):
            users[alt] = users.get(alt, 0) + 1
    split = {p for p in patterns | headings if _worth_splitting(set(alternatives(p) or ()), users)}
    for p in patterns:  # a split pattern's alternatives (and groups of them) are matched alone
        for part in scanned_parts(p) if p in split else (p,):
            phrases.update(anchors(part) or ())
    if header.select is not None:
        for spec in iter_specs(header.select):
            phrases.update(spec.indexed_phrases())
    return PhraseIndex.build(phrases, split)


def _worth_splitting(alts: set[str], users: dict[str, int]) -> bool:
    """Whether matching a pattern one alternative at a time (each alternative's spans shared by
    every pattern that has it, then merged) saves more than it costs: a look-up and a merge step
    per alternative against one match of the whole. It pays when, on average, each alternative
    is shared with at least one other pattern (rule variants share nearly all of theirs); a
    pattern sharing one alternative of many is matched whole."""
    return len(alts) > 1 and sum(users[a] - 1 for a in alts) >= len(alts)


def _example_locations(rule_index: int, rule: Rule, marks: dict[Path_, Location]) -> dict[tuple[str, int], Location]:
    out: dict[tuple[str, int], Location] = {}
    for kind in ExampleKind:
        for i, _ in enumerate(getattr(rule.examples, kind)):
            loc = marks.get(("rules", rule_index, "examples", kind.value, i))
            if loc:
                out[(kind.value, i)] = loc
    return out


def load_checklist(target: str | Path | list[str]) -> Checklist:
    """Load one checklist from a bundled name, YAML files or folders; raise RuleFileError.

    Several targets (repeated ``--rules``) are read together as one checklist: exactly one
    of their files carries the ``checklist:`` header. Loaded checklists are cached on disk.
    """
    from auditor.cache import cached

    targets = target if isinstance(target, list) else [target]
    roots = [t if isinstance(t, Path) else resolve(str(t)) for t in targets]
    files = [f.resolve() for r in roots for f in rule_files(r)]
    return cached(files, lambda: _build(roots, ()))


def _build(roots: list[Path], _seen: tuple[str, ...]) -> Checklist:
    root = roots[0]
    problems: list[RuleProblem] = []
    files = [f for r in roots for f in rule_files(r)]
    if not files:
        raise RuleFileError(
            [RuleProblem(Location(str(root)), "这里没有 .yaml 规则文件", "--rules 应指向规则文件或其所在的文件夹")]
        )
    header: ChecklistHeader | None = None
    header_loc: Location | None = None
    rules: list[Rule] = []
    sources: dict[str, RuleSource] = {}
    overrides = []
    packs = {f: pack_folder(r) for r in roots for f in rule_files(r)}
    for f in files:
        parsed, marks, _ = validate_file(f, problems)
        if parsed is None:
            continue
        if parsed.checklist is not None:
            loc = marks.get(("checklist",), Location(str(f)))
            if header is not None:
                problems.append(
                    RuleProblem(
                        loc,
                        f"第二个 checklist: 文件头（第一个在 {header_loc}）",
                        "每个核查清单文件夹只保留一个文件头",
                    )
                )
            else:
                header, header_loc = parsed.checklist, loc
        overrides.extend(parsed.overrides)
        for i, rule in enumerate(parsed.rules):
            loc = marks.get(("rules", i), Location(str(f)))
            if rule.id in sources:
                problems.append(
                    RuleProblem(
                        loc.__class__(
                            loc.path,
                            (marks.get(("rules", i, "id")) or loc).line,
                            (marks.get(("rules", i, "id")) or loc).column,
                        ),
                        f"规则编号 {rule.id} 重复（另见 {sources[rule.id].location}）",
                        "规则编号必须唯一，且不得重复使用",
                    )
                )
                continue
            rules.append(rule)
            inner = {k[2:]: v for k, v in marks.items() if k[:2] == ("rules", i)}
            source = RuleSource(loc, _example_locations(i, rule, marks), inner, str(packs[f]))
            sources[rule.id] = source
            problems.extend(_escaping_example_files(rule, source, f))
    if header is None and not problems:
        problems.append(
            RuleProblem(
                Location(str(root)),
                "缺少 checklist: 文件头（id、title、version、categories、scoring）",
                "在第一个规则文件中加上文件头",
            )
        )
    if problems:
        raise RuleFileError(problems)
    assert header is not None and header_loc is not None
    parent_files: tuple[str, ...] = ()
    if header.extends:
        header, rules, sources, parent_files = _extend(
            header, header_loc, rules, sources, overrides, (*_seen, str(root))
        )
    _check_references(header, header_loc, rules, sources)
    order = {c.id: i for i, c in enumerate(header.categories)}
    rules.sort(key=lambda r: order.get(r.category, len(order)))
    all_files = tuple(dict.fromkeys([*parent_files, *(str(f.resolve()) for f in files)]))
    return Checklist(header, tuple(rules), sources, build_index(rules, header), str(root), files=all_files)


def pack_folder(root: Path) -> Path:
    """The rule pack's folder: the folder given, or a rule file's own folder."""
    return (root if root.is_dir() else root.parent).resolve()


def _escaping_example_files(rule: Rule, source: RuleSource, rule_file: Path) -> list[RuleProblem]:
    """``examples.files`` entries that point outside the rule pack's folder."""
    assert source.pack is not None
    return [
        RuleProblem(
            source.locate(("examples", "files", i, "path")),
            f"规则 {rule.id}：examples.files[{i}].path {spec.path!r} 不在规则包的文件夹 {source.pack} 之内",
            "把示例报告放进规则文件夹，并写相对于规则文件的路径",
        )
        for i, spec in enumerate(rule.examples.files)
        if spec.located(rule_file, source.pack) is None
    ]


def _extend(
    header: ChecklistHeader,
    header_loc: Location,
    rules: list[Rule],
    sources: dict[str, RuleSource],
    overrides: list[Any],
    seen: tuple[str, ...],
) -> tuple[ChecklistHeader, list[Rule], dict[str, RuleSource], tuple[str, ...]]:
    assert header.extends is not None
    base_path = Path(header_loc.path).parent / header.extends
    target = base_path if base_path.exists() else header.extends
    if str(resolve(str(target))) in seen:
        raise RuleFileError([RuleProblem(header_loc, f"extends: {header.extends} 形成了循环继承", None)])
    parent = _build([resolve(str(target))], seen)
    own = {r.id for r in rules}
    problems: list[RuleProblem] = []
    for rid in header.disable:
        if rid not in {r.id for r in parent.rules}:
            problems.append(
                RuleProblem(
                    header_loc,
                    f"disable 中的规则 {rid} 不存在",
                    f"{parent.id} 的规则见 auditor rules list",
                )
            )
    merged = [r for r in parent.rules if r.id not in own and r.id not in header.disable]
    by_id = {o.id: o for o in overrides}
    for o in overrides:
        if o.id not in {r.id for r in merged}:
            problems.append(RuleProblem(header_loc, f"overrides 中的规则 {o.id} 不存在", None))
    if problems:
        raise RuleFileError(problems)
    merged = [_overridden(r, by_id[r.id], header_loc) if r.id in by_id else r for r in merged]
    new_sources = {r.id: parent.sources[r.id] for r in merged} | sources
    new_header = header.model_copy(
        update={
            "categories": header.categories or parent.header.categories,
            "scoring": header.scoring or parent.header.scoring,
            "compare": header.compare or parent.header.compare,
            "params": {**parent.header.params, **header.params},
        }
    )
    return new_header, merged + rules, new_sources, parent.files


def _overridden(rule: Rule, override: RuleOverride, where: Location) -> Rule:
    """A parent rule with an `overrides:` entry applied, validated like any rule."""
    try:
        return override.apply(rule)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        if not isinstance(exc, ValidationError):
            raise RuleFileError([RuleProblem(where, f"对 {rule.id} 的覆盖：该规则没有这个参数", None)]) from exc
        first = exc.errors()[0]
        raise RuleFileError([RuleProblem(where, f"对 {rule.id} 的覆盖无效：{first['msg']}", None)]) from exc


def _check_references(
    header: ChecklistHeader, header_loc: Location, rules: list[Rule], sources: dict[str, RuleSource]
) -> None:
    problems: list[RuleProblem] = []
    cats = {c.id for c in header.categories}
    if not cats:
        problems.append(
            RuleProblem(header_loc, "核查清单没有声明 categories（分类）", "逐个列出分类的 id、title、weight")
        )
    if header.scoring is None:
        problems.append(RuleProblem(header_loc, "核查清单没有声明 scoring（等级、计分、封顶）", None))
    for r in rules:
        if cats and r.category not in cats:
            problems.append(
                RuleProblem(
                    sources[r.id].location,
                    f"规则 {r.id}：未知的分类 {r.category}",
                    f"已声明的分类：{', '.join(sorted(cats))}",
                )
            )
    from auditor.spectree import rule_specs

    for r in rules:
        for path, spec, _ in rule_specs(r):
            for name in spec.parameters():
                if name not in header.params:
                    problems.append(
                        RuleProblem(
                            sources[r.id].locate(path),
                            f"规则 {r.id}：未知的参数 {{{name}}}",
                            f"在 checklist.params 中声明它；已有：{', '.join(header.params) or '（无）'}",
                        )
                    )
    ids = {r.id for r in rules}
    for cap in header.scoring.caps if header.scoring else []:
        for rid in cap.rules:
            if rid not in ids:
                problems.append(RuleProblem(header_loc, f"scoring 的封顶条件中的规则 {rid} 不存在", None))
    if problems:
        raise RuleFileError(problems)


def load_bundled() -> list[Checklist]:
    """Every bundled checklist, the default first."""
    names = [DEFAULT_CHECKLIST, *[n for n in bundled_names() if n != DEFAULT_CHECKLIST]]
    return [load_checklist(n) for n in names]
