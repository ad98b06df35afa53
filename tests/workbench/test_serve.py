"""``auditor serve`` as a user starts it: a real server process on a free port with an empty
data folder, driven over HTTP like the outside checking script does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.workbench.conftest import SEEDS, free_port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditor",
            "serve",
            "--port",
            str(port),
            "--data",
            str(tmp_path / "data"),
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "AUDITOR_TOKEN"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"auditor serve did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
                )
            time.sleep(0.2)
        yield base
    finally:
        try:
            workers = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:  # it never started (said above)
            workers = []
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # no worker outlives the server (one left waiting for work would also hold its stderr open)
        _, left = psutil.wait_procs(workers, timeout=5)
        for p in left:
            p.kill()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert proc.returncode in (0, -signal.SIGTERM) and "Traceback" not in stderr, stderr
    assert workers and not left, f"worker processes left running: {[p.pid for p in left]}"


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, data in files:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _call(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def test_serve_audits_uploads_like_check(server: str) -> None:
    body, kind = _multipart([(s.name, s.read_bytes()) for s in SEEDS])
    status, created = _call(f"{server}/api/reports", body, {"Content-Type": kind})
    assert status == 201
    ids = [r["id"] for r in created["reports"]]
    deadline = time.monotonic() + 120
    while True:
        listed = _call(f"{server}/api/reports")[1]["reports"]
        if all(r["state"] in ("done", "error") for r in listed) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    check = subprocess.run(
        [sys.executable, "-m", "auditor", "check", *map(str, SEEDS), "-f", "json", "--no-progress", "--no-config"],
        capture_output=True,
        check=False,
    )
    expected = json.loads(check.stdout)["reports"]
    for report_id, want in zip(ids, expected, strict=True):
        got = _call(f"{server}/api/reports/{report_id}")[1]
        assert got["state"] == "done"
        assert (got["score"], got["grade"], got["summary"]) == (want["score"], want["grade"], want["summary"])
        assert [f["status"] for f in got["findings"]] == [f["status"] for f in want["findings"]]
    status, refused = _call(f"{server}/api/reports", body, {"Content-Type": kind, "Origin": "http://evil.example"})
    assert status == 403 and refused["error"]


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--data", str(tmp_path / "d")],
            capture_output=True,
            timeout=60,
            check=False,
        )
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and str(port) in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "d").exists()
