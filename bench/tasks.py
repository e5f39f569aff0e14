"""What each kind of background work costs the worker, for the capacity model in
docs/operations.md.

    make bench-tasks        # or: .venv/bin/python bench/tasks.py --size 200

Creates a scratch PostgreSQL database (DATABASE_URL, default postgres://root@127.0.0.1:5432/
openhours_bench_tasks; the name must contain "bench", because it is dropped first),
migrates it and builds the work through the real services: immediate emails, delivered
exchanges past their waiting period, delivered group sessions, members on the daily
digest and new requests to route. Then a real worker (``operations.worker.Worker``, in
this process, on the database queue) runs each kind, and the table gives the cost per
unit of work next to the baseline measured in the same run: one task that does nothing
but be claimed, run and recorded (``operations.tasks.ping``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/openhours_bench_tasks"


def _scratch_database(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or "bench" not in name:
        sys.exit(f"bench/tasks.py needs a PostgreSQL database whose name has 'bench': {url!r}")
    where = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    where += ["-U", parts.username or "root"]
    subprocess.run(["dropdb", *where, "--if-exists", name], check=True)
    subprocess.run(["createdb", *where, name], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200, help="units of each kind of work")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    _scratch_database(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="openhours.settings",
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        OPENHOURS_MATCHING_ALERTS_PER_WEEK="100000",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = run(args.size)
    print(f"\nBackground work at {args.size} units each, on PostgreSQL (one worker):\n")
    print(f"{'work':<34}{'units':>7}{'ms per unit':>14}{'x baseline':>12}")
    baseline = rows[0][2]
    for name, units, per_unit in rows:
        print(f"{name:<34}{units:>7}{per_unit:>14.2f}{per_unit / baseline:>12.1f}")


# Long on purpose: the benchmark's run sheet, each kind of work built and then timed in
# the order the table reports them.
def run(size: int) -> list[tuple[str, int, float]]:
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from openhours.accounts.tests.factories import UserFactory
    from openhours.exchanges import services as exchanges
    from openhours.exchanges.models import Exchange
    from openhours.exchanges.tasks import auto_confirm_exchanges
    from openhours.group_sessions.models import GroupSession
    from openhours.group_sessions.tasks import settle_group_sessions
    from openhours.group_sessions.tests.factories import delivered_group_session
    from openhours.ledger.services import grant_joining_credit
    from openhours.matching.tasks import route_requests
    from openhours.members.tests.factories import describe
    from openhours.notifications.models import EmailPreference, Notification
    from openhours.notifications.services import notify, set_email_preference
    from openhours.notifications.tasks import send_digests
    from openhours.operations.tasks import ping
    from openhours.operations.worker import Worker
    from openhours.posts.tests.factories import make_post

    def drain() -> float:
        began = time.perf_counter()
        Worker(keep_schedule=False, until_idle=True).run()
        return time.perf_counter() - began

    def timed(name: str, units: int, enqueue: Callable[[], None]) -> tuple[str, int, float]:
        enqueue()
        seconds = drain()
        assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(), name
        print(f"  {name}: {seconds:.2f} s", flush=True)
        return name, units, seconds * 1000 / units

    drain()  # warm up: imports, the first connection, the heartbeat table
    print("Building the work…", flush=True)
    giver = UserFactory(full_name="Gil Giver")
    receivers = [UserFactory(full_name=f"Rae {i}") for i in range(max(1, size // 10))]
    everyone = [giver, *receivers]
    for person in everyone:
        grant_joining_credit(user=person)
        set_email_preference(user=person, preference=EmailPreference.OFF)
    rows = [
        timed(
            "task overhead (baseline)",
            size,
            lambda: [ping.enqueue() for _ in range(size)] and None,
        )
    ]

    readers = [UserFactory(full_name=f"Ivy {i}") for i in range(size)]
    rows.append(
        timed(
            "immediate email (one task each)",
            size,
            lambda: (
                [
                    notify(
                        recipient=r, actor=giver, verb="bench", message="Help?", needs_action=True
                    )
                    for r in readers
                ]
                and None
            ),
        )
    )

    for number in range(size):
        receiver = receivers[number % len(receivers)]
        post = make_post(receiver, title=f"Business case {number}", estimated_minutes=15)
        exchange = exchanges.respond_to_post(responder=giver, post=post)
        exchanges.accept_exchange(exchange=exchange, actor=receiver)
        exchanges.record_delivery(exchange=exchange, actor=giver, minutes=15)
    Exchange.objects.update(delivered_at=timezone.now() - timedelta(days=20))
    DBTaskResult.objects.all().delete()
    rows.append(timed("auto-confirmation, per exchange", size, auto_confirm_exchanges.enqueue))

    start = timezone.now() - timedelta(days=30)
    # Five attendees of their own, each paying a quarter hour a session: forty sessions
    # keep them inside the lower balance limit.
    attendees = [UserFactory(full_name=f"Asha {i}") for i in range(5)]
    for person in attendees:
        grant_joining_credit(user=person)
        set_email_preference(user=person, preference=EmailPreference.OFF)
    count = max(1, min(size // 5, 40))
    for number in range(count):
        delivered_group_session(giver, attendees, title=f"PDSA cycles {number}", starts_at=start)
    DBTaskResult.objects.all().delete()
    rows.append(timed("settlement, per session of 5", count, settle_group_sessions.enqueue))
    assert GroupSession.objects.filter(status="settled").count() == count

    for reader in readers:
        set_email_preference(user=reader, preference=EmailPreference.DIGEST)
        for n in range(3):
            notify(recipient=reader, actor=giver, verb="bench", message=f"News {n}")
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1))
    rows.append(timed("daily digest, per member", size, send_digests.enqueue))

    helpers = [UserFactory(full_name=f"Hal {i}") for i in range(20)]
    for helper in helpers:
        describe(
            helper,
            job_title="Quality improvement lead",
            can_help_with="sepsis audit, audit tools, quality improvement",
        )
        set_email_preference(user=helper, preference=EmailPreference.OFF)
    for number in range(size):
        make_post(receivers[number % len(receivers)], title=f"Sepsis audit {number}")
    DBTaskResult.objects.all().delete()
    rows.append(timed("routing, per new request", size, route_requests.enqueue))
    connection.close()
    return rows


if __name__ == "__main__":
    main()
