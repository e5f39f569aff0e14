"""Helpers shared by the exchange services: locking, validation, events, notifications.

Locking, writing events and telling people are the steps of every workflow, shared with
group sessions through ``notifications.workflow``: the exchange's :func:`page` records its
events and tells people, as ``group_sessions`` does for a session. What is here adds what an
exchange needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import is_quarter_hours, minutes_in_words
from openhours.ledger.services import pay_for_exchange
from openhours.notifications import workflow

from ..models import MINUTES_CEILING, Exchange, ExchangeEvent, State
from ..transitions import NOT_A_PARTY, check_transition


def max_minutes() -> int:
    return int(settings.OPENHOURS_EXCHANGE_MAX_MINUTES)


def lock(exchange: Exchange) -> Exchange:
    """Lock the exchange row, and read it afresh, before looking at its state.

    Every transition starts here inside its transaction, so two requests for the same
    exchange (a double click, a retry, a member racing the automatic confirmation) run one
    after the other, and the second sees what the first did. Only the exchange row is
    locked (``of``), never the people it joins; the ledger then locks accounts in its own
    fixed order, so the lock order is always exchange first, then accounts by key.
    """
    return workflow.lock(
        Exchange.objects.select_related("giver", "receiver", "proposed_by"), exchange.pk
    )


@contextmanager
def transition(exchange: Exchange, action: str, actor: User) -> Iterator[Exchange]:
    """One step's transaction: the exchange locked and read afresh (``lock``), then the
    step checked against its state, before the body changes it. Use the exchange it gives.
    """
    with transaction.atomic():
        exchange = lock(exchange)
        check_transition(exchange, action, actor)
        yield exchange


def require_party(exchange: Exchange, actor: User) -> None:
    if not exchange.is_party(actor):
        raise DomainError(NOT_A_PARTY)


def require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(message, field="reason")
    return reason


def check_minutes(minutes: int, *, field: str = "hours", most: int | None = None) -> int:
    """Positive quarter hours, no more than one exchange may record."""
    most = max_minutes() if most is None else most
    if minutes <= 0:
        raise DomainError("Record at least a quarter of an hour.", field=field)
    if not is_quarter_hours(minutes):
        raise DomainError(
            "Record time in quarter hours, for example 0.75 or 1.5 hours.", field=field
        )
    if minutes > min(most, MINUTES_CEILING):
        raise DomainError(
            f"One exchange can record at most {minutes_in_words(most)}. "
            "Record longer pieces of work as separate exchanges.",
            field=field,
        )
    return minutes


def require_can_take_part(user: User, *, you: bool) -> None:
    if not user.is_approved_member:
        if you:
            raise DomainError("Your membership is waiting for a coordinator's approval.")
        raise DomainError(f"{user} can't take part in exchanges at the moment.")


def record(
    exchange: Exchange,
    *,
    to_state: State,
    actor: User | None,
    now: datetime,
    minutes: int | None = None,
    note: str = "",
    from_state: str | None = None,
) -> None:
    """Move the (locked) exchange to ``to_state`` and write the event, in one go.

    ``from_state`` is the state the event shows it leaving: by default the one it is in,
    or none ("") when the exchange is new.
    """
    if from_state is None:
        from_state = "" if exchange._state.adding else exchange.state
    exchange.state = to_state
    exchange.updated_at = now
    exchange.save()
    event = ExchangeEvent(
        exchange=exchange,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        minutes=minutes,
        note=note,
        created_at=now,
    )
    page(exchange).record(event, actor=actor)


def move(
    exchange: Exchange,
    to_state: State,
    *,
    actor: User,
    recipient: User,
    message: str,
    now: datetime | None = None,
    minutes: int | None = None,
    note: str = "",
    needs_action: bool = False,
) -> None:
    """A member's step on the (locked) exchange: ``record`` it, then ``tell`` the one person
    it concerns, with the verb named after the new state (``exchange.declined``)."""
    record(
        exchange,
        to_state=to_state,
        actor=actor,
        now=now or timezone.now(),
        minutes=minutes,
        note=note,
    )
    tell(
        exchange,
        recipient=recipient,
        verb=f"exchange.{to_state.value}",
        message=message,
        actor=actor,
        needs_action=needs_action,
    )


def pay_and_confirm(
    exchange: Exchange,
    *,
    minutes: int,
    actor: User | None,
    now: datetime,
    note: str = "",
    from_state: str | None = None,
) -> None:
    """Post the credits and mark the (locked) exchange confirmed, in the caller's transaction.

    If the ledger refuses (a balance limit), its DomainError propagates, the caller's
    transaction rolls back and the exchange stays as it was. The idempotency key is derived
    from the exchange, so even without the row lock a second confirmation would get the
    same transfer back instead of paying twice.
    """
    transfer = pay_for_exchange(
        giver=exchange.giver,
        receiver=exchange.receiver,
        minutes=minutes,
        reference=exchange.reference,
        created_by=actor,
        idempotency_key=f"{exchange.reference}:confirm",
        memo=exchange.title,
    )
    exchange.minutes = minutes
    exchange.transfer = transfer
    exchange.confirmed_at = now
    record(
        exchange,
        to_state=State.CONFIRMED,
        actor=actor,
        now=now,
        minutes=minutes,
        note=note,
        from_state=from_state,
    )


def page(exchange: Exchange) -> workflow.Page:
    """The exchange's page: its events answer the actor's notifications for it, and every
    notification about it links there."""
    return workflow.Page(reverse("exchanges:detail", args=[exchange.pk]))


def tell(
    exchange: Exchange,
    *,
    recipient: User,
    verb: str,
    message: str,
    actor: User | None,
    needs_action: bool = False,
) -> None:
    """Notify someone about this exchange (in-app; email after commit when action is needed)."""
    page(exchange).tell(
        recipient, verb=verb, message=message, actor=actor, needs_action=needs_action
    )


def tell_both(exchange: Exchange, *, verb: str, message: str, actor: User | None) -> None:
    """Notify both parties, giver first (``notify`` skips whichever of them acted)."""
    page(exchange).tell(exchange.giver, exchange.receiver, verb=verb, message=message, actor=actor)


def tell_coordinators(exchange: Exchange, *, verb: str, message: str, actor: User | None) -> None:
    """Every coordinator who may act (approved, active) and is not a party, in key order:
    only they could resolve it."""
    coordinators = User.objects.coordinators().exclude(
        pk__in=[exchange.giver_id, exchange.receiver_id]
    )
    page(exchange).tell(*coordinators, verb=verb, message=message, actor=actor, needs_action=True)
