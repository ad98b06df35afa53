"""File names: fixed names in an output folder and safe, unique per-report stems.

A report's pages are named by what a person reads (``张渚镇人民政府-2023.pdf``): its unit and
year when the report names its unit, else its input file's name; two reports of one unit
and year get a numeric suffix (``…-2023-2``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, Final

from auditor.result import AnyReport, Report

FIXED_NAMES: Final[dict[str, str]] = {
    "json": "report.json",
    "jsonl": "report.jsonl",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "markdown": "report.md",
    "csv": "summary.csv",
    "xlsx": "summary.xlsx",
    "text": "report.txt",
}
INDEX_STEM: Final = "index"
CARD_SUFFIX: Final = ".card"  # 张渚镇人民政府-2023.card.pdf beside the full scorecard 张渚镇人民政府-2023.pdf

_UNSAFE: Final = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|#%&;'`$!{}\[\]=+,^~\s]+")
_WINDOWS_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)
_MAX_BYTES: Final = 120  # leaves room for "-NN.html" inside the usual 255-byte limit


def safe_part(text: str) -> str:
    """One path component reduced to characters that are safe in names and URLs."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text).strip("._- ")
    return _clip(text)


def _clip(text: str) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= _MAX_BYTES:
        return text
    return encoded[:_MAX_BYTES].decode("utf-8", errors="ignore").rstrip("._- ")


def _parts(source: str) -> list[str]:
    path = PurePosixPath(source.replace("\\", "/"))
    names = [p for p in path.parts if p not in ("/", ".", "..") and not p.endswith(":")]
    if names:
        names[-1] = PurePosixPath(names[-1]).stem or names[-1]
    return [safe for safe in (safe_part(n) for n in names) if safe]


def _candidate(parts: list[str], depth: int) -> str:
    stem = _clip("_".join(parts[-depth:])) if parts else "report"
    if stem.casefold() == INDEX_STEM or stem.casefold() in _WINDOWS_RESERVED:
        stem = f"{stem}_report"
    return stem


def _unit_and_year(entry: AnyReport | Mapping[str, Any]) -> tuple[object, object]:
    if isinstance(entry, Report):
        return entry.metadata.unit, entry.metadata.year
    if isinstance(entry, Mapping) and isinstance(meta := entry.get("metadata"), Mapping):
        return meta.get("unit"), meta.get("year")
    return None, None


def _source(entry: str | AnyReport | Mapping[str, Any]) -> str:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping):
        return str(entry.get("source") or "")
    return entry.source


def unit_year(entry: AnyReport | Mapping[str, Any]) -> str | None:
    """``张渚镇人民政府-2023`` for a report (typed, or an entry of the JSON contract) that names its
    unit (safe characters only), else None."""
    unit, year = _unit_and_year(entry)
    if not isinstance(unit, str) or not safe_part(unit):
        return None
    name = safe_part(unit) if not isinstance(year, int) else _clip(f"{safe_part(unit)}-{year}")
    return _candidate([name], 1)


def report_stems(entries: Sequence[str | AnyReport | Mapping[str, Any]]) -> list[str]:
    """One safe, unique (case-insensitively) file stem per report, in order.

    A report entry (the JSON contract) that names its unit is named by unit and year
    (``张渚镇人民政府-2023``). Otherwise (and for a plain source path) the bare file stem is
    used when it is unique (``reports/张渚镇.txt`` -> ``张渚镇``); sources sharing a stem get
    their folders prefixed (``a/b/张渚镇.txt`` -> ``a_b_张渚镇``); any clash left gets a numeric
    suffix (``张渚镇-2``, ``张渚镇人民政府-2023-2``).
    """
    readable = [None if isinstance(e, str) else unit_year(e) for e in entries]
    parts = [_parts(_source(e)) for e in entries]
    stems = [name or _candidate(p, 1) for name, p in zip(readable, parts, strict=True)]
    for index in _clashing(stems):
        if readable[index] is None:
            stems[index] = _candidate(parts[index], len(parts[index]))
    return _number_duplicates(stems)


def _clashing(stems: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    for stem in stems:
        seen[stem.casefold()] = seen.get(stem.casefold(), 0) + 1
    return [i for i, stem in enumerate(stems) if seen[stem.casefold()] > 1]


def _number_duplicates(stems: list[str]) -> list[str]:
    reserved = {s.casefold() for s in stems}
    used: set[str] = set()
    unique: list[str] = []
    for stem in stems:
        name, counter = stem, 1
        while name.casefold() in used or (name != stem and name.casefold() in reserved):
            counter += 1
            name = f"{stem}-{counter}"
        used.add(name.casefold())
        unique.append(name)
    return unique
