"""Session fixtures: the seed reports and the documents built from them once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from .builders import (
    Seed,
    build_docx,
    build_html,
    build_ofd,
    build_pdf,
    paragraphs,
    seed_paths,
    seed_text,
)


@pytest.fixture(scope="session")
def seeds() -> list[Seed]:
    found = [Seed(p.stem, seed_text(p), paragraphs(seed_text(p))) for p in seed_paths()]
    assert len(found) >= 5, "fixtures/seeds/*.txt are missing"
    return found


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, seeds: list[Seed]) -> dict[str, dict[str, Path]]:
    """For every seed: a .docx, a .pdf, an .ofd, and UTF-8/GBK .html files."""
    root = tmp_path_factory.mktemp("built")
    result: dict[str, dict[str, Path]] = {}
    for seed in seeds:
        files = {
            "docx": root / f"{seed.name}.docx",
            "pdf": root / f"{seed.name}.pdf",
            "ofd": root / f"{seed.name}.ofd",
            "html-utf8": root / f"{seed.name}.utf8.html",
            "html-gbk": root / f"{seed.name}.gbk.htm",
        }
        build_docx(seed.paras, files["docx"])
        build_pdf(seed.paras, files["pdf"])
        build_ofd(seed.paras, files["ofd"])
        files["html-utf8"].write_bytes(build_html(seed.paras, "utf-8"))
        files["html-gbk"].write_bytes(build_html(seed.paras, "gbk"))
        result[seed.name] = files
    return result


@pytest.fixture(scope="session")
def first_seed(seeds: list[Seed]) -> Seed:
    return seeds[0]
