"""Bad inputs: each raises ReadError with a sensible message (and nothing else), untouched."""

from __future__ import annotations

import os
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from auditor.errors import ReadError
from auditor.readers import read_document

from .builders import Seed, build_docx, build_image_only_pdf, build_pdf, read_checked, read_error

GARBAGE = random.Random(20240304).randbytes(8192)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_error(path) == "空文件"


def test_empty_stdin() -> None:
    with pytest.raises(ReadError, match=r"^标准输入为空$"):
        read_document("-", stdin_bytes=b"")
    with pytest.raises(ReadError, match="标准输入中没有数据"):
        read_document("-", stdin_bytes=None)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx", ".pdf", ".ofd", ".doc", ""])
def test_binary_garbage_with_a_report_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(GARBAGE)
    message = read_error(path)
    assert "内容是二进制数据，不是文本" in message


def test_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\r\n\u3000\u00a0\n", encoding="utf-8")
    assert "没有文字（只有空白）" in read_error(path)


def test_whitespace_only_docx(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    from docx import Document

    document = Document()
    document.add_paragraph("   ")
    document.save(str(path))
    assert "没有文字（只有空白）" in read_error(path)


def test_missing_path(tmp_path: Path) -> None:
    assert "找不到文件" in read_error(tmp_path / "nope.docx")
    assert "找不到文件" in read_error(tmp_path / "nope" / "deeper.txt")


def test_directory(tmp_path: Path) -> None:
    assert "这是一个文件夹" in read_error(tmp_path)


def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("法治政府建设", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user (root) who can read any file")
        assert "无权读取该文件" in read_error(path)
    finally:
        path.chmod(0o644)


def test_truncated_docx(tmp_path: Path, built: dict[str, dict[str, Path]], first_seed: Seed) -> None:
    data = built[first_seed.name]["docx"].read_bytes()
    path = tmp_path / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    message = read_error(path)
    assert "已损坏" in message and ".docx" in message


def test_truncated_pdf(tmp_path: Path, built: dict[str, dict[str, Path]], first_seed: Seed) -> None:
    data = built[first_seed.name]["pdf"].read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert "PDF 文件不完整或已损坏" in read_error(path)


def test_pdf_with_damaged_body(tmp_path: Path, built: dict[str, dict[str, Path]], first_seed: Seed) -> None:
    data = bytearray(built[first_seed.name]["pdf"].read_bytes())
    data[20:-200] = bytes(len(data) - 220)  # keep the header and trailer, zero the rest
    path = tmp_path / "zeroed.pdf"
    path.write_bytes(bytes(data))
    assert "PDF" in read_error(path)


def test_encrypted_pdf(tmp_path: Path, first_seed: Seed) -> None:
    path = tmp_path / "locked.pdf"
    build_pdf(first_seed.paras[:4], path, encrypt="secret")
    assert "PDF 文件已加密" in read_error(path)


def test_encrypted_pdf_by_pypdf(tmp_path: Path, built: dict[str, dict[str, Path]], first_seed: Seed) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(built[first_seed.name]["pdf"]).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    writer.write(path)
    assert "PDF 文件已加密" in read_error(path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    build_image_only_pdf(path)
    message = read_error(path)
    assert "PDF 没有文字层（可能是扫描图片）" in message
    assert "OCR" in message


def test_extracted_text_over_the_cap(tmp_path: Path, first_seed: Seed) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(first_seed.text, encoding="utf-8")
    cap = len(first_seed.text) - 100  # the raw size (3 bytes a character) stays under 4 * cap
    message = read_error(path, max_chars=cap)
    assert f"提取的文字超过字数上限（{cap} 字）" in message
    assert "--max-chars" in message


def test_docx_text_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    build_docx(["法治政府建设" * 1250] * 40, path, table=(0, 0))  # 300k chars, compresses well
    assert path.stat().st_size * 4 < 200_000
    assert "超过字数上限（200000 字）" in read_error(path, max_chars=200_000)


def test_raw_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as caught:
            read_document(str(path), max_chars=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "文件过大" in str(caught.value) and "--max-chars" in str(caught.value)
    assert peak < 5 * 1024 * 1024


def test_big_binary_is_judged_by_its_head(tmp_path: Path) -> None:
    path = tmp_path / "big-binary.txt"
    with path.open("wb") as stream:
        stream.write(GARBAGE)
        stream.truncate(60 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match="内容是二进制数据，不是文本"):
            read_document(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG 图片"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "JPEG 图片"),
        ("tool.exe", b"MZ\x90\x00" + bytes(100), "Windows 可执行程序"),
        ("report.pdf", b"Rar!\x1a\x07\x00" + bytes(100), "RAR 压缩包"),
    ],
)
def test_non_report_binary_formats(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    message = read_error(path)
    assert message.startswith("不是支持的报告格式") and expected in message


def test_plain_zip_archive(tmp_path: Path) -> None:
    path = tmp_path / "bundle.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "法治政府")
    assert "不是支持的报告格式（zip 压缩包）" in read_error(path)


def _bomb(path: Path, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)


def test_zip_bomb_docx_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    _bomb(path, 24)
    assert path.stat().st_size < 100 * 1024
    assert "zip 炸弹" in read_error(path)


def test_zip_bomb_docx_by_total_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.readers.zipsafe as zipsafe

    monkeypatch.setattr(zipsafe, "MAX_EXPANDED_BYTES", 1024 * 1024)
    path = tmp_path / "big.docx"
    _bomb(path, 2)
    assert "解压后共" in read_error(path)


def test_ofd_missing_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "broken.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "OFD.xml",
            "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
    assert "OFD 文件已损坏" in read_error(path)


def test_invalid_utf16_after_bom(tmp_path: Path) -> None:
    path = tmp_path / "bad16.txt"
    path.write_bytes(b"\xff\xfe" + "法治".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert "utf-16" in read_error(path)


def test_valid_input_is_not_modified(tmp_path: Path, built: dict[str, dict[str, Path]], first_seed: Seed) -> None:
    for path in built[first_seed.name].values():
        stat_before = path.stat()
        read_checked(path)
        assert path.stat().st_mtime_ns == stat_before.st_mtime_ns


def test_permission_denied_when_root_cannot_show_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as test_permission_denied, forced, so it also runs as root."""
    path = tmp_path / "secret.txt"
    path.write_text("法治政府建设", encoding="utf-8")

    import os

    def denied(name: str, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(os, "open", denied)  # the readers open files with os.open (non-blocking)
    with pytest.raises(ReadError, match="无权读取该文件"):
        read_document(str(path))


def test_name_too_long_is_said_in_chinese(tmp_path: Path) -> None:
    message = read_error(tmp_path / ("法" * 120 + ".txt"))  # 364 bytes: over the 255-byte name limit
    assert message == "无法打开文件（文件名或路径过长）"
