"""Coordinators resolve disputes and record exchanges for members who are offline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, State
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance
from openhours.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_coordinator_confirms_a_dispute_with_the_time_they_choose(
    disputed: Exchange, coordinator: User, giver: User, member: User
) -> None:
    exchange = services.resolve_by_confirming(
        exchange=disputed, coordinator=coordinator, minutes=45, reason="Both agreed 45 minutes."
    )
    assert exchange.state == State.CONFIRMED
    assert exchange.minutes == 45
    assert exchange.transfer is not None
    assert exchange.transfer.created_by == coordinator
    assert (balance(giver), balance(member)) == (45, -45)
    event = exchange.events.last()
    assert event is not None
    assert (event.from_state, event.to_state, event.actor, event.minutes, event.note) == (
        "disputed",
        "confirmed",
        coordinator,
        45,
        "Both agreed 45 minutes.",
    )
    assert Notification.objects.filter(verb="exchange.resolved").count() == 2


def test_a_coordinator_cancels_a_dispute(
    disputed: Exchange, coordinator: User, giver: User
) -> None:
    exchange = services.resolve_by_cancelling(
        exchange=disputed, coordinator=coordinator, reason="The session never happened."
    )
    assert exchange.state == State.CANCELLED
    assert exchange.transfer_id is None
    assert balance(giver) == 0
    assert exchange.events.last().to_state == State.CANCELLED  # type: ignore[union-attr]


def test_resolving_needs_a_reason(disputed: Exchange, coordinator: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.resolve_by_cancelling(exchange=disputed, coordinator=coordinator, reason="")
    assert caught.value.field == "reason"


def test_members_cannot_resolve_disputes(disputed: Exchange, outsider: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.resolve_by_confirming(
            exchange=disputed, coordinator=outsider, minutes=60, reason="x"
        )
    assert caught.value.message == "Only coordinators can resolve disputes."


def test_a_coordinator_cannot_resolve_their_own_dispute(member: User, request_post) -> None:  # type: ignore[no-untyped-def]
    cole = UserFactory(full_name="Cora Coordinator", role=Role.COORDINATOR)
    exchange = services.respond_to_post(responder=cole, post=request_post)
    exchange = services.accept_exchange(exchange=exchange, actor=member)
    exchange = services.record_delivery(exchange=exchange, actor=cole, minutes=60)
    exchange = services.dispute_exchange(exchange=exchange, actor=member, reason="Too long")
    with pytest.raises(DomainError) as caught:
        services.resolve_by_confirming(exchange=exchange, coordinator=cole, minutes=60, reason="x")
    assert caught.value.message == (
        "You're part of this exchange, so another coordinator needs to resolve it."
    )


def test_only_disputes_are_resolved(delivered: Exchange, coordinator: User) -> None:
    with pytest.raises(DomainError, match="isn't disputed"):
        services.resolve_by_cancelling(exchange=delivered, coordinator=coordinator, reason="x")


def test_a_resolution_refused_by_the_ledger_leaves_the_dispute_open(
    disputed: Exchange, coordinator: User, settings: pytest.FixtureRequest
) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -30  # type: ignore[attr-defined]
    with pytest.raises(DomainError, match="lower limit"):
        services.resolve_by_confirming(
            exchange=disputed, coordinator=coordinator, minutes=60, reason="x"
        )
    disputed.refresh_from_db()
    assert disputed.state == State.DISPUTED


def test_a_coordinator_records_an_offline_exchange(
    coordinator: User, giver: User, member: User
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    exchange = services.record_offline_exchange(
        coordinator=coordinator,
        giver=giver,
        receiver=member,
        minutes=120,
        delivered_on=yesterday,
        title="Falls audit support",
        description="Two sessions on the ward.",
        reason="Both are on the paper rota.",
    )
    assert exchange.state == State.CONFIRMED
    assert (exchange.recorded_by, exchange.minutes, exchange.delivered_on) == (
        coordinator,
        120,
        yesterday,
    )
    assert (balance(giver), balance(member)) == (120, -120)
    assert Transfer.objects.get(reference=f"exchange:{exchange.pk}").created_by == coordinator
    event = exchange.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", "confirmed", coordinator)
    assert "Both are on the paper rota." in event.note


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"coordinator": "outsider"}, "Only coordinators can record exchanges for other members."),
        ({"giver": "coordinator"}, "You can't record an exchange you took part in"),
        ({"receiver": "giver"}, "The giver and the receiver must be different people."),
        ({"minutes": 10}, "Record time in quarter hours"),
        ({"title": " "}, "Say in a few words what the exchange was about."),
        ({"reason": ""}, "Say why you are recording this for them."),
        ({"delivered_on": "tomorrow"}, "The date can't be in the future."),
    ],
)
def test_offline_records_are_checked(
    change: dict[str, str], message: str, request: pytest.FixtureRequest, coordinator: User
) -> None:
    fields: dict[str, object] = {
        "coordinator": coordinator,
        "giver": request.getfixturevalue("giver"),
        "receiver": request.getfixturevalue("member"),
        "minutes": 60,
        "delivered_on": timezone.localdate(),
        "title": "Help",
        "reason": "Offline",
    }
    for key, value in change.items():
        if value in {"outsider", "coordinator", "giver"}:
            fields[key] = request.getfixturevalue(value)
        elif value == "tomorrow":
            fields[key] = timezone.localdate() + timedelta(days=1)
        else:
            fields[key] = value
    with pytest.raises(DomainError) as caught:
        services.record_offline_exchange(**fields)  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)
    assert not Exchange.objects.exists()


def test_a_coordinator_waiting_for_approval_can_neither_resolve_nor_record(
    disputed: Exchange, giver: User, member: User
) -> None:
    """require_coordinator's rule: the role alone is not enough (issue 11)."""
    waiting = UserFactory(role=Role.COORDINATOR, approval=Approval.PENDING)
    with pytest.raises(DomainError, match="Only coordinators can resolve disputes"):
        services.resolve_by_cancelling(exchange=disputed, coordinator=waiting, reason="No.")
    with pytest.raises(DomainError, match="Only coordinators can record exchanges"):
        services.record_offline_exchange(
            coordinator=waiting,
            giver=giver,
            receiver=member,
            minutes=60,
            delivered_on=timezone.localdate(),
            title="Gardening",
            reason="Offline members.",
        )
    disputed.refresh_from_db()
    assert disputed.state == State.DISPUTED
