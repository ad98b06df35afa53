"""The JSON API on a real app (database, job runner, worker processes): uploads of real
reports, each report equal to ``auditor check --format json`` on the same file, reviews,
revisions, rankings and the decisions export."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from fastapi.testclient import TestClient

from auditor.workbench.app import create_app
from auditor.workbench.settings import Settings
from tests.workbench.conftest import FIELD, SEEDS

BASE = "http://127.0.0.1:8765"
EXTRA = {
    "id",
    "state",
    "version",
    "sha256",
    "previous_id",
    "reviewed_score",
    "reviewed_grade",
    "unreviewed",
    "previous_year_id",
    "audited_with",
    "outdated",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data=tmp_path / "data", jobs=2))
    with TestClient(app, base_url=BASE) as c:
        yield c


def wait(client: TestClient) -> None:
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]


def upload(client: TestClient, paths: list[Path], names: list[str] | None = None) -> list[dict[str, Any]]:
    files = [
        ("file", (n, p.read_bytes(), "text/plain"))
        for n, p in zip(names or [p.name for p in paths], paths, strict=True)
    ]
    response = client.post("/api/reports", files=files)
    assert response.status_code == 201, response.text
    return list(response.json()["reports"])


def cli_json(paths: list[Path]) -> list[dict[str, Any]]:
    """What ``auditor check --format json`` says about these files (the real command)."""
    out = subprocess.run(
        [sys.executable, "-m", "auditor", "check", *map(str, paths), "-f", "json", "--no-progress", "--no-config"],
        capture_output=True,
        check=False,
    )
    assert out.returncode in (0, 1, 3), out.stderr.decode()
    return list(orjson.loads(out.stdout)["reports"])


def without_extras(report: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in report.items() if k not in EXTRA and k != "stale_reviews"}
    if out.get("comparison", ...) is None:  # null without last year's report; the CLI leaves it out
        del out["comparison"]
    out["findings"] = [
        {k: v for k, v in f.items() if k not in ("review", "stale_review")} for f in report.get("findings", [])
    ]
    if "findings" not in report:
        del out["findings"]
    return out


def test_healthz_and_headers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["server-timing"].startswith("app;dur=")
    assert client.get("/no/such/page").headers["content-security-policy"]


def formats(tmp_path: Path) -> list[Path]:
    """A seed as Word, as a web page, and as a web page saved with a .doc name."""
    import html

    import docx

    lines = SEEDS[2].read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    word = tmp_path / "报告.docx"
    document.save(str(word))
    page = "<html><head><meta charset='utf-8'><title>{}</title></head><body>{}</body></html>".format(
        html.escape(lines[0]), "".join(f"<p>{html.escape(x)}</p>" for x in lines)
    )
    web = tmp_path / "报告.html"
    web.write_text(page, encoding="utf-8")
    misnamed = tmp_path / "网页另存.doc"
    misnamed.write_text(page + "<!-- 另存为 -->", encoding="utf-8")
    return [word, web, misnamed]


def test_every_report_equals_auditor_check(client: TestClient, tmp_path: Path) -> None:
    paths = [*SEEDS, *FIELD, *formats(tmp_path)]
    entries = upload(client, paths)
    assert [e["source"] for e in entries] == [p.name for p in paths]
    assert all(e["state"] == "queued" for e in entries)
    wait(client)
    expected = cli_json(paths)
    for entry, want, path in zip(entries, expected, paths, strict=True):
        got = client.get(f"/api/reports/{entry['id']}").json()
        # the Word and web copies of a seed are later versions of its report (same unit, year,
        # checklist), numbered in upload order whichever finished first
        assert (got["id"], got["version"]) == (entry["id"], 1 if path.suffix == ".txt" else got["version"])
        assert got["state"] == ("error" if "error" in want else "done")
        want["source"] = path.name
        assert without_extras(got) == want
        assert all(f["review"] is None for f in got.get("findings", []))
        assert got.get("reviewed_score") == want.get("score")
    copies = [client.get(f"/api/reports/{e['id']}").json() for e in entries[-3:]]
    assert [c["read"]["format"] for c in copies] == ["docx", "html", "html"]
    assert sorted(c["version"] for c in copies) == [2, 3, 4]
    listed = client.get("/api/reports").json()
    assert listed["total"] == len(paths)
    scores = [r["reviewed_score"] for r in listed["reports"] if r["reviewed_score"] is not None]
    assert scores == sorted(scores, reverse=True)
    again = upload(client, paths[:1], ["改了名字.txt"])
    assert again[0]["id"] == entries[0]["id"] and again[0]["duplicate"]


def test_review_revision_and_decisions_export(client: TestClient, tmp_path: Path) -> None:
    seed = SEEDS[0]
    (entry,) = upload(client, [seed])
    wait(client)
    report = client.get(f"/api/reports/{entry['id']}").json()
    doubtful = [f for f in report["findings"] if f["status"] == "needs_review"]
    assert doubtful, "the seed has 待复核 items"
    target = doubtful[0]
    url = f"/api/reports/{entry['id']}/findings/{target['rule_id']}/review"
    response = client.post(url, json={"decision": "dismissed", "comment": "附件已说明<script>", "reviewer": "王五"})
    assert response.status_code == 200, response.text
    assert response.json()["review"]["status"] == "met"
    after = client.get(f"/api/reports/{entry['id']}").json()
    review = next(f for f in after["findings"] if f["rule_id"] == target["rule_id"])["review"]
    assert {k: review[k] for k in ("decision", "status", "comment", "reviewer")} == {
        "decision": "dismissed",
        "status": "met",
        "comment": "附件已说明<script>",
        "reviewer": "王五",
    }
    assert after["reviewed_score"] > after["score"] == report["score"]
    unreviewed = client.get("/api/reports", params={"unreviewed": "1"}).json()["reports"]
    assert [r["unreviewed"] for r in unreviewed] == [len(doubtful) - 1] * len(unreviewed)
    assert client.post(url, json={"decision": "nonsense"}).status_code == 422
    assert client.post(url, content=b"{not json").status_code == 400
    assert (
        client.post(f"/api/reports/{entry['id']}/findings/NO-RULE/review", json={"decision": "confirmed"}).status_code
        == 404
    )
    assert client.get("/api/reports/999999").status_code == 404

    # a revised version: one paragraph (not the one the decision rests on) changed
    lines = seed.read_text(encoding="utf-8").split("\n")
    kept_lines = {e["line"] for e in target["evidence"]}
    other = next(n for n in range(len(lines) - 1, 3, -1) if n + 1 not in kept_lines and len(lines[n]) > 20)
    lines[other] = lines[other][: len(lines[other]) // 2] + "（此段已修订）"
    revised = tmp_path / "修订稿.txt"
    revised.write_text("\n".join(lines), encoding="utf-8")
    (second,) = upload(client, [revised])
    wait(client)
    new = client.get(f"/api/reports/{second['id']}").json()
    assert (new["version"], new["previous_id"]) == (2, entry["id"])
    carried = next(f for f in new["findings"] if f["rule_id"] == target["rule_id"])
    assert carried["review"] is not None and carried["review"]["comment"] == "附件已说明<script>"
    diff = client.get(f"/api/reports/{second['id']}/revision").json()
    assert diff["kept"] == [target["rule_id"]] and diff["stale"] == []

    exported = client.get("/api/decisions").json()
    as_yaml = yaml.safe_load(client.get("/api/decisions", params={"format": "yaml"}).content)
    assert exported == as_yaml
    (decision,) = exported["decisions"]
    assert set(decision) == {
        "rule",
        "unit",
        "year",
        "checklist",
        "sha256",
        "fingerprint",
        "decision",
        "status",
        "comment",
        "reviewer",
        "at",
    }
    assert (decision["rule"], decision["unit"], decision["year"]) == (
        target["rule_id"],
        new["metadata"]["unit"],
        new["metadata"]["year"],
    )
    assert decision["sha256"] == new["sha256"] and decision["decision"] == "dismissed"


def test_zip_upload_brings_its_reports(client: TestClient, tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for seed in SEEDS[:3]:
            archive.writestr(f"../../季度/{seed.name}", seed.read_bytes())
        archive.writestr("说明.png", b"\x89PNG not a report")
    response = client.post("/api/reports", files=[("file", ("batch.zip", buffer.getvalue(), "application/zip"))])
    assert response.status_code == 201
    assert [e["source"] for e in response.json()["reports"]] == [s.name for s in SEEDS[:3]]
    wait(client)
    assert all(r["state"] == "done" for r in client.get("/api/reports").json()["reports"])
    assert not list(tmp_path.rglob("季度"))


def test_the_app_on_each_database(db_url: str, tmp_path: Path) -> None:
    """The whole app (uploads, background audits, reviews, ranking) on SQLite and PostgreSQL."""
    app = create_app(Settings(data=tmp_path / "data", db_url=db_url, jobs=2))
    with TestClient(app, base_url=BASE) as c:
        entries = upload(c, SEEDS[:3])
        wait(c)
        report = c.get(f"/api/reports/{entries[0]['id']}").json()
        target = next(f for f in report["findings"] if f["status"] in ("gap", "needs_review"))
        url = f"/api/reports/{entries[0]['id']}/findings/{target['rule_id']}/review"
        assert c.post(url, json={"decision": "dismissed", "comment": "已核实", "reviewer": "赵六"}).status_code == 200
        listed = c.get("/api/reports", params={"checklist": report["checklist"]["id"]}).json()["reports"]
        mine = next(r for r in listed if r["id"] == entries[0]["id"])
        assert mine["reviewed_score"] > mine["score"] == report["score"]
        assert [d["rule"] for d in c.get("/api/decisions").json()["decisions"]] == [target["rule_id"]]


def test_an_upload_is_stored_and_queued_a_group_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers start on the first reports of a large upload while the rest are stored; should storing
    fail part-way, the groups already committed stay stored and are audited, and uploading again shows
    them as duplicates (a full disk is a Chinese error, 507)."""
    from auditor.workbench import api, store

    files = [
        (f"{k:02d}-{p.name}", p.read_bytes() + f"\n附：第 {k} 份\n".encode())
        for k, p in enumerate([*SEEDS, *FIELD] * 2)
    ]
    assert len(files) > api.UPLOAD_GROUP + 1
    add_upload = store.add_upload
    failing = files[api.UPLOAD_GROUP + 1][0]

    def refusing(session: Any, root: Any, name: str, data: bytes, sha: str | None = None) -> Any:
        if name == failing:
            raise OSError(28, "No space left on device")
        return add_upload(session, root, name, data, sha)

    monkeypatch.setattr(store, "add_upload", refusing)
    app = create_app(Settings(data=tmp_path / "data", jobs=2))
    with TestClient(app, base_url=BASE) as c:
        response = c.post("/api/reports", files=[("file", (n, d, "text/plain")) for n, d in files])
        assert response.status_code == 507
        assert response.json()["error"].startswith("无法保存上传的文件（磁盘空间已满）")
        wait(c)
        listed = c.get("/api/reports").json()["reports"]
        assert sorted(r["source"] for r in listed) == sorted(n for n, _ in files[: api.UPLOAD_GROUP])
        assert all(r["state"] == "done" for r in listed)
        monkeypatch.setattr(store, "add_upload", add_upload)
        response = c.post("/api/reports", files=[("file", (n, d, "text/plain")) for n, d in files])
        assert response.status_code == 201
        entries = response.json()["reports"]
        assert [e["duplicate"] for e in entries] == [k < api.UPLOAD_GROUP for k in range(len(files))]
        wait(c)
        assert all(r["state"] == "done" for r in c.get("/api/reports").json()["reports"])
