"""Issue 19's workbench numbers.

    .venv/bin/python benchmarks/workbench.py [--n 100] [--pages 1000] [--repeat 3]

1. Throughput: N generated reports (benchmarks/corpus.py) audited by ``auditor check --jobs
   <cores>`` versus uploaded to a running ``auditor serve --jobs <cores>`` (one multipart
   request), audited in the background and ranked (``GET /api/reports`` once all are done).
   Best of ``--repeat`` turns, check and serve alternating. The target is a ratio below 1.5.
2. Server time of list pages for a batch of ``--pages`` reports (stored directly from real
   audit results with distinct units): the ``Server-Timing`` of the ranking, pass rates,
   seasons, one report, and the HTML pages when the frontend's ``pages`` module is present.
   The target is below 300 ms each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import corpus  # noqa: E402

AUDITOR = str(Path(sys.executable).parent / "auditor")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def time_check(files: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [AUDITOR, "check", *map(str, files), "--jobs", str(jobs), "-f", "json", "--no-progress", "--no-config"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def time_serve(files: list[Path], jobs: int, data: Path) -> float:
    port = _port()
    proc = subprocess.Popen(
        [AUDITOR, "serve", "--port", str(port), "--data", str(data), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{f.name}"\r\n\r\n'.encode()
            + f.read_bytes()
            + b"\r\n"
            for f in files
        ]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        start = time.perf_counter()
        request = urllib.request.Request(
            f"{base}/api/reports", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        with urllib.request.urlopen(request, timeout=120) as r:
            assert r.status == 201
        while True:
            listed = _get(f"{base}/api/reports")["reports"]
            if all(r["state"] in ("done", "error") for r in listed):
                break
            time.sleep(0.25)  # as a page polling for progress would
        return time.perf_counter() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def page_times(n: int, data: Path, seeds: list[Path]) -> dict[str, float]:
    """Server time (ms) of each list page over ``n`` stored reports."""
    import orjson
    from fastapi.testclient import TestClient

    from auditor.pipeline import Options, audit_source, load_for, safe_encode
    from auditor.workbench import store
    from auditor.workbench.app import create_app
    from auditor.workbench.settings import Settings

    checklists = load_for(Options())
    bodies = [orjson.loads(safe_encode(str(s), audit_source(str(s), Options(), checklists), False)[1]) for s in seeds]
    bodies = [b for b in bodies if "error" not in b]
    app = create_app(Settings(data=data, jobs=1), start_jobs=False)
    by_id = app.state.checklists
    with app.state.sessions() as session:
        for i in range(n):
            body = dict(bodies[i % len(bodies)])
            body["metadata"] = {**body["metadata"], "unit": f"{body['metadata']['unit']}{i}"}
            row, _ = store.add_upload(session, data / "blobs", f"r{i}.txt", f"report {i}".encode())
            store.record_result(session, row.id, orjson.dumps(body), by_id)
        session.commit()
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    year = bodies[0]["metadata"]["year"]
    checklist = bodies[0]["checklist"]["id"]
    urls = {
        "ranking (all)": "/api/reports",
        "ranking (season)": f"/api/reports?checklist={checklist}&year={year}",
        "unreviewed": "/api/reports?unreviewed=1",
        "pass rates": f"/api/rates?checklist={checklist}&year={year}",
        "seasons": "/api/seasons",
        "one report": "/api/reports/1",
        "decisions": "/api/decisions",
    }
    urls.update(
        {
            "page /": "/",
            "page season ranking": f"/seasons/{checklist}/{year}",
            "page season unreviewed": f"/seasons/{checklist}/{year}?unreviewed=1",
            "page pass rates": f"/seasons/{checklist}/{year}/rules",
            "page report": "/reports/1",
            "page versions": "/reports/1/versions",
        }
    )
    out = {}
    for name, url in urls.items():
        best = float("inf")
        for _ in range(3):
            response = client.get(url)
            timing = response.headers.get("server-timing", "app;dur=nan")
            best = min(best, float(timing.split("dur=")[1]))
        out[f"{name} [{response.status_code}]"] = best
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=3, help="alternating turns of check and serve (best of each)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="auditor-wb-bench-"))
    try:
        files = corpus.make_corpus(work / "corpus", args.n)
        checks, serves = [], []
        for turn in range(args.repeat):  # alternating, so both meet the same machine
            checks.append(time_check(files, args.jobs))
            serves.append(time_serve(files, args.jobs, work / f"data{turn}"))
        check, serve = min(checks), min(serves)
        print(f"{args.n} reports, --jobs {args.jobs}, best of {args.repeat} alternating")
        print(f"  auditor check        {check:6.2f} s   ({', '.join(f'{t:.2f}' for t in checks)})")
        print(f"  serve upload→ranked  {serve:6.2f} s   ({', '.join(f'{t:.2f}' for t in serves)})")
        print(f"  ratio {serve / check:.2f} (target < 1.5)")
        pages = page_times(args.pages, work / "pages", sorted(corpus.SEEDS.glob("*.txt")))
        print(f"pages over {args.pages} reports (server time, best of 3):")
        for name, ms in pages.items():
            print(f"  {name:28} {ms:7.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
