"""verify_ledger: a readable report, and a non-zero exit on any mismatch.

To corrupt the ledger these tests write rows directly, around the services: exactly the
kind of bug the command exists to catch.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from openhours.accounts.models import User
from openhours.ledger import services
from openhours.ledger.models import Account, Entry, SystemAccount, Transfer, TransferKind
from openhours.ledger.verification import verify_ledger

from .factories import adjust, pay, pay_session, reverse
from .helpers import new_key


@pytest.fixture
def history(member: User, giver: User, outsider: User, coordinator: User) -> Transfer:
    for user in (member, giver, outsider):
        services.grant_joining_credit(user=user)
    paid = pay(giver, member, 90)
    services.donate(donor=giver, minutes=60, idempotency_key=new_key())
    pay_session(outsider, [member, giver], 30, reference="session:1")
    reverse(paid, coordinator, "Recorded twice")
    return paid


def run_command() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("verify_ledger", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_a_sound_ledger_passes_every_check(history: Transfer) -> None:
    output, error = run_command()

    assert error is None
    assert "7 transfers, 16 entries, 5 accounts" in output
    assert "ok    every transfer sums to zero" in output
    assert "FAIL" not in output
    assert output.strip().endswith("All checks passed.")


def test_an_empty_ledger_passes(db: None) -> None:
    assert verify_ledger().problems == []


def test_it_catches_a_cached_balance_that_drifted(history: Transfer, member: User) -> None:
    Account.objects.filter(owner=member).update(balance=F("balance") + 5)

    output, error = run_command()

    assert error is not None
    assert "problems" in str(error)
    assert "FAIL  every cached balance equals the sum of its entries" in output
    assert "Maya Member (account #" in output
    assert "All balances together sum to +5 minutes, not zero." in output


def test_it_catches_a_transfer_that_does_not_balance(history: Transfer, member: User) -> None:
    lopsided = Transfer.objects.create(
        kind=TransferKind.ADJUSTMENT, idempotency_key=new_key(), fingerprint="-"
    )
    Entry.objects.create(transfer=lopsided, account=Account.objects.get(owner=member), amount=30)

    report = verify_ledger()

    assert {p.check for p in report.problems} == {"legs", "balanced", "cache", "total"}
    assert f"Transfer #{lopsided.pk} has 1 entries." in [p.message for p in report.problems]
    assert f"Transfer #{lopsided.pk} sums to +30 minutes, not zero." in [
        p.message for p in report.problems
    ]


def test_it_catches_a_transfer_with_no_entries(history: Transfer) -> None:
    empty = Transfer.objects.create(
        kind=TransferKind.ADJUSTMENT, idempotency_key=new_key(), fingerprint="-"
    )

    assert [p.message for p in verify_ledger().problems] == [f"Transfer #{empty.pk} has 0 entries."]


def test_it_catches_a_reversal_that_does_not_mirror_its_original(
    history: Transfer, member: User, giver: User
) -> None:
    original = pay(giver, member, 60, reference="exchange:2")
    wrong = Transfer.objects.create(
        kind=TransferKind.REVERSAL, reverses=original, idempotency_key=new_key(), fingerprint="-"
    )
    accounts = {a.owner_id: a for a in Account.objects.filter(owner__in=[member, giver])}
    Entry.objects.bulk_create(
        [
            Entry(transfer=wrong, account=accounts[member.pk], amount=45),
            Entry(transfer=wrong, account=accounts[giver.pk], amount=-45),
        ]
    )
    Account.objects.filter(owner=member).update(balance=F("balance") + 45)
    Account.objects.filter(owner=giver).update(balance=F("balance") - 45)

    assert [p.message for p in verify_ledger().problems] == [
        f"Reversal #{wrong.pk} does not mirror transfer #{original.pk}."
    ]


def test_it_catches_an_overdrawn_pool(history: Transfer, member: User) -> None:
    pool = Account.objects.get(system_code=SystemAccount.COMMUNITY_POOL)
    drain = Transfer.objects.create(
        kind=TransferKind.GRANT, idempotency_key=new_key(), fingerprint="-"
    )
    Entry.objects.bulk_create(
        [
            Entry(transfer=drain, account=pool, amount=-500),
            Entry(transfer=drain, account=Account.objects.get(owner=member), amount=500),
        ]
    )
    Account.objects.filter(pk=pool.pk).update(balance=F("balance") - 500)
    Account.objects.filter(owner=member).update(balance=F("balance") + 500)

    problems = verify_ledger().problems
    assert [p.check for p in problems] == ["limits"]
    assert problems[0].message == "The community pool is overdrawn: \u22126 hours 50 minutes."


def test_it_catches_a_member_pushed_past_a_limit_without_a_correction(
    member: User, giver: User, set_balance, settings
) -> None:
    set_balance(member, -540)
    pay(giver, member, 60, reference="exchange:3")
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -300  # narrowed after the fact

    output, error = run_command()

    assert error is not None
    assert "FAIL  every account is within its limits" in output
    assert (
        "Maya Member is at \u221210 hours, past the lower limit of \u22125 hours, and the last "
        "transfer that moved it there, #"
    ) in output
    assert "(exchange), was not a correction." in output


def test_a_correction_explains_a_member_past_a_limit(
    coordinator: User, member: User, set_balance
) -> None:
    set_balance(member, -570)
    adjust(coordinator, member, -60, reason="Double-counted session", override_lower_limit=True)

    output, error = run_command()

    assert error is None
    assert "note: Maya Member is at \u221210 hours 30 minutes, past the lower limit" in output
    assert "explained by Adjustment #" in output
    assert "(Double-counted session)" in output
