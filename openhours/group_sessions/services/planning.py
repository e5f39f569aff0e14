"""Before a session runs: creating it, signing up, withdrawing, cancelling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.posts.models import Kind, Post
from openhours.posts.models import Status as PostStatus

from ..models import (
    MAX_CAPACITY,
    Attendance,
    AttendanceStatus,
    EventVerb,
    GroupSession,
    SessionStatus,
)
from . import _common as c


@dataclass(frozen=True, kw_only=True)
class SessionDetails:
    title: str
    description: str
    starts_at: datetime
    planned_minutes: int
    capacity: int
    online: bool = True
    location: str = ""
    offer: Post | None = None


def create_session(
    *, giver: User, details: SessionDetails, now: datetime | None = None
) -> GroupSession:
    if not giver.is_approved:
        raise DomainError(c.APPROVAL_NEEDED)
    now = now or timezone.now()
    _validate(giver=giver, details=details, now=now)
    with transaction.atomic():
        session = GroupSession.objects.create(
            giver=giver,
            offer=details.offer,
            title=details.title.strip(),
            description=details.description.strip(),
            starts_at=details.starts_at,
            planned_minutes=details.planned_minutes,
            capacity=details.capacity,
            online=details.online,
            location=details.location.strip(),
            created_at=now,
        )
        c.record(session, EventVerb.CREATED, actor=giver, now=now)
    return session


def _validate(*, giver: User, details: SessionDetails, now: datetime) -> None:
    if not details.title.strip():
        raise DomainError("Give the session a title.", field="title")
    if not details.description.strip():
        raise DomainError("Say what the session covers and who it is for.", field="description")
    if details.starts_at <= now:
        raise DomainError("Choose a date and time in the future.", field="starts_at")
    c.check_quarter_hours(details.planned_minutes, field="planned_hours", what="The session")
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise DomainError(f"Allow between 1 and {MAX_CAPACITY} attendees.", field="capacity")
    if not details.online and not details.location.strip():
        raise DomainError("Say where, or mark it as online.", field="location")
    offer = details.offer
    if offer is not None and (
        offer.author_id != giver.pk or offer.kind != Kind.OFFER or offer.status != PostStatus.OPEN
    ):
        raise DomainError("Choose one of your own open offers.", field="offer")


def sign_up(*, session: GroupSession, member: User, now: datetime | None = None) -> Attendance:
    if not member.is_approved:
        raise DomainError(c.APPROVAL_NEEDED)
    now = now or timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        if session.giver_id == member.pk:
            raise DomainError(c.GIVER_CANNOT_ATTEND)
        if session.status != SessionStatus.OPEN:
            raise DomainError(c.NOT_OPEN)
        if session.starts_at <= now:
            raise DomainError(c.ALREADY_STARTED)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is not None and attendance.status == AttendanceStatus.SIGNED_UP:
            raise DomainError(c.ALREADY_SIGNED_UP)
        if attendance is not None and attendance.status == AttendanceStatus.REMOVED:
            raise DomainError("A coordinator removed you from this session.")
        # Counted under the session lock, so two last sign-ups can't both get the last seat.
        taken = session.attendances.filter(status=AttendanceStatus.SIGNED_UP).count()
        if taken >= session.capacity:
            raise DomainError(c.FULL)
        if attendance is None:
            attendance = Attendance.objects.create(session=session, member=member, signed_up_at=now)
        else:  # signing up again after withdrawing
            attendance.status = AttendanceStatus.SIGNED_UP
            attendance.signed_up_at = now
            attendance.save(update_fields=["status", "signed_up_at"])
        c.record(session, EventVerb.SIGNED_UP, actor=member, subject=member, now=now)
        c.tell(
            session.giver,
            "group_session.signed_up",
            f"{member.full_name} signed up for your session “{session.title}”.",
            session,
            actor=member,
        )
    return attendance


def withdraw(*, session: GroupSession, member: User) -> Attendance:
    now = timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        if session.status != SessionStatus.OPEN:
            raise DomainError(c.NOT_OPEN)
        attendance = c.attendance(session, member, AttendanceStatus.SIGNED_UP, c.NOT_SIGNED_UP)
        attendance.status = AttendanceStatus.WITHDRAWN
        attendance.save(update_fields=["status"])
        c.record(session, EventVerb.WITHDREW, actor=member, subject=member, now=now)
    return attendance


def cancel_session(*, session: GroupSession, actor: User, reason: str = "") -> GroupSession:
    """The giver cancels while the session is open; a coordinator cancels any session that
    is not yet settled, closed or cancelled, and must give a reason."""
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        _check_cancel(session, actor=actor, reason=reason)
        session.status = SessionStatus.CANCELLED
        session.finished_at = now
        session.cancel_reason = reason
        session.needs_attention = ""
        session.save(update_fields=["status", "finished_at", "cancel_reason", "needs_attention"])
        c.record(session, EventVerb.CANCELLED, actor=actor, now=now, reason=reason)
        people = [a.member for a in c.attendances(session, c.STILL_IN)]
        if session.giver_id != actor.pk:
            people.append(session.giver)
        because = f" Reason: {reason}" if reason else ""
        for person in people:
            c.tell(
                person,
                "group_session.cancelled",
                f"The session “{session.title}” has been cancelled.{because}",
                session,
                actor=actor,
            )
    return session


def _check_cancel(session: GroupSession, *, actor: User, reason: str) -> None:
    """Who may cancel the (locked) session now."""
    if session.giver_id == actor.pk:
        if session.status != SessionStatus.OPEN:
            raise DomainError(
                "You've recorded this session as delivered, so only a coordinator can "
                "cancel it now."
                if session.status == SessionStatus.DELIVERED
                else c.FINISHED_ALREADY
            )
        return
    c.require_coordinator_not_giver(actor, session)
    if not reason:
        raise DomainError(c.REASON_NEEDED, field="reason")
    if session.status not in (SessionStatus.OPEN, SessionStatus.DELIVERED):
        raise DomainError(c.FINISHED_ALREADY)
