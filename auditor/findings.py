"""Audit results: findings with evidence, per report; plain dataclasses, never changed once the
report is made (the engine fills a finding's evidence after quoting all the report's spans at once,
and ``located`` places each piece of evidence in the author's file where it is).

Evidence and near misses are not ``frozen`` (yet hashable like frozen ones): a frozen ``__init__``
sets each field through ``object.__setattr__``, ≈ 1 µs more per object, and every report quotes
dozens of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from auditor.document.location import Location
from auditor.vocabulary import Decision, Status


@dataclass(unsafe_hash=True)
class Evidence:
    text: str
    start: int
    end: int
    line: int
    section: str | None
    context: str = ""  # the sentence around the match (source text), for readers
    location: Location | None = None  # where it is in the author's file (page, paragraph, table cell...)

    def to_dict(self, places: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """The JSON object; ``places``: the location objects already written in this report, by
        the id of their location (a report's evidence sits on a few lines: one object per line)."""
        where = self.location
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "section": self.section,
            "context": self.context,
            "location": None if where is None else _place(where, places) if places is not None else where.to_dict(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(**{**_known(cls, data), "location": Location.from_dict(data.get("location"))})


@dataclass(unsafe_hash=True)
class NearMiss:
    text: str
    score: float
    start: int
    end: int
    line: int
    reason: str = ""
    context: str = ""  # the sentence the candidate sits in (source text), as for evidence
    part: str = ""  # the part of the report it is in: its section heading, else its role
    location: Location | None = None  # where it is in the author's file

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "score": self.score,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "reason": self.reason,
            "context": self.context,
            "part": self.part,
            "location": self.location.to_dict() if self.location else None,
        }

    def placed(self, location: Location | None) -> NearMiss:
        """The same near miss at ``location``."""
        return NearMiss(
            self.text, self.score, self.start, self.end, self.line, self.reason, self.context, self.part, location
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NearMiss:
        return cls(**{**_known(cls, data), "location": Location.from_dict(data.get("location"))})


@dataclass(frozen=True)
class Review:
    """A person's decision on one finding (``status``: the finding's status after it)."""

    decision: Decision
    status: Status
    comment: str = ""
    reviewer: str = ""
    at: str = ""  # ISO 8601, UTC
    fingerprint: str = ""  # of the finding the decision was made on (see auditor.review)

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "status": self.status,
            "comment": self.comment,
            "reviewer": self.reviewer,
            "at": self.at,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Review:
        return cls(
            Decision(str(data["decision"])),
            Status(str(data["status"])),
            str(data.get("comment") or ""),
            str(data.get("reviewer") or ""),
            str(data.get("at") or ""),
            str(data.get("fingerprint") or ""),
        )


@dataclass(slots=True)  # not frozen: one per rule and report, and a frozen __init__ costs 3x
class Finding:
    rule_id: str
    status: Status
    title: str
    message: str
    severity: str
    weight: float
    category: str
    blocking: bool
    remediation: str
    references: tuple[str, ...]
    values: dict[str, float] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    near_miss: NearMiss | None = None
    searched: str = ""
    error_code: str | None = None  # for an ``error`` finding: "timeout" or "internal"
    headline: str = ""  # what this finding says, for display: the rule's gap_title on a gap, else its title
    trace: str = ""  # the traceback of an internal error (printed with --debug, never in the JSON)
    review: Review | None = None  # a person's decision (``check --decisions``, the workbench)

    def to_dict(self, places: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """The JSON object (``places``: as for ``Evidence.to_dict``, shared by a report's findings)."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "status": self.status,
            "title": self.title,
            "headline": self.headline or self.title,
            "message": self.message,
            "severity": self.severity,
            "weight": self.weight,
            "category": self.category,
            "blocking": self.blocking,
            # (a comprehension is a call: skipped when empty, as most are)
            "values": {k: _num(v) for k, v in self.values.items()} if self.values else {},
            "evidence": [e.to_dict(places) for e in self.evidence] if self.evidence else [],
            "near_miss": self.near_miss.to_dict() if self.near_miss else None,
            "searched": self.searched,
            "remediation": self.remediation,
            "references": list(self.references),
        }
        if self.error_code:
            out["error_code"] = self.error_code
        if self.review is not None:
            out["review"] = self.review.to_json()
        return out

    to_json = to_dict

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """A finding of the JSON contract, typed (``title`` stands in for a missing headline)."""
        near = data.get("near_miss")
        return cls(
            rule_id=str(data.get("rule_id") or ""),
            status=Status(str(data.get("status"))),
            title=str(data.get("title") or ""),
            message=str(data.get("message") or ""),
            severity=str(data.get("severity") or ""),
            weight=float(data.get("weight") or 0),
            category=str(data.get("category") or ""),
            blocking=bool(data.get("blocking")),
            remediation=str(data.get("remediation") or ""),
            references=tuple(data.get("references") or ()),
            values=dict(data.get("values") or {}),
            evidence=tuple(Evidence.from_json(e) for e in data.get("evidence") or ()),
            near_miss=NearMiss.from_json(near) if isinstance(near, Mapping) else None,
            searched=str(data.get("searched") or ""),
            error_code=data.get("error_code"),
            headline=str(data.get("headline") or ""),
            review=Review.from_json(data["review"]) if isinstance(data.get("review"), Mapping) else None,
        )


def _known(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``data`` that ``cls`` has (a later version may add keys)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _place(location: Location, places: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """``location.to_dict()``, written once per report (``places``, by id)."""
    found = places.get(id(location))
    if found is None:
        found = places[id(location)] = location.to_dict()
    return found


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else round(v, 4)


def located(findings: tuple[Finding, ...], where: Callable[[int, int], Location | None]) -> tuple[Finding, ...]:
    """The findings with each evidence and near miss placed in the author's file; ``where(start, line)``
    looks a source offset up. Evidence shared by several findings is placed once. The pieces of
    evidence are placed where they are (the findings' own, just quoted by the engine: nothing else
    holds them yet), not copied."""
    done: set[int] = set()
    for finding in findings:
        for e in finding.evidence:
            if id(e) not in done:
                done.add(id(e))
                e.location = where(e.start, e.line)
        near = finding.near_miss
        if near is not None:
            finding.near_miss = near.placed(where(near.start, near.line))
    return findings
