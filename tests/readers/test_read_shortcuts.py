"""The shortcuts of opening and sniffing a file never change what is found.

``path_suffix`` is ``PurePosixPath(name).suffix`` without building a path; ``binary_kind``
tests all signatures at once before finding which one; a head without a NUL byte in its first
4096 bytes is not taken for UTF-16 (``decode_utf16_without_bom`` refuses it first thing).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.location import Location, SourceMap
from auditor.readers.detect import _without_utf16
from auditor.readers.encoding import decode_utf16_without_bom
from auditor.readers.magic import _PREFIXES, BinaryKind, _container_kind, binary_kind
from auditor.readers.source import path_suffix

_NAME_PIECES = st.sampled_from(["/", ".", "..", "a", "报告", ".txt", ".TXT", "x.tar.gz", " ", "\\", "./", "b."])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=8).map("".join))
def test_path_suffix_is_the_pure_paths(name: str) -> None:
    assert path_suffix(name) == PurePosixPath(name).suffix


def _binary_kind_by_definition(head: bytes) -> BinaryKind | None:
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    return _container_kind(head)


_SIGNATURES = st.sampled_from([prefix for prefix, _ in _PREFIXES] + [b"", b"RIFF", b"MZ", b"BM", b"PK", b"%PDF-"])


@settings(max_examples=2000, deadline=None)
@given(_SIGNATURES, st.binary(max_size=300))
def test_binary_kind_is_that_of_the_signature_loop(signature: bytes, rest: bytes) -> None:
    head = signature + rest
    assert binary_kind(head) == _binary_kind_by_definition(head)


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=5000), st.integers(0, 5000))
def test_a_head_without_nul_in_its_first_4096_bytes_is_no_utf16(data: bytes, at: int) -> None:
    head = data if at >= len(data) else data[:at] + b"\x00" + data[at:]
    if head.find(b"\x00", 0, 4096) == -1:
        assert decode_utf16_without_bom(head[: len(head) - len(head) % 2]) is None
    bom = head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] == b"\x00\x00\xfe\xff"
    utf16 = bom or decode_utf16_without_bom(head[: len(head) - len(head) % 2]) is not None
    assert _without_utf16(head) == (b"" if utf16 else head)


def test_utf16_without_bom_is_still_set_aside() -> None:
    head = "2023年度 法治政府建设年度报告 (report 2023)\n".encode("utf-16-le") * 20
    assert decode_utf16_without_bom(head) is not None
    assert _without_utf16(head) == b""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 50)), max_size=40))
def test_a_line_maps_place_is_that_line_whatever_was_looked_up_before(lookups: list[tuple[int, int]]) -> None:
    places = SourceMap.lines()
    for offset, line in lookups:
        assert places.at(offset, line) == (Location(line=line) if line else None)
    assert places == SourceMap.lines()  # the memo is no part of the map's value
