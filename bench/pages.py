"""Benchmark: every page a member, coordinator or leader uses, at 100,000 members, served
by gunicorn as in production, against a trivial view through the same middleware.

    make bench-pages                              # seeds bench_pages (once: ~5 min), then ~12 min
    BENCH_SEEDED=1 make bench-pages               # reuse the seeded database
    BENCH_SECONDS=5 BENCH_CONCURRENCY=1 make bench-pages
    BENCH_PAGES=directory,home make bench-pages   # only these pages

1. Seeds (unless ``BENCH_SEEDED=1``) ``BENCH_DATABASE_URL`` (default
   ``postgres://root@127.0.0.1:5432/bench_pages``; the name must contain ``bench``, as it
   is dropped and created again) with ``seed_demo --members 100000`` (history included,
   so statements, exchanges and sessions have rows), then ``rebuild_matching_index`` and
   ``refresh_insight``. Either way it runs ``migrate`` first, so a reused database has
   this branch's indexes.
2. Collects the static files into a temporary ``STATIC_ROOT`` and starts gunicorn with
   ``deploy/gunicorn.conf.py`` (``GUNICORN_WORKERS``, default 2) and production settings:
   ``DEBUG`` off, a ``SECRET_KEY``, ``SECURE_SSL_REDIRECT=0`` (plain HTTP on loopback).
   It reports the time from starting gunicorn to the first answer of ``/health/live``.
3. Signs in the three demo logins through the real login form and keeps their cookies.
4. Visits each page a few times (so every worker has warmed up; the first visit of the
   request page, which builds the matching index in that worker today, is reported).
5. For each concurrency (``BENCH_CONCURRENCY``, default ``1,8``) and page: ``wrk`` on
   ``/health/live`` (no database, no template: the trivial view) then on the page, each
   for ``BENCH_SECONDS`` (default 10), with the page's cookies on both. Prints req/s,
   p50 and p99 (wrk's), and the ratio of the page's rate to the trivial view's measured
   just before it.
6. Reports each gunicorn process's resident memory, and exits non-zero if a page answered
   anything but 200 or missed a target: p99 under 150 ms at c=1 and at least 0.2 of the
   trivial view's rate (the goal is 0.4).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/bench_pages")
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,8").split(",")]
WORKERS = int(os.environ.get("GUNICORN_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = "127.0.0.1"
TRIVIAL = "/health/live"
P99_TARGET_MS = 150.0
RATIO_TARGET = 0.2
RATIO_GOAL = 0.4


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str  # "anonymous", "member", "coordinator" or "leader"


def discover() -> None:
    """Run inside Django (``--discover``): print the paths of the pages to drive."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openhours.settings"
    import django

    django.setup()
    from openhours.accounts.models import User
    from openhours.demo.content.showcase import (
        COORDINATOR_EMAIL,
        DEMO_PASSWORD,
        LEADER_EMAIL,
        MEMBER_EMAIL,
    )
    from openhours.posts.models import Kind, Post, Status

    member = User.objects.get(email=MEMBER_EMAIL)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    own_request = (
        Post.objects.filter(author=member, kind=Kind.REQUEST, status=Status.OPEN)
        .order_by("-pk")
        .first()
    )
    other_request = (
        Post.objects.filter(kind=Kind.REQUEST, status=Status.OPEN)
        .exclude(author__in=[member, coordinator])
        .order_by("pk")
        .first()
    )
    assert own_request is not None and other_request is not None
    print(
        json.dumps(
            {
                "own_request": own_request.pk,
                "other_request": other_request.pk,
                "member": member.pk,
                "other_member": other_request.author_id,
                "logins": {
                    "member": [MEMBER_EMAIL, DEMO_PASSWORD],
                    "coordinator": [COORDINATOR_EMAIL, DEMO_PASSWORD],
                    "leader": [LEADER_EMAIL, DEMO_PASSWORD],
                },
            }
        )
    )


def pages(ids: dict[str, Any]) -> list[Page]:
    every = [
        Page("about (anonymous)", "/about/", "anonymous"),
        Page("about (member)", "/about/", "member"),
        Page("home", "/", "member"),
        Page("home (coordinator)", "/", "coordinator"),
        Page("browse", "/posts/?kind=request", "member"),
        Page("search", "/posts/?q=audit", "member"),
        Page("request (own, helpers)", f"/posts/{ids['own_request']}/", "member"),
        Page("request (coordinator)", f"/posts/{ids['other_request']}/", "coordinator"),
        Page("profile", f"/members/{ids['other_member']}/", "member"),
        Page("directory", "/members/", "member"),
        Page("directory page 5", "/members/?page=5", "member"),
        Page("directory (coordinator)", "/members/", "coordinator"),
        Page("directory search", "/members/?q=nurse", "member"),
        Page("statement", "/credits/", "member"),
        Page("notifications", "/notifications/", "member"),
        Page("exchanges", "/exchanges/", "member"),
        Page("sessions", "/sessions/", "member"),
        Page("insight", "/insight/", "leader"),
    ]
    wanted = os.environ.get("BENCH_PAGES", "")
    if not wanted:
        return every
    names = {w.strip() for w in wanted.split(",")}
    return [p for p in every if p.name in names or p.name.split(" ")[0] in names]


