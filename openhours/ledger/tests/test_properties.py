"""Property test: random sequences of ledger operations keep every invariant.

A small model of the balances runs beside the real ledger. For every operation it predicts
what would move; then it checks that the ledger accepted only what the rules allow, refused
only what they forbid (with nothing changed), and that at the end the model, the cached
balances and ``verify_ledger`` all agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import override_settings
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger import services
from openhours.ledger.models import Account, Transfer, TransferKind
from openhours.ledger.services import LimitExceeded
from openhours.ledger.verification import verify_ledger

from . import factories

LOWER, UPPER, GRANT = -120, 300, 60
POOL, ISSUANCE = "system:community_pool", "system:issuance"
MEMBERS = 4

member = st.integers(0, MEMBERS - 1)
minutes = st.integers(1, 12).map(lambda quarters: quarters * 15)
operation = st.one_of(
    st.tuples(st.just("join"), member),
    st.tuples(st.just("exchange"), member, member, minutes),
    st.tuples(
        st.just("group"),
        member,
        st.lists(member, min_size=1, max_size=3),
        minutes,
        st.sampled_from([0, 0, 30, 90]),
    ),
    st.tuples(st.just("donate"), member, st.none() | member, minutes),
    st.tuples(st.just("grant"), member, minutes),
    st.tuples(st.just("intruder_grant"), member, minutes),
    st.tuples(st.just("top_up"), minutes),
    st.tuples(st.just("adjust"), member, st.integers(-240, 240).filter(bool), st.booleans()),
    st.tuples(st.just("reverse"), st.integers(0, 40), st.booleans()),
    st.tuples(st.just("retry"), st.integers(0, 40)),
)


@dataclass
class Planned:
    """What an operation should do if the rules allow it."""

    call: Callable[[], Transfer]
    legs: dict[str, int] = field(default_factory=dict)
    kind: str = ""
    allow_over: bool = False
    allow_below: bool = False
    must_refuse: bool = False  # refused whatever the balances (permissions, malformed)


@override_settings(
    OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES=LOWER,
    OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES=UPPER,
    OPENHOURS_LEDGER_JOINING_GRANT_MINUTES=GRANT,
)
class TestRandomOperations(TestCase):
    @settings(max_examples=50, deadline=None)
    @given(st.lists(operation, min_size=5, max_size=30))
    def test_random_operations_keep_every_invariant(self, operations: list[tuple]) -> None:  # type: ignore[type-arg]
        coordinator = UserFactory(role=Role.COORDINATOR)
        members = [UserFactory() for _ in range(MEMBERS)]
        model: dict[str, int] = {POOL: 0, ISSUANCE: 0} | {holder(m): 0 for m in members}
        posted: list[tuple[Planned, int]] = []  # successful requests, for retries and reversals
        legs_of: dict[int, dict[str, int]] = {}
        reversed_ids: set[int] = set()

        for op in operations:
            planned = self.plan(op, coordinator, members, posted, legs_of, reversed_ids)
            if planned is None:
                continue
            count = Transfer.objects.count()
            crosses = would_cross(model, planned)
            try:
                transfer = planned.call()
            except LimitExceeded:
                event(f"{op[0]}: refused by a limit")
                assert crosses and not planned.must_refuse, op
                assert Transfer.objects.count() == count
                continue
            except DomainError:
                event(f"{op[0]}: refused by a rule")
                assert planned.must_refuse, op
                assert Transfer.objects.count() == count
                continue
            event(f"{op[0]}: posted")
            assert not planned.must_refuse, op
            assert not crosses, op
            assert Transfer.objects.count() == count + 1
            for key, amount in planned.legs.items():
                model[key] += amount
            posted.append((planned, transfer.pk))
            legs_of[transfer.pk] = planned.legs
            if transfer.kind == TransferKind.REVERSAL:
                reversed_ids.add(transfer.reverses_id)  # type: ignore[arg-type]

        report = verify_ledger()
        assert report.problems == []
        actual = {holder_of(account): account.balance for account in Account.objects.all()}
        assert set(actual) <= set(model)
        assert {key: actual.get(key, 0) for key in model} == model
        assert sum(model.values()) == 0
        assert model[POOL] >= 0
        # Anyone outside a limit got there by a deliberate, stamped correction.
        outside = [
            k for k, v in model.items() if k.startswith("member:") and not LOWER <= v <= UPPER
        ]
        assert len(report.explained) == len(outside)

    def plan(
        self,
        op: tuple,  # type: ignore[type-arg]
        coordinator: User,
        members: list[User],
        posted: list[tuple[Planned, int]],
        legs_of: dict[int, dict[str, int]],
        reversed_ids: set[int],
    ) -> Planned | None:
        # Long on purpose: one branch per operation, each beside the model's prediction.
        name, *args = op
        key = uuid.uuid4().hex
        if name == "join":
            user = members[args[0]]
            if any(
                p.kind == TransferKind.JOINING_GRANT and holder(user) in p.legs for p, _ in posted
            ):
                return None  # a repeat returns the first grant; covered by "retry"
            return Planned(
                call=lambda: services.grant_joining_credit(user=user),  # type: ignore[arg-type,return-value]
                legs={ISSUANCE: -GRANT, holder(user): GRANT},
                kind=TransferKind.JOINING_GRANT,
            )
        if name == "exchange":
            giver, receiver, amount = members[args[0]], members[args[1]], args[2]
            return Planned(
                call=lambda: factories.pay(giver, receiver, amount, idempotency_key=key),
                legs={holder(receiver): -amount, holder(giver): amount},
                kind=TransferKind.EXCHANGE,
                must_refuse=giver == receiver,
            )
        if name == "group":
            giver = members[args[0]]
            receivers = [members[i] for i in args[1]]
            each, prep = args[2], args[3]
            malformed = giver in receivers or len(set(args[1])) != len(args[1])
            legs = {holder(giver): each + prep} | {holder(r): -each for r in receivers}
            surplus = each * len(receivers) - each - prep
            if surplus:
                legs[POOL] = surplus
            return Planned(
                call=lambda: factories.pay_session(
                    giver,
                    receivers,
                    each,
                    preparation_minutes=prep,
                    reference="session:1",
                    idempotency_key=key,
                ),
                legs={} if malformed else legs,
                kind=TransferKind.GROUP_SESSION,
                must_refuse=malformed,
            )
        if name == "donate":
            donor = members[args[0]]
            to_user = members[args[1]] if args[1] is not None else None
            amount = args[2]
            return Planned(
                call=lambda: services.donate(
                    donor=donor, to_user=to_user, minutes=amount, idempotency_key=key
                ),
                legs={holder(donor): -amount, (holder(to_user) if to_user else POOL): amount},
                kind=TransferKind.DONATION,
                must_refuse=to_user == donor,
            )
        if name in ("grant", "intruder_grant"):
            to_user, amount = members[args[0]], args[1]
            actor = coordinator if name == "grant" else members[(args[0] + 1) % MEMBERS]
            return Planned(
                call=lambda: factories.grant(
                    actor, to_user, amount, reason="Support", idempotency_key=key
                ),
                legs={POOL: -amount, holder(to_user): amount},
                kind=TransferKind.GRANT,
                must_refuse=name == "intruder_grant",
            )
        if name == "top_up":
            amount = args[0]
            return Planned(
                call=lambda: services.top_up_pool(
                    coordinator=coordinator, minutes=amount, reason="Campaign", idempotency_key=key
                ),
                legs={ISSUANCE: -amount, POOL: amount},
                kind=TransferKind.POOL_TOP_UP,
            )
        if name == "adjust":
            user, amount, override = members[args[0]], args[1], args[2]
            return Planned(
                call=lambda: factories.adjust(
                    coordinator,
                    user,
                    amount,
                    reason="Correction",
                    idempotency_key=key,
                    override_lower_limit=override,
                ),
                legs={ISSUANCE: -amount, holder(user): amount},
                kind=TransferKind.ADJUSTMENT,
                allow_over=True,
                allow_below=override,
            )
        if name == "reverse":
            if not posted:
                return None
            _, original_id = posted[args[0] % len(posted)]
            original = Transfer.objects.get(pk=original_id)
            override = args[1]
            return Planned(
                call=lambda: factories.reverse(
                    original, coordinator, idempotency_key=key, override_lower_limit=override
                ),
                legs={k: -v for k, v in legs_of[original_id].items()},
                kind=TransferKind.REVERSAL,
                allow_over=True,
                allow_below=override,
                must_refuse=(original.kind == TransferKind.REVERSAL or original_id in reversed_ids),
            )
        if name == "retry":
            if not posted:
                return None
            previous, previous_id = posted[args[0] % len(posted)]
            transfer = previous.call()
            assert transfer.pk == previous_id, "a retry posted a second transfer"
            return None
        raise AssertionError(name)


def holder(user: User) -> str:
    return f"member:{user.pk}"


def holder_of(account: Account) -> str:
    return f"member:{account.owner_id}" if account.owner_id else f"system:{account.system_code}"


def would_cross(model: dict[str, int], planned: Planned) -> bool:
    """The rules of docs/ledger.md "Limits", restated independently of the services."""
    for key, amount in planned.legs.items():
        after = model[key] + amount
        if key == POOL:
            if amount < 0 and after < 0:
                return True
        elif key == ISSUANCE:
            continue
        elif amount < 0:
            floor = 0 if planned.kind == TransferKind.DONATION else LOWER
            if after < floor and not planned.allow_below:
                return True
        elif after > UPPER and not planned.allow_over:
            return True
    return False
