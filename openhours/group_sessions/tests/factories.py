"""Test group sessions, created through ``group_sessions.services`` so their rules apply."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from openhours.accounts.models import User
from openhours.group_sessions.models import GroupSession
from openhours.group_sessions.services import (
    SessionDetails,
    create_session,
    record_delivery,
    sign_up,
)
from openhours.ledger.services import coordinator_adjustment


def make_group_session(giver: User, **overrides: Any) -> GroupSession:
    """An open group session next week, created through the service."""
    fields: dict[str, Any] = {
        "title": "QI for beginners: PDSA cycles",
        "description": "A one-hour introduction to Plan-Do-Study-Act.",
        "starts_at": timezone.now() + timedelta(days=7),
        "planned_minutes": 60,
        "capacity": 10,
    }
    fields.update(overrides)
    return create_session(giver=giver, details=SessionDetails(**fields))


def adjust_balance(coordinator: User, member: User, minutes: int, *, key: str = "k1") -> None:
    """Set-up: move a member's balance by ``minutes`` with a coordinator's adjustment."""
    coordinator_adjustment(
        coordinator=coordinator, user=member, minutes=minutes, reason="Test", idempotency_key=key
    )


def delivered_group_session(
    giver: User,
    attendees: list[User],
    *,
    title: str = "PDSA cycles",
    starts_at: datetime,
    minutes: int = 15,
) -> GroupSession:
    """A session that took place at ``starts_at`` with every one of ``attendees`` there,
    signed up a week before and delivered an hour after it began (for settlement)."""
    before = starts_at - timedelta(days=7)
    session = create_session(
        giver=giver,
        details=SessionDetails(
            title=title,
            description="An introduction to Plan-Do-Study-Act.",
            starts_at=starts_at,
            planned_minutes=minutes,
            capacity=max(10, len(attendees)),
        ),
        now=before,
    )
    for person in attendees:
        sign_up(session=session, member=person, now=before)
    return record_delivery(
        session=session,
        giver=giver,
        delivered_minutes=minutes,
        preparation_minutes=0,
        attendees=attendees,
        now=starts_at + timedelta(hours=1),
    )
