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

pytest.importorskip("weasyprint", reason="WeasyPrint (a main dependency) is not installed")
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


def _without_weasyprint(monkeypatch: pytest.MonkeyPatch, error: Exception | None = None) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            print("WeasyPrint could not import some external libraries.")  # as WeasyPrint itself does
            raise error or ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)


PANGO_MISSING = OSError(
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: No such file or directory"
)


@pytest.mark.parametrize(
    ("error", "package"),
    [
        (PANGO_MISSING, "libpango-1.0-0"),
        (OSError("cannot load library 'libgobject-2.0-0': not found"), "libglib2.0-0"),
        (OSError("cannot load library 'libpangoft2-1.0-0': not found"), "libpangoft2-1.0-0"),
        (OSError("something else went wrong"), "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"),
    ],
)
def test_a_missing_system_library_names_the_debian_package(
    result: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: OSError,
    package: str,
) -> None:
    _without_weasyprint(monkeypatch, error)
    out = tmp_path / "out"
    with pytest.raises(UsageError) as info:
        write_outputs(result, [Format.json, Format.pdf, Format.card_pdf, Format.html], str(out), stdout=io.StringIO())
    message = str(info.value)
    assert message.startswith("无法生成 PDF：缺少") and "其他格式照常写出" in message
    assert f"sudo apt-get install {package}）" in message
    assert len(message.splitlines()) == 1  # the same failure of every PDF is said once
    names = sorted(p.name for p in out.iterdir())
    assert "report.json" in names and "index.html" in names
    assert not [n for n in names if n.endswith(".pdf")]
    assert capsys.readouterr().out == ""  # WeasyPrint's own English notice is not let through


def test_missing_weasyprint_is_a_usage_error(
    result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_weasyprint(monkeypatch)
    with pytest.raises(UsageError, match="无法生成 PDF：未安装 WeasyPrint") as info:
        write_outputs(result, [Format.pdf], str(tmp_path / "out"), stdout=io.StringIO())
    assert info.value.hint and "pip install weasyprint" in info.value.hint
    assert list((tmp_path / "out").iterdir()) == []  # no PDF, no temp file


def test_missing_weasyprint_leaves_the_other_formats_written(
    result: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_weasyprint(monkeypatch)
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="无法生成 PDF"):
        write_outputs(result, [Format.html, Format.pdf, Format.xlsx, Format.json], str(out), stdout=io.StringIO())
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names and "summary.xlsx" in names and "report.json" in names
    assert not [n for n in names if n.endswith(".pdf") or n.startswith(".")]


def test_cli_without_pango_writes_every_other_format(tmp_path: Path) -> None:
    """The whole program, with a WeasyPrint whose system library cannot be loaded (a stand-in
    package first on the path): one Chinese line naming the package, exit 2, the rest written."""
    import os
    import sys

    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        f"print('WeasyPrint could not import some external libraries.')\nraise OSError({str(PANGO_MISSING)!r})\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(fake.parent)}
    seed = root / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt"
    formats = ["--format", "pdf", "--format", "card-pdf", "--format", "html", "--format", "card", "--format", "xlsx"]
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "check", str(seed), *formats, "--output", str(out), "--no-config"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "无法生成 PDF" in line and "libpango-1.0-0" in line and "Traceback" not in done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names and "summary.xlsx" in names
    assert any(n.endswith(".card.html") for n in names) and not any(n.endswith(".pdf") for n in names)
