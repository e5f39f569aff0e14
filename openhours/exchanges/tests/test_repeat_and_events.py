"""Repeating a confirmed exchange, and the append-only event log every step writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.models import AppendOnlyError
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, ExchangeEvent, State
from openhours.notifications.models import Notification

pytestmark = pytest.mark.django_db

History = Callable[[Exchange], list[tuple[str, str]]]


# Repeating ---------------------------------------------------------------------------


def test_repeat_creates_a_new_proposal_between_the_same_people(
    confirmed: Exchange, member: User, giver: User
) -> None:
    again = services.repeat_exchange(exchange=confirmed, actor=member, message="Same again?")
    assert again.pk != confirmed.pk
    assert again.state == State.PROPOSED
    assert (again.giver, again.receiver, again.proposed_by) == (giver, member, member)
    assert (again.title, again.post_id, again.repeat_of) == (
        confirmed.title,
        confirmed.post_id,
        confirmed,
    )
    assert again.estimated_minutes == 90
    assert Notification.objects.filter(recipient=giver, verb="exchange.proposed").count() == 1


def test_repeat_only_once_confirmed(delivered: Exchange, member: User) -> None:
    with pytest.raises(DomainError, match="once it's confirmed"):
        services.repeat_exchange(exchange=delivered, actor=member)


def test_repeat_refused_while_a_repeat_is_in_progress(confirmed: Exchange, member: User) -> None:
    services.repeat_exchange(exchange=confirmed, actor=member)
    with pytest.raises(DomainError) as caught:
        services.repeat_exchange(exchange=confirmed, actor=member)
    assert caught.value.message == services.ALREADY_IN_PROGRESS


# The event log -----------------------------------------------------------------------


def test_the_full_path_is_recorded_event_by_event(confirmed: Exchange, states: History) -> None:
    assert states(confirmed) == [
        ("", "proposed"),
        ("proposed", "accepted"),
        ("accepted", "delivered"),
        ("delivered", "confirmed"),
    ]


def test_events_are_append_only(confirmed: Exchange) -> None:
    event = confirmed.events.first()
    assert event is not None
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ExchangeEvent.objects.filter(exchange=confirmed).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        ExchangeEvent.objects.filter(exchange=confirmed).delete()
