"""Test group sessions, created through ``group_sessions.services`` so their rules apply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openhours.accounts.models import User
from openhours.group_sessions.models import GroupSession
from openhours.group_sessions.services import SessionDetails, create_session
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
