"""The per-rule agreement figures shipped in docs/rules/fazhi.md are what the labelled
material in fixtures/ gives today (python -m tests.checklist.measure --write)."""

from __future__ import annotations

from .measure import MARK, PAGE, measure, measured_block


def test_measured_block_is_current() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert MARK in page, "run: python -m tests.checklist.measure --write"
    assert page[page.index(MARK) :] == measured_block(), "stale: run python -m tests.checklist.measure --write"


def test_no_false_charge_on_labelled_material() -> None:
    """`gap` where the reading says `met` is the costliest error: none on the labelled material."""
    charged = {rid: c["false_gap"] for rid, c in measure().items() if c["false_gap"]}
    assert not charged
