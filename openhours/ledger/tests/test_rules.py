"""The wrappers over post_transfer: who may do what, and the rules and limits they meet."""

from __future__ import annotations

import pytest

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger import services
from openhours.ledger.models import AuditEvent, Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary

from .factories import adjust, grant, pay, pay_session, reverse
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


# --- coordinator grants and pool top-ups ------------------------------------------------


def test_a_coordinator_grants_credits_from_the_pool(
    coordinator: User, member: User, fill_pool
) -> None:
    fill_pool(300)
    transfer = grant(coordinator, member, 120, reason="Carer returning to work")

    assert balance(member) == 120
    assert pool_summary().balance == 180
    event = AuditEvent.objects.get(target=f"transfer:{transfer.pk}")
    assert event.actor == coordinator
    assert event.verb == "ledger.grant"
    assert event.data["memo"] == "Carer returning to work"


def test_it_refuses_a_grant_bigger_than_the_pool(
    coordinator: User, member: User, fill_pool
) -> None:
    fill_pool(60)

    with pytest.raises(DomainError) as refused:
        grant(coordinator, member, 90)

    assert refused.value.message == "The community pool holds 1 hour; this needs 1 hour 30 minutes."
    assert pool_summary().balance == 60


def test_only_coordinators_grant(outsider: User, member: User, fill_pool) -> None:
    fill_pool(300)

    with pytest.raises(DomainError, match="Only coordinators can grant credits"):
        grant(outsider, member, 60, reason="Because")
    assert balance(member) == 0


def test_a_grant_needs_a_reason(coordinator: User, member: User, fill_pool) -> None:
    fill_pool(300)

    with pytest.raises(DomainError, match="Give a reason") as refused:
        grant(coordinator, member, 60, reason="   ")
    assert refused.value.field == "reason"


def test_a_coordinator_cannot_grant_to_themselves(coordinator: User, fill_pool) -> None:
    fill_pool(300)

    with pytest.raises(DomainError, match="can't grant credits to themselves"):
        grant(coordinator, coordinator, 60, reason="Mine")


def test_a_grant_respects_the_members_upper_limit(
    coordinator: User, member: User, fill_pool, set_balance
) -> None:
    fill_pool(300)
    set_balance(member, 6000)

    with pytest.raises(DomainError, match="already holds the most anyone can"):
        grant(coordinator, member, 60)


def test_a_coordinator_tops_up_the_pool(coordinator: User) -> None:
    services.top_up_pool(
        coordinator=coordinator,
        minutes=600,
        reason="Winter pressures campaign",
        idempotency_key=new_key(),
    )

    assert pool_summary().balance == 600
    assert pool_summary().inflow_by_kind == {"pool_top_up": 600}


def test_only_coordinators_top_up_the_pool(outsider: User) -> None:
    with pytest.raises(DomainError, match="Only coordinators can top up the community pool"):
        services.top_up_pool(
            coordinator=outsider, minutes=600, reason="Free credit", idempotency_key=new_key()
        )


# --- adjustments ------------------------------------------------------------------------


def test_a_coordinator_adjusts_a_balance_with_a_reason(coordinator: User, member: User) -> None:
    transfer = adjust(coordinator, member, -30, reason="Recorded 30 minutes too many on paper")

    assert balance(member) == -30
    assert transfer.memo == "Recorded 30 minutes too many on paper"
    assert not transfer.limits_overridden
    assert AuditEvent.objects.get(target=f"transfer:{transfer.pk}").verb == "ledger.adjustment"


def test_only_coordinators_adjust(outsider: User, member: User) -> None:
    with pytest.raises(DomainError, match=r"^Only coordinators can adjust balances\.$"):
        adjust(outsider, member, 60)


@pytest.mark.parametrize(
    "standing",
    [{"approval": Approval.PENDING}, {"approval": Approval.DECLINED}, {"is_active": False}],
    ids=["waiting", "declined", "deactivated"],
)
def test_a_coordinator_who_is_not_an_approved_active_member_cannot_adjust(
    member: User, standing: dict[str, object]
) -> None:
    not_acting = UserFactory(role=Role.COORDINATOR, **standing)
    with pytest.raises(DomainError, match=r"^Only coordinators can adjust balances\.$"):
        adjust(not_acting, member, 60)
    assert balance(member) == 0


def test_an_adjustment_needs_a_reason(coordinator: User, member: User) -> None:
    with pytest.raises(DomainError, match="Give a reason"):
        adjust(coordinator, member, 60, reason="")


def test_an_adjustment_must_change_something(coordinator: User, member: User) -> None:
    with pytest.raises(DomainError, match="must change the balance"):
        adjust(coordinator, member, 0, reason="Nothing")


def test_a_coordinator_cannot_adjust_their_own_balance(coordinator: User) -> None:
    with pytest.raises(DomainError, match="can't adjust their own balance"):
        adjust(coordinator, coordinator, 600, reason="Overtime")


