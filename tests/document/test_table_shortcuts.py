"""The shortcuts of reading a statistics table never change what is read.

``split_runs`` by one recursive function equals the generator search it replaced.

The oracle below is the former implementation (a generator per level, ``yield from`` up the
levels): on digit runs of every shape — leading zeros, empty strings, too few or too many digits
— with consistency tests that accept many, few or no splits, the new search must return the same
splits in the same order, stop after the same ``limit`` and give up (None) on the same inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.document import tables
from auditor.document.tables import _ITEM_NUMBER, _PAGE_NUMBER, _groups_ok, _row_sum_ok, split_runs


def _oracle(
    tokens: Sequence[str], n: int, consistent: Callable[[Sequence[int]], bool], limit: int
) -> list[list[int]] | None:
    out: list[list[int]] = []
    digits = [len(t) for t in tokens]

    def go(i: int, pos: int, acc: list[int]) -> Iterator[list[int]]:
        if i == len(tokens):
            if len(acc) == n:
                yield list(acc)
            return
        token = tokens[i]
        if pos == len(token):
            yield from go(i + 1, 0, acc)
            return
        left = len(token) - pos + sum(digits[i + 1 :])
        cells_left = n - len(acc)
        if cells_left <= 0 or left < cells_left or left > cells_left * tables._MAX_CELL_DIGITS:
            return
        widths = [1] if token[pos] == "0" else range(1, min(tables._MAX_CELL_DIGITS, len(token) - pos) + 1)
        for w in widths:
            acc.append(int(token[pos : pos + w]))
            yield from go(i, pos + w, acc)
            acc.pop()

    for examined, candidate in enumerate(go(0, 0, [])):
        if examined >= tables.MAX_CANDIDATES:
            return None
        if consistent(candidate):
            out.append(candidate)
            if len(out) > limit:
                break
    return out


_TESTS: dict[str, Callable[[Sequence[int]], bool]] = {
    "row sum": _row_sum_ok,
    "groups": lambda values: len(values) % 5 == 0 and _groups_ok(values),
    "all": lambda values: True,
    "none": lambda values: False,
    "even": lambda values: sum(values) % 2 == 0,
}
_RUNS = st.sampled_from(["0000000", "1000001", "230", "000023"])  # a row of zeros, a figure and its total, split
_TOKENS = st.lists(st.text("0123456789", max_size=9) | _RUNS, max_size=4)
_CAPS = st.sampled_from([3, 50, 20_000])  # MAX_CANDIDATES: small ones reach the give-up path


@settings(max_examples=1500, deadline=None)
@given(_TOKENS, st.integers(-1, 9), st.sampled_from(sorted(_TESTS)), st.integers(0, 4), _CAPS)
def test_split_runs_equals_the_generator_search(tokens: list[str], n: int, test: str, limit: int, cap: int) -> None:
    consistent = _TESTS[test]
    with mock.patch.object(tables, "MAX_CANDIDATES", cap):
        new = _outcome(lambda: split_runs(tokens, n, consistent, limit))
        old = _outcome(lambda: _oracle(tokens, n, consistent, limit))
    assert new == old


def _outcome(call: Callable[[], object]) -> tuple[str, object]:
    """What a call returns, or the type of what it raises (the row-sum test of an empty split raises)."""
    try:
        return "returned", call()
    except Exception as exc:  # compared, not swallowed
        return "raised", type(exc)


def test_a_row_of_zeros_has_one_split() -> None:
    assert split_runs(["0000000"], 7, _row_sum_ok) == [[0] * 7]
    assert split_runs(["0"], 7, _row_sum_ok) == []  # one figure cannot fill seven cells


_ROW_PIECES = st.sampled_from(
    ["0", "12", "7", " ", "\t", "\n", "-", "—", "第", "页", "共", ".", "、", "件", "其他", '"', "|", "(", ")"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ROW_PIECES, max_size=30).map("".join))
@example("\n- 12 -\n")
@example("\n第 3 页 共 9 页\n")
@example("000002.其他")
def test_page_and_item_numbers_hold_the_characters_checked_first(region: str) -> None:
    """_cells substitutes page numbers only in a region holding 页, - or —, and item numbers only
    in one holding . or 、: no match exists without them."""
    if _PAGE_NUMBER.search(region):
        assert "页" in region or "-" in region or "—" in region
    if _ITEM_NUMBER.search(region):
        assert "." in region or "、" in region


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=14), st.sampled_from([7, 15]), st.booleans())
def test_a_lone_figure_of_fewer_digits_than_cells_has_no_split(token: str, n: int, accept: bool) -> None:
    """``_cells`` reads a row's one figure of fewer than n digits as its 总计 without a split
    search: the search would find no split of it, whatever the row's consistency test; a longer
    figure is still searched (a flattened row of zeros, ``0000000``)."""
    found = split_runs([token], n, lambda _: accept)
    if len(token) < n:
        assert found == []
    cells, problem, _, _ = tables._cells(f"：{token}件", 0, n, lambda _: accept)
    if len(token) < n:
        assert problem is None and cells[:-1] == (None,) * (n - 1) and cells[-1] == (float(token), 1, 1 + len(token))
