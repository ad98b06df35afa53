"""The comparison with last year's stored report (issue 16 item 1, the workbench's storage): on
the real ``fixtures/yoy`` pairs, uploaded last year's first and this year's first, through the
API (equal to ``auditor check --previous``), the report page (its 「与上年度对比」 block, escaped)
and the exports (复核后得分 and the comparison); and the migration that caches it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from auditor.workbench.app import create_app
from auditor.workbench.settings import Settings
from tests.workbench.conftest import database_at
from tests.workbench.test_api import BASE, upload, wait

YOY = Path(__file__).resolve().parents[2] / "fixtures" / "yoy"
PAIRS = [("zhangzhu-2022.txt", "zhangzhu-2023.txt"), ("anlan-2022.txt", "anlan-2023.txt")]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data=tmp_path / "data", jobs=2))
    with TestClient(app, base_url=BASE) as c:
        yield c


def cli_comparison(this: Path, last: Path, tmp_path: Path) -> dict[str, Any]:
    """The comparison ``auditor check THIS --previous DIR`` gives (the real command)."""
    folder = tmp_path / f"previous-{last.stem}"
    folder.mkdir()
    shutil.copy(last, folder / last.name)
    command = [sys.executable, "-m", "auditor", "check", str(this), "--previous", str(folder), "-f", "json"]
    out = subprocess.run(
        [*command, "--no-progress", "--no-config"],
        capture_output=True,
        check=False,
    )
    assert out.returncode in (0, 1, 3), out.stderr.decode()
    comparison: dict[str, Any] = orjson.loads(out.stdout)["reports"][0]["comparison"]
    return comparison


def same_as_cli(got: dict[str, Any], want: dict[str, Any], this: Path, last: Path) -> None:
    """Equal but for the names the files have (uploads keep their names, the CLI shows paths)
    and where last year's report came from (the store, not ``--previous``)."""
    assert got["pairing"]["from"] == "store" and want["pairing"]["from"] == "previous"
    assert got["pairing"]["inferred"] == want["pairing"]["inferred"]
    assert got["last"]["source"] == last.name and got["this"]["source"] == this.name
    for side in ("last", "this", "pairing"):
        got.pop(side), want.pop(side)
    assert got == want


@pytest.mark.parametrize(("last", "this"), PAIRS)
def test_last_year_first_then_this_year(client: TestClient, tmp_path: Path, last: str, this: str) -> None:
    old = upload(client, [YOY / last])[0]
    new = upload(client, [YOY / this])[0]
    wait(client)
    got = client.get(f"/api/reports/{new['id']}").json()
    assert got["previous_year_id"] == old["id"]
    same_as_cli(dict(got["comparison"]), cli_comparison(YOY / this, YOY / last, tmp_path), YOY / this, YOY / last)
    before = client.get(f"/api/reports/{old['id']}").json()
    assert before["comparison"] is None and before["previous_year_id"] is None
    # cached: the second view reads the stored comparison, equal to the first
    assert client.get(f"/api/reports/{new['id']}").json()["comparison"] == got["comparison"]
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        from auditor.workbench.db import ReportRow

        row = session.get(ReportRow, new["id"])
        assert row.comparison_key == str(old["id"]) and orjson.loads(row.comparison) == got["comparison"]


def test_this_year_first_then_last_year(client: TestClient) -> None:
    """Last year's report arriving later is found on the next view; a newer version of it
    replaces it (the cached comparison is dropped when it is stored)."""
    last, this = PAIRS[0]
    new = upload(client, [YOY / this])[0]
    wait(client)
    assert client.get(f"/api/reports/{new['id']}").json()["comparison"] is None
    old = upload(client, [YOY / last])[0]
    wait(client)
    got = client.get(f"/api/reports/{new['id']}").json()
    assert got["previous_year_id"] == old["id"]
    assert got["comparison"]["last"]["year"] == 2022 and got["comparison"]["this"]["year"] == 2023
    revised = (YOY / last).read_text(encoding="utf-8") + "\n本单位将继续做好相关工作。\n"
    files = [("file", ("修订版.txt", revised.encode("utf-8"), "text/plain"))]
    newer = client.post("/api/reports", files=files).json()["reports"][0]
    wait(client)
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        from auditor.workbench.db import ReportRow

        assert session.get(ReportRow, new["id"]).comparison is None  # dropped when the revision was stored
    again = client.get(f"/api/reports/{new['id']}").json()
    assert again["previous_year_id"] == newer["id"] and again["comparison"]["last"]["source"] == "修订版.txt"


def test_page_shows_the_block_escaped_and_links_last_year(client: TestClient) -> None:
    last, this = PAIRS[1]
    hostile = '年报<img src=x onerror="alert(1)">.txt'
    old = upload(client, [YOY / last], [hostile])[0]
    new = upload(client, [YOY / this])[0]
    wait(client)
    page = client.get(f"/reports/{new['id']}").text
    assert "与上年度对比" in page and f'href="/reports/{old["id"]}"' in page
    assert "<img src=x" not in page
    assert "上年度报告：年报&lt;img src=x onerror=" in page
    data = client.get(f"/api/reports/{new['id']}").json()
    if data["comparison"]["pairing"]["inferred"]:  # an office and its government: said so
        assert "请确认两份报告是同一单位相邻两年的报告" in page
    assert "与上年度对比" not in client.get(f"/reports/{old['id']}").text


def test_exports_show_reviewed_score_and_comparison(client: TestClient) -> None:
    last, this = PAIRS[0]
    upload(client, [YOY / last])
    new = upload(client, [YOY / this])[0]
    wait(client)
    report = client.get(f"/api/reports/{new['id']}").json()
    target = next(f for f in report["findings"] if f["status"] in ("gap", "needs_review"))
    url = f"/api/reports/{new['id']}/findings/{target['rule_id']}/review"
    reviewed = client.post(url, json={"decision": "dismissed", "comment": "已核实", "reviewer": "赵六"}).json()
    card = client.get(f"/reports/{new['id']}/scorecard.html").text
    assert "复核后得分" in card and "与上年度对比" in card
    season = f"/seasons/{report['checklist']['id']}/{report['metadata']['year']}"
    exported = orjson.loads(client.get(f"{season}/export.json").content)["reports"]
    mine = next(r for r in exported if r["source"] == this)
    assert mine["reviewed"]["score"] == reviewed["reviewed_score"] and mine["reviewed"]["decisions"] == 1
    assert mine["comparison"] == report["comparison"]
    assert "复核后得分" in client.get(f"{season}/scorecards.html").text


def test_migration_0002_upgrades_a_0001_database(db_url: str) -> None:
    from auditor.workbench.db import migrate

    engine = database_at(db_url, "0001")
    migrate(engine)
    columns = {c["name"] for c in sqlalchemy.inspect(engine).get_columns("reports")}
    assert {"comparison", "comparison_key"} <= columns
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT source, comparison, comparison_key FROM reports")).all()
    assert [tuple(r) for r in rows] == [("a.txt", None, None)]
    engine.dispose()
