"""PostgreSQL: a receiver's double click racing the automatic confirmation confirms once.

Threads stand in for app servers, each with its own connection. Without the exchange row
lock each would see "delivered"; the ledger's idempotency key would still stop a second
payment, but the exchange would get two "confirmed" events. With the lock the later ones
wait, then see it confirmed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from openhours.exchanges import services
from openhours.exchanges.models import Exchange, State
from openhours.factories import UserFactory
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(workers: list[Callable[[], Any]]) -> list[BaseException]:
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_confirmations_racing_each_other_confirm_once() -> None:
    giver = UserFactory(full_name="Gil Giver")
    receiver = UserFactory(full_name="Maya Member")
    exchange = services.propose_to_member(
        proposer=receiver, other=giver, proposer_gives=False, title="Help"
    )
    exchange = services.accept_exchange(exchange=exchange, actor=giver)
    exchange = services.record_delivery(exchange=exchange, actor=giver, minutes=60)
    later = timezone.now() + timedelta(days=15)

    def click() -> None:
        services.confirm_exchange(exchange=Exchange(pk=exchange.pk), actor=receiver)

    def system() -> None:
        services.auto_confirm_due(now=later)

    errors = run_together([click, click, system, system])
    assert errors == []
    exchange.refresh_from_db()
    assert exchange.state == State.CONFIRMED
    assert exchange.events.filter(to_state=State.CONFIRMED).count() == 1
    assert Transfer.objects.filter(reference=exchange.reference).count() == 1
    assert (balance(giver), balance(receiver)) == (60, -60)
