"""A comparison reads each report as its audit read it (`pipeline.read_understood`): the file's name and the run's
`--year` / `--level` / `--published` give the same year and metadata, so the parts compared are the
parts audited."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

from auditor.pipeline import Options, audit_source, load_for, read_understood
from auditor.result import Report

from .conftest import YOY


def _without_years(tmp_path: Path, name: str) -> Path:
    """zhangzhu-2023 without its title, its page's date and every year, saved as ``name``."""
    lines = (YOY / "zhangzhu-2023.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if "法治政府建设" not in line or len(line) > 60)
    text = re.sub(r"\s*时间:\S+ \S+", "", text)
    text = re.sub(r"20\d\d\s*(年度?)?", "", text)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _audited(path: Path, options: Options) -> Report:
    report = audit_source(str(path), options, load_for(options))
    assert isinstance(report, Report), report
    return report


def test_a_year_only_the_file_name_gives_is_the_year_compared(tmp_path: Path) -> None:
    path = _without_years(tmp_path, "张渚镇2023年法治政府建设情况报告.txt")
    options = Options()
    report = _audited(path, options)
    assert report.metadata.year == 2023 and report.metadata_sources["year"].source == "file_name"
    doc = read_understood(str(path), options)[1]
    assert doc.metadata.year == 2023
    assert asdict(doc.metadata.source("year")) == asdict(report.metadata_sources["year"])
    # the same text without its name has no year: what comparing read before
    assert read_understood(str(_without_years(tmp_path, "report.txt")), options)[1].metadata.year is None


def test_the_runs_year_level_and_date_are_the_ones_compared(tmp_path: Path) -> None:
    from datetime import date

    path = _without_years(tmp_path, "report.txt")
    options = Options(year=2021, level="county", published=date(2022, 3, 1), from_config=("level",))
    report = _audited(path, options)
    meta = read_understood(str(path), options)[1].metadata
    assert (meta.year, meta.level, meta.published) == (2021, "county", date(2022, 3, 1))
    for name in ("year", "level", "published"):
        assert asdict(meta.source(name)) == asdict(report.metadata_sources[name]), name
    assert meta.source("level").source == "config" and meta.source("year").source == "option"
