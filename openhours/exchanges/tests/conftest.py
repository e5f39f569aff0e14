"""Exchange test personas and helpers. State is built through the real services.

Maya Member (``member``) asks for help with a request; Gil Giver (``giver``) answers it,
so Gil gives and Maya receives. Otto Outsider (``outsider``) is an approved member who is
not part of the exchange; Cole Coordinator (``coordinator``) resolves disputes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.posts.models import Post
from openhours.posts.tests.factories import make_post


@pytest.fixture
def giver(db: None) -> User:
    return UserFactory(full_name="Gil Giver", email="gil@nhs.net")


@pytest.fixture(params=["giver", "member"])
def either_party(request: pytest.FixtureRequest) -> User:
    """Gil, then Maya: a test that takes it runs once for each party to the exchange."""
    party: User = request.getfixturevalue(request.param)
    return party


@pytest.fixture
def request_post(member: User) -> Post:
    return make_post(member, title="Help with a business case", estimated_minutes=120)


@pytest.fixture
def proposed(giver: User, request_post: Post) -> Exchange:
    return services.respond_to_post(
        responder=giver, post=request_post, message="I wrote one last year."
    )


@pytest.fixture
def accepted(proposed: Exchange, member: User) -> Exchange:
    return services.accept_exchange(exchange=proposed, actor=member)


@pytest.fixture
def delivered(accepted: Exchange, giver: User) -> Exchange:
    return services.record_delivery(exchange=accepted, actor=giver, minutes=90)


@pytest.fixture
def corrected(delivered: Exchange, member: User) -> Exchange:
    return services.propose_correction(
        exchange=delivered, actor=member, minutes=60, reason="We finished early."
    )


@pytest.fixture
def disputed(delivered: Exchange, member: User) -> Exchange:
    return services.dispute_exchange(
        exchange=delivered, actor=member, reason="The session didn't happen."
    )


@pytest.fixture
def confirmed(delivered: Exchange, member: User) -> Exchange:
    return services.confirm_exchange(exchange=delivered, actor=member)


@pytest.fixture
def states() -> Callable[[Exchange], list[tuple[str, str]]]:
    def history(exchange: Exchange) -> list[tuple[str, str]]:
        return list(exchange.events.order_by("pk").values_list("from_state", "to_state"))

    return history
