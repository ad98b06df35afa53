"""Every match type is fully registered: in the registry, documented, tested, and declaring the
facts its fields imply (the phrase index, lint, message placeholders read those facts only)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import auditor.matchers
from auditor.matchers.base import Spec
from auditor.matchers.registry import BY_NAME, MATCH_TYPES, type_name

ROOT = Path(__file__).resolve().parents[2]


def _concrete_specs() -> list[type[Spec]]:
    """Every Spec subclass with its own ``type:`` in any module of the package."""
    found: list[type[Spec]] = []
    for info in pkgutil.iter_modules(auditor.matchers.__path__):
        module = importlib.import_module(f"auditor.matchers.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Spec)
                and value.__module__ == module.__name__
                and "type" in value.model_fields
            ):
                found.append(value)
    return found


def _overrides(cls: type[Spec], method: str) -> bool:
    return getattr(cls, method) is not getattr(Spec, method)


def test_every_spec_class_is_registered() -> None:
    missing = [c.__name__ for c in _concrete_specs() if c not in MATCH_TYPES]
    assert not missing, f"add these to MatchSpec in auditor/matchers/registry.py: {missing}"
    assert len(BY_NAME) == len(MATCH_TYPES), "two match types share a `type:` name"


@pytest.mark.parametrize("spec", MATCH_TYPES, ids=type_name)
def test_match_type_is_documented(spec: type[Spec]) -> None:
    name = type_name(spec)
    registry_doc = auditor.matchers.registry.__doc__ or ""
    assert re.search(rf"^{re.escape(name)}\b", registry_doc, re.M), f"{name}: a line in the registry's table"
    guide = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    assert f"### `{name}`" in guide, f"{name}: a section in docs/writing-rules.md"


@pytest.mark.parametrize("spec", MATCH_TYPES, ids=type_name)
def test_match_type_has_tests(spec: type[Spec]) -> None:
    name = type_name(spec)
    here = Path(__file__).parent
    files = [
        p for p in here.glob("test_*.py") if name in p.stem.removeprefix("test_").split("_") or p.stem == f"test_{name}"
    ]
    assert files, f"{name}: tests in {here.relative_to(ROOT)}/test_{name}.py"
    assert any(re.search(rf"\btype\b[\"']?\s*[:=]\s*[\"']?{name}\b", p.read_text(encoding="utf-8")) for p in files)


@pytest.mark.parametrize("spec", MATCH_TYPES, ids=type_name)
def test_match_type_declares_the_facts_of_its_fields(spec: type[Spec]) -> None:
    """A field that holds regexes, phrases or exported values needs the fact that exposes it:
    otherwise the phrase index misses it (slow), lint skips it, or a placeholder is called unknown."""
    fields = spec.model_fields
    if "patterns" in fields and fields["patterns"].annotation == list[str]:
        assert _overrides(spec, "indexed_patterns"), "regex patterns must be indexed (indexed_patterns)"
    if "heading" in fields:
        assert _overrides(spec, "heading_patterns"), "a heading regex must be declared (heading_patterns)"
    if "phrases" in fields:
        assert _overrides(spec, "exclude_targets") and _overrides(spec, "lint"), "phrases: exclude_targets and lint"
    exported = [
        n for n, f in fields.items() if n in ("name", "value", "value_prefix") or "export" in (f.description or "")
    ]
    if exported:
        assert _overrides(spec, "produces"), f"{exported}: values it produces must be declared (produces)"
    templated = [n for n, f in fields.items() if n in ("on_or_before", "before", "on_or_after", "after")]
    if templated:
        assert _overrides(spec, "parameters"), "date templates may name checklist params (parameters)"


def test_the_schema_offers_every_type() -> None:
    from pydantic import TypeAdapter

    from auditor.matchers.registry import MatchSpec

    schema = TypeAdapter(MatchSpec).json_schema()
    assert set(schema["discriminator"]["mapping"]) == set(BY_NAME)
