"""The workbench's security model (issue 15 item 4), against a real app: refusal to bind
beyond loopback without a token, bearer tokens, Origin and Host checks, CSRF for browsers
and forms, upload limits, hostile file names, CSP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from auditor.workbench import store
from auditor.workbench.app import create_app
from auditor.workbench.settings import MB, Settings
from tests.workbench.conftest import SEEDS

BASE = "http://127.0.0.1:8765"
TOKEN = "s3cret-token-for-tests"


def _client(tmp_path: Path, **kw: object) -> Iterator[TestClient]:
    app = create_app(Settings(data=tmp_path / "data", jobs=1, **kw))  # type: ignore[arg-type]
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path)


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, host="0.0.0.0", token=TOKEN)


def _seed_file() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("file", (SEEDS[0].name, SEEDS[0].read_bytes(), "text/plain"))]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])
def test_non_loopback_bind_without_token_exits_2(tmp_path: Path, host: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_TOKEN"}
    out = subprocess.run(
        [sys.executable, "-m", "auditor", "serve", "--host", host, "--data", str(tmp_path / "d")],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 2
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "令牌" in lines[0] and "Traceback" not in lines[0]
    assert not (tmp_path / "d").exists()


def test_token_required_beyond_loopback(guarded: TestClient) -> None:
    assert guarded.get("/healthz").status_code == 200
    refused = guarded.get("/api/reports")
    assert refused.status_code == 401 and "Bearer" in refused.headers["www-authenticate"]
    assert guarded.get("/api/reports", headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/api/reports", headers=auth).status_code == 200
    assert guarded.post("/api/reports", files=_seed_file()).status_code == 401
    assert guarded.post("/api/reports", files=_seed_file(), headers=auth).status_code == 201
    assert guarded.post("/api/reaudit", json={}).status_code == 401  # audits again: state-changing too
    assert guarded.post("/api/reaudit", json={}, headers=auth).status_code == 202
    # a browser logs in once: the token becomes an HttpOnly cookie
    assert "csrf_token" in guarded.get("/login").text
    csrf = guarded.cookies.get("auditor_csrf")
    assert csrf
    login = guarded.post("/login", data={"token": TOKEN, "csrf_token": csrf}, follow_redirects=False)
    assert login.status_code == 303 and "HttpOnly" in login.headers["set-cookie"]
    assert guarded.get("/api/reports").status_code == 200


def test_any_host_name_is_accepted_only_with_token_when_bound_to_all(guarded: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Host": "office-server.lan:8765"}
    assert guarded.get("/api/reports", headers=auth).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", ""])
def test_foreign_host_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/api/reports", headers={"Host": host})
    assert response.status_code == 421
    assert response.headers["content-security-policy"]


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:8765", "[::1]:8765", "localhost"])
def test_loopback_host_names_are_accepted(client: TestClient, host: str) -> None:
    assert client.get("/api/reports", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:9999", "https://127.0.0.1:8765"])
def test_foreign_origin_on_post_is_403(client: TestClient, origin: str) -> None:
    csrf = client.get("/healthz").cookies.get("auditor_csrf") or ""
    response = client.post("/api/reports", files=_seed_file(), headers={"Origin": origin, "X-CSRF-Token": csrf})
    assert response.status_code == 403
    assert client.get("/api/reports").json()["total"] == 0
    # reading is not state-changing; a cross-site POST is refused even without Origin
    assert client.get("/api/reports", headers={"Origin": origin}).status_code == 200
    assert client.post("/api/reports", files=_seed_file(), headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/api/reaudit", json={}, headers={"Origin": origin, "X-CSRF-Token": csrf}).status_code == 403
    assert client.post("/reaudit", data={"csrf_token": csrf}, headers={"Origin": origin}).status_code == 403


def test_browser_needs_csrf_token_script_does_not(client: TestClient) -> None:
    own = {"Origin": BASE}
    assert client.post("/api/reports", files=_seed_file(), headers=own).status_code == 403
    csrf = client.get("/healthz").cookies.get("auditor_csrf") or ""
    assert client.post("/api/reports", files=_seed_file(), headers={**own, "X-CSRF-Token": "x" * 40}).status_code == 403
    ok = client.post("/api/reports", files=_seed_file(), headers={**own, "X-CSRF-Token": csrf})
    assert ok.status_code == 201
    client.cookies.clear()
    assert client.post("/api/reports", files=_seed_file()).status_code == 201  # curl / a script: no Origin


def test_form_post_without_csrf_is_403(client: TestClient) -> None:
    client.get("/healthz")
    assert client.post("/login", data={"token": "x"}).status_code == 403
    assert client.post("/anything", data={"a": "b"}).status_code == 403
    assert client.post("/anything", files=_seed_file()).status_code == 403
    # what a cross-site HTML form could send to the API: url-encoded or text/plain (even as "JSON")
    (entry,) = client.post("/api/reports", files=_seed_file()).json()["reports"]
    review = f"/api/reports/{entry['id']}/findings/STR-01/review"
    assert client.post(review, data={"decision": "confirmed"}).status_code == 403
    plain = client.post(review, content=b'{"decision": "confirmed"}', headers={"Content-Type": "text/plain"})
    assert plain.status_code == 403
    assert client.post("/api/reaudit", content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 403
    assert client.post("/reaudit", data={"checklist": "fazhi"}).status_code == 403
    csrf = client.cookies.get("auditor_csrf") or ""
    form = client.post("/login", data={"token": "x", "csrf_token": csrf})
    assert form.status_code == 401  # past the guard: the token itself is wrong (none is set)


def test_bearer_token_needs_no_csrf_but_still_the_origin_check(guarded: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.post("/api/reports", files=_seed_file(), headers={**auth, "Origin": BASE}).status_code == 201
    foreign = {**auth, "Origin": "http://evil.example"}
    assert guarded.post("/api/reports", files=_seed_file(), headers=foreign).status_code == 403


def test_oversized_upload_is_413_and_nothing_stored(client: TestClient, tmp_path: Path) -> None:
    big = b"a" * (51 * MB)
    response = client.post("/api/reports", files=[("file", ("big.txt", big, "text/plain"))])
    assert response.status_code == 413
    assert client.get("/api/reports").json()["total"] == 0
    assert not [p for p in (tmp_path / "data" / "blobs").rglob("*") if p.is_file()]


def test_upload_count_limit(tmp_path: Path) -> None:
    for c in _client(tmp_path, max_files=3):
        files = [("file", (f"{i}.txt", SEEDS[0].read_bytes() + bytes([i]), "text/plain")) for i in range(4)]
        assert c.post("/api/reports", files=files).status_code == 413
        assert c.get("/api/reports").json()["total"] == 0


HOSTILE = [
    "../../etc/passwd",
    "<img src=x onerror=alert(1)>.txt",
    "a\x00b.txt",
    "长" * 1000 + ".txt",
    "...",
    "..",
    "C:\\Windows\\win.ini",
    "\u202egnp.txt",
]


def test_hostile_names_are_stored_by_hash_and_shown_escaped(client: TestClient, tmp_path: Path) -> None:
    data = SEEDS[0].read_bytes()
    files = [("file", (name, data + str(i).encode(), "text/plain")) for i, name in enumerate(HOSTILE)]
    response = client.post("/api/reports", files=files)
    assert response.status_code == 201
    sources = [e["source"] for e in response.json()["reports"]]
    assert sources[0] == "passwd" and sources[4] == sources[5] == store.UNNAMED
    assert sources[1] == "<img src=x onerror=alert(1)>.txt"  # kept as text; JSON and pages escape it
    assert all("\x00" not in s and "/" not in s and "\\" not in s and len(s) <= store.MAX_NAME for s in sources)
    assert response.headers["content-type"].startswith("application/json")
    stored = [p for p in (tmp_path / "data").rglob("*") if p.is_file() and "blobs" in p.parts]
    assert sorted(p.name for p in stored) == sorted(
        store.blobs.digest(data + str(i).encode()) for i in range(len(HOSTILE))
    )
    assert not Path("/etc/passwd").read_bytes().startswith(data[:50])
    download = client.get(f"/api/reports/{response.json()['reports'][1]['id']}/file")
    assert download.content == data + b"1" and 'filename="report.txt"' in download.headers["content-disposition"]


@given(st.text(max_size=400))
def test_display_name_never_has_a_path_or_control_character(name: str) -> None:
    shown = store.display_name(name)
    assert shown and len(shown) <= store.MAX_NAME
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown
    assert shown not in (".", "..")
    assert all(ord(c) >= 32 and not 0x7F <= ord(c) < 0xA0 for c in shown)
    assert store.report_suffix(name) in (
        "",
        *sorted(__import__("auditor.readers.collect", fromlist=["x"]).REPORT_SUFFIXES),
    )


def test_a_name_too_long_for_a_multipart_header_is_a_clean_400(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/reports", files=[("file", ("x" * 20000 + ".txt", b"abc", "text/plain"))])
    assert response.status_code == 400 and response.json()["error"]
    assert not [p for p in (tmp_path / "data" / "blobs").rglob("*") if p.is_file()]


def _chunked_upload(boundary: str, megabytes: int) -> Iterator[bytes]:
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'.encode()
    for _ in range(megabytes * 2):
        yield b"x" * (512 * 1024)
    yield f"\r\n--{boundary}--\r\n".encode()


def test_oversized_body_without_content_length_is_413(tmp_path: Path) -> None:
    for c in _client(tmp_path, max_file_bytes=MB, max_files=2):  # a request may carry 2 MB + 1 MB
        response = c.post(
            "/api/reports",
            content=_chunked_upload("b0undary", 4),
            headers={"Content-Type": "multipart/form-data; boundary=b0undary"},
        )
        assert response.status_code == 413
        assert c.get("/api/reports").json()["total"] == 0
