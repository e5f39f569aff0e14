"""Who may see and do what with a group session. Views call these; templates never decide
access on their own. The services check the same rules again and explain a refusal."""

from __future__ import annotations

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer

from .models import AttendanceStatus, GroupSession, SessionStatus

SEES_ATTENDEES = [
    AttendanceStatus.SIGNED_UP,
    AttendanceStatus.ATTENDED,
    AttendanceStatus.CONFIRMED,
    AttendanceStatus.DISPUTED,
    AttendanceStatus.ABSENT,
]


def is_giver(user: Viewer, session: GroupSession) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.pk == session.giver_id)


def is_coordinator(user: Viewer) -> bool:
    return isinstance(user, User) and user.is_coordinator


def can_see_attendees(user: Viewer, session: GroupSession, attendance_status: str | None) -> bool:
    """The giver, coordinators and the session's own attendees; not other members."""
    if is_giver(user, session) or is_coordinator(user):
        return True
    return attendance_status in SEES_ATTENDEES


def can_resolve(user: Viewer, session: GroupSession) -> bool:
    """Coordinators, before the session is settled, closed or cancelled."""
    return is_coordinator(user) and session.status in (
        SessionStatus.OPEN,
        SessionStatus.DELIVERED,
    )
