"""The checklist cache: a hit when nothing changed, a rebuild when a rule file's bytes change,
nothing when it is switched off; signatures that only the right key and payload pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditor import cache
from auditor.checklist import Checklist
from auditor.loader import _build, rule_files
from tests.helpers import RULES


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    shutil.copytree(RULES / "valid", tmp_path / "pack")
    return tmp_path / "pack"


def _load(pack: Path, calls: list[str]) -> Checklist:
    def build() -> Checklist:
        calls.append("built")
        return _build([pack], ())

    return cache.cached([f.resolve() for f in rule_files(pack)], build)


def test_same_bytes_hit_and_a_changed_rule_file_rebuilds(pack: Path) -> None:
    calls: list[str] = []
    first = _load(pack, calls)
    assert _load(pack, calls).rules == first.rules
    assert calls == ["built"]
    target = pack / "checklist.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("写明述法情况", "写明述法的情况"), encoding="utf-8")
    changed = _load(pack, calls)
    assert calls == ["built", "built"]
    assert "写明述法的情况" in [r.title for r in changed.rules]


def test_switched_off_it_builds_every_time(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    calls: list[str] = []
    _load(pack, calls)
    _load(pack, calls)
    assert calls == ["built", "built"]
    assert cache.cache_dir() is None


def test_a_signature_checks_key_and_payload() -> None:
    key, other = b"k" * 32, b"o" * 32
    signed = cache.sign(key, b"payload")
    assert cache.verified(key, signed) == b"payload"
    assert cache.verified(other, signed) is None
    tampered = signed[:-1] + bytes([signed[-1] ^ 1])
    assert cache.verified(key, tampered) is None
