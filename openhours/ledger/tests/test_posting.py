"""post_transfer: the one way credits move."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger.models import (
    Account,
    AuditEvent,
    Entry,
    SystemAccount,
    Transfer,
    TransferKind,
)
from openhours.ledger.selectors import balance
from openhours.ledger.services import Leg, post_transfer

from . import factories
from .helpers import new_key


def post(legs: list[Leg], created_by: User | None, **more: Any) -> Transfer:
    """post_transfer as these tests call it when only the legs and a switch matter."""
    more = {"kind": TransferKind.EXCHANGE, "memo": "", "idempotency_key": new_key()} | more
    return post_transfer(legs=legs, created_by=created_by, **more)


def pay(receiver: User, giver: User, minutes: int, key: str | None = None) -> Transfer:
    return post(
        [Leg(member=receiver, minutes=-minutes), Leg(member=giver, minutes=minutes)],
        receiver,
        memo="Help with a business case",
        reference="exchange:1",
        idempotency_key=key if key is not None else new_key(),
    )


def test_it_moves_credits_between_two_members(member: User, giver: User) -> None:
    transfer = pay(member, giver, 90)

    assert sorted(transfer.entries.values_list("amount", flat=True)) == [-90, 90]
    assert balance(member) == -90
    assert balance(giver) == 90
    assert transfer.reference == "exchange:1"
    assert transfer.created_by == member


def test_it_opens_accounts_on_first_use(member: User, giver: User) -> None:
    assert not Account.objects.filter(owner__in=[member, giver]).exists()

    pay(member, giver, 60)

    assert Account.objects.filter(owner__in=[member, giver]).count() == 2


def test_it_writes_an_audit_event_for_every_transfer(member: User, giver: User) -> None:
    transfer = pay(member, giver, 60)

    event = AuditEvent.objects.get(target=f"transfer:{transfer.pk}")
    assert event.actor == member
    assert event.verb == "ledger.exchange"
    assert event.data["legs"] == {f"member:{member.pk}": -60, f"member:{giver.pk}": 60}
    assert event.data["reference"] == "exchange:1"


def test_it_refuses_legs_that_do_not_balance(member: User, giver: User) -> None:
    with pytest.raises(DomainError, match="must balance"):
        post([Leg(member=member, minutes=-60), Leg(member=giver, minutes=45)], member)
    assert not Transfer.objects.exists()


def test_it_refuses_a_single_leg(member: User) -> None:
    with pytest.raises(DomainError, match="at least two sides"):
        post([Leg(member=member, minutes=0)], None, kind=TransferKind.ADJUSTMENT)


def test_it_refuses_a_leg_of_zero_minutes(member: User, giver: User) -> None:
    with pytest.raises(DomainError, match="must move some time"):
        post(
            [
                Leg(member=member, minutes=-60),
                Leg(member=giver, minutes=60),
                Leg(system=SystemAccount.COMMUNITY_POOL, minutes=0),
            ],
            member,
        )


def test_it_refuses_the_same_account_twice(member: User) -> None:
    with pytest.raises(DomainError, match="only once"):
        post([Leg(member=member, minutes=-60), Leg(member=member, minutes=60)], member)


def test_it_refuses_an_overlong_note(member: User, giver: User) -> None:
    with pytest.raises(DomainError, match="under 500 characters"):
        post(
            [Leg(member=member, minutes=-60), Leg(member=giver, minutes=60)], member, memo="x" * 501
        )


def test_a_leg_belongs_to_exactly_one_holder(member: User) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Leg(member=member, system=SystemAccount.ISSUANCE, minutes=5)
    with pytest.raises(ValueError, match="exactly one"):
        Leg(minutes=5)


def test_only_corrections_may_override_limits(member: User, giver: User) -> None:
    with pytest.raises(ValueError, match="Only corrections"):
        post(
            [Leg(member=member, minutes=-60), Leg(member=giver, minutes=60)],
            member,
            allow_below_lower_limit=True,
        )


def test_only_a_reversal_names_a_transfer_to_reverse(member: User, giver: User) -> None:
    original = pay(member, giver, 60)
    with pytest.raises(ValueError, match="only a reversal"):
        post(
            [Leg(member=member, minutes=60), Leg(member=giver, minutes=-60)],
            None,
            kind=TransferKind.ADJUSTMENT,
            reverses=original,
        )


def test_it_requires_an_idempotency_key(member: User, giver: User) -> None:
    with pytest.raises(ValueError, match="idempotency key"):
        pay(member, giver, 60, key="")


# --- idempotency ------------------------------------------------------------------------


def test_the_same_key_twice_posts_once(member: User, giver: User) -> None:
    first = pay(member, giver, 60, key="confirm:exchange:1")
    second = pay(member, giver, 60, key="confirm:exchange:1")

    assert second.pk == first.pk
    assert Transfer.objects.count() == 1
    assert Entry.objects.count() == 2
    assert AuditEvent.objects.count() == 1
    assert balance(member) == -60


def test_a_retry_by_someone_else_returns_the_same_transfer(member: User, giver: User) -> None:
    # The receiver confirms while the automatic confirmation runs: same money, same key.
    key = new_key()
    by_member = factories.pay(giver, member, 60, reference="exchange:7", idempotency_key=key)
    by_system = factories.pay(
        giver,
        member,
        60,
        reference="exchange:7",
        idempotency_key=key,
        created_by=None,
        memo="Confirmed automatically",
    )

    assert by_system.pk == by_member.pk
    assert balance(giver) == 60


def test_it_refuses_a_key_reused_for_different_content(member: User, giver: User) -> None:
    key = new_key()
    pay(member, giver, 60, key=key)

    with pytest.raises(DomainError, match="already used for a different transfer"):
        pay(member, giver, 75, key=key)
    assert balance(giver) == 60


def test_a_retry_returns_the_original_even_at_the_limit(
    member: User, giver: User, set_balance
) -> None:
    # The original took Maya to the floor; a naive retry would be refused by the limit it
    # reached, and the member would be told their payment failed when it had gone through.
    set_balance(member, -540)
    key = new_key()
    first = pay(member, giver, 60, key=key)
    assert balance(member) == -600

    assert pay(member, giver, 60, key=key).pk == first.pk


def test_a_posting_takes_few_statements(
    member: User, giver: User, django_assert_num_queries
) -> None:
    pay(member, giver, 15)  # opens the accounts
    # Lock the accounts, then write: on PostgreSQL one statement inserts the transfer, its
    # entries and the audit event and moves the balances; elsewhere that is four statements.
    # Plus SAVEPOINT and RELEASE, because the test already runs inside a transaction.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 7):
        pay(member, giver, 15)


def test_a_new_member_with_no_account_has_a_zero_balance(db: None) -> None:
    assert balance(UserFactory()) == 0


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL-only switch")
def test_it_posts_without_prepared_statements(member: User, giver: User, settings) -> None:
    # For operators behind a pooler that can't keep prepared statements.
    settings.OPENHOURS_LEDGER_PREPARED_STATEMENTS = False
    pay(member, giver, 60)

    assert balance(giver) == 60
