"""Chinese labels and marks shown to readers: statuses, levels, severities, scores.

Every format uses these so that a supervisor sees the same words everywhere.
"""

from __future__ import annotations

from typing import Final

from auditor.vocabulary import STATUSES, Level, Severity, Status

__all__ = ["LEVEL_LABELS", "SEVERITY_LABELS", "STATUSES", "STATUS_LABELS", "STATUS_MARKS"]

STATUS_LABELS: Final[dict[str, str]] = {s.value: s.label for s in Status}
STATUS_MARKS: Final[dict[str, str]] = {s.value: s.mark for s in Status}
LEVEL_LABELS: Final[dict[str, str]] = {level.value: level.label for level in Level}
SEVERITY_LABELS: Final[dict[str, str]] = {s.value: s.label for s in Severity}

MISSING: Final = "—"


def status_label(status: object) -> str:
    """The Chinese label of a finding status (the raw value if unknown)."""
    return STATUS_LABELS.get(str(status), str(status))


def status_mark(status: object) -> str:
    """The one-character mark of a finding status."""
    return STATUS_MARKS.get(str(status), "·")


def status_text(status: object) -> str:
    """Mark and label together, e.g. ``✘ 缺失``."""
    return f"{status_mark(status)} {status_label(status)}"


def level_label(level: object) -> str:
    """The Chinese label of an administrative level; ``未知`` when missing."""
    if level is None or level == "":
        return LEVEL_LABELS["unknown"]
    return LEVEL_LABELS.get(str(level), str(level))


def severity_label(severity: object) -> str:
    """The Chinese label of a rule severity."""
    if severity is None:
        return MISSING
    return SEVERITY_LABELS.get(str(severity), str(severity))


def format_score(score: object) -> str:
    """A score with one decimal, or a dash when there is none."""
    if isinstance(score, bool) or not isinstance(score, int | float):
        return MISSING
    return f"{score:.1f}"


def format_rate(rate: float | None) -> str:
    """A pass rate in [0, 1] as a percentage, or a dash."""
    if rate is None:
        return MISSING
    return f"{rate * 100:.0f}%"


def text_or_dash(value: object) -> str:
    """Any optional scalar as display text."""
    if value is None or value == "":
        return MISSING
    return str(value)
