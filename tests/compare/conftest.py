"""Shared fixtures for tests/compare: the year-over-year pairs of fixtures/yoy/ and their readings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from auditor.checklist import ComparisonSpec
from auditor.document import Document, understand

ROOT = Path(__file__).resolve().parents[2]
YOY = ROOT / "fixtures" / "yoy"


@cache
def pairs() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((YOY / "pairs.yaml").read_text(encoding="utf-8"))["pairs"]
    return data


@cache
def doc(name: str) -> Document:
    return understand((YOY / name).read_text(encoding="utf-8"))


@cache
def spec(checklist: str) -> ComparisonSpec | None:
    from auditor.loader import load_bundled

    return next(c for c in load_bundled() if c.id == checklist).header.compare
