"""PostgreSQL: a receiver's double click racing the automatic confirmation confirms once.

Threads stand in for app servers, each with its own connection. Without the exchange row
lock each would see "delivered"; the ledger's idempotency key would still stop a second
payment, but the exchange would get two "confirmed" events. With the lock the later ones
wait, then see it confirmed.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from openhours.accounts.tests.factories import UserFactory
from openhours.core.testing import needs_postgresql, run_together
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, State
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance

pytestmark = needs_postgresql


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
