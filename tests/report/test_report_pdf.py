"""pdf: WeasyPrint renders the same pages; Chinese must be real text, not tofu."""

from __future__ import annotations

import builtins
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import UsageError
from auditor.report import Format, write_outputs

pytest.importorskip("weasyprint", reason="PDF output needs the optional extra auditor[pdf]")
pdfplumber = pytest.importorskip("pdfplumber")


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory, batch_result: dict[str, Any]) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    write_outputs(batch_result, [Format.pdf], str(folder), stdout=io.StringIO())
    return folder


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_files_written(pdf_folder: Path) -> None:
    names = sorted(p.name for p in pdf_folder.iterdir())
    assert names == sorted(
        ["index.pdf", "张渚镇人民政府-2023.pdf", "宜兴市人民政府-2023.pdf", "丁蜀镇人民政府-2023.pdf"]
    )
    for path in pdf_folder.iterdir():
        assert path.read_bytes().startswith(b"%PDF-")


def test_chinese_text_is_extractable(pdf_folder: Path) -> None:
    text = _text(pdf_folder / "张渚镇人民政府-2023.pdf")
    for expected in ("张渚镇人民政府", "71.3", "合格", "逐项核查", "整改建议", "待人工复核", "第23行"):
        assert expected in text, expected
    assert "fazhi-annual-report 2026.1" in text  # the running footer
    index = _text(pdf_folder / "index.pdf")
    assert "宜兴市人民政府" in index and "各项要求通过率" in index


def test_injected_markup_is_plain_text(pdf_folder: Path) -> None:
    text = _text(pdf_folder / "宜兴市人民政府-2023.pdf").replace("\n", "")
    assert "window.__pwned=1" in text


def test_pages_are_a4_with_cjk_fonts(pdf_folder: Path) -> None:
    with pdfplumber.open(pdf_folder / "张渚镇人民政府-2023.pdf") as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        fonts = {char["fontname"] for char in page.chars}
    assert any("CJK" in font for font in fonts), fonts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_page_rasterises(pdf_folder: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_folder / "张渚镇人民政府-2023.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=120,
    )
    (png,) = tmp_path.glob("p*.png")
    assert png.stat().st_size > 5_000


def _without_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)


def test_missing_weasyprint_is_a_usage_error(
    result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_weasyprint(monkeypatch)
    with pytest.raises(UsageError, match="PDF output needs WeasyPrint") as info:
        write_outputs(result, [Format.pdf], str(tmp_path / "out"), stdout=io.StringIO())
    assert info.value.hint == "pip install 'auditor[pdf]'"
    assert list((tmp_path / "out").iterdir()) == []  # no PDF, no temp file


def test_missing_weasyprint_leaves_the_other_formats_written(
    result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_weasyprint(monkeypatch)
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="PDF output needs WeasyPrint"):
        write_outputs(result, [Format.html, Format.pdf, Format.xlsx, Format.json], str(out), stdout=io.StringIO())
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names and "summary.xlsx" in names and "report.json" in names
    assert not [n for n in names if n.endswith(".pdf") or n.startswith(".")]
