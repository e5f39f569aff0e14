"""The database backs the rules even when code bypasses the services."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from openhours.accounts.models import User
from openhours.core.models import AppendOnlyError
from openhours.group_sessions.models import (
    Attendance,
    GroupSession,
    SessionEvent,
    SessionStatus,
)

from .conftest import BEFORE, delivered_session, make_session

pytestmark = pytest.mark.django_db


def refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_the_giver_is_never_an_attendee(member: User, outsider: User) -> None:
    session = make_session(member)
    assert refused(
        lambda: Attendance.objects.create(session=session, member=member, signed_up_at=BEFORE)
    )
    attendance = Attendance.objects.create(session=session, member=outsider, signed_up_at=BEFORE)
    assert refused(lambda: Attendance.objects.filter(pk=attendance.pk).update(member=member))
    # nor can a session be handed to one of its attendees
    assert refused(lambda: GroupSession.objects.filter(pk=session.pk).update(giver=outsider))


def test_one_attendance_per_member_per_session(member: User, outsider: User) -> None:
    session = make_session(member)
    Attendance.objects.create(session=session, member=outsider, signed_up_at=BEFORE)
    assert refused(
        lambda: Attendance.objects.create(session=session, member=outsider, signed_up_at=BEFORE)
    )


@pytest.mark.parametrize(
    "change",
    [
        {"status": "postponed"},
        {"planned_minutes": 50},
        {"planned_minutes": 0},
        {"capacity": 0},
        {"online": False, "location": ""},
        {"status": SessionStatus.SETTLED},  # settled needs a transfer
        {"status": SessionStatus.DELIVERED},  # delivered needs the delivery recorded
        {"status": SessionStatus.CANCELLED},  # finished needs a time
        {"delivered_minutes": 60},  # delivery is recorded all at once
    ],
)
def test_session_constraints(member: User, change: dict) -> None:
    session = make_session(member)
    assert refused(lambda: GroupSession.objects.filter(pk=session.pk).update(**change))


def test_delivery_constraints(member: User, outsider: User) -> None:
    session = delivered_session(member, [outsider], minutes=60, preparation=15)
    rows = GroupSession.objects.filter(pk=session.pk)
    assert refused(lambda: rows.update(preparation_minutes=75))  # more than the session
    assert refused(lambda: rows.update(preparation_minutes=20))  # not quarter hours
    assert refused(lambda: rows.update(status=SessionStatus.OPEN))  # open after delivery
    assert not refused(lambda: rows.update(preparation_minutes=0))


def test_attendance_constraints(member: User, outsider: User) -> None:
    session = delivered_session(member, [outsider])
    rows = Attendance.objects.filter(session=session)
    assert refused(lambda: rows.update(status="disputed"))  # needs a reason and a time
    assert refused(lambda: rows.update(charged=True))  # only confirmed attendees pay
    assert refused(lambda: rows.update(status="maybe"))


def test_session_events_are_append_only(member: User) -> None:
    session = make_session(member)
    event = session.events.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SessionEvent.objects.filter(pk=event.pk).update(verb="settled")
    with pytest.raises(AppendOnlyError):
        SessionEvent.objects.all().delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE group_sessions_sessionevent SET verb = 'settled' WHERE id = %s",
            [event.pk],
        )
    event.refresh_from_db()
    assert event.verb == "created"
