"""A dash for nil in the 政府信息公开 statistics tables (一、本年新收 45 3 — — 2 — 50).

Many sites write "—" where the national format has 0. Before, such a table fell below the share
of figures that makes a table a statistics table, was flattened, and its rows read as digits run
together: every table rule said 待复核 and the sums could not be checked. A dash must read as 0,
in a real HTML table and in the same table as text, and the review table's dashes too.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.document.tables import find_tables
from auditor.readers.dispatch import read_document
from tests.checklist.test_gia_tables import _html

ZERO = "<td>0</td>"
PAGE = _html()
ZEROS = PAGE.count(ZERO)


def _with_dashes(chosen: set[int], dash: str) -> str:
    pieces = PAGE.split(ZERO)
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        out.append(f"<td>{dash}</td>" if i in chosen else ZERO)
        out.append(piece)
    return "".join(out)


def _values(text: str) -> list[tuple[str, tuple[float | None, ...]]]:
    doc = understand(text)
    return [
        (row.key, tuple(c.value if c is not None else None for c in row.cells))
        for table in find_tables(doc.text, *doc.body)
        for row in table.rows
    ]


def _read(tmp: Path, html: str) -> str:
    path = tmp / "page.html"
    path.write_text(html, encoding="utf-8")
    return read_document(str(path)).text


def test_the_fixture_has_zeros_to_replace() -> None:
    assert ZEROS > 60


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.sets(st.integers(0, ZEROS - 1)), dash=st.sampled_from(["—", "－", "-", "——"]))
def test_dashes_read_as_zeros_in_a_page_and_in_its_flattened_text(tmp_path: Path, chosen: set[int], dash: str) -> None:
    plain = _read(tmp_path, PAGE)
    expected = _values(plain)
    assert sum(1 for _, cells in expected if None not in cells) > 20  # (group rows hold no figures of their own)
    dashed = _read(tmp_path, _with_dashes(chosen, dash))
    assert _values(dashed) == expected
    flattened = re.sub(r" \| ", " ", dashed)  # a crawler's copy: the cells one space apart
    assert _values(flattened) == _values(re.sub(r" \| ", " ", plain))


def test_every_zero_a_dash_still_reads_the_table(tmp_path: Path) -> None:
    dashed = _read(tmp_path, _with_dashes(set(range(ZEROS)), "—"))
    rows = dict(_values(dashed))
    assert rows["cases"] == (2, 1, 0, 0, 3, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0)
    assert rows["new_apps"] == (21, 4, 0, 0, 0, 0, 25)
