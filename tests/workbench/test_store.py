"""Storage on SQLite and PostgreSQL: migrations, uploads by content hash, results and their
summary columns, reviews and the reviewed score, revisions, rankings, pass rates and the
decisions export — on real seed reports audited by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from auditor.result import Report, report_from_json
from auditor.review import apply_reviews, fingerprint, reviewed_score
from auditor.workbench import blobs, db, store
from auditor.workbench.db import ReportRow, ReviewRow
from tests.workbench.conftest import SEEDS, audit_json

BAD = ("gap", "needs_review")


@pytest.fixture
def session(db_url: str) -> Any:
    engine = db.make_engine(db_url)
    db.migrate(engine)
    db.migrate(engine)  # a second start finds the schema current
    with db.sessions(engine)() as s:
        yield s
    engine.dispose()


def _upload(session: Any, tmp_path: Path, name: str, data: bytes, checklists: list[Any]) -> ReportRow:
    row, created = store.add_upload(session, tmp_path / "blobs", name, data)
    if created:
        source = tmp_path / f"audit-{row.sha256[:8]}.txt"
        source.write_bytes(data)
        store.record_result(session, row.id, audit_json(source, checklists), {c.id: c for c in checklists})
        session.commit()
    return row


def test_schema_is_migrated(session: Any) -> None:
    tables = set(inspect(session.get_bind()).get_table_names())
    assert {"reports", "reviews", "alembic_version"} <= tables
    indexes = {i["name"] for i in inspect(session.get_bind()).get_indexes("reports")}
    assert {"ix_reports_season", "ix_reports_family", "ix_reports_state"} <= indexes


def test_same_bytes_are_one_report_and_blob_is_kept_intact(session: Any, tmp_path: Path, checklists: Any) -> None:
    data = SEEDS[0].read_bytes()
    first = _upload(session, tmp_path, "甲.txt", data, checklists)
    again, created = store.add_upload(session, tmp_path / "blobs", "另一个名字.txt", data)
    assert not created and again.id == first.id and again.source == "甲.txt"
    path = blobs.path_of(tmp_path / "blobs", first.sha256)
    assert path.read_bytes() == data and not (path.stat().st_mode & 0o222)
    assert session.scalar(select(ReportRow.id).where(ReportRow.sha256 == blobs.digest(data))) == first.id


def test_result_fills_summary_columns_from_the_report(session: Any, tmp_path: Path, checklists: Any) -> None:
    for seed in SEEDS:
        row = _upload(session, tmp_path, seed.name, seed.read_bytes(), checklists)
        data = orjson.loads(audit_json(seed, checklists))
        assert row.state == ("error" if "error" in data else "done")
        if row.state != "done":
            continue
        assert (row.unit, row.year, row.level) == tuple(data["metadata"][k] for k in ("unit", "year", "level"))
        assert (row.checklist, row.score, row.grade) == (data["checklist"]["id"], data["score"], data["grade"])
        assert row.counts == data["summary"]
        assert row.unreviewed == data["summary"]["needs_review"]
        assert row.reviewed_score == row.score
        assert row.statuses == {f["rule_id"]: f["status"] for f in data["findings"]}


def test_review_changes_reviewed_score_not_the_tools(session: Any, tmp_path: Path, checklists: Any) -> None:
    by_id = {c.id: c for c in checklists}
    seed = SEEDS[0]
    row = _upload(session, tmp_path, seed.name, seed.read_bytes(), checklists)
    report = store.typed_report(row)
    assert isinstance(report, Report)
    target = next(f for f in report.findings if f.status in BAD)
    review = store.record_review(
        session, row, target.rule_id, {"decision": "dismissed", "comment": "已在附件说明", "reviewer": "张三"}, by_id
    )
    session.commit()
    assert review.status == "met" and review.fingerprint == fingerprint(target)
    expected = reviewed_score(apply_reviews(report, {target.rule_id: review}), by_id[row.checklist or ""])
    assert row.reviewed_score == expected.score and row.reviewed_score is not None
    assert row.score is not None and row.reviewed_score > row.score
    obj = store.report_object(session, row)
    decided = [f for f in obj["findings"] if f["review"] is not None]
    assert [f["rule_id"] for f in decided] == [target.rule_id]
    assert decided[0]["review"]["comment"] == "已在附件说明" and obj["score"] == row.score
    assert all("review" in f for f in obj["findings"])
    with pytest.raises(store.StoreError) as bad:
        store.record_review(session, row, target.rule_id, {"decision": "changed"}, by_id)
    assert bad.value.status == 422
    with pytest.raises(store.StoreError):
        store.record_review(session, row, "NO-SUCH-RULE", {"decision": "confirmed"}, by_id)
    store.delete_review(session, row, target.rule_id, by_id)
    assert row.reviewed_score == row.score


def _revise(data: bytes, lines: set[int]) -> bytes:
    """The report with the given (1-based) lines rewritten: one paragraph changed."""
    text = data.decode("utf-8").split("\n")
    for n in lines:
        text[n - 1] = "本段已按要求修改，具体情况另行报送。"
    return "\n".join(text).encode("utf-8")


def test_revision_keeps_unchanged_decisions_and_flags_changed_ones(
    session: Any, tmp_path: Path, checklists: Any
) -> None:
    by_id = {c.id: c for c in checklists}
    seed = SEEDS[0]
    original = seed.read_bytes()
    first = _upload(session, tmp_path, seed.name, original, checklists)
    report = store.typed_report(first)
    assert report is not None
    decided = [f for f in report.findings if f.status in BAD and f.evidence and all(e.line > 3 for e in f.evidence)]
    changed, unchanged = (
        decided[0],
        next(f for f in decided[1:] if not {e.line for e in f.evidence} & {e.line for e in decided[0].evidence}),
    )
    for f in (changed, unchanged):
        store.record_review(
            session, first, f.rule_id, {"decision": "dismissed", "comment": "说明", "reviewer": "李"}, by_id
        )
    session.commit()

    kept_lines = {e.line for e in unchanged.evidence}
    # and the paragraph on the leaders' study of law (中心组学法), which FR-03 finds met
    met = next(f for f in report.findings if f.rule_id == "FR-03")
    assert met.status == "met" and not {e.line for e in met.evidence} & kept_lines
    met_lines = {e.line or 0 for e in met.evidence}
    revised = _revise(original, {e.line or 0 for e in changed.evidence} | met_lines)
    second = _upload(session, tmp_path, "修订稿.txt", revised, checklists)
    assert second.id != first.id and second.family == first.family
    assert (second.version, second.previous_id) == (2, first.id)

    new = store.typed_report(second)
    assert new is not None
    old_prints = {f.rule_id: fingerprint(f) for f in report.findings}
    now = {f.rule_id: fingerprint(f) for f in new.findings}
    diff = store.revision(session, second)
    assert diff["kept"] == sorted(r for r in (changed.rule_id, unchanged.rule_id) if now[r] == old_prints[r])
    assert unchanged.rule_id in diff["kept"] and diff["stale"] == [changed.rule_id]
    obj = store.report_object(session, second)
    findings = {f["rule_id"]: f for f in obj["findings"]}
    assert findings[unchanged.rule_id]["review"]["comment"] == "说明"
    assert findings[changed.rule_id]["review"] is None
    assert findings[changed.rule_id]["stale_review"]["decision"] == "dismissed"
    assert obj["version"] == 2 and obj["stale_reviews"] == 1 and second.stale == 1

    before = {f.rule_id: str(f.status) for f in report.findings}
    after = {f.rule_id: str(f.status) for f in new.findings}
    moved = {r for r in before if before[r] != after.get(r)}
    assert met.rule_id in {e["rule_id"] for e in diff["broken"]}, "its evidence paragraph was rewritten"
    assert {e["rule_id"] for e in diff["broken"]} == {r for r in moved if before[r] == "met" and after[r] in BAD}
    assert {e["rule_id"] for e in diff["fixed"] + diff["broken"] + diff["changed"]} == moved

    # the third version restores that paragraph: the diff says it fixed what the second broke
    third = _upload(
        session, tmp_path, "第三稿.txt", _revise(original, {e.line or 0 for e in changed.evidence}), checklists
    )
    assert (third.version, third.previous_id) == (3, second.id)
    assert met.rule_id in {e["rule_id"] for e in store.revision(session, third)["fixed"]}
    assert unchanged.rule_id in store.revision(session, third)["kept"]

    # the ranking and the pass rates count the newest version of the family only
    rates = {r["rule_id"]: r for r in store.pass_rates(session, store.Filters(checklist=first.checklist))}
    assert sum(rates[changed.rule_id]["counts"].values()) == 1
    exported = store.decisions(session, store.Filters())["decisions"]
    assert {d["rule"] for d in exported} == {changed.rule_id, unchanged.rule_id}
    assert all(d["sha256"] == third.sha256 for d in exported)


def test_list_filters_rank_and_rates(session: Any, tmp_path: Path, checklists: Any) -> None:
    rows = [_upload(session, tmp_path, s.name, s.read_bytes(), checklists) for s in SEEDS]
    done = [r for r in rows if r.state == "done"]
    listed = store.list_reports(session, store.Filters())
    assert {r.id for r in listed} == {r.id for r in rows}
    scores = [r.reviewed_score for r in listed if r.reviewed_score is not None]
    assert scores == sorted(scores, reverse=True)
    some = done[0]
    by_year = store.list_reports(session, store.Filters(checklist=some.checklist, year=some.year))
    assert some.id in {r.id for r in by_year}
    assert all(r.year == some.year and r.checklist == some.checklist for r in by_year)
    assert store.count_reports(session, store.Filters(checklist=some.checklist, year=some.year)) == len(by_year)
    levels = store.list_reports(session, store.Filters(level="no-such-level"))
    assert levels == []
    seasons = store.seasons(session)
    assert sum(s["reports"] for s in seasons) == len(done)
    rates = store.pass_rates(session, store.Filters(checklist=some.checklist))
    for rate in rates:
        counts = rate["counts"]
        applicable = sum(n for s, n in counts.items() if s != "not_applicable")
        assert rate["pass_rate"] == (round(counts.get("met", 0) / applicable, 4) if applicable else None)


def test_reviews_cascade_and_are_unique_per_rule(session: Any, tmp_path: Path, checklists: Any) -> None:
    by_id = {c.id: c for c in checklists}
    row = _upload(session, tmp_path, SEEDS[0].name, SEEDS[0].read_bytes(), checklists)
    report = store.typed_report(row)
    assert report is not None
    rule = next(f.rule_id for f in report.findings if f.status in BAD)
    store.record_review(session, row, rule, {"decision": "confirmed"}, by_id)
    store.record_review(session, row, rule, {"decision": "dismissed", "comment": "改主意了"}, by_id)
    session.commit()
    reviews = list(session.scalars(select(ReviewRow).where(ReviewRow.report_id == row.id)))
    assert [(r.rule_id, r.decision, r.comment) for r in reviews] == [(rule, "dismissed", "改主意了")]


def test_error_report_is_stored_as_its_own_entry(session: Any, tmp_path: Path, checklists: Any) -> None:
    row = _upload(session, tmp_path, "空.txt", b"   \n", checklists)
    assert row.state == "error" and row.error
    obj = store.report_object(session, row)
    assert obj["error"] == row.error and obj["state"] == "error" and obj["source"] == "空.txt"
    assert isinstance(report_from_json(obj), object)


def test_versions_follow_upload_order_whatever_finishes_first(session: Any, tmp_path: Path, checklists: Any) -> None:
    by_id = {c.id: c for c in checklists}
    original = SEEDS[0].read_bytes()
    revised = _revise(original, {len(original.decode().split("\n")) - 2})
    rows = [
        store.add_upload(session, tmp_path / "blobs", n, d)[0]
        for n, d in (("一稿.txt", original), ("二稿.txt", revised))
    ]
    session.commit()
    for row, data in reversed(list(zip(rows, (original, revised), strict=True))):  # the second finishes first
        source = tmp_path / f"{row.id}.txt"
        source.write_bytes(data)
        store.record_result(session, row.id, audit_json(source, checklists), by_id)
        session.commit()
    first, second = rows
    assert first.family == second.family is not None
    assert (first.version, first.previous_id) == (1, None)
    assert (second.version, second.previous_id) == (2, first.id)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["", ".txt", ".docx", ".pdf", ".html"]))
def test_the_name_an_upload_is_read_under_is_one_file_name_ending_in_its_suffix(name: str, suffix: str) -> None:
    """Whatever an upload was called, the link it is read through is one path part (no separator, no
    NUL, not . or ..), at most 255 bytes, ending in the upload's suffix; a name that fits keeps its stem."""
    shown = store.display_name(name)
    link = store.link_name(shown, suffix)
    assert link.endswith(suffix) and len(link.encode("utf-8")) <= 255
    assert "/" not in link and "\x00" not in link and link not in (".", "..") and link.strip(". ")
    stem = Path(shown).stem
    if len(stem.encode("utf-8") + suffix.encode("utf-8")) <= 255 and stem.strip(". "):
        assert link == stem + suffix


def test_a_long_chinese_name_is_cut_on_a_character_boundary() -> None:
    link = store.link_name("法" * 200 + ".docx", ".docx")
    assert link == "法" * 83 + ".docx" and len(link.encode("utf-8")) == 254
