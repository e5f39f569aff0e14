"""The demo's history: exchanges, sessions, donations and pool work, through the services."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from openhours.accounts.models import Role, User
from openhours.demo.content.showcase import COORDINATOR_EMAIL, MEMBER_EMAIL
from openhours.demo.seeding import SeedResult, seed_demo
from openhours.exchanges.models import Exchange, ExchangeEvent, Feedback, State, Thanks
from openhours.exchanges.selectors import disputed_exchanges, get_exchange_for_member
from openhours.group_sessions.models import Attendance, GroupSession, SessionStatus
from openhours.ledger.models import Entry, Transfer, TransferKind
from openhours.ledger.selectors import hours_given, hours_received, pool_summary, statement

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def seed_small(**options: Any) -> SeedResult:
    # 41 accounts: 38 generated members and the three logins (the system leader has no
    # history of their own).
    return seed_demo(**{"members": 41, "posts": 40, "now": NOW, "seed": 1, **options})


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[SeedResult]:
    """One small demo for the tests that only read it: seeding takes a few seconds.

    Built in a transaction that is rolled back after the module; each test runs in a
    savepoint inside it, as usual.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_small()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded: SeedResult, db: None) -> SeedResult:
    return seeded


def alex() -> User:
    return User.objects.get(email=MEMBER_EMAIL)


def sam() -> User:
    return User.objects.get(email=COORDINATOR_EMAIL)


def test_every_demo_member_gets_the_joining_grant_when_they_joined(demo: SeedResult) -> None:
    grants = Transfer.objects.filter(kind=TransferKind.JOINING_GRANT).prefetch_related(
        "entries__account__owner"
    )
    assert grants.count() == User.objects.exclude(role=Role.LEADER).count() == 40
    for grant in grants:
        owner = next(e.account.owner for e in grant.entries.all() if e.account.owner)
        assert grant.created_at == owner.date_joined


def test_confirmed_exchanges_moved_their_minutes_through_the_ledger(demo: SeedResult) -> None:
    confirmed = Exchange.objects.filter(state=State.CONFIRMED).select_related("transfer")
    assert confirmed.count() >= 15
    for exchange in confirmed:
        assert exchange.transfer is not None
        assert exchange.transfer.reference == f"exchange:{exchange.pk}"
        legs = dict(exchange.transfer.entries.values_list("account__owner", "amount"))
        assert legs == {
            exchange.giver_id: exchange.minutes,
            exchange.receiver_id: -exchange.minutes,
        }
    assert Thanks.objects.exists()
    assert Feedback.objects.exists()
    assert ExchangeEvent.objects.filter(to_state=State.CORRECTION_PROPOSED).exists()
    assert Exchange.objects.filter(recorded_by=sam(), state=State.CONFIRMED).count() == 3


def test_some_exchanges_end_otherwise_or_are_still_going(demo: SeedResult) -> None:
    states = Counter(Exchange.objects.values_list("state", flat=True))
    assert states[State.DECLINED] + states[State.CANCELLED] >= 2
    assert states[State.PROPOSED] >= 2
    assert states[State.DELIVERED] >= 1
    assert states[State.DISPUTED] >= 1
    assert not Exchange.objects.filter(transfer__isnull=False).exclude(state=State.CONFIRMED)


def test_the_demo_member_has_a_rich_statement_and_things_to_do(demo: SeedResult) -> None:
    member = alex()

    assert hours_given(member) >= 4 * 60
    assert hours_received(member) >= 2 * 60
    kinds = set(statement(member).values_list("transfer__kind", flat=True))
    assert {
        TransferKind.JOINING_GRANT,
        TransferKind.EXCHANGE,
        TransferKind.DONATION,
        TransferKind.GROUP_SESSION,
    } <= kinds
    to_confirm = Exchange.objects.get(receiver=member, state=State.DELIVERED)
    assert to_confirm.delivered_at is not None
    assert NOW - to_confirm.delivered_at < timedelta(days=7)  # not yet auto-confirmed
    proposal = Exchange.objects.get(state=State.PROPOSED, post__author=member)
    assert proposal.proposed_by != member
    assert Exchange.objects.filter(state=State.PROPOSED, proposed_by=member).exists()
    assert Attendance.objects.filter(member=member, session__status=SessionStatus.SETTLED)
    assert Attendance.objects.filter(member=member, session__status=SessionStatus.OPEN)
    upcoming = GroupSession.objects.get(giver=member, status=SessionStatus.OPEN)
    assert upcoming.offer is not None
    assert upcoming.attendances.count() >= 2


def test_the_coordinator_has_a_dispute_to_resolve_and_pool_work(demo: SeedResult) -> None:
    coordinator = sam()

    waiting = disputed_exchanges().exclude(Q(giver=coordinator) | Q(receiver=coordinator))
    assert waiting.exists()
    assert get_exchange_for_member(waiting[0].pk, coordinator) == waiting[0]
    resolved = ExchangeEvent.objects.filter(actor=coordinator, from_state=State.DISPUTED)
    assert resolved.exists()
    mine = Transfer.objects.filter(created_by=coordinator)
    assert mine.filter(kind=TransferKind.POOL_TOP_UP).count() == 2
    assert mine.filter(kind=TransferKind.GRANT).count() >= 3
    reversal = mine.get(kind=TransferKind.REVERSAL)
    assert reversal.memo
    assert reversal.reverses is not None
    assert reversal.reverses.kind == TransferKind.GRANT
    assert pool_summary().balance > 0


def test_group_sessions_settle_through_the_ledger(demo: SeedResult) -> None:
    settled = GroupSession.objects.filter(status=SessionStatus.SETTLED)
    assert settled.count() >= 3
    for session in settled:
        assert session.transfer is not None
        assert session.transfer.reference == f"session:{session.pk}"
    assert GroupSession.objects.filter(status=SessionStatus.OPEN, starts_at__gt=NOW).count() == 2


def test_donations_go_to_the_pool_and_to_members(demo: SeedResult) -> None:
    donations = Transfer.objects.filter(kind=TransferKind.DONATION)
    assert donations.count() >= 2
    assert Entry.objects.filter(transfer__in=donations, account__system_code__isnull=False)


def test_the_history_runs_in_time_order_over_six_months(demo: SeedResult) -> None:
    times = list(Transfer.objects.order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert times[-1] < NOW
    exchanges = Exchange.objects.filter(recorded_by__isnull=True).values_list(
        "created_at", flat=True
    )
    assert min(exchanges) < NOW - timedelta(days=150)
    assert max(exchanges) > NOW - timedelta(days=7)


def test_verify_ledger_passes_after_seeding(demo: SeedResult) -> None:
    out = StringIO()
    call_command("verify_ledger", stdout=out)  # raises CommandError (exit status 1) on failure
    assert "All checks passed." in out.getvalue()


def test_no_limit_is_overridden_for_the_demo(demo: SeedResult) -> None:
    assert not Transfer.objects.filter(limits_overridden=True).exists()
    assert demo.history is not None
    assert sum(demo.history.exchanges.values()) == Exchange.objects.count()
