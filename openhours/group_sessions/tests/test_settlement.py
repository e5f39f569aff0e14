"""Settlement: the credit rule, exactly-once, disputes, the limit rule and the command."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.group_sessions import services
from openhours.group_sessions.models import AttendanceStatus, EventVerb, SessionStatus
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary
from openhours.ledger.services import top_up_pool

from .conftest import AFTER, delivered_session
from .factories import adjust_balance

pytestmark = pytest.mark.django_db

DUE = AFTER + timedelta(days=14)
NOT_YET_DUE = DUE - timedelta(minutes=1)


def balances(*people: User) -> list[int]:
    return [balance(person) for person in people]


def test_the_worked_example_in_docs_ledger(member: User, attendees: list[User]) -> None:
    """Gil runs one hour for Asha, Ben and Chloe and prepared for 30 minutes."""
    session = delivered_session(member, attendees, minutes=60, preparation=30)
    for person in attendees:
        services.confirm_attendance(session=session, member=person)
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert balances(member, *attendees) == [90, -60, -60, -60]
    assert pool_summary().balance == 90
    transfer = session.transfer
    assert transfer is not None
    assert transfer.kind == TransferKind.GROUP_SESSION
    assert transfer.reference == f"session:{session.pk}"
    assert transfer.idempotency_key == f"session:{session.pk}:settle"
    assert transfer.created_by == attendees[-1]  # the last confirmation settled it
    assert set(session.attendances.values_list("charged", flat=True)) == {True}
    assert verbs_of(session)[-4:] == ["confirmed", "confirmed", "confirmed", "settled"]


def verbs_of(session) -> list[str]:
    return list(session.events.order_by("pk").values_list("verb", flat=True))


def test_the_pool_pays_when_preparation_outweighs_the_payments(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    top_up_pool(coordinator=coordinator, minutes=60, reason="Seed", idempotency_key="seed")
    session = delivered_session(member, attendees[:1], minutes=60, preparation=60)
    services.confirm_attendance(session=session, member=attendees[0])
    assert balances(member, attendees[0]) == [120, -60]
    assert pool_summary().balance == 0


def test_a_disputed_attendee_is_left_out_of_the_payment(
    member: User, attendees: list[User]
) -> None:
    asha, ben, chloe = attendees
    session = delivered_session(member, attendees, minutes=60, preparation=30)
    services.confirm_attendance(session=session, member=asha)
    services.dispute_attendance(session=session, member=ben, reason="I wasn't there")
    services.confirm_attendance(session=session, member=chloe)
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert balances(member, asha, ben, chloe) == [90, -60, 0, -60]
    assert pool_summary().balance == 30
    ben_attendance = session.attendances.get(member=ben)
    assert (ben_attendance.status, ben_attendance.reason) == ("disputed", "I wasn't there")
    assert ben_attendance.charged is None


def test_when_everyone_disputes_the_session_closes_without_a_transfer(
    member: User, attendees: list[User]
) -> None:
    session = delivered_session(member, attendees[:2])
    for person in attendees[:2]:
        services.dispute_attendance(session=session, member=person, reason="Not me")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.transfer is None
    assert not Transfer.objects.exists()
    assert verbs_of(session)[-1] == EventVerb.CLOSED


def test_settling_twice_moves_credits_once(member: User, attendees: list[User]) -> None:
    session = delivered_session(member, attendees[:2])
    services.confirm_attendance(session=session, member=attendees[0])
    services.settle_session(session=session, now=DUE)
    first = Transfer.objects.get()
    again = services.settle_session(session=session, now=DUE + timedelta(days=1))
    assert again.transfer == first
    assert services.settle_due_sessions(now=DUE + timedelta(days=2)).settled == 0
    assert Transfer.objects.count() == 1
    assert balances(member, *attendees[:2]) == [60, -60, -60]
    assert verbs_of(session).count("settled") == 1


def test_a_last_confirmation_after_the_command_changes_nothing(
    member: User, attendees: list[User]
) -> None:
    session = delivered_session(member, attendees[:1])
    assert services.settle_due_sessions(now=DUE).settled == 1
    with pytest.raises(DomainError, match=services.NOT_DELIVERED):
        services.confirm_attendance(session=session, member=attendees[0])
    assert Transfer.objects.count() == 1


def test_the_command_waits_then_confirms_for_silent_attendees(
    member: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    session = delivered_session(member, [asha, ben])
    services.confirm_attendance(session=session, member=asha)
    out = io.StringIO()
    call_command("settle_group_sessions", now=NOT_YET_DUE.isoformat(), stdout=out)
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIVERED
    assert "Settled 0" in out.getvalue()

    call_command("settle_group_sessions", now=DUE.isoformat(), stdout=out)
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    ben_attendance = session.attendances.get(member=ben)
    assert ben_attendance.status == AttendanceStatus.CONFIRMED
    assert ben_attendance.confirmed_automatically
    assert session.events.get(verb=EventVerb.AUTO_CONFIRMED).subject == ben
    assert balances(member, asha, ben) == [60, -60, -60]

    out = io.StringIO()
    call_command("settle_group_sessions", now=(DUE + timedelta(days=3)).isoformat(), stdout=out)
    assert "Settled 0" in out.getvalue()
    assert Transfer.objects.count() == 1


@override_settings(OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS=3)
def test_the_waiting_period_follows_the_exchange_setting(
    member: User, attendees: list[User]
) -> None:
    session = delivered_session(member, attendees[:1])
    assert services.settle_due_sessions(now=AFTER + timedelta(days=3)).settled == 1
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED


def test_a_coordinator_removing_the_last_silent_attendee_settles_the_session(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    session = delivered_session(member, [asha, ben])
    services.confirm_attendance(session=session, member=asha)
    with pytest.raises(DomainError, match=services.REASON_NEEDED):
        services.remove_attendee(session=session, coordinator=coordinator, member=ben, reason="")
    with pytest.raises(DomainError, match=services.ONLY_COORDINATORS):
        services.remove_attendee(session=session, coordinator=asha, member=ben, reason="No")
    services.remove_attendee(
        session=session, coordinator=coordinator, member=ben, reason="Left after five minutes"
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert balances(member, asha, ben) == [60, -60, 0]
    removal = session.events.get(verb=EventVerb.REMOVED)
    assert (removal.actor, removal.subject) == (coordinator, ben)
    assert removal.data["reason"] == "Left after five minutes"
    with pytest.raises(DomainError, match=services.FINISHED_ALREADY):
        services.cancel_session(session=session, actor=coordinator, reason="Too late")


# --- the limit rule --------------------------------------------------------------------------


def test_an_attendee_below_the_lower_limit_is_left_out_and_the_rest_settle(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    asha, ben, _ = attendees
    adjust_balance(coordinator, ben, -570)
    session = delivered_session(member, [asha, ben], minutes=60, preparation=0)
    services.confirm_attendance(session=session, member=asha)
    services.confirm_attendance(session=session, member=ben)
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert balances(member, asha, ben) == [60, -60, -570]
    charged = dict(session.attendances.values_list("member", "charged"))
    assert charged == {asha.pk: True, ben.pk: False}
    assert session.events.get(verb=EventVerb.LEFT_OUT).subject == ben


def test_when_every_attendee_is_below_the_limit_the_session_closes(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    asha = attendees[0]
    adjust_balance(coordinator, asha, -600)
    session = delivered_session(member, [asha])
    services.confirm_attendance(session=session, member=asha)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert not Transfer.objects.filter(kind=TransferKind.GROUP_SESSION).exists()
    assert session.attendances.get().charged is False


def test_a_refusal_nobody_can_fix_by_leaving_out_flags_coordinators_and_retries(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    """The giver would pass the upper limit: no attendee is to blame, so the session waits
    (delivered, flagged) and the command retries until it goes through."""
    adjust_balance(coordinator, member, 5950)
    session = delivered_session(member, attendees[:1], minutes=60, preparation=0)
    services.confirm_attendance(session=session, member=attendees[0])
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIVERED
    assert "upper limit" in session.needs_attention
    for day in (1, 2):
        run = services.settle_due_sessions(now=AFTER + timedelta(days=day))
        assert (run.settled, run.blocked) == (0, 1)
    assert session.events.filter(verb=EventVerb.BLOCKED).count() == 1  # recorded once

    adjust_balance(coordinator, member, -100, key="k2")
    assert services.settle_due_sessions(now=AFTER + timedelta(days=3)).settled == 1
    session.refresh_from_db()
    assert (session.status, session.needs_attention) == (SessionStatus.SETTLED, "")
    assert balance(member) == 5950 - 100 + 60


def test_a_coordinator_can_cancel_a_blocked_session(
    member: User, coordinator: User, attendees: list[User]
) -> None:
    session = delivered_session(member, attendees[:1], minutes=60, preparation=60)
    services.confirm_attendance(session=session, member=attendees[0])  # pool is empty
    session.refresh_from_db()
    assert "community pool" in session.needs_attention
    services.cancel_session(session=session, actor=coordinator, reason="Pool can't cover it")
    session.refresh_from_db()
    assert (session.status, session.needs_attention) == (SessionStatus.CANCELLED, "")
    assert services.settle_due_sessions(now=DUE).blocked == 0
