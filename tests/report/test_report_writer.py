"""write_outputs: stdout, single files, folders, atomic writes, input protection."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from auditor.errors import OutputError, UsageError
from auditor.report import FIXED_NAMES, MULTI_FILE, Format, render, write_outputs
from auditor.report.atomic import write_atomic
from auditor.report.formats import as_format


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_single_format_to_stdout(result: dict[str, Any]) -> None:
    out = io.StringIO()
    assert write_outputs(result, [Format.json], None, stdout=out) == []
    assert json.loads(out.getvalue()) == result


@pytest.mark.parametrize("fmt", [Format.json, Format.text, Format.markdown])
def test_stdout_gets_the_same_bytes_straight_or_through_its_text_layer(result: dict[str, Any], fmt: Format) -> None:
    """A UTF-8 stdout is handed the pieces' bytes as they are; another encoding gets the text (GB18030 bytes);
    a stream without a binary buffer gets text: the same document each time."""
    rendered = render(result, fmt)
    expected = rendered.decode("utf-8") if isinstance(rendered, bytes) else rendered
    utf8, gb = io.BytesIO(), io.BytesIO()
    for raw, encoding in ((utf8, "utf-8"), (gb, "gb18030")):
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
        stream.write("先写的一行\n")  # what was written before is not overtaken by the bytes
        write_outputs(result, [fmt], None, stdout=stream)
        assert raw.getvalue().decode(encoding) == "先写的一行\n" + expected
    plain = io.StringIO()
    write_outputs(result, [fmt], None, stdout=plain)
    assert plain.getvalue() == expected


def test_text_colour_follows_tty(result: dict[str, Any]) -> None:
    plain, tty = io.StringIO(), io.StringIO()
    write_outputs(result, [Format.text], None, stdout=plain, stdout_is_tty=False)
    write_outputs(result, [Format.text], None, stdout=tty, stdout_is_tty=True)
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in tty.getvalue()
    assert plain.getvalue() == render(result, Format.text)


def test_single_format_to_file(result: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "new" / "gaps.md"
    assert write_outputs(result, ["markdown"], str(target), stdout=io.StringIO()) == [str(target)]
    assert target.read_text(encoding="utf-8") == render(result, Format.markdown)
    _no_temp_files(tmp_path)


def test_single_format_into_existing_folder(result: dict[str, Any], tmp_path: Path) -> None:
    written = write_outputs(result, [Format.sarif], str(tmp_path), stdout=io.StringIO())
    assert written == [str(tmp_path / "report.sarif")]


def test_xlsx_needs_a_file(result: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="xlsx 格式需要用 --output 指定文件") as info:
        write_outputs(result, [Format.xlsx], None, stdout=io.StringIO())
    assert info.value.hint


@pytest.mark.parametrize("formats", [[Format.html], [Format.json, Format.csv], [Format.pdf]])
def test_folder_formats_need_output(result: dict[str, Any], formats: list[Format]) -> None:
    with pytest.raises(UsageError, match="需要一个输出文件夹"):
        write_outputs(result, formats, None, stdout=io.StringIO())


def test_unknown_format_and_empty_list(result: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="未知的输出格式"):
        as_format("docx")
    with pytest.raises(UsageError):
        write_outputs(result, [], None, stdout=io.StringIO())
    with pytest.raises(UsageError, match="文件夹"):
        render(result, Format.html)


def test_several_formats_use_fixed_names(result: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    single = [f for f in Format if f not in MULTI_FILE]
    written = write_outputs(result, [*single, Format.json], str(folder), stdout=io.StringIO())
    assert sorted(Path(p).name for p in written) == sorted(FIXED_NAMES.values())
    assert sorted(p.name for p in folder.iterdir()) == sorted(FIXED_NAMES.values())
    assert (folder / "report.junit.xml").read_text(encoding="utf-8") == render(result, Format.junit)
    assert (folder / "summary.xlsx").read_bytes()[:2] == b"PK"
    assert (folder / "summary.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    _no_temp_files(folder)


def test_html_folder(result: dict[str, Any], tmp_path: Path) -> None:
    written = write_outputs(result, [Format.html], str(tmp_path), stdout=io.StringIO())
    names = [Path(p).name for p in written]
    assert names == ["index.html", "张渚镇人民政府-2023.html", "宜兴市人民政府-2023.html", "丁蜀镇人民政府-2023.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for name in names[1:]:
        assert f'href="./{name}"' not in index  # links are percent-encoded
    assert f'href="./{quote("张渚镇人民政府-2023.html")}"' in index
    page = (tmp_path / "张渚镇人民政府-2023.html").read_text(encoding="utf-8")
    assert 'href="./index.html"' in page
    assert "reports/张渚镇.txt" in page  # the input file is named in the page
    _no_temp_files(tmp_path)


def test_shared_stems_stay_unique(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any], tmp_path: Path
) -> None:
    first, second = reports_factory["zhangzhu"](), reports_factory["zhangzhu"]()
    first["source"], second["source"] = "2022/张渚镇.txt", "2023/张渚镇.txt"
    written = write_outputs(make_result(first, second), [Format.html], str(tmp_path), stdout=io.StringIO())
    # one unit and year twice: the second gets a suffix
    assert [Path(p).name for p in written] == ["index.html", "张渚镇人民政府-2023.html", "张渚镇人民政府-2023-2.html"]


def test_reports_without_a_unit_keep_their_file_names(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any], tmp_path: Path
) -> None:
    first, second = reports_factory["zhangzhu"](), reports_factory["zhangzhu"]()
    first["source"], second["source"] = "2022/张渚镇.txt", "2023/张渚镇.txt"
    first["metadata"]["unit"] = second["metadata"]["unit"] = None
    written = write_outputs(make_result(first, second), [Format.html], str(tmp_path), stdout=io.StringIO())
    assert [Path(p).name for p in written] == ["index.html", "2022_张渚镇.html", "2023_张渚镇.html"]


def test_existing_target_is_replaced(result: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    before = target.stat().st_ino
    write_outputs(result, [Format.json], str(target), stdout=io.StringIO())
    assert json.loads(target.read_text(encoding="utf-8")) == result
    assert target.stat().st_ino != before  # a new file was moved into place
    assert target.stat().st_mode & 0o777 == 0o640
    _no_temp_files(tmp_path)


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.csv"
    target.write_text("old", encoding="utf-8")

    def broken_replace(self: Path, other: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(OutputError, match="无法写入输出文件"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_refuses_to_overwrite_an_input(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "report.json"
    source.write_text("the input", encoding="utf-8")
    report = reports_factory["zhangzhu"]()
    report["source"] = str(source)
    result = make_result(report)
    with pytest.raises(OutputError, match="拒绝写入"):
        write_outputs(result, [Format.json], str(source), stdout=io.StringIO())
    with pytest.raises(OutputError, match="拒绝写入"):
        write_outputs(result, [Format.json, Format.csv], str(tmp_path), stdout=io.StringIO())
    assert source.read_text(encoding="utf-8") == "the input"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # nothing written at all


def test_refuses_input_reached_by_another_path(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "in.txt"
    source.write_text("x", encoding="utf-8")
    link = tmp_path / "link.txt"
    os.link(source, link)
    report = reports_factory["zhangzhu"]()
    report["source"] = str(source)
    with pytest.raises(OutputError):
        write_outputs(make_result(report), [Format.text], str(link), stdout=io.StringIO())


def test_a_second_run_into_the_same_folder_still_refuses_an_input(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    first = write_outputs(make_result(), [Format.html], str(folder), stdout=io.StringIO())
    assert write_outputs(make_result(), [Format.html], str(folder), stdout=io.StringIO()) == first  # pages exist
    page = Path(first[0])  # the index, written by every run
    before = page.read_bytes()
    report = reports_factory["zhangzhu"]()
    report["source"] = str(folder / ".." / "out" / page.name)  # one of the pages, spelled another way
    with pytest.raises(OutputError, match=f"拒绝写入 .*{page.name}"):
        write_outputs(
            make_result(reports_factory["yixing"](), report), [Format.html], str(folder), stdout=io.StringIO()
        )
    assert page.read_bytes() == before


def test_output_folder_that_is_a_file(result: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="它是一个文件"):
        write_outputs(result, [Format.html], str(path), stdout=io.StringIO())


def test_a_file_written_in_pieces_is_their_concatenation(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, (piece for piece in (b"{", b'"a": 1', b"}\n")))
    assert target.read_bytes() == b'{"a": 1}\n'
    _no_temp_files(tmp_path)


def test_a_piece_that_fails_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    """A file written while its pieces are still being made (the JSON document while the last
    comparisons finish): a failure on the way removes the temp file and keeps the old output."""
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def pieces() -> Iterator[bytes]:
        yield b"x" * 100_000
        raise KeyError("a piece that could not be made")

    with pytest.raises(KeyError):
        write_atomic(target, pieces())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_pieces_into_a_stream_are_written_in_order(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, iter([b"a" * 70_000, b"b", b"c" * 3]))
    reader.join(10)
    assert got == [b"a" * 70_000 + b"b" + b"ccc"]
