"""Ledger test helpers. State is built through the real services, never by writing rows."""

from __future__ import annotations

import pytest

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.ledger import services

from .helpers import new_key


@pytest.fixture
def treasurer(db: None) -> User:
    """A second coordinator who sets balances up, so Cole stays free to be tested."""
    return UserFactory(full_name="Tess Treasurer", role=Role.COORDINATOR)


@pytest.fixture
def set_balance(treasurer: User):  # type: ignore[no-untyped-def]
    """Bring a member to an exact balance with one adjustment by the treasurer."""
    from openhours.ledger.selectors import balance

    def set_to(user: User, minutes: int) -> None:
        change = minutes - balance(user)
        if change:
            services.coordinator_adjustment(
                coordinator=treasurer,
                user=user,
                minutes=change,
                reason="Test set-up",
                idempotency_key=new_key(),
                override_lower_limit=True,
            )

    return set_to


@pytest.fixture
def fill_pool(treasurer: User):  # type: ignore[no-untyped-def]
    def fill(minutes: int) -> None:
        services.top_up_pool(
            coordinator=treasurer, minutes=minutes, reason="Test set-up", idempotency_key=new_key()
        )

    return fill


@pytest.fixture
def giver(db: None) -> User:
    return UserFactory(full_name="Gil Giver")
