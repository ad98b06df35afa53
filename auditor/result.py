"""The result of a run, typed: what the engine and the pipeline produce and orjson writes.

One audited report is a :class:`Report`, one that could not be audited an :class:`ErrorReport`
(same keys, ``error`` set and the audit fields empty); a run is a :class:`Batch`. Findings,
evidence and near misses are in :mod:`auditor.findings`. Every class is a frozen dataclass
whose ``to_json()`` gives the JSON contract object (keys in contract order; keys may be added,
never renamed or removed) and whose ``from_json()`` reads it back, so tools and formatters
can take a result from a file as well as from the engine.

``dumps`` writes any of them with orjson directly (no intermediate dict tree).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.document.provenance import FieldSource
from auditor.findings import Evidence, Finding, NearMiss
from auditor.vocabulary import STATUSES

__all__ = [
    "Batch",
    "CategoryResult",
    "ChecklistInfo",
    "ErrorReport",
    "Evidence",
    "FieldSource",
    "Finding",
    "Metadata",
    "NearMiss",
    "ReadInfo",
    "Report",
    "Skipped",
    "ToolInfo",
    "batch_from_json",
    "dumps",
    "report_from_json",
]


@dataclass(frozen=True)
class ToolInfo:
    name: str
    version: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version}

    @classmethod
    def from_json(cls, data: object) -> ToolInfo:
        """The ``tool`` object; a missing name or version reads as ``auditor`` / ``0.0.0``."""
        found = data if isinstance(data, Mapping) else {}
        return cls(str(found.get("name") or "auditor"), str(found.get("version") or "0.0.0"))

    @property
    def line(self) -> str:
        """``auditor 0.1.0``."""
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class ChecklistInfo:
    id: str
    version: str
    title: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "title": self.title}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ChecklistInfo | None:
        if not isinstance(data, Mapping):
            return None
        return cls(str(data.get("id") or ""), str(data.get("version") or ""), str(data.get("title") or ""))


@dataclass(frozen=True)
class ReadInfo:
    """How the input was read."""

    format: str
    encoding: str | None
    pages: int | None
    note: str | None = None  # 按网页格式读取（扩展名为 .doc）: the content is not what the extension says

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": self.format, "encoding": self.encoding, "pages": self.pages}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Metadata:
    """What the report says about itself (dates as ISO strings, as in the JSON)."""

    title: str | None
    unit: str | None
    year: int | None
    level: str | None
    published: str | None
    signed: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "level": self.level,
            "published": self.published,
            "signed": self.signed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Metadata:
        return cls(
            data.get("title"),
            data.get("unit"),
            data.get("year"),
            data.get("level"),
            data.get("published"),
            data.get("signed"),
        )


@dataclass(frozen=True)
class CategoryResult:
    id: str
    title: str
    score: float | None
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "score": self.score, "weight": self.weight}


@dataclass(frozen=True)
class Report:
    """One audited report."""

    source: str
    checklist: ChecklistInfo
    read: ReadInfo
    metadata: Metadata
    metadata_sources: Mapping[str, FieldSource]
    checklist_reason: str | None
    score: float | None
    grade: str | None
    grade_capped_by: tuple[str, ...]
    categories: tuple[CategoryResult, ...]
    findings: tuple[Finding, ...]
    #: added after auditing by ``check --decisions`` (docs/decisions.md) and by the pairing with
    #: last year's report (docs/comparison.md); plain JSON, kept as read
    reviewed: Mapping[str, Any] | None = None
    comparison: Mapping[str, Any] | None = None

    @property
    def error(self) -> None:
        return None

    @property
    def summary(self) -> dict[str, int]:
        """Findings per status, every status present."""
        out = dict.fromkeys(STATUSES, 0)
        for f in self.findings:
            out[f.status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        places: dict[int, dict[str, Any]] = {}
        return {
            "source": self.source,
            "checklist": self.checklist,
            "read": self.read,
            "metadata": self.metadata,
            "metadata_sources": dict(self.metadata_sources),
            "checklist_reason": self.checklist_reason,
            "score": self.score,
            "grade": self.grade,
            "grade_capped_by": list(self.grade_capped_by),
            "categories": [c.to_json() for c in self.categories],
            "summary": self.summary,
            # built here (no ``default`` call per finding), each location object once
            "findings": [f.to_dict(places) for f in self.findings],
            **({"reviewed": self.reviewed} if self.reviewed is not None else {}),
            **({"comparison": self.comparison} if self.comparison is not None else {}),
        }


@dataclass(frozen=True)
class ErrorReport:
    """A report that could not be audited: its reason (Chinese, for people) and a stable
    ``error_code`` for tools (``unreadable``, ``internal``, ``unrecognized`` …)."""

    source: str
    error: str
    error_code: str
    checklist: ChecklistInfo | None = None
    exception: str | None = None  # the exception's type name, for a bug
    checklist_reason: str | None = None  # why no checklist fits (``unrecognized``)
    with_reason: bool = field(default=False, compare=False)  # the entry carries ``checklist_reason``

    score: None = field(default=None, init=False)
    findings: tuple[Finding, ...] = field(default=(), init=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "error": self.error,
            "error_code": self.error_code,
            "checklist": self.checklist,
            "read": None,
            "metadata": None,
            "score": None,
            "grade": None,
            "categories": [],
            "findings": [],
        }
        if self.exception is not None:
            out["exception"] = self.exception
        if self.with_reason:
            out["checklist_reason"] = self.checklist_reason
        return out


AnyReport = Report | ErrorReport


@dataclass(frozen=True)
class Skipped:
    """An input that was not treated as a report."""

    source: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Skipped:
        return cls(str(data.get("source") or ""), str(data.get("reason") or ""))


@dataclass(frozen=True)
class Batch:
    """One run: the tool, every report in input order, the files skipped."""

    tool: ToolInfo
    reports: Sequence[AnyReport] = ()
    skipped: Sequence[Skipped] = ()

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.tool, "reports": list(self.reports), "skipped": list(self.skipped)}

    @property
    def audited(self) -> list[Report]:
        """The reports that were audited, in input order."""
        return [r for r in self.reports if isinstance(r, Report)]

    @property
    def failed(self) -> list[ErrorReport]:
        """The reports that could not be audited, in input order."""
        return [r for r in self.reports if isinstance(r, ErrorReport)]


def _default(value: object) -> object:
    to_json = getattr(value, "to_json", None)
    if to_json is None:
        raise TypeError(f"not part of the result: {type(value).__name__}")
    return to_json()


def dumps(value: object, *, indent: bool = False) -> bytes:
    """orjson bytes of a result object (or a plain structure holding some)."""
    import orjson

    option = orjson.OPT_PASSTHROUGH_DATACLASS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(value, default=_default, option=option)


def report_from_json(data: Mapping[str, Any]) -> AnyReport:
    """A report entry of the JSON contract, typed (unknown keys are ignored)."""
    checklist = ChecklistInfo.from_json(data.get("checklist"))
    if data.get("error"):
        return ErrorReport(
            str(data.get("source") or ""),
            str(data["error"]),
            str(data.get("error_code") or ""),
            checklist,
            data.get("exception"),
            data.get("checklist_reason"),
            "checklist_reason" in data,
        )
    read = data.get("read") or {}
    return Report(
        source=str(data.get("source") or ""),
        checklist=checklist or ChecklistInfo("", "", ""),
        read=ReadInfo(str(read.get("format") or ""), read.get("encoding"), read.get("pages"), read.get("note")),
        metadata=Metadata.from_json(data.get("metadata") or {}),
        metadata_sources={k: FieldSource.from_json(v) for k, v in (data.get("metadata_sources") or {}).items()},
        checklist_reason=data.get("checklist_reason"),
        score=data.get("score"),
        grade=data.get("grade"),
        grade_capped_by=tuple(data.get("grade_capped_by") or ()),
        categories=tuple(
            CategoryResult(c["id"], c["title"], c.get("score"), c["weight"]) for c in data.get("categories") or ()
        ),
        findings=tuple(Finding.from_json(f) for f in data.get("findings") or ()),
        reviewed=data["reviewed"] if isinstance(data.get("reviewed"), Mapping) else None,
        comparison=data["comparison"] if isinstance(data.get("comparison"), Mapping) else None,
    )


def batch_from_json(data: Mapping[str, Any]) -> Batch:
    """A whole ``--format json`` document, typed (entries that are not objects are ignored)."""
    reports = data.get("reports")
    skipped = data.get("skipped")
    return Batch(
        ToolInfo.from_json(data.get("tool")),
        tuple(report_from_json(r) for r in (reports if isinstance(reports, list) else ()) if isinstance(r, Mapping)),
        tuple(Skipped.from_json(s) for s in (skipped if isinstance(skipped, list) else ()) if isinstance(s, Mapping)),
    )
