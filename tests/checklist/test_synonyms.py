"""Each seed rewritten with wordings from the phrase banks (fixtures/synonyms.yaml) gets the
same verdicts and values: the rules know the ways authors say the same thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, SEEDS, audit_text

PAIRS: list[dict[str, Any]] = yaml.safe_load((ROOT / "fixtures" / "synonyms.yaml").read_text(encoding="utf-8"))
SEED_FILES = sorted(SEEDS.glob("*.txt"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}


def _comparable(values: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {rid: {k: v for k, v in vals.items() if k != "density"} for rid, vals in values.items()}


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['from']}->{p['to']}" for p in PAIRS])
def test_pair_occurs_in_a_seed(pair: dict[str, Any]) -> None:
    assert any(pair["from"] in text for text in TEXTS.values()), "a pair no seed uses tests nothing"


@pytest.mark.parametrize("seed", SEED_FILES, ids=[p.name[:3] for p in SEED_FILES])
def test_synonyms_keep_verdicts(seed: Path) -> None:
    text = TEXTS[seed.name]
    _, want, want_values = audit_text(text)
    rewritten = text
    for pair in PAIRS:
        rewritten = rewritten.replace(pair["from"], pair["to"])
    if rewritten == text:
        pytest.skip("no pair occurs in this seed")
    _, got, got_values = audit_text(rewritten)
    assert {k: (want[k], got[k]) for k in want if want[k] != got[k]} == {}
    assert _comparable(got_values) == _comparable(want_values)


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['from']}->{p['to']}" for p in PAIRS])
def test_each_pair_alone_keeps_the_named_rules(pair: dict[str, Any]) -> None:
    for text in TEXTS.values():
        if pair["from"] not in text:
            continue
        _, want, _ = audit_text(text)
        _, got, _ = audit_text(text.replace(pair["from"], pair["to"]))
        assert {r: (want[r], got[r]) for r in pair["rules"] if want[r] != got[r]} == {}
