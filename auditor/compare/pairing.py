"""Which reports of a run are the same unit's consecutive years (pure, over report JSON).

A report is paired with last year's when both name the same unit (``unit_key``) and checklist
and the years are consecutive. The pairing is never silent about what it rests on: when a year
or unit of either report was inferred (not stated by the report, or contradicted), the pair is
made but says so, and the comparison's copy flag becomes a question for a person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.document.metadata import issuer_of_title, unit_key

FIELDS = {"unit": "单位", "year": "年度"}


@dataclass(frozen=True)
class Pair:
    this: int  # index into the reports of this run
    last: int  # index into the candidates
    #: what the pairing rests on that was not stated: "this.year", "last.unit" …; "name.unit" when
    #: the units are named differently (an office and its government)
    inferred: tuple[str, ...]


@dataclass(frozen=True)
class Ambiguous:
    this: int
    last: tuple[int, ...]  # several candidates for last year: none is chosen


def key(report: Mapping[str, Any]) -> tuple[str, str, int] | None:
    """(unit, checklist, year) of an audited report, or None when one is unknown."""
    if report.get("error"):
        return None
    meta = report.get("metadata") or {}
    unit, year = meta.get("unit"), meta.get("year")
    checklist = (report.get("checklist") or {}).get("id")
    if not unit or not isinstance(year, int) or not checklist:
        return None
    return unit_key(str(unit)), str(checklist), year


def unsure(report: Mapping[str, Any]) -> list[str]:
    """The pairing fields this report did not state itself (or states in contradiction)."""
    sources = report.get("metadata_sources") or {}
    out = []
    for name in FIELDS:
        src = sources.get(name)
        if isinstance(src, Mapping) and (not src.get("stated") or src.get("conflict")):
            out.append(name)
    return out


def _loose(k: tuple[str, str, int], report: Mapping[str, Any] | None = None) -> tuple[str, str, int]:
    """The key with an office taken for its government (安澜县人民政府办公室 signs the report of
    安澜县人民政府): a pairing made on it says so. An office the title names reports in its own
    name (安澜县人民政府办公室2023年…报告: a department), so its key stays."""
    title = ((report or {}).get("metadata") or {}).get("title")
    issuer = issuer_of_title(title) if isinstance(title, str) else None
    if issuer is not None and unit_key(issuer) == k[0]:
        return k
    return unit_key(k[0].removesuffix("办公室")), k[1], k[2]


def pair(
    this: Sequence[Mapping[str, Any]], candidates: Sequence[Mapping[str, Any]]
) -> tuple[list[Pair], list[Ambiguous]]:
    """Each report of ``this`` with the one candidate of the same unit and checklist a year
    before (the unit named alike, else an office and its government, said so); a report with
    several such candidates is not paired (ambiguous)."""
    exact: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    loose: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    keyed: dict[int, tuple[str, str, int] | None] = {}  # by identity: a batch's reports are also its candidates
    for i, c in enumerate(candidates):
        k = keyed[id(c)] = key(c)
        if k is not None:
            exact[k].append(i)
            loose[_loose(k, c)].append(i)
    pairs: list[Pair] = []
    ambiguous: list[Ambiguous] = []
    for i, r in enumerate(this):
        k = keyed[id(r)] if id(r) in keyed else key(r)
        if k is None:
            continue
        before = (k[0], k[1], k[2] - 1)
        found, alike = exact.get(before, []), True
        if not found:
            found, alike = loose.get(_loose(before, r), []), False
        if len(found) == 1:
            last = candidates[found[0]]
            inferred = [f"this.{n}" for n in unsure(r)] + [f"last.{n}" for n in unsure(last)]
            pairs.append(Pair(i, found[0], tuple(inferred + ([] if alike else ["name.unit"]))))
        elif found:
            ambiguous.append(Ambiguous(i, tuple(found)))
    return pairs, ambiguous


@dataclass(frozen=True)
class Renamed:
    """A report left unpaired and the one report of a year before, also left unpaired, whose unit
    may be its own under a former name (:func:`renamed`): a hint, never a pairing."""

    this: int
    last: int


_PLACE = re.compile(r"^(.{2,6}?)(?:乡|镇|街道(?:办事处)?)$")
_DIVISION = re.compile(r"^.{1,8}?(?:自治县|自治州|县|市|区|旗|盟)")
_KIND = re.compile(r"(?:委员会|办公室|管理局|局|委|办|中心|所|站)$")
_GENERIC = frozenset({"管理", "行政", "委员", "办公", "服务", "中心", "人民", "政府", "工作", "事务"})


def renamed(last_unit: str, this_unit: str) -> bool:
    """Whether two unit keys may name one unit before and after a renaming (机构改革): a township
    become a town or a street (桃源乡 / 桃源镇, 张渚镇 / 张渚街道办事处), or a department of the same
    county whose names, their kind (局, 委员会 …) left aside, share two characters that are not
    generic (河西县司法局 / 河西县司法行政局; not 教育局 / 体育局)."""
    return last_unit != this_unit and bool(_hooks(last_unit) & _hooks(this_unit))


def _hooks(unit: str) -> set[str]:
    """What two units that may be one renamed share: a township's place name, or a department's
    county with each non-generic pair of characters of its name (its kind left aside)."""
    place = _PLACE.match(unit)
    if place:
        return {place.group(1)}
    division = _DIVISION.match(unit)
    if not division:
        return set()
    name = _KIND.sub("", unit[division.end() :])
    pairs = {name[i : i + 2] for i in range(len(name) - 1)} - _GENERIC
    return {f"{division.group()}:{two}" for two in pairs}


def renamings(
    this: Sequence[Mapping[str, Any]],
    candidates: Sequence[Mapping[str, Any]],
    pairs: Sequence[Pair],
    ambiguous: Sequence[Ambiguous],
) -> list[Renamed]:
    """Each report of ``this`` that :func:`pair` left unpaired and the one candidate of the same
    checklist a year before, itself nobody's last year, whose unit may be its own renamed."""
    taken = {p.last for p in pairs}
    done = {p.this for p in pairs} | {a.this for a in ambiguous}
    keys = [key(c) for c in candidates]
    hooked: dict[tuple[str, str, int], set[int]] = defaultdict(set)  # (hook, checklist, year) → candidates
    for j, c in enumerate(keys):
        if c is not None and j not in taken:
            for hook in _hooks(c[0]):
                hooked[hook, c[1], c[2]].add(j)
    out: list[Renamed] = []
    for i, r in enumerate(this):
        k = key(r) if i not in done else None
        if k is None:
            continue
        near = {j for hook in _hooks(k[0]) for j in hooked.get((hook, k[1], k[2] - 1), ())}
        near = {j for j in near if (found := keys[j]) is not None and found[0] != k[0]}
        if len(near) == 1:
            out.append(Renamed(i, near.pop()))
    return out


def inferred_note(inferred: Sequence[str], last_unit: object = None, this_unit: object = None) -> str:
    """The Chinese note of a pairing that rests on inferred metadata or differently named units
    ("" when both reports state both and name the unit alike)."""
    side = {"this": "本年度报告的", "last": "上年度报告的"}
    parts = [x.partition(".") for x in inferred]
    guessed = [f"{side[s]}{FIELDS[n]}" for s, _, n in parts if s in side]
    notes = []
    if guessed:
        notes.append(f"配对所依据的{'、'.join(guessed)}是推断的（报告未写明或前后不一致）")
    if "name.unit" in inferred:
        notes.append(f"两份报告署名的单位不完全相同（{last_unit} / {this_unit}），按同一单位配对")
    return "；".join(notes) + "，请确认两份报告是同一单位相邻两年的报告；重复比例仅供复核" if notes else ""


def inferred_doubt(inferred: Sequence[str]) -> str:
    """Why a pairing is in doubt, said in a follow-through verdict ("" when both reports state both
    year and unit and name the unit alike)."""
    if not inferred:
        return ""
    guessed = any(x != "name.unit" for x in inferred)
    return "配对所依据的年度或单位是推断的" if guessed else "两份报告署名的单位不完全相同"
