"""Only coordinators who may act are told of a dispute (issue 11).

A coordinator whose account is waiting for approval, declined or deactivated is not one
of "the coordinators" (``User.objects.coordinators()``), wherever that is asked.
"""

from __future__ import annotations

import pytest

from openhours.accounts.models import Approval, Role, User
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.factories import UserFactory
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
