"""Load on `assess serve`, loopback only: all 46 units of the example city upload their workbooks at once while
the office opens the dashboard 200 times; every request must succeed and every upload must come back scored.

    python bench/serve_load.py [--threads 8] [--workers N] [--views 200] [--database postgresql://…] [--keep DIR]

Starts `python -m assess serve --demo` on 127.0.0.1 at a free port with a temporary instance folder (SQLite, or
the PostgreSQL database given), makes each unit's workbook from the example data (`assess convert --to xlsx`,
without the scorers' records, as the demo does), logs every unit in, then releases the 46 uploads together and
four office sessions that share the 200 dashboard views. Then it times the dashboard alone (quiet) and one
upload alone. Prints p50/p95/max of upload → self-check (the POST and the page it redirects to, which shows the
self-check) and of dashboard views; docs/performance.md ("assess serve") has the figures.

Bounded: every request has a 180-s timeout, the whole run stops after --limit seconds (default 900), and the
server is stopped at the end. Exit status 1 if any request failed or any upload was not scored.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo2020"   # web.demo.DEMO_PASSWORD
DATA = [("criteria/2020/county.yaml", "examples/city-2020/counties"),
        ("criteria/2020/department.yaml", "examples/city-2020/departments")]
TIMEOUT = 180.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_books(out: Path) -> dict[str, Path]:
    """Every unit's workbook (u01…u13, d01…d33), written by `assess convert` from the example CSV files."""
    books: dict[str, Path] = {}
    for scheme, data in DATA:
        src = out / Path(data).name / "csv"
        src.mkdir(parents=True)
        for p in (ROOT / data).glob("*.csv"):
            if p.stem != "findings":   # the scorers' records are entered by scorers, not uploaded by units
                shutil.copyfile(p, src / p.name)
            else:   # header only: an absent records file is an error (intake.presence)
                (src / p.name).write_bytes(p.read_bytes().splitlines(keepends=True)[0])
        dest = out / Path(data).name / "xlsx"
        done = subprocess.run([sys.executable, "-m", "assess", "convert", str(src), "-c", str(ROOT / scheme), "--to",
                               "xlsx", "-o", str(dest)], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"assess convert failed:\n{done.stdout}{done.stderr}")
        for book in dest.glob("*_*.xlsx"):
            books[book.name.split("_", 1)[0]] = book
    return books


