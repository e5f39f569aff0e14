"""The coordinators' operations over post_transfer (grants and pool top-ups, adjustments,
reversals): who may do them, and the rules and limits they meet. The members' operations
are in test_rules.py."""

from __future__ import annotations

import pytest

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger import services
from openhours.ledger.models import AuditEvent, Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary

from .factories import adjust, grant, pay, reverse
from .helpers import new_key

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
