"""Issue 19, item 3: does the workbench (``auditor serve``) keep up with ``auditor check``?

    .venv/bin/python benchmarks/workbench.py [--n 100] [--pages 1000] [--jobs CORES]

Talks to a real server only through its HTTP API (no imports of the workbench), so it measures
what a person in front of the workbench waits for:

1. **Throughput.** ``--n`` reports of every shape (``benchmarks/shapes.py``: txt, html, docx, pdf)
   are audited by ``auditor check FILES --jobs CORES --format json --output F`` and, in the same
   run, uploaded to ``auditor serve --port P --data TMPDIR --jobs CORES`` started as a subprocess
   (one ``POST /api/reports`` with one multipart ``file`` part per report → 201
   ``{"reports": [{"id", "source", "state"}]}``), polled (``GET /api/reports``, else
   ``GET /api/reports/{id}``) until every report is ``done`` or ``error``, and ranked (one
   ``GET /api/reports``). Target: (upload → ranked) ÷ (auditor check) < 1.5. Both are best of
   ``--repeat``, alternating, each upload into a new data folder.
2. **Pages.** ``--pages`` reports uploaded in batches of 100; then every page of ``--page`` (the
   ranking, a filtered ranking, one report, and the HTML pages ``/`` and ``/reports/{id}``) is
   requested 5 times: the server time is the ``Server-Timing`` header's ``dur`` when the app sets
   one, else the request time on loopback (both in ms, best of 5). Target: < 300 ms each.

Until the workbench is merged it stops with "auditor serve not available" (exit 2). It is not
part of the test suite: a missed target prints NO and exits 1. Figures go to
``benchmarks/.out/workbench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import shapes  # noqa: E402

AUDITOR = str(Path(sys.executable).parent / "auditor")
DONE = ("done", "error")
DEFAULT_PAGES = (
    "/api/reports",
    "/api/reports?checklist={checklist}&year={year}&level={level}",
    "/api/reports/{id}",
    "/",
    "/reports/{id}",
)


class Unavailable(Exception):
    """The server cannot be started or does not speak the API."""


def serve_available() -> bool:
    probe = subprocess.run([AUDITOR, "serve", "--help"], capture_output=True, text=True, check=False)
    return probe.returncode == 0 and "--data" in probe.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``auditor serve`` on a free loopback port with its own data folder."""

    def __init__(self, data: Path, jobs: int, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [AUDITOR, "serve", "--port", str(self.port), "--data", str(data), "--jobs", str(jobs)]
        self._log = log.open("ab")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable(f"auditor serve exited with {self.proc.returncode}; see {log}")
            try:
                self.get("/api/reports")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        self.stop()
        raise Unavailable(f"auditor serve did not answer GET /api/reports within 60 s; see {log}")

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        return urllib.request.urlopen(req, timeout=300)

    def get(self, path: str) -> Any:
        with self.request(path) as r:
            return json.loads(r.read())

    def upload(self, files: list[Path]) -> list[dict[str, Any]]:
        boundary = uuid.uuid4().hex
        body = (
            b"".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{f.name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + f.read_bytes()
                + b"\r\n"
                for f in files
            )
            + f"--{boundary}--\r\n".encode()
        )
        with self.request("/api/reports", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}) as r:
            if r.status != 201:
                raise Unavailable(f"POST /api/reports answered {r.status}, not 201")
            reports = json.loads(r.read()).get("reports")
        if not isinstance(reports, list) or len(reports) != len(files) or not all("id" in x for x in reports):
            raise Unavailable('POST /api/reports did not answer {"reports": [{"id", "source", "state"}, …]}')
        return reports

    def wait(self, ids: list[Any], timeout: float = 1800) -> None:
        """Poll until every report is done or error (the list when it carries states, else each report)."""
        deadline = time.monotonic() + timeout
        pending = set(map(str, ids))
        while pending:
            if time.monotonic() > deadline:
                raise Unavailable(f"{len(pending)} reports still not done after {timeout:.0f} s")
            listed = self.get("/api/reports")
            rows = listed.get("reports", listed) if isinstance(listed, dict) else listed
            states = {str(r.get("id")): r.get("state") for r in rows if isinstance(r, dict)}
            if all(states.get(i) is None for i in pending):  # the list has no states: ask each report
                states = {i: self.get(f"/api/reports/{i}").get("state") for i in pending}
            pending = {i for i in pending if states.get(i) not in DONE}
            if pending:
                time.sleep(0.2)  # as a page polling for progress would

    def timed_page(self, path: str) -> tuple[int, float, str]:
        """(status, ms, how): Server-Timing dur when present, else the request time on loopback."""
        start = time.perf_counter()
        try:
            with self.request(path) as r:
                r.read()
                status, header = r.status, r.headers.get("Server-Timing")
        except urllib.error.HTTPError as exc:
            status, header = exc.code, None
        wall = (time.perf_counter() - start) * 1000
        if header and "dur=" in header:
            return (
                status,
                sum(float(part.split("dur=")[1].split(";")[0]) for part in header.split(",") if "dur=" in part),
                "Server-Timing",
            )
        return status, wall, "request time"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def time_check(files: list[Path], jobs: int, out: Path, log: Path) -> float:
    cmd = [AUDITOR, "check", *map(str, files), "--jobs", str(jobs), "--format", "json", "--output", str(out)]
    start = time.perf_counter()
    with log.open("ab") as err:
        rc = subprocess.run([*cmd, "--no-progress"], stdout=subprocess.DEVNULL, stderr=err, check=False).returncode
    if rc not in (0, 1):
        raise SystemExit(f"auditor check failed ({rc}); see {log}")
    return time.perf_counter() - start


