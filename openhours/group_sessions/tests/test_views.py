"""Pages: happy paths for each persona, and refusals for everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.group_sessions import services
from openhours.group_sessions.models import AttendanceStatus, GroupSession, SessionStatus
from openhours.ledger.selectors import balance

pytestmark = pytest.mark.django_db


def soon_session(giver: User, **overrides) -> GroupSession:
    fields = {
        "title": "Writing a business case",
        "description": "Options appraisal, benefits and costs, in one hour.",
        "starts_at": timezone.now() + timedelta(days=3),
        "planned_minutes": 60,
        "capacity": 5,
    }
    fields.update(overrides)
    return services.create_session(
        giver=giver, details=services.SessionDetails(**fields), now=timezone.now()
    )


def started_session(giver: User, attendees: list[User]) -> GroupSession:
    """A session that began an hour ago (created and signed up to the day before)."""
    yesterday = timezone.now() - timedelta(days=1)
    session = services.create_session(
        giver=giver,
        details=services.SessionDetails(
            title="Sepsis update",
            description="What changed in the sepsis pathway.",
            starts_at=timezone.now() - timedelta(hours=1),
            planned_minutes=60,
            capacity=5,
        ),
        now=yesterday,
    )
    for person in attendees:
        services.sign_up(session=session, member=person, now=yesterday)
    return session


def url(name: str, session: GroupSession) -> str:
    return reverse(f"group_sessions:{name}", args=[session.pk])


def test_the_list_shows_upcoming_sessions_and_an_empty_state(
    member_client: Client, member: User
) -> None:
    response = member_client.get(reverse("group_sessions:list"))
    assert response.status_code == 200
    assert "No sessions are coming up" in response.content.decode()
    session = soon_session(member)
    response = member_client.get(reverse("group_sessions:list"))
    assert list(response.context["page"].object_list) == [session]
    assert '<a href="?show=upcoming" aria-current="page">Upcoming</a>' in response.content.decode()
    mine = member_client.get(reverse("group_sessions:list") + "?show=mine")
    assert list(mine.context["page"].object_list) == [session]


def test_the_all_tab_is_for_coordinators_only(
    member_client: Client, coordinator_client: Client, outsider: User
) -> None:
    session = soon_session(outsider)
    services.cancel_session(session=session, actor=outsider)
    as_member = member_client.get(reverse("group_sessions:list") + "?show=all")
    assert as_member.context["tab"] == "upcoming"
    assert list(as_member.context["page"].object_list) == []
    as_coordinator = coordinator_client.get(reverse("group_sessions:list") + "?show=all")
    assert list(as_coordinator.context["page"].object_list) == [session]


def test_the_list_is_paginated(member_client: Client, member: User) -> None:
    for _ in range(21):
        soon_session(member)
    response = member_client.get(reverse("group_sessions:list") + "?page=2")
    assert len(response.context["page"].object_list) == 1
    assert "Page 2 of 2" in response.content.decode()


def test_a_member_creates_a_session(member_client: Client, member: User) -> None:
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {
        "title": "Intro to SPC charts",
        "description": "Reading run charts and SPC charts without fear.",
        "date": day,
        "time": "13:30",
        "planned_hours": "1.5",
        "capacity": "12",
        "online": "on",
        "location": "",
        "offer": "",
    }
    response = member_client.post(reverse("group_sessions:create"), data)
    session = GroupSession.objects.get()
    assert response["Location"] == url("detail", session)
    assert (session.giver, session.planned_minutes, session.capacity) == (member, 90, 12)
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "13:30"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_hours": "1.1"}, "planned_hours"),
        ({"date": "2001-01-01"}, "date"),
        ({"online": "", "location": ""}, "location"),
        ({"capacity": "0"}, "capacity"),
    ],
)
def test_invalid_sessions_are_explained_beside_the_field(
    member_client: Client, change: dict, field: str
) -> None:
    data = {
        "title": "Intro to SPC charts",
        "description": "Reading run charts.",
        "date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "time": "13:30",
        "planned_hours": "1",
        "capacity": "12",
        "online": "on",
        **change,
    }
    response = member_client.post(reverse("group_sessions:create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not GroupSession.objects.exists()


def test_sign_up_and_withdraw_through_the_page(
    outsider_client: Client, outsider: User, member: User
) -> None:
    session = soon_session(member)
    page = outsider_client.get(url("detail", session)).content.decode()
    assert "I&#x27;d like to attend" in page or "I'd like to attend" in page
    assert "Attendees" not in page  # not the giver, not an attendee, not a coordinator
    outsider_client.post(url("sign_up", session))
    assert session.attendances.get(member=outsider).status == AttendanceStatus.SIGNED_UP
    page = outsider_client.get(url("detail", session)).content.decode()
    assert "Attendees" in page and "Withdraw" in page
    outsider_client.post(url("withdraw", session))
    assert session.attendances.get(member=outsider).status == AttendanceStatus.WITHDRAWN


def test_a_refused_action_is_explained(member_client: Client, member: User) -> None:
    session = soon_session(member)
    response = member_client.post(url("sign_up", session), follow=True)
    assert services.GIVER_CANNOT_ATTEND.replace("'", "&#x27;") in response.content.decode()


def test_actions_are_post_only(member_client: Client, member: User) -> None:
    session = soon_session(member)
    for name in ["sign_up", "withdraw", "confirm"]:
        assert member_client.get(url(name, session)).status_code == 405


def test_the_giver_cancels_after_confirming(member_client: Client, member: User) -> None:
    session = soon_session(member)
    confirm_page = member_client.get(url("cancel", session))
    assert "Yes, cancel the session" in confirm_page.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN  # looking is not cancelling
    member_client.post(url("cancel", session), {"reason": "Ward too busy"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Ward too busy")


def test_outsiders_cannot_cancel_record_or_resolve(
    outsider_client: Client, member: User, outsider: User
) -> None:
    session = started_session(member, [UserFactory()])
    for name in ["cancel", "record_delivery", "resolve", "dispute"]:
        assert outsider_client.get(url(name, session)).status_code == 403
        assert outsider_client.post(url(name, session), {"reason": "x"}).status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, member: User) -> None:
    session = soon_session(member)
    for target in [reverse("group_sessions:list"), url("detail", session), url("sign_up", session)]:
        response = client.post(target) if "sign-up" in target else client.get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_whole_journey_through_the_pages(
    member_client: Client, member: User, outsider_client: Client, outsider: User
) -> None:
    asha = UserFactory(full_name="Asha Attendee")
    session = started_session(member, [outsider, asha])
    form = member_client.get(url("record_delivery", session))
    assert "Asha Attendee" in form.content.decode()
    response = member_client.post(
        url("record_delivery", session),
        {"delivered_hours": "1", "preparation_hours": "0", "attendees": [outsider.pk, asha.pk]},
    )
    assert response.status_code == 302
    page = outsider_client.get(url("detail", session)).content.decode()
    assert "Yes, I attended" in page
    outsider_client.post(url("confirm", session))
    asha_client = Client()
    asha_client.force_login(asha)
    assert asha_client.get(url("dispute", session)).status_code == 200
    bad = asha_client.post(url("dispute", session), {"reason": ""})
    assert bad.status_code == 400
    asha_client.post(url("dispute", session), {"reason": "I was on nights"})
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert (balance(member), balance(outsider), balance(asha)) == (60, -60, 0)
    assert "Settled" in member_client.get(url("detail", session)).content.decode()


def test_delivery_form_errors_stay_beside_the_field(member_client: Client, member: User) -> None:
    session = started_session(member, [UserFactory()])
    response = member_client.post(
        url("record_delivery", session),
        {"delivered_hours": "1", "preparation_hours": "2", "attendees": []},
    )
    assert response.status_code == 400
    assert "attendees" in response.context["form"].errors
    response = member_client.post(
        url("record_delivery", session),
        {
            "delivered_hours": "1",
            "preparation_hours": "2",
            "attendees": [session.attendances.get().member_id],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["preparation_hours"] == [
        "Preparation can be paid up to the length of the session."
    ]


def test_a_coordinator_removes_an_attendee(
    coordinator_client: Client, member: User, outsider: User
) -> None:
    session = started_session(member, [outsider])
    page = coordinator_client.get(url("detail", session)).content.decode()
    assert "Otto Outsider" in page and "Resolve" in page
    missing_reason = coordinator_client.post(
        url("resolve", session), {"action": "remove", "member": outsider.pk, "reason": ""}
    )
    assert missing_reason.status_code == 400
    coordinator_client.post(
        url("resolve", session), {"action": "remove", "member": outsider.pk, "reason": "Duplicate"}
    )
    attendance = session.attendances.get()
    assert (attendance.status, attendance.reason) == (AttendanceStatus.REMOVED, "Duplicate")


def test_a_coordinator_cancels_through_resolve(coordinator_client: Client, member: User) -> None:
    session = soon_session(member)
    coordinator_client.post(url("resolve", session), {"action": "cancel", "reason": "Spam"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Spam")


def test_the_nav_marks_sessions_as_current(member_client: Client) -> None:
    page = member_client.get(reverse("group_sessions:list")).content.decode()
    assert '<a href="/sessions/" aria-current="page">Sessions</a>' in page
