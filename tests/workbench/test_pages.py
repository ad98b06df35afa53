"""The workbench's HTML pages and exports on a real app (database, job runner, worker
processes) holding the seeds: every page renders, is accessible (labels, lang, heading order,
no inline script), escapes hostile names and text, the review form needs its CSRF token and
records decisions, the filters filter, and the exports are what the formatters make of the
stored results with their decisions."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from auditor.workbench import views
from auditor.workbench.app import create_app
from auditor.workbench.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
BASE = "http://127.0.0.1:8765"
HOSTILE_NAME = '<img src=x onerror="alert(1)">&amp;.txt'
DECISION_KEYS = [
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
]
HOSTILE_TEXT = "<script>alert('pwned')</script>"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings(data=tmp_path_factory.mktemp("pages") / "data", jobs=2))
    with TestClient(app, base_url=BASE) as c:
        hostile = SEEDS[1].read_text("utf-8").replace("\n\n", f"\n\n{HOSTILE_TEXT}\n\n", 1)
        files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
        files.append(("file", (HOSTILE_NAME, hostile.encode("utf-8"), "text/plain")))
        response = c.post("/api/reports", files=files)
        assert response.status_code == 201, response.text
        assert c.app.state.runner.wait_idle(180)  # type: ignore[attr-defined]
        yield c


def reports(client: TestClient, **query: str) -> list[dict[str, Any]]:
    return list(client.get("/api/reports", params=query).json()["reports"])


def latest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest version of each report (the hostile upload is a revision of its seed)."""
    superseded = {r["previous_id"] for r in rows}
    return [r for r in rows if r["id"] not in superseded and r["state"] == "done"]


def a_season(client: TestClient) -> str:
    done = [r for r in reports(client) if r["state"] == "done"]
    years = [r["year"] for r in done]
    year = max(set(years), key=years.count)  # the season with most reports
    return f"/seasons/fazhi/{year}"


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