def run(*args: str, env: dict[str, str], quiet: bool = False) -> str:
    done = subprocess.run(
        list(args),
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
    )
    return done.stdout


def seed(env: dict[str, str]) -> None:
    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL's database name must contain 'bench' (got {name!r}).")
    manage = [sys.executable, str(ROOT / "manage.py")]
    dev = {**env, "DEBUG": "1"}
    if os.environ.get("BENCH_SEEDED"):
        print(f"Using the database already seeded at {DATABASE_URL}", flush=True)
        run(*manage, "migrate", "--noinput", "-v0", env=dev)
        return
    parsed = urllib.parse.urlparse(DATABASE_URL)
    pg = ["-h", parsed.hostname or HOST, "-U", parsed.username or "root"]
    if parsed.port:
        pg += ["-p", str(parsed.port)]
    subprocess.run(["dropdb", "--if-exists", *pg, name], check=True)
    subprocess.run(["createdb", *pg, name], check=True)
    print(f"Seeding {MEMBERS:,} members into {DATABASE_URL} ...", flush=True)
    began = time.perf_counter()
    run(*manage, "migrate", "--noinput", "-v0", env=dev)
    run(*manage, "seed_demo", f"--members={MEMBERS}", env=dev, quiet=True)
    print(f"  seeded in {time.perf_counter() - began:.0f} s", flush=True)
    began = time.perf_counter()
    run(*manage, "rebuild_matching_index", "-v0", env=dev)
    run(*manage, "refresh_insight", env=dev)
    print(f"  matching documents and insight in {time.perf_counter() - began:.0f} s", flush=True)


