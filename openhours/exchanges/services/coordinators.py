"""What coordinators do with exchanges: resolve disputes, record exchanges for members
who are offline."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import minutes_in_words

from ..models import Exchange, State
from ..transitions import check_transition
from . import _common as c

DECISION_REASON_NEEDED = "Say how you reached this decision; both members see it."


def resolve_by_confirming(
    *, exchange: Exchange, coordinator: User, minutes: int, reason: str
) -> Exchange:
    """Settle a dispute: confirm with the time the coordinator judges right; credits move."""
    c.check_minutes(minutes)
    reason = c.require_reason(reason, DECISION_REASON_NEEDED)
    with c.transition(exchange, "resolve_confirm", coordinator) as exchange:
        c.pay_and_confirm(
            exchange, minutes=minutes, actor=coordinator, now=timezone.now(), note=reason
        )
        _tell_resolved(exchange, coordinator, f"confirmed for {minutes_in_words(minutes)}.", reason)
    return exchange


def resolve_by_cancelling(*, exchange: Exchange, coordinator: User, reason: str) -> Exchange:
    """Settle a dispute by cancelling the exchange: no credits move."""
    reason = c.require_reason(reason, DECISION_REASON_NEEDED)
    with c.transition(exchange, "resolve_cancel", coordinator) as exchange:
        c.record(
            exchange, to_state=State.CANCELLED, actor=coordinator, now=timezone.now(), note=reason
        )
        _tell_resolved(exchange, coordinator, "cancelled, no time credits move.", reason)
    return exchange


def _tell_resolved(exchange: Exchange, coordinator: User, outcome: str, reason: str) -> None:
    """Both members hear how the dispute ended, and the coordinator's reason."""
    c.tell_both(
        exchange,
        verb="exchange.resolved",
        message=f"{coordinator} resolved the dispute about {exchange.title}: {outcome} {reason}",
        actor=coordinator,
    )


def record_offline_exchange(
    *,
    coordinator: User,
    giver: User,
    receiver: User,
    minutes: int,
    delivered_on: date,
    title: str,
    description: str = "",
    reason: str,
) -> Exchange:
    """Record an exchange that happened between members who don't use OpenHours themselves.

    Created confirmed, with the credits moved, in one transaction; the reason is kept on
    the exchange's only event.
    """
    check_transition(Exchange(giver=giver, receiver=receiver), "record_offline", coordinator)
    now = timezone.now()
    title, reason = _check_offline_record(
        giver=giver,
        receiver=receiver,
        minutes=minutes,
        delivered_on=delivered_on,
        title=title,
        reason=reason,
        now=now,
    )
    with transaction.atomic():
        # Saved first, in the delivered state, only so the ledger reference has the
        # exchange's key; the single event below records the only transition anyone sees.
        exchange = Exchange.objects.create(
            giver=giver,
            receiver=receiver,
            proposed_by=coordinator,
            recorded_by=coordinator,
            title=title[:140],
            description=description.strip(),
            state=State.DELIVERED,
            minutes=minutes,
            delivered_on=delivered_on,
            created_at=now,
            updated_at=now,
            accepted_at=now,
            delivered_at=now,
        )
        _confirm_record(exchange, coordinator=coordinator, reason=reason, now=now)
    return exchange


def _confirm_record(exchange: Exchange, *, coordinator: User, reason: str, now: datetime) -> None:
    """Move the new record's credits, confirm it, and tell both members."""
    assert exchange.minutes is not None  # the record was saved with them
    c.pay_and_confirm(
        exchange,
        minutes=exchange.minutes,
        actor=coordinator,
        now=now,
        note=f"Recorded by a coordinator: {reason}",
        from_state="",
    )
    c.tell_both(
        exchange,
        verb="exchange.recorded",
        message=(
            f"{coordinator} recorded {minutes_in_words(exchange.minutes)} from "
            f"{exchange.giver} to {exchange.receiver} for {exchange.title}."
        ),
        actor=coordinator,
    )


def _check_offline_record(
    *,
    giver: User,
    receiver: User,
    minutes: int,
    delivered_on: date,
    title: str,
    reason: str,
    now: datetime,
) -> tuple[str, str]:
    """The record's own rules, once the coordinator may make it: the title and reason
    to keep, stripped."""
    if giver.pk == receiver.pk:
        raise DomainError("The giver and the receiver must be different people.", field="receiver")
    c.check_minutes(minutes)
    title = title.strip()
    if not title:
        raise DomainError("Say in a few words what the exchange was about.", field="title")
    reason = c.require_reason(reason, "Say why you are recording this for them.")
    if delivered_on > timezone.localdate(now):
        raise DomainError("The date can't be in the future.", field="delivered_on")
    return title, reason
