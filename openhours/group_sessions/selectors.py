"""Reads of group sessions: the listing, a member's own sessions and one session's page."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer

from .models import Attendance, AttendanceStatus, GroupSession, SessionEvent, SessionStatus

_SEATS_TAKEN = Count("attendances", filter=Q(attendances__status=AttendanceStatus.SIGNED_UP))


def upcoming_sessions(*, now: datetime) -> QuerySet[GroupSession]:
    """Open sessions that haven't started, soonest first, with ``seats_taken``."""
    return (
        GroupSession.objects.filter(status=SessionStatus.OPEN, starts_at__gt=now)
        .select_related("giver")
        .annotate(seats_taken=_SEATS_TAKEN)
        .order_by("starts_at", "pk")
    )


def sessions_for_member(user: User) -> QuerySet[GroupSession]:
    """Sessions the member runs or takes part in (not ones they withdrew from), newest
    first."""
    taking_part = Attendance.objects.filter(member=user).exclude(status=AttendanceStatus.WITHDRAWN)
    return (
        GroupSession.objects.filter(Q(giver=user) | Q(pk__in=taking_part.values("session_id")))
        .select_related("giver")
        .annotate(seats_taken=_SEATS_TAKEN)
        .order_by("-starts_at", "-pk")
    )


def all_sessions() -> QuerySet[GroupSession]:
    """Every session, for coordinators: those needing attention first, then newest."""
    flagged = Case(When(~Q(needs_attention=""), then=Value(1)), default=Value(0))
    return (
        GroupSession.objects.select_related("giver")
        .annotate(seats_taken=_SEATS_TAKEN, flagged=flagged)
        .order_by("-flagged", "-starts_at", "-pk")
    )


def get_session_for_viewer(session_id: int, viewer: Viewer) -> GroupSession:
    """The one way a view obtains a session. Every signed-in member may read a session's
    details; who may see its attendees is decided by permissions.can_see_attendees."""
    return get_object_or_404(
        GroupSession.objects.select_related("giver", "offer", "transfer").annotate(
            seats_taken=_SEATS_TAKEN
        ),
        pk=session_id,
    )


def attendance_of(session: GroupSession, user: User) -> Attendance | None:
    return Attendance.objects.filter(session=session, member=user).first()


def attendances(session: GroupSession) -> list[Attendance]:
    """Everyone who signed up, in sign-up order, with what became of them."""
    return list(session.attendances.select_related("member").order_by("signed_up_at", "pk"))


def signed_up_members(session: GroupSession) -> QuerySet[User]:
    return User.objects.filter(
        session_attendances__session=session,
        session_attendances__status=AttendanceStatus.SIGNED_UP,
    ).order_by("full_name", "pk")


def attendees_to_remove(session: GroupSession) -> QuerySet[User]:
    """Members still taking part, whom a coordinator may remove."""
    return User.objects.filter(
        session_attendances__session=session,
        session_attendances__status__in=[
            AttendanceStatus.SIGNED_UP,
            AttendanceStatus.ATTENDED,
            AttendanceStatus.CONFIRMED,
            AttendanceStatus.DISPUTED,
        ],
    ).order_by("full_name", "pk")


def events(session: GroupSession) -> list[SessionEvent]:
    return list(session.events.select_related("actor", "subject").order_by("created_at", "pk"))
