"""Recorded time or a correction nobody answers is confirmed after the set days."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, State
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def test_nothing_is_confirmed_before_the_time_is_up(delivered: Exchange) -> None:
    run = services.auto_confirm_due(now=timezone.now() + 13 * DAY)
    assert run.confirmed == []
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED


def test_an_unanswered_exchange_is_confirmed_by_the_system(
    delivered: Exchange, giver: User, member: User
) -> None:
    later = timezone.now() + 14 * DAY + timedelta(minutes=1)
    run = services.auto_confirm_due(now=later)
    assert [e.pk for e in run.confirmed] == [delivered.pk]
    delivered.refresh_from_db()
    assert delivered.state == State.CONFIRMED
    assert delivered.confirmed_at == later
    assert (balance(giver), balance(member)) == (90, -90)
    event = delivered.events.last()
    assert event is not None
    assert (event.actor, event.to_state) == (None, "confirmed")
    assert "automatically" in event.note
    assert delivered.transfer is not None
    assert delivered.transfer.created_by is None


def test_the_days_are_configurable(delivered: Exchange, settings: pytest.FixtureRequest) -> None:
    settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS = 3  # type: ignore[attr-defined]
    run = services.auto_confirm_due(now=timezone.now() + 3 * DAY + timedelta(minutes=1))
    assert len(run.confirmed) == 1


def test_running_again_changes_nothing(delivered: Exchange, giver: User) -> None:
    later = timezone.now() + 15 * DAY
    services.auto_confirm_due(now=later)
    again = services.auto_confirm_due(now=later + DAY)
    assert again.confirmed == [] and again.refused == []
    assert Transfer.objects.filter(reference=f"exchange:{delivered.pk}").count() == 1
    assert delivered.events.filter(to_state=State.CONFIRMED).count() == 1
    assert balance(giver) == 90


def test_a_receiver_who_confirmed_first_is_not_confirmed_again(
    delivered: Exchange, member: User
) -> None:
    services.confirm_exchange(exchange=delivered, actor=member)
    run = services.auto_confirm_due(now=timezone.now() + 15 * DAY)
    assert run.confirmed == []
    assert delivered.events.filter(to_state=State.CONFIRMED).get().actor == member


def test_a_receiver_confirming_after_the_system_gets_it_back_unchanged(
    delivered: Exchange, member: User
) -> None:
    services.auto_confirm_due(now=timezone.now() + 15 * DAY)
    exchange = services.confirm_exchange(exchange=delivered, actor=member)
    assert exchange.state == State.CONFIRMED
    assert Transfer.objects.filter(reference=f"exchange:{delivered.pk}").count() == 1


def test_an_unanswered_correction_stands_after_the_wait(
    corrected: Exchange, giver: User, member: User
) -> None:
    assert services.auto_confirm_due(now=timezone.now() + 13 * DAY).confirmed == []
    later = timezone.now() + 14 * DAY + timedelta(minutes=1)
    run = services.auto_confirm_due(now=later)
    assert [e.pk for e in run.confirmed] == [corrected.pk]
    corrected.refresh_from_db()
    assert (corrected.state, corrected.minutes) == (State.CONFIRMED, 60)
    assert (balance(giver), balance(member)) == (60, -60)  # the corrected time, not 90
    event = corrected.events.last()
    assert event is not None
    assert event.actor is None
    assert event.from_state == State.CORRECTION_PROPOSED
    assert "Correction accepted automatically" in event.note
    assert services.auto_confirm_due(now=later + DAY).confirmed == []
    assert Transfer.objects.filter(reference=corrected.reference).count() == 1


def test_the_wait_for_a_correction_starts_when_it_was_suggested(
    delivered: Exchange, member: User
) -> None:
    ten_days_later = timezone.now() + 10 * DAY
    with mock.patch("django.utils.timezone.now", return_value=ten_days_later):
        services.propose_correction(
            exchange=delivered, actor=member, minutes=60, reason="We finished early."
        )
    # 15 days after delivery, but only 5 after the correction: the giver still has time.
    assert services.auto_confirm_due(now=ten_days_later + 5 * DAY).confirmed == []
    assert len(services.auto_confirm_due(now=ten_days_later + 15 * DAY).confirmed) == 1


def test_disputes_wait_for_a_coordinator(disputed: Exchange) -> None:
    run = services.auto_confirm_due(now=timezone.now() + 60 * DAY)
    assert run.confirmed == []
    disputed.refresh_from_db()
    assert disputed.state == State.DISPUTED


def test_a_ledger_refusal_is_reported_and_the_exchange_waits(
    delivered: Exchange, settings: pytest.FixtureRequest
) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -60  # type: ignore[attr-defined]
    run = services.auto_confirm_due(now=timezone.now() + 15 * DAY)
    assert run.confirmed == []
    [(exchange, message)] = run.refused
    assert exchange.pk == delivered.pk
    assert "lower limit" in message
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED


def test_the_command_prints_what_it_did_and_is_safe_to_repeat(
    delivered: Exchange, giver: User
) -> None:
    later = timezone.now() + 15 * DAY
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("auto_confirm_exchanges", stdout=out)
        call_command("auto_confirm_exchanges", stdout=out)
    text = out.getvalue()
    assert f"Confirmed exchange {delivered.pk} (Help with a business case)" in text
    assert "1 hour 30 minutes from Gil Giver to Maya Member" in text
    assert "1 confirmed, 0 could not be confirmed" in text
    assert "0 confirmed, 0 could not be confirmed" in text
    assert balance(giver) == 90
