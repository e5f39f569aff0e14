"""Only coordinators who may act are told things meant for coordinators (issue 11).

A coordinator whose account is waiting for approval, declined or deactivated is not one
of "the coordinators" (``User.objects.coordinators()``), wherever that is asked.
"""

from __future__ import annotations

import pytest

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.group_sessions import services
from openhours.notifications.models import Notification

from .conftest import delivered_session

pytestmark = pytest.mark.django_db


def test_only_approved_active_coordinators_hear_that_settlement_is_blocked(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    waiting = UserFactory(role=Role.COORDINATOR, approval=Approval.PENDING)
    declined = UserFactory(role=Role.COORDINATOR, approval=Approval.DECLINED)
    deactivated = UserFactory(role=Role.COORDINATOR, is_active=False)
    asha = attendees[0]
    blocked = delivered_session(member, [asha], preparation=60)  # the pool is empty
    services.confirm_attendance(session=blocked, member=asha)
    services.settle_due_sessions(now=blocked.delivered_at.replace(year=2031))
    told = set(
        Notification.objects.filter(verb="group_session.blocked").values_list(
            "recipient_id", flat=True
        )
    )
    assert coordinator.pk in told
    assert told.isdisjoint({waiting.pk, declined.pk, deactivated.pk})
