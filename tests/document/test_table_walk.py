"""The walk through a table's row labels keeps its overlap test by bisect equal to the plain test.

``tables._walk`` skips a label that overlaps a row already taken; it finds the only candidate by
bisect in the sorted, non-overlapping spans of the run. The plain definition below (the loop it
replaced) tests every span taken; on generated label spans (non-empty, as every label pattern
matches at least one character) the two walks must be the same.
"""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import tables
from auditor.document.tables import _APPLICATION, _GROUP_KEYS, MAX_GAP, _walk


def _plain_walk(
    matches: list[list[tuple[int, int]]], first: int, span: tuple[int, int]
) -> list[tuple[int, tuple[int, int]]]:
    run = [(first, span)]
    pos = span[1]
    taken = {span}
    for index in range(first + 1, len(_APPLICATION)):
        found = matches[index]
        k = bisect.bisect_left(found, (pos, -1))
        nxt = found[k] if k < len(found) and found[k][0] <= pos + MAX_GAP else None
        if nxt is None or nxt in taken:
            continue
        if any(s < nxt[1] and nxt[0] < e for s, e in taken):
            continue
        run.append((index, nxt))
        taken.add(nxt)
        if _APPLICATION[index].key not in _GROUP_KEYS:
            pos = nxt[1]
    return run


_SPAN = st.tuples(st.integers(0, 3 * MAX_GAP), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1]))
_MATCHES = st.lists(st.lists(_SPAN, max_size=4).map(sorted), min_size=len(_APPLICATION), max_size=len(_APPLICATION))


@settings(max_examples=500, deadline=None)
@given(_MATCHES, st.integers(0, 2), _SPAN)
def test_walk_equals_the_plain_overlap_test(
    matches: list[list[tuple[int, int]]], first: int, span: tuple[int, int]
) -> None:
    assert _walk(matches, first, span) == _plain_walk(matches, first, span)


def test_an_overlapping_label_is_not_taken() -> None:
    matches: list[list[tuple[int, int]]] = [[] for _ in _APPLICATION]
    matches[4] = [(12, 20)]  # a group label ((三)不予公开): taken, the position stays
    matches[5] = [(15, 25)]  # overlaps it: passed over
    matches[6] = [(30, 40)]
    assert tables._walk(matches, 0, (0, 10)) == [(0, (0, 10)), (4, (12, 20)), (6, (30, 40))]


@settings(max_examples=500, deadline=None)
@given(_MATCHES, st.integers(0, 2), _SPAN)
def test_a_walk_from_a_row_of_a_run_is_the_rest_of_that_run(
    matches: list[list[tuple[int, int]]], first: int, span: tuple[int, int]
) -> None:
    """``_application_table`` walks from a label among the first three rows only when no run
    walked before holds it: from a row of a run, the walk gives that run's rows from there on
    (so never a longer run)."""
    run = _walk(matches, first, span)
    for index, row in run[1:]:
        if index < 3:
            assert _walk(matches, index, row) == [(i, s) for i, s in run if i >= index]
