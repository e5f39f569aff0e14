"""The wrappers over post_transfer that members' own steps use (the joining grant,
exchanges, group sessions, donations): the rules and limits they meet. The coordinators'
operations are in test_coordinators.py."""

from __future__ import annotations

import pytest

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger import services
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary

from .factories import pay, pay_session
from .helpers import new_key

# --- joining grant ----------------------------------------------------------------------


def test_a_new_member_gets_the_joining_grant_from_issuance(member: User) -> None:
    transfer = services.grant_joining_credit(user=member)

    assert transfer is not None
    assert transfer.kind == TransferKind.JOINING_GRANT
    assert balance(member) == 120
    assert pool_summary().balance == 0  # new credit, not the pool's


def test_the_joining_grant_is_given_once(member: User) -> None:
    first = services.grant_joining_credit(user=member)
    second = services.grant_joining_credit(user=member)

    assert first is not None and second is not None
    assert second.pk == first.pk
    assert balance(member) == 120


def test_the_joining_grant_is_configurable(member: User, settings) -> None:
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 180
    services.grant_joining_credit(user=member)
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 240
    services.grant_joining_credit(user=member)

    assert balance(member) == 180


def test_the_joining_grant_can_be_turned_off(member: User, settings) -> None:
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 0

    assert services.grant_joining_credit(user=member) is None
    assert balance(member) == 0


# --- exchanges --------------------------------------------------------------------------


def test_the_receiver_pays_the_giver(member: User, giver: User) -> None:
    services.grant_joining_credit(user=member)
    transfer = pay(giver, member, 90, reference="exchange:42")

    assert transfer.kind == TransferKind.EXCHANGE
    assert balance(member) == 30
    assert balance(giver) == 90


def test_a_first_exchange_is_never_blocked_by_the_default_limits(member: User, giver: User) -> None:
    services.grant_joining_credit(user=member)
    pay(giver, member, 8 * 60)

    assert balance(member) == 120 - 8 * 60


def test_it_refuses_overdraft_and_says_how_much_can_still_be_spent(
    member: User, giver: User, set_balance
) -> None:
    set_balance(member, -510)

    with pytest.raises(DomainError) as refused:
        pay(giver, member, 120)

    assert refused.value.message == (
        "Maya Member can spend 1 hour 30 minutes more before reaching the lower limit of "
        "\u221210 hours; this needs 2 hours."
    )
    assert refused.value.field == "minutes"
    assert balance(member) == -510
    assert balance(giver) == 0
    assert not Transfer.objects.filter(kind=TransferKind.EXCHANGE).exists()


def test_it_allows_spending_exactly_to_the_lower_limit(
    member: User, giver: User, set_balance
) -> None:
    set_balance(member, -510)
    pay(giver, member, 90)

    assert balance(member) == -600


def test_at_the_lower_limit_it_says_credits_are_earned_by_helping(
    member: User, giver: User, set_balance
) -> None:
    set_balance(member, -600)

    with pytest.raises(DomainError, match="has reached the lower limit of \u221210 hours and"):
        pay(giver, member, 15)


def test_it_refuses_to_take_a_giver_over_the_upper_limit(
    member: User, giver: User, set_balance
) -> None:
    set_balance(giver, 5940)

    with pytest.raises(DomainError) as refused:
        pay(giver, member, 90)

    assert refused.value.message == (
        "Gil Giver can receive 1 hour more before reaching the upper limit of 100 hours; "
        "this would add 1 hour 30 minutes. They could donate some credits to the community "
        "pool first."
    )
    assert balance(member) == 0


def test_the_limits_are_configurable(member: User, giver: User, settings) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -60

    with pytest.raises(DomainError, match="can spend 1 hour more"):
        pay(giver, member, 75)


def test_a_member_outside_a_limit_can_still_move_back_towards_it(
    member: User, giver: User, set_balance, settings
) -> None:
    set_balance(member, -500)
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -300  # the operator narrowed the limits

    pay(member, giver, 60, reference="exchange:2")

    assert balance(member) == -440


def test_it_refuses_paying_yourself(member: User) -> None:
    with pytest.raises(DomainError, match="must be different members"):
        pay(member, member, 60)


def test_it_refuses_an_exchange_of_no_time(member: User, giver: User) -> None:
    with pytest.raises(DomainError, match="Record how much time was given"):
        pay(giver, member, 0)


# --- group sessions ---------------------------------------------------------------------


@pytest.fixture
def attendees(db: None) -> list[User]:
    return [UserFactory(full_name=f"Attendee {n}") for n in range(1, 4)]