def request(
    method: str, path: str, *, cookies: dict[str, str], body: str = ""
) -> tuple[int, str, SimpleCookie]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    headers = {
        "Host": f"{HOST}:{PORT}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{HOST}:{PORT}"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, text, jar


def sign_in(email: str, password: str) -> dict[str, str]:
    """The real login form: its CSRF cookie and token, then the POST."""
    status, text, jar = request("GET", "/accounts/login/", cookies={})
    assert status == 200, status
    cookies = {name: morsel.value for name, morsel in jar.items()}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    )
    status, _, jar = request("POST", "/accounts/login/", cookies=cookies, body=form)
    assert status == 302, f"signing in {email} answered {status}"
    cookies.update({name: morsel.value for name, morsel in jar.items()})
    assert "sessionid" in cookies, "no session cookie after signing in"
    return cookies


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path: str, cookies: dict[str, str], connections: int) -> dict[str, float]:
    header = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{SECONDS}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            header,
            f"http://{HOST}:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def latency(pct: str) -> float:
        found = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        assert found, out
        return float(found.group(1)) * UNITS[found.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rate, out
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "rps": float(rate.group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "bad": float(bad.group(1)) if bad else 0.0,
        "timeouts": float(errors.group(1)) if errors else 0.0,
    }


def drain() -> None:
    """Wait until the workers have answered what a previous run left queued: when wrk
    stops, requests it sent to slow pages are still in gunicorn's queue, and would eat
    into the next run."""
    for _ in range(2 * WORKERS):
        request("GET", TRIVIAL, cookies={})


def rss_mib(master: int) -> dict[int, float]:
    """Resident memory of gunicorn's master and each worker, MiB."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
        if int(entry.name) == master or ppid == master:
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if rss:
                found[int(entry.name)] = int(rss.group(1)) / 1024
    return found


# Long on purpose: the benchmark's set-up, one step after another (seed, discover, serve).
def main() -> None:
    if sys.argv[1:] == ["--discover"]:
        discover()
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    base_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    base_env["DATABASE_URL"] = DATABASE_URL
    seed(base_env)
    ids = json.loads(
        run(sys.executable, __file__, "--discover", env={**base_env, "DEBUG": "1"})
        .strip()
        .splitlines()[-1]
    )
    static_root = tempfile.mkdtemp(prefix="openhours-bench-static-")
    env = {
        **base_env,
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "GUNICORN_WORKERS": str(WORKERS),
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling in the middle of a measurement
        "LOG_LEVEL": "WARNING",
    }
    run(sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0", env=env)
    log = open(Path(static_root) / "gunicorn.log", "w")  # noqa: SIM115
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "openhours.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # The server's background worker, as in production: it builds the server's matching
    # index snapshot, which the web workers memory-map (docs/matching.md).
    worker_log = open(Path(static_root) / "worker.log", "w")  # noqa: SIM115
    worker_started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--no-schedule"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_matching(worker_started)
        measure(server, started, ids)
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(60)
        log.close()
        worker_log.close()
        shutil.rmtree(static_root, ignore_errors=True)


def wait_for_matching(worker_started: float) -> None:
    """Until /health/ says this server's matching index is ready; print how long the
    worker took from its start."""
    while time.perf_counter() - worker_started < 900:
        try:
            status, body, _ = request("GET", "/health/", cookies={})
            if status in (200, 503) and json.loads(body)["checks"]["matching"].get("ready"):
                seconds = time.perf_counter() - worker_started
                print(f"worker: matching ready {seconds:.1f} s after it started", flush=True)
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(1)
    sys.exit("the worker's matching index was not ready within 15 minutes")


# Long on purpose: the run sheet: first visits, then each page at each concurrency, then
# the table, in the order they are printed.
def measure(server: subprocess.Popen[bytes], started: float, ids: dict[str, Any]) -> None:
    from_start = None
    while time.perf_counter() - started < 120:
        try:
            status, _, _ = request("GET", TRIVIAL, cookies={})
            if status == 200:
                from_start = time.perf_counter() - started
                break
        except OSError:
            time.sleep(0.05)
    assert from_start is not None, "gunicorn did not answer within 120 s"
    idle = rss_mib(server.pid)
    print(f"gunicorn with {WORKERS} workers: first answer {from_start:.2f} s after starting")
    print(f"  RSS at start MiB: {', '.join(f'{v:.0f}' for v in idle.values())}")

    sessions = {who: sign_in(email, password) for who, (email, password) in ids["logins"].items()}
    sessions["anonymous"] = {}
    chosen = pages(ids)
    print("First visits (per worker, ms):")
    failures = []
    for page in chosen:
        spent = []
        for _ in range(2 * WORKERS):
            began = time.perf_counter()
            status, _, _ = request("GET", page.path, cookies=sessions[page.who])
            spent.append((time.perf_counter() - began) * 1000)
            if status != 200:
                failures.append(f"{page.name} {page.path} answered {status}")
        print(f"  {page.name:<26} {' '.join(f'{s:8.0f}' for s in spent)}", flush=True)
    if failures:
        sys.exit("\n".join(failures))

    rows = []
    for connections in CONCURRENCY:
        for page in chosen:
            cookies = sessions[page.who]
            drain()
            trivial = wrk(TRIVIAL, cookies, connections)
            result = wrk(page.path, cookies, connections)
            ratio = result["rps"] / trivial["rps"] if trivial["rps"] else 0.0
            rows.append((connections, page, trivial, result, ratio))
            print(
                f"  c={connections} {page.name:<26} {result['rps']:8.1f}/s "
                f"p50 {result['p50']:7.1f} p99 {result['p99']:7.1f} ms; trivial "
                f"{trivial['rps']:8.1f}/s; ratio {ratio:.3f}",
                flush=True,
            )
    after = rss_mib(server.pid)

    print()
    print(
        f"{'c':>2} {'page':<26} {'as':<11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'trivial/s':>9} {'ratio':>6}  "
    )
    missed = []
    for connections, page, trivial, result, ratio in rows:
        flags = []
        if connections == 1 and result["p99"] >= P99_TARGET_MS:
            flags.append("p99")
        if ratio < RATIO_TARGET:
            flags.append("ratio")
        if result["bad"] or result["timeouts"]:
            flags.append(f"{result['bad']:.0f} non-200, {result['timeouts']:.0f} timeouts")
        if flags:
            missed.append(f"c={connections} {page.name}: {', '.join(flags)}")
        print(
            f"{connections:>2} {page.name:<26} {page.who:<11} {result['rps']:>8.1f} "
            f"{result['p50']:>8.1f} {result['p99']:>8.1f} {trivial['rps']:>9.1f} "
            f"{ratio:>6.3f}  {'MISS ' + ', '.join(flags) if flags else ''}"
        )
    print()
    print(f"gunicorn ({WORKERS} workers): first answer {from_start:.2f} s after starting")
    for pid, mib in after.items():
        role = "master" if pid == server.pid else "worker"
        print(f"  {role} {pid}: RSS {idle.get(pid, 0):.0f} MiB at start, {mib:.0f} MiB after")
    print(
        f"\nTargets: p99 under {P99_TARGET_MS:.0f} ms at c=1; at least {RATIO_TARGET} of the "
        f"trivial view's rate (goal {RATIO_GOAL}). The trivial view is {TRIVIAL}, measured "
        "just before each page, with the same cookies, through the same middleware."
    )
    if missed:
        print("Missed:\n  " + "\n  ".join(missed))
        sys.exit(1)


if __name__ == "__main__":
    main()
