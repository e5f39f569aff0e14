"""Who is told what, and when."""

from __future__ import annotations

import pytest

from openhours.accounts.models import User
from openhours.group_sessions import services
from openhours.notifications.models import Notification

from .conftest import BEFORE, delivered_session, make_session
from .factories import adjust_balance

pytestmark = pytest.mark.django_db


def told(user: User, verb: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, verb=verb))


def test_the_giver_hears_of_sign_ups_and_attendees_of_a_cancellation(
    member: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    session = make_session(member)
    services.sign_up(session=session, member=asha, now=BEFORE)
    services.sign_up(session=session, member=ben, now=BEFORE)
    services.withdraw(session=session, member=ben)
    notes = told(member, "group_session.signed_up")
    assert sorted(n.message.split(" signed up")[0] for n in notes) == [
        "Asha Attendee",
        "Ben Attendee",
    ]
    assert {n.url for n in notes} == {f"/sessions/{session.pk}/"}
    services.cancel_session(session=session, actor=member, reason="Ward too busy")
    assert "Ward too busy" in told(asha, "group_session.cancelled")[0].message
    assert told(ben, "group_session.cancelled") == []  # withdrew already
    assert told(member, "group_session.cancelled") == []  # nobody is told of their own act


def test_delivery_asks_attendees_to_act_and_settlement_tells_everyone(
    member: User, attendees: list[User]
) -> None:
    asha, ben, chloe = attendees
    session = delivered_session(member, [asha, ben], absent=[chloe])
    (ask,) = told(asha, "group_session.delivered")
    assert ask.needs_action
    assert told(chloe, "group_session.delivered") == []
    services.confirm_attendance(session=session, member=asha)
    services.dispute_attendance(session=session, member=ben, reason="On leave")
    assert "On leave" in told(member, "group_session.disputed")[0].message
    assert "you earned 1 hour" in told(member, "group_session.settled")[0].message
    assert "1 hour spent" in told(asha, "group_session.settled")[0].message


def test_coordinators_hear_when_an_attendee_is_left_out_or_settlement_is_blocked(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    adjust_balance(coordinator, ben, -600)
    session = delivered_session(member, [asha, ben])
    services.confirm_attendance(session=session, member=ben)
    services.confirm_attendance(session=session, member=asha)  # settles it
    assert "without charging Ben Attendee" in told(coordinator, "group_session.left_out")[0].message
    assert "weren't charged" in told(ben, "group_session.settled")[0].message

    blocked = delivered_session(member, [asha], preparation=60)  # the pool is empty
    services.confirm_attendance(session=blocked, member=asha)
    services.settle_due_sessions(now=blocked.delivered_at.replace(year=2031))
    (alert,) = told(coordinator, "group_session.blocked")
    assert alert.needs_action and "community pool" in alert.message


def test_confirming_attendance_clears_the_request_to_confirm(
    member: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    session = delivered_session(member, [asha, ben])
    (ask,) = told(asha, "group_session.delivered")
    assert ask.read_at is None
    services.confirm_attendance(session=session, member=asha)
    ask.refresh_from_db()
    assert ask.read_at is not None
    (ben_ask,) = told(ben, "group_session.delivered")
    assert ben_ask.read_at is None  # only the member who acted
