"""Per-report file stems: safe, unique, readable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from auditor.report.naming import report_stems


def test_bare_stem_when_unique() -> None:
    assert report_stems(["reports/张渚镇.txt", "reports/2024/宜兴市人民政府.docx"]) == [
        "张渚镇",
        "宜兴市人民政府",
    ]


def test_folders_prefixed_when_stems_clash() -> None:
    assert report_stems(["a/b/张渚镇.txt", "c/张渚镇.txt", "丁蜀镇.pdf"]) == [
        "a_b_张渚镇",
        "c_张渚镇",
        "丁蜀镇",
    ]


def test_numbered_when_paths_clash() -> None:
    assert report_stems(["a/b/张渚镇.txt", "a/b/张渚镇.pdf"]) == ["a_b_张渚镇", "a_b_张渚镇-2"]


def test_numbering_avoids_existing_names() -> None:
    stems = report_stems(["x/a.txt", "x/a.pdf", "y/x_a-2.txt"])
    assert len({s.casefold() for s in stems}) == 3


def test_unique_ignoring_case() -> None:
    stems = report_stems(["Report.txt", "report.txt"])
    assert stems[0].casefold() != stems[1].casefold()


def test_unsafe_characters_and_reserved_names() -> None:
    stems = report_stems(["../../etc/pass:wd.txt", "index.html", "", "C:\\docs\\丁蜀镇.docx", "con.txt"])
    assert stems[0] == "pass_wd"
    assert stems[1] == "index_report"  # would clash with index.html
    assert stems[2] == "report"
    assert stems[3] == "丁蜀镇"
    assert stems[4] == "con_report"


def test_no_url_scheme_possible() -> None:
    (stem,) = report_stems(["javascript:alert(1).txt"])
    assert ":" not in stem


def test_long_names_are_clipped() -> None:
    (stem,) = report_stems(["很长的名字" * 40 + ".txt"])
    assert len(stem.encode()) <= 120


@given(st.lists(st.text(max_size=40), max_size=12))
def test_stems_always_safe_and_unique(sources: list[str]) -> None:
    stems = report_stems(sources)
    assert len(stems) == len(sources)
    assert len({s.casefold() for s in stems}) == len(stems)
    for stem in stems:
        assert stem and stem.casefold() != "index"
        assert not any(ch in stem for ch in '/\\:*?"<>|#%\x00\n')
        assert not stem.startswith(".")
        assert len(stem.encode()) <= 130


def _entry(source: str, unit: str | None, year: int | None) -> dict[str, object]:
    return {"source": source, "metadata": {"unit": unit, "year": year}}


def test_reports_are_named_by_unit_and_year() -> None:
    entries = [
        _entry("000_3b88b001ffea4908.txt", "张渚镇人民政府", 2023),
        _entry("x/001.docx", "宜兴市人民政府", None),
        _entry("a/丁蜀镇.pdf", None, 2023),  # no unit: the file's name
        "b/丁蜀镇.pdf",  # a plain source
    ]
    assert report_stems(entries) == ["张渚镇人民政府-2023", "宜兴市人民政府", "a_丁蜀镇", "b_丁蜀镇"]


def test_same_unit_and_year_get_a_suffix() -> None:
    entries = [_entry(f"{n}.txt", "张渚镇人民政府", 2023) for n in range(3)] + [_entry("z.txt", "张渚镇人民政府", 2022)]
    assert report_stems(entries) == [
        "张渚镇人民政府-2023",
        "张渚镇人民政府-2023-2",
        "张渚镇人民政府-2023-3",
        "张渚镇人民政府-2022",
    ]


def test_unit_names_are_made_safe() -> None:
    stems = report_stems(
        [_entry("a.txt", "../../etc/某局\n", 2023), _entry("b.txt", "CON", None), _entry("c.txt", "/", 1)]
    )
    assert stems == ["etc_某局-2023", "CON_report", "c"]
    (long,) = report_stems([_entry("a.txt", "很长的单位名称" * 30, 2023)])
    assert len(long.encode()) <= 120


@given(
    st.lists(
        st.tuples(
            st.text(max_size=20), st.one_of(st.none(), st.text(max_size=60)), st.one_of(st.none(), st.integers())
        ),
        max_size=12,
    )
)
def test_unit_year_stems_always_safe_and_unique(rows: list[tuple[str, str | None, int | None]]) -> None:
    stems = report_stems([_entry(*row) for row in rows])
    assert len(stems) == len(rows)
    assert len({s.casefold() for s in stems}) == len(stems)
    for stem in stems:
        assert stem and stem.casefold() not in ("index", "con", "nul", "aux", "prn")
        assert not any(ch in stem for ch in '/\\:*?"<>|#%\x00\n\t')
        assert not stem.startswith(".")
        assert len(stem.encode()) <= 130
