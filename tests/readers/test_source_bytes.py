"""A source's bytes are the whole file, whether its head already holds all of it or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.readers import read_document
from auditor.readers.source import HEAD_BYTES, open_source


@pytest.mark.parametrize("size", [1, 100, HEAD_BYTES - 1, HEAD_BYTES, HEAD_BYTES + 1, 3 * HEAD_BYTES + 7])
def test_read_bytes_is_the_whole_file(tmp_path: Path, size: int) -> None:
    data = bytes((i * 7 + 3) % 251 for i in range(size))
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    source = open_source(str(path), max_chars=10 * size, stdin_bytes=None)
    assert source.head == data[:HEAD_BYTES]
    assert source.read_bytes() == data


@pytest.mark.parametrize("chars", [HEAD_BYTES // 3 - 1, HEAD_BYTES // 3, HEAD_BYTES // 3 + 1, HEAD_BYTES])
def test_text_around_the_head_size_is_read_whole(tmp_path: Path, chars: int) -> None:
    # three UTF-8 bytes a character: the head boundary falls inside or after a character
    text = "".join("法治政府建设年度报告。\n"[i % 12] for i in range(chars))
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert read_document(str(path)).text == text
