"""Results of an earlier version: a report audited by another tool or checklist than the running workbench's is
shown as such and audited again on request, keeping its decisions (applied where the finding is unchanged,
stale where it changed), its version in its family, and every other report as it was.

"An earlier version" is made the way it arises: the stored rows say another tool audited them (the column a
real upgrade leaves behind), and, where a verdict must differ, the stored result is what that tool said."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy
from fastapi.testclient import TestClient
from sqlalchemy import select

from auditor.workbench import db, store
from auditor.workbench.app import create_app
from auditor.workbench.db import ReportRow, ReviewRow
from auditor.workbench.settings import Settings
from tests.workbench.conftest import FIELD, SEEDS, audit_json, database_at
from tests.workbench.test_api import BASE, cli_json, upload, wait, without_extras

EARLIER = "0123456789abcdef"  # what another build of the tool would have stamped


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data=tmp_path / "data", jobs=2))
    with TestClient(app, base_url=BASE) as c:
        yield c


def _edit(client: TestClient, report_id: int, **columns: Any) -> None:
    """Change a stored row as an earlier version of the tool would have left it."""
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        row = session.get(ReportRow, report_id)
        for name, value in columns.items():
            setattr(row, name, value)
        session.commit()


def _earlier_result(client: TestClient, report_id: int, change: Any) -> dict[str, Any]:
    """The stored result replaced by what an earlier tool said: ``change`` edits the report JSON."""
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        row = session.get(ReportRow, report_id)
        data = orjson.loads(row.result)
        change(data)
        row.result = orjson.dumps(data)
        row.score = data["score"]
        row.reviewed_score = data["score"]
        row.audited_with = EARLIER
        session.commit()
    return dict(data)


def test_results_of_an_earlier_version_are_audited_again_keeping_their_decisions(client: TestClient) -> None:
    paths = SEEDS[:3]
    entries = upload(client, paths)
    wait(client)
    stamp = client.app.state.runner.stamp  # type: ignore[attr-defined]
    listed = client.get("/api/reports").json()["reports"]
    assert {r["audited_with"] for r in listed} == {stamp} and not any(r["outdated"] for r in listed)
    a, b, c = (e["id"] for e in entries)
    assert client.post("/api/reaudit", json={}).json()["reports"] == []  # nothing of an earlier version

    # report a: the earlier tool quoted other evidence for a met rule, and a reviewer confirmed that;
    # a gap of the same report was dismissed (that finding is the same in both versions)
    current = client.get(f"/api/reports/{a}").json()
    met = next(f for f in current["findings"] if f["status"] == "met" and f["evidence"])
    gap = next(f for f in current["findings"] if f["status"] in ("gap", "needs_review"))

    def older_evidence(data: dict[str, Any]) -> None:
        finding = next(f for f in data["findings"] if f["rule_id"] == met["rule_id"])
        finding["evidence"][0]["text"] = "此前版本引用的另一段文字"
        data["score"] = 12.5

    _earlier_result(client, a, older_evidence)
    for rule_id, decision in ((met["rule_id"], "confirmed"), (gap["rule_id"], "dismissed")):
        url = f"/api/reports/{a}/findings/{rule_id}/review"
        response = client.post(url, json={"decision": decision, "comment": "已核实", "reviewer": "张三"})
        assert response.status_code == 200, response.text
    # report b: only the stamp says an earlier tool made it; c is today's
    _edit(client, b, audited_with=None)

    listed = {r["id"]: r for r in client.get("/api/reports").json()["reports"]}
    assert [listed[i]["outdated"] for i in (a, b, c)] == [True, True, False]
    assert client.get(f"/api/reports/{a}").json()["outdated"] is True
    assert "结果来自此前的版本" in client.get("/").text
    assert "本报告的结果来自此前的版本" in client.get(f"/reports/{a}").text
    assert "结果来自此前的版本" not in client.get(f"/reports/{c}").text

    response = client.post("/api/reaudit", json={})
    assert response.status_code == 202
    assert [r["id"] for r in response.json()["reports"]] == [a, b]
    assert response.json()["audited_with"] == stamp
    wait(client)

    expected = cli_json(paths)
    for entry, want, path in zip(entries, expected, paths, strict=True):
        got = client.get(f"/api/reports/{entry['id']}").json()
        want["source"] = path.name
        assert without_extras(got) == want  # what the running tool says, as `auditor check` does
        assert (got["state"], got["version"], got["audited_with"], got["outdated"]) == ("done", 1, stamp, False)
    after = client.get(f"/api/reports/{a}").json()
    by_rule = {f["rule_id"]: f for f in after["findings"]}
    assert by_rule[gap["rule_id"]]["review"]["decision"] == "dismissed"  # the same finding: still applies
    assert by_rule[met["rule_id"]]["review"] is None  # decided on evidence the tool no longer quotes
    assert by_rule[met["rule_id"]]["stale_review"]["decision"] == "confirmed"
    assert after["stale_reviews"] == 1 and after["score"] != 12.5
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(sqlalchemy.func.count(ReviewRow.id))) == 2  # none lost, none added
    assert "结果来自此前的版本" not in client.get("/").text


def test_a_season_and_a_report_are_audited_again_alone(client: TestClient) -> None:
    entries = upload(client, [SEEDS[0], *FIELD])
    wait(client)
    rows = [client.get(f"/api/reports/{e['id']}").json() for e in entries]
    for row in rows:
        _edit(client, row["id"], audited_with=EARLIER)
    first = rows[0]
    season = {"checklist": first["checklist"]["id"], "year": first["metadata"]["year"]}
    in_season = [
        r["id"]
        for r in rows
        if r.get("checklist", {}).get("id") == season["checklist"] and r["metadata"]["year"] == season["year"]
    ]
    assert 0 < len(in_season) < len(rows)  # the field reports are of other seasons
    season_page = f"/seasons/{season['checklist']}/{season['year']}"
    assert f"{len(in_season)} 份报告的结果来自此前的版本" in client.get(season_page).text
    queued = client.post("/api/reaudit", json=season).json()["reports"]
    assert [r["id"] for r in queued] == in_season
    wait(client)
    listed = {r["id"]: r["outdated"] for r in client.get("/api/reports").json()["reports"]}
    assert {i for i, old in listed.items() if old} == {r["id"] for r in rows} - set(in_season)
    # one report by id: audited again whatever audited it
    other = next(r["id"] for r in rows if r["id"] not in in_season)
    assert [r["id"] for r in client.post("/api/reaudit", json={"ids": [other, 99999]}).json()["reports"]] == [other]
    wait(client)
    assert client.get(f"/api/reports/{other}").json()["outdated"] is False


def test_a_report_an_earlier_version_could_not_audit_is_audited_again(client: TestClient) -> None:
    (entry,) = upload(client, [SEEDS[1]])
    wait(client)
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        store.record_error(session, entry["id"], "审核本报告时处理进程意外终止", "internal", stamp=None)
        session.commit()
    assert client.get(f"/api/reports/{entry['id']}").json()["state"] == "error"
    page = client.get(f"/reports/{entry['id']}").text
    assert "本报告的结果来自此前的版本" in page and 'name="report"' in page
    csrf = client.cookies.get("auditor_csrf")
    form = {"csrf_token": csrf, "report": str(entry["id"])}
    response = client.post("/reaudit", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/reports/{entry['id']}"
    wait(client)
    got = client.get(f"/api/reports/{entry['id']}").json()
    assert got["state"] == "done" and got["score"] is not None and got["outdated"] is False


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[]", 400),
        (b"{not json", 400),
        (orjson.dumps({"ids": "1"}), 422),
        (orjson.dumps({"ids": [True]}), 422),
        (orjson.dumps({"ids": [1], "checklist": "fazhi"}), 422),
        (orjson.dumps({"year": 2024}), 422),
        (orjson.dumps({"checklist": "fazhi", "year": "2024"}), 422),
        (orjson.dumps({"everything": True}), 422),
    ],
)
def test_a_reaudit_request_that_cannot_be_read_is_refused_in_chinese(
    client: TestClient, body: bytes, status: int
) -> None:
    response = client.post("/api/reaudit", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["status"] == status and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"])


def test_a_reaudit_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/")
    response = client.post("/reaudit", data={}, headers={"origin": BASE})
    assert response.status_code == 403


# ------------------------------------------------------------------ storage (SQLite and PostgreSQL)


@pytest.fixture
def session(db_url: str) -> Any:
    engine = db.make_engine(db_url)
    db.migrate(engine)
    with db.sessions(engine)() as s:
        yield s
    engine.dispose()


def _unit_moved(body: bytes, unit: str) -> bytes:
    data = orjson.loads(body)
    data["metadata"]["unit"] = unit
    return orjson.dumps(data)


def test_a_report_audited_again_keeps_its_place_and_own_decisions(
    session: Any, tmp_path: Path, checklists: Any
) -> None:
    """Two versions of one report. Audited again in its family, the second keeps its version and its own
    decisions: one carried from the first and withdrawn since is not carried again. Audited again as another
    unit, it leaves the family (whose numbering closes the gap); as its own again, it rejoins as version 2."""
    by_id = {c.id: c for c in checklists}
    text = SEEDS[0].read_text(encoding="utf-8")
    files = [tmp_path / "v1.txt", tmp_path / "v2.txt"]
    files[0].write_text(text, encoding="utf-8")
    files[1].write_text(text + "\n（修订版）\n", encoding="utf-8")
    bodies = [audit_json(f, checklists) for f in files]
    uploaded = [store.add_upload(session, tmp_path / "blobs", f.name, f.read_bytes())[0] for f in files]
    first, second = uploaded
    store.record_result(session, first.id, bodies[0], by_id, "a" * 16)
    gaps = [r for r, s in first.statuses.items() if s in ("gap", "needs_review")]
    store.record_review(session, first, gaps[0], {"decision": "dismissed", "reviewer": "李四"}, by_id)
    store.record_result(session, second.id, bodies[1], by_id, "a" * 16)
    session.commit()
    assert (first.version, second.version, second.previous_id) == (1, 2, first.id)
    assert set(store.reviews_of(session, second.id)) == {gaps[0]}  # carried to the new version
    store.delete_review(session, second, gaps[0], by_id)  # withdrawn on the second version
    store.record_review(session, second, gaps[1], {"decision": "confirmed", "reviewer": "李四"}, by_id)
    session.commit()

    store.requeue(session, [second.id])
    assert second.state == "queued" and store.outdated(session, "b" * 16) == [first.id]
    store.record_result(session, second.id, bodies[1], by_id, "b" * 16)
    session.commit()
    assert (second.version, second.previous_id, second.audited_with) == (2, first.id, "b" * 16)
    assert {r: v.decision.value for r, v in store.reviews_of(session, second.id).items()} == {gaps[1]: "confirmed"}

    store.requeue(session, [second.id])
    store.record_result(session, second.id, _unit_moved(bodies[1], "另一个单位"), by_id, "b" * 16)
    session.commit()
    assert (second.version, second.previous_id, first.version) == (1, None, 1)
    assert second.family is not None and second.family.endswith("另一个单位")
    store.requeue(session, [second.id])
    store.record_result(session, second.id, bodies[1], by_id, "b" * 16)
    session.commit()
    assert (second.version, second.previous_id) == (2, first.id)
    assert store.outdated(session, "b" * 16) == [first.id]

    # audited again, the first version now fails: the second is the family's first
    store.requeue(session, [first.id])
    store.record_error(session, first.id, "审核本报告时发生内部错误", "internal", "b" * 16)
    session.commit()
    assert (first.family, second.version, second.previous_id) == (None, 1, None)
    assert store.outdated(session, "b" * 16, store.SeasonKey("no-such-checklist", None)) == []


def test_migration_0003_upgrades_a_0002_database(db_url: str) -> None:
    engine = database_at(db_url, "0002")
    db.migrate(engine)
    with db.sessions(engine)() as session:
        (row,) = session.scalars(select(ReportRow)).all()
        assert row.audited_with is None  # nobody can tell what audited it
        assert store.outdated(session, "c" * 16) == [row.id]
    engine.dispose()
