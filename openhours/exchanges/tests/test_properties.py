"""Property test: any sequence of anyone's actions keeps an exchange consistent.

A small model of the workflow predicts, for each action by each person, whether it is
allowed and where it leads. The services must agree with the model on every step, and at
the end the event log, the state, the ledger and the balances must all tell the same story.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, State
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance

PEOPLE = ("giver", "receiver", "outsider", "coordinator")
minutes = st.integers(1, 8).map(lambda quarters: quarters * 15)
step = st.tuples(
    st.sampled_from(
        [
            "accept",
            "decline",
            "cancel",
            "deliver",
            "confirm",
            "correct",
            "accept_correction",
            "reject_correction",
            "dispute",
            "resolve_confirm",
            "resolve_cancel",
            "auto_confirm",
        ]
    ),
    st.sampled_from(PEOPLE),
    minutes,
)


def predict(state: str, action: str, who: str, proposer: str, *, same_minutes: bool) -> str | None:
    """The state the action leads to, or None when it must be refused."""
    party = who in ("giver", "receiver")
    rules: dict[str, tuple[bool, tuple[str, ...], str]] = {
        "accept": (party and who != proposer, ("proposed",), "accepted"),
        "decline": (party and who != proposer, ("proposed",), "declined"),
        "cancel": (party, ("proposed", "accepted"), "cancelled"),
        "deliver": (who == "giver", ("accepted",), "delivered"),
        "confirm": (who == "receiver", ("delivered",), "confirmed"),
        "correct": (
            who == "receiver" and not same_minutes,
            ("delivered",),
            "correction_proposed",
        ),
        "accept_correction": (who == "giver", ("correction_proposed",), "confirmed"),
        "reject_correction": (who == "giver", ("correction_proposed",), "disputed"),
        "dispute": (party, ("delivered", "correction_proposed"), "disputed"),
        "resolve_confirm": (who == "coordinator", ("disputed",), "confirmed"),
        "resolve_cancel": (who == "coordinator", ("disputed",), "cancelled"),
        "auto_confirm": (True, ("delivered",), "confirmed"),
    }
    allowed, from_states, to_state = rules[action]
    if action == "confirm" and who == "receiver" and state == "confirmed":
        return state  # confirming twice is a harmless no-op
    return to_state if allowed and state in from_states else None


def perform(action: str, exchange: Exchange, actor: User, amount: int, later: datetime) -> None:
    if action == "accept":
        services.accept_exchange(exchange=exchange, actor=actor)
    elif action == "decline":
        services.decline_exchange(exchange=exchange, actor=actor)
    elif action == "cancel":
        services.cancel_exchange(exchange=exchange, actor=actor)
    elif action == "deliver":
        services.record_delivery(exchange=exchange, actor=actor, minutes=amount)
    elif action == "confirm":
        services.confirm_exchange(exchange=exchange, actor=actor)
    elif action == "correct":
        services.propose_correction(exchange=exchange, actor=actor, minutes=amount, reason="r")
    elif action == "accept_correction":
        services.accept_correction(exchange=exchange, actor=actor)
    elif action == "reject_correction":
        services.reject_correction(exchange=exchange, actor=actor, reason="r")
    elif action == "dispute":
        services.dispute_exchange(exchange=exchange, actor=actor, reason="r")
    elif action == "resolve_confirm":
        services.resolve_by_confirming(
            exchange=exchange, coordinator=actor, minutes=amount, reason="r"
        )
    elif action == "resolve_cancel":
        services.resolve_by_cancelling(exchange=exchange, coordinator=actor, reason="r")
    else:
        services.auto_confirm_due(now=later)


class ExchangeWorkflowProperties(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(proposer_gives=st.booleans(), steps=st.lists(step, max_size=12))
    def test_services_follow_the_model_and_keep_every_invariant(
        self, proposer_gives: bool, steps: list[tuple[str, str, int]]
    ) -> None:
        people: dict[str, User] = {
            "giver": UserFactory(),
            "receiver": UserFactory(),
            "outsider": UserFactory(),
            "coordinator": UserFactory(role=Role.COORDINATOR),
        }
        proposer = "giver" if proposer_gives else "receiver"
        exchange = services.propose_to_member(
            proposer=people[proposer],
            other=people["receiver" if proposer_gives else "giver"],
            proposer_gives=proposer_gives,
            title="Help",
        )
        later = timezone.now() + timedelta(days=30)
        for action, who, amount in steps:
            exchange.refresh_from_db()
            expected = predict(
                exchange.state,
                action,
                who,
                proposer,
                same_minutes=amount == exchange.minutes,
            )
            actor = people[who]
            before = exchange.state
            try:
                perform(action, exchange, actor, amount, later)
            except DomainError:
                assert expected is None, f"{who} was refused {action} from {before}"
            else:
                exchange.refresh_from_db()
                if expected is None:
                    assert exchange.state == before, f"{who} could {action} from {before}"
                else:
                    assert exchange.state == expected, (action, who, before, exchange.state)
        self.assert_consistent(exchange, people)

    def assert_consistent(self, exchange: Exchange, people: dict[str, User]) -> None:
        exchange.refresh_from_db()
        events = list(exchange.events.order_by("pk"))
        assert events[0].from_state == ""
        for earlier, after in itertools.pairwise(events):
            assert after.from_state == earlier.to_state
        assert events[-1].to_state == exchange.state
        transfers = Transfer.objects.filter(reference=exchange.reference)
        if exchange.state == State.CONFIRMED:
            assert transfers.count() == 1
            assert exchange.transfer_id == transfers.get().pk
            paid = exchange.minutes
        else:
            assert not transfers.exists()
            paid = 0
        assert balance(people["giver"]) == paid
        assert balance(people["receiver"]) == -(paid or 0)
