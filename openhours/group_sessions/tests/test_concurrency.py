"""PostgreSQL: the last confirmation racing the settle command settles the session once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openhours.accounts.tests.factories import UserFactory
from openhours.core.testing import needs_postgresql, run_together
from openhours.group_sessions import services
from openhours.group_sessions.models import EventVerb, GroupSession, SessionStatus
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance

from .conftest import AFTER, delivered_session

pytestmark = needs_postgresql


@pytest.mark.parametrize("round_", range(5))
def test_a_last_confirmation_racing_the_command_settles_once(round_: int) -> None:
    giver = UserFactory()
    asha, ben = UserFactory(), UserFactory()
    session = delivered_session(giver, [asha, ben])
    services.confirm_attendance(session=session, member=asha)
    due = AFTER + timedelta(days=14)

    def confirm() -> None:
        services.confirm_attendance(session=GroupSession(pk=session.pk), member=ben, now=due)

    errors = run_together(
        [
            confirm,
            lambda: services.settle_due_sessions(now=due),
            lambda: services.settle_due_sessions(now=due),
        ]
    )
    # The confirmation may lose the race (the command confirmed for Ben already): then it
    # is refused with a plain message, never a crash or a second payment.
    assert all(str(error) == services.NOT_DELIVERED for error in errors), errors
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    assert Transfer.objects.filter(reference=f"session:{session.pk}").count() == 1
    assert session.events.filter(verb=EventVerb.SETTLED).count() == 1
    assert (balance(giver), balance(asha), balance(ben)) == (60, -60, -60)