class Session:
    """One person's browser: cookies, CSRF token from the form, redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=TIMEOUT) as r:
            return r.status, r.geturl(), r.read().decode("utf-8")

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=body, headers={
            "Content-Type": content_type, "Referer": self.base + path})
        with self.opener.open(req, timeout=TIMEOUT) as r:
            return r.status, r.geturl(), r.read().decode("utf-8")

    @staticmethod
    def csrf(page: str) -> str:
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert m, "no CSRF token on the page"
        return m.group(1)

    def login(self, username: str) -> str:
        _, _, page = self.get("/accounts/login/")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(page), "username": username,
                                       "password": PASSWORD}).encode()
        status, url, page = self.post("/accounts/login/", body, "application/x-www-form-urlencoded")
        assert status == 200 and "/accounts/login/" not in url, f"{username} could not log in"
        return page

    def upload(self, path: str, name: str, content: bytes) -> tuple[int, str, str]:
        _, _, page = self.get(path)
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                 f"{self.csrf(page)}\r\n".encode(),
                 f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode(),
                 content, f"\r\n--{boundary}--\r\n".encode()]
        return self.post(path + "upload/", b"".join(parts), f"multipart/form-data; boundary={boundary}")


@dataclass
class Tally:
    uploads: list[float] = field(default_factory=list)
    views: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<38} (none)"
    return (f"{label:<38} n={len(values):>3}  p50 {statistics.median(values):6.2f} s  p95 {pct(values, 95):6.2f} s  "
            f"max {max(values):6.2f} s")


def unit_pages(session: Session, unit: str) -> str:
    """The unit's own round page, found from its home page (the link 进入填报)."""
    _, _, home = session.get("/")
    m = re.search(rf'href="(/rounds/\d+/units/{re.escape(unit)}/)"', home)
    assert m, f"{unit}: no round on its home page"
    return m.group(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=8, help="waitress threads (assess serve --threads)")
    ap.add_argument("--workers", type=int, help="processes checking uploads (assess serve --workers; default: its own)")
    ap.add_argument("--views", type=int, default=200, help="dashboard views during the uploads")
    ap.add_argument("--database", help="a PostgreSQL URL (an empty database) instead of SQLite")
    ap.add_argument("--keep", type=Path, help="instance folder to create and keep (default: a temporary one)")
    ap.add_argument("--limit", type=float, default=900.0, help="stop the whole run after this many seconds")
    args = ap.parse_args()
    started = time.monotonic()

    work = Path(tempfile.mkdtemp(prefix="assess-load-"))
    instance = args.keep or work / "instance"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "assess", "serve", "--demo", "--instance", str(instance), "--host", "127.0.0.1",
           "--port", str(port), "--threads", str(args.threads)]
    if args.workers is not None:
        cmd += ["--workers", str(args.workers)]
    if args.database:
        cmd += ["--database", args.database]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESS_")}
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    tally = Tally()
    try:
        books = make_books(work / "books")
        print(f"workbooks: {len(books)} units; server: {' '.join(cmd[2:])}", flush=True)
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server exited:\n{(work / 'server.log').read_text('utf-8', 'replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - started > 300:
                raise SystemExit("/healthz did not answer within 300 s")
            time.sleep(0.5)
        print(f"server ready after {time.monotonic() - started:.1f} s (demo instance created)", flush=True)

        sessions: dict[str, tuple[Session, str]] = {}
        for unit in sorted(books):
            s = Session(base)
            s.login(unit)
            sessions[unit] = (s, unit_pages(s, unit))
        offices = [Session(base) for _ in range(4)]
        for o in offices:
            o.login("office")
        _, _, rounds = offices[0].get("/rounds/")
        dashboards = sorted(set(re.findall(r'href="(/rounds/\d+/)"', rounds)))
        assert dashboards, "no round on the office's round list"

        go = threading.Barrier(len(sessions) + len(offices))

        def upload(unit: str) -> None:
            s, page = sessions[unit]
            content = books[unit].read_bytes()
            go.wait()
            t = time.perf_counter()
            try:
                status, url, html = s.upload(page, books[unit].name, content)
            except Exception as e:  # every failure is counted and printed
                tally.fail(f"{unit}: upload failed: {e!r}")
                return
            took = time.perf_counter() - t
            if status != 200 or 'id="selfcheck"' not in html or 'data-status="clean"' not in html:
                tally.fail(f"{unit}: upload not scored (HTTP {status}, {url})")
                return
            with tally.lock:
                tally.uploads.append(took)

        def views(o: Session, count: int, into: list[float]) -> None:
            go.wait()
            for i in range(count):
                if time.monotonic() - started > args.limit:
                    tally.fail("time limit reached during the dashboard views")
                    return
                path = dashboards[i % len(dashboards)]
                t = time.perf_counter()
                try:
                    status, _, html = o.get(path)
                except Exception as e:
                    tally.fail(f"dashboard {path}: {e!r}")
                    continue
                took = time.perf_counter() - t
                if status != 200 or 'id="status-table"' not in html:
                    tally.fail(f"dashboard {path}: HTTP {status}")
                    continue
                with tally.lock:
                    into.append(took)

        per = [args.views // len(offices) + (1 if i < args.views % len(offices) else 0) for i in range(len(offices))]
        threads = [threading.Thread(target=upload, args=(u,)) for u in sessions]
        threads += [threading.Thread(target=views, args=(o, n, tally.views)) for o, n in zip(offices, per, strict=True)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, args.limit - (time.monotonic() - started)))
        wall = time.perf_counter() - t0
        if any(t.is_alive() for t in threads):
            tally.fail("time limit reached: requests still running")

        quiet: list[float] = []
        for i in range(50):   # the dashboard alone, nothing else running
            path = dashboards[i % len(dashboards)]
            t = time.perf_counter()
            status, _, _ = offices[0].get(path)
            quiet.append(time.perf_counter() - t)
            if status != 200:
                tally.fail(f"quiet dashboard {path}: HTTP {status}")
        alone: list[float] = []
        for unit in ("u01", "d01", "u02"):   # one upload at a time
            s, page = sessions[unit]
            t = time.perf_counter()
            status, _, html = s.upload(page, books[unit].name, books[unit].read_bytes())
            alone.append(time.perf_counter() - t)
            if 'id="selfcheck"' not in html:
                tally.fail(f"{unit}: the upload alone was not scored")

        print(f"\n46 uploads at once + {args.views} dashboard views: wall {wall:.1f} s, "
              f"{len(tally.failures)} failures")
        print(line("upload → self-check (46 at once)", tally.uploads))
        print(line(f"dashboard during the uploads ({args.views})", tally.views))
        print(line("dashboard alone (50)", quiet))
        print(line("upload → self-check alone (3)", alone))
        for f in tally.failures[:20]:
            print("FAILED", f)
        ok = not tally.failures and len(tally.uploads) == len(sessions)
        print("OK: every request succeeded, every upload scored" if ok else "NOT OK")
        return 0 if ok else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