def test_an_adjustment_may_pass_the_upper_limit_but_never_silently(
    coordinator: User, member: User, set_balance
) -> None:
    set_balance(member, 5970)
    transfer = adjust(coordinator, member, 60, reason="Lost paper timesheet")

    assert balance(member) == 6030
    assert transfer.limits_overridden
    event = AuditEvent.objects.get(target=f"transfer:{transfer.pk}")
    assert event.data["limits_overridden"] == [
        {"holder": f"member:{member.pk}", "balance": 6030, "upper_limit": 6000}
    ]


def test_an_adjustment_below_the_lower_limit_needs_confirming(
    coordinator: User, member: User, set_balance
) -> None:
    set_balance(member, -570)

    with pytest.raises(DomainError) as refused:
        adjust(coordinator, member, -60, reason="Double-counted session")
    assert refused.value.message == (
        "This adjustment would take Maya Member to \u221210 hours 30 minutes, below the lower "
        "limit of \u221210 hours. Confirm the override to post it anyway."
    )

    transfer = adjust(
        coordinator, member, -60, reason="Double-counted session", override_lower_limit=True
    )
    assert balance(member) == -630
    assert transfer.limits_overridden


# --- reversals --------------------------------------------------------------------------


@pytest.fixture
def exchange(member: User, giver: User) -> Transfer:
    services.grant_joining_credit(user=member)
    return pay(giver, member, 90, reference="exchange:42")


def test_a_reversal_posts_the_negated_legs(
    coordinator: User, member: User, giver: User, exchange: Transfer
) -> None:
    reversal = reverse(exchange, coordinator, "The session never happened")

    assert reversal.kind == TransferKind.REVERSAL
    assert reversal.reverses == exchange
    assert reversal.reference == "exchange:42"
    assert dict(reversal.entries.values_list("account__owner", "amount")) == {
        member.pk: 90,
        giver.pk: -90,
    }
    assert balance(member) == 120
    assert balance(giver) == 0
    event = AuditEvent.objects.get(target=f"transfer:{reversal.pk}")
    assert event.data["reverses"] == exchange.pk
    assert event.data["memo"] == "The session never happened"


def test_a_transfer_is_reversed_at_most_once(coordinator: User, treasurer: User, exchange) -> None:
    reverse(exchange, coordinator)

    with pytest.raises(DomainError, match="already been reversed"):
        reverse(exchange, treasurer)
    assert Transfer.objects.filter(reverses=exchange).count() == 1


def test_a_repeated_reversal_request_returns_the_reversal(coordinator: User, exchange) -> None:
    key = new_key()
    first = reverse(exchange, coordinator, idempotency_key=key)
    again = reverse(exchange, coordinator, idempotency_key=key)

    assert again.pk == first.pk


def test_a_reversal_cannot_be_reversed(coordinator: User, treasurer: User, exchange) -> None:
    reversal = reverse(exchange, coordinator)

    with pytest.raises(DomainError, match="A reversal can't be reversed"):
        reverse(reversal, treasurer, "Undo")


def test_only_coordinators_reverse(member: User, exchange: Transfer) -> None:
    with pytest.raises(DomainError, match="Only coordinators can reverse transfers"):
        reverse(exchange, member, "I changed my mind")


def test_a_reversal_needs_a_reason(coordinator: User, exchange: Transfer) -> None:
    with pytest.raises(DomainError, match="Give a reason"):
        reverse(exchange, coordinator, "")


def test_a_coordinator_cannot_reverse_their_own_transfer(coordinator: User, member: User) -> None:
    services.grant_joining_credit(user=member)
    own = services.donate(donor=member, to_user=coordinator, minutes=30, idempotency_key=new_key())

    with pytest.raises(DomainError, match="another coordinator must reverse it"):
        reverse(own, coordinator, "Not needed")


def test_a_reversal_below_the_lower_limit_needs_confirming(
    coordinator: User, giver: User, exchange: Transfer, set_balance
) -> None:
    # Gil was paid 90 minutes and has since spent down to the floor.
    set_balance(giver, -600)

    with pytest.raises(DomainError, match="This reversal would take Gil Giver to"):
        reverse(exchange, coordinator, "Never happened")
    reversal = reverse(exchange, coordinator, "Never happened", override_lower_limit=True)

    assert balance(giver) == -690
    assert reversal.limits_overridden


def test_a_reversal_never_overdraws_the_pool(
    coordinator: User, member: User, treasurer: User, giver: User
) -> None:
    services.grant_joining_credit(user=member)
    donation = services.donate(donor=member, minutes=60, idempotency_key=new_key())
    grant(treasurer, giver, 60)

    with pytest.raises(DomainError, match="The community pool holds 0 minutes; this needs 1 hour"):
        reverse(donation, coordinator, "Donated by mistake", override_lower_limit=True)
