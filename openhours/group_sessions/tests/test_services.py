"""The group-session workflow: every transition, every refusal and its message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.group_sessions import services
from openhours.group_sessions.models import (
    Attendance,
    AttendanceStatus,
    EventVerb,
    SessionStatus,
)
from openhours.posts.tests.factories import make_post

from .conftest import AFTER, BEFORE, START, delivered_session, make_session

pytestmark = pytest.mark.django_db


def verbs(session) -> list[str]:
    return list(session.events.order_by("pk").values_list("verb", flat=True))


# --- creating ------------------------------------------------------------------------------


def test_a_member_creates_an_open_session_linked_to_their_offer(member: User) -> None:
    offer = make_post(member, kind="offer", title="I teach PDSA cycles")
    session = make_session(member, offer=offer, online=False, location="Southmead, Bristol")
    assert session.status == SessionStatus.OPEN
    assert session.offer == offer
    assert session.location == "Southmead, Bristol"
    assert session.reference == f"session:{session.pk}"
    event = session.events.get()
    assert (event.verb, event.actor) == (EventVerb.CREATED, member)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the session a title."),
        ({"description": ""}, "description", "Say what the session covers and who it is for."),
        ({"starts_at": BEFORE - timedelta(hours=1)}, "starts_at", "Choose a date and time in"),
        ({"planned_minutes": 50}, "planned_hours", "Use quarter hours"),
        ({"planned_minutes": 0}, "planned_hours", "must last between a quarter of an hour"),
        ({"planned_minutes": 9 * 60}, "planned_hours", "and 8 hours"),
        ({"capacity": 0}, "capacity", "Allow between 1 and 200 attendees."),
        ({"online": False, "location": ""}, "location", "Say where, or mark it as online."),
    ],
)
def test_invalid_details_are_refused_beside_the_field(
    member: User, overrides: dict, field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refusal:
        make_session(member, **overrides)
    assert refusal.value.field == field
    assert message in refusal.value.message
    assert not member.sessions_given.exists()


def test_the_linked_offer_must_be_the_givers_own_open_offer(member: User, outsider: User) -> None:
    for post in [make_post(outsider, kind="offer"), make_post(member, kind="request")]:
        with pytest.raises(DomainError, match="Choose one of your own open offers") as refusal:
            make_session(member, offer=post)
        assert refusal.value.field == "offer"


def test_a_member_awaiting_approval_cannot_create_or_sign_up(member: User) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    with pytest.raises(DomainError, match="waiting for a coordinator's approval"):
        make_session(pending)
    session = make_session(member)
    with pytest.raises(DomainError, match="waiting for a coordinator's approval"):
        services.sign_up(session=session, member=pending, now=BEFORE)


# --- signing up and withdrawing ------------------------------------------------------------


def test_members_sign_up_withdraw_and_sign_up_again(member: User, outsider: User) -> None:
    session = make_session(member)
    attendance = services.sign_up(session=session, member=outsider, now=BEFORE)
    assert attendance.status == AttendanceStatus.SIGNED_UP
    services.withdraw(session=session, member=outsider)
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.WITHDRAWN
    services.sign_up(session=session, member=outsider, now=BEFORE)
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.SIGNED_UP
    assert Attendance.objects.filter(session=session).count() == 1
    assert verbs(session) == ["created", "signed_up", "withdrew", "signed_up"]


def test_sign_up_refusals(member: User, outsider: User, attendees: list[User]) -> None:
    session = make_session(member, capacity=1)
    with pytest.raises(DomainError, match=services.GIVER_CANNOT_ATTEND):
        services.sign_up(session=session, member=member, now=BEFORE)
    services.sign_up(session=session, member=outsider, now=BEFORE)
    with pytest.raises(DomainError, match=services.ALREADY_SIGNED_UP):
        services.sign_up(session=session, member=outsider, now=BEFORE)
    with pytest.raises(DomainError, match=services.FULL):
        services.sign_up(session=session, member=attendees[0], now=BEFORE)
    services.withdraw(session=session, member=outsider)  # frees the seat
    services.sign_up(session=session, member=attendees[0], now=BEFORE)
    with pytest.raises(DomainError, match=services.ALREADY_STARTED):
        services.sign_up(session=session, member=attendees[1], now=START)


def test_withdraw_refusals(member: User, outsider: User, attendees: list[User]) -> None:
    session = make_session(member)
    with pytest.raises(DomainError, match=services.NOT_SIGNED_UP):
        services.withdraw(session=session, member=outsider)
    session = delivered_session(member, attendees[:1])
    with pytest.raises(DomainError, match=services.NOT_OPEN):
        services.withdraw(session=session, member=attendees[0])
    with pytest.raises(DomainError, match=services.NOT_OPEN):
        services.sign_up(session=session, member=outsider, now=BEFORE)


# --- cancelling ----------------------------------------------------------------------------


def test_the_giver_cancels_an_open_session(member: User, attendees: list[User]) -> None:
    session = make_session(member)
    services.sign_up(session=session, member=attendees[0], now=BEFORE)
    services.cancel_session(session=session, actor=member)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.finished_at is not None
    assert verbs(session)[-1] == "cancelled"
    with pytest.raises(DomainError, match=services.NOT_OPEN):
        services.sign_up(session=session, member=attendees[1], now=BEFORE)
    with pytest.raises(DomainError, match=services.FINISHED_ALREADY):
        services.cancel_session(session=session, actor=member)


def test_cancel_refusals(
    member: User, outsider: User, coordinator: User, attendees: list[User]
) -> None:
    session = delivered_session(member, attendees[:1])
    with pytest.raises(DomainError, match="only a coordinator can cancel it now"):
        services.cancel_session(session=session, actor=member)
    with pytest.raises(DomainError, match=services.ONLY_COORDINATORS):
        services.cancel_session(session=session, actor=outsider, reason="Because")
    with pytest.raises(DomainError, match=services.REASON_NEEDED) as refusal:
        services.cancel_session(session=session, actor=coordinator, reason="  ")
    assert refusal.value.field == "reason"
    services.cancel_session(session=session, actor=coordinator, reason="Recorded twice")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Recorded twice")
    assert session.transfer is None


def test_a_coordinator_cannot_resolve_their_own_session(
    coordinator: User, attendees: list[User]
) -> None:
    session = delivered_session(coordinator, attendees[:1])
    with pytest.raises(DomainError, match=services.OWN_SESSION):
        services.remove_attendee(
            session=session, coordinator=coordinator, member=attendees[0], reason="x"
        )


# --- recording delivery --------------------------------------------------------------------


def test_the_giver_records_delivery(member: User, attendees: list[User]) -> None:
    asha, ben, chloe = attendees
    session = delivered_session(member, [asha, ben], absent=[chloe], minutes=75, preparation=15)
    assert session.status == SessionStatus.DELIVERED
    assert (session.delivered_minutes, session.preparation_minutes) == (75, 15)
    statuses = dict(session.attendances.values_list("member__full_name", "status"))
    assert statuses == {
        "Asha Attendee": AttendanceStatus.ATTENDED,
        "Ben Attendee": AttendanceStatus.ATTENDED,
        "Chloe Attendee": AttendanceStatus.ABSENT,
    }
    event = session.events.get(verb=EventVerb.DELIVERED)
    assert event.data["attendees"] == sorted([asha.pk, ben.pk])


@pytest.mark.parametrize(
    ("minutes", "preparation", "field", "message"),
    [
        (50, 0, "delivered_hours", "Use quarter hours"),
        (0, 0, "delivered_hours", "must last between"),
        (60, 20, "preparation_hours", "Use quarter hours for preparation, or 0."),
        (60, -15, "preparation_hours", "Use quarter hours for preparation, or 0."),
        (60, 75, "preparation_hours", "up to the length of the session"),
    ],
)
def test_delivery_minutes_are_checked(
    member: User, attendees: list[User], minutes: int, preparation: int, field: str, message: str
) -> None:
    session = make_session(member)
    services.sign_up(session=session, member=attendees[0], now=BEFORE)
    with pytest.raises(DomainError, match=message) as refusal:
        services.record_delivery(
            session=session,
            giver=member,
            delivered_minutes=minutes,
            preparation_minutes=preparation,
            attendees=attendees[:1],
            now=AFTER,
        )
    assert refusal.value.field == field
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_delivery_refusals(member: User, outsider: User, attendees: list[User]) -> None:
    session = make_session(member)
    services.sign_up(session=session, member=attendees[0], now=BEFORE)

    def record(*, giver: User = member, present=None, now=AFTER) -> None:
        services.record_delivery(
            session=session,
            giver=giver,
            delivered_minutes=60,
            preparation_minutes=0,
            attendees=attendees[:1] if present is None else present,
            now=now,
        )

    with pytest.raises(DomainError, match=services.ONLY_GIVER):
        record(giver=outsider)
    with pytest.raises(DomainError, match=services.NOT_YET_STARTED):
        record(now=BEFORE)
    with pytest.raises(DomainError, match=services.NOBODY_ATTENDED):
        record(present=[])
    with pytest.raises(DomainError, match="Only members who signed up can be marked"):
        record(present=[attendees[0], outsider])
    record()
    with pytest.raises(DomainError, match="Delivery has already been recorded"):
        record()


# --- confirming and disputing --------------------------------------------------------------


def test_confirm_and_dispute_refusals(member: User, outsider: User, attendees: list[User]) -> None:
    asha, ben, chloe = attendees
    open_session = make_session(member)
    services.sign_up(session=open_session, member=asha, now=BEFORE)
    with pytest.raises(DomainError, match=services.NOT_DELIVERED):
        services.confirm_attendance(session=open_session, member=asha)

    session = delivered_session(member, [asha, ben], absent=[chloe])
    for stranger in [chloe, outsider, member]:
        with pytest.raises(DomainError, match=services.NOT_AN_ATTENDEE):
            services.confirm_attendance(session=session, member=stranger)
    with pytest.raises(DomainError, match=services.DISPUTE_REASON_NEEDED) as refusal:
        services.dispute_attendance(session=session, member=asha, reason=" ")
    assert refusal.value.field == "reason"
    services.confirm_attendance(session=session, member=asha)
    with pytest.raises(DomainError, match=services.ALREADY_RESPONDED):
        services.dispute_attendance(session=session, member=asha, reason="Changed my mind")
    with pytest.raises(DomainError, match=services.WAITING):
        services.settle_session(session=session, now=AFTER + timedelta(days=1))
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIVERED


def test_a_coordinator_waiting_for_approval_cannot_cancel_or_remove(
    member: User, attendees: list[User]
) -> None:
    """require_coordinator's rule: the role alone is not enough (issue 11)."""
    waiting = UserFactory(role="coordinator", approval=Approval.PENDING)
    session = make_session(member)
    services.sign_up(session=session, member=attendees[0], now=BEFORE)
    with pytest.raises(DomainError, match=services.ONLY_COORDINATORS):
        services.cancel_session(session=session, actor=waiting, reason="Room double-booked.")
    with pytest.raises(DomainError, match=services.ONLY_COORDINATORS):
        services.remove_attendee(
            session=session, coordinator=waiting, member=attendees[0], reason="Asked to."
        )
    session.refresh_from_db()
    assert session.status == "open"
