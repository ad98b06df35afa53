"""Geometry of the category bar chart drawn as inline SVG on the scorecard.

Python computes every coordinate; the template only draws the shapes, so all
labels still pass through Jinja's autoescaping. No JavaScript is involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from auditor.report.labels import format_score
from auditor.report.sanitize import shorten
from auditor.result import CategoryResult

LABEL_WIDTH: Final = 170.0
PLOT_WIDTH: Final = 420.0
VALUE_WIDTH: Final = 70.0
ROW_HEIGHT: Final = 30.0
BAR_HEIGHT: Final = 18.0
TOP: Final = 8.0
AXIS_HEIGHT: Final = 22.0
LABEL_LIMIT: Final = 11
NO_SCORE_COLOR: Final = "#9e9e9e"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: float
    width: float
    color: str

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 4.5  # baseline of 12px text, centred


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    width: float
    height: float
    plot_left: float = LABEL_WIDTH
    plot_width: float = PLOT_WIDTH
    bar_height: float = BAR_HEIGHT

    @property
    def axis_y(self) -> float:
        return self.height - AXIS_HEIGHT

    @property
    def summary(self) -> str:
        """A text alternative listing every bar."""
        return "；".join(f"{b.label} {b.value_text}" for b in self.bars)


def score_band(score: float | None) -> str:
    """``good`` from 85, ``ok`` from 60, ``bad`` below; ``none`` without a score."""
    if score is None:
        return "none"
    return "good" if score >= 85 else "ok" if score >= 60 else "bad"


_BAND_COLORS: Final = {"good": "#2e7d32", "ok": "#f9a825", "bad": "#c62828", "none": NO_SCORE_COLOR}


def score_color(score: float | None) -> str:
    """Green from 85, amber from 60, red below; grey without a score."""
    return _BAND_COLORS[score_band(score)]


def _score(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0.0, min(100.0, float(value)))


def _bar(row: int, category: CategoryResult) -> Bar:
    score = _score(category.score)
    label = category.title or category.id
    return Bar(
        label=shorten(label, LABEL_LIMIT),
        value_text=format_score(score) if score is not None else "不适用",
        y=TOP + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        width=PLOT_WIDTH * (score or 0.0) / 100,
        color=score_color(score),
    )


def category_chart(categories: Sequence[CategoryResult]) -> Chart:
    """A horizontal bar per category, 0–100 scale."""
    bars = [_bar(row, category) for row, category in enumerate(categories)]
    ticks = [Tick(LABEL_WIDTH + PLOT_WIDTH * v / 100, str(v)) for v in range(0, 101, 20)]
    height = TOP + len(bars) * ROW_HEIGHT + AXIS_HEIGHT
    return Chart(bars, ticks, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height)
