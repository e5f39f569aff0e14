"""Group-session state, built through the real services.

The conftest personas play these parts: ``member`` (Maya) runs sessions, ``outsider``
(Otto) is a member with no part in them, ``coordinator`` (Cole) resolves problems.
Attendees are extra members made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.group_sessions import services
from openhours.group_sessions.models import GroupSession

START = timezone.make_aware(datetime(2030, 3, 4, 14, 0))
BEFORE = START - timedelta(days=7)
AFTER = START + timedelta(hours=2)


def make_session(giver: User, *, now: datetime = BEFORE, **overrides: Any) -> GroupSession:
    fields: dict[str, Any] = {
        "title": "QI for beginners: PDSA cycles",
        "description": "A one-hour introduction to Plan-Do-Study-Act, with a worked example.",
        "starts_at": START,
        "planned_minutes": 60,
        "capacity": 10,
    }
    fields.update(overrides)
    return services.create_session(giver=giver, details=services.SessionDetails(**fields), now=now)


def delivered_session(
    giver: User,
    attendees: Sequence[User],
    *,
    minutes: int = 60,
    preparation: int = 0,
    absent: Sequence[User] = (),
) -> GroupSession:
    session = make_session(giver)
    for person in [*attendees, *absent]:
        services.sign_up(session=session, member=person, now=BEFORE)
    return services.record_delivery(
        session=session,
        giver=giver,
        delivered_minutes=minutes,
        preparation_minutes=preparation,
        attendees=list(attendees),
        now=AFTER,
    )


@pytest.fixture
def attendees(db: None) -> list[User]:
    return [
        UserFactory(full_name="Asha Attendee"),
        UserFactory(full_name="Ben Attendee"),
        UserFactory(full_name="Chloe Attendee"),
    ]
