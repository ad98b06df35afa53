"""Imports flow one way (docs/architecture.md): no import cycle, and each layer imports only
the layers below it. Every import counts, also those inside functions (lazy, for start-up time)
and under ``TYPE_CHECKING``: a cycle through them is still a cycle for a reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"

#: top to bottom; a module may import modules of its own package and of lower layers only.
#: Modules in one layer are independent of each other.
LAYERS: list[set[str]] = [
    {"auditor.__main__"},
    {"auditor.cli"},
    {"auditor.commands"},
    {"auditor.workbench"},
    {"auditor.pipeline", "auditor.selftest", "auditor.docs"},
    {"auditor.engine", "auditor.selection", "auditor.compare", "auditor.decisions"},
    {"auditor.report"},
    {"auditor.doctype", "auditor.loader", "auditor.config", "auditor.review"},
    {"auditor.cache", "auditor.spectree", "auditor.scoring"},
    {"auditor.checklist"},
    {"auditor.matchers"},
    {"auditor.nlp"},
    {"auditor.result"},
    {"auditor.readers", "auditor.findings"},
    {"auditor.document"},
    {"auditor.errors", "auditor.printable", "auditor.vocabulary", "auditor.usage", "auditor.deadline", "auditor"},
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Every auditor module ``module`` imports, anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        found |= {m for n in names if (m := _resolve(n)) and m != module}
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def layer_of(module: str) -> tuple[int, str]:
    """(layer number, the unit that layer lists) of a module: its package or itself."""
    for depth in range(module.count(".") + 1, 1, -1):
        unit = ".".join(module.split(".")[:depth])
        for number, layer in enumerate(LAYERS):
            if unit in layer:
                return number, unit
    if module == "auditor":
        return len(LAYERS) - 1, module
    raise AssertionError(f"{module} is in no layer of tests/test_layers.py (and docs/architecture.md)")


def test_no_import_cycles() -> None:
    assert _cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_flow_down(module: str) -> None:
    number, unit = layer_of(module)
    wrong = []
    for target in sorted(GRAPH[module]):
        target_number, target_unit = layer_of(target)
        if target_unit == unit:
            continue
        if target_number <= number:
            wrong.append(f"{target} (layer {target_number}, not below {number})")
    assert not wrong, f"{module} imports upwards or sideways: {wrong}"


def test_the_checker_sees_a_cycle() -> None:
    """The graph is real: the engine imports the checklist, and a back edge would be a cycle."""
    assert "auditor.checklist" in GRAPH["auditor.engine"]
    assert layer_of("auditor.matchers.compose") == (LAYERS.index({"auditor.matchers"}), "auditor.matchers")
