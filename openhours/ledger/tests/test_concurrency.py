"""PostgreSQL concurrency: many postings against the same accounts at once.

Threads stand in for app servers: each has its own database connection. The first test
shows the ledger holding its rules under contention; the second takes the row locks away
(and widens the gap between reading a balance and writing it) to show the race the locks
prevent, so we know the first test would notice if the locking broke.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from openhours.accounts.models import Role
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.core.testing import needs_postgresql, run_together
from openhours.ledger import limits, services
from openhours.ledger.models import Entry, SystemAccount, Transfer
from openhours.ledger.selectors import balance
from openhours.ledger.services import posting, rules
from openhours.ledger.verification import verify_ledger

pytestmark = needs_postgresql


def attempt(outcomes: list[int | None], service: Callable[..., Transfer], **kwargs: Any) -> None:
    """Call a service, recording the transfer id, or None when a rule refused."""
    try:
        outcomes.append(service(**kwargs).pk)
    except DomainError:
        outcomes.append(None)


def limits_crossed_in_history() -> list[str]:
    """Replay every account entry by entry: was any limit crossed at any moment?

    An account's entries are numbered in posting order (each is inserted under its
    account's lock), so replaying by id replays history.
    """
    lower, upper = limits.lower_limit(), limits.upper_limit()
    running: dict[int, int] = defaultdict(int)
    crossed = []
    rows = Entry.objects.order_by("pk").values_list(
        "account_id", "account__system_code", "amount", "transfer_id"
    )
    for account_id, code, amount, transfer_id in rows:
        running[account_id] += amount
        value = running[account_id]
        if code == SystemAccount.COMMUNITY_POOL and value < 0:
            crossed.append(f"pool at {value} after transfer {transfer_id}")
        elif code is None and not lower <= value <= upper:
            crossed.append(f"account {account_id} at {value} after transfer {transfer_id}")
    return crossed


def test_concurrent_postings_never_cross_a_limit_or_post_twice(settings) -> None:
    # Long, and whole on purpose: one mixed workload, run at once and judged as a whole.
    settings.OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES = 900
    coordinator = UserFactory(role=Role.COORDINATOR)
    spenders = [UserFactory(full_name=f"Spender {n}") for n in range(2)]
    givers = [UserFactory(full_name=f"Giver {n}") for n in range(2)]
    for user in spenders + givers:
        services.grant_joining_credit(user=user)
    services.top_up_pool(
        coordinator=coordinator, minutes=240, reason="Seed", idempotency_key="seed-pool"
    )
    outcomes: dict[str, list[int | None]] = defaultdict(list)

    def spend(n: int) -> None:
        for i in range(12):
            spender, giver = spenders[(n + i) % 2], givers[i % 2]
            attempt(
                outcomes["spend"],
                services.pay_for_exchange,
                giver=giver,
                receiver=spender,
                minutes=60,
                reference=f"exchange:{n}:{i}",
                created_by=spender,
                idempotency_key=f"spend:{n}:{i}",
            )

    def donate(n: int) -> None:
        for i in range(10):
            attempt(
                outcomes["donate"],
                services.donate,
                donor=givers[n],
                minutes=45,
                idempotency_key=f"donate:{n}:{i}",
            )

    def grant() -> None:
        for i in range(10):
            attempt(
                outcomes["grant"],
                services.coordinator_grant,
                coordinator=coordinator,
                to_user=spenders[i % 2],
                minutes=60,
                reason="Support",
                idempotency_key=f"grant:{i}",
            )

    def double_click(n: int) -> None:
        # Two "browser tabs" send the same ten requests at the same time.
        for i in range(10):
            attempt(
                outcomes[f"double-click:{n}"],
                services.pay_for_exchange,
                giver=givers[1],
                receiver=spenders[0],
                minutes=15,
                reference=f"exchange:dc:{i}",
                created_by=spenders[0],
                idempotency_key=f"double-click:{i}",
            )

    errors = run_together(
        [lambda n=n: spend(n) for n in range(4)]
        + [lambda n=n: donate(n) for n in range(2)]
        + [grant]
        + [lambda n=n: double_click(n) for n in range(2)]
    )

    assert errors == []
    report = verify_ledger()
    assert report.problems == []
    assert report.explained == []
    assert limits_crossed_in_history() == []
    # Nothing posted twice: both tabs got the same transfer for every key they both posted.
    for first, second in zip(outcomes["double-click:0"], outcomes["double-click:1"], strict=True):
        if first is not None and second is not None:
            assert first == second
    assert Transfer.objects.filter(idempotency_key__startswith="double-click:").count() == len(
        {pk for pk in outcomes["double-click:0"] + outcomes["double-click:1"] if pk}
    )
    # The workload really met the limits, and really moved credits.
    spent = outcomes["spend"]
    assert 0 < spent.count(None) < len(spent)
    assert any(outcomes["donate"]) and any(outcomes["grant"])


@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "without-lock"])
def test_the_lock_is_what_stops_the_race(monkeypatch, locked: bool) -> None:
    spender = UserFactory(full_name="Sam Spender")
    givers = [UserFactory(full_name=f"Giver {n}") for n in range(8)]
    for user in [spender, *givers]:
        services.grant_joining_credit(user=user)  # 120 each: Sam can spend 720 more

    real_check = rules.check_limits

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        # Widen the window between reading the balance and writing the entries, so every
        # posting overlaps every other one when nothing serialises them.
        result = real_check(*args, **kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(rules, "check_limits", slow_check)
    if not locked:
        monkeypatch.setattr(posting, "_for_update", lambda: "")
    outcomes: list[int | None] = []

    errors = run_together(
        [
            lambda giver=giver: attempt(
                outcomes,
                services.pay_for_exchange,
                giver=giver,
                receiver=spender,
                minutes=120,
                reference="exchange:race",
                created_by=spender,
                idempotency_key=f"race:{giver.pk}",
            )
            for giver in givers
        ]
    )

    assert errors == []
    if locked:
        assert outcomes.count(None) == 2  # six fit between 120 and the floor of -600
        assert balance(spender) == -600
        assert verify_ledger().problems == []
        assert limits_crossed_in_history() == []
    else:
        # Every posting read 120 and passed its check: the floor was crossed, and both
        # verify_ledger and the history replay say so.
        assert None not in outcomes
        assert balance(spender) == 120 - 8 * 120
        assert [p.check for p in verify_ledger().problems] == ["limits"]
        assert limits_crossed_in_history() != []
