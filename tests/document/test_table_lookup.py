"""A table's rows and cells are looked up through indexes built once per table; the answers are
those of a scan over the rows.

``Table.find_row`` answers from a dictionary of keys and squashed labels, then from the squashed
labels that contain the wanted one; ``read_cell`` remembers each (row, column) it read. The plain
scan below is the definition (the first row whose key or whole label is the one wanted, else the
only row whose label contains it); on tables of any subset and order of the national rows, with
repeated keys and labels too, and labels asked for in every form the rules use (key, national
wording, a distinctive part, with a row number, a column name), the answers must be the same, and
the same again when asked twice.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.tables import (
    _APPLICATION,
    _GROUP_KEYS,
    _NUMBERING,
    APPLICANTS,
    Cell,
    Row,
    Table,
    _squash,
    read_cell,
)


def _scan(table: Table, label: str) -> Row | None:
    want = _squash(_NUMBERING.sub("", label))
    for row in table.rows:
        if want in (row.key, _squash(row.label)):
            return row
    hits = [row for row in table.rows if want and want in _squash(row.label)]
    return hits[0] if len(hits) == 1 else None


_TEMPLATES = st.sampled_from(_APPLICATION)
_VALUE = st.none() | st.integers(0, 30).map(float)


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    rows = []
    for k, template in enumerate(draw(st.lists(_TEMPLATES, max_size=12))):
        values = draw(st.lists(_VALUE, min_size=len(APPLICANTS), max_size=len(APPLICANTS)))
        cells = tuple(None if v is None and k % 3 == 0 else Cell(v, 10 * k, 10 * k + 1) for v in values)
        problem = draw(st.none() | st.just("数字连在一起"))
        rows.append(Row(template.key, template.label, template.group, 10 * k, 10 * k + 9, cells, problem))
    return Table("application", "t", APPLICANTS, tuple(rows), 0, 10 * len(rows))


_LABELS = st.one_of(
    _TEMPLATES.map(lambda t: t.key),
    _TEMPLATES.map(lambda t: t.label),
    _TEMPLATES.flatmap(lambda t: st.integers(0, len(t.label) - 1).map(lambda i: t.label[i : i + 4])),
    _TEMPLATES.map(lambda t: f"（三）{t.label}"),
    _TEMPLATES.map(lambda t: f"2.{t.label}"),
    st.sampled_from(["其他", "总计", "", " ", "不存在的行"]),
)


@settings(max_examples=300, deadline=None)
@given(_tables(), st.lists(_LABELS, min_size=1, max_size=8))
def test_find_row_answers_as_the_scan(table: Table, labels: list[str]) -> None:
    for label in labels + labels:
        assert table.find_row(label) == _scan(table, label)


@settings(max_examples=300, deadline=None)
@given(_tables(), st.lists(st.tuples(_LABELS, st.sampled_from([*APPLICANTS, "法人或其他组织", "其他"])), max_size=8))
def test_a_cell_read_again_is_the_same_read(table: Table, asked: list[tuple[str, str]]) -> None:
    """A group's rows are those of the scan; a cell read again in one table (remembered) is the
    read of a fresh, equal table."""
    for group in _GROUP_KEYS:
        assert table.children(group) == tuple(row for row in table.rows if row.group == group)
    for row, column in asked:
        first = read_cell(table, row, column)
        fresh = Table(table.kind, table.title, table.columns, table.rows, table.start, table.end)
        assert read_cell(table, row, column) == first == read_cell(fresh, row, column)