class Page(HTMLParser):
    """What the accessibility and escaping checks need of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.headings: list[int] = []
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.in_label = 0
        self.scripts: list[dict[str, str]] = []
        self.handlers: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.handlers += [k for k in attr if k.startswith("on")]
        if tag == "html":
            self.lang = attr.get("lang", "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.in_label += 1
            if attr.get("for"):
                self.label_for.add(attr["for"])
        if tag in ("input", "select", "textarea") and attr.get("type") not in ("hidden", "submit"):
            self.controls.append({**attr, "_wrapped": "1" if self.in_label else ""})
        if tag == "script":
            self.scripts.append(attr)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def pages(client: TestClient) -> list[str]:
    season = a_season(client)
    first = next(r for r in reports(client) if r["state"] == "done")
    return [
        "/",
        season,
        season + "?level=township&status=gap&unreviewed=1",
        season + "/rules",
        f"/reports/{first['id']}",
        f"/reports/{first['id']}/versions",
        "/upload",
        "/upload?ids=" + ",".join(str(r["id"]) for r in reports(client)),
    ]


def test_every_page_renders_accessible_chinese_html(client: TestClient) -> None:
    for path in pages(client):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page = parse(response.text)
        assert page.lang == "zh-CN", path
        assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1, (path, page.headings)
        skips = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
        assert not skips, (path, page.headings)
        unlabelled = [c for c in page.controls if not c["_wrapped"] and c.get("id") not in page.label_for]
        assert not unlabelled, (path, unlabelled)
        assert all(s.get("src", "").startswith("/static/") for s in page.scripts), path  # no inline script
        assert not page.handlers, path


def test_review_buttons_are_real_buttons_with_the_decision_labels(client: TestClient) -> None:
    report = next(r for r in reports(client) if r["state"] == "done" and r["counts"].get("needs_review"))
    html = client.get(f"/reports/{report['id']}").text
    needs = [f for f in client.get(f"/api/reports/{report['id']}").json()["findings"] if f["status"] == "needs_review"]
    for finding in needs:
        article = html[html.index(f'id="f-{finding["rule_id"]}"') :]
        article = article[: article.index("</article>")]
        buttons = re.findall(r'<button type="submit" name="decision" value="(\w+)"[^>]*>([^<]+)</button>', article)
        assert buttons == [("confirmed", "确认"), ("dismissed", "撤销"), ("changed", "改判")]


def test_hostile_file_name_and_text_are_escaped_everywhere(client: TestClient) -> None:
    hostile = next(r for r in reports(client) if r["source"].startswith("<img"))
    assert hostile["state"] == "done"
    paths = [*pages(client), f"/reports/{hostile['id']}", f"/reports/{hostile['id']}/scorecard.html"]
    for path in paths:
        html = client.get(path).text
        assert "<img src=x" not in html and "<script>alert" not in html, path
        assert "onerror=" not in parse(html).handlers, path
    assert "&lt;img src=x onerror=" in client.get(f"/reports/{hostile['id']}").text


def test_review_form_needs_csrf_records_the_decision_and_remembers_the_reviewer(client: TestClient) -> None:
    report = next(r for r in reports(client) if r["state"] == "done" and r["unreviewed"])
    data = client.get(f"/api/reports/{report['id']}").json()
    rule = next(f["rule_id"] for f in data["findings"] if f["status"] == "needs_review" and not f["review"])
    met = next(f["rule_id"] for f in data["findings"] if f["status"] == "met")
    path = f"/reports/{report['id']}"
    form = {"decision": "dismissed", "comment": "见附件 <b>第3页</b>", "reviewer": "李四", "status": ""}
    headers = {"Origin": BASE}

    refused = client.post(f"{path}/findings/{rule}/review", data=form, headers=headers, follow_redirects=False)
    assert refused.status_code == 403
    token = csrf(client, path)
    done = client.post(
        f"{path}/findings/{rule}/review", data={**form, "csrf_token": token}, headers=headers, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"#f-{rule}")
    review = next(
        f["review"] for f in client.get(f"/api/reports/{report['id']}").json()["findings"] if f["rule_id"] == rule
    )
    assert review["decision"] == "dismissed" and review["comment"] == form["comment"] and review["reviewer"] == "李四"
    html = client.get(path).text
    assert "见附件 &lt;b&gt;第3页&lt;/b&gt;" in html
    assert 'value="李四"' in html  # the next form is filled with the reviewer's name

    # a decision that cannot apply (撤销 on a finding that is met) is refused with the reason, in Chinese
    wrong = client.post(
        f"{path}/findings/{met}/review",
        data={**form, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert wrong.status_code == 422 and "只能撤销" in wrong.text
    nameless = client.post(
        f"{path}/findings/{rule}/review",
        data={**form, "reviewer": " ", "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert nameless.status_code == 422 and "复核人" in nameless.text


def test_ranking_filters(client: TestClient) -> None:
    season = a_season(client)
    year = int(season.rsplit("/", 1)[1])
    listed = latest(reports(client, checklist="fazhi", year=str(year)))

    def units(query: str) -> list[str]:
        html = client.get(season + query).text
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        return re.findall(r'<a href="/reports/\d+"><strong>([^<]+)</strong>', body)

    everyone = units("")
    assert sorted(everyone) == sorted(r["unit"] for r in listed)
    scores = [r["reviewed_score"] for r in sorted(listed, key=lambda r: -(r["reviewed_score"] or -1))]
    assert [next(r["reviewed_score"] for r in listed if r["unit"] == u) for u in everyone] == scores
    assert sorted(units("?unreviewed=1")) == sorted(r["unit"] for r in listed if r["unreviewed"])
    assert sorted(units("?status=gap")) == sorted(r["unit"] for r in listed if r["counts"].get("gap"))
    assert units("?level=province") == [r["unit"] for r in listed if r["level"] == "province"]
    assert units("?level=<script>") == everyone  # an unknown value filters nothing


def test_pass_rates_page_counts_what_the_api_counts(client: TestClient) -> None:
    season = a_season(client)
    year = season.rsplit("/", 1)[1]
    api = {
        r["rule_id"]: r["counts"]
        for r in client.get("/api/rates", params={"checklist": "fazhi", "year": year}).json()["rules"]
    }
    html = client.get(season + "/rules").text
    rows = re.findall(
        r"<tr>\s*<td>([A-Z]+-[0-9A-Z]+)</td>\s*<td>[^<]*</td>((?:\s*<td class=\"num\">\d+</td>){5})", html
    )
    assert len(rows) == len(api) > 10
    for rule_id, cells in rows:
        met, gap, review, na, error = (int(n) for n in re.findall(r">(\d+)<", cells))
        counts = api[rule_id]
        assert (met, gap, review, na, error) == tuple(
            counts.get(s, 0) for s in ("met", "gap", "needs_review", "not_applicable", "error")
        ), rule_id


def test_exports_are_the_formatters_output_with_decisions(client: TestClient) -> None:
    from openpyxl import load_workbook

    season = a_season(client)
    year = int(season.rsplit("/", 1)[1])
    listed = latest(reports(client, checklist="fazhi", year=str(year)))
    decided = next(r for r in listed if r["counts"].get("gap"))  # a decision on one of its gaps, to find in the exports
    data = client.get(f"/api/reports/{decided['id']}").json()
    rule = next(f["rule_id"] for f in data["findings"] if f["status"] == "gap")
    token = csrf(client, f"/reports/{decided['id']}")
    client.post(
        f"/reports/{decided['id']}/findings/{rule}/review",
        data={"decision": "confirmed", "comment": "确实缺失", "reviewer": "赵六", "csrf_token": token},
        headers={"Origin": BASE},
    )

    exported = client.get(season + "/export.json")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    body = orjson.loads(exported.content)
    assert sorted(r["source"] for r in body["reports"]) == sorted(r["source"] for r in listed)
    entry = next(r for r in body["reports"] if r["source"] == decided["source"])
    finding = next(f for f in entry["findings"] if f["rule_id"] == rule)
    assert finding["review"]["decision"] == "confirmed" and finding["review"]["reviewer"] == "赵六"
    assert entry["score"] == decided["score"]

    table = list(csv.reader(io.StringIO(client.get(season + "/export.csv").content.decode("utf-8-sig"))))
    assert "单位" in table[0] and len(table) == len(listed) + 1
    sheet = load_workbook(io.BytesIO(client.get(season + "/export.xlsx").content)).worksheets[0]
    assert sheet.max_row >= len(listed) + 1

    decisions = yaml.safe_load(client.get(season + "/decisions.yaml").content)["decisions"]
    mine = next(d for d in decisions if d["rule"] == rule and d["reviewer"] == "赵六")
    assert set(DECISION_KEYS) <= set(mine)
    assert mine["unit"] == decided["unit"] and mine["year"] == year and mine["decision"] == "confirmed"
    assert orjson.loads(client.get(season + "/decisions.json").content)["decisions"] == decisions

    cards = client.get(season + "/scorecards.html")
    assert "style-src 'unsafe-inline'" in cards.headers["content-security-policy"]
    assert all(r["unit"] in cards.text for r in listed)
    single = client.get(f"/reports/{decided['id']}/scorecard.pdf")
    assert single.status_code == 200 and single.content.startswith(b"%PDF")


def test_missing_things_are_chinese_404s(client: TestClient) -> None:
    for path in ("/reports/999999", "/seasons/fazhi/1999", "/seasons/nope/2023/export.exe"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "未找到" in response.text or "没有" in response.text


@given(st.text(max_size=12))
def test_season_year_segment_round_trips_or_is_refused(segment: str) -> None:
    try:
        year = views.parse_year(segment)
    except ValueError:
        return
    assert segment == views.NO_YEAR or (segment.isascii() and segment.isdigit() and len(segment) <= 4)
    assert views.parse_year(views.season_href("fazhi", year).rsplit("/", 1)[1]) == year


def test_upload_form_without_javascript(client: TestClient) -> None:
    page = client.get("/upload").text
    action = re.search(r'<form id="upload-form" method="post" action="([^"]+)"', page)
    assert action and "csrf_token=" in action.group(1)
    target = action.group(1).replace("&amp;", "&")
    field = sorted((REPO / "fixtures" / "field").glob("*.txt"))[0]
    files = [("file", (field.name, field.read_bytes(), "text/plain"))]
    refused = client.post("/upload", files=files, headers={"Origin": BASE}, follow_redirects=False)
    assert refused.status_code == 403
    sent = client.post(target, files=files, headers={"Origin": BASE}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/upload?ids=")
    ids = sent.headers["location"].split("=", 1)[1]
    assert client.app.state.runner.wait_idle(120)  # type: ignore[attr-defined]
    progress = client.get(f"/upload?ids={ids}").text
    assert field.name in progress and "已完成" in progress
    nothing = client.post(
        target, data={"x": "1"}, files=[("other", ("a.txt", b"a", "text/plain"))], headers={"Origin": BASE}
    )
    assert nothing.status_code == 400 and "没有上传文件" in nothing.text and 'lang="zh-CN"' in nothing.text


def test_an_unknown_address_is_a_chinese_page_and_the_api_keeps_json(client: Any) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"] and "没有这个页面" in page.text
    api = client.get("/api/no-such-endpoint")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
