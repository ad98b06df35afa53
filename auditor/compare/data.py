"""The comparison's bundled word lists (``auditor/data/compare_*.yaml``), read with libyaml."""

from __future__ import annotations

from importlib import resources
from typing import Any


def bundled(name: str) -> Any:
    """The YAML document of ``auditor/data/NAME`` (libyaml's safe loader when PyYAML has it: a
    comparison worker reads both lists at its start, and the pure-Python loader took ≈ 6 ms)."""
    import yaml

    raw = resources.files("auditor").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
