"""The on-disk checklist cache is input too: unpickling runs code, so nothing is unpickled
unless we wrote it into a folder only we can write. A planted pickle — in the entry's own
name, signed with a wrong key, in a folder others can write or own, behind a link — is
never executed; the checklist is then built from the rule files as if there were no cache."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor import cache
from auditor.checklist import Checklist
from auditor.loader import load_checklist
from tests.helpers import RULES, SEED_FILES


class _Plant:
    """Unpickling this creates ``marker``: the proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.marker, "w"))


def _malicious(marker: Path) -> bytes:
    return pickle.dumps((_Plant(marker), None))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache" / "auditor"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(where))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    return where


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("checklist-*.pickle"))


def _warm(folder: Path) -> Path:
    load_checklist(RULES / "valid")
    (entry,) = _entries(folder)
    return entry


def _counting_build() -> tuple[list[int], Any]:
    """A build function for ``cache.cached`` that records each time it has to build."""
    calls: list[int] = []

    def build() -> Checklist:
        calls.append(1)
        from auditor.loader import _build

        return _build([RULES / "valid"], ())

    return calls, build


def _files() -> list[Path]:
    from auditor.loader import rule_files

    return [f.resolve() for f in rule_files(RULES / "valid")]


def test_folder_0700_key_0600_and_a_warm_hit(folder: Path) -> None:
    calls, build = _counting_build()
    first = cache.cached(_files(), build)
    second = cache.cached(_files(), build)
    assert calls == [1]  # the second came from the cache
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((folder / cache.KEY_NAME).stat().st_mode) == 0o600
    for entry in _entries(folder):
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0


def test_a_pickle_planted_as_the_entry_is_not_executed(folder: Path, tmp_path: Path) -> None:
    entry = _warm(folder)
    marker = tmp_path / "PWNED"
    entry.write_bytes(_malicious(marker))
    checklist = load_checklist(RULES / "valid")
    assert not marker.exists()
    assert checklist.id == "mini"  # built from the rule files instead
    # and the planted file was replaced by a good entry
    assert load_checklist(RULES / "valid").id == "mini" and not marker.exists()


def test_a_pickle_signed_with_another_key_is_not_executed(folder: Path, tmp_path: Path) -> None:
    entry = _warm(folder)
    marker = tmp_path / "PWNED"
    entry.write_bytes(cache.sign(b"k" * cache.KEY_BYTES, _malicious(marker)))
    assert load_checklist(RULES / "valid").id == "mini"
    assert not marker.exists()


def test_the_next_check_does_not_run_a_planted_pickle(folder: Path, tmp_path: Path) -> None:
    """As reported: a pickle dropped into the cache folder ran code on the next `check`."""
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(folder)}
    env.pop("AUDITOR_NO_CACHE", None)
    argv = [
        sys.executable,
        "-m",
        "auditor",
        "check",
        str(SEED_FILES[0]),
        "--rules",
        str(RULES / "valid"),
        "--no-config",
        "--format",
        "json",
    ]
    subprocess.run(argv, capture_output=True, timeout=120, env=env, check=True)
    marker = tmp_path / "PWNED"
    for entry in _entries(folder):
        entry.write_bytes(_malicious(marker))
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_folder_others_can_write_is_never_read_nor_written(folder: Path, tmp_path: Path, mode: int) -> None:
    entry = _warm(folder)
    key = (folder / cache.KEY_NAME).read_bytes()
    marker = tmp_path / "PWNED"
    entry.write_bytes(cache.sign(key, _malicious(marker)))  # even a correctly signed entry
    folder.chmod(mode)
    calls, build = _counting_build()
    cache.cached(_files(), build)
    cache.cached(_files(), build)
    assert not marker.exists()
    assert calls == [1, 1]  # no cache at all: nothing read, nothing written
    assert entry.read_bytes()[cache.TAG_BYTES :] == _malicious(marker)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_owned_by_another_user_is_never_read(folder: Path, tmp_path: Path) -> None:
    entry = _warm(folder)
    key = (folder / cache.KEY_NAME).read_bytes()
    marker = tmp_path / "PWNED"
    entry.write_bytes(cache.sign(key, _malicious(marker)))
    os.chown(folder, 4242, 4242)
    calls, build = _counting_build()
    cache.cached(_files(), build)
    assert not marker.exists()
    assert calls == [1]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_entry_owned_by_another_user_is_never_read(folder: Path, tmp_path: Path) -> None:
    entry = _warm(folder)
    key = (folder / cache.KEY_NAME).read_bytes()
    marker = tmp_path / "PWNED"
    entry.write_bytes(cache.sign(key, _malicious(marker)))
    os.chown(entry, 4242, 4242)
    calls, build = _counting_build()
    cache.cached(_files(), build)
    assert not marker.exists()
    assert calls == [1]


def test_an_entry_that_is_a_link_is_not_followed(folder: Path, tmp_path: Path) -> None:
    entry = _warm(folder)
    key = (folder / cache.KEY_NAME).read_bytes()
    marker = tmp_path / "PWNED"
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(cache.sign(key, _malicious(marker)))
    entry.unlink()
    entry.symlink_to(elsewhere)
    calls, build = _counting_build()
    cache.cached(_files(), build)
    assert not marker.exists()
    assert calls == [1]


def test_a_key_others_can_read_disables_the_cache(folder: Path, tmp_path: Path) -> None:
    _warm(folder)
    (folder / cache.KEY_NAME).chmod(0o644)
    calls, build = _counting_build()
    cache.cached(_files(), build)
    cache.cached(_files(), build)
    assert calls == [1, 1]


def test_an_unusable_cache_location_is_never_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker / "auditor"))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    assert load_checklist(RULES / "valid").id == "mini"
