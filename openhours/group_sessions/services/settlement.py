"""Settling a delivered session: credits move once, through the ledger, under the session's
row lock; the rule for a payment the ledger refuses is in docs/ledger.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import minutes_in_words
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import spendable_minutes
from openhours.ledger.services import LimitExceeded, pay_for_group_session

from ..models import Attendance, AttendanceStatus, EventVerb, GroupSession, SessionStatus
from . import _common as c


def settle_session(
    *, session: GroupSession, actor: User | None = None, now: datetime | None = None
) -> GroupSession:
    """Settle a delivered session that is due: every attendee has answered, or the waiting
    period (``OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS``) has passed, in which case attendees
    who didn't answer are confirmed automatically. Settling twice is harmless: the second
    call finds the session settled and returns it."""
    now = now or timezone.now()
    with transaction.atomic():
        session = c.lock(session)
        if session.status in (SessionStatus.SETTLED, SessionStatus.CLOSED):
            return session
        if session.status != SessionStatus.DELIVERED:
            raise DomainError(c.NOT_DELIVERED)
        assert session.delivered_at is not None  # by constraint, once delivered
        overdue = session.delivered_at <= now - timedelta(days=c.auto_confirm_days())
        waiting = session.attendances.filter(status=AttendanceStatus.ATTENDED).exists()
        if waiting and not overdue:
            raise DomainError(c.WAITING)
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
    cutoff = now - timedelta(days=c.auto_confirm_days())
    due = GroupSession.objects.filter(status=SessionStatus.DELIVERED).filter(
        Q(delivered_at__lte=cutoff) | ~Q(needs_attention="")
    )
    counts = {SessionStatus.SETTLED: 0, SessionStatus.CLOSED: 0, SessionStatus.DELIVERED: 0}
    for session_id in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            session = c.lock(GroupSession(pk=session_id))
            if session.status != SessionStatus.DELIVERED:
                continue  # someone else settled it since we looked
            _settle_locked(session, actor=None, now=now)
            counts[SessionStatus(session.status)] += 1
    return SettlementRun(
        settled=counts[SessionStatus.SETTLED],
        closed=counts[SessionStatus.CLOSED],
        blocked=counts[SessionStatus.DELIVERED],
    )


def settle_if_everyone_answered(session: GroupSession, *, actor: User, now: datetime) -> None:
    """Settle the (locked) session once no attendee is left to answer."""
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
    for attendance in c.attendances(session, [AttendanceStatus.ATTENDED]):
        attendance.status = AttendanceStatus.CONFIRMED
        attendance.confirmed_automatically = True
        attendance.responded_at = now
        attendance.save(update_fields=["status", "confirmed_automatically", "responded_at"])
        c.record(session, EventVerb.AUTO_CONFIRMED, subject=attendance.member, now=now)
    paid = _pay(session, c.attendances(session, [AttendanceStatus.CONFIRMED]), actor=actor)
    if isinstance(paid, str):
        _block(session, paid, now=now)
        return
    transfer, payers, left_out = paid
    for attendance in payers:
        attendance.charged = True
        attendance.save(update_fields=["charged"])
    for attendance in left_out:
        attendance.charged = False
        attendance.save(update_fields=["charged"])
        c.record(session, EventVerb.LEFT_OUT, subject=attendance.member, now=now)
    session.status = SessionStatus.SETTLED if transfer is not None else SessionStatus.CLOSED
    session.transfer = transfer
    session.finished_at = now
    session.needs_attention = ""
    session.save(update_fields=["status", "transfer", "finished_at", "needs_attention"])
    if transfer is not None:
        c.record(session, EventVerb.SETTLED, actor=actor, now=now, transfer=transfer.pk)
    else:
        c.record(session, EventVerb.CLOSED, actor=actor, now=now)
    _tell_settled(session, payers=payers, left_out=left_out, actor=actor)


Paid = tuple[Transfer | None, list[Attendance], list[Attendance]]


def _pay(session: GroupSession, payers: list[Attendance], *, actor: User | None) -> Paid | str:
    """Ask the ledger for the session's one transfer, leaving out attendees it refuses for
    the lower limit: (the transfer or None when nobody is left, who pays, who was left out).
    A refusal no attendee explains is returned as its message instead."""
    assert session.delivered_minutes is not None and session.preparation_minutes is not None
    minutes = session.delivered_minutes
    left_out: list[Attendance] = []
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
        except LimitExceeded as refusal:
            short = [a for a in payers if spendable_minutes(a.member) < minutes]
            if not short:
                return refusal.message
            left_out += short
            payers = [a for a in payers if a not in short]
        else:
            return transfer, payers, left_out
    return None, payers, left_out


def _block(session: GroupSession, message: str, *, now: datetime) -> None:
    if session.needs_attention == message:
        return  # already recorded and coordinators already told
    session.needs_attention = message
    session.save(update_fields=["needs_attention"])
    c.record(session, EventVerb.BLOCKED, now=now, message=message)
    c.tell_coordinators(
        session,
        "group_session.blocked",
        f"The session “{session.title}” can't settle: {message}",
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
        c.tell(
            session.giver,
            "group_session.settled",
            f"“{session.title}” is settled: you earned {minutes_in_words(earned)}. Thank you.",
            session,
            actor=actor,
        )
    else:
        c.tell(
            session.giver,
            "group_session.closed",
            f"“{session.title}” closed without credits: nobody was left to pay.",
            session,
            actor=actor,
        )
    for attendance in payers:
        c.tell(
            attendance.member,
            "group_session.settled",
            f"“{session.title}” is settled: {minutes_in_words(minutes)} spent.",
            session,
            actor=actor,
        )
    for attendance in left_out:
        c.tell(
            attendance.member,
            "group_session.settled",
            f"“{session.title}” is settled. You weren't charged, because it would have taken "
            "you below your lower limit.",
            session,
            actor=actor,
        )
    if left_out:
        names = ", ".join(a.member.full_name for a in left_out)
        c.tell_coordinators(
            session,
            "group_session.left_out",
            f"“{session.title}” settled without charging {names}: below the lower limit.",
        )
