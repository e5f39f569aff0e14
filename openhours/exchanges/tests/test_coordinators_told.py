"""Only coordinators who may act are told of a dispute, or resolve one (issue 11).

A coordinator whose account is waiting for approval, declined or deactivated is not one
of "the coordinators" (``User.objects.coordinators()``), wherever that is asked.
"""

from __future__ import annotations

import pytest

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_only_approved_active_coordinators_hear_of_a_dispute(
    delivered: Exchange, member: User, coordinator: User
) -> None:
    waiting = UserFactory(role=Role.COORDINATOR, approval=Approval.PENDING)
    deactivated = UserFactory(role=Role.COORDINATOR, is_active=False)
    services.dispute_exchange(exchange=delivered, actor=member, reason="It didn't happen.")
    told = set(
        Notification.objects.filter(verb="exchange.disputed").values_list("recipient_id", flat=True)
    )
    assert coordinator.pk in told
    assert told.isdisjoint({waiting.pk, deactivated.pk})


def test_a_coordinator_who_is_waiting_for_approval_cannot_resolve_a_dispute(
    disputed: Exchange,
) -> None:
    waiting = UserFactory(role=Role.COORDINATOR, approval=Approval.PENDING)
    with pytest.raises(DomainError) as caught:
        services.resolve_by_cancelling(exchange=disputed, coordinator=waiting, reason="No.")
    assert caught.value.message == "Only coordinators can resolve disputes."
    disputed.refresh_from_db()
    assert disputed.state == "disputed"
