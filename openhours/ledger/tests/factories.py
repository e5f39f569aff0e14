"""Postings for the ledger's tests, made through the real services.

Each is a new request (a fresh idempotency key) unless the test passes its own
``idempotency_key``; any other argument the service takes can be passed too. What a
helper fills in is what the tests' assertions don't depend on: which exchange or session
a payment is for, who recorded it (the receiver, or the session's giver), and a reason.
"""

from __future__ import annotations

from typing import Any

from openhours.accounts.models import User
from openhours.ledger import services
from openhours.ledger.models import Transfer

from .helpers import new_key


def pay(giver: User, receiver: User, minutes: int, **more: Any) -> Transfer:
    """The receiver pays the giver for an exchange they recorded themselves."""
    more = {"reference": "exchange:1", "created_by": receiver, "idempotency_key": new_key()} | more
    return services.pay_for_exchange(giver=giver, receiver=receiver, minutes=minutes, **more)


def pay_session(giver: User, receivers: list[User], minutes_each: int, **more: Any) -> Transfer:
    """Each attendee pays for a group session the giver recorded."""
    more = {"reference": "session:9", "created_by": giver, "idempotency_key": new_key()} | more
    return services.pay_for_group_session(
        giver=giver, receivers=receivers, minutes_each=minutes_each, **more
    )


def grant(coordinator: User, to_user: User, minutes: int, **more: Any) -> Transfer:
    """A coordinator's grant from the community pool (``reason`` "Help" if unsaid)."""
    more = {"reason": "Help", "idempotency_key": new_key()} | more
    return services.coordinator_grant(
        coordinator=coordinator, to_user=to_user, minutes=minutes, **more
    )


def adjust(coordinator: User, user: User, minutes: int, **more: Any) -> Transfer:
    """A coordinator's correction of a member's balance (``reason`` "Because" if unsaid)."""
    more = {"reason": "Because", "idempotency_key": new_key()} | more
    return services.coordinator_adjustment(
        coordinator=coordinator, user=user, minutes=minutes, **more
    )


def reverse(transfer: Transfer, actor: User, reason: str = "Mistake", **more: Any) -> Transfer:
    more = {"idempotency_key": new_key()} | more
    return services.reverse_transfer(transfer=transfer, actor=actor, reason=reason, **more)
