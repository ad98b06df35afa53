"""The garbage collector during a command: paused only for `check`'s start-up (cli.main), on while
reports are audited and while any other command runs, and on again when main returns or fails."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.helpers import SEED_FILES, run_cli


def _recording(monkeypatch: pytest.MonkeyPatch, module: object, name: str, seen: list[bool]) -> None:
    real = getattr(module, name)

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)


def test_check_audits_with_the_collector_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auditor import pipeline
    from auditor.readers import collect

    at_collect: list[bool] = []
    at_audit: list[bool] = []
    _recording(monkeypatch, collect, "non_report_category", at_collect)  # the start-up: paused
    _recording(monkeypatch, pipeline, "audit_chunk", at_audit)  # --jobs 1 (one file): a chunk of one
    code, _, err = run_cli(["check", str(SEED_FILES[0]), "--format", "json", "-o", str(tmp_path / "r.json")])
    assert code in (0, 1), err
    assert at_collect == [False]
    assert at_audit == [True]
    assert gc.isenabled()


def test_other_commands_run_with_the_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.commands import rules

    seen: list[bool] = []
    _recording(monkeypatch, rules, "checklist_for", seen)  # where `rules list` looks it up
    code, out, err = run_cli(["rules", "list"])
    assert code == 0, err
    assert out
    assert seen
    assert all(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("args", [["check", "--level", "planet", "x.txt"], ["check"], ["no-such-command"]])
def test_the_collector_is_on_again_after_a_usage_error(args: list[str]) -> None:
    code, _, err = run_cli(args)
    assert code == 2, err
    assert gc.isenabled()


def _threshold(item: str, options: object, checklists: object) -> tuple[int, int, int]:
    return gc.get_threshold()


def test_reports_are_audited_at_a_runs_collector_pace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`check` audits with the young generation's threshold raised (here and in its workers), and leaves the
    process's thresholds as they were."""
    from auditor import pipeline

    before = gc.get_threshold()
    assert before[0] != pipeline.YOUNG_GENERATION  # CPython's default: the test would otherwise prove nothing
    seen: list[int] = []
    real = pipeline.audit_chunk

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "audit_chunk", spy)
    code, _, err = run_cli(["check", str(SEED_FILES[0]), "--format", "json", "-o", str(tmp_path / "r.json")])
    assert code in (0, 1), err
    assert seen == [pipeline.YOUNG_GENERATION]
    assert gc.get_threshold() == before
    with pipeline.Workers(2, pipeline.Options(), []) as workers:
        paced = set(workers.map(_threshold, [f"r{i}" for i in range(8)], lambda s: (0, 0, 0)))
    assert paced == {(pipeline.YOUNG_GENERATION, *before[1:])}
    assert gc.get_threshold() == before
