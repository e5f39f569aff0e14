"""Reads: balances, statements, hours given and received, limit warnings, the pool."""

from __future__ import annotations

import pytest

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.ledger import selectors, services
from openhours.ledger.models import Transfer

from .factories import grant, pay, pay_session, reverse
from .helpers import new_key


def exchange(giver: User, receiver: User, minutes: int, ref: str = "exchange:1") -> Transfer:
    return pay(giver, receiver, minutes, reference=ref)


def test_a_statement_lists_entries_newest_first_with_running_balances(
    member: User, giver: User, outsider: User
) -> None:
    services.grant_joining_credit(user=member)
    exchange(giver, member, 90, "exchange:1")
    exchange(member, outsider, 30, "exchange:2")
    services.donate(donor=member, minutes=15, idempotency_key=new_key())

    lines = list(selectors.statement(member))

    assert [line.transfer.kind for line in lines] == [
        "donation",
        "exchange",
        "exchange",
        "joining_grant",
    ]
    assert [line.amount for line in lines] == [-15, 30, -90, 120]
    assert [line.balance_after for line in lines] == [45, 60, 30, 120]  # type: ignore[attr-defined]
    assert [line.counterparty_names() for line in lines] == [
        ["Community pool"],
        ["Otto Outsider"],
        ["Gil Giver"],
        ["New credits (issuance)"],
    ]


def test_a_statement_page_costs_the_same_queries_however_long(
    member: User, giver: User, django_assert_num_queries
) -> None:
    for n in range(12):
        exchange(giver, member, 15, f"exchange:{n}")

    with django_assert_num_queries(2):  # the page, then every leg of its transfers
        page = list(selectors.statement(member)[:10])
        names = [line.counterparty_names() for line in page]

    assert names == [["Gil Giver"]] * 10
    assert page[0].balance_after == -180  # type: ignore[attr-defined]
    assert page[-1].balance_after == -45  # type: ignore[attr-defined]


def test_a_group_session_statement_names_every_other_party(giver: User) -> None:
    alice, bob = UserFactory(full_name="Alice A"), UserFactory(full_name="Bob B")
    pay_session(giver, [alice, bob], 60, reference="session:1")

    (line,) = selectors.statement(alice)
    assert line.counterparty_names() == ["Gil Giver", "Bob B", "Community pool"]


def test_a_member_with_no_history_has_an_empty_statement(member: User) -> None:
    assert list(selectors.statement(member)) == []
    assert selectors.balance(member) == 0
    assert selectors.account_of(member) is None


def test_hours_given_and_received_count_exchanges_and_sessions_only(
    member: User, giver: User, outsider: User, coordinator: User
) -> None:
    services.grant_joining_credit(user=member)  # not given or received
    exchange(giver, member, 90)  # member received 90
    exchange(member, outsider, 60)  # member gave 60
    pay_session(member, [giver, outsider], 30, reference="session:1")  # member gave 30
    services.donate(donor=member, minutes=15, idempotency_key=new_key())  # neither

    assert selectors.hours_given(member) == 90
    assert selectors.hours_received(member) == 90
    assert selectors.contribution(member) == selectors.Contribution(
        given_minutes=90, received_minutes=90, balance=120 - 90 + 60 + 30 - 15
    )


def test_a_reversed_exchange_counts_for_neither_side(
    member: User, giver: User, coordinator: User
) -> None:
    wrong = exchange(giver, member, 90)
    reverse(wrong, coordinator, "Recorded twice")

    assert selectors.hours_given(giver) == 0
    assert selectors.hours_received(member) == 0


@pytest.mark.parametrize(
    ("balance", "warning"),
    [
        (0, None),
        (-479, None),
        (
            -480,
            "You can spend 2 hours more before reaching the lower limit of "
            "\u221210 hours. Offering your time earns credits back.",
        ),
        (
            -600,
            "You've reached the lower limit of \u221210 hours, so you can't spend more credits "
            "for now. Helping someone earns them back.",
        ),
        (5879, None),
        (
            5880,
            "You can receive 2 hours more before reaching the upper limit of 100 hours. "
            "Consider donating some credits to the community pool so others can ask for help.",
        ),
        (
            6000,
            "You hold the most anyone can (100 hours), so new credits can't reach you. "
            "Spending some, or donating them to the community pool, makes room.",
        ),
    ],
)
def test_it_warns_before_the_hard_stop(
    member: User, set_balance, balance: int, warning: str | None
) -> None:
    set_balance(member, balance)
    assert selectors.limit_warning(member) == warning


def test_the_warning_margin_is_configurable(member: User, set_balance, settings) -> None:
    settings.OPENHOURS_LEDGER_WARNING_MINUTES = 300
    set_balance(member, -300)

    assert selectors.limit_warning(member) == (
        "You can spend 5 hours more before reaching the lower limit of \u221210 hours. "
        "Offering your time earns credits back."
    )
    assert selectors.spendable_minutes(member) == 300


def test_the_pool_summary_shows_where_credits_came_from_and_went(
    member: User, outsider: User, coordinator: User, giver: User
) -> None:
    for donor in (member, outsider):
        services.grant_joining_credit(user=donor)
        services.donate(donor=donor, minutes=60, idempotency_key=new_key())
    services.donate(donor=member, minutes=30, idempotency_key=new_key())
    services.top_up_pool(
        coordinator=coordinator, minutes=120, reason="Campaign", idempotency_key=new_key()
    )
    grant(coordinator, giver, 45)

    assert selectors.pool_summary() == selectors.PoolSummary(
        balance=60 + 60 + 30 + 120 - 45,
        inflow_by_kind={"donation": 150, "pool_top_up": 120},
        outflow_by_kind={"grant": 45},
        donors=2,
    )


def test_the_pool_summary_before_any_activity(db: None) -> None:
    assert selectors.pool_summary() == selectors.PoolSummary(
        balance=0, inflow_by_kind={}, outflow_by_kind={}, donors=0
    )
