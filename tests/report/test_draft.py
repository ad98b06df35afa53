"""The JSON document written into its file as the reports come (auditor.report.draft): the bytes are those
``json_pieces`` writes at the end, paired reports put in place; nothing is left behind unless published."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import OutputError
from auditor.report import draft as draft_module
from auditor.report.draft import open_draft
from auditor.report.encode import EncodedBatch, json_frame, json_pieces
from auditor.result import Skipped, ToolInfo

TOOL = ToolInfo("auditor", "1.0")
SKIPPED = [Skipped("说明.docx~", "临时文件")]
FRAME = json_frame(TOOL, SKIPPED)


def _expected(bodies: list[bytes]) -> bytes:
    return b"".join(json_pieces(EncodedBatch(TOOL, bodies, SKIPPED, [])))


def _written(path: Path, bodies: list[bytes], replaced: dict[int, bytes]) -> bytes:
    draft = open_draft(path, FRAME)
    assert draft is not None
    with draft:
        pieces = [draft.put(body) for body in bodies]
        assert [draft.get(p) for p in pieces] == bodies  # read back as put (for pairing)
        draft.publish((pieces[i], replaced[i]) for i in sorted(replaced))
    return path.read_bytes()


bodies_st = st.lists(st.binary(min_size=0, max_size=300).filter(lambda b: b"\x00" not in b), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=bodies_st, data=st.data())
def test_the_published_document_is_the_one_written_at_the_end(
    tmp_path_factory: pytest.TempPathFactory, bodies: list[bytes], data: st.DataObject
) -> None:
    """Any reports, any of them replaced afterwards (paired): the same bytes as the document written whole."""
    chosen = data.draw(st.sets(st.integers(0, len(bodies) - 1)) if bodies else st.just(set[int]()))
    replaced = {i: data.draw(st.binary(max_size=200).filter(lambda b: b"\x00" not in b)) for i in chosen}
    folder = tmp_path_factory.mktemp("draft")
    got = _written(folder / "out.json", bodies, replaced)
    assert got == _expected([replaced.get(i, b) for i, b in enumerate(bodies)])
    assert [p.name for p in folder.iterdir()] == ["out.json"]  # no temp file beside it


def test_a_draft_closed_unpublished_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(b"old")
    draft = open_draft(out, FRAME)
    assert draft is not None
    with draft:
        draft.put(b'{"source": "a"}')
        assert out.read_bytes() == b"old"  # readers see the old file while the run goes on
    assert list(tmp_path.iterdir()) == [out] and out.read_bytes() == b"old"


def test_modes_and_links_as_write_atomic(tmp_path: Path) -> None:
    """A new file is 0644 whatever the umask; a replaced file keeps its mode; a link's target is replaced."""
    new = tmp_path / "new.json"
    old_umask = os.umask(0o077)
    try:
        _written(new, [b"1"], {})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"x")
    kept.chmod(0o600)
    _written(kept, [b"1"], {})
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    target = tmp_path / "target.json"
    target.write_bytes(b"x")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    _written(link, [b"1", b"2"], {1: b"3"})
    assert link.is_symlink() and target.read_bytes() == _expected([b"1", b"3"])


def test_no_draft_where_the_output_is_not_a_regular_file_or_no_unnamed_file_can_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert open_draft(Path(os.devnull), FRAME) is None  # written into, at the end
    with pytest.raises(OutputError, match="是文件夹"):
        open_draft(tmp_path, FRAME)

    def unsupported(folder: Path) -> int:
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(draft_module, "_unnamed", unsupported)
    assert open_draft(tmp_path / "out.json", FRAME) is None
    assert list(tmp_path.iterdir()) == []


def test_without_copy_file_range_or_linkat_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel copies nothing between the files, or the unnamed file cannot be linked (no /proc),
    the document is copied through memory, or written again the usual way: the same bytes."""
    bodies = [b"a" * 5000, b"b" * 7000, b"c"]

    def no_copy(*args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", no_copy)
    assert _written(tmp_path / "one.json", bodies, {1: b"B"}) == _expected([bodies[0], b"B", bodies[2]])
    monkeypatch.setattr(draft_module, "_linked", lambda fd, real: None)
    assert _written(tmp_path / "two.json", bodies, {0: b"A"}) == _expected([b"A", *bodies[1:]])
    assert _written(tmp_path / "three.json", bodies, {}) == _expected(bodies)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.json", "three.json", "two.json"]
