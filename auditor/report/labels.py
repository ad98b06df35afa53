"""Chinese words shown to readers beside the vocabulary's own labels: levels and severities as
they come from a result (possibly unknown strings), scores, rates and dashes.

Every format uses these so that a supervisor sees the same words everywhere.
"""

from __future__ import annotations

from typing import Final

from auditor.vocabulary import Level, Severity, Status

MISSING: Final = "—"


def status_text(status: Status) -> str:
    """Mark and label together, e.g. ``✘ 缺失``."""
    return f"{status.mark} {status.label}"


def status_label(status: object) -> str:
    """The Chinese label of a status name; the name itself when it is not one."""
    text = str(status)
    return Status(text).label if text in Status.__members__ else text


def level_label(level: str | None) -> str:
    """The Chinese label of an administrative level; ``未知`` when missing, the raw value if unknown."""
    if not level:
        return Level.unknown.label
    try:
        return Level(level).label
    except ValueError:
        return level


def severity_label(severity: str | None) -> str:
    """The Chinese label of a rule severity (the raw value if unknown)."""
    if not severity:
        return MISSING
    try:
        return Severity(severity).label
    except ValueError:
        return severity


def format_score(score: float | None) -> str:
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
