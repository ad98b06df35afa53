"""``report.spool``: the bytes a batch holds until its output is written, in memory up to a bound and
then in an anonymous temporary file; read back by piece, whatever the order."""

from __future__ import annotations

import errno
import os
import tempfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import ExitCode, SpoolError
from auditor.report import spool as spool_module
from auditor.report.spool import Spool


@settings(max_examples=60, deadline=None)
@given(
    pieces=st.lists(st.binary(max_size=300), max_size=30),
    limit=st.integers(min_value=0, max_value=2000),
    order=st.randoms(use_true_random=False),
)
def test_every_piece_reads_back_as_put(pieces: list[bytes], limit: int, order: Any) -> None:
    """Whatever the bound (all in memory, all on disk, or the file made midway) and the order of reading."""
    with Spool(limit) as spool:
        where = [spool.put(p) for p in pieces]
        assert spool.on_disk == (sum(map(len, pieces)) > limit)
        indices = list(range(len(pieces)))
        order.shuffle(indices)
        assert [spool.get(where[i]) for i in indices] == [pieces[i] for i in indices]
        again = spool.put(b"again")  # a piece put after reading (a paired report made again)
        assert spool.get(again) == b"again" and [spool.get(w) for w in where] == pieces


def test_the_file_is_anonymous_and_closed_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    factory = spool_module._temporary_file

    def recorded() -> Any:
        made.append(factory())
        return made[-1]

    monkeypatch.setattr(spool_module, "_temporary_file", recorded)
    with Spool(10) as spool:
        spool.put(b"x" * 8)
        assert not made  # below the bound: no file
        spool.put(b"y" * 8)
        assert len(made) == 1 and os.fstat(made[0].fileno()).st_nlink == 0  # never has a name in the folder
    assert made[0].closed
    with pytest.raises(RuntimeError), Spool(0) as failing:  # an error in the middle closes it too
        failing.put(b"z")
        raise RuntimeError
    assert made[1].closed


def _refused(code: int) -> Any:
    def factory(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return factory


@pytest.mark.parametrize(
    ("code", "reason"), [(errno.ENOSPC, "磁盘空间已满"), (errno.EACCES, "没有写入权限"), (errno.ENOENT, "文件夹不存在")]
)
def test_a_temp_folder_full_or_unwritable_is_one_line_and_exit_code_4(
    monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    monkeypatch.setattr(tempfile, "TemporaryFile", _refused(code))
    spool = Spool(4)
    spool.put(b"held")
    with pytest.raises(SpoolError) as raised:
        spool.put(b"more")
    message = str(raised.value)
    assert raised.value.exit_code is ExitCode.TEMP_SPACE and int(ExitCode.TEMP_SPACE) == 4
    assert "\n" not in message and reason in message and tempfile.gettempdir() in message and "TMPDIR" in message
    assert spool.get((0, 4)) == b"held"  # nothing put is lost with the failing piece


def test_a_write_failing_midway_is_the_same_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with Spool(0) as spool:
        first = spool.put(b"first")
        monkeypatch.setattr(os, "write", _refused(errno.ENOSPC))
        with pytest.raises(SpoolError, match="磁盘空间已满"):
            spool.put(b"second")
        monkeypatch.undo()
        assert spool.get(first) == b"first"


def test_a_read_failing_is_the_same_kind_of_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with Spool(0) as spool:
        piece = spool.put(b"body")
        monkeypatch.setattr(os, "pread", _refused(errno.EIO))
        with pytest.raises(SpoolError, match="无法读取"):
            spool.get(piece)
