"""What every group-session service shares: the refusals people see, the session lock,
events, notifications, and small reads of attendances under that lock.

Locking, writing events and telling people are the steps of every workflow, shared with
exchanges through ``notifications.workflow`` (this app may not import ``exchanges``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from openhours.accounts.models import User
from openhours.accounts.permissions import require_coordinator
from openhours.core.errors import DomainError
from openhours.core.minutes import QUARTER_HOUR, QUARTER_HOURS_MESSAGE, is_quarter_hours
from openhours.notifications import workflow

from ..models import (
    MAX_SESSION_MINUTES,
    Attendance,
    AttendanceStatus,
    EventVerb,
    GroupSession,
    SessionEvent,
)

# Messages shown to people; tests assert them.
NOT_OPEN = "This session is no longer open for sign-ups."
NOT_DELIVERED = "This session isn't waiting for confirmations."
ALREADY_STARTED = "This session has already started."
FULL = "This session is full."
GIVER_CANNOT_ATTEND = "You are running this session, so you can't sign up for it."
ALREADY_SIGNED_UP = "You are already signed up."
NOT_SIGNED_UP = "You aren't signed up for this session."
ONLY_GIVER = "Only the person running this session can do that."
NOT_YET_STARTED = "You can record what happened once the session has started."
NOBODY_ATTENDED = "Tick at least one attendee. If nobody came, cancel the session instead."
NOT_AN_ATTENDEE = "Only members who were marked as attending can confirm or dispute."
ALREADY_RESPONDED = "You have already answered for this session."
REASON_NEEDED = "Give a reason; it is kept in the session's history."
DISPUTE_REASON_NEEDED = "Say briefly what happened, for the person who ran the session."
ONLY_COORDINATORS_TO = "do that"
ONLY_COORDINATORS = f"Only coordinators can {ONLY_COORDINATORS_TO}."  # require_coordinator's
OWN_SESSION = "You run this session; ask another coordinator."
FINISHED_ALREADY = "This session is already settled, closed or cancelled."
WAITING = "Some attendees haven't answered yet; it settles once they do, or automatically."
APPROVAL_NEEDED = "Your membership is waiting for a coordinator's approval."

# Attendances still part of the session at each stage (not withdrawn or removed).
STILL_IN = [
    AttendanceStatus.SIGNED_UP,
    AttendanceStatus.ATTENDED,
    AttendanceStatus.CONFIRMED,
    AttendanceStatus.DISPUTED,
]


def auto_confirm_days() -> int:
    # Shared with one-to-one exchanges: one waiting period for every kind of confirmation.
    return int(settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS)


def check_quarter_hours(minutes: int, *, field: str, what: str) -> None:
    if not QUARTER_HOUR <= minutes <= MAX_SESSION_MINUTES:
        raise DomainError(
            f"{what} must last between a quarter of an hour and {MAX_SESSION_MINUTES // 60} hours.",
            field=field,
        )
    if not is_quarter_hours(minutes):
        raise DomainError(QUARTER_HOURS_MESSAGE, field=field)


def lock(session: GroupSession) -> GroupSession:
    """Lock the session row first in every write. That one lock guards the session and all
    its attendances; the ledger then locks accounts (never the giver's user row here)."""
    return workflow.lock(GroupSession.objects.select_related("giver"), session.pk)


def page(session: GroupSession) -> workflow.Page:
    """The session's page: its events answer the actor's notifications for it, and every
    notification about it links there."""
    return workflow.Page(reverse("group_sessions:detail", args=[session.pk]))


def attendances(session: GroupSession, statuses: Sequence[str]) -> list[Attendance]:
    return list(
        session.attendances.filter(status__in=statuses).select_related("member").order_by("pk")
    )


def attendance(session: GroupSession, member: User, status: str, refusal: str) -> Attendance:
    found = Attendance.objects.filter(session=session, member=member, status=status).first()
    if found is None:
        raise DomainError(refusal)
    return found


def require_coordinator_not_giver(actor: User, session: GroupSession) -> None:
    """A coordinator who may act (``require_coordinator``), and not on their own session."""
    require_coordinator(actor, to=ONLY_COORDINATORS_TO)
    if actor.pk == session.giver_id:
        raise DomainError(OWN_SESSION)


def tell_coordinators(
    session: GroupSession, verb: str, message: str, *, needs_action: bool = False
) -> None:
    """Tell every coordinator who may act (approved, active), in key order."""
    coordinators = User.objects.coordinators()
    page(session).tell(*coordinators, verb=verb, message=message, needs_action=needs_action)


def record(
    session: GroupSession,
    verb: EventVerb,
    *,
    now: datetime,
    actor: User | None = None,
    subject: User | None = None,
    **data: Any,
) -> None:
    """Write the session's event; whoever acted has answered what the session asked."""
    event = SessionEvent(
        session=session, actor=actor, verb=verb, subject=subject, data=data, created_at=now
    )
    page(session).record(event, actor=actor)


def tell(
    recipient: User,
    verb: str,
    message: str,
    session: GroupSession,
    *,
    actor: User | None = None,
    needs_action: bool = False,
) -> None:
    """In-app notification (and email, per the recipient's choice, after commit)."""
    page(session).tell(
        recipient, verb=verb, message=message, actor=actor, needs_action=needs_action
    )