def time_serve(files: list[Path], jobs: int, data: Path, log: Path) -> float:
    server = Server(data, jobs, log)
    try:
        start = time.perf_counter()
        ids = [r["id"] for r in server.upload(files)]
        server.wait(ids)
        server.get("/api/reports")  # the ranking a person then looks at
        return time.perf_counter() - start
    finally:
        server.stop()


def page_times(files: list[Path], jobs: int, data: Path, log: Path, pages: list[str]) -> dict[str, Any]:
    server = Server(data, jobs, log)
    try:
        ids: list[Any] = []
        for k in range(0, len(files), 100):
            ids += [r["id"] for r in server.upload(files[k : k + 100])]
        server.wait(ids)
        one = server.get(f"/api/reports/{ids[0]}")
        meta = one.get("metadata") or (one.get("report") or {}).get("metadata") or {}
        checklist = one.get("checklist") or (one.get("report") or {}).get("checklist") or {}
        fill = {
            "id": ids[0],
            "checklist": checklist.get("id", "fazhi") if isinstance(checklist, dict) else checklist,
            "year": meta.get("year", ""),
            "level": meta.get("level", ""),
        }
        out: dict[str, Any] = {}
        for template in pages:
            path = template.format(**fill)
            runs = [server.timed_page(path) for _ in range(5)]
            out[path] = {"status": runs[-1][0], "ms": min(r[1] for r in runs), "how": runs[-1][2]}
        return out
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="reports uploaded and checked (throughput)")
    ap.add_argument("--pages", type=int, default=1000, help="reports in the batch whose pages are timed")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="workers of both (default: cores)")
    ap.add_argument("--repeat", type=int, default=3, help="best of R for check and upload")
    ap.add_argument("--page", action="append", help="a page to time (repeatable; {id} {checklist} {year} {level})")
    ap.add_argument("--out", type=Path, default=HERE / ".out")
    args = ap.parse_args(argv)
    if not serve_available():
        print("auditor serve not available: the workbench is not merged in this checkout", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "workbench.log"
    log.write_bytes(b"")
    work = Path(tempfile.mkdtemp(prefix="auditor-wb-bench-"))
    try:
        files = [i.path for i in shapes.make_shapes(work / "small", args.n)]
        checks, serves = [], []
        for r in range(args.repeat):
            checks.append(time_check(files, args.jobs, work / "check.json", log))
            serves.append(time_serve(files, args.jobs, work / f"data{r}", log))
        check, serve = min(checks), min(serves)
        ratio = serve / check
        big = [i.path for i in shapes.make_shapes(work / "big", args.pages)]
        pages = page_times(big, args.jobs, work / "pages", log, args.page or list(DEFAULT_PAGES))
    except Unavailable as exc:
        print(f"auditor serve not usable: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = ratio < 1.5
    print(f"{args.n} reports of every shape, --jobs {args.jobs}, best of {args.repeat}:")
    print(f"  auditor check           {check:7.2f} s")
    print(f"  upload → all ranked     {serve:7.2f} s   ratio {ratio:.2f} (target < 1.5) {'yes' if ok else 'NO'}")
    print(f"pages over {args.pages} reports (best of 5):")
    for path, p in pages.items():
        holds = p["status"] == 200 and p["ms"] < 300
        ok = ok and (holds or p["status"] == 404)
        mark = "yes" if holds else ("(no such page)" if p["status"] == 404 else "NO")
        print(f"  {path:60} {p['status']}  {p['ms']:7.1f} ms ({p['how']}) {mark}")
    figures = {"n": args.n, "jobs": args.jobs, "check_s": checks, "serve_s": serves, "ratio": ratio, "pages": pages}
    (args.out / "workbench.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
