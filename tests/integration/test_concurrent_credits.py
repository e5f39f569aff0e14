"""Several processes confirming, donating and spending against the same accounts at once.

Each worker is a separate operating-system process with its own PostgreSQL connection, as
app servers and the scheduled commands are in production: two "browser tabs" confirm the
same exchanges (a double click), the auto-confirm command runs at the same moment, the
receivers keep donating to the pool and keep spending on new exchanges, all against two
receivers whose balances the lower limit soon stops.

Afterwards nothing has posted twice, no balance ever crossed a limit (the history is
replayed entry by entry), and verify_ledger passes. That the replay would notice a missing
lock is shown in openhours/ledger/tests/test_concurrency.py, which takes the lock away.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Exchange, State
from openhours.ledger import services as ledger
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.tests.test_concurrency import limits_crossed_in_history

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and several connections; "
        "run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 8


def _delivered(giver: User, receiver: User, title: str) -> Exchange:
    exchange = exchanges.propose_to_member(
        proposer=receiver, other=giver, proposer_gives=False, title=title
    )
    exchange = exchanges.accept_exchange(exchange=exchange, actor=giver)
    return exchanges.record_delivery(exchange=exchange, actor=giver, minutes=60)


def _worker(name: str, job: Callable[[], Counter[str]], results: Any, start: Any) -> None:
    """Run one job in a child process; report its tally, or the unexpected error."""
    connections.close_all()  # never share the parent's socket: open our own connection
    try:
        start.wait(timeout=60)
        results.put((name, dict(job()), None))
    except BaseException as error:  # reported to the test in the parent
        results.put((name, {}, f"{type(error).__name__}: {error}"))
    finally:
        connections.close_all()


def _run_in_processes(jobs: dict[str, Callable[[], Counter[str]]]) -> dict[str, Counter[str]]:
    context = mp.get_context("fork")
    results = context.Queue()
    start = context.Barrier(len(jobs))
    connections.close_all()  # the children must not inherit an open connection
    processes = [
        context.Process(target=_worker, args=(name, job, results, start))
        for name, job in jobs.items()
    ]
    for process in processes:
        process.start()
    collected = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    errors = [f"{name}: {error}" for name, _tally, error in collected if error]
    assert errors == []
    assert all(process.exitcode == 0 for process in processes)
    return {name: Counter(tally) for name, tally, _error in collected}


# Long, and whole on purpose: one mixed workload of processes, started at once and judged
# as a whole.
def test_processes_confirming_donating_and_spending_keep_every_rule(settings) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -240
    settings.OPENHOURS_LEDGER_WARNING_MINUTES = 60
    receivers = [UserFactory(full_name=f"Receiver {n}") for n in range(2)]
    givers = [UserFactory(full_name=f"Giver {n}") for n in range(2)]
    for user in receivers + givers:
        ledger.grant_joining_credit(user=user)  # 120 each: a receiver can spend 360
    waiting = [
        _delivered(givers[i % 2], receivers[i % 2], f"Run chart coaching {i}")
        for i in range(ROUNDS)
    ]
    later = timezone.now() + timedelta(days=settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS + 1)

    def confirm_all() -> Counter[str]:
        tally: Counter[str] = Counter()
        for exchange in waiting:
            try:
                exchanges.confirm_exchange(
                    exchange=Exchange(pk=exchange.pk), actor=exchange.receiver
                )
                tally["confirmed"] += 1
            except DomainError:
                tally["refused"] += 1
        return tally

    def auto_confirm() -> Counter[str]:
        tally: Counter[str] = Counter()
        for _ in range(3):
            run = exchanges.auto_confirm_due(now=later)
            tally["confirmed"] += len(run.confirmed)
            tally["refused"] += len(run.refused)
        return tally

    def donate() -> Counter[str]:
        tally: Counter[str] = Counter()
        # Receivers may already be at the floor when their turn comes (refused); givers'
        # donations always fit (4 x 30 minutes each against a 120-minute grant and earnings).
        donors = [receivers[0], givers[0], receivers[1], givers[1]]
        for i in range(ROUNDS):
            try:
                ledger.donate(
                    donor=donors[i % 4], minutes=30, idempotency_key=f"process-donation:{i}"
                )
                tally["donated"] += 1
            except DomainError:
                tally["refused"] += 1
        return tally

    def spend() -> Counter[str]:
        tally: Counter[str] = Counter()
        for i in range(ROUNDS):
            receiver, giver = receivers[(i + 1) % 2], givers[i % 2]
            exchange = _delivered(giver, receiver, f"Business case review {i}")
            try:
                exchanges.confirm_exchange(exchange=exchange, actor=receiver)
                tally["spent"] += 1
            except DomainError:
                tally["refused"] += 1
        return tally

    tallies = _run_in_processes(
        {
            "tab 1": confirm_all,
            "tab 2": confirm_all,
            "auto-confirm": auto_confirm,
            "donor": donate,
            "spender": spend,
        }
    )

    # Nothing posted twice: one transfer and one confirmation event per confirmed exchange.
    confirmed = Exchange.objects.filter(state=State.CONFIRMED)
    for exchange in confirmed:
        assert exchange.transfer is not None
        assert Transfer.objects.filter(reference=exchange.reference).count() == 1
        assert exchange.events.filter(to_state=State.CONFIRMED).count() == 1
    assert Transfer.objects.filter(kind=TransferKind.EXCHANGE).count() == confirmed.count()
    # Whatever was refused is still waiting, untouched, for its receiver.
    assert Exchange.objects.filter(state=State.DELIVERED, transfer__isnull=True).count() == (
        Exchange.objects.exclude(state=State.CONFIRMED).count()
    )
    # No balance ever crossed a limit, and the ledger reconciles.
    assert limits_crossed_in_history() == []
    call_command("verify_ledger")  # raises CommandError (exit status 1) on any mismatch
    # The workload really met the limits, and really moved credits.
    everyone = sum(tallies.values(), Counter())
    assert everyone["refused"] > 0
    assert everyone["donated"] > 0 and everyone["spent"] + everyone["confirmed"] > 0
