"""Writes to group sessions: the only way a session or an attendance changes state.

Drivable from plain code (views, the settle command, the demo-data generator)::

    details = SessionDetails(title=..., description=..., starts_at=..., planned_minutes=60,
                             capacity=12, online=True, location="", offer=None)
    session = create_session(giver=gil, details=details, now=None)
    sign_up(session=session, member=asha, now=None) -> Attendance
    withdraw(session=session, member=asha) -> Attendance
    cancel_session(session=session, actor=gil_or_coordinator, reason="") -> GroupSession
    record_delivery(session=session, giver=gil, delivered_minutes=60, preparation_minutes=30,
                    attendees=[asha, ben], now=None) -> GroupSession
    confirm_attendance(session=session, member=asha, now=None) -> GroupSession
    dispute_attendance(session=session, member=ben, reason="I wasn't there", now=None)
    remove_attendee(session=session, coordinator=cole, member=ben, reason=...) -> GroupSession
    settle_session(session=session, actor=None, now=None) -> GroupSession
    settle_due_sessions(now=None) -> SettlementRun      # what settle_group_sessions runs

Every function takes keyword-only arguments, runs in one transaction, and raises
``core.errors.DomainError`` (message, field) when a rule says no. ``now`` exists so tests
and the demo generator can place a session in time; it defaults to the current time.

Workflow (docs/ledger.md, "Group sessions"): open -> delivered -> settled (credits moved
once through ``ledger.services.pay_for_group_session``) or closed (nobody left to pay);
open or delivered -> cancelled.

Locking: every write locks the session row first (``select_for_update``). That one lock
guards the session and all its attendances, so capacity checks, the last confirmation and
the settle command never interleave; the ledger then locks accounts in its own order
(always after the session row, so the order is fixed and nothing deadlocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import Role, User
from openhours.core.errors import DomainError
from openhours.ledger.formatting import minutes_in_words
from openhours.ledger.selectors import spendable_minutes
from openhours.ledger.services import LimitExceeded, pay_for_group_session
from openhours.notifications.services import clear_for_url, notify
from openhours.posts.models import Kind, Post
from openhours.posts.models import Status as PostStatus

from .models import (
    MAX_CAPACITY,
    MAX_SESSION_MINUTES,
    QUARTER_HOUR,
    Attendance,
    AttendanceStatus,
    EventVerb,
    GroupSession,
    SessionEvent,
    SessionStatus,
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
ONLY_COORDINATORS = "Only coordinators can do that."
OWN_SESSION = "You run this session; ask another coordinator."
FINISHED_ALREADY = "This session is already settled, closed or cancelled."
WAITING = "Some attendees haven't answered yet; it settles once they do, or automatically."
APPROVAL_NEEDED = "Your membership is waiting for a coordinator's approval."


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


def auto_confirm_days() -> int:
    # Shared with one-to-one exchanges: one waiting period for every kind of confirmation.
    return int(settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS)


# --- creating and signing up -------------------------------------------------------------


def create_session(
    *, giver: User, details: SessionDetails, now: datetime | None = None
) -> GroupSession:
    if not giver.is_approved:
        raise DomainError(APPROVAL_NEEDED)
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
        _record(session, EventVerb.CREATED, actor=giver, now=now)
    return session


def _validate(*, giver: User, details: SessionDetails, now: datetime) -> None:
    if not details.title.strip():
        raise DomainError("Give the session a title.", field="title")
    if not details.description.strip():
        raise DomainError("Say what the session covers and who it is for.", field="description")
    if details.starts_at <= now:
        raise DomainError("Choose a date and time in the future.", field="starts_at")
    _check_quarter_hours(details.planned_minutes, field="planned_hours", what="The session")
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise DomainError(f"Allow between 1 and {MAX_CAPACITY} attendees.", field="capacity")
    if not details.online and not details.location.strip():
        raise DomainError("Say where, or mark it as online.", field="location")
    offer = details.offer
    if offer is not None and (
        offer.author_id != giver.pk or offer.kind != Kind.OFFER or offer.status != PostStatus.OPEN
    ):
        raise DomainError("Choose one of your own open offers.", field="offer")


def _check_quarter_hours(minutes: int, *, field: str, what: str) -> None:
    if not QUARTER_HOUR <= minutes <= MAX_SESSION_MINUTES:
        raise DomainError(
            f"{what} must last between a quarter of an hour and {MAX_SESSION_MINUTES // 60} hours.",
            field=field,
        )
    if minutes % QUARTER_HOUR:
        raise DomainError("Use quarter hours, for example 0.75 or 1.5.", field=field)


def sign_up(*, session: GroupSession, member: User, now: datetime | None = None) -> Attendance:
    if not member.is_approved:
        raise DomainError(APPROVAL_NEEDED)
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session)
        if session.giver_id == member.pk:
            raise DomainError(GIVER_CANNOT_ATTEND)
        if session.status != SessionStatus.OPEN:
            raise DomainError(NOT_OPEN)
        if session.starts_at <= now:
            raise DomainError(ALREADY_STARTED)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is not None and attendance.status == AttendanceStatus.SIGNED_UP:
            raise DomainError(ALREADY_SIGNED_UP)
        if attendance is not None and attendance.status == AttendanceStatus.REMOVED:
            raise DomainError("A coordinator removed you from this session.")
        # Counted under the session lock, so two last sign-ups can't both get the last seat.
        taken = session.attendances.filter(status=AttendanceStatus.SIGNED_UP).count()
        if taken >= session.capacity:
            raise DomainError(FULL)
        if attendance is None:
            attendance = Attendance.objects.create(session=session, member=member, signed_up_at=now)
        else:  # signing up again after withdrawing
            attendance.status = AttendanceStatus.SIGNED_UP
            attendance.signed_up_at = now
            attendance.save(update_fields=["status", "signed_up_at"])
        _record(session, EventVerb.SIGNED_UP, actor=member, subject=member, now=now)
        _tell(
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
        session = _lock(session)
        if session.status != SessionStatus.OPEN:
            raise DomainError(NOT_OPEN)
        attendance = _attendance(session, member, AttendanceStatus.SIGNED_UP, NOT_SIGNED_UP)
        attendance.status = AttendanceStatus.WITHDRAWN
        attendance.save(update_fields=["status"])
        _record(session, EventVerb.WITHDREW, actor=member, subject=member, now=now)
    return attendance


def cancel_session(*, session: GroupSession, actor: User, reason: str = "") -> GroupSession:
    """The giver cancels while the session is open; a coordinator cancels any session that
    is not yet settled, closed or cancelled, and must give a reason."""
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        session = _lock(session)
        if session.giver_id == actor.pk:
            if session.status != SessionStatus.OPEN:
                raise DomainError(
                    "You've recorded this session as delivered, so only a coordinator can "
                    "cancel it now."
                    if session.status == SessionStatus.DELIVERED
                    else FINISHED_ALREADY
                )
        else:
            _require_coordinator(actor, session)
            if not reason:
                raise DomainError(REASON_NEEDED, field="reason")
            if session.status not in (SessionStatus.OPEN, SessionStatus.DELIVERED):
                raise DomainError(FINISHED_ALREADY)
        session.status = SessionStatus.CANCELLED
        session.finished_at = now
        session.cancel_reason = reason
        session.needs_attention = ""
        session.save(update_fields=["status", "finished_at", "cancel_reason", "needs_attention"])
        _record(session, EventVerb.CANCELLED, actor=actor, now=now, reason=reason)
        people = [a.member for a in _attendances(session, _STILL_IN)]
        if session.giver_id != actor.pk:
            people.append(session.giver)
        because = f" Reason: {reason}" if reason else ""
        for person in people:
            _tell(
                person,
                "group_session.cancelled",
                f"The session “{session.title}” has been cancelled.{because}",
                session,
                actor=actor,
            )
    return session


# Attendances still part of the session at each stage (not withdrawn or removed).
_STILL_IN = [
    AttendanceStatus.SIGNED_UP,
    AttendanceStatus.ATTENDED,
    AttendanceStatus.CONFIRMED,
    AttendanceStatus.DISPUTED,
]


# --- after the session ---------------------------------------------------------------------


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
    _check_quarter_hours(delivered_minutes, field="delivered_hours", what="The session")
    if preparation_minutes < 0 or preparation_minutes % QUARTER_HOUR:
        raise DomainError("Use quarter hours for preparation, or 0.", field="preparation_hours")
    if preparation_minutes > delivered_minutes:
        raise DomainError(
            "Preparation can be paid up to the length of the session.",
            field="preparation_hours",
        )
    with transaction.atomic():
        session = _lock(session)
        if session.giver_id != giver.pk:
            raise DomainError(ONLY_GIVER)
        if session.status != SessionStatus.OPEN:
            raise DomainError("Delivery has already been recorded, or the session was cancelled.")
        if session.starts_at > now:
            raise DomainError(NOT_YET_STARTED)
        signed_up = {a.member_id: a for a in _attendances(session, [AttendanceStatus.SIGNED_UP])}
        present_ids = {user.pk for user in attendees}
        if not present_ids:
            raise DomainError(NOBODY_ATTENDED, field="attendees")
        if not present_ids <= signed_up.keys():
            raise DomainError(
                "Only members who signed up can be marked as attending.", field="attendees"
            )
        for member_id, attendance in signed_up.items():
            present = member_id in present_ids
            attendance.status = AttendanceStatus.ATTENDED if present else AttendanceStatus.ABSENT
            attendance.save(update_fields=["status"])
        session.status = SessionStatus.DELIVERED
        session.delivered_minutes = delivered_minutes
        session.preparation_minutes = preparation_minutes
        session.delivered_at = now
        session.save(
            update_fields=["status", "delivered_minutes", "preparation_minutes", "delivered_at"]
        )
        _record(
            session,
            EventVerb.DELIVERED,
            actor=giver,
            now=now,
            delivered_minutes=delivered_minutes,
            preparation_minutes=preparation_minutes,
            attendees=sorted(present_ids),
        )
        for attendance in signed_up.values():
            if attendance.member_id in present_ids:
                _tell(
                    attendance.member,
                    "group_session.delivered",
                    f"{giver.full_name} recorded that you attended “{session.title}”. "
                    "Please confirm, or tell us if you weren't there.",
                    session,
                    actor=giver,
                    needs_action=True,
                )
    return session


def confirm_attendance(
    *, session: GroupSession, member: User, now: datetime | None = None
) -> GroupSession:
    return _respond(session=session, member=member, disputed=False, reason="", now=now)


def dispute_attendance(
    *, session: GroupSession, member: User, reason: str, now: datetime | None = None
) -> GroupSession:
    reason = reason.strip()
    if not reason:
        raise DomainError(DISPUTE_REASON_NEEDED, field="reason")
    return _respond(session=session, member=member, disputed=True, reason=reason, now=now)


def _respond(
    *, session: GroupSession, member: User, disputed: bool, reason: str, now: datetime | None
) -> GroupSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session)
        if session.status != SessionStatus.DELIVERED:
            raise DomainError(NOT_DELIVERED)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is None or attendance.status not in (
            AttendanceStatus.ATTENDED,
            AttendanceStatus.CONFIRMED,
            AttendanceStatus.DISPUTED,
        ):
            raise DomainError(NOT_AN_ATTENDEE)
        if attendance.status != AttendanceStatus.ATTENDED:
            raise DomainError(ALREADY_RESPONDED)
        attendance.status = AttendanceStatus.DISPUTED if disputed else AttendanceStatus.CONFIRMED
        attendance.reason = reason
        attendance.responded_at = now
        attendance.save(update_fields=["status", "reason", "responded_at"])
        verb = EventVerb.DISPUTED if disputed else EventVerb.CONFIRMED
        _record(session, verb, actor=member, subject=member, now=now, reason=reason)
        if disputed:
            _tell(
                session.giver,
                "group_session.disputed",
                f"{member.full_name} says they weren't at “{session.title}”: {reason}",
                session,
                actor=member,
            )
        _settle_if_everyone_answered(session, actor=member, now=now)
    return session


def remove_attendee(
    *, session: GroupSession, coordinator: User, member: User, reason: str
) -> GroupSession:
    """A coordinator takes an attendee out before settlement (they won't pay)."""
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        session = _lock(session)
        _require_coordinator(coordinator, session)
        if not reason:
            raise DomainError(REASON_NEEDED, field="reason")
        if session.status not in (SessionStatus.OPEN, SessionStatus.DELIVERED):
            raise DomainError(FINISHED_ALREADY)
        attendance = Attendance.objects.filter(session=session, member=member).first()
        if attendance is None or attendance.status not in _STILL_IN:
            raise DomainError("That member isn't taking part in this session.", field="member")
        attendance.status = AttendanceStatus.REMOVED
        attendance.reason = reason
        attendance.save(update_fields=["status", "reason"])
        _record(
            session, EventVerb.REMOVED, actor=coordinator, subject=member, now=now, reason=reason
        )
        _tell(
            member,
            "group_session.removed",
            f"A coordinator removed you from “{session.title}”: {reason}",
            session,
            actor=coordinator,
        )
        if session.status == SessionStatus.DELIVERED:
            _settle_if_everyone_answered(session, actor=coordinator, now=now)
    return session


# --- settlement ----------------------------------------------------------------------------


def settle_session(
    *, session: GroupSession, actor: User | None = None, now: datetime | None = None
) -> GroupSession:
    """Settle a delivered session that is due: every attendee has answered, or the waiting
    period (``OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS``) has passed, in which case attendees
    who didn't answer are confirmed automatically. Settling twice is harmless: the second
    call finds the session settled and returns it."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session)
        if session.status in (SessionStatus.SETTLED, SessionStatus.CLOSED):
            return session
        if session.status != SessionStatus.DELIVERED:
            raise DomainError(NOT_DELIVERED)
        assert session.delivered_at is not None  # by constraint, once delivered
        overdue = session.delivered_at <= now - timedelta(days=auto_confirm_days())
        waiting = session.attendances.filter(status=AttendanceStatus.ATTENDED).exists()
        if waiting and not overdue:
            raise DomainError(WAITING)
        _settle_locked(session, actor=actor, now=now)
    return session


@dataclass(frozen=True)
class SettlementRun:
    settled: int
    closed: int
    blocked: int


def settle_due_sessions(*, now: datetime | None = None) -> SettlementRun:
    """Settle every delivered session whose waiting period is over, and retry any that the
    ledger refused before. Each session is settled in its own transaction under its row
    lock, so overlapping runs (or a member confirming at the same moment) settle it once."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=auto_confirm_days())
    due = GroupSession.objects.filter(status=SessionStatus.DELIVERED).filter(
        Q(delivered_at__lte=cutoff) | ~Q(needs_attention="")
    )
    counts = {SessionStatus.SETTLED: 0, SessionStatus.CLOSED: 0, SessionStatus.DELIVERED: 0}
    for session_id in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            session = _lock(GroupSession(pk=session_id))
            if session.status != SessionStatus.DELIVERED:
                continue  # someone else settled it since we looked
            _settle_locked(session, actor=None, now=now)
            counts[SessionStatus(session.status)] += 1
    return SettlementRun(
        settled=counts[SessionStatus.SETTLED],
        closed=counts[SessionStatus.CLOSED],
        blocked=counts[SessionStatus.DELIVERED],
    )


def _settle_if_everyone_answered(session: GroupSession, *, actor: User, now: datetime) -> None:
    if not session.attendances.filter(status=AttendanceStatus.ATTENDED).exists():
        _settle_locked(session, actor=actor, now=now)


def _settle_locked(session: GroupSession, *, actor: User | None, now: datetime) -> None:
    """Move the credits once. The caller holds the session's row lock.

    The limit rule (docs/ledger.md): an attendee whose payment the ledger refuses because
    it would take them below the lower limit is *left out* — the session settles without
    them (``charged=False``) and coordinators are told, so one member can't hold everyone's
    credits back. If the ledger still refuses with no attendee to blame (the giver would
    pass the upper limit, or the pool can't cover preparation), the session stays delivered,
    ``needs_attention`` says why, coordinators are told once, and the settle command retries
    on every run until it goes through or a coordinator resolves it.
    """
    assert session.delivered_minutes is not None and session.preparation_minutes is not None
    minutes = session.delivered_minutes
    for attendance in _attendances(session, [AttendanceStatus.ATTENDED]):
        attendance.status = AttendanceStatus.CONFIRMED
        attendance.confirmed_automatically = True
        attendance.responded_at = now
        attendance.save(update_fields=["status", "confirmed_automatically", "responded_at"])
        _record(session, EventVerb.AUTO_CONFIRMED, subject=attendance.member, now=now)
    payers = _attendances(session, [AttendanceStatus.CONFIRMED])
    left_out: list[tuple[Attendance, str]] = []
    transfer = None
    while payers:
        try:
            transfer = pay_for_group_session(
                giver=session.giver,
                receivers=[attendance.member for attendance in payers],
                minutes_each=minutes,
                preparation_minutes=session.preparation_minutes,
                reference=f"session:{session.pk}",
                created_by=actor,
                idempotency_key=f"session:{session.pk}:settle",
                memo=session.title[:200],
            )
            break
        except LimitExceeded as refusal:
            short = [a for a in payers if spendable_minutes(a.member) < minutes]
            if not short:
                _block(session, refusal.message, now=now)
                return
            left_out += [(a, refusal.message) for a in short]
            payers = [a for a in payers if a not in short]
    for attendance in payers:
        attendance.charged = True
        attendance.save(update_fields=["charged"])
    for attendance, _message in left_out:
        attendance.charged = False
        attendance.save(update_fields=["charged"])
        _record(session, EventVerb.LEFT_OUT, subject=attendance.member, now=now)
    session.status = SessionStatus.SETTLED if transfer is not None else SessionStatus.CLOSED
    session.transfer = transfer
    session.finished_at = now
    session.needs_attention = ""
    session.save(update_fields=["status", "transfer", "finished_at", "needs_attention"])
    if transfer is not None:
        _record(session, EventVerb.SETTLED, actor=actor, now=now, transfer=transfer.pk)
    else:
        _record(session, EventVerb.CLOSED, actor=actor, now=now)
    _tell_settled(session, payers=payers, left_out=[a for a, _ in left_out], actor=actor)


def _block(session: GroupSession, message: str, *, now: datetime) -> None:
    if session.needs_attention == message:
        return  # already recorded and coordinators already told
    session.needs_attention = message
    session.save(update_fields=["needs_attention"])
    _record(session, EventVerb.BLOCKED, now=now, message=message)
    for coordinator in _coordinators():
        _tell(
            coordinator,
            "group_session.blocked",
            f"The session “{session.title}” can't settle: {message}",
            session,
            needs_action=True,
        )


def _tell_settled(
    session: GroupSession,
    *,
    payers: list[Attendance],
    left_out: list[Attendance],
    actor: User | None,
) -> None:
    minutes = session.delivered_minutes or 0
    if session.transfer is not None:
        earned = minutes + (session.preparation_minutes or 0)
        _tell(
            session.giver,
            "group_session.settled",
            f"“{session.title}” is settled: you earned {minutes_in_words(earned)}. Thank you.",
            session,
            actor=actor,
        )
    else:
        _tell(
            session.giver,
            "group_session.closed",
            f"“{session.title}” closed without credits: nobody was left to pay.",
            session,
            actor=actor,
        )
    for attendance in payers:
        _tell(
            attendance.member,
            "group_session.settled",
            f"“{session.title}” is settled: {minutes_in_words(minutes)} spent.",
            session,
            actor=actor,
        )
    for attendance in left_out:
        _tell(
            attendance.member,
            "group_session.settled",
            f"“{session.title}” is settled. You weren't charged, because it would have taken "
            "you below your lower limit.",
            session,
            actor=actor,
        )
    if left_out:
        names = ", ".join(a.member.full_name for a in left_out)
        for coordinator in _coordinators():
            _tell(
                coordinator,
                "group_session.left_out",
                f"“{session.title}” settled without charging {names}: below the lower limit.",
                session,
            )


# --- helpers -------------------------------------------------------------------------------


def _lock(session: GroupSession) -> GroupSession:
    # of=("self",): lock the session row only, never the giver's user row it joins.
    return (
        GroupSession.objects.select_for_update(of=("self",))
        .select_related("giver")
        .get(pk=session.pk)
    )


def _attendances(session: GroupSession, statuses: Sequence[str]) -> list[Attendance]:
    return list(
        session.attendances.filter(status__in=statuses).select_related("member").order_by("pk")
    )


def _attendance(session: GroupSession, member: User, status: str, refusal: str) -> Attendance:
    attendance = Attendance.objects.filter(session=session, member=member, status=status).first()
    if attendance is None:
        raise DomainError(refusal)
    return attendance


def _require_coordinator(actor: User, session: GroupSession) -> None:
    if not actor.is_coordinator:
        raise DomainError(ONLY_COORDINATORS)
    if actor.pk == session.giver_id:
        raise DomainError(OWN_SESSION)


def _coordinators() -> list[User]:
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk"))


def _record(
    session: GroupSession,
    verb: EventVerb,
    *,
    now: datetime,
    actor: User | None = None,
    subject: User | None = None,
    **data: Any,
) -> None:
    SessionEvent.objects.create(
        session=session, actor=actor, verb=verb, subject=subject, data=data, created_at=now
    )
    if actor is not None:  # whoever acted has answered what the session asked of them
        clear_for_url(user=actor, url=reverse("group_sessions:detail", args=[session.pk]))


def _tell(
    recipient: User,
    verb: str,
    message: str,
    session: GroupSession,
    *,
    actor: User | None = None,
    needs_action: bool = False,
) -> None:
    """In-app notification (and email, per the recipient's choice, after commit)."""
    notify(
        recipient=recipient,
        verb=verb,
        message=message[:500],
        url=reverse("group_sessions:detail", args=[session.pk]),
        actor=actor,
        needs_action=needs_action,
    )


__all__ = [
    "SessionDetails",
    "SettlementRun",
    "cancel_session",
    "confirm_attendance",
    "create_session",
    "dispute_attendance",
    "record_delivery",
    "remove_attendee",
    "settle_due_sessions",
    "settle_session",
    "sign_up",
    "withdraw",
]
