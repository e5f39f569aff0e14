"""The database refuses an inconsistent exchange whatever code writes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges.models import Exchange, State

pytestmark = pytest.mark.django_db


def _row(giver: User, receiver: User, **fields: Any) -> None:
    now = timezone.now()
    values: dict[str, Any] = {
        "giver": giver,
        "receiver": receiver,
        "proposed_by": giver,
        "title": "Help",
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    with transaction.atomic():
        Exchange.objects.create(**values)


def test_a_plain_proposal_is_accepted_by_the_database(giver: User, member: User) -> None:
    _row(giver, member)
    assert Exchange.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"receiver": "giver"},
        {"state": "lost"},
        {"minutes": 50, "state": State.DELIVERED},
        {"minutes": 0},
        {"minutes": 101 * 60},
        {"estimated_minutes": 10},
        {"corrected_minutes": 20},
        {"state": State.CONFIRMED, "minutes": 60, "confirmed_at": "now", "delivered_at": "now"},
        {"state": State.DELIVERED},
        {"state": State.CORRECTION_PROPOSED, "minutes": 60, "delivered_at": "now"},
        {"state": State.DISPUTED, "minutes": 60, "delivered_at": "now"},
    ],
)
def test_inconsistent_rows_are_refused(fields: dict[str, Any], giver: User, member: User) -> None:
    receiver = giver if fields.pop("receiver", None) == "giver" else member
    for key, value in fields.items():
        if value == "now":
            fields[key] = timezone.now()
    with pytest.raises(IntegrityError):
        _row(giver, receiver, **fields)
