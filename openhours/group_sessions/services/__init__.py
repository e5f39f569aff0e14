"""Writes to group sessions: the only way a session or an attendance changes state.

One module per topic: ``planning`` (create, sign up, withdraw, cancel), ``delivery``
(record what happened, confirm or dispute attendance, remove an attendee) and
``settlement`` (the one payment, and the settle command's run); ``_common`` holds the
refusals people see and the helpers they share, built on ``notifications.workflow`` (lock the row,
record the event, tell people), which exchanges use too.

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

Locking: every write locks the session row first (``_common.lock``, ``select_for_update``).
That one lock guards the session and all its attendances, so capacity checks, the last
confirmation and the settle command never interleave; the ledger then locks accounts in its
own order (always after the session row, so the order is fixed and nothing deadlocks).
"""

from ._common import (
    ALREADY_RESPONDED,
    ALREADY_SIGNED_UP,
    ALREADY_STARTED,
    APPROVAL_NEEDED,
    DISPUTE_REASON_NEEDED,
    FINISHED_ALREADY,
    FULL,
    GIVER_CANNOT_ATTEND,
    NOBODY_ATTENDED,
    NOT_AN_ATTENDEE,
    NOT_DELIVERED,
    NOT_OPEN,
    NOT_SIGNED_UP,
    NOT_YET_STARTED,
    ONLY_COORDINATORS,
    ONLY_GIVER,
    OWN_SESSION,
    REASON_NEEDED,
    WAITING,
    auto_confirm_days,
)
from .delivery import confirm_attendance, dispute_attendance, record_delivery, remove_attendee
from .planning import SessionDetails, cancel_session, create_session, sign_up, withdraw
from .settlement import SettlementRun, settle_due_sessions, settle_session

__all__ = [
    "ALREADY_RESPONDED",
    "ALREADY_SIGNED_UP",
    "ALREADY_STARTED",
    "APPROVAL_NEEDED",
    "DISPUTE_REASON_NEEDED",
    "FINISHED_ALREADY",
    "FULL",
    "GIVER_CANNOT_ATTEND",
    "NOBODY_ATTENDED",
    "NOT_AN_ATTENDEE",
    "NOT_DELIVERED",
    "NOT_OPEN",
    "NOT_SIGNED_UP",
    "NOT_YET_STARTED",
    "ONLY_COORDINATORS",
    "ONLY_GIVER",
    "OWN_SESSION",
    "REASON_NEEDED",
    "WAITING",
    "SessionDetails",
    "SettlementRun",
    "auto_confirm_days",
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