def test_each_attendee_pays_and_the_giver_earns_the_session_once(
    giver: User, attendees: list[User]
) -> None:
    transfer = pay_session(giver, attendees, 60)

    assert transfer.kind == TransferKind.GROUP_SESSION
    assert balance(giver) == 60
    assert [balance(a) for a in attendees] == [-60, -60, -60]
    assert pool_summary().balance == 120  # the surplus pays it forward
    assert pool_summary().inflow_by_kind == {"group_session": 120}


def test_preparation_time_is_earned_out_of_the_attendees_payments(
    giver: User, attendees: list[User]
) -> None:
    pay_session(giver, attendees, 60, preparation_minutes=90)

    assert balance(giver) == 150
    assert pool_summary().balance == 30


def test_the_pool_funds_preparation_the_attendees_do_not_cover(
    giver: User, member: User, fill_pool
) -> None:
    fill_pool(60)
    pay_session(giver, [member], 60, preparation_minutes=30)

    assert balance(giver) == 90
    assert balance(member) == -60
    assert pool_summary().balance == 30


def test_it_refuses_preparation_an_empty_pool_cannot_fund(giver: User, member: User) -> None:
    with pytest.raises(DomainError, match="The community pool holds 0 minutes; this needs 30"):
        pay_session(giver, [member], 60, preparation_minutes=30)


def test_a_session_with_one_attendee_is_an_exchange(giver: User, member: User) -> None:
    transfer = pay_session(giver, [member], 45)

    assert transfer.entries.count() == 2
    assert balance(giver) == 45
    assert balance(member) == -45


def test_it_refuses_a_session_an_attendee_cannot_afford(
    giver: User, attendees: list[User], set_balance
) -> None:
    set_balance(attendees[1], -580)

    with pytest.raises(DomainError, match=r"^Attendee 2 can spend 20 minutes more"):
        pay_session(giver, attendees, 60)
    assert balance(attendees[0]) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"receivers": []}, "at least one attendee"),
        ({"minutes_each": 0}, "how long the session was"),
        ({"preparation_minutes": -15}, "can't be negative"),
    ],
)
def test_it_refuses_a_malformed_session(giver: User, member: User, change, message) -> None:
    args = {"receivers": [member], "minutes_each": 60, "preparation_minutes": 0} | change
    with pytest.raises(DomainError, match=message):
        services.pay_for_group_session(
            giver=giver,
            reference="session:9",
            created_by=giver,
            idempotency_key=new_key(),
            **args,
        )


def test_it_refuses_the_same_attendee_twice(giver: User, member: User) -> None:
    with pytest.raises(DomainError, match="listed only once"):
        pay_session(giver, [member, member], 60)


def test_it_refuses_the_giver_as_an_attendee(giver: User, member: User) -> None:
    with pytest.raises(DomainError, match="can't also be an attendee"):
        pay_session(giver, [member, giver], 60)


# --- donations --------------------------------------------------------------------------


def test_a_member_donates_to_the_community_pool(member: User) -> None:
    services.grant_joining_credit(user=member)
    services.donate(donor=member, minutes=60, idempotency_key=new_key())

    assert balance(member) == 60
    summary = pool_summary()
    assert summary.balance == 60
    assert summary.donors == 1
    assert summary.inflow_by_kind == {"donation": 60}


def test_a_member_donates_to_another_member(member: User, outsider: User) -> None:
    services.grant_joining_credit(user=member)
    transfer = services.donate(
        donor=member, to_user=outsider, minutes=30, idempotency_key=new_key(), memo="Thank you"
    )

    assert transfer.memo == "Thank you"
    assert balance(outsider) == 30


def test_it_refuses_donating_more_than_you_hold(member: User) -> None:
    services.grant_joining_credit(user=member)

    with pytest.raises(DomainError) as refused:
        services.donate(donor=member, minutes=150, idempotency_key=new_key())

    assert refused.value.message == (
        "Maya Member can donate up to 2 hours, the credits they hold now; "
        "this donation is 2 hours 30 minutes."
    )


def test_it_refuses_donating_with_nothing_to_give(member: User) -> None:
    with pytest.raises(DomainError, match="has no credits to donate yet"):
        services.donate(donor=member, minutes=15, idempotency_key=new_key())


def test_it_refuses_donating_to_yourself(member: User) -> None:
    with pytest.raises(DomainError, match="can't donate to yourself"):
        services.donate(donor=member, to_user=member, minutes=15, idempotency_key=new_key())


def test_it_refuses_a_donation_of_nothing(member: User) -> None:
    with pytest.raises(DomainError, match="how much time to donate"):
        services.donate(donor=member, minutes=0, idempotency_key=new_key())
