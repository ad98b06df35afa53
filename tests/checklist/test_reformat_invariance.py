"""The same report reformatted (one line, full/half-width punctuation, indented, CRLF+BOM,
wrapped in page chrome, headings without numbers, plain paragraphs with run-in titles) gets
identical verdicts, values and metadata — the seeds and the field report as found."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import understand

from .conftest import ROOT, SEEDS, audit_text
from .reformat import VARIANTS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
FIELD_FILES = sorted((ROOT / "fixtures" / "field").glob("fazhi_*.txt"))  # the 法治政府建设 reports as found


def _verdicts(text: str) -> tuple[dict[str, str], dict[str, dict[str, float]], tuple[object, ...]]:
    _, statuses, values = audit_text(text)
    m = understand(text).metadata
    return statuses, values, (m.title, m.unit, m.year, m.level, m.published, m.signed)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("seed", SEED_FILES, ids=[p.name[:3] for p in SEED_FILES])
def test_identical_verdicts(seed: Path, variant: str) -> None:
    text = seed.read_text(encoding="utf-8")
    base_status, base_values, base_meta = _verdicts(text)
    status, values, meta = _verdicts(VARIANTS[variant](text))
    assert status == base_status
    for rule_id, vals in base_values.items():
        got = values[rule_id]
        assert {k: v for k, v in got.items() if k != "density"} == {k: v for k, v in vals.items() if k != "density"}
    assert meta == base_meta


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("report", FIELD_FILES, ids=[p.stem for p in FIELD_FILES])
def test_field_report_verdicts_survive_reformatting(report: Path, variant: str) -> None:
    """Verdicts, values (but the length-dependent density) and metadata, page-dump fields and all."""
    text = report.read_text(encoding="utf-8")
    base_status, base_values, base_meta = _verdicts(text)
    status, values, meta = _verdicts(VARIANTS[variant](text))
    assert status == base_status
    for rule_id, vals in base_values.items():
        assert {k: v for k, v in values[rule_id].items() if k != "density"} == {
            k: v for k, v in vals.items() if k != "density"
        }
    assert meta == base_meta
