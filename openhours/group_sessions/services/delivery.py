"""After a session runs: the giver records it, attendees confirm or dispute, and a
coordinator may take an attendee out. The last answer settles the session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import is_quarter_hours

from ..models import (
    Attendance,
    AttendanceStatus,
    EventVerb,
    GroupSession,
    SessionStatus,
)
from . import _common as c
from .settlement import settle_if_everyone_answered


def record_delivery(
    *,
    session: GroupSession,
    giver: User,
    delivered_minutes: int,
    preparation_minutes: int,
    attendees: Sequence[User],
    now: datetime | None = None,
) -> GroupSession:
    """The giver records how long it ran, their preparation and who came.

    Preparation is paid once, in quarter hours, up to the session's length: a generous
    allowance that still keeps the pool's share honest.
    """
    now = now or timezone.now()
    _check_delivered_time(delivered_minutes, preparation_minutes)
    with transaction.atomic():
        session = c.lock(session)
        if session.giver_id != giver.pk:
            raise DomainError(c.ONLY_GIVER)
        if session.status != SessionStatus.OPEN:
            raise DomainError("Delivery has already been recorded, or the session was cancelled.")
        if session.starts_at > now:
            raise DomainError(c.NOT_YET_STARTED)
        present = _mark_who_came(session, attendees)
        session.status = SessionStatus.DELIVERED
        session.delivered_minutes = delivered_minutes
        session.preparation_minutes = preparation_minutes
        session.delivered_at = now
        session.save(
            update_fields=["status", "delivered_minutes", "preparation_minutes", "delivered_at"]
        )
        c.record(
            session,
            EventVerb.DELIVERED,
            actor=giver,
            now=now,
            delivered_minutes=delivered_minutes,
            preparation_minutes=preparation_minutes,
            attendees=sorted(a.member_id for a in present),
        )
        for attendance in present:
            c.tell(
                attendance.member,
                "group_session.delivered",
                f"{giver.full_name} recorded that you attended “{session.title}”. "
                "Please confirm, or tell us if you weren't there.",
                session,
                actor=giver,
                needs_action=True,
            )
    return session


def _check_delivered_time(delivered_minutes: int, preparation_minutes: int) -> None:
    c.check_quarter_hours(delivered_minutes, field="delivered_hours", what="The session")
    if preparation_minutes < 0 or not is_quarter_hours(preparation_minutes):
        raise DomainError("Use quarter hours for preparation, or 0.", field="preparation_hours")
    if preparation_minutes > delivered_minutes:
        raise DomainError(
            "Preparation can be paid up to the length of the session.",
            field="preparation_hours",
        )


def _mark_who_came(session: GroupSession, attendees: Sequence[User]) -> list[Attendance]:
    """Mark each signed-up member attended or absent (the caller holds the session lock);
    return the attendances of those who came, in key order."""
    signed_up = {a.member_id: a for a in c.attendances(session, [AttendanceStatus.SIGNED_UP])}
    present_ids = {user.pk for user in attendees}
    if not present_ids:
        raise DomainError(c.NOBODY_ATTENDED, field="attendees")
    if not present_ids <= signed_up.keys():
        raise DomainError(
            "Only members who signed up can be marked as attending.", field="attendees"
        )
    for member_id, attendance in signed_up.items():
        present = member_id in present_ids
        attendance.status = AttendanceStatus.ATTENDED if present else AttendanceStatus.ABSENT
        attendance.save(update_fields=["status"])
    return [a for a in signed_up.values() if a.member_id in present_ids]


def confirm_attendance(
    *, session: GroupSession, member: User, now: datetime | None = None
) -> GroupSession:
    return _respond(session=session, member=member, disputed=False, reason="", now=now)


def dispute_attendance(
    *, session: GroupSession, member: User, reason: str, now: datetime | None = None
) -> GroupSession:
    reason = reason.strip()
    if not reason:
        raise DomainError(c.DISPUTE_REASON_NEEDED, field="reason")
    return _respond(session=session, member=member, disputed=True, reason=reason, now=now)


def _respond(
    *, session: GroupSession, member: User, disputed: bool, reason: str, now: datetime | None
) -> GroupSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        if session.status != SessionStatus.DELIVERED:
            raise DomainError(c.NOT_DELIVERED)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is None or attendance.status not in (
            AttendanceStatus.ATTENDED,
            AttendanceStatus.CONFIRMED,
            AttendanceStatus.DISPUTED,
        ):
            raise DomainError(c.NOT_AN_ATTENDEE)
        if attendance.status != AttendanceStatus.ATTENDED:
            raise DomainError(c.ALREADY_RESPONDED)
        attendance.status = AttendanceStatus.DISPUTED if disputed else AttendanceStatus.CONFIRMED
        attendance.reason = reason
        attendance.responded_at = now
        attendance.save(update_fields=["status", "reason", "responded_at"])
        verb = EventVerb.DISPUTED if disputed else EventVerb.CONFIRMED
        c.record(session, verb, actor=member, subject=member, now=now, reason=reason)
        if disputed:
            c.tell(
                session.giver,
                "group_session.disputed",
                f"{member.full_name} says they weren't at “{session.title}”: {reason}",
                session,
                actor=member,
            )
        settle_if_everyone_answered(session, actor=member, now=now)
    return session


def remove_attendee(
    *, session: GroupSession, coordinator: User, member: User, reason: str
) -> GroupSession:
    """A coordinator takes an attendee out before settlement (they won't pay)."""
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        c.require_coordinator_not_giver(coordinator, session)
        if not reason:
            raise DomainError(c.REASON_NEEDED, field="reason")
        if session.status not in (SessionStatus.OPEN, SessionStatus.DELIVERED):
            raise DomainError(c.FINISHED_ALREADY)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is None or attendance.status not in c.STILL_IN:
            raise DomainError("That member isn't taking part in this session.", field="member")
        attendance.status = AttendanceStatus.REMOVED
        attendance.reason = reason
        attendance.save(update_fields=["status", "reason"])
        c.record(
            session, EventVerb.REMOVED, actor=coordinator, subject=member, now=now, reason=reason
        )
        c.tell(
            member,
            "group_session.removed",
            f"A coordinator removed you from “{session.title}”: {reason}",
            session,
            actor=coordinator,
        )
        if session.status == SessionStatus.DELIVERED:
            settle_if_everyone_answered(session, actor=coordinator, now=now)
    return session
