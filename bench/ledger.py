"""Ledger throughput: transfers per second through post_transfer, next to pgbench.

    make bench-ledger            # or: .venv/bin/python bench/ledger.py --seconds 15

Creates a scratch database (DATABASE_URL, default postgres://root@127.0.0.1:5432/
openhours_bench; the name must contain "bench", because it is dropped first), migrates
it, opens N member accounts with their joining grants, then runs, at each concurrency:

* pgbench's built-in TPC-B-like script on a second scratch database (<name>_pgbench),
  initialised with a scale factor equal to the highest concurrency, as pgbench advises;
* ours: C worker processes, each with one long-lived connection, paying for exchanges
  between random pairs of members through ``pay_for_exchange`` -> ``post_transfer``
  (one transaction per transfer: lock, insert transfer, insert entries, update balances,
  insert audit event).

It prints a table with the ratio ours/pgbench (target: at least 0.5), checks the ledger
with verify_ledger, and drops both databases unless --keep is given.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import psycopg
from psycopg.errors import InsufficientPrivilege

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/openhours_bench"


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlparse(url)
        if parts.scheme not in {"postgres", "postgresql"}:
            sys.exit(f"bench/ledger.py needs PostgreSQL; DATABASE_URL is {url!r}.")
        name = parts.path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"Refusing to drop and recreate {name!r}: use a database named *bench*.")
        return cls(
            url=url,
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            name=name,
        )

    def psql_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def admin_connection(target: Target) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=target.host,
        port=target.port,
        user=target.user or None,
        password=target.password or None,
        dbname="postgres",
        autocommit=True,
    )


def checkpoint(target: Target) -> None:
    """Start each run from a fresh checkpoint, so neither side pays for the other's dirty
    pages or the full-page writes that follow a checkpoint mid-run."""
    # Not a superuser: no checkpoint, and the runs are a little noisier, still comparable.
    with admin_connection(target) as admin, contextlib.suppress(InsufficientPrivilege):
        admin.execute("CHECKPOINT")


def recreate_database(target: Target, name: str, *, drop_only: bool = False) -> None:
    with admin_connection(target) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def setup_django(target: Target) -> None:
    os.environ["DATABASE_URL"] = target.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "openhours.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"  # DEBUG would record every query in memory
    os.environ["DB_CONN_MAX_AGE"] = "600"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_ledger(accounts: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from openhours.accounts.models import User
    from openhours.ledger.services import grant_joining_credit

    call_command("migrate", verbosity=0, interactive=False)
    no_password = make_password(None)  # unusable: nobody signs in as a bench member
    User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.org", full_name=f"Bench Member {n}", password=no_password)
            for n in range(accounts)
        ]
    )
    for user in User.objects.filter(email__startswith="bench"):
        grant_joining_credit(user=user)
    connections.close_all()  # never share a socket with the forked workers


def worker(
    number: int, concurrency: int, seconds: float, barrier: Barrier, results: mp.Queue
) -> None:  # type: ignore[type-arg]
    from django.db import connection

    from openhours.accounts.models import User
    from openhours.core.errors import DomainError
    from openhours.ledger.services import pay_for_exchange

    members = list(User.objects.filter(email__startswith="bench").only("pk", "full_name"))
    rng = random.Random(number)
    connection.ensure_connection()
    posted = refused = 0
    barrier.wait()
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        giver, receiver = rng.sample(members, 2)
        try:
            pay_for_exchange(
                giver=giver,
                receiver=receiver,
                minutes=rng.choice((15, 30, 45, 60, 90)),
                reference="bench",
                created_by=receiver,
                idempotency_key=f"bench:c{concurrency}:w{number}:{posted + refused}",
            )
            posted += 1
        except DomainError:
            refused += 1  # a limit said no: still a full locked transaction, not counted
    results.put((posted, refused, time.perf_counter() - started))
    connection.close()


def run_ours(concurrency: int, seconds: float) -> tuple[float, int]:
    context = mp.get_context("fork")
    barrier = context.Barrier(concurrency)
    results: mp.Queue = context.Queue()  # type: ignore[type-arg]
    processes = [
        context.Process(target=worker, args=(n, concurrency, seconds, barrier, results))
        for n in range(concurrency)
    ]
    for process in processes:
        process.start()
    rows = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    rate = sum(posted / elapsed for posted, _, elapsed in rows)
    return rate, sum(refused for _, refused, _ in rows)


def pgbench_args(target: Target) -> list[str]:
    args = ["-h", target.host, "-p", target.port]
    if target.user:
        args += ["-U", target.user]
    return args


def run_pgbench(target: Target, database: str, concurrency: int, seconds: float) -> float:
    command = ["pgbench", *pgbench_args(target), "-c", str(concurrency), "-j", str(concurrency)]
    command += ["-T", str(int(seconds)), database]
    output = subprocess.run(
        command, env=target.psql_env(), capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"tps = ([0-9.]+)", output)
    if match is None:
        sys.exit(f"Could not read pgbench's rate from:\n{output}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="per run (default 15)")
    parser.add_argument("--accounts", type=int, default=1000, help="members (default 1000)")
    parser.add_argument("--concurrency", default="1,4", help="comma-separated (default 1,4)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    options = parser.parse_args()
    levels = [int(level) for level in options.concurrency.split(",")]
    if shutil.which("pgbench") is None:
        sys.exit("pgbench is not installed (Debian: apt install postgresql-contrib).")

    target = Target.parse(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    pgbench_db = f"{target.name}_pgbench"
    clock = time.perf_counter()
    print(f"Preparing {target.name} ({options.accounts} members) and {pgbench_db}...")
    recreate_database(target, target.name)
    recreate_database(target, pgbench_db)
    setup_django(target)
    prepare_ledger(options.accounts)
    subprocess.run(
        ["pgbench", *pgbench_args(target), "-i", "-q", "-s", str(max(levels)), pgbench_db],
        env=target.psql_env(),
        capture_output=True,
        check=True,
    )

    rows = []
    for level in levels:
        checkpoint(target)
        theirs = run_pgbench(target, pgbench_db, level, options.seconds)
        checkpoint(target)
        ours, refused = run_ours(level, options.seconds)
        rows.append((level, ours, theirs, refused))
        print(f"  c={level}: ours {ours:,.0f}/s, pgbench {theirs:,.0f}/s")

    from openhours.ledger.verification import verify_ledger

    report = verify_ledger()
    print()
    print(f"Ledger benchmark: {options.seconds:g} s per run, {options.accounts} members")
    print(f"{'clients':>7}  {'post_transfer/s':>15}  {'pgbench tps':>11}  {'ratio':>5}  refused")
    for level, ours, theirs, refused in rows:
        print(f"{level:>7}  {ours:>15,.0f}  {theirs:>11,.0f}  {ours / theirs:>5.2f}  {refused:>7}")
    print(
        f"verify_ledger: {'all checks passed' if report.ok else report.problems} "
        f"({report.transfers:,} transfers)"
    )
    print(f"total time {time.perf_counter() - clock:.0f} s")

    from django.db import connections

    connections.close_all()
    if not options.keep:
        recreate_database(target, target.name, drop_only=True)
        recreate_database(target, pgbench_db, drop_only=True)
    if not report.ok or any(ours / theirs < 0.5 for _, ours, theirs, _ in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
