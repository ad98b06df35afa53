"""docs/writing-rules.md is executable: its tutorial is run, its reference is checked against the code.

Conventions (also described at the end of the page, "How this page is tested"):

- ```yaml / ```toml blocks whose first line is ``# file: PATH`` are files of the tutorial, written
  in order into a temporary folder (which also holds a copy of the repository's ``examples/``);
- ```diff blocks starting with ``--- PATH`` / ``+++ PATH`` edit such a file (context and ``-``
  lines must occur exactly once; they are replaced by the context and ``+`` lines);
- ```console blocks: ``$ command   # exit code N`` lines are run (only ``auditor`` and ``mkdir``);
  the lines that follow are the expected output, ``…`` lines standing for omitted lines; the
  temporary folder's path is shown as ``/home/you/tutorial``; ```bash blocks hold commands only;
- ```yaml blocks of the reference are marked ``# example: TYPE`` (a match expression, with
  ``# met: text`` … lines giving sample texts and their status), ``# a whole rule``,
  ``# part of a rule`` or ``# part of a rule file``; ```toml ``# part of auditor.toml`` blocks are
  configuration fragments;
- a table preceded by ``<!-- fields: NAME -->`` lists the fields of a model with their defaults.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "writing-rules.md"
TUTORIAL_FILES = ROOT / "docs" / "examples" / "tutorial"
SHOWN_FOLDER = "/home/you/tutorial"
ALLOWED_COMMANDS = {"auditor", "mkdir"}
ELLIPSIS = "…"


# ------------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Block:
    lang: str
    lines: tuple[str, ...]
    line: int  # 1-based line of the opening fence in the page

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    @property
    def first(self) -> str:
        return self.lines[0] if self.lines else ""

    def where(self) -> str:
        return f"docs/writing-rules.md:{self.line}"


def parse_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^( *)```(\w*)\s*$", lines[i])
        if m and m.group(2):
            indent, start = m.group(1), i
            i += 1
            body: list[str] = []
            while i < len(lines) and lines[i] != f"{indent}```":
                line = lines[i]
                assert not line.strip() or line.startswith(indent), (
                    f"docs/writing-rules.md:{i + 1}: a line of an indented block is less indented"
                )
                body.append(line[len(indent) :])
                i += 1
            assert i < len(lines), f"unclosed code block at docs/writing-rules.md:{start + 1}"
            blocks.append(Block(m.group(2), tuple(body), start + 1))
        elif re.match(r"^ *```(?!`)", lines[i]):
            raise AssertionError(f"docs/writing-rules.md:{i + 1}: a code block needs a language: {lines[i]!r}")
        i += 1
    return blocks


@pytest.fixture(scope="module")
def page() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blocks(page: str) -> list[Block]:
    return parse_blocks(page)


def file_target(block: Block) -> str | None:
    m = re.match(r"^# file: (\S+)$", block.first)
    return m.group(1) if m and block.lang in ("yaml", "toml") else None


def marker(block: Block) -> str:
    return block.first.strip()


# ------------------------------------------------------------------------------- running


def auditor_executable() -> str:
    beside = Path(sys.executable).with_name("auditor")
    if beside.exists():
        return str(beside)
    venv = ROOT / ".venv" / "bin" / "auditor"
    if venv.exists():
        return str(venv)
    found = shutil.which("auditor")
    assert found, "auditor is not installed"
    return found


@dataclass(frozen=True)
class Command:
    argv: list[str]
    exit_code: int
    expected: list[str]
    source: str


def parse_console(block: Block) -> list[Command]:
    commands: list[Command] = []
    current: tuple[str, list[str]] | None = None
    raw: list[tuple[str, list[str]]] = []
    for line in block.lines:
        if block.lang == "bash":
            if line.strip() and not line.lstrip().startswith("#"):
                raw.append((line, []))
            continue
        if line.startswith("$ "):
            current = (line[2:], [])
            raw.append(current)
        else:
            assert current is not None, f"{block.where()}: output before the first `$ ` command"
            current[1].append(line)
    for cmd, expected in raw:
        m = re.search(r"#\s*exit code (\d+)", cmd)
        argv = shlex.split(cmd, comments=True)
        assert argv and argv[0] in ALLOWED_COMMANDS, f"{block.where()}: command not allowed on this page: {cmd!r}"
        commands.append(Command(argv, int(m.group(1)) if m else 0, expected, f"{block.where()}: $ {cmd}"))
    return commands


def match_output(expected: list[str], actual: list[str]) -> str | None:
    """None when ``actual`` shows ``expected`` (with ``…`` lines as gaps), else a description."""

    def trim(lines: list[str]) -> list[str]:
        out = [ln.rstrip() for ln in lines]
        while out and not out[-1]:
            out.pop()
        while out and not out[0]:
            out.pop(0)
        return out

    expected, actual = trim(expected), trim(actual)
    if not expected:
        return None
    segments: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(line)
    anchored_start = expected[0].strip() != ELLIPSIS
    anchored_end = expected[-1].strip() != ELLIPSIS
    pos = 0
    for k, seg in enumerate(segments):
        if not seg:
            continue
        if k == 0 and anchored_start:
            if actual[: len(seg)] != seg:
                return f"output does not start with:\n{_show(seg)}"
            pos = len(seg)
            continue
        found = next(
            (i for i in range(pos, len(actual) - len(seg) + 1) if actual[i : i + len(seg)] == seg),
            None,
        )
        if found is None:
            return f"these lines are not in the output (in this order):\n{_show(seg)}"
        pos = found + len(seg)
    if anchored_end and pos != len(actual):
        return f"the output continues after the last line shown:\n{_show(actual[pos : pos + 5])}"
    return None


def _show(lines: list[str]) -> str:
    return "\n".join(f"    | {ln}" for ln in lines)


def apply_diff(block: Block, folder: Path) -> None:
    assert len(block.lines) >= 3, f"{block.where()}: a diff needs --- and +++ lines"
    old_m = re.match(r"^--- (\S+)$", block.lines[0])
    new_m = re.match(r"^\+\+\+ (\S+)$", block.lines[1])
    assert old_m and new_m and old_m.group(1) == new_m.group(1), f"{block.where()}: start with --- PATH / +++ PATH"
    path = folder / old_m.group(1)
    old: list[str] = []
    new: list[str] = []
    for line in block.lines[2:]:
        mark, rest = line[:1], line[1:]
        assert mark in (" ", "-", "+"), f"{block.where()}: diff lines start with ' ', '-' or '+': {line!r}"
        if mark in (" ", "-"):
            old.append(rest)
        if mark in (" ", "+"):
            new.append(rest)
    text = path.read_text(encoding="utf-8")
    before, after = "\n".join(old) + "\n", "\n".join(new) + "\n"
    assert text.count(before) == 1, (
        f"{block.where()}: the lines to change occur {text.count(before)} times in {path.name}"
    )
    path.write_text(text.replace(before, after), encoding="utf-8")


def run_tutorial(blocks: list[Block], folder: Path, cache: Path) -> dict[str, str]:
    """Build the tutorial in ``folder``; return the final content of every `# file:` file."""
    shutil.copytree(ROOT / "examples", folder / "examples")
    env = {
        **os.environ,
        "AUDITOR_CACHE_DIR": str(cache),
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
    }
    env.pop("COLUMNS", None)
    auditor = auditor_executable()
    written: dict[str, str] = {}
    for block in blocks:
        target = file_target(block)
        if target is not None:
            path = folder / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.text, encoding="utf-8")
            written[target] = block.text
        elif block.lang == "diff":
            apply_diff(block, folder)
        elif block.lang in ("console", "bash"):
            for cmd in parse_console(block):
                argv = [auditor, *cmd.argv[1:]] if cmd.argv[0] == "auditor" else cmd.argv
                proc = subprocess.run(
                    argv,
                    cwd=folder,
                    env=env,
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                    timeout=300,
                    check=False,
                )
                output = (proc.stdout + proc.stderr).replace(str(folder), SHOWN_FOLDER)
                assert proc.returncode == cmd.exit_code, (
                    f"{cmd.source}\nexit code {proc.returncode}, the page says {cmd.exit_code}\n{output}"
                )
                problem = match_output(cmd.expected, output.splitlines())
                assert problem is None, f"{cmd.source}\n{problem}\n--- actual output ---\n{output}"
    return {name: (folder / name).read_text(encoding="utf-8") for name in written}


@pytest.fixture(scope="module")
def tutorial(blocks: list[Block], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("tutorial")
    from auditor.config import discover

    assert discover(folder) is None, f"an auditor.toml above {folder} would change the tutorial's results"
    return run_tutorial(blocks, folder, tmp_path_factory.mktemp("cache"))


# ------------------------------------------------------------------------------- tutorial


def test_tutorial_commands_print_what_the_page_shows(tutorial: dict[str, str]) -> None:
    assert "my-pack/checklist.yaml" in tutorial
    assert "auditor.toml" in tutorial


def test_tutorial_files_match_docs_examples(tutorial: dict[str, str]) -> None:
    shipped = {
        p.relative_to(TUTORIAL_FILES).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(TUTORIAL_FILES.rglob("*"))
        if p.is_file()
    }
    assert sorted(shipped) == sorted(tutorial), "docs/examples/tutorial/ must hold exactly the tutorial's files"
    for name, text in tutorial.items():
        assert shipped[name] == text, f"docs/examples/tutorial/{name} differs from the file the tutorial builds"


def test_tutorial_files_are_valid_against_the_schema(tutorial: dict[str, str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from auditor.commands.rules import schema_dict

    schema = schema_dict()

    def plain(value: Any) -> Any:  # YAML dates → the strings an editor's YAML parser would give
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    for name, text in tutorial.items():
        if name.endswith(".yaml"):
            jsonschema.validate(plain(yaml.safe_load(text)), schema)


def test_page_conventions(blocks: list[Block]) -> None:
    """Every yaml block is marked, so nothing on the page escapes the tests."""
    markers = ("# example: ", "# a whole rule", "# part of a rule", "# part of a rule file")
    for block in blocks:
        if block.lang == "yaml":
            assert file_target(block) or marker(block).startswith(markers), (
                f"{block.where()}: mark the yaml block (# file:, # example:, # a whole rule, # part of a rule…)"
            )
        if block.lang == "toml":
            assert file_target(block) or marker(block) == "# part of auditor.toml", f"{block.where()}: unmarked toml"
        if block.lang == "diff":
            assert block.first.startswith("--- "), f"{block.where()}: a diff starts with --- PATH"


# ------------------------------------------------------------------------------- reference

SAMPLE = re.compile(r"^#\s*(met|review|gap|not_applicable)(?:\s*\[([^\]]*)\])?:\s*(.+)$")
STATUS = {"met": "met", "review": "needs_review", "gap": "gap", "not_applicable": "not_applicable"}


def example_blocks(blocks: list[Block]) -> list[tuple[str, Block]]:
    out = []
    for b in blocks:
        m = re.match(r"^# example: (\w+)$", marker(b))
        if b.lang == "yaml" and m:
            out.append((m.group(1), b))
    return out


def test_reference_examples_are_valid_match_expressions(blocks: list[Block]) -> None:
    from pydantic import TypeAdapter

    from auditor.matchers.registry import MatchSpec

    adapter: TypeAdapter[Any] = TypeAdapter(MatchSpec)
    examples = example_blocks(blocks)
    assert examples
    for kind, block in examples:
        spec = adapter.validate_python(yaml.safe_load(block.text))
        assert spec.type == kind, f"{block.where()}: marked {kind} but is a {spec.type}"


def test_every_match_type_has_a_reference_example(blocks: list[Block], page: str) -> None:
    from auditor.matchers.registry import BY_NAME

    types = set(BY_NAME)
    assert {kind for kind, _ in example_blocks(blocks)} >= types
    for t in types:
        assert f"### `{t}` — " in page, f"no reference section for `{t}`"
        assert f"<!-- fields: {t} -->" in page, f"no field table for `{t}`"


def _samples(block: Block) -> list[tuple[str, dict[str, str], str, int]]:
    out = []
    for i, line in enumerate(block.lines):
        m = SAMPLE.match(line)
        if m:
            opts = dict(kv.split("=", 1) for kv in (m.group(2) or "").split())
            out.append((STATUS[m.group(1)], opts, m.group(3).replace("⏎", "\n"), block.line + 1 + i))
    return out


def _evaluate(spec_data: Any, text: str, opts: dict[str, str]) -> tuple[str, str]:
    from auditor.checklist import Rule
    from auditor.document import understand
    from auditor.engine import evaluate_rule
    from auditor.matchers.phrase_index import PhraseIndex

    rule = Rule.model_validate(
        {
            "id": "DOC-01",
            "title": "示例",
            "category": "A",
            "gap_message": "缺少：{missing}",
            "remediation": "补充。",
            "references": ["示例"],
            "match": spec_data,
            "examples": {"met": ["示例"], "gap": ["示例"]},
        }
    )
    doc = understand(
        text,
        year=int(opts["year"]) if "year" in opts else None,
        level=opts.get("level"),
        published=dt.date.fromisoformat(opts["published"]) if "published" in opts else None,
    )
    finding, _ = evaluate_rule(
        rule,
        doc,
        PhraseIndex.build(rule.match.literals()),
        1.0,
        {"publish_deadline": "{Y+1}-03-31"},
    )
    return finding.status, finding.message


def test_reference_examples_behave_as_documented(blocks: list[Block]) -> None:
    checked = 0
    failures = []
    for _, block in example_blocks(blocks):
        data = yaml.safe_load(block.text)
        for want, opts, text, line in _samples(block):
            got, message = _evaluate(data, text, opts)
            checked += 1
            if got != want:
                failures.append(f"docs/writing-rules.md:{line}: expected {want}, got {got} ({message}) for {text!r}")
    assert not failures, "\n".join(failures)
    assert checked >= 40


BASE_HEADER: dict[str, Any] = {
    "id": "doc-demo",
    "title": "演示",
    "version": "1",
    "categories": [{"id": "A", "title": "演示", "weight": 100}],
    "scoring": {"grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}]},
}
BASE_RULE: dict[str, Any] = {
    "id": "X-01",
    "title": "示例",
    "category": "A",
    "gap_message": "缺少。",
    "remediation": "补充。",
    "references": ["示例"],
    "match": {"type": "phrases", "phrases": ["普法"]},
    "examples": {"met": ["开展普法活动。"], "gap": ["开展学法活动。"]},
}


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return extra


def _load(data: dict[str, Any], folder: Path) -> Any:
    from auditor.loader import load_checklist

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "checklist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_checklist(path)


def test_reference_whole_rules_load_and_pass_their_examples(blocks: list[Block], tmp_path: Path) -> None:
    from auditor.selftest import run_examples

    whole = [b for b in blocks if b.lang == "yaml" and marker(b) == "# a whole rule"]
    assert whole
    for n, block in enumerate(whole):
        checklist = _load({"checklist": BASE_HEADER, "rules": [yaml.safe_load(block.text)]}, tmp_path / str(n))
        failed = [f"{r.kind}[{r.index}]: {r.problem}" for r in run_examples(checklist) if not r.ok]
        assert not failed, f"{block.where()}:\n" + "\n".join(failed)


def test_reference_fragments_load(blocks: list[Block], tmp_path: Path) -> None:
    from auditor.errors import RuleFileError

    fragments = [b for b in blocks if b.lang == "yaml" and marker(b) in ("# part of a rule", "# part of a rule file")]
    assert fragments
    for n, block in enumerate(fragments):
        extra = yaml.safe_load(block.text)
        if marker(block) == "# part of a rule":
            data = {"checklist": BASE_HEADER, "rules": [_merge(copy.deepcopy(BASE_RULE), extra)]}
        else:
            header = extra.get("checklist", {})
            if "extends" in header:
                data = {"checklist": _merge({k: BASE_HEADER[k] for k in ("id", "title", "version")}, header)}
                data.update({k: v for k, v in extra.items() if k != "checklist"})
            else:
                data = _merge({"checklist": BASE_HEADER, "rules": [copy.deepcopy(BASE_RULE)]}, extra)
                data["rules"][0]["category"] = data["checklist"]["categories"][0]["id"]
        try:
            _load(data, tmp_path / str(n))
        except RuleFileError as exc:
            raise AssertionError(f"{block.where()}: {exc}") from exc


def test_reference_configuration_fragments_apply_to_the_default_checklist(blocks: list[Block], tmp_path: Path) -> None:
    from auditor.config import apply_profile, load
    from auditor.loader import load_checklist

    fazhi = load_checklist("fazhi")
    fragments = [b for b in blocks if b.lang == "toml" and marker(b) == "# part of auditor.toml"]
    assert fragments
    for n, block in enumerate(fragments):
        path = tmp_path / f"auditor-{n}.toml"
        path.write_text(block.text, encoding="utf-8")
        config = load(path)
        out = apply_profile(fazhi, config.base, str(path))
        for profile in config.profiles.values():
            apply_profile(out, profile, str(path))


# ------------------------------------------------------------------------------- field tables


def _models() -> dict[str, Any]:
    from auditor import checklist as c
    from auditor.matchers.base import Scope
    from auditor.matchers.compose import Case
    from auditor.matchers.registry import BY_NAME

    models: dict[str, Any] = dict(BY_NAME)
    for name in (
        "ChecklistHeader",
        "Category",
        "Scoring",
        "Grade",
        "Cap",
        "Rule",
        "Examples",
        "Example",
        "Applies",
        "RuleOverride",
        "Signals",
        "LevelRule",
    ):
        models[name] = getattr(c, name)
    models["Scope"] = Scope
    models["Case"] = Case
    return models


def _field_tables(page: str) -> list[tuple[str, int, list[tuple[str, str]]]]:
    lines = page.splitlines()
    tables = []
    for i, line in enumerate(lines):
        m = re.match(r"^<!-- fields: (\w+) -->$", line)
        if not m:
            continue
        rows: list[tuple[str, str]] = []
        j = i + 3  # header and separator lines
        assert lines[i + 1].startswith("|") and lines[i + 2].startswith("|---"), f"docs/writing-rules.md:{i + 1}"
        while j < len(lines) and lines[j].startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", lines[j])[1:-1]]
            name = re.fullmatch(r"`([\w.]+)`", cells[0])
            assert name, f"docs/writing-rules.md:{j + 1}: first cell must be a `field`"
            rows.append((name.group(1), cells[1]))
            j += 1
        tables.append((m.group(1), i + 1, rows))
    return tables


def _documented_default(cell: str) -> tuple[str, Any]:
    if cell == "required":
        return "required", None
    if cell.startswith("—"):
        return "value", None
    if cell.startswith("(built in)"):
        return "skip", None
    m = re.fullmatch(r"`([^`]*)`", cell)
    assert m, f"default cell must be `required`, `—`, `(built in)` or a `value`: {cell!r}"
    return "value", yaml.safe_load(m.group(1))


def _actual_default(field: Any) -> Any:
    from pydantic import BaseModel

    value = field.get_default(call_default_factory=True)
    return value.model_dump() if isinstance(value, BaseModel) else value


def test_field_tables_match_the_code(page: str) -> None:
    models = _models()
    tables = _field_tables(page)
    assert {name for name, _, _ in tables} >= set(models), "every model needs a field table"
    for name, line, rows in tables:
        model = models[name]
        fields = {(f.alias or key): f for key, f in model.model_fields.items() if key != "type"}
        documented = [field for field, _ in rows]
        assert sorted(documented) == sorted(fields), (
            f"docs/writing-rules.md:{line}: fields of {name}: page {sorted(documented)}, code {sorted(fields)}"
        )
        for field, cell in rows:
            kind, value = _documented_default(cell)
            f = fields[field]
            if kind == "required":
                assert f.is_required(), f"docs/writing-rules.md:{line}: {name}.{field} is not required"
            elif kind == "value":
                assert not f.is_required(), f"docs/writing-rules.md:{line}: {name}.{field} is required"
                assert _actual_default(f) == value, (
                    f"docs/writing-rules.md:{line}: {name}.{field} default is {_actual_default(f)!r}, "
                    f"page says {value!r}"
                )


def test_output_matching_helper() -> None:
    actual = ["a", "b", "c", "d"]
    assert match_output(["a", "b"], actual) is not None  # not the whole output
    assert match_output(["a", "b", ELLIPSIS], actual) is None
    assert match_output([ELLIPSIS, "c", "d"], actual) is None
    assert match_output(["a", ELLIPSIS, "d"], actual) is None
    assert match_output([ELLIPSIS, "b", "d", ELLIPSIS], actual) is not None
    assert match_output(["a", "b", "c", "d"], actual) is None
    assert json.dumps(match_output([], actual)) == "null"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces → '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_inside_the_page_resolve(page: str) -> None:
    anchors: dict[str, int] = {}
    in_code = False
    for line in page.splitlines():
        if re.match(r"^ *```(?!`)", line):
            in_code = not in_code
        elif not in_code and (m := re.match(r"^#{1,6} (.+)$", line)):
            slug = _slug(m.group(1))
            n = anchors.get(slug)
            anchors[slug] = 0 if n is None else n + 1
            if n is not None:
                anchors[f"{slug}-{n + 1}"] = 0
    links = re.findall(r"\]\(#([^)]+)\)", page)
    assert links
    missing = sorted({link for link in links if link not in anchors})
    assert not missing, f"links to missing headings: {missing}"
    for target in re.findall(r"\]\((?!#|https?:)([^)]+)\)", page):
        assert (DOC.parent / target).exists(), f"link to a missing file: {target}"
